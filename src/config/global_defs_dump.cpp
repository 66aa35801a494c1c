// global_defs back to text for `vigil --dump-conf`'s view of the model:
// what was set, keepalived's defaults left out.
#include <optional>
#include <string>
#include <vector>

#include "src/config/config_writer.h"
#include "src/config/global_defs.h"

namespace vigil::config {

void dumpGlobalDefs(const GlobalDefs &g, ConfigWriter &out)
{
	const GlobalDefs d; // defaults, to keep the dump to what matters
	out.open("global_defs");
	out.line("router_id", {g.routerId});
	if (!g.notificationEmail.empty()) {
		out.open("notification_email");
		for (const auto &e : g.notificationEmail)
			out.line(e);
		out.close();
	}
	out.line("notification_email_from", {g.notificationEmailFrom});
	if (g.smtpServer || !g.smtpServerName.empty())
		out.line("smtp_server",
		         {g.smtpServer ? g.smtpServer->str() : g.smtpServerName, std::to_string(g.smtpPort)});
	if (!g.smtpHeloName.empty())
		out.line("smtp_helo_name", {g.smtpHeloName});
	out.number("smtp_connect_timeout", g.smtpConnectTimeout);
	out.flag("smtp_alert", g.smtpAlert);
	out.flag("smtp_alert_vrrp", g.smtpAlertVrrp);
	out.flag("smtp_alert_checker", g.smtpAlertChecker);
	if (!g.scriptUser.empty()) {
		if (g.scriptGroup.empty())
			out.line("script_user", {g.scriptUser});
		else
			out.line("script_user", {g.scriptUser, g.scriptGroup});
	}
	out.flag("enable_script_security", g.enableScriptSecurity);
	out.number("vrrp_version", g.vrrpVersion);
	out.flag("vrrp_strict", g.vrrpStrict);
	out.line("vrrp_mcast_group4", {g.vrrpMcastGroup4.str()});
	out.line("vrrp_mcast_group6", {g.vrrpMcastGroup6.str()});
	out.number("vrrp_garp_master_delay", g.vrrpGarpMasterDelay);
	out.number("vrrp_garp_master_repeat", g.vrrpGarpMasterRepeat);
	out.number("vrrp_garp_master_refresh", g.vrrpGarpMasterRefresh);
	out.number("vrrp_garp_master_refresh_repeat", g.vrrpGarpMasterRefreshRepeat);
	out.number("vrrp_garp_lower_prio_delay", g.vrrpGarpLowerPrioDelay);
	out.number("vrrp_garp_lower_prio_repeat", g.vrrpGarpLowerPrioRepeat);
	// 0 is the default and outside what keepalived accepts when written.
	if (g.vrrpGarpInterval > 0)
		out.number("vrrp_garp_interval", g.vrrpGarpInterval);
	if (g.vrrpGnaInterval > 0)
		out.number("vrrp_gna_interval", g.vrrpGnaInterval);
	out.flag("vrrp_lower_prio_no_advert", g.vrrpLowerPrioNoAdvert);
	out.flag("vrrp_higher_prio_send_advert", g.vrrpHigherPrioSendAdvert);
	out.flag("vrrp_check_unicast_src", g.vrrpCheckUnicastSrc);
	out.flag("vrrp_skip_check_adv_addr", g.vrrpSkipCheckAdvAddr);
	out.number("vrrp_down_timer_adverts", g.vrrpDownTimerAdverts);
	if (g.maxAutoPriority != d.maxAutoPriority)
		out.number("max_auto_priority", g.maxAutoPriority);
	if (!g.defaultInterface.empty())
		out.line("default_interface", {g.defaultInterface});
	out.flag("lvs_flush", g.lvsFlush);
	out.flag("lvs_flush_on_stop", g.lvsFlushOnStop);
	if (g.lvsTimeouts.tcp || g.lvsTimeouts.tcpfin || g.lvsTimeouts.udp) {
		std::vector<std::string> a;
		if (g.lvsTimeouts.tcp)
			a.insert(a.end(), {"tcp", std::to_string(*g.lvsTimeouts.tcp)});
		if (g.lvsTimeouts.tcpfin)
			a.insert(a.end(), {"tcpfin", std::to_string(*g.lvsTimeouts.tcpfin)});
		if (g.lvsTimeouts.udp)
			a.insert(a.end(), {"udp", std::to_string(*g.lvsTimeouts.udp)});
		out.line("lvs_timeouts", a);
	}
	if (const auto &s = g.lvsSyncDaemon) {
		std::vector<std::string> a{s->interface, s->instance};
		auto opt = [&a](const char *k, const std::optional<int> &v) {
			if (v)
				a.insert(a.end(), {k, std::to_string(*v)});
		};
		opt("id", s->syncId);
		opt("maxlen", s->maxlen);
		opt("port", s->port);
		opt("ttl", s->ttl);
		if (s->group)
			a.insert(a.end(), {"group", s->group->str()});
		out.line("lvs_sync_daemon", a);
	}
	auto fifo = [&out](const char *k, const char *ks, const std::optional<NotifyFifo> &f) {
		if (!f || f->path.empty())
			return;
		std::vector<std::string> a{f->path};
		if (!f->user.empty())
			a.push_back(f->user);
		if (!f->group.empty())
			a.push_back(f->group);
		out.line(k, a);
		if (!f->script.empty())
			out.line(ks, {f->script});
	};
	fifo("notify_fifo", "notify_fifo_script", g.notifyFifo);
	fifo("vrrp_notify_fifo", "vrrp_notify_fifo_script", g.vrrpNotifyFifo);
	fifo("lvs_notify_fifo", "lvs_notify_fifo_script", g.lvsNotifyFifo);
	for (const auto &[k, v] : g.other)
		out.line(k, v);
	out.close();
}

} // namespace vigil::config
