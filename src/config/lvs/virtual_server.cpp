// virtual_server ADDR [PORT] | fwmark N | group NAME { ... }

#include <algorithm>
#include <arpa/inet.h>
#include <array>
#include <fmt/format.h>

#include "src/config/config.h"
#include "src/config/keyword_table.h"
#include "src/config/lvs/lvs_build.h"
#include "src/config/values.h"

namespace vigil::config {

namespace {

using lvs::readDecimal;
using lvs::readUnsigned;
using lvs::report;
using lvs::requireArg;
using parser::Node;
using VS = VirtualServer;

constexpr std::array kSchedulers = {"rr", "wrr", "lc",  "wlc",   "lblc", "sh", "mh",
                                    "dh", "fo",  "ovf", "lblcr", "sed",  "nq", "twos"};

void setScheduler(VS &vs, const Node &n, BuildContext &ctx)
{
	if (!requireArg(n, ctx))
		return;
	for (const char *s : kSchedulers) {
		if (n.args[0] == s) {
			vs.scheduler = s;
			vs.given.set(lvs::kVsScheduler);
			return;
		}
	}
	report(n, ctx, fmt::format("Invalid lvs_scheduler '{}' - ignoring", n.args[0]));
}

void setForwarding(VS &vs, const Node &n, BuildContext &ctx)
{
	if (!requireArg(n, ctx))
		return;
	if (auto m = lvs::readForwarding(n, ctx, "virtual server")) {
		vs.forwarding = *m;
		vs.given.set(lvs::kVsForwarding);
	}
}

// sh-port, sh-fallback, mh-port, mh-fallback: only after lb_algo sh or mh.
template <bool VS::*Flag> void schedulerFlag(VS &vs, const Node &n, BuildContext &ctx)
{
	if (vs.scheduler != "sh" && vs.scheduler != "mh") {
		report(n, ctx, fmt::format("{} only applies to sh scheduler - ignoring", n.keyword));
		return;
	}
	vs.*Flag = true;
}

template <bool VS::*Flag> void bareFlag(VS &vs, const Node &, BuildContext &)
{
	vs.*Flag = true;
}

void setPersistenceTimeout(VS &vs, const Node &n, BuildContext &ctx)
{
	if (n.args.empty()) {
		vs.persistenceTimeout = 360;
		return;
	}
	if (auto v = readUnsigned(n, ctx, 0, 1, 2678400))
		vs.persistenceTimeout = *v;
	else
		report(n, ctx, "persistence_timeout invalid");
}

// An IPv6 prefix length as a netmask.
IpAddress prefixMask(int length)
{
	IpAddress a;
	a.family = AF_INET6;
	for (int i = 0; i < 16; ++i) {
		int bits = std::clamp(length - i * 8, 0, 8);
		a.bytes[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(0xff00 >> bits);
	}
	return a;
}

void setGranularity(VS &vs, const Node &n, BuildContext &ctx)
{
	if (!requireArg(n, ctx))
		return;
	if (vs.family == AF_INET6) {
		if (auto len = readUnsigned(n, ctx, 0, 1, 128))
			vs.persistenceGranularity = prefixMask(static_cast<int>(*len));
		else
			report(n, ctx, fmt::format("Invalid IPv6 persistence_granularity specified - {}", n.args[0]));
		return;
	}
	in_addr mask{};
	if (::inet_aton(std::string(n.args[0]).c_str(), &mask) == 0) {
		report(n, ctx, fmt::format("Invalid IPv4 persistence_granularity specified - {}", n.args[0]));
		return;
	}
	vs.persistenceGranularity = IpAddress::v4(ntohl(mask.s_addr));
}

void setProtocol(VS &vs, const Node &n, BuildContext &ctx)
{
	if (!requireArg(n, ctx))
		return;
	std::string p(n.args[0]);
	for (char &c : p)
		c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
	if (p == "TCP")
		vs.protocol = LvsProtocol::kTcp;
	else if (p == "UDP")
		vs.protocol = LvsProtocol::kUdp;
	else if (p == "SCTP")
		vs.protocol = LvsProtocol::kSctp;
	else {
		report(n, ctx, fmt::format("Unknown protocol {} - ignoring", n.args[0]));
		return;
	}
	vs.given.set(lvs::kVsProtocol);
}

void setSorryServer(VS &vs, const Node &n, BuildContext &ctx)
{
	if (!requireArg(n, ctx))
		return;
	auto address = lvs::parseServerAddress(n.args[0]);
	std::optional<std::uint16_t> port = 0;
	if (address && n.args.size() > 1)
		port = lvs::readServerPort(n, ctx, 1);
	if (!address || !port) {
		report(n, ctx, fmt::format("Invalid sorry server IP address {} - skipping", n.args[0]));
		return;
	}
	SorryServer s;
	s.where = n.where;
	s.address = *address;
	s.port = *port;
	vs.sorryServer = s;
}

void setSorryForwarding(VS &vs, const Node &n, BuildContext &ctx)
{
	if (!vs.sorryServer) {
		report(n, ctx, "sorry_server forwarding used without sorry_server");
		return;
	}
	if (!requireArg(n, ctx))
		return;
	if (auto m = lvs::readForwarding(n, ctx, "sorry server")) {
		vs.sorryServer->forwarding = *m;
		vs.sorryServer->given.set(lvs::kSorryForwarding);
	}
}

void setQuorum(VS &vs, const Node &n, BuildContext &ctx)
{
	if (!requireArg(n, ctx))
		return;
	if (auto v = readUnsigned(n, ctx, 0, 1, UINT32_MAX)) {
		vs.quorum = *v;
		return;
	}
	report(n, ctx, fmt::format("Quorum {} must be in [1, 4294967295]. Setting to 1.", n.args[0]));
	vs.quorum = 1;
}

void setHysteresis(VS &vs, const Node &n, BuildContext &ctx)
{
	if (!requireArg(n, ctx))
		return;
	if (auto v = readUnsigned(n, ctx, 0, 0, UINT32_MAX))
		vs.hysteresis = *v;
	else
		report(n, ctx, fmt::format("Hysteresis {} must be in [0, 4294967295] - ignoring", n.args[0]));
}

template <BoxedOptional<Script> VS::*Field> void setQuorumScript(VS &vs, const Node &n, BuildContext &ctx)
{
	if (!requireArg(n, ctx))
		return;
	if (auto s = readScript(n, ctx, true)) {
		vs.*Field = *s;
		ctx.lvsScripts = true;
	}
}

// delay_loop, delay_before_retry, warmup, connect_timeout.
template <std::optional<double> CheckerDefaults::*Field, std::uint64_t Min, std::uint64_t Max>
void setTimer(VS &vs, const Node &n, BuildContext &ctx)
{
	if (!requireArg(n, ctx))
		return;
	if (auto v = readDecimal(n, ctx, 0, Min, Max)) {
		vs.defaults.*Field = *v;
		return;
	}
	if constexpr (Field == &CheckerDefaults::delayLoop)
		report(n, ctx, fmt::format("virtual server delay loop '{}' invalid - ignoring", n.args[0]));
	else if constexpr (Field == &CheckerDefaults::delayBeforeRetry)
		report(n, ctx, fmt::format("virtual server delay before retry '{}' invalid - ignoring", n.args[0]));
	else if constexpr (Field == &CheckerDefaults::warmup)
		report(n, ctx, fmt::format("virtual server warmup '{}' invalid - ignoring", n.args[0]));
	else
		report(n, ctx, fmt::format("virtual server connect_timeout {} invalid - ignoring", n.args[0]));
}

void setRetry(VS &vs, const Node &n, BuildContext &ctx)
{
	if (!requireArg(n, ctx))
		return;
	if (auto v = readUnsigned(n, ctx, 0, 1, UINT32_MAX))
		vs.defaults.retry = *v;
	else
		report(n, ctx, fmt::format("retry value invalid - {}", n.args[0]));
}

// Not in keepalived.conf(5): the default weight of the real servers.
void setWeight(VS &vs, const Node &n, BuildContext &ctx)
{
	if (!requireArg(n, ctx))
		return;
	if (auto v = readUnsigned(n, ctx, 0, 1, INT32_MAX))
		vs.weight = *v;
	else
		report(n, ctx, fmt::format("Virtual server weight {} is outside range 1-2147483647", n.args[0]));
}

void setFamily(VS &vs, const Node &n, BuildContext &ctx)
{
	if (!requireArg(n, ctx))
		return;
	int family = n.args[0] == "inet" ? AF_INET : n.args[0] == "inet6" ? AF_INET6 : 0;
	if (!family) {
		report(n, ctx, fmt::format("unknown address family {}", n.args[0]));
		return;
	}
	if (vs.family && vs.family != family) {
		report(n, ctx,
		       fmt::format("Virtual server specified family {} conflicts with server family", n.args[0]));
		return;
	}
	if (vs.kind != VirtualServerKind::kGroup)
		vs.family = family;
	vs.given.set(lvs::kVsFamily);
}

const KeywordTable<VS> &virtualServerTable()
{
	static const KeywordTable<VS> t{
	        {"delay_loop", setTimer<&CheckerDefaults::delayLoop, 1, lvs::kMaxTimerMicros>},
	        {"lb_algo", setScheduler},
	        {"lvs_sched", setScheduler},
	        {"lb_kind", setForwarding},
	        {"lvs_method", setForwarding},
	        {"ops", bareFlag<&VS::ops>},
	        {"flag-1", bareFlag<&VS::flag1>},
	        {"flag-2", bareFlag<&VS::flag2>},
	        {"flag-3", bareFlag<&VS::flag3>},
	        {"sh-fallback", schedulerFlag<&VS::flag1>},
	        {"sh-port", schedulerFlag<&VS::flag2>},
	        {"mh-fallback", schedulerFlag<&VS::flag1>},
	        {"mh-port", schedulerFlag<&VS::flag2>},
	        {"persistence_timeout", setPersistenceTimeout},
	        {"persistence_granularity", setGranularity},
	        {"persistence_engine",
	         [](VS &vs, const Node &n, BuildContext &ctx) {
		         if (requireArg(n, ctx))
			         vs.persistenceEngine = n.args[0];
	         }},
	        {"protocol", setProtocol},
	        {"ha_suspend", bareFlag<&VS::haSuspend>},
	        {"virtualhost",
	         [](VS &vs, const Node &n, BuildContext &ctx) {
		         if (n.args.empty())
			         report(n, ctx, "virtual server virtualhost missing");
		         else
			         vs.defaults.virtualhost = n.args[0];
	         }},
	        {"snmp_name",
	         [](VS &vs, const Node &n, BuildContext &ctx) {
		         if (n.args.size() != 1)
			         report(n, ctx, "virtual server snmp_name missing or extra parameters");
		         else
			         vs.snmpName = n.args[0];
	         }},
	        {"sorry_server", setSorryServer},
	        {"sorry_server_lvs_method", setSorryForwarding},
	        {"sorry_server_inhibit",
	         [](VS &vs, const Node &n, BuildContext &ctx) {
		         if (!vs.sorryServer)
			         report(n, ctx, "Ignoring sorry_server inhibit used before or without sorry_server");
		         else
			         vs.sorryServer->inhibit = true;
	         }},
	        {"alpha", bareFlag<&VS::alpha>},
	        {"omega", bareFlag<&VS::omega>},
	        {"quorum", setQuorum},
	        {"quorum_up", setQuorumScript<&VS::quorumUp>},
	        {"quorum_down", setQuorumScript<&VS::quorumDown>},
	        {"hysteresis", setHysteresis},
	        {"inhibit_on_failure", bareFlag<&VS::inhibitOnFailure>},
	        {"retry", setRetry},
	        {"delay_before_retry", setTimer<&CheckerDefaults::delayBeforeRetry, 0, lvs::kMaxTimerMicros>},
	        {"connect_timeout", setTimer<&CheckerDefaults::connectTimeout, 1, lvs::kMaxConnectTimeoutMicros>},
	        {"warmup", setTimer<&CheckerDefaults::warmup, 0, lvs::kMaxTimerMicros>},
	        {"ip_family", setFamily},
	        {"weight", setWeight},
	        {"smtp_alert",
	         [](VS &vs, const Node &n, BuildContext &ctx) {
		         if (auto v = lvs::boolArg(n))
			         vs.smtpAlert = *v;
		         else
			         report(n, ctx,
			                fmt::format("Invalid virtual_server smtp_alert parameter {}", n.args[0]));
	         }},
	        {"real_server", lvs::buildRealServer, &lvs::realServerSchema()},
	};
	return t;
}

// Reads the virtual_server line; false if keepalived skips the block.
bool readHead(VS &vs, const Node &node, BuildContext &ctx)
{
	if (!requireArg(node, ctx))
		return false;
	std::string_view first = node.args[0];
	if (first == "fwmark") {
		if (!requireArg(node, ctx, 1))
			return false;
		auto mark = readUnsigned(node, ctx, 1, 0, UINT32_MAX);
		if (!mark) {
			report(node, ctx,
			       fmt::format("virtual server fwmark '{}' must be in [0, 4294967295] - ignoring",
			                   node.args[1]));
			return false;
		}
		vs.kind = VirtualServerKind::kFwmark;
		vs.fwmark = *mark;
		vs.protocol = LvsProtocol::kNone;
		return true;
	}
	if (first == "group") {
		if (!requireArg(node, ctx, 1))
			return false;
		vs.kind = VirtualServerKind::kGroup;
		vs.group = node.args[1];
		return true;
	}
	auto address = lvs::parseServerAddress(first);
	std::optional<std::uint16_t> port = 0;
	if (address && node.args.size() > 1)
		port = lvs::readServerPort(node, ctx, 1);
	if (!address || !port) {
		if (node.args.size() > 1)
			report(node, ctx,
			       fmt::format("Invalid virtual server IP address/port {}/{} - skipping", first,
			                   node.args[1]));
		else
			report(node, ctx, fmt::format("Invalid virtual server IP address {} - skipping", first));
		return false;
	}
	vs.kind = VirtualServerKind::kAddress;
	vs.address = *address;
	vs.port = *port;
	vs.family = address->family;
	return true;
}

// The checks keepalived makes when the block closes.
void finishBlock(VS &vs, const Node &node, BuildContext &ctx)
{
	if (!vs.sorryServer)
		return;
	SorryServer &s = *vs.sorryServer;
	bool tunnelled =
	        (s.given.has(lvs::kSorryForwarding) ? s.forwarding : vs.forwarding).kind == ForwardingKind::kTun;
	if (tunnelled || vs.kind == VirtualServerKind::kGroup)
		return;
	if (!vs.family) {
		vs.family = s.address.family;
	} else if (vs.family != s.address.family) {
		ctx.diagnostics.error(lvs::blockEnd(node),
		                      fmt::format("Address family of virtual server and sorry server {} don't match - "
		                                  "skipping sorry server.",
		                                  s.address.str()));
		vs.sorryServer.reset();
	}
}

} // namespace

const parser::BlockSchema &virtualServerSchema()
{
	return virtualServerTable();
}

const parser::BlockSchema &virtualServerGroupSchema()
{
	return parser::valueListSchema();
}

void buildVirtualServer(Config &config, const parser::Node &node, BuildContext &ctx)
{
	if (lvs::stopped(ctx))
		return;
	// Built in place, as real servers are.
	VS &vs = config.lvs.virtualServers.emplace_back();
	vs.where = node.where;
	if (!readHead(vs, node, ctx) || !requireBlock(node, ctx)) {
		config.lvs.virtualServers.pop_back();
		return;
	}
	vs.defaults.delayLoop = 60;
	// Exactly the room needed: a large configuration has a hundred
	// thousand real servers. (Applying the block reads these nodes next, so
	// counting first costs little.)
	vs.realServers.reserve(static_cast<std::size_t>(std::ranges::count_if(
	        node.children, [](const parser::Node &n) { return n.keyword == "real_server"; })));
	lvs::applyStatements(virtualServerTable(), vs, node, ctx);
	if (lvs::stopped(ctx)) {
		config.lvs.virtualServers.pop_back();
		return;
	}
	finishBlock(vs, node, ctx);
	lvs::checkEarly(config, ctx);
}

} // namespace vigil::config
