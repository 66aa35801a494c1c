// The block-shaped and multi-word keywords of vrrp_instance: addresses,
// unicast peers, authentication, interface, use_vmac, version.
#include <algorithm>
#include <sys/socket.h>

#include "src/config/config.h"
#include "src/config/values.h"
#include "src/config/vrrp/vrrp_instance_build.h"
#include "src/config/vrrp/vrrp_parse.h"

namespace vigil::config::vrrp_detail {

using parser::Node;
using B = InstanceBuild;

std::string owner(const B &b)
{
	return "(" + b.vi.name + ")";
}

bool matchFamily(B &b, int family)
{
	if (b.vi.family == 0)
		b.vi.family = family;
	return b.vi.family == family;
}

void readAddresses(B &b, const Node &n, BuildContext &ctx, bool excluded)
{
	if (!requireBlock(n, ctx))
		return;
	for (const Node &line : n.children) {
		auto a = parseAddressLine(line, ctx, false);
		if (!a)
			continue;
		if (!excluded && !matchFamily(b, a->prefix.address.family)) {
			ctx.error(line, "{}: address family must match VRRP instance [{}] - ignoring", owner(b),
			          a->prefix.address.str());
			continue;
		}
		(excluded ? b.vi.excludedVips : b.vi.vips).push_back(std::move(*a));
	}
}

void readSrcIp(B &b, const Node &n, BuildContext &ctx)
{
	if (n.keyword == "unicast_src_ip")
		b.vi.unicastKeyword = true;
	if (n.args.empty()) {
		readInt(n, ctx, 0, 0, 0); // reports the missing parameter
		return;
	}
	auto a = IpAddress::parse(n.args[0]);
	if (!a) {
		ctx.error(n, "Configuration error: VRRP instance[{}] malformed src address[{}]. Skipping...", b.vi.name,
		          n.args[0]);
		return;
	}
	if (!matchFamily(b, a->family)) {
		ctx.error(n,
		          "Configuration error: VRRP instance[{}] and src address[{}] MUST be of the same family "
		          "!!! Skipping...",
		          b.vi.name, n.args[0]);
		return;
	}
	b.vi.srcIp = a;
}

void readUnicastPeers(B &b, const Node &n, BuildContext &ctx)
{
	b.vi.unicastKeyword = true;
	if (!requireBlock(n, ctx))
		return;
	for (const Node &line : n.children) {
		auto a = IpAddress::parse(line.keyword);
		if (!a) {
			ctx.error(line,
			          "Configuration error: VRRP instance[{}] malformed unicast peer address[{}]. "
			          "Skipping...",
			          b.vi.name, line.keyword);
			continue;
		}
		if (!matchFamily(b, a->family)) {
			ctx.error(line,
			          "Configuration error: VRRP instance[{}] and unicast peer address[{}] MUST be of "
			          "the same family !!! Skipping...",
			          b.vi.name, line.keyword);
			continue;
		}
		UnicastPeer p;
		p.address = *a;
		p.where = line.where;
		bool ok = true;
		for (std::size_t i = 0; i < line.args.size(); i += 2) {
			std::string_view k = line.args[i];
			if (i + 1 >= line.args.size()) {
				ctx.error(line, "{} {} is missing a value", owner(b), k);
				break;
			}
			if (k != "min_ttl" && k != "max_ttl") {
				ctx.error(line, "{} unknown unicast_peer option {}", owner(b), k);
				break;
			}
			auto v = readInt(line, ctx, i + 1, 0, 255);
			if (!v) {
				ok = false;
				break;
			}
			(k == "min_ttl" ? p.minTtl : p.maxTtl) = static_cast<int>(*v);
			b.vi.checkUnicastSrc = true; // min_ttl/max_ttl turn it on
		}
		if (ok)
			b.vi.unicastPeers.push_back(std::move(p));
	}
}

void readAuthentication(B &b, const Node &n, BuildContext &ctx)
{
	if (!requireBlock(n, ctx))
		return;
	for (const Node &c : n.children) {
		if (c.keyword == "auth_type") {
			std::string_view t = c.arg(0);
			if (c.args.empty())
				readInt(c, ctx, 0, 0, 0);
			else if (t == "PASS")
				b.vi.authType = AuthType::kPass;
			else if (t == "AH")
				b.vi.authType = AuthType::kAh;
			else
				ctx.error(c, "{} unknown authentication type '{}'", owner(b), t);
		} else if (c.keyword == "auth_pass") {
			if (c.args.empty()) {
				readInt(c, ctx, 0, 0, 0);
				continue;
			}
			b.vi.authPass = c.args[0];
			if (b.vi.authPass.size() > 8) {
				ctx.warning(c, "Truncating auth_pass to 8 characters");
				b.vi.authPass.resize(8);
			}
		} else {
			ctx.error(c, "Unknown keyword '{}'", c.keyword);
		}
	}
}

void readUseVmac(B &b, const Node &n, BuildContext &ctx)
{
	b.vi.useVmac = true;
	for (std::string_view a : n.args) {
		if (a.find(':') != std::string::npos) {
			std::string lower(a);
			std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
			if (lower.rfind("00:00:5e:00:01", 0) == 0 || lower.rfind("00:00:5e:00:02", 0) == 0) {
				ctx.error(n, "VMAC MAC address not allowed to be RFC5798 address ({}) - ignoring", a);
				continue;
			}
			b.vi.vmacMac = a;
		} else {
			b.vi.vmacName = a;
		}
	}
}

void readInterface(B &b, const Node &n, BuildContext &ctx)
{
	if (n.args.empty()) {
		readInt(n, ctx, 0, 0, 0);
		return;
	}
	std::string_view name = n.args[0];
	if (!b.vi.vrf.empty()) {
		ctx.error(n, "{} Cannot specify VRF interface and interface - ignoring", owner(b));
		return;
	}
	if (ctx.system.interfaceExists(std::string(name)) && ctx.system.interfaceIsLoopback(std::string(name))) {
		ctx.error(n, "{} cannot use a loopback interface ({}) for vrrp - ignoring", owner(b), name);
		return;
	}
	if (!checkInterface(name, ctx))
		ctx.warning(n, "WARNING - interface {} for vrrp_instance {} doesn't exist", name, b.vi.name);
	b.vi.interface = name;
}

void readVersion(B &b, const Node &n, BuildContext &ctx)
{
	auto v = readInt(n, ctx, 0, 2, 3);
	if (!v) {
		if (!n.args.empty())
			ctx.error(n, "{}: Version must be either 2 or 3", owner(b));
		return;
	}
	if (*v == 2 && b.vi.family == AF_INET6) {
		ctx.error(n, "{} vrrp_version 2 conflicts with configured or deduced version {}; ignoring.", owner(b),
		          b.vi.version);
		return;
	}
	b.vi.version = static_cast<int>(*v);
}

} // namespace vigil::config::vrrp_detail
