#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "parser/keyword_tree.h"
#include "src/config/build_context.h"
#include "src/config/ip_address.h"

namespace vigil::config {

// Value readers shared by every block. Each takes the statement, reads one
// argument, and on a bad or missing value reports in keepalived's words
// (naming the keyword) and returns nullopt so that the caller keeps its
// default, as keepalived does.

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

// Requires that `node` opened a block; reports keepalived's message if not.
bool requireBlock(const parser::Node &node, BuildContext &ctx);

// Joins all arguments from `from` with spaces (script command lines).
std::string joinArgs(const parser::Node &node, std::size_t from = 0);

} // namespace vigil::config
