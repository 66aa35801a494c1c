#include "src/config/global_defs.h"

#include <array>
#include <unistd.h>

#include "src/config/keyword_table.h"
#include "src/config/values.h"

namespace vigil::config {

namespace {

// Documented global_defs keywords that vigil records without acting on.
constexpr std::array kAcceptedKeywords = {
        "bfd_cpu_affinity",
        "bfd_no_swap",
        "bfd_priority",
        "bfd_process_name",
        "bfd_rlimit_rttime",
        "bfd_rt_priority",
        "checker_cpu_affinity",
        "checker_log_all_failures",
        "checker_no_swap",
        "checker_priority",
        "checker_process_name",
        "checker_rlimit_rttime",
        "checker_rt_priority",
        "config_save_dir",
        "data_use_instance",
        "dbus_service_name",
        "disable_local_igmp",
        "dynamic_interfaces",
        "enable_dbus",
        "enable_snmp_checker",
        "enable_snmp_rfc",
        "enable_snmp_rfcv2",
        "enable_snmp_rfcv3",
        "enable_snmp_vrrp",
        "enable_traps",
        "fifo_write_vrrp_states_on_reload",
        "include_check",
        "log_unknown_vrids",
        "lvs_netlink_cmd_rcv_bufs",
        "lvs_netlink_cmd_rcv_bufs_force",
        "lvs_netlink_monitor_rcv_bufs",
        "lvs_netlink_monitor_rcv_bufs_force",
        "min_auto_priority_delay",
        "nftables",
        "nftables_counters",
        "nftables_ifindex",
        "nftables_ipvs",
        "nftables_ipvs_priority",
        "nftables_ipvs_start_fwmark",
        "nftables_priority",
        "no_checker_emails",
        "no_email_faults",
        "process_monitor_rcv_bufs",
        "process_monitor_rcv_bufs_force",
        "process_name",
        "process_names",
        "random_seed",
        "reload_check_config",
        "reload_file",
        "reload_repeat",
        "reload_time_file",
        "rs_init_notifies",
        "shutdown_script",
        "shutdown_script_timeout",
        "snmp_socket",
        "startup_script",
        "startup_script_timeout",
        "tmp_config_directory",
        "umask",
        "vmac_addr_prefix",
        "vmac_prefix",
        "vrrp_cpu_affinity",
        "vrrp_garp_extra_if",
        "vrrp_ipsets",
        "vrrp_iptables",
        "vrrp_min_garp",
        "vrrp_netlink_cmd_rcv_bufs",
        "vrrp_netlink_cmd_rcv_bufs_force",
        "vrrp_netlink_monitor_rcv_bufs",
        "vrrp_netlink_monitor_rcv_bufs_force",
        "vrrp_no_swap",
        "vrrp_notify_priority_changes",
        "vrrp_priority",
        "vrrp_process_name",
        "vrrp_rlimit_rttime",
        "vrrp_rt_priority",
        "vrrp_rx_bufs_multiplier",
        "vrrp_rx_bufs_policy",
        "vrrp_startup_delay",
        "net_namespace",
        "net_namespace_ipvs",
        "namespace_with_ipsets",
        "instance",
        "use_pid_dir",
        "linkbeat_use_polling",
        "child_wait_time",
        "lvs_sync_daemon_interface",
};

using G = GlobalDefs;
using parser::Node;

void setTimer(double &field, const Node &n, BuildContext &ctx, double max = 86400)
{
	if (auto v = readTimer(n, ctx, 0, max))
		field = *v;
}

// An integer setting; on a bad value keepalived's second line, with {0}
// the keyword and {1} the value, if it prints one.
void setInt(int &field, const Node &n, BuildContext &ctx, long min, long max, const char *second = nullptr)
{
	if (auto v = readInteger(n, ctx, min, max))
		field = static_cast<int>(*v);
	else if (second && !ctx.stopped())
		ctx.error(n, fmt::runtime(second), n.keyword, n.arg(0));
}

// keepalived's garp settings: whole seconds or counts, 0 raised to 1 for
// the counts.
void setCount(int &field, const Node &n, BuildContext &ctx)
{
	auto v = readInteger(n, ctx, 0, 65535);
	if (!v) {
		if (!ctx.stopped())
			ctx.error(n, "{} '{}' invalid - ignoring", n.keyword, n.arg(0));
		return;
	}
	if (*v == 0) {
		ctx.error(n, "{} must be greater than 0, setting to 1", n.keyword);
		v = 1;
	}
	field = static_cast<int>(*v);
}

void setSeconds(double &field, const Node &n, BuildContext &ctx)
{
	if (auto v = readInteger(n, ctx, 0, 65535))
		field = static_cast<double>(*v);
	else if (!ctx.stopped())
		ctx.error(n, "{} '{}' invalid - ignoring", n.keyword, n.arg(0));
}

void setFlag(bool &field, const Node &n, BuildContext &ctx)
{
	if (n.args.empty()) {
		field = true;
		return;
	}
	if (auto v = parseBool(n.args[0]))
		field = *v;
	else
		ctx.error(n, "Invalid value '{}' for global {} specified", n.args[0], n.keyword);
}

void mcastGroup(IpAddress &field, const Node &n, BuildContext &ctx, bool v6)
{
	auto text = readString(n, ctx);
	if (!text)
		return;
	auto a = IpAddress::parse(*text);
	if (!a || a->isV6() != v6) {
		ctx.error(n, "Can't parse {} [{}]. Skipping", n.keyword, *text);
		return;
	}
	bool multicast = v6 ? a->bytes[0] == 0xff : (a->bytes[0] & 0xf0) == 0xe0;
	if (!multicast) {
		ctx.error(n, "{} [{}] is not multicast. Skipping", n.keyword, *text);
		return;
	}
	field = *a;
}

std::optional<NotifyFifo> readFifo(const Node &n, BuildContext &ctx)
{
	auto path = readString(n, ctx);
	if (!path)
		return std::nullopt;
	NotifyFifo f;
	f.path = *path;
	if (n.args.size() > 1)
		f.user = n.args[1];
	if (n.args.size() > 2)
		f.group = n.args[2];
	return f;
}

void fifoScript(std::optional<NotifyFifo> &fifo, const Node &n, BuildContext &ctx)
{
	(void)ctx;
	// keepalived accepts the script before (or without) its fifo.
	if (!fifo)
		fifo.emplace();
	fifo->script = joinArgs(n);
}

// Handlers too long for one line of the table.
void routerId(G &g, const Node &n, BuildContext &ctx)
{
	if (n.args.empty())
		ctx.error(n, "routerid name missing - ignoring");
	else
		g.routerId = n.args[0];
}

void notificationEmail(G &g, const Node &n, BuildContext &ctx)
{
	if (!n.args.empty())
		ctx.error(n, "Block notification_email has extra parameters {} ...", n.args[0]);
	if (!requireBlock(n, ctx))
		return;
	if (n.children.empty())
		ctx.warning(n, "Warning - empty notification_email block");
	for (const Node &c : n.children) {
		g.notificationEmail.emplace_back(c.keyword);
		g.notificationEmail.insert(g.notificationEmail.end(), c.args.begin(), c.args.end());
	}
}

void smtpServer(G &g, const Node &n, BuildContext &ctx)
{
	auto v = readString(n, ctx);
	if (!v)
		return;
	int port = 25;
	if (n.args.size() > 1) {
		auto p = readInteger(n, ctx, 1, 65535, 1);
		if (!p) {
			ctx.error(n, "Invalid smtp server {} {}", *v, n.args[1]);
			return;
		}
		port = static_cast<int>(*p);
	}
	auto a = IpAddress::parse(*v);
	if (!a && !ctx.system.resolves(*v)) {
		ctx.error(n, "Invalid smtp server {} {}", *v, port);
		return;
	}
	if (a)
		g.smtpServer = a;
	else
		g.smtpServerName = *v;
	g.smtpPort = port;
}

void smtpConnectTimeout(G &g, const Node &n, BuildContext &ctx)
{
	auto v = readInteger(n, ctx, 0, 4294);
	if (!v) {
		if (!ctx.stopped())
			ctx.error(n, "smtp_connect_timeout '{}' must be in [0, 4294] - ignoring", n.arg(0));
		return;
	}
	if (*v == 0) {
		// keepalived's own spelling.
		ctx.error(n, "smtp_conect_timeout must be greater than 0, setting to 1");
		v = 1;
	}
	g.smtpConnectTimeout = static_cast<double>(*v);
}

void scriptUser(G &g, const Node &n, BuildContext &ctx)
{
	auto user = readString(n, ctx);
	if (!user)
		return;
	if (!ctx.system.userId(*user) || (n.args.size() > 1 && !ctx.system.groupId(std::string(n.args[1])))) {
		// keepalived names the line but not the file here.
		ctx.diagnostics.error({}, fmt::format("(Line {}) Error setting global script uid/gid", n.where.line));
		return;
	}
	g.scriptUser = *user;
	g.scriptGroup = n.arg(1);
}

void maxAutoPriority(G &g, const Node &n, BuildContext &ctx)
{
	if (n.args.empty())
		g.maxAutoPriority = 99; // sched_get_priority_max(SCHED_RR)
	else
		setInt(g.maxAutoPriority, n, ctx, -1, 99, "{} '{}' must be in [0, 99] (or -1 to disable) - ignoring");
}

void lvsTimeouts(G &g, const Node &n, BuildContext &ctx)
{
	if (n.args.size() < 2) {
		ctx.error(n, "lvs_timeouts requires at least one option");
		return;
	}
	for (std::size_t i = 0; i < n.args.size(); ++i) {
		std::string_view k = n.args[i];
		std::optional<int> *field = k == "tcp"      ? &g.lvsTimeouts.tcp
		                            : k == "tcpfin" ? &g.lvsTimeouts.tcpfin
		                            : k == "udp"    ? &g.lvsTimeouts.udp
		                                            : nullptr;
		if (!field) {
			ctx.error(n, "Unknown option {} specified for lvs_timeouts", k);
			continue;
		}
		if (i + 1 >= n.args.size()) {
			ctx.error(n, "No value specified for lvs_timeout {}", k);
			break;
		}
		if (auto v = readInteger(n, ctx, 0, 86400 * 31, ++i))
			*field = static_cast<int>(*v);
		else
			ctx.error(n, "Invalid lvs_timeout {} ({}) - ignoring", k, n.args[i]);
	}
}

void lvsSyncDaemon(G &g, const Node &n, BuildContext &ctx)
{
	if (n.args.size() < 2)
		return; // keepalived says nothing either
	LvsSyncDaemon d;
	d.interface = n.args[0];
	d.instance = n.args[1];
	for (std::size_t i = 2; i < n.args.size(); ++i) {
		std::string_view k = n.args[i];
		if (k == "group" && i + 1 < n.args.size()) {
			d.group = IpAddress::parse(n.args[++i]);
			continue;
		}
		std::optional<int> *field = k == "id"       ? &d.syncId
		                            : k == "maxlen" ? &d.maxlen
		                            : k == "port"   ? &d.port
		                            : k == "ttl"    ? &d.ttl
		                                            : nullptr;
		if (!field || i + 1 >= n.args.size()) {
			ctx.error(n, "Unknown option {} specified for lvs_sync_daemon", k);
			continue;
		}
		bool isId = field == &d.syncId;
		if (auto v = readInteger(n, ctx, 0, isId ? 255 : 65535, ++i))
			*field = static_cast<int>(*v);
		else if (isId)
			ctx.error(n, "Invalid syncid ({}) - defaulting to vrid", n.args[i]);
	}
	g.lvsSyncDaemon = d;
}

// clang-format off
const KeywordTable<G> &globalDefsTable()
{
	static KeywordTable<G> t{
		{"router_id", routerId},
		{"notification_email", notificationEmail, &parser::valueListSchema()},
		{"notification_email_from", [](G &g, const Node &n, BuildContext &ctx) { if (auto v = readString(n, ctx)) g.notificationEmailFrom = *v; }},
		{"smtp_server", smtpServer},
		{"smtp_helo_name", [](G &g, const Node &n, BuildContext &) { g.smtpHeloName = n.arg(0); }},
		{"smtp_connect_timeout", smtpConnectTimeout},
		{"smtp_alert", [](G &g, const Node &n, BuildContext &ctx) { setFlag(g.smtpAlert, n, ctx); }},
		{"smtp_alert_vrrp", [](G &g, const Node &n, BuildContext &ctx) { setFlag(g.smtpAlertVrrp, n, ctx); }},
		{"smtp_alert_checker", [](G &g, const Node &n, BuildContext &ctx) { setFlag(g.smtpAlertChecker, n, ctx); }},
		{"script_user", scriptUser},
		{"enable_script_security", [](G &g, const Node &, BuildContext &) { g.enableScriptSecurity = true; }},
		{"vrrp_version", [](G &g, const Node &n, BuildContext &ctx) { setInt(g.vrrpVersion, n, ctx, 2, 3, "VRRP Error: Version must be either 2 or 3"); }},
		{"vrrp_strict", [](G &g, const Node &, BuildContext &) { g.vrrpStrict = true; }},
		{"vrrp_mcast_group4", [](G &g, const Node &n, BuildContext &ctx) { mcastGroup(g.vrrpMcastGroup4, n, ctx, false); }},
		{"vrrp_mcast_group6", [](G &g, const Node &n, BuildContext &ctx) { mcastGroup(g.vrrpMcastGroup6, n, ctx, true); }},
		{"vrrp_garp_master_delay", [](G &g, const Node &n, BuildContext &ctx) { setSeconds(g.vrrpGarpMasterDelay, n, ctx); }},
		{"vrrp_garp_master_repeat", [](G &g, const Node &n, BuildContext &ctx) { setCount(g.vrrpGarpMasterRepeat, n, ctx); }},
		{"vrrp_garp_master_refresh", [](G &g, const Node &n, BuildContext &ctx) { setSeconds(g.vrrpGarpMasterRefresh, n, ctx); }},
		{"vrrp_garp_master_refresh_repeat", [](G &g, const Node &n, BuildContext &ctx) { setCount(g.vrrpGarpMasterRefreshRepeat, n, ctx); }},
		{"vrrp_garp_lower_prio_delay", [](G &g, const Node &n, BuildContext &ctx) { setSeconds(g.vrrpGarpLowerPrioDelay, n, ctx); }},
		{"vrrp_garp_lower_prio_repeat", [](G &g, const Node &n, BuildContext &ctx) { setCount(g.vrrpGarpLowerPrioRepeat, n, ctx); }},
		{"vrrp_garp_interval", [](G &g, const Node &n, BuildContext &ctx) { setTimer(g.vrrpGarpInterval, n, ctx, 1); }},
		{"vrrp_gna_interval", [](G &g, const Node &n, BuildContext &ctx) { setTimer(g.vrrpGnaInterval, n, ctx, 1); }},
		{"vrrp_lower_prio_no_advert", [](G &g, const Node &n, BuildContext &ctx) { setFlag(g.vrrpLowerPrioNoAdvert, n, ctx); }},
		{"vrrp_higher_prio_send_advert", [](G &g, const Node &n, BuildContext &ctx) { setFlag(g.vrrpHigherPrioSendAdvert, n, ctx); }},
		{"vrrp_check_unicast_src", [](G &g, const Node &, BuildContext &) { g.vrrpCheckUnicastSrc = true; }},
		{"vrrp_skip_check_adv_addr", [](G &g, const Node &n, BuildContext &ctx) { setFlag(g.vrrpSkipCheckAdvAddr, n, ctx); }},
		{"vrrp_down_timer_adverts", [](G &g, const Node &n, BuildContext &ctx) { setInt(g.vrrpDownTimerAdverts, n, ctx, 1, 100, "Invalid {} [1:100] '{}'"); }},
		{"max_auto_priority", maxAutoPriority},
		{"default_interface", [](G &g, const Node &n, BuildContext &ctx) { if (auto v = readString(n, ctx)) g.defaultInterface = *v; }},
		{"lvs_flush", [](G &g, const Node &, BuildContext &) { g.lvsFlush = true; }},
		{"lvs_flush_on_stop", [](G &g, const Node &, BuildContext &) { g.lvsFlushOnStop = true; }},
		{"lvs_timeouts", lvsTimeouts},
		{"lvs_sync_daemon", lvsSyncDaemon},
		{"notify_fifo", [](G &g, const Node &n, BuildContext &ctx) { g.notifyFifo = readFifo(n, ctx); }},
		{"vrrp_notify_fifo", [](G &g, const Node &n, BuildContext &ctx) { g.vrrpNotifyFifo = readFifo(n, ctx); }},
		{"lvs_notify_fifo", [](G &g, const Node &n, BuildContext &ctx) { g.lvsNotifyFifo = readFifo(n, ctx); }},
		{"notify_fifo_script", [](G &g, const Node &n, BuildContext &ctx) { fifoScript(g.notifyFifo, n, ctx); }},
		{"vrrp_notify_fifo_script", [](G &g, const Node &n, BuildContext &ctx) { fifoScript(g.vrrpNotifyFifo, n, ctx); }},
		{"lvs_notify_fifo_script", [](G &g, const Node &n, BuildContext &ctx) { fifoScript(g.lvsNotifyFifo, n, ctx); }},
	};
	static const bool withAccepted = [] {
		for (const char *k : kAcceptedKeywords)
			if (!t.contains(k))
				t.add(k, [](G &g, const Node &n, BuildContext &) { g.other[std::string(n.keyword)] = parser::argStrings(n); });
		return true;
	}();
	(void)withAccepted;
	return t;
}
// clang-format on

std::string hostName()
{
	char buf[256] = {};
	::gethostname(buf, sizeof buf - 1);
	return buf;
}

} // namespace

const parser::BlockSchema &globalDefsSchema()
{
	return globalDefsTable();
}

void buildGlobalDefs(GlobalDefs &global, const parser::Node &block, BuildContext &ctx)
{
	globalDefsTable().applyBlock(global, block, ctx);
	if (global.routerId.empty())
		global.routerId = hostName();
	if (global.notificationEmailFrom.empty())
		global.notificationEmailFrom = "keepalived@" + hostName();
}

} // namespace vigil::config
