// End-of-configuration checks of virtual servers, in keepalived's order and
// words, and the resolution of inherited values.

#include <algorithm>
#include <arpa/inet.h>
#include <fmt/format.h>

#include "src/config/config.h"
#include "src/config/lvs/lvs_build.h"

namespace vigil::config {

std::string_view protocolKeyword(LvsProtocol protocol)
{
	switch (protocol) {
	case LvsProtocol::kTcp:
		return "TCP";
	case LvsProtocol::kUdp:
		return "UDP";
	case LvsProtocol::kSctp:
		return "SCTP";
	case LvsProtocol::kNone:
		break;
	}
	return "";
}

std::string_view protocolLower(LvsProtocol protocol)
{
	switch (protocol) {
	case LvsProtocol::kTcp:
		return "tcp";
	case LvsProtocol::kUdp:
		return "udp";
	case LvsProtocol::kSctp:
		return "sctp";
	case LvsProtocol::kNone:
		break;
	}
	return "none";
}

VirtualServerKey VirtualServer::key() const
{
	VirtualServerKey k;
	k.kind = kind;
	switch (kind) {
	case VirtualServerKind::kAddress:
		k.address = address;
		k.port = port;
		k.protocol = protocol;
		break;
	case VirtualServerKind::kFwmark:
		k.fwmark = fwmark;
		k.family = family;
		break;
	case VirtualServerKind::kGroup:
		k.group = group;
		k.protocol = protocol;
		break;
	}
	return k;
}

std::string VirtualServer::name() const
{
	switch (kind) {
	case VirtualServerKind::kFwmark:
		return fmt::format("FWM {}", fwmark);
	case VirtualServerKind::kGroup:
		return fmt::format("[{}]:0", group);
	case VirtualServerKind::kAddress:
		break;
	}
	LvsProtocol p = given.has(lvs::kVsProtocol) ? protocol : LvsProtocol::kNone;
	return fmt::format("[{}]:{}:{}", address.str(), protocolLower(p), port);
}

namespace lvs {

namespace {

void warn(BuildContext &ctx, std::string message)
{
	ctx.diagnostics.warning(parser::Location{}, std::move(message));
}

// A fwmark service: keepalived ignores the protocol and real server ports.
bool fwmarkOnly(const VirtualServer &vs, const VirtualServerGroup *group)
{
	if (vs.kind == VirtualServerKind::kFwmark)
		return true;
	return group && group->hasFwmark() && !group->hasFamily(AF_INET) && !group->hasFamily(AF_INET6);
}

// The single address family of a group's entries (a fwmark without family
// fits any; fwmarks alone are IPv4), or 0 when it mixes families.
int groupFamily(const VirtualServerGroup &g)
{
	bool v4 = false, v6 = false;
	for (const auto &e : g.entries) {
		int f = e.isFwmark ? e.family : e.first.family;
		v4 |= f == AF_INET;
		v6 |= f == AF_INET6;
	}
	return v4 && v6 ? 0 : v6 ? AF_INET6 : AF_INET;
}

// keepalived makes its group checks (fwmark protocol, ports) only when the
// group has one address family and the (first) real server has it too; this
// reproduces what keepalived -t reports for mixed-family groups.
bool groupChecked(const VirtualServer &vs, const VirtualServerGroup *group)
{
	if (!group)
		return true;
	int f = groupFamily(*group);
	return f != 0 && !vs.realServers.empty() && vs.realServers.front().address.family == f;
}

void checkZeroPort(VirtualServer &vs, const VirtualServerGroup *group, BuildContext &ctx)
{
	bool zero = vs.kind == VirtualServerKind::kAddress && vs.port == 0;
	if (group)
		for (const auto &e : group->entries)
			zero |= !e.isFwmark && e.port == 0;
	if (zero && !vs.persistenceTimeout) {
		warn(ctx, fmt::format("Virtual server {}: zero port only valid for persistent services - setting",
		                      vs.name()));
		vs.persistenceTimeout = 360;
	}
}

// keepalived walks the real servers once: a duplicate is removed, any other
// server without a forwarding method takes the virtual server's, which
// defaults to NAT (with a warning) the first time it is needed.
void checkRealServers(VirtualServer &vs, BuildContext &ctx)
{
	auto inherit = [&](ForwardingMethod &m, bool given) {
		if (given)
			return;
		if (!vs.given.has(kVsForwarding)) {
			warn(ctx, fmt::format("Virtual server {}: no forwarding method set, setting default NAT",
			                      vs.name()));
			vs.given.set(kVsForwarding);
		}
		m = vs.forwarding;
	};
	if (vs.sorryServer)
		inherit(vs.sorryServer->forwarding, vs.sorryServer->given.has(kSorryForwarding));
	// Kept servers are compacted in place; a duplicate is found through
	// the sorted keys of the servers before it.
	std::vector<RealServerKey> seen;
	seen.reserve(vs.realServers.size());
	std::size_t kept = 0;
	for (std::size_t i = 0; i < vs.realServers.size(); ++i) {
		RealServer &rs = vs.realServers[i];
		RealServerKey key = rs.key();
		auto at = std::lower_bound(seen.begin(), seen.end(), key);
		if (at != seen.end() && *at == key) {
			warn(ctx, fmt::format("VS {}: real server {} is duplicated - removing second rs", vs.name(),
			                      realServerName(vs, rs)));
			continue;
		}
		seen.insert(at, key);
		inherit(rs.forwarding, rs.given.has(kRsForwarding));
		rs.given.set(kRsForwarding);
		if (!rs.given.has(kRsInhibit))
			rs.inhibitOnFailure = vs.inhibitOnFailure;
		if (!rs.given.has(kRsWeight) && vs.weight)
			rs.weight = *vs.weight;
		if (kept != i)
			vs.realServers[kept] = std::move(rs);
		++kept;
	}
	vs.realServers.erase(vs.realServers.begin() + static_cast<std::ptrdiff_t>(kept), vs.realServers.end());
}

void checkQuorum(VirtualServer &vs, BuildContext &ctx)
{
	std::uint64_t total = 0;
	for (const RealServer &rs : vs.realServers)
		total += rs.weight;
	if (vs.quorum > total) {
		std::string name = vs.name();
		warn(ctx, fmt::format("Warning - quorum {} for {} exceeds total weight of real servers {}, reducing "
		                      "quorum to {}",
		                      vs.quorum, name, total, total));
		vs.quorum = static_cast<std::uint32_t>(total);
	}
	if (vs.hysteresis >= vs.quorum) {
		std::uint32_t h = vs.quorum - 1; // keepalived's unsigned arithmetic: 0 - 1 wraps
		warn(ctx, fmt::format("Virtual server {}: hysteresis {} >= quorum {}; setting hysteresis to {}",
		                      vs.name(), vs.hysteresis, vs.quorum, h));
		vs.hysteresis = h;
	}
}

std::string entryName(const VsgEntry &e)
{
	if (e.first == e.last)
		return fmt::format("[{},{}]", e.first.str(), e.port);
	return fmt::format("[{}-{},{}]", e.first.str(), e.last.str(), e.port);
}

void checkPorts(VirtualServer &vs, const VirtualServerGroup *group, BuildContext &ctx)
{
	bool fwmark = vs.kind == VirtualServerKind::kFwmark;
	for (RealServer &rs : vs.realServers) {
		bool nat = rs.forwarding.kind == ForwardingKind::kNat;
		if (fwmark) {
			if (!nat && rs.port) {
				warn(ctx,
				     fmt::format(
				             "WARNING - fwmark virtual server {}, real server {} has port specified "
				             "- clearing",
				             vs.name(), realServerName(vs, rs)));
				rs.port = 0;
			}
		} else if (vs.kind == VirtualServerKind::kAddress) {
			if (!nat && rs.port && rs.port != vs.port)
				warn(ctx,
				     fmt::format("WARNING - virtual server {} and real server {} ports don't match - "
				                 "resetting",
				                 vs.name(), realServerName(vs, rs)));
			if (!nat || !rs.port)
				rs.port = vs.port;
		} else if (group && !nat && rs.port) {
			if (group->hasFwmark())
				warn(ctx,
				     fmt::format(
				             "WARNING - fwmark virtual server {}, real server {} has port specified "
				             "- port will be ignored",
				             vs.name(), realServerName(vs, rs)));
			for (const VsgEntry &e : group->entries)
				if (!e.isFwmark && e.port != rs.port)
					warn(ctx,
					     fmt::format("virtual server {}:{} and real server {} ports don't match",
					                 vs.name(), entryName(e), realServerName(vs, rs)));
		}
	}
	if (!vs.sorryServer || vs.sorryServer->forwarding.kind == ForwardingKind::kNat || !vs.sorryServer->port)
		return;
	if (fwmark) {
		warn(ctx,
		     fmt::format("WARNING - virtual server {}, sorry server has port specified - clearing", vs.name()));
		vs.sorryServer->port = 0;
	} else if (vs.kind == VirtualServerKind::kAddress && vs.sorryServer->port != vs.port) {
		warn(ctx, fmt::format("WARNING - virtual server {} and sorry server ports don't match - resetting",
		                      vs.name()));
		vs.sorryServer->port = vs.port;
	}
}

template <class V> V pick(bool given, V own, const std::optional<V> &rs, const std::optional<V> &vs, V fallback)
{
	if (given)
		return own;
	if (rs)
		return *rs;
	if (vs)
		return *vs;
	return fallback;
}

void resolveEndpoint(CheckerEndpoint &e, const IpAddress &ip, std::uint16_t port)
{
	if (!e.given.has(kCkConnectIp))
		e.connectIp = ip;
	if (!e.given.has(kCkConnectPort))
		e.connectPort = port;
}

void resolveChecker(const VirtualServer &vs, const RealServer &rs, Checker &c)
{
	const CheckerDefaults &r = rs.defaults.get();
	const CheckerDefaults &v = vs.defaults;
	auto has = [&c](unsigned bit) { return c.given.has(bit); };
	bool httpLike = c.type == CheckerType::kHttp || c.type == CheckerType::kSsl;
	c.delayLoop = pick(has(kCkDelayLoop), c.delayLoop, r.delayLoop, v.delayLoop, 60.0);
	c.connectTimeout = pick(has(kCkConnectTimeout), c.connectTimeout, r.connectTimeout, v.connectTimeout, 5.0);
	std::uint32_t retry = c.type == CheckerType::kDns ? 3 : c.type == CheckerType::kMisc ? 0 : 1;
	c.retry = pick(has(kCkRetry), c.retry, r.retry, v.retry, retry);
	double delay = httpLike ? 3.0 : c.type == CheckerType::kDns ? c.delayLoop : 1.0;
	c.delayBeforeRetry =
	        pick(has(kCkDelayBeforeRetry), c.delayBeforeRetry, r.delayBeforeRetry, v.delayBeforeRetry, delay);
	c.warmup = pick(has(kCkWarmup), c.warmup, r.warmup, v.warmup, c.delayLoop);
	c.alpha = pick(has(kCkAlpha), c.alpha, r.alpha, std::optional<bool>(vs.alpha), false);
	if (c.type != CheckerType::kMisc && c.type != CheckerType::kFile && c.type != CheckerType::kBfd) {
		resolveEndpoint(c.endpoint, rs.address, rs.port);
		if (auto *smtp = std::get_if<SmtpCheck>(&c.detail))
			for (CheckerEndpoint &host : smtp->hosts)
				resolveEndpoint(host, c.endpoint.connectIp, c.endpoint.connectPort);
	}
	if (auto *http = std::get_if<HttpCheck>(&c.detail)) {
		http->virtualhost = pick(http->given.has(kCkVirtualhost), http->virtualhost, r.virtualhost,
		                         v.virtualhost, std::string());
		for (HttpUrl &u : http->urls)
			if (!u.given.has(kCkVirtualhost))
				u.virtualhost = http->virtualhost;
	}
}

} // namespace

bool validateVirtualServer(VirtualServer &vs, const Config &config, BuildContext &ctx)
{
	const VirtualServerGroup *group = nullptr;
	if (vs.kind == VirtualServerKind::kGroup) {
		group = config.lvs.findGroup(vs.group);
		// keepalived -t says nothing; the service would have no addresses.
		if (!group) {
			ctx.diagnostics.note(vs.where, fmt::format("virtual_server_group {} is not defined - ignoring "
			                                           "virtual server",
			                                           vs.group));
			return false;
		}
	}
	if (vs.realServers.empty()) {
		warn(ctx, fmt::format("Virtual server {} has no real servers - ignoring", vs.name()));
		return false;
	}
	bool checked = groupChecked(vs, group);
	if (fwmarkOnly(vs, group)) {
		if (vs.given.has(kVsProtocol) && checked)
			warn(ctx,
			     fmt::format("Warning: Virtual server {}: protocol specified for fwmark - protocol will be "
			                 "ignored",
			                 vs.name()));
		vs.protocol = LvsProtocol::kNone;
		vs.given.set(kVsProtocol);
	} else {
		if (!vs.given.has(kVsProtocol)) {
			warn(ctx, fmt::format("Virtual server {}: no protocol set - defaulting to UDP", vs.name()));
			vs.protocol = LvsProtocol::kUdp;
			vs.given.set(kVsProtocol);
		}
		if (vs.ops && vs.protocol != LvsProtocol::kUdp) {
			warn(ctx, fmt::format("Virtual server {}: one packet scheduling requires UDP - resetting",
			                      vs.name()));
			vs.ops = false;
		}
		if (checked)
			checkZeroPort(vs, group, ctx);
	}
	if (!vs.given.has(kVsScheduler))
		warn(ctx, fmt::format("Virtual server {}: no scheduler set, setting default 'wlc'", vs.name()));
	checkRealServers(vs, ctx);
	checkQuorum(vs, ctx);
	if (checked)
		checkPorts(vs, group, ctx);
	if (vs.kind == VirtualServerKind::kFwmark && !vs.family)
		vs.family = AF_INET;
	return true;
}

void resolveCheckers(VirtualServer &vs)
{
	for (RealServer &rs : vs.realServers)
		for (Checker &c : rs.checkers)
			resolveChecker(vs, rs, c);
}

void checkEarly(Config &config, BuildContext &ctx)
{
	VirtualServer &vs = config.lvs.virtualServers.back();
	// A group may be defined after the virtual server that uses it.
	if (vs.kind == VirtualServerKind::kGroup)
		return;
	std::size_t index = config.lvs.virtualServers.size() - 1;
	parser::Diagnostics found;
	BuildContext local{found, ctx.system, ctx.config};
	bool keep = validateVirtualServer(vs, config, local);
	if (keep)
		resolveCheckers(vs);
	if (ctx.virtualServerChecks.size() <= index)
		ctx.virtualServerChecks.resize(index + 1);
	ctx.virtualServerChecks[index] = BuildContext::EarlyCheck{keep, found.take(0)};
}

} // namespace lvs

void validateLvs(Config &config, BuildContext &ctx)
{
	if (lvs::stopped(ctx))
		return;
	auto &all = config.lvs.virtualServers;
	std::size_t kept = 0;
	for (std::size_t i = 0; i < all.size(); ++i) {
		bool keep;
		if (i < ctx.virtualServerChecks.size() && ctx.virtualServerChecks[i]) {
			BuildContext::EarlyCheck &early = *ctx.virtualServerChecks[i];
			keep = early.keep;
			ctx.diagnostics.merge(std::move(early.findings), ctx.diagnostics.size());
		} else {
			keep = lvs::validateVirtualServer(all[i], config, ctx);
			if (keep)
				lvs::resolveCheckers(all[i]);
		}
		if (!keep)
			continue;
		if (kept != i)
			all[kept] = std::move(all[i]);
		++kept;
	}
	all.erase(all.begin() + static_cast<std::ptrdiff_t>(kept), all.end());
}

} // namespace vigil::config
