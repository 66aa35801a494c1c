#pragma once

// Readers shared by the VRRP blocks. They report bad values in keepalived's
// words: first the generic line of its number reader ("invalid number 'x'",
// "number 'x' outside range [a, b]"), after which the caller adds the
// keyword's own message.

#include <optional>
#include <string>
#include <vector>

#include "parser/keyword_tree.h"
#include "src/config/build_context.h"
#include "src/config/vrrp/vrrp.h"

namespace vigil::config::vrrp_detail {

// An integer in [min, max] from argument `index` (missing: "invalid number ''").
std::optional<long> readInt(const parser::Node &node, BuildContext &ctx, std::size_t index, long min, long max);
// A decimal in [min, max]; the range is printed with six decimals as
// keepalived does ("[0.010000, 255.000000]").
std::optional<double> readDecimal(const parser::Node &node, BuildContext &ctx, std::size_t index, double min,
                                  double max);

// The line keepalived names for a finding at the end of a block: the line
// of its closing brace as the tree recorded it, or, for a node built by
// hand, one line per statement and per nested closing brace.
parser::Location blockEnd(const parser::Node &node);

// "notify_x SCRIPT [USER [GROUP]]", checking that the user exists.
std::optional<Script> readNotifyScript(const parser::Node &node, BuildContext &ctx);

// The entries of a track_interface/track_script/... block: "NAME [weight W
// [reverse|noreverse|no_reverse]]". `what` names the kind in messages
// ("track script"), `limit` is the largest |weight| (253 or 254).
struct TrackParseOptions {
	std::string owner; // "(VI_1)" prefix for messages
	std::string what;  // "track_script"
	std::string noun;  // "track script"
	// Largest |weight|: 253 (interfaces, scripts, BFD: +/-254 is clamped
	// with a warning) or 254 (files, processes).
	int limit = 253;
};
// False when the entry must be dropped; a bad weight or option is reported
// and ignored, keeping the entry.
bool readTrackedEntry(const parser::Node &entry, BuildContext &ctx, const TrackParseOptions &options,
                      TrackedObject &out);

enum class TrackKind { kInterface, kScript, kFile, kProcess, kBfd };
// Reads a whole track_* block into `out`: duplicates dropped, scripts and
// files looked up among those defined so far (keepalived resolves them while
// parsing) and their default weight taken.
void readTrackBlock(const parser::Node &block, BuildContext &ctx, TrackKind kind, const std::string &owner,
                    std::vector<TrackedObject> &out);

// The "name" argument of a named top-level block.
std::optional<std::string> blockName(const parser::Node &node, BuildContext &ctx);

// Address lines (virtual_address.cpp) and route/rule lines
// (virtual_route.cpp). `defaultDev` is empty inside instances (resolved
// later) and the line is skipped on a fatal error in it.
std::optional<VirtualAddress> parseAddressLine(const parser::Node &line, BuildContext &ctx, bool isStatic);
std::optional<Route> parseRouteLine(const parser::Node &line, BuildContext &ctx, bool isStatic);
std::optional<Rule> parseRuleLine(const parser::Node &line, BuildContext &ctx, bool isStatic);

// All words of a line: the keyword then its arguments.
std::vector<std::string> lineWords(const parser::Node &line);

// Interface existence as keepalived checks it while parsing; remembers a
// missing one for the summary line.
bool checkInterface(std::string_view name, BuildContext &ctx);

// Scope names ip(8) knows, or the number.
std::optional<std::string> parseScope(std::string_view text);

// Writers for the dump, shared by instances and the static blocks.
std::vector<std::string> addressWords(const VirtualAddress &a);
std::vector<std::string> routeWords(const Route &r);
std::vector<std::string> ruleWords(const Rule &r);

} // namespace vigil::config::vrrp_detail
