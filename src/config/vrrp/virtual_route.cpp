// Route and rule lines of virtual_routes/static_routes and
// virtual_rules/static_rules. The syntax is ip-route(8)/ip-rule(8)'s; the
// options are kept as written (key and values) for the dump and the netlink
// layer, with the addresses, devices and tracking pulled out.
#include <algorithm>
#include <array>
#include <sys/socket.h>

#include "src/config/config.h"
#include "src/config/values.h"
#include "src/config/vrrp/vrrp_parse.h"

namespace vigil::config {

namespace vrrp_detail {

namespace {

using parser::Node;

constexpr std::array kRouteTypes = {"unicast", "blackhole", "unreachable", "prohibit",  "throw",
                                    "local",   "broadcast", "anycast",     "multicast", "nat"};
// Route metrics that take "[lock] VALUE".
constexpr std::array kLockable = {"mtu",  "hoplimit", "advmss",  "rtt",      "rttvar",   "reordering", "window",
                                  "cwnd", "ssthresh", "rto_min", "initcwnd", "initrwnd", "congctl"};
// Route options with one value.
constexpr std::array kRouteValued = {"table",
                                     "tos",
                                     "dsfield",
                                     "protocol",
                                     "scope",
                                     "metric",
                                     "priority",
                                     "preference",
                                     "realms",
                                     "features",
                                     "quickack",
                                     "pref",
                                     "fastopen_no_cookie",
                                     "vrf",
                                     "expires",
                                     "ttl-propagate",
                                     "nhid",
                                     "src",
                                     "from"};
constexpr std::array kRouteFlags = {"onlink", "pervasive", "append", "prepend"};

// Rule options with one value, and bare ones.
constexpr std::array kRuleValued = {"table",
                                    "lookup",
                                    "preference",
                                    "priority",
                                    "order",
                                    "goto",
                                    "tos",
                                    "dsfield",
                                    "fwmark",
                                    "realms",
                                    "iif",
                                    "iifname",
                                    "oif",
                                    "oifname",
                                    "uidrange",
                                    "protocol",
                                    "ip_proto",
                                    "ipproto",
                                    "sport",
                                    "dport",
                                    "suppress_prefixlength",
                                    "suppress_ifgroup",
                                    "type",
                                    "nat"};
constexpr std::array kRuleFlags = {"not", "l3mdev", "blackhole", "unreachable", "prohibit", "nop"};

template <std::size_t N> bool in(const std::array<const char *, N> &set, const std::string &w)
{
	return std::any_of(set.begin(), set.end(), [&w](const char *s) { return w == s; });
}

bool isTableName(const std::string &v)
{
	if (v == "main" || v == "local" || v == "default" || v == "unspec")
		return true;
	auto n = parseInteger(v);
	return n && *n >= 0 && *n <= 0xffffffffL;
}

// ADDR[/LEN], or "default"/"all" for the whole family.
std::optional<IpPrefix> parsePrefixWord(const std::string &w, int family)
{
	if (w == "default" || w == "all")
		return IpPrefix{family == AF_INET6 ? *IpAddress::parse("::") : IpAddress::v4(0), 0};
	return IpPrefix::parse(w);
}

// Records the family of an address and reports a mixture.
bool noteFamily(int &family, int other, const Node &line, BuildContext &ctx)
{
	if (family == 0 || family == other) {
		family = other;
		return true;
	}
	ctx.error(line, "Cannot mix IPv4 and IPv6 addresses for route");
	return false;
}

void checkRouteDev(const std::string &dev, const Node &line, BuildContext &ctx)
{
	if (!checkInterface(dev, ctx))
		ctx.warning(line, "WARNING - interface {} for VROUTE nexthop doesn't exist", dev);
}

// Reads "via [inet|inet6] ADDR" at w[i] (the "via"); returns false on error.
bool readVia(const std::vector<std::string> &w, std::size_t &i, std::optional<IpAddress> &via, int &family,
             const Node &line, BuildContext &ctx)
{
	if (i + 1 < w.size() && (w[i + 1] == "inet" || w[i + 1] == "inet6"))
		++i;
	if (i + 1 >= w.size()) {
		ctx.error(line, "No address specified for {}", w[i]);
		return false;
	}
	auto a = IpAddress::parse(w[++i]);
	if (!a) {
		ctx.error(line, "VRRP parsed invalid IP {}. skipping IP...", w[i]);
		return false;
	}
	if (!noteFamily(family, a->family, line, ctx))
		return false;
	via = a;
	return true;
}

} // namespace

std::optional<Route> parseRouteLine(const Node &line, BuildContext &ctx, bool isStatic)
{
	std::vector<std::string> w = lineWords(line);
	Route r;
	r.where = line.where;
	std::size_t i = 0;
	if (in(kRouteTypes, w[0])) {
		if (w[0] != "unicast")
			r.type = w[0];
		++i;
	}
	bool haveDest = false;
	Nexthop *nh = nullptr; // the nexthop being read, if any
	for (; i < w.size(); ++i) {
		const std::string &k = w[i];
		auto value = [&](std::size_t count = 1) -> bool {
			if (i + count >= w.size()) {
				ctx.error(line, "No value specified for route option {}", k);
				return false;
			}
			return true;
		};
		if (k == "inet6") {
			if (!noteFamily(r.family, AF_INET6, line, ctx))
				return std::nullopt;
		} else if (k == "to" || (!haveDest && !in(kRouteValued, k) && !in(kLockable, k) &&
		                         !in(kRouteFlags, k) && k != "via" && k != "gw" && k != "dev" && k != "oif" &&
		                         k != "nexthop" && k != "no_track" && k != "track_group" && k != "or")) {
			if (k == "to" && !value())
				return std::nullopt;
			const std::string &d = k == "to" ? w[++i] : k;
			auto p = parsePrefixWord(d, r.family);
			if (!p) {
				ctx.error(line, "VRRP parsed invalid IP {}. skipping IP...", d);
				ctx.error(line, "unknown route keyword {}", d);
				return std::nullopt;
			}
			if (d != "default" && !noteFamily(r.family, p->address.family, line, ctx))
				return std::nullopt;
			r.destination = *p;
			haveDest = true;
		} else if (k == "via" || k == "gw") {
			if (k == "gw")
				ctx.warning(line, "\"gw\" for routes is deprecated. Please use \"via\"");
			if (nh) {
				if (!readVia(w, i, nh->via, r.family, line, ctx))
					return std::nullopt;
			} else if (!readVia(w, i, r.via, r.family, line, ctx)) {
				return std::nullopt;
			}
		} else if (k == "or") {
			std::optional<IpAddress> alt;
			if (!readVia(w, i, alt, r.family, line, ctx))
				return std::nullopt;
			ctx.warning(line, "\"or\" for routes is deprecated. Please use \"nexthop\"");
			if (r.nexthops.empty() && r.via) {
				r.nexthops.push_back(Nexthop{r.via, "", {}});
				r.via.reset();
			}
			r.nexthops.push_back(Nexthop{alt, "", {}});
			nh = nullptr;
		} else if (k == "dev" || k == "oif") {
			if (!value())
				return std::nullopt;
			std::string &dev = nh ? nh->dev : r.dev;
			dev = w[++i];
			checkRouteDev(dev, line, ctx);
		} else if (k == "nexthop") {
			nh = &r.nexthops.emplace_back();
		} else if (nh && (k == "weight" || k == "realms")) {
			if (!value())
				return std::nullopt;
			nh->options.push_back({k, {w[i + 1]}});
			++i;
		} else if (nh && k == "onlink") {
			nh->options.push_back({k, {}});
		} else if (k == "no_track") {
			r.noTrack = true;
		} else if (k == "track_group" && isStatic) {
			if (!value())
				return std::nullopt;
			++i;
			bool found = false;
			for (const auto &o : ctx.config.opaque)
				found = found || (o.node().keyword == "track_group" && o.node().arg(0) == w[i]);
			if (found)
				r.trackGroup = w[i];
			else
				ctx.error(line, "track_group {} not found", w[i]);
		} else if (in(kLockable, k)) {
			if (!value())
				return std::nullopt;
			if (w[i + 1] == "lock") {
				if (!value(2))
					return std::nullopt;
				r.options.push_back({k, {"lock", w[i + 2]}});
				i += 2;
			} else {
				r.options.push_back({k, {w[++i]}});
			}
		} else if (in(kRouteValued, k)) {
			if (!value())
				return std::nullopt;
			const std::string &v = w[++i];
			if (k == "src" || k == "from") {
				auto p = k == "src" ? IpPrefix::parse(v) : parsePrefixWord(v, r.family);
				if (!p || (k == "src" && p->length != (p->address.isV4() ? 32 : 128))) {
					ctx.error(line, "VRRP parsed invalid IP {}. skipping IP...", v);
					return std::nullopt;
				}
				if (!noteFamily(r.family, p->address.family, line, ctx))
					return std::nullopt;
			} else if (k == "table" && !isTableName(v)) {
				ctx.error(line, "Routing table {} not found for route", v);
				return std::nullopt;
			} else if (k == "scope" && !parseScope(v)) {
				ctx.error(line, "Invalid scope {} for route", v);
				return std::nullopt;
			}
			r.options.push_back({k, {v}});
		} else if (in(kRouteFlags, k)) {
			r.options.push_back({k, {}});
		} else {
			ctx.error(line, "VRRP parsed invalid IP {}. skipping IP...", k);
			ctx.error(line, "unknown route keyword {}", k);
			return std::nullopt;
		}
	}
	if (!haveDest) {
		ctx.error(line, "No destination specified for route");
		return std::nullopt;
	}
	if (r.family == 0)
		r.family = AF_INET;
	for (auto &n : r.nexthops)
		if (n.via && n.via->family != r.family) {
			ctx.error(line, "Cannot mix IPv4 and IPv6 addresses for route");
			return std::nullopt;
		}
	if (r.dev.empty() && !r.noTrack) {
		ctx.warning(line, "Warning - cannot track route {} with no interface specified, not tracking",
		            r.destination.str());
		r.noTrack = true;
	}
	return r;
}

std::optional<Rule> parseRuleLine(const Node &line, BuildContext &ctx, bool isStatic)
{
	std::vector<std::string> w = lineWords(line);
	Rule r;
	r.where = line.where;
	bool fromAll = false, toAll = false;
	for (std::size_t i = 0; i < w.size(); ++i) {
		const std::string &k = w[i];
		bool hasValue = i + 1 < w.size();
		if (k == "inet6") {
			r.family = AF_INET6;
		} else if (k == "from" || k == "to") {
			if (!hasValue) {
				ctx.error(line, "No value specified for rule option {}", k);
				return std::nullopt;
			}
			const std::string &v = w[++i];
			if (v == "all") {
				(k == "from" ? fromAll : toAll) = true;
				continue;
			}
			auto p = IpPrefix::parse(v);
			if (!p) {
				ctx.error(line, "VRRP parsed invalid IP {}. skipping IP...", v);
				ctx.error(line, "Invalid rule {} address {}", k, v);
				return std::nullopt;
			}
			if (r.family && r.family != p->address.family) {
				ctx.error(line, "rule specification has mixed IPv4 and IPv6");
				return std::nullopt;
			}
			r.family = p->address.family;
			(k == "from" ? r.from : r.to) = p;
		} else if (k == "preference" || k == "priority" || k == "order") {
			if (!hasValue) {
				ctx.error(line, "No value specified for rule option {}", k);
				return std::nullopt;
			}
			auto v = parseInteger(w[++i]);
			if (!v || *v < 0 || *v > 0xffffffffL) {
				ctx.error(line, "Invalid rule preference {} specified", w[i]);
				return std::nullopt;
			}
			r.preference = *v;
		} else if (k == "no_track") {
			r.noTrack = true;
		} else if (k == "track_group" && isStatic) {
			if (!hasValue) {
				ctx.error(line, "No value specified for rule option {}", k);
				return std::nullopt;
			}
			++i;
			bool found = false;
			for (const auto &o : ctx.config.opaque)
				found = found || (o.node().keyword == "track_group" && o.node().arg(0) == w[i]);
			if (found)
				r.trackGroup = w[i];
			else
				ctx.error(line, "track_group {} not found", w[i]);
		} else if (in(kRuleValued, k)) {
			if (!hasValue) {
				ctx.error(line, "No value specified for rule option {}", k);
				return std::nullopt;
			}
			const std::string &v = w[++i];
			if ((k == "table" || k == "lookup") && !isTableName(v)) {
				ctx.error(line, "Routing table {} not found for rule", v);
				return std::nullopt;
			}
			if ((k == "iif" || k == "iifname" || k == "oif" || k == "oifname") && !checkInterface(v, ctx))
				ctx.warning(line, "WARNING - interface {} for rule doesn't exist", v);
			r.options.push_back({k == "lookup" ? "table" : k, {v}});
		} else if (in(kRuleFlags, k)) {
			r.options.push_back({k, {}});
		} else {
			ctx.error(line, "Unknown rule option {}", k);
			return std::nullopt;
		}
	}
	if (r.family == 0)
		r.family = AF_INET;
	if (fromAll && !r.from)
		r.from = parsePrefixWord("all", r.family);
	if (toAll && !r.to)
		r.to = parsePrefixWord("all", r.family);
	if (r.preference < 0) {
		long &next = r.family == AF_INET6 ? ctx.config.vrrp.nextRulePreference6
		                                  : ctx.config.vrrp.nextRulePreference4;
		r.preference = next--;
		ctx.warning(line,
		            "Rule has no preference specified - setting to {}. This is probably not what you want.",
		            r.preference);
	}
	return r;
}

std::vector<std::string> routeWords(const Route &r)
{
	std::vector<std::string> w;
	if (!r.type.empty())
		w.push_back(r.type);
	// The destination's family is the route's: keepalived takes no "inet6"
	// before it.
	w.push_back(r.destination.str());
	if (r.via)
		w.insert(w.end(), {"via", r.via->str()});
	if (!r.dev.empty())
		w.insert(w.end(), {"dev", r.dev});
	for (const auto &o : r.options) {
		w.push_back(o.key);
		w.insert(w.end(), o.values.begin(), o.values.end());
	}
	// keepalived reads nothing after the nexthops.
	if (r.noTrack)
		w.push_back("no_track");
	if (!r.trackGroup.empty())
		w.insert(w.end(), {"track_group", r.trackGroup});
	for (const auto &n : r.nexthops) {
		w.push_back("nexthop");
		if (n.via)
			w.insert(w.end(), {"via", n.via->str()});
		if (!n.dev.empty())
			w.insert(w.end(), {"dev", n.dev});
		for (const auto &o : n.options) {
			w.push_back(o.key);
			w.insert(w.end(), o.values.begin(), o.values.end());
		}
	}
	return w;
}

std::vector<std::string> ruleWords(const Rule &r)
{
	std::vector<std::string> w;
	// keepalived reads no "inet6" in a rule; an IPv6 prefix says it.
	if (r.from)
		w.insert(w.end(), {"from", r.from->str()});
	else if (!r.to && r.family == AF_INET6)
		w.insert(w.end(), {"from", "::/0"});
	if (r.to)
		w.insert(w.end(), {"to", r.to->str()});
	w.insert(w.end(), {"preference", std::to_string(r.preference)});
	for (const auto &o : r.options) {
		w.push_back(o.key);
		w.insert(w.end(), o.values.begin(), o.values.end());
	}
	if (r.noTrack)
		w.push_back("no_track");
	if (!r.trackGroup.empty())
		w.insert(w.end(), {"track_group", r.trackGroup});
	return w;
}

} // namespace vrrp_detail

void buildStaticRoutes(Config &config, const parser::Node &node, BuildContext &ctx)
{
	if (!requireBlock(node, ctx))
		return;
	for (const parser::Node &line : node.children)
		if (auto r = vrrp_detail::parseRouteLine(line, ctx, true))
			config.vrrp.staticRoutes.push_back(std::move(*r));
}

void buildStaticRules(Config &config, const parser::Node &node, BuildContext &ctx)
{
	if (!requireBlock(node, ctx))
		return;
	for (const parser::Node &line : node.children)
		if (auto r = vrrp_detail::parseRuleLine(line, ctx, true))
			config.vrrp.staticRules.push_back(std::move(*r));
}

} // namespace vigil::config
