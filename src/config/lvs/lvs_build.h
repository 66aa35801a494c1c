#pragma once

// Internals shared by the LVS builders: keepalived's number readers and
// messages, the forwarding method parser, and the builders of each block.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "parser/keyword_tree.h"
#include "src/config/build_context.h"
#include "src/config/keyword_table.h"
#include "src/config/lvs/lvs.h"

namespace vigil::config::lvs {

// Bits of ExplicitSettings.
enum VsField : unsigned {
	kVsProtocol,
	kVsScheduler,
	kVsForwarding,
	kVsFamily,
};
enum RsField : unsigned {
	kRsForwarding,
	kRsInhibit,
	kRsWeight,
};
enum CheckerField : unsigned {
	kCkConnectTimeout,
	kCkRetry,
	kCkDelayBeforeRetry,
	kCkWarmup,
	kCkDelayLoop,
	kCkAlpha,
	kCkConnectIp,
	kCkConnectPort,
	kCkVirtualhost,
};
enum SorryField : unsigned {
	kSorryForwarding,
};

// Reports an error at `node`: the message the LVS builders give for a value
// keepalived rejects.
void report(const parser::Node &node, BuildContext &ctx, std::string message);

// ---- keepalived's value readers ---------------------------------------------
// Each reports what keepalived's generic reader prints ("invalid number
// 'x'", "number 'x' outside range [1, 65535]"...) and returns nullopt when
// keepalived rejects the value; the caller adds its own message.

// True if argument `index` exists; otherwise reports keepalived's "missing a
// parameter" abort.
bool requireArg(const parser::Node &node, BuildContext &ctx, std::size_t index = 0);

// An unsigned 32-bit integer in [min, max].
std::optional<std::uint32_t> readUnsigned(const parser::Node &node, BuildContext &ctx, std::size_t index,
                                          std::uint32_t min, std::uint32_t max);
std::optional<std::uint32_t> readUnsignedText(std::string_view text, const parser::Node &node, BuildContext &ctx,
                                              std::uint32_t min, std::uint32_t max);
// A signed 32-bit integer in [min, max].
std::optional<std::int32_t> readSigned(const parser::Node &node, BuildContext &ctx, std::size_t index, std::int32_t min,
                                       std::int32_t max);
// A decimal with at most six places (more are rounded, with a warning), in
// [min, max] microseconds, returned in seconds. Trailing garbage is reported
// but the number before it is used when in range, as keepalived does.
std::optional<double> readDecimal(const parser::Node &node, BuildContext &ctx, std::size_t index,
                                  std::uint64_t minMicros, std::uint64_t maxMicros);

// Largest timer keepalived accepts, in microseconds.
inline constexpr std::uint64_t kMaxTimerMicros = UINT64_MAX - 1;
// connect_timeout's limit: UINT32_MAX microseconds.
inline constexpr std::uint64_t kMaxConnectTimeoutMicros = UINT32_MAX;

// "on/true/yes" / "off/false/no"; the bare keyword is true. nullopt (no
// report) for anything else.
std::optional<bool> boolArg(const parser::Node &node, std::size_t index = 0);

// A server address as keepalived reads it (a "/len" suffix is tolerated).
std::optional<IpAddress> parseServerAddress(std::string_view text);
// A server port: "0" (none) or 1..65535; reports like readUnsigned.
std::optional<std::uint16_t> readServerPort(const parser::Node &node, BuildContext &ctx, std::size_t index);

// lvs_method / lb_kind / sorry_server_lvs_method arguments; `what` is
// "virtual server", "real server" or "sorry server". nullopt if the method
// itself is unknown; tunnel option errors are reported but the method kept.
std::optional<ForwardingMethod> readForwarding(const parser::Node &node, BuildContext &ctx, std::string_view what);

// A hex string (UDP_CHECK payload / require_reply); nullopt if invalid.
std::optional<HexPattern> parseHex(std::span<const std::string_view> words, std::size_t from, bool allowWildcard);

// Formats a timer for the dump: up to six decimals, no exponent.
std::string formatTimer(double seconds);

// Where a block closed (keepalived reports some findings there); for a tree
// built without that, the line after the block's last statement.
parser::Location blockEnd(const parser::Node &block);

// keepalived -t stops reading at a missing parameter; so do the builders.
inline bool stopped(const BuildContext &ctx)
{
	return ctx.stopped();
}

// KeywordTable::applyBlock, stopping where keepalived stops reading.
template <class Target>
void applyStatements(const KeywordTable<Target> &table, Target &target, const parser::Node &block, BuildContext &ctx)
{
	for (const parser::Node &n : block.children) {
		table.apply(target, n, ctx);
		if (ctx.stopped())
			return;
	}
}

// ---- block builders -----------------------------------------------------------

// The schemas of the blocks inside a virtual server.
const parser::BlockSchema &realServerSchema();
const parser::BlockSchema &checkerSchema(CheckerType type);
const parser::BlockSchema &smtpHostSchema();

// The real_server block (address and port already read).
void buildRealServer(VirtualServer &vs, const parser::Node &node, BuildContext &ctx);
// A checker block inside a real server; appends to rs.checkers when valid.
void buildChecker(const VirtualServer &vs, RealServer &rs, const parser::Node &node, BuildContext &ctx,
                  const Config &config);

// What a checker keyword handler works on. `endpoint` is the checker's own
// or, inside an SMTP_CHECK host block, the host's.
struct CheckerTarget {
	const VirtualServer &vs;
	RealServer &rs;
	Checker &checker;
	CheckerEndpoint *endpoint;
	const Config &config;
	bool drop = false; // a keyword made keepalived remove the checker
};

// Applies a block of checker statements: the type's own keywords, then the
// generic connection options (if `connection`) and timing options the type
// accepts; anything else is an unknown keyword.
void applyCheckerBlock(CheckerTarget &t, const parser::Node &block, BuildContext &ctx, bool connection);

// Keywords of HTTP_GET / SSL_GET, and the end-of-block check (false drops
// the checker).
const KeywordTable<CheckerTarget> &httpKeywords();
bool finishHttpChecker(CheckerTarget &t, const parser::Node &block, BuildContext &ctx);
// The same for the other checker types (nullptr: no keywords of its own).
const KeywordTable<CheckerTarget> *otherKeywords(CheckerType type);
bool finishOtherChecker(CheckerTarget &t, const parser::Node &block, BuildContext &ctx);

// keepalived's "[192.0.2.10]:tcp:80" for a real server of `vs`.
std::string realServerName(const VirtualServer &vs, const RealServer &rs);

// Validation and resolution of one virtual server; false if keepalived drops it.
bool validateVirtualServer(VirtualServer &vs, const Config &config, BuildContext &ctx);
void resolveCheckers(VirtualServer &vs);
// validateVirtualServer and resolveCheckers on the virtual server just
// read, when they need nothing from the rest of the file; validateLvs then
// reports what they found (BuildContext::virtualServerChecks).
void checkEarly(Config &config, BuildContext &ctx);

} // namespace vigil::config::lvs
