// The VRRP half of `vigil -d`: normalized keepalived.conf text with every
// resolved value explicit. Reading it back gives the same model.
#include <cmath>
#include <sys/socket.h>

#include "src/config/config.h"
#include "src/config/config_writer.h"
#include "src/config/vrrp/vrrp_parse.h"

namespace vigil::config {

using namespace vrrp_detail;

namespace {

const char *onOff(bool v)
{
	return v ? "on" : "off";
}

void words(ConfigWriter &out, const std::vector<std::string> &w)
{
	out.line(w[0], std::vector<std::string>(w.begin() + 1, w.end()));
}

void script(ConfigWriter &out, const char *keyword, const std::optional<Script> &s)
{
	if (!s)
		return;
	std::vector<std::string> a{s->command};
	if (!s->user.empty())
		a.push_back(s->user);
	if (!s->group.empty())
		a.push_back(s->group);
	out.line(keyword, a);
}

void notify(ConfigWriter &out, const NotifyScripts &n)
{
	script(out, "notify_master", n.master);
	script(out, "notify_backup", n.backup);
	script(out, "notify_fault", n.fault);
	script(out, "notify_stop", n.stop);
	script(out, "notify", n.any);
	script(out, "notify_master_rx_lower_pri", n.masterRxLowerPri);
	if (n.deleted)
		script(out, "notify_deleted", n.deleted);
	else if (n.notifyDeleted)
		out.line("notify_deleted");
}

void tracked(ConfigWriter &out, const char *block, const std::vector<TrackedObject> &list)
{
	if (list.empty())
		return;
	out.open(block);
	for (const auto &t : list) {
		std::vector<std::string> a{"weight", std::to_string(t.weight)};
		if (t.reverse)
			a.push_back("reverse");
		out.line(t.name, a);
	}
	out.close();
}

// Instance garp timers are whole seconds; a fractional global one is left to
// be inherited again.
void wholeSeconds(ConfigWriter &out, const char *keyword, const std::optional<double> &v)
{
	if (v && *v == std::floor(*v))
		out.number(keyword, *v);
}

void dumpScript(const VrrpScript &s, ConfigWriter &out)
{
	out.open("vrrp_script", {s.name});
	if (s.script) {
		out.line("script", {s.script->command});
		if (!s.script->user.empty()) {
			std::vector<std::string> a{s.script->user};
			if (!s.script->group.empty())
				a.push_back(s.script->group);
			out.line("user", a);
		}
	}
	out.number("interval", s.interval);
	if (s.timeout > 0)
		out.number("timeout", s.timeout);
	if (s.weightReverse)
		out.line("weight", {std::to_string(s.weight), "reverse"});
	else
		out.number("weight", s.weight);
	out.number("rise", s.rise);
	out.number("fall", s.fall);
	out.flag("init_fail", s.initFail);
	out.close();
}

void dumpTrackFile(const TrackFile &f, ConfigWriter &out)
{
	out.open("track_file", {f.name});
	out.line("file", {f.file});
	if (f.weightReverse)
		out.line("weight", {std::to_string(f.weight), "reverse"});
	else
		out.number("weight", f.weight);
	if (f.initFile) {
		std::vector<std::string> a{std::to_string(f.initValue)};
		if (f.initOverwrite)
			a.push_back("overwrite");
		out.line("init_file", a);
	}
	out.close();
}

void dumpSyncGroup(const VrrpSyncGroup &g, ConfigWriter &out)
{
	out.open("vrrp_sync_group", {g.name});
	out.open("group");
	for (const auto &m : g.members)
		out.line(m);
	out.close();
	notify(out, g.notify);
	out.line("smtp_alert", {onOff(g.smtpAlert.value_or(false))});
	out.flag("global_tracking", g.globalTracking);
	out.flag("sync_group_tracking_weight", g.trackingWeight);
	out.line("notify_priority_changes", {onOff(g.notifyPriorityChanges)});
	tracked(out, "track_interface", g.trackInterfaces);
	tracked(out, "track_script", g.trackScripts);
	tracked(out, "track_file", g.trackFiles);
	tracked(out, "track_process", g.trackProcesses);
	tracked(out, "track_bfd", g.trackBfds);
	out.close();
}

void addresses(ConfigWriter &out, const char *block, const std::vector<VirtualAddress> &list)
{
	if (list.empty())
		return;
	out.open(block);
	for (const auto &a : list)
		words(out, addressWords(a));
	out.close();
}

void dumpInstance(const VrrpInstance &vi, ConfigWriter &out)
{
	out.open("vrrp_instance", {vi.name});
	out.line("state", {vi.state == VrrpState::kMaster ? "MASTER" : "BACKUP"});
	if (!vi.interface.empty())
		out.line("interface", {vi.interface});
	if (!vi.vrf.empty())
		out.line("vrf", {vi.vrf});
	out.flag("native_ipv6", vi.nativeIpv6);
	out.number("version", vi.version);
	out.number("virtual_router_id", vi.virtualRouterId);
	out.number("priority", vi.priority);
	out.number("advert_int", vi.advertInt);
	out.flag("nopreempt", vi.nopreempt);
	if (vi.preemptDelay > 0)
		out.number("preempt_delay", vi.preemptDelay);
	out.line(vi.accept.value_or(true) ? "accept" : "no_accept");
	out.line("strict_mode", {onOff(vi.strictMode.value_or(false))});
	if (vi.authType != AuthType::kNone) {
		out.open("authentication");
		out.line("auth_type", {vi.authType == AuthType::kAh ? "AH" : "PASS"});
		out.line("auth_pass", {vi.authPass});
		out.close();
	}

	if (vi.srcIp)
		out.line(vi.unicastPeers.empty() ? "mcast_src_ip" : "unicast_src_ip", {vi.srcIp->str()});
	if (vi.mcastDstIp && vi.unicastPeers.empty())
		out.line("mcast_dst_ip", {vi.mcastDstIp->str()});
	if (!vi.unicastPeers.empty()) {
		out.open("unicast_peer");
		for (const auto &p : vi.unicastPeers) {
			std::vector<std::string> a;
			if (p.minTtl != 0)
				a.insert(a.end(), {"min_ttl", std::to_string(p.minTtl)});
			if (p.maxTtl != 255)
				a.insert(a.end(), {"max_ttl", std::to_string(p.maxTtl)});
			out.line(p.address.str(), a);
		}
		out.close();
		out.number("unicast_ttl", vi.unicastTtl);
	}
	out.flag("unicast_fault_no_peer", vi.unicastFaultNoPeer);
	out.flag("check_unicast_src", vi.checkUnicastSrc.value_or(false));
	if (vi.useVmac) {
		std::vector<std::string> a;
		if (!vi.vmacName.empty())
			a.push_back(vi.vmacName);
		if (!vi.vmacMac.empty())
			a.push_back(vi.vmacMac);
		out.line("use_vmac", a);
	}
	out.flag("vmac_xmit_base", vi.vmacXmitBase);
	out.flag("use_vmac_addr", vi.useVmacAddr);
	out.flag("track_src_ip", vi.trackSrcIp);
	if (vi.kernelRxBufSize)
		out.number("kernel_rx_buf_size", *vi.kernelRxBufSize);

	addresses(out, "virtual_ipaddress", vi.vips);
	addresses(out, "virtual_ipaddress_excluded", vi.excludedVips);
	if (!vi.routes.empty()) {
		out.open("virtual_routes");
		for (const auto &r : vi.routes)
			words(out, routeWords(r));
		out.close();
	}
	if (!vi.rules.empty()) {
		out.open("virtual_rules");
		for (const auto &r : vi.rules)
			words(out, ruleWords(r));
		out.close();
	}
	out.flag("promote_secondaries", vi.promoteSecondaries);

	out.flag("dont_track_primary", vi.dontTrackPrimary);
	tracked(out, "track_interface", vi.trackInterfaces);
	tracked(out, "track_script", vi.trackScripts);
	tracked(out, "track_file", vi.trackFiles);
	tracked(out, "track_process", vi.trackProcesses);
	tracked(out, "track_bfd", vi.trackBfds);

	notify(out, vi.notify);
	out.line("smtp_alert", {onOff(vi.smtpAlert.value_or(false))});
	out.line("notify_priority_changes", {onOff(vi.notifyPriorityChanges)});

	wholeSeconds(out, "garp_master_delay", vi.garpMasterDelay);
	if (vi.garpMasterRepeat)
		out.number("garp_master_repeat", *vi.garpMasterRepeat);
	wholeSeconds(out, "garp_master_refresh", vi.garpMasterRefresh);
	if (vi.garpMasterRefreshRepeat)
		out.number("garp_master_refresh_repeat", *vi.garpMasterRefreshRepeat);
	wholeSeconds(out, "garp_lower_prio_delay", vi.garpLowerPrioDelay);
	if (vi.garpLowerPrioRepeat)
		out.number("garp_lower_prio_repeat", *vi.garpLowerPrioRepeat);
	if (vi.downTimerAdverts)
		out.number("down_timer_adverts", *vi.downTimerAdverts);
	out.line("lower_prio_no_advert", {onOff(vi.lowerPrioNoAdvert.value_or(false))});
	out.line("higher_prio_send_advert", {onOff(vi.higherPrioSendAdvert.value_or(false))});
	out.line("skip_check_adv_addr", {onOff(vi.skipCheckAdvAddr.value_or(false))});
	if (vi.debug != 0)
		out.number("debug", vi.debug);
	out.flag("linkbeat_use_polling", vi.linkbeatUsePolling);
	if (!vi.lvsSyncDaemonInterface.empty())
		out.line("lvs_sync_daemon_interface", {vi.lvsSyncDaemonInterface});
	for (const auto &[k, v] : vi.other)
		out.line(k, v);
	out.close();
}

} // namespace

void dumpVrrp(const Config &config, ConfigWriter &out)
{
	const VrrpModel &m = config.vrrp;
	for (const auto &s : m.scripts)
		dumpScript(s, out);
	for (const auto &f : m.trackFiles)
		dumpTrackFile(f, out);
	for (const auto &g : m.syncGroups)
		dumpSyncGroup(g, out);
	for (const auto &vi : m.instances)
		dumpInstance(vi, out);
	addresses(out, "static_ipaddress", m.staticAddresses);
	if (!m.staticRoutes.empty()) {
		out.open("static_routes");
		for (const auto &r : m.staticRoutes)
			words(out, routeWords(r));
		out.close();
	}
	if (!m.staticRules.empty()) {
		out.open("static_rules");
		for (const auto &r : m.staticRules)
			words(out, ruleWords(r));
		out.close();
	}
}

} // namespace vigil::config
