#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "parser/keyword_tree.h"
#include "src/config/build_context.h"
#include "src/config/ip_address.h"

namespace vigil::config {

// Value readers shared by every block. Each takes the statement and reads
// one argument. A missing argument is keepalived's "missing a parameter"
// abort (ctx.missingParameter: reading stops, exit status 2). A bad number
// is reported with keepalived's first line ("invalid number 'x'", "number
// '4' outside range [2, 3]", "negative number '-1'"); the caller adds the
// keyword's own second line if keepalived prints one, and keeps its default.

// An integer in [min, max]; decimal only, as keepalived reads them.
std::optional<long> readInteger(const parser::Node &node, BuildContext &ctx, long min, long max, std::size_t index = 0);
// A <TIMER>: seconds with an optional fraction, in [min, max].
std::optional<double> readTimer(const parser::Node &node, BuildContext &ctx, double min, double max,
                                std::size_t index = 0);
// A <BOOL> argument; the bare keyword means true.
std::optional<bool> readBool(const parser::Node &node, BuildContext &ctx, std::size_t index = 0);
// A required string argument.
std::optional<std::string> readString(const parser::Node &node, BuildContext &ctx, std::size_t index = 0);
std::optional<IpAddress> readAddress(const parser::Node &node, BuildContext &ctx, std::size_t index = 0);
// A port number 0..65535 (a service name is not accepted, as in keepalived).
std::optional<std::uint16_t> readPort(const parser::Node &node, BuildContext &ctx, std::size_t index = 0);

// Pure parsers without reporting.
std::optional<long> parseInteger(std::string_view text);
std::optional<double> parseDecimal(std::string_view text);
std::optional<bool> parseBool(std::string_view text);
// The value of a hexadecimal digit, or -1.
int hexDigitValue(char c);

// Requires that `node` opened a block; reports keepalived's message if not.
bool requireBlock(const parser::Node &node, BuildContext &ctx);

// Joins all arguments from `from` with spaces (script command lines).
std::string joinArgs(const parser::Node &node, std::size_t from = 0);

} // namespace vigil::config
