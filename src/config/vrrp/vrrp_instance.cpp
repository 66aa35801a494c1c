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

// Keywords vigil reads but does not model: kept as written for the dump.
void keepAsWritten(B &b, const Node &n, BuildContext &)
{
	b.vi.other[std::string(n.keyword)] = parser::argStrings(n);
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

} // namespace

// authentication { auth_type ... auth_pass ... }: read by its handler; the
// schema tells the tree builder its two keywords.
const parser::BlockSchema &authenticationSchema()
{
	static const KeywordTable<InstanceBuild> t{
	        {"auth_type", [](InstanceBuild &, const Node &, BuildContext &) {}},
	        {"auth_pass", [](InstanceBuild &, const Node &, BuildContext &) {}},
	};
	return t;
}

const KeywordTable<InstanceBuild> &instanceTable()
{
	static const KeywordTable<B> t = KeywordTable<B>{
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
	        {"old_unicast_checksum", keepAsWritten},
	        {"use_vmac", readUseVmac},
	        {"vmac_xmit_base", [](B &b, const Node &, BuildContext &) { b.vi.vmacXmitBase = true; }},
	        {"use_vmac_addr", [](B &b, const Node &, BuildContext &) { b.vi.useVmacAddr = true; }},
	        {"use_ipvlan", keepAsWritten},
	        {"garp_extra_if", keepAsWritten},
	        {"garp_extra_if_vmac", keepAsWritten},
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
	}.withBlocks({
		{"authentication", &authenticationSchema()},
		{"virtual_ipaddress", &parser::valueListSchema()},
		{"virtual_ipaddress_excluded", &parser::valueListSchema()},
		{"virtual_routes", &parser::valueListSchema()},
		{"virtual_rules", &parser::valueListSchema()},
		{"unicast_peer", &parser::valueListSchema()},
		{"track_interface", &parser::valueListSchema()},
		{"track_script", &parser::valueListSchema()},
		{"track_file", &parser::valueListSchema()},
		{"track_process", &parser::valueListSchema()},
		{"track_bfd", &parser::valueListSchema()},
	});
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

namespace vigil::config {

const parser::BlockSchema &vrrpInstanceSchema()
{
	return vrrp_detail::instanceTable();
}

} // namespace vigil::config
