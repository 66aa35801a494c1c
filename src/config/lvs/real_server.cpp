// real_server ADDR [PORT] { ... } inside a virtual_server.

#include <fmt/format.h>

#include "src/config/config.h"
#include "src/config/keyword_table.h"
#include "src/config/lvs/lvs_build.h"
#include "src/config/values.h"

namespace vigil::config::lvs {

namespace {

using parser::Node;

struct Target {
	VirtualServer &vs;
	RealServer &rs;
};

void setWeight(Target &t, const Node &n, BuildContext &ctx)
{
	if (!requireArg(n, ctx))
		return;
	if (auto v = readUnsigned(n, ctx, 0, 0, INT32_MAX)) {
		t.rs.weight = *v;
		t.rs.given.set(kRsWeight);
	} else {
		report(n, ctx, fmt::format("Real server weight {} is outside range 0-2147483647", n.args[0]));
	}
}

template <std::uint32_t RealServer::*Field> void setThreshold(Target &t, const Node &n, BuildContext &ctx)
{
	if (!requireArg(n, ctx))
		return;
	if (auto v = readUnsigned(n, ctx, 0, 0, UINT32_MAX))
		t.rs.*Field = *v;
	else
		report(n, ctx, fmt::format("Invalid real_server {} '{}' - ignoring", n.keyword, n.args[0]));
}

template <BoxedOptional<Script> RealServer::*Field> void setNotify(Target &t, const Node &n, BuildContext &ctx)
{
	if (!requireArg(n, ctx))
		return;
	if (auto s = readScript(n, ctx, true)) {
		t.rs.*Field = *s;
		ctx.lvsScripts = true;
	}
}

template <std::optional<double> CheckerDefaults::*Field, std::uint64_t Min, std::uint64_t Max>
void setTimer(Target &t, const Node &n, BuildContext &ctx)
{
	if (!requireArg(n, ctx))
		return;
	if (auto v = readDecimal(n, ctx, 0, Min, Max)) {
		t.rs.defaults.edit().*Field = *v;
		return;
	}
	if constexpr (Field == &CheckerDefaults::connectTimeout)
		report(n, ctx, fmt::format("real server connect_timeout {} invalid - ignoring", n.args[0]));
	else
		report(n, ctx, fmt::format("real server {} '{}' invalid - ignoring", n.keyword, n.args[0]));
}

void setForwarding(Target &t, const Node &n, BuildContext &ctx)
{
	if (!requireArg(n, ctx))
		return;
	if (auto m = readForwarding(n, ctx, "real server")) {
		t.rs.forwarding = *m;
		t.rs.given.set(kRsForwarding);
	}
}

void addChecker(Target &t, const Node &n, BuildContext &ctx)
{
	buildChecker(t.vs, t.rs, n, ctx, ctx.config);
}

const KeywordTable<Target> &realServerTable()
{
	static const KeywordTable<Target> t{
	        {"weight", setWeight},
	        {"inhibit_on_failure",
	         [](Target &t, const Node &n, BuildContext &ctx) {
		         if (auto v = boolArg(n)) {
			         t.rs.inhibitOnFailure = *v;
			         t.rs.given.set(kRsInhibit);
		         } else {
			         report(n, ctx, fmt::format("Invalid inhibit_on_failure parameter {}", n.args[0]));
		         }
	         }},
	        {"notify_up", setNotify<&RealServer::notifyUp>},
	        {"notify_down", setNotify<&RealServer::notifyDown>},
	        {"uthreshold", setThreshold<&RealServer::upperThreshold>},
	        {"lthreshold", setThreshold<&RealServer::lowerThreshold>},
	        {"lvs_method", setForwarding},
	        {"smtp_alert",
	         [](Target &t, const Node &n, BuildContext &ctx) {
		         if (auto v = boolArg(n))
			         t.rs.smtpAlert = *v;
		         else
			         report(n, ctx, fmt::format("Invalid real_server smtp_alert parameter {}", n.args[0]));
	         }},
	        {"delay_loop", setTimer<&CheckerDefaults::delayLoop, 1, kMaxTimerMicros>},
	        {"delay_before_retry", setTimer<&CheckerDefaults::delayBeforeRetry, 0, kMaxTimerMicros>},
	        {"warmup", setTimer<&CheckerDefaults::warmup, 0, kMaxTimerMicros>},
	        {"connect_timeout", setTimer<&CheckerDefaults::connectTimeout, 1, kMaxConnectTimeoutMicros>},
	        {"retry",
	         [](Target &t, const Node &n, BuildContext &ctx) {
		         if (!requireArg(n, ctx))
			         return;
		         if (auto v = readUnsigned(n, ctx, 0, 1, UINT32_MAX))
			         t.rs.defaults.edit().retry = *v;
		         else
			         report(n, ctx, fmt::format("retry value invalid - {}", n.args[0]));
	         }},
	        {"virtualhost",
	         [](Target &t, const Node &n, BuildContext &ctx) {
		         if (n.args.empty())
			         report(n, ctx, "real server virtualhost missing");
		         else
			         t.rs.defaults.edit().virtualhost = n.args[0];
	         }},
	        {"alpha",
	         [](Target &t, const Node &n, BuildContext &ctx) {
		         if (auto v = boolArg(n))
			         t.rs.defaults.edit().alpha = *v;
		         else
			         report(n, ctx, fmt::format("Invalid alpha parameter {}", n.args[0]));
	         }},
	        {"snmp_name",
	         [](Target &t, const Node &n, BuildContext &ctx) {
		         if (n.args.size() != 1)
			         report(n, ctx, "real server snmp_name missing or extra parameters");
		         else
			         t.rs.snmpName = n.args[0];
	         }},
	        {"TCP_CHECK", addChecker, &checkerSchema(CheckerType::kTcp)},
	        {"HTTP_GET", addChecker, &checkerSchema(CheckerType::kHttp)},
	        {"SSL_GET", addChecker, &checkerSchema(CheckerType::kSsl)},
	        {"MISC_CHECK", addChecker, &checkerSchema(CheckerType::kMisc)},
	        {"DNS_CHECK", addChecker, &checkerSchema(CheckerType::kDns)},
	        {"SMTP_CHECK", addChecker, &checkerSchema(CheckerType::kSmtp)},
	        {"UDP_CHECK", addChecker, &checkerSchema(CheckerType::kUdp)},
	        {"PING_CHECK", addChecker, &checkerSchema(CheckerType::kPing)},
	        {"FILE_CHECK", addChecker, &checkerSchema(CheckerType::kFile)},
	        {"BFD_CHECK", addChecker, &checkerSchema(CheckerType::kBfd)},
	};
	return t;
}

// keepalived checks the address family when the block closes: a real server
// that is not tunnelled must match the virtual server (whose family a fwmark
// service takes from its first such server).
bool familyMatches(VirtualServer &vs, const RealServer &rs, const Node &node, BuildContext &ctx)
{
	if (vs.kind == VirtualServerKind::kGroup)
		return true;
	const ForwardingMethod &m = rs.given.has(kRsForwarding) ? rs.forwarding : vs.forwarding;
	if (m.kind == ForwardingKind::kTun)
		return true;
	if (!vs.family) {
		vs.family = rs.address.family;
		return true;
	}
	if (vs.family == rs.address.family)
		return true;
	ctx.diagnostics.error(blockEnd(node), fmt::format("Address family of virtual server and real server {} don't "
	                                                  "match - skipping real server.",
	                                                  rs.address.str()));
	return false;
}

} // namespace

const parser::BlockSchema &realServerSchema()
{
	return realServerTable();
}

void buildRealServer(VirtualServer &vs, const parser::Node &node, BuildContext &ctx)
{
	if (!requireArg(node, ctx))
		return;
	auto address = parseServerAddress(node.args[0]);
	std::optional<std::uint16_t> port = 0;
	if (address && node.args.size() > 1)
		port = readServerPort(node, ctx, 1);
	if (!address || !port) {
		report(node, ctx,
		       fmt::format("Invalid real server ip address/port {}/{} - skipping", node.args[0],
		                   node.args.size() > 1 ? node.args[1] : std::string("(null)")));
		return;
	}
	// Built in place: a large configuration has hundreds of thousands of
	// these, and moving each one in costs as much as reading it.
	RealServer &rs = vs.realServers.emplace_back();
	rs.where = node.where;
	rs.address = *address;
	rs.port = *port;
	// keepalived keeps a real server whose '{' is missing, with its defaults.
	if (requireBlock(node, ctx)) {
		Target t{vs, rs};
		applyStatements(realServerTable(), t, node, ctx);
	}
	if (stopped(ctx) || !familyMatches(vs, rs, node, ctx))
		vs.realServers.pop_back();
}

} // namespace vigil::config::lvs
