#include "src/daemon/state_report.h"

#include <cmath>
#include <ctime>
#include <fmt/format.h>

namespace vigil::daemon {
namespace {

// "1796122891.401560 (Tue Dec  1 11:01:31.401560 2026)", keepalived's way
// of printing a time.
std::string timeText(double seconds)
{
	const auto whole = static_cast<std::time_t>(std::floor(seconds));
	const auto micros = static_cast<long>(std::lround((seconds - static_cast<double>(whole)) * 1e6)) % 1000000;
	std::tm local{};
	::localtime_r(&whole, &local);
	char clock[64];
	std::strftime(clock, sizeof clock, "%a %b %e %H:%M:%S", &local);
	return fmt::format("{}.{:06} ({}.{:06} {})", static_cast<long long>(whole), micros, clock, micros,
	                   local.tm_year + 1900);
}

std::string intervalText(double seconds)
{
	if (seconds == std::floor(seconds))
		return fmt::format("{} sec", static_cast<long long>(seconds));
	return fmt::format("{} milli-sec", std::lround(seconds * 1000));
}

// A JSON text built in order; commas and escapes are its business.
class Json
{
public:
	Json &open(char bracket)
	{
		separate();
		out_ += bracket;
		first_ = true;
		return *this;
	}
	Json &close(char bracket)
	{
		out_ += bracket;
		first_ = false;
		return *this;
	}
	Json &key(std::string_view name)
	{
		separate();
		quote(name);
		out_ += ':';
		first_ = true; // the value follows without a comma
		return *this;
	}
	Json &string(std::string_view text)
	{
		separate();
		quote(text);
		return *this;
	}
	Json &raw(std::string_view text)
	{
		separate();
		out_ += text;
		return *this;
	}
	Json &number(std::uint64_t n) { return raw(std::to_string(n)); }
	Json &number(std::int64_t n) { return raw(std::to_string(n)); }
	Json &number(int n) { return raw(std::to_string(n)); }
	Json &real(double d) { return raw(fmt::format("{:.6f}", d)); }
	Json &boolean(bool b) { return raw(b ? "true" : "false"); }
	Json &null() { return raw("null"); }
	std::string take() { return std::move(out_) + "\n"; }

private:
	void separate()
	{
		if (!first_)
			out_ += ',';
		first_ = false;
	}
	void quote(std::string_view text)
	{
		out_ += '"';
		for (const char c : text) {
			switch (c) {
			case '"':
				out_ += "\\\"";
				break;
			case '\\':
				out_ += "\\\\";
				break;
			case '\n':
				out_ += "\\n";
				break;
			case '\t':
				out_ += "\\t";
				break;
			default:
				if (static_cast<unsigned char>(c) < 0x20)
					out_ += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
				else
					out_ += c;
			}
		}
		out_ += '"';
	}

	std::string out_;
	bool first_ = true;
};

std::string vipLine(const VrrpInstanceReport &vi, const std::string &vip)
{
	return vi.vipsSet ? vip + " set" : vip;
}

void dataInstance(std::string &out, const VrrpInstanceReport &vi)
{
	auto line = [&out](std::string_view key, const auto &value) { out += fmt::format("   {} = {}\n", key, value); };
	out += fmt::format(" VRRP Instance = {}\n", vi.name);
	line("VRRP Version", vi.version);
	line("State", vi.state);
	if (!vi.unicastPeers.empty())
		out += "   Flags:\n     Using unicast\n";
	line("Wantstate", vi.wantState);
	line("Last transition", timeText(vi.lastTransition));
	line("Interface", vi.interface);
	line("Using src_ip", vi.sourceAddress);
	line("Virtual Router ID", vi.vrid);
	line("Priority", vi.basePriority);
	line("Effective priority", vi.effectivePriority);
	line("Advert interval", intervalText(vi.advertInterval));
	line("Preempt", vi.preempt ? "enabled" : "disabled");
	if (vi.preemptDelay > 0)
		line("Preempt delay", intervalText(vi.preemptDelay));
	line("Authentication type", vi.passwordAuth ? "SIMPLE_PASSWORD" : "none");
	if (vi.passwordAuth)
		line("Password", vi.password);
	out += fmt::format("   Virtual IP ({}):\n", vi.vips.size());
	for (const auto &vip : vi.vips)
		out += fmt::format("     {}\n", vipLine(vi, vip));
	if (!vi.unicastPeers.empty()) {
		out += "   Unicast Peer :\n";
		for (const auto &peer : vi.unicastPeers)
			out += fmt::format("     {} min_ttl 0 max_ttl 255\n", peer);
	}
	if (!vi.trackScripts.empty()) {
		out += "   Tracked scripts :\n";
		for (const auto &[name, weight] : vi.trackScripts)
			out += fmt::format("     {} weight {}\n", name, weight);
	}
}

void dataScript(std::string &out, const VrrpScriptReport &s)
{
	auto line = [&out](std::string_view key, const auto &value) { out += fmt::format("   {} = {}\n", key, value); };
	out += fmt::format(" VRRP Script = {}\n", s.name);
	line("Command", "'" + s.command + "'");
	line("Interval", intervalText(s.interval));
	line("Timeout", intervalText(s.timeout));
	line("Weight", s.weight);
	line("Rise", s.rise);
	line("Fall", s.fall);
	line("Status", s.status);
	out += "   Tracking instances :\n";
	for (const auto &[name, weight] : s.instances)
		out += fmt::format("     {}, weight {}\n", name, weight);
	line("State", "idle");
}

void dataVirtualServer(std::string &out, const VirtualServerReport &vs)
{
	out += fmt::format(" Virtual Server = {}\n", vs.name);
	out += fmt::format("   delay_loop = {}, lb_algo = {}, lb_kind = {}\n", vs.delayLoop, vs.scheduler,
	                   vs.forwarding);
	out += fmt::format("   quorum = {}, hysteresis = {}, alive weight = {}, quorum {}\n", vs.quorum, vs.hysteresis,
	                   vs.aliveWeight, vs.quorumUp ? "up" : "down");
	if (vs.sorryServer)
		out += fmt::format("   sorry server = {} ({})\n", *vs.sorryServer, vs.sorryActive ? "in use" : "idle");
	for (const auto &rs : vs.realServers) {
		out += fmt::format("   Real Server = {}:{}\n", rs.address, rs.port);
		out += fmt::format("     weight = {}, {}", rs.weight, rs.alive ? "alive" : "dead");
		if (rs.kernelWeight)
			out += fmt::format(", in IPVS with weight {}\n", *rs.kernelWeight);
		else
			out += ", not in IPVS\n";
		for (const auto &c : rs.checkers)
			out += fmt::format("     {} {} {}: {} checks, {} failed{}{}\n", c.type, c.target,
			                   c.up ? "up" : "down", c.checks, c.failures,
			                   c.lastResult.empty() ? "" : ", last: ", c.lastResult);
	}
}

void jsonCounters(Json &j, const VrrpCounters &c)
{
	j.key("advert_rcvd").number(c.advertsReceived);
	j.key("advert_sent").number(c.advertsSent);
	j.key("become_master").number(c.becameMaster);
	j.key("release_master").number(c.releasedMaster);
	j.key("packet_len_err").number(c.lengthErrors);
	j.key("advert_interval_err").number(c.intervalErrors);
	j.key("ip_ttl_err").number(c.ttlErrors);
	j.key("invalid_type_rcvd").number(c.invalidType);
	j.key("addr_list_err").number(c.addressListErrors);
	j.key("invalid_authtype").number(std::uint64_t{0});
	j.key("authtype_mismatch").number(c.authTypeMismatch);
	j.key("auth_failure").number(c.authFailure);
	j.key("pri_zero_rcvd").number(c.priorityZeroReceived);
	j.key("pri_zero_sent").number(c.priorityZeroSent);
}

void jsonStrings(Json &j, const std::vector<std::string> &items)
{
	j.open('[');
	for (const auto &item : items)
		j.string(item);
	j.close(']');
}

} // namespace

int keepalivedStateNumber(const std::string &state)
{
	if (state == "BACKUP")
		return 1;
	if (state == "MASTER")
		return 2;
	if (state == "FAULT")
		return 3;
	return 0;
}

std::string dataText(const StateReport &report)
{
	std::string out = "------< Global definitions >------\n";
	out += fmt::format(" Router ID = {}\n", report.routerId);
	out += fmt::format(" Configuration file = {}\n", report.configFile);
	out += fmt::format(" vigil version = {}, pid {}\n", report.version, report.pid);
	if (!report.instances.empty()) {
		out += "------< VRRP Topology >------\n";
		for (const auto &vi : report.instances)
			dataInstance(out, vi);
	}
	if (!report.scripts.empty()) {
		out += "------< VRRP Scripts >------\n";
		for (const auto &s : report.scripts)
			dataScript(out, s);
	}
	if (!report.virtualServers.empty()) {
		out += "------< LVS Topology >------\n";
		out += fmt::format(" System = IP Virtual Server {}\n",
		                   report.ipvsAvailable ? "available" : "not available");
		for (const auto &vs : report.virtualServers)
			dataVirtualServer(out, vs);
	}
	return out;
}

std::string statsText(const StateReport &report)
{
	std::string out;
	for (const auto &vi : report.instances) {
		const auto &c = vi.counters;
		out += fmt::format("VRRP Instance: {}\n", vi.name);
		out += fmt::format("  Advertisements:\n    Received: {}\n    Sent: {}\n", c.advertsReceived,
		                   c.advertsSent);
		out += fmt::format("  Became master: {}\n  Released master: {}\n", c.becameMaster, c.releasedMaster);
		out += fmt::format("  Packet Errors:\n    Length: {}\n    TTL: {}\n    Invalid Type: {}\n"
		                   "    Advertisement Interval: {}\n    Address List: {}\n",
		                   c.lengthErrors, c.ttlErrors, c.invalidType, c.intervalErrors, c.addressListErrors);
		out += fmt::format(
		        "  Authentication Errors:\n    Invalid Type: 0\n    Type Mismatch: {}\n    Failure: {}\n",
		        c.authTypeMismatch, c.authFailure);
		out += fmt::format("  Priority Zero:\n    Received: {}\n    Sent: {}\n", c.priorityZeroReceived,
		                   c.priorityZeroSent);
	}
	return out;
}

std::string keepalivedJson(const StateReport &report)
{
	Json j;
	j.open('[');
	for (const auto &vi : report.instances) {
		j.open('{').key("data").open('{');
		j.key("iname").string(vi.name);
		j.key("dont_track_primary").number(0);
		j.key("skip_check_adv_addr").number(0);
		j.key("strict_mode").number(0);
		j.key("vmac_ifname").string("");
		j.key("ifp_ifname").string(vi.interface);
		j.key("master_priority").number(0);
		j.key("last_transition").real(vi.lastTransition);
		j.key("garp_delay").raw(fmt::format("{}", vi.garpDelay));
		j.key("garp_refresh").raw(fmt::format("{}", vi.garpRefresh));
		j.key("garp_rep").number(vi.garpRepeat);
		j.key("garp_refresh_rep").number(vi.garpRefreshRepeat);
		j.key("garp_lower_prio_delay").raw(fmt::format("{}", vi.garpDelay));
		j.key("garp_lower_prio_rep").number(vi.garpLowerPrioRepeat);
		j.key("lower_prio_no_advert").number(vi.lowerPrioNoAdvert ? 1 : 0);
		j.key("higher_prio_send_advert").number(vi.higherPrioSendAdvert ? 1 : 0);
		j.key("vrid").number(vi.vrid);
		j.key("base_priority").number(vi.basePriority);
		j.key("effective_priority").number(vi.effectivePriority);
		j.key("vipset").boolean(vi.vipsSet);
		j.key("promote_secondaries").boolean(false);
		j.key("adver_int").raw(fmt::format("{}", vi.advertInterval));
		j.key("master_adver_int").raw(fmt::format("{}", vi.masterAdvertInterval));
		j.key("accept").number(1);
		j.key("nopreempt").boolean(!vi.preempt);
		j.key("preempt_delay").raw(fmt::format("{}", vi.preemptDelay));
		j.key("state").number(keepalivedStateNumber(vi.state));
		j.key("wantstate").number(keepalivedStateNumber(vi.wantState));
		j.key("version").number(vi.version);
		j.key("smtp_alert").boolean(false);
		j.key("notify_deleted").boolean(false);
		std::vector<std::string> vips;
		for (const auto &vip : vi.vips)
			vips.push_back(vipLine(vi, vip));
		j.key("vips");
		jsonStrings(j, vips);
		j.key("track_script").open('[');
		for (const auto &script : report.scripts)
			for (const auto &[name, weight] : vi.trackScripts)
				if (name == script.name)
					j.string("'" + script.command + "'");
		j.close(']');
		j.key("auth_type").number(vi.passwordAuth ? 1 : 0);
		if (vi.passwordAuth)
			j.key("auth_data").string(vi.password);
		j.close('}');
		j.key("stats").open('{');
		jsonCounters(j, vi.counters);
		j.close('}').close('}');
	}
	j.close(']');
	return j.take();
}

std::string vigilJson(const StateReport &report)
{
	Json j;
	j.open('{');
	j.key("schema").number(1);
	j.key("program").string("vigil");
	j.key("version").string(report.version);
	j.key("pid").number(static_cast<std::int64_t>(report.pid));
	j.key("time").real(report.time);
	j.key("config_file").string(report.configFile);
	j.key("router_id").string(report.routerId);
	j.key("vrrp_instances").open('[');
	for (const auto &vi : report.instances) {
		j.open('{');
		j.key("name").string(vi.name);
		j.key("state").string(vi.state);
		j.key("wanted_state").string(vi.wantState);
		j.key("interface").string(vi.interface);
		j.key("vrid").number(vi.vrid);
		j.key("version").number(vi.version);
		j.key("priority").number(vi.basePriority);
		j.key("effective_priority").number(vi.effectivePriority);
		j.key("advert_interval").raw(fmt::format("{}", vi.advertInterval));
		j.key("source_address").string(vi.sourceAddress);
		j.key("unicast_peers");
		jsonStrings(j, vi.unicastPeers);
		j.key("vips");
		jsonStrings(j, vi.vips);
		j.key("vips_set").boolean(vi.vipsSet);
		j.key("preempt").boolean(vi.preempt);
		j.key("last_transition").real(vi.lastTransition);
		j.key("track_scripts").open('[');
		for (const auto &[name, weight] : vi.trackScripts)
			j.open('{').key("name").string(name).key("weight").number(weight).close('}');
		j.close(']');
		j.key("counters").open('{');
		jsonCounters(j, vi.counters);
		j.key("drops").open('{');
		for (const auto &[reason, count] : vi.counters.drops)
			j.key(reason).number(count);
		j.close('}').close('}');
		j.close('}');
	}
	j.close(']');
	j.key("vrrp_scripts").open('[');
	for (const auto &s : report.scripts)
		j.open('{')
		        .key("name")
		        .string(s.name)
		        .key("command")
		        .string(s.command)
		        .key("status")
		        .string(s.status)
		        .key("weight")
		        .number(s.weight)
		        .close('}');
	j.close(']');
	j.key("ipvs_available").boolean(report.ipvsAvailable);
	j.key("virtual_servers").open('[');
	for (const auto &vs : report.virtualServers) {
		j.open('{');
		j.key("name").string(vs.name);
		j.key("scheduler").string(vs.scheduler);
		j.key("forwarding").string(vs.forwarding);
		j.key("delay_loop").raw(fmt::format("{}", vs.delayLoop));
		j.key("quorum").number(std::uint64_t{vs.quorum});
		j.key("hysteresis").number(std::uint64_t{vs.hysteresis});
		j.key("alive_weight").number(vs.aliveWeight);
		j.key("quorum_up").boolean(vs.quorumUp);
		j.key("sorry_server");
		if (vs.sorryServer)
			j.open('{')
			        .key("address")
			        .string(*vs.sorryServer)
			        .key("in_use")
			        .boolean(vs.sorryActive)
			        .close('}');
		else
			j.null();
		j.key("real_servers").open('[');
		for (const auto &rs : vs.realServers) {
			j.open('{');
			j.key("address").string(rs.address);
			j.key("port").number(int{rs.port});
			j.key("weight").number(std::uint64_t{rs.weight});
			j.key("alive").boolean(rs.alive);
			j.key("ipvs_weight");
			if (rs.kernelWeight)
				j.number(std::uint64_t{*rs.kernelWeight});
			else
				j.null();
			j.key("checkers").open('[');
			for (const auto &c : rs.checkers)
				j.open('{')
				        .key("type")
				        .string(c.type)
				        .key("target")
				        .string(c.target)
				        .key("up")
				        .boolean(c.up)
				        .key("checks")
				        .number(c.checks)
				        .key("failures")
				        .number(c.failures)
				        .key("last_result")
				        .string(c.lastResult)
				        .close('}');
			j.close(']').close('}');
		}
		j.close(']').close('}');
	}
	j.close(']');
	j.close('}');
	return j.take();
}

} // namespace vigil::daemon
