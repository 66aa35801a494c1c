// vrrp_instance blocks: every keyword of keepalived 2.2.7, with its parse-time
// messages. Defaults that depend on global_defs are resolved later by
// validateVrrp().
#include <algorithm>
#include <sys/socket.h>

#include "src/config/config.h"
#include "src/config/keyword_table.h"
#include "src/config/values.h"
#include "src/config/vrrp/vrrp_instance_build.h"
#include "src/config/vrrp/vrrp_parse.h"

namespace vigil::config {

using parser::Node;
using namespace vrrp_detail;

namespace vrrp_detail {

namespace {

using B = InstanceBuild;

std::string owner(const B &b)
{
	return "(" + b.vi.name + ")";
}

// A "[BOOL]" argument; the bare keyword is true.
void setBool(std::optional<bool> &field, const Node &n, BuildContext &ctx, const B &b)
{
	if (n.args.empty()) {
		field = true;
		return;
	}
	if (auto v = parseBool(n.args[0]))
		field = *v;
	else
		ctx.error(n, "{} invalid {} {} specified", owner(b), n.keyword, n.args[0]);
}

void setGarpDelay(std::optional<double> &field, const Node &n, BuildContext &ctx, const B &b)
{
	if (auto v = readInt(n, ctx, 0, 0, 2147483647))
		field = static_cast<double>(*v);
	else if (!n.args.empty())
		ctx.error(n, "{}: {} '{}' invalid - ignoring", owner(b), n.keyword, n.args[0]);
}

void setGarpRepeat(std::optional<int> &field, const Node &n, BuildContext &ctx, const B &b)
{
	if (auto v = readInt(n, ctx, 0, 0, 2147483647))
		field = static_cast<int>(*v);
	else if (!n.args.empty())
		ctx.error(n, "{}: {} '{}' invalid - ignoring", owner(b), n.keyword, n.args[0]);
}

void setNotify(std::optional<Script> &field, const Node &n, BuildContext &ctx)
{
	if (auto s = readNotifyScript(n, ctx))
		field = std::move(s);
}

// The family of the instance is fixed by the first of native_ipv6,
// unicast_src_ip/mcast_src_ip, a unicast peer or a VIP.
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
			const std::string &k = line.args[i];
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
			const std::string &t = c.arg(0);
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
	for (const std::string &a : n.args) {
		if (a.find(':') != std::string::npos) {
			std::string lower = a;
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
	const std::string &name = n.args[0];
	if (!b.vi.vrf.empty()) {
		ctx.error(n, "{} Cannot specify VRF interface and interface - ignoring", owner(b));
		return;
	}
	if (ctx.system.interfaceExists(name) && ctx.system.interfaceIsLoopback(name)) {
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

} // namespace

const KeywordTable<InstanceBuild> &instanceTable()
{
	static const KeywordTable<B> t{
	        {"state",
	         [](B &b, const Node &n, BuildContext &ctx) {
		         if (n.args.empty())
			         readInt(n, ctx, 0, 0, 0);
		         else if (n.args[0] == "MASTER")
			         b.vi.state = VrrpState::kMaster;
		         else if (n.args[0] == "BACKUP")
			         b.vi.state = VrrpState::kBackup;
		         else
			         ctx.error(n, "{} unknown state '{}', defaulting to BACKUP", owner(b), n.args[0]);
	         }},
	        {"interface", readInterface},
	        {"vrf",
	         [](B &b, const Node &n, BuildContext &ctx) {
		         if (!b.vi.interface.empty())
			         ctx.error(n, "{} Cannot specify VRF interface and interface - ignoring", owner(b));
		         else if (auto v = readString(n, ctx))
			         b.vi.vrf = *v;
	         }},
	        {"virtual_router_id",
	         [](B &b, const Node &n, BuildContext &ctx) {
		         if (auto v = readInt(n, ctx, 0, 1, 255))
			         b.vi.virtualRouterId = static_cast<int>(*v);
		         else if (!n.args.empty())
			         ctx.error(n, "{}: VRID '{}' not valid - must be between 1 & 255", owner(b), n.args[0]);
	         }},
	        {"priority",
	         [](B &b, const Node &n, BuildContext &ctx) {
		         if (auto v = readInt(n, ctx, 0, 1, 255)) {
			         b.vi.priority = static_cast<int>(*v);
		         } else if (!n.args.empty()) {
			         ctx.error(n, "{} Priority not valid! must be between 1 & 255. Using default 100",
			                   owner(b));
			         b.vi.priority = 100;
		         }
	         }},
	        {"advert_int",
	         [](B &b, const Node &n, BuildContext &ctx) {
		         if (auto v = readDecimal(n, ctx, 0, 0.01, 255))
			         b.vi.advertInt = *v;
		         else if (!n.args.empty())
			         ctx.error(n, "{} Advert interval ({}) not valid! Must be > 0 - ignoring", owner(b),
			                   n.args[0]);
	         }},
	        {"version", readVersion},
	        {"native_ipv6",
	         [](B &b, const Node &n, BuildContext &ctx) {
		         if (b.vi.family == AF_INET) {
			         ctx.error(n, "{} Cannot specify native_ipv6 with IPv4 addresses", owner(b));
			         return;
		         }
		         b.vi.family = AF_INET6;
		         b.vi.nativeIpv6 = true;
		         b.vi.version = 3;
	         }},
	        {"nopreempt", [](B &b, const Node &, BuildContext &) { b.vi.nopreempt = true; }},
	        {"preempt", [](B &b, const Node &, BuildContext &) { b.vi.nopreempt = false; }},
	        {"preempt_delay",
	         [](B &b, const Node &n, BuildContext &ctx) {
		         if (auto v = readDecimal(n, ctx, 0, 0, 1000))
			         b.vi.preemptDelay = *v;
		         else if (!n.args.empty())
			         ctx.error(n, "{} Preempt_delay not valid! must be between 0-1000", owner(b));
	         }},
	        {"authentication", readAuthentication},
	        {"virtual_ipaddress", [](B &b, const Node &n, BuildContext &ctx) { readAddresses(b, n, ctx, false); }},
	        {"virtual_ipaddress_excluded",
	         [](B &b, const Node &n, BuildContext &ctx) { readAddresses(b, n, ctx, true); }},
	        {"virtual_routes",
	         [](B &b, const Node &n, BuildContext &ctx) {
		         if (requireBlock(n, ctx))
			         for (const Node &line : n.children)
				         if (auto r = parseRouteLine(line, ctx, false))
					         b.vi.routes.push_back(std::move(*r));
	         }},
	        {"virtual_rules",
	         [](B &b, const Node &n, BuildContext &ctx) {
		         if (requireBlock(n, ctx))
			         for (const Node &line : n.children)
				         if (auto r = parseRuleLine(line, ctx, false))
					         b.vi.rules.push_back(std::move(*r));
	         }},
	        {"promote_secondaries", [](B &b, const Node &, BuildContext &) { b.vi.promoteSecondaries = true; }},
	        {"unicast_src_ip", readSrcIp},
	        {"mcast_src_ip", readSrcIp},
	        {"mcast_dst_ip",
	         [](B &b, const Node &n, BuildContext &ctx) {
		         if (n.args.empty()) {
			         readInt(n, ctx, 0, 0, 0);
			         return;
		         }
		         auto a = IpAddress::parse(n.args[0]);
		         if (!a) {
			         ctx.error(n, "{} malformed mcast dest address {}. Skipping...", owner(b), n.args[0]);
			         return;
		         }
		         bool multicast = a->isV4() ? (a->bytes[0] & 0xf0) == 0xe0 : a->bytes[0] == 0xff;
		         if (!multicast) {
			         ctx.error(n, "{} mcast_dst_ip {} not multicast. Skipping...", owner(b), n.args[0]);
			         return;
		         }
		         if (!matchFamily(b, a->family)) {
			         ctx.error(n, "{} mcast_dst_ip {} family does not match instance. Skipping...",
			                   owner(b), n.args[0]);
			         return;
		         }
		         b.vi.mcastDstIp = a;
	         }},
	        {"unicast_peer", readUnicastPeers},
	        {"unicast_ttl",
	         [](B &b, const Node &n, BuildContext &ctx) {
		         if (auto v = readInt(n, ctx, 0, 0, 255)) {
			         b.vi.unicastTtl = static_cast<int>(*v);
			         b.unicastTtlSet = true;
		         } else if (!n.args.empty()) {
			         ctx.error(n, "{}: TTL '{}' not valid - must be between 0 & 255", owner(b), n.args[0]);
		         }
	         }},
	        {"unicast_fault_no_peer", [](B &b, const Node &, BuildContext &) { b.vi.unicastFaultNoPeer = true; }},
	        {"check_unicast_src",
	         [](B &b, const Node &, BuildContext &) {
		         b.vi.checkUnicastSrc = true;
		         b.vi.unicastKeyword = true;
	         }},
	        {"old_unicast_checksum", [](B &b, const Node &n, BuildContext &) { b.vi.other[n.keyword] = n.args; }},
	        {"use_vmac", readUseVmac},
	        {"vmac_xmit_base", [](B &b, const Node &, BuildContext &) { b.vi.vmacXmitBase = true; }},
	        {"use_vmac_addr", [](B &b, const Node &, BuildContext &) { b.vi.useVmacAddr = true; }},
	        {"use_ipvlan", [](B &b, const Node &n, BuildContext &) { b.vi.other[n.keyword] = n.args; }},
	        {"garp_extra_if", [](B &b, const Node &n, BuildContext &) { b.vi.other[n.keyword] = n.args; }},
	        {"garp_extra_if_vmac", [](B &b, const Node &n, BuildContext &) { b.vi.other[n.keyword] = n.args; }},
	        {"track_src_ip", [](B &b, const Node &, BuildContext &) { b.vi.trackSrcIp = true; }},
	        {"dont_track_primary", [](B &b, const Node &, BuildContext &) { b.vi.dontTrackPrimary = true; }},
	        {"track_interface",
	         [](B &b, const Node &n, BuildContext &ctx) {
		         readTrackBlock(n, ctx, TrackKind::kInterface, owner(b), b.vi.trackInterfaces);
	         }},
	        {"track_script",
	         [](B &b, const Node &n, BuildContext &ctx) {
		         readTrackBlock(n, ctx, TrackKind::kScript, owner(b), b.vi.trackScripts);
	         }},
	        {"track_file",
	         [](B &b, const Node &n, BuildContext &ctx) {
		         readTrackBlock(n, ctx, TrackKind::kFile, owner(b), b.vi.trackFiles);
	         }},
	        {"track_process",
	         [](B &b, const Node &n, BuildContext &ctx) {
		         readTrackBlock(n, ctx, TrackKind::kProcess, owner(b), b.vi.trackProcesses);
	         }},
	        {"track_bfd",
	         [](B &b, const Node &n, BuildContext &ctx) {
		         readTrackBlock(n, ctx, TrackKind::kBfd, owner(b), b.vi.trackBfds);
	         }},
	        {"notify_master",
	         [](B &b, const Node &n, BuildContext &ctx) { setNotify(b.vi.notify.master, n, ctx); }},
	        {"notify_backup",
	         [](B &b, const Node &n, BuildContext &ctx) { setNotify(b.vi.notify.backup, n, ctx); }},
	        {"notify_fault", [](B &b, const Node &n, BuildContext &ctx) { setNotify(b.vi.notify.fault, n, ctx); }},
	        {"notify_stop", [](B &b, const Node &n, BuildContext &ctx) { setNotify(b.vi.notify.stop, n, ctx); }},
	        {"notify", [](B &b, const Node &n, BuildContext &ctx) { setNotify(b.vi.notify.any, n, ctx); }},
	        {"notify_master_rx_lower_pri",
	         [](B &b, const Node &n, BuildContext &ctx) { setNotify(b.vi.notify.masterRxLowerPri, n, ctx); }},
	        {"notify_deleted",
	         [](B &b, const Node &n, BuildContext &ctx) {
		         b.vi.notify.notifyDeleted = true;
		         if (!n.args.empty())
			         setNotify(b.vi.notify.deleted, n, ctx);
	         }},
	        {"smtp_alert",
	         [](B &b, const Node &n, BuildContext &ctx) {
		         if (n.args.empty())
			         b.vi.smtpAlert = true;
		         else if (auto v = parseBool(n.args[0]))
			         b.vi.smtpAlert = *v;
		         else
			         ctx.error(n, "Invalid vrrp_instance smtp_alert parameter {}", n.args[0]);
	         }},
	        {"notify_priority_changes",
	         [](B &b, const Node &n, BuildContext &ctx) {
		         std::optional<bool> v;
		         setBool(v, n, ctx, b);
		         if (v)
			         b.vi.notifyPriorityChanges = *v;
	         }},
	        {"garp_master_delay",
	         [](B &b, const Node &n, BuildContext &ctx) { setGarpDelay(b.vi.garpMasterDelay, n, ctx, b); }},
	        {"garp_master_repeat",
	         [](B &b, const Node &n, BuildContext &ctx) { setGarpRepeat(b.vi.garpMasterRepeat, n, ctx, b); }},
	        {"garp_master_refresh",
	         [](B &b, const Node &n, BuildContext &ctx) {
		         if (auto v = readInt(n, ctx, 0, 0, 2147483647))
			         b.vi.garpMasterRefresh = static_cast<double>(*v);
		         else if (!n.args.empty())
			         ctx.error(n, "{}: Invalid garp_master_refresh '{}' - ignoring", owner(b), n.args[0]);
	         }},
	        {"garp_master_refresh_repeat",
	         [](B &b, const Node &n, BuildContext &ctx) {
		         setGarpRepeat(b.vi.garpMasterRefreshRepeat, n, ctx, b);
	         }},
	        {"garp_lower_prio_delay",
	         [](B &b, const Node &n, BuildContext &ctx) { setGarpDelay(b.vi.garpLowerPrioDelay, n, ctx, b); }},
	        {"garp_lower_prio_repeat",
	         [](B &b, const Node &n, BuildContext &ctx) { setGarpRepeat(b.vi.garpLowerPrioRepeat, n, ctx, b); }},
	        {"down_timer_adverts",
	         [](B &b, const Node &n, BuildContext &ctx) {
		         if (auto v = readInt(n, ctx, 0, 1, 100))
			         b.vi.downTimerAdverts = static_cast<int>(*v);
		         else if (!n.args.empty())
			         ctx.error(n, "{}: Invalid down_timer_adverts [1:100] '{}'", owner(b), n.args[0]);
	         }},
	        {"lower_prio_no_advert",
	         [](B &b, const Node &n, BuildContext &ctx) { setBool(b.vi.lowerPrioNoAdvert, n, ctx, b); }},
	        {"higher_prio_send_advert",
	         [](B &b, const Node &n, BuildContext &ctx) { setBool(b.vi.higherPrioSendAdvert, n, ctx, b); }},
	        {"accept", [](B &b, const Node &, BuildContext &) { b.vi.accept = true; }},
	        {"no_accept", [](B &b, const Node &, BuildContext &) { b.vi.accept = false; }},
	        {"strict_mode", [](B &b, const Node &n, BuildContext &ctx) { setBool(b.vi.strictMode, n, ctx, b); }},
	        {"skip_check_adv_addr",
	         [](B &b, const Node &n, BuildContext &ctx) { setBool(b.vi.skipCheckAdvAddr, n, ctx, b); }},
	        {"debug",
	         [](B &b, const Node &n, BuildContext &ctx) {
		         if (auto v = readInt(n, ctx, 0, 0, 4))
			         b.vi.debug = static_cast<int>(*v);
		         else if (!n.args.empty())
			         ctx.error(n, "{} Debug value '{}' not valid; must be between 0-4", owner(b),
			                   n.args[0]);
	         }},
	        {"kernel_rx_buf_size",
	         [](B &b, const Node &n, BuildContext &ctx) {
		         std::optional<long> v;
		         if (!n.args.empty())
			         v = readInt(n, ctx, 0, 0, 2147483647);
		         if (v)
			         b.vi.kernelRxBufSize = static_cast<int>(*v);
		         else
			         ctx.error(n, "{} invalid kernel_rx_buf_size specified", owner(b));
	         }},
	        {"linkbeat_use_polling",
	         [](B &b, const Node &n, BuildContext &ctx) {
		         ctx.warning(n,
		                     "{} 'linkbeat_use_polling' in vrrp instance deprecated - use linkbeat_interfaces "
		                     "block",
		                     owner(b));
		         b.vi.linkbeatUsePolling = true;
	         }},
	        {"lvs_sync_daemon_interface",
	         [](B &b, const Node &n, BuildContext &ctx) {
		         ctx.warning(n, "{} Specifying lvs_sync_daemon_interface against a vrrp is deprecated.",
		                     owner(b));
		         ctx.warning(n, "        Please use global lvs_sync_daemon");
		         if (auto v = readString(n, ctx))
			         b.vi.lvsSyncDaemonInterface = *v;
	         }},
	};
	return t;
}

} // namespace vrrp_detail

void buildVrrpInstance(Config &config, const Node &node, BuildContext &ctx)
{
	auto name = blockName(node, ctx);
	if (!name)
		return;
	if (config.vrrp.findInstance(*name)) {
		ctx.error(node, "vrrp instance {} already defined", *name);
		return;
	}
	InstanceBuild b;
	b.vi.name = *name;
	b.vi.where = node.where;
	instanceTable().applyBlock(b, node, ctx);
	finishInstance(b, node, ctx);
	config.vrrp.instances.push_back(std::move(b.vi));
}

} // namespace vigil::config
