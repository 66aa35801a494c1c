// Address lines of virtual_ipaddress, virtual_ipaddress_excluded and
// static_ipaddress, parsed and reported as keepalived does.
#include <sys/socket.h>

#include "src/config/config.h"
#include "src/config/config_writer.h"
#include "src/config/values.h"
#include "src/config/vrrp/vrrp_parse.h"

namespace vigil::config {

bool VirtualAddress::operator==(const VirtualAddress &o) const
{
	return prefix == o.prefix && broadcast == o.broadcast && dev == o.dev && scope == o.scope && label == o.label &&
	       peer == o.peer && home == o.home && noDad == o.noDad && mngTmpAddr == o.mngTmpAddr &&
	       noPrefixRoute == o.noPrefixRoute && autoJoin == o.autoJoin && noTrack == o.noTrack &&
	       useVmac == o.useVmac && trackGroup == o.trackGroup && preferredLft == o.preferredLft;
}

namespace vrrp_detail {

namespace {

constexpr std::size_t kMaxLabel = 15; // IFNAMSIZ - 1

// "+": all host bits set; "-": all clear.
IpAddress broadcastFor(const IpPrefix &p, bool set)
{
	IpAddress a = p.address;
	int width = a.isV4() ? 32 : 128;
	for (int bit = p.length; bit < width; ++bit) {
		auto &byte = a.bytes[static_cast<std::size_t>(bit / 8)];
		auto mask = static_cast<std::uint8_t>(0x80 >> (bit % 8));
		byte = set ? static_cast<std::uint8_t>(byte | mask) : static_cast<std::uint8_t>(byte & ~mask);
	}
	return a;
}

bool trackGroupExists(const Config &config, std::string_view name)
{
	for (const auto &o : config.opaque)
		if (o.node().keyword == "track_group" && o.node().arg(0) == name)
			return true;
	return false;
}

} // namespace

std::optional<VirtualAddress> parseAddressLine(const parser::Node &line, BuildContext &ctx, bool isStatic)
{
	VirtualAddress a;
	a.where = line.where;
	std::string_view text = line.keyword;
	std::size_t slash = text.find('/');
	std::string addrText(text.substr(0, slash));
	auto addr = IpAddress::parse(addrText);
	if (!addr) {
		ctx.error(line, "VRRP parsed invalid IP {}. skipping IP...", text);
		return std::nullopt;
	}
	int width = addr->isV4() ? 32 : 128;
	a.prefix = IpPrefix{*addr, width};
	if (slash != std::string::npos && slash + 1 < text.size()) {
		std::string len(text.substr(slash + 1));
		auto v = parseInteger(len);
		if (!v || len[0] == '+' || len[0] == '-') {
			ctx.error(line, "invalid number '{}'", len);
			ctx.error(line, "Invalid address prefix len {} for address {} - using {}", len, text, width);
		} else if (*v > width) {
			ctx.error(line, "number '{}' outside range [0, {}]", len, width);
			ctx.error(line, "Invalid address prefix len {} for address {} - using {}", len, text, width);
		} else {
			a.prefix.length = static_cast<int>(*v);
		}
	}

	std::optional<std::string> brd; // resolved once the whole line is read
	const auto &w = line.args;
	for (std::size_t i = 0; i < w.size(); ++i) {
		std::string_view k = w[i];
		auto value = [&]() -> const std::string_view * {
			if (i + 1 >= w.size()) {
				ctx.error(line, "No {} parameter specified for {}", k, text);
				return nullptr;
			}
			return &w[++i];
		};
		if (k == "dev") {
			auto v = value();
			if (!v)
				return std::nullopt;
			a.dev = *v;
			if (!checkInterface(a.dev, ctx))
				ctx.warning(line, "WARNING - interface {} for ip address {} doesn't exist", a.dev,
				            addrText);
		} else if (k == "brd" || k == "broadcast") {
			auto v = value();
			if (!v)
				return std::nullopt;
			brd = *v;
		} else if (k == "scope") {
			auto v = value();
			if (!v)
				return std::nullopt;
			if (auto s = parseScope(*v))
				a.scope = *s;
			else
				ctx.error(line, "Invalid scope '{}' specified for {} - ignoring", *v, addrText);
		} else if (k == "label") {
			auto v = value();
			if (!v)
				return std::nullopt;
			if (v->size() > kMaxLabel) {
				ctx.error(line, "Address label {} is longer than maximum length {} - removing address",
				          *v, kMaxLabel);
				return std::nullopt;
			}
			a.label = *v;
		} else if (k == "peer") {
			auto v = value();
			if (!v)
				return std::nullopt;
			auto p = IpAddress::parse(*v);
			if (!p) {
				ctx.error(line, "VRRP parsed invalid IP {}. skipping IP...", *v);
				ctx.error(line, "Invalid peer address {}", *v);
			} else if (p->family != addr->family) {
				ctx.error(line, "Peer address {} does not match address family", *v);
			} else {
				a.peer = p;
			}
		} else if (k == "preferred_lft") {
			auto v = value();
			if (!v)
				return std::nullopt;
			if (*v == "forever") {
				a.preferredLft = *v;
			} else if (auto n = parseInteger(*v); n && *n >= 0 && (*v)[0] != '+') {
				a.preferredLft = std::to_string(*n);
			} else {
				ctx.error(line, "invalid number '{}'", *v);
				ctx.error(line, "preferred_lft {} is invalid", *v);
			}
		} else if (k == "home") {
			a.home = true;
		} else if (k == "-nodad") {
			a.noDad = true;
		} else if (k == "mngtmpaddr") {
			a.mngTmpAddr = true;
		} else if (k == "noprefixroute") {
			a.noPrefixRoute = true;
		} else if (k == "autojoin") {
			a.autoJoin = true;
		} else if (k == "no_track" && !isStatic) {
			a.noTrack = true;
		} else if (k == "use_vmac" && !isStatic) {
			a.useVmac = true;
		} else if (k == "track_group" && isStatic) {
			auto v = value();
			if (!v)
				return std::nullopt;
			if (trackGroupExists(ctx.config, *v))
				a.trackGroup = *v;
			else
				ctx.error(line, "track_group {} not found", *v);
		} else {
			ctx.error(line, "Unknown configuration entry '{}' for ip address - ignoring", k);
		}
	}

	if (brd) {
		if (addr->isV6()) {
			ctx.error(line,
			          "VRRP is trying to assign a broadcast {} to the IPv6 address {} !!?? WTF... skipping "
			          "VIP...",
			          *brd == "+" || *brd == "-" ? std::string("brd") : *brd, text);
			return std::nullopt;
		}
		if (*brd == "+" || *brd == "-") {
			a.broadcast = broadcastFor(a.prefix, *brd == "+");
		} else if (auto b = IpAddress::parse(*brd); b && b->isV4()) {
			a.broadcast = b;
		} else {
			ctx.error(line, "VRRP is trying to assign invalid broadcast {}. skipping VIP...", *brd);
			return std::nullopt;
		}
	}
	return a;
}

std::vector<std::string> addressWords(const VirtualAddress &a)
{
	std::vector<std::string> w{a.prefix.str()};
	auto add = [&w](const char *k, const std::string &v) {
		w.push_back(k);
		w.push_back(v);
	};
	if (a.broadcast)
		add("brd", a.broadcast->str());
	if (!a.dev.empty())
		add("dev", a.dev);
	add("scope", a.scope);
	if (!a.label.empty())
		add("label", a.label);
	if (a.peer)
		add("peer", a.peer->str());
	if (a.home)
		w.push_back("home");
	if (a.noDad)
		w.push_back("-nodad");
	if (a.mngTmpAddr)
		w.push_back("mngtmpaddr");
	if (a.noPrefixRoute)
		w.push_back("noprefixroute");
	if (a.autoJoin)
		w.push_back("autojoin");
	if (a.noTrack)
		w.push_back("no_track");
	if (a.useVmac)
		w.push_back("use_vmac");
	if (!a.trackGroup.empty())
		add("track_group", a.trackGroup);
	if (!a.preferredLft.empty())
		add("preferred_lft", a.preferredLft);
	return w;
}

} // namespace vrrp_detail

void buildStaticAddresses(Config &config, const parser::Node &node, BuildContext &ctx)
{
	if (!requireBlock(node, ctx))
		return;
	for (const parser::Node &line : node.children)
		if (auto a = vrrp_detail::parseAddressLine(line, ctx, true))
			config.vrrp.staticAddresses.push_back(std::move(*a));
}

} // namespace vigil::config
