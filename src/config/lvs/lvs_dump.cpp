// The normalized LVS configuration (every resolved value explicit) and the
// scripts it would run.

#include <arpa/inet.h>
#include <bit>
#include <fmt/format.h>

#include "src/config/config.h"
#include "src/config/config_writer.h"
#include "src/config/lvs/lvs_build.h"

namespace vigil::config {

std::vector<std::string> ForwardingMethod::args() const
{
	switch (kind) {
	case ForwardingKind::kNat:
		return {"NAT"};
	case ForwardingKind::kDr:
		return {"DR"};
	case ForwardingKind::kTun:
		break;
	}
	std::vector<std::string> a{"TUN", "type"};
	switch (tunnelType) {
	case TunnelType::kIpip:
		a.push_back("ipip");
		break;
	case TunnelType::kGue:
		a.insert(a.end(), {"gue", "port", std::to_string(tunnelPort)});
		break;
	case TunnelType::kGre:
		a.push_back("gre");
		break;
	}
	if (checksum == TunnelChecksum::kCsum)
		a.push_back("csum");
	else if (checksum == TunnelChecksum::kRemCsum)
		a.push_back("remcsum");
	return a;
}

namespace {

using lvs::formatTimer;

void timer(ConfigWriter &out, std::string_view keyword, double seconds)
{
	out.line(keyword, {formatTimer(seconds)});
}

void yesNo(ConfigWriter &out, std::string_view keyword, bool value)
{
	out.line(keyword, {value ? "yes" : "no"});
}

template <class OptionalScript> void script(ConfigWriter &out, std::string_view keyword, const OptionalScript &s)
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

std::string port(std::uint16_t p)
{
	return std::to_string(p);
}

void defaults(ConfigWriter &out, const CheckerDefaults &d)
{
	if (d.delayLoop)
		timer(out, "delay_loop", *d.delayLoop);
	if (d.connectTimeout)
		timer(out, "connect_timeout", *d.connectTimeout);
	if (d.retry)
		out.number("retry", *d.retry);
	if (d.delayBeforeRetry)
		timer(out, "delay_before_retry", *d.delayBeforeRetry);
	if (d.warmup)
		timer(out, "warmup", *d.warmup);
	if (d.virtualhost)
		out.line("virtualhost", {*d.virtualhost});
}

void endpoint(ConfigWriter &out, const CheckerEndpoint &e)
{
	out.line("connect_ip", {e.connectIp.str()});
	if (e.connectPort)
		out.number("connect_port", e.connectPort);
	if (e.bindTo)
		out.line("bindto", {e.bindTo->str()});
	if (e.bindPort)
		out.number("bind_port", e.bindPort);
	if (!e.bindIf.empty())
		out.line("bind_if", {e.bindIf});
	if (e.fwmark)
		out.number("fwmark", *e.fwmark);
}

void timing(ConfigWriter &out, const Checker &c, bool connectTimeout)
{
	if (connectTimeout)
		timer(out, "connect_timeout", c.connectTimeout);
	out.number("retry", c.retry);
	timer(out, "delay_before_retry", c.delayBeforeRetry);
	timer(out, "warmup", c.warmup);
	timer(out, "delay_loop", c.delayLoop);
	yesNo(out, "alpha", c.alpha);
	out.flag("log_all_failures", c.logAllFailures);
}

void url(ConfigWriter &out, const HttpUrl &u)
{
	out.open("url");
	out.line("path", {u.path});
	if (!u.digest.empty())
		out.line("digest", {u.digest});
	std::vector<std::string> codes;
	for (const auto &r : u.statusCodes)
		codes.push_back(r.low == r.high ? std::to_string(r.low) : fmt::format("{}-{}", r.low, r.high));
	out.line("status_code", codes);
	if (!u.virtualhost.empty())
		out.line("virtualhost", {u.virtualhost});
	if (!u.regex.empty())
		out.line("regex", {u.regex});
	out.flag("regex_no_match", u.regexNoMatch);
	if (!u.regexOptions.empty())
		out.line("regex_options", u.regexOptions);
	if (!u.regexStack.empty())
		out.line("regex_stack", u.regexStack);
	if (!u.regexMinOffset.empty())
		out.line("regex_min_offset", {u.regexMinOffset});
	if (!u.regexMaxOffset.empty())
		out.line("regex_max_offset", {u.regexMaxOffset});
	out.close();
}

void detail(ConfigWriter &out, const CheckerDetail &d)
{
	if (const auto *h = std::get_if<HttpCheck>(&d)) {
		out.line("http_protocol", {h->httpProtocol});
		out.flag("fast_recovery", h->fastRecovery);
		out.flag("enable_sni", h->enableSni);
		if (!h->virtualhost.empty())
			out.line("virtualhost", {h->virtualhost});
		for (const auto &u : h->urls)
			url(out, u);
	} else if (const auto *m = std::get_if<MiscCheck>(&d)) {
		out.line("misc_path", {m->script.command});
		if (!m->script.user.empty()) {
			std::vector<std::string> a{m->script.user};
			if (!m->script.group.empty())
				a.push_back(m->script.group);
			out.line("user", a);
		}
		if (m->timeout)
			out.number("misc_timeout", *m->timeout);
		out.flag("misc_dynamic", m->dynamic);
	} else if (const auto *dns = std::get_if<DnsCheck>(&d)) {
		out.line("type", {dns->type});
		out.line("name", {dns->name});
	} else if (const auto *smtp = std::get_if<SmtpCheck>(&d)) {
		if (!smtp->heloName.empty())
			out.line("helo_name", {smtp->heloName});
		for (const auto &host : smtp->hosts) {
			out.open("host");
			endpoint(out, host);
			out.close();
		}
	} else if (const auto *udp = std::get_if<UdpCheck>(&d)) {
		if (udp->payload && !udp->payload->bytes.empty())
			out.line("payload", udp->payload->words());
		if (udp->requireReply)
			out.line("require_reply", udp->reply && !udp->reply->bytes.empty()
			                                  ? udp->reply->words()
			                                  : std::vector<std::string>{});
		out.number("min_reply_length", udp->minReplyLength);
		out.number("max_reply_length", udp->maxReplyLength);
	} else if (const auto *file = std::get_if<FileCheck>(&d)) {
		out.line("track_file", {file->trackFile});
		if (file->weight) {
			if (file->reverse)
				out.line("weight", {std::to_string(*file->weight), "reverse"});
			else
				out.number("weight", *file->weight);
		}
	} else if (const auto *bfd = std::get_if<BfdCheck>(&d)) {
		out.line("name", {bfd->name});
	} else if (const auto *tcp = std::get_if<TcpCheck>(&d)) {
		out.flag("half_open", tcp->halfOpen);
	}
}

void checker(ConfigWriter &out, const Checker &c)
{
	out.open(checkerKeyword(c.type));
	switch (c.type) {
	case CheckerType::kMisc:
		detail(out, c.detail);
		timing(out, c, false);
		break;
	case CheckerType::kFile:
		detail(out, c.detail);
		break;
	case CheckerType::kBfd:
		detail(out, c.detail);
		yesNo(out, "alpha", c.alpha);
		break;
	default:
		endpoint(out, c.endpoint);
		timing(out, c, true);
		detail(out, c.detail);
		break;
	}
	out.close();
}

void realServer(ConfigWriter &out, const RealServer &rs)
{
	if (rs.port)
		out.open("real_server", {rs.address.str(), port(rs.port)});
	else
		out.open("real_server", {rs.address.str()});
	out.number("weight", rs.weight);
	out.line("lvs_method", rs.forwarding.args());
	yesNo(out, "inhibit_on_failure", rs.inhibitOnFailure);
	if (rs.upperThreshold)
		out.number("uthreshold", rs.upperThreshold);
	if (rs.lowerThreshold)
		out.number("lthreshold", rs.lowerThreshold);
	script(out, "notify_up", rs.notifyUp);
	script(out, "notify_down", rs.notifyDown);
	if (rs.smtpAlert)
		yesNo(out, "smtp_alert", *rs.smtpAlert);
	if (!rs.snmpName.empty())
		out.line("snmp_name", {rs.snmpName});
	defaults(out, rs.defaults.get());
	if (rs.defaults.get().alpha)
		yesNo(out, "alpha", *rs.defaults.get().alpha);
	for (const auto &c : rs.checkers)
		checker(out, c);
	out.close();
}

std::string granularity(const IpAddress &mask)
{
	if (mask.isV4())
		return mask.str();
	int bits = 0;
	for (auto b : mask.bytes)
		bits += std::popcount(b);
	return std::to_string(bits);
}

void virtualServer(ConfigWriter &out, const VirtualServer &vs)
{
	switch (vs.kind) {
	case VirtualServerKind::kAddress:
		if (vs.port)
			out.open("virtual_server", {vs.address.str(), port(vs.port)});
		else
			out.open("virtual_server", {vs.address.str()});
		break;
	case VirtualServerKind::kFwmark:
		out.open("virtual_server", {"fwmark", std::to_string(vs.fwmark)});
		break;
	case VirtualServerKind::kGroup:
		out.open("virtual_server", {"group", vs.group});
		break;
	}
	if (vs.protocol != LvsProtocol::kNone)
		out.line("protocol", {protocolKeyword(vs.protocol)});
	out.line("lvs_sched", {vs.scheduler});
	bool shmh = vs.scheduler == "sh" || vs.scheduler == "mh";
	if (vs.flag1)
		out.line(shmh ? vs.scheduler + "-fallback" : "flag-1");
	if (vs.flag2)
		out.line(shmh ? vs.scheduler + "-port" : "flag-2");
	out.flag("flag-3", vs.flag3);
	out.flag("ops", vs.ops);
	out.line("lvs_method", vs.forwarding.args());
	if (vs.persistenceTimeout)
		out.number("persistence_timeout", *vs.persistenceTimeout);
	bool v6Granularity = vs.persistenceGranularity && vs.persistenceGranularity->isV6();
	// The granularity is read with the family known so far.
	if (vs.kind == VirtualServerKind::kFwmark && v6Granularity)
		out.line("ip_family", {"inet6"});
	if (vs.persistenceGranularity)
		out.line("persistence_granularity", {granularity(*vs.persistenceGranularity)});
	if (vs.kind == VirtualServerKind::kFwmark && !v6Granularity)
		out.line("ip_family", {vs.family == AF_INET6 ? "inet6" : "inet"});
	if (!vs.persistenceEngine.empty())
		out.line("persistence_engine", {vs.persistenceEngine});
	defaults(out, vs.defaults);
	out.flag("alpha", vs.alpha);
	out.flag("omega", vs.omega);
	out.flag("ha_suspend", vs.haSuspend);
	out.flag("inhibit_on_failure", vs.inhibitOnFailure);
	if (vs.weight)
		out.number("weight", *vs.weight);
	// A quorum reduced to 0 (no weight at all) cannot be written; 1 reduces
	// to it again.
	out.number("quorum", std::max<std::uint32_t>(vs.quorum, 1));
	out.number("hysteresis", vs.hysteresis);
	script(out, "quorum_up", vs.quorumUp);
	script(out, "quorum_down", vs.quorumDown);
	if (vs.smtpAlert)
		yesNo(out, "smtp_alert", *vs.smtpAlert);
	if (!vs.snmpName.empty())
		out.line("snmp_name", {vs.snmpName});
	if (const auto &s = vs.sorryServer) {
		if (s->port)
			out.line("sorry_server", {s->address.str(), port(s->port)});
		else
			out.line("sorry_server", {s->address.str()});
		out.line("sorry_server_lvs_method", s->forwarding.args());
		out.flag("sorry_server_inhibit", s->inhibit);
	}
	for (const auto &rs : vs.realServers)
		realServer(out, rs);
	out.close();
}

void group(ConfigWriter &out, const VirtualServerGroup &g)
{
	out.open("virtual_server_group", {g.name});
	for (const VsgEntry &e : g.entries) {
		if (e.isFwmark) {
			std::vector<std::string> a{std::to_string(e.fwmark)};
			if (e.family)
				a.push_back(e.family == AF_INET6 ? "inet6" : "inet");
			out.line("fwmark", a);
			continue;
		}
		std::string range = e.first.str();
		if (e.isRange()) {
			// Appended in two steps: GCC 12 -O3 warns falsely
			// (-Wrestrict) on the concatenation.
			range += '-';
			range += e.last.str();
		}
		if (e.port)
			out.line(range, {port(e.port)});
		else
			out.line(range);
	}
	out.close();
}

} // namespace

void dumpLvs(const Config &config, ConfigWriter &out)
{
	if (const auto &ssl = config.lvs.ssl) {
		out.open("SSL");
		for (auto [keyword, value] : {std::pair{"password", &ssl->password}, std::pair{"ca", &ssl->ca},
		                              std::pair{"certificate", &ssl->certificate}, std::pair{"key", &ssl->key}})
			if (!value->empty())
				out.line(keyword, {*value});
		out.close();
	}
	for (const auto &g : config.lvs.groups)
		group(out, g);
	for (const auto &vs : config.lvs.virtualServers)
		virtualServer(out, vs);
}

void collectLvsScripts(const Config &config, std::vector<const Script *> &out)
{
	for (const auto &vs : config.lvs.virtualServers) {
		if (vs.quorumUp)
			out.push_back(&*vs.quorumUp);
		if (vs.quorumDown)
			out.push_back(&*vs.quorumDown);
		for (const auto &rs : vs.realServers) {
			if (rs.notifyUp)
				out.push_back(&*rs.notifyUp);
			if (rs.notifyDown)
				out.push_back(&*rs.notifyDown);
			for (const auto &c : rs.checkers)
				if (const auto *m = std::get_if<MiscCheck>(&c.detail))
					out.push_back(&m->script);
		}
	}
}

} // namespace vigil::config
