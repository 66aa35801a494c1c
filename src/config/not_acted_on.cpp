#include "src/config/not_acted_on.h"

#include <fmt/format.h>

namespace vigil::config {
namespace {

class Lines
{
public:
	// `where` may be unknown (no prefix); `owner` names the block.
	void add(const parser::Location &where, std::string_view owner, std::string_view setting,
	         std::string_view consequence)
	{
		std::string prefix = where.known() ? where.prefix() + " " : std::string();
		lines_.push_back(
		        fmt::format("{}{}: {} is not acted on by vigil ({})", prefix, owner, setting, consequence));
	}
	std::vector<std::string> take() { return std::move(lines_); }

private:
	std::vector<std::string> lines_;
};

void globalSettings(const GlobalDefs &g, Lines &out)
{
	const parser::Location none;
	if (g.vrrpStrict)
		out.add(none, "global_defs", "vrrp_strict", "no firewall rules are written");
	if (g.smtpServer || !g.smtpServerName.empty() || !g.notificationEmail.empty())
		out.add(none, "global_defs", "e-mail alerting", "no e-mail is sent");
	if (g.lvsSyncDaemon)
		out.add(none, "global_defs", "lvs_sync_daemon", "no IPVS connection sync daemon is started");
	if (g.vrrpGarpInterval > 0 || g.vrrpGnaInterval > 0)
		out.add(none, "global_defs", "vrrp_garp_interval / vrrp_gna_interval",
		        "gratuitous ARPs and NAs go out back to back");
	for (const auto &[keyword, values] : g.other)
		out.add(none, "global_defs", keyword, "accepted for compatibility");
}

void instanceSettings(const VrrpInstance &vi, Lines &out)
{
	const std::string owner = "vrrp_instance " + vi.name;
	if (vi.useVmac)
		out.add(vi.where, owner, "use_vmac", "no VMAC interface is made; the VIPs go on the interface");
	if (!vi.routes.empty() || !vi.rules.empty())
		out.add(vi.where, owner, "virtual_routes / virtual_rules", "no route or rule is added");
	if (!vi.trackProcesses.empty())
		out.add(vi.where, owner, "track_process", "the priority does not follow the processes");
	if (!vi.trackBfds.empty())
		out.add(vi.where, owner, "track_bfd", "the priority does not follow BFD");
	if (vi.notify.masterRxLowerPri)
		out.add(vi.where, owner, "notify_master_rx_lower_pri", "the script is not run");
	if (vi.notifyPriorityChanges)
		out.add(vi.where, owner, "notify_priority_changes", "no notification on priority changes");
	for (const auto &[keyword, values] : vi.other)
		out.add(vi.where, owner, keyword, "accepted for compatibility");
}

} // namespace

std::vector<std::string> settingsNotActedOn(const Config &config)
{
	Lines out;
	globalSettings(config.global, out);
	const VrrpModel &vrrp = config.vrrp;
	if (!vrrp.staticAddresses.empty() || !vrrp.staticRoutes.empty() || !vrrp.staticRules.empty())
		out.add({}, "static_ipaddress / static_routes / static_rules", "the block",
		        "nothing is added to the host");
	for (const VrrpInstance &vi : vrrp.instances)
		instanceSettings(vi, out);
	for (const OpaqueBlock &block : config.opaque) {
		const parser::Node &n = block.node();
		out.add(n.where, n.keyword, "the block", "accepted for compatibility");
	}
	for (const VirtualServer &vs : config.lvs.virtualServers)
		for (const RealServer &rs : vs.realServers)
			for (const Checker &c : rs.checkers) {
				if (c.type == CheckerType::kFile || c.type == CheckerType::kBfd)
					out.add(c.where, "real_server " + rs.address.str(), checkerKeyword(c.type),
					        "it does not run; the server's other checkers decide");
				const auto *tcp = std::get_if<TcpCheck>(&c.detail);
				if (tcp && tcp->halfOpen && !runsHalfOpen(c))
					out.add(c.where, "real_server " + rs.address.str(), "half_open",
					        "not with bindto, bind_port, bind_if or fwmark: this TCP_CHECK "
					        "connects");
			}
	return out.take();
}

} // namespace vigil::config
