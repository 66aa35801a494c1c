// IPVS tables in ipvsadm -Sn's words, for messages and tests.

#include <algorithm>
#include <arpa/inet.h>
#include <fmt/format.h>
#include <linux/ip_vs.h>

#include "src/reconcile/desired_ipvs.h"

namespace vigil::reconcile {
namespace {

std::string endpoint(const ipvs::Address &a, std::uint16_t port)
{
	if (a.family == AF_INET6)
		return fmt::format("[{}]:{}", a.str(), port);
	return fmt::format("{}:{}", a.str(), port);
}

std::string serviceLine(const ipvs::Service &s)
{
	std::string line = fmt::format("-A {} -s {}", s.key.str(), s.scheduler);
	std::vector<const char *> flags;
	if (s.flags & IP_VS_SVC_F_SCHED1)
		flags.push_back("flag-1");
	if (s.flags & IP_VS_SVC_F_SCHED2)
		flags.push_back("flag-2");
	if (s.flags & IP_VS_SVC_F_SCHED3)
		flags.push_back("flag-3");
	if (!flags.empty())
		line += fmt::format(" -b {}", fmt::join(flags, ","));
	if (s.flags & IP_VS_SVC_F_ONEPACKET)
		line += " -o";
	if (s.flags & IP_VS_SVC_F_PERSISTENT) {
		line += fmt::format(" -p {}", s.timeout);
		if (s.key.family == AF_INET6 && s.netmask != 128)
			line += fmt::format(" -M {}", s.netmask);
		if (s.key.family == AF_INET && s.netmask != 0xffffffffu) {
			char text[INET_ADDRSTRLEN] = {};
			::inet_ntop(AF_INET, &s.netmask, text, sizeof text);
			line += fmt::format(" -M {}", text);
		}
	}
	if (!s.persistenceEngine.empty())
		line += fmt::format(" --pe {}", s.persistenceEngine);
	return line;
}

std::string destinationLine(const ipvs::ServiceKey &key, const ipvs::Destination &d)
{
	static constexpr const char *kMethod[] = {"-m", "-l", "-i", "-g"};
	std::string line = fmt::format("-a {} -r {} {} -w {}", key.str(), endpoint(d.key.address, d.key.port),
	                               kMethod[static_cast<unsigned>(d.forwarding) & 3], d.weight);
	if (d.upperThreshold)
		line += fmt::format(" -x {}", d.upperThreshold);
	if (d.lowerThreshold)
		line += fmt::format(" -y {}", d.lowerThreshold);
	if (d.forwarding == ipvs::Forwarding::kTunnel && d.tunnelType != IP_VS_CONN_F_TUNNEL_TYPE_IPIP) {
		line += d.tunnelType == IP_VS_CONN_F_TUNNEL_TYPE_GUE ? " --tun-type gue" : " --tun-type gre";
		if (d.tunnelType == IP_VS_CONN_F_TUNNEL_TYPE_GUE)
			line += fmt::format(" --tun-port {}", d.tunnelPort);
		if (d.tunnelFlags & IP_VS_TUNNEL_ENCAP_FLAG_CSUM)
			line += " --tun-csum";
		else if (d.tunnelFlags & IP_VS_TUNNEL_ENCAP_FLAG_REMCSUM)
			line += " --tun-remcsum";
		else
			line += " --tun-nocsum";
	}
	return line;
}

} // namespace

std::string formatRules(const std::vector<ipvs::ServiceTable> &tables)
{
	std::vector<const ipvs::ServiceTable *> sorted;
	for (const auto &t : tables)
		sorted.push_back(&t);
	std::sort(sorted.begin(), sorted.end(), [](auto *a, auto *b) { return a->service.key < b->service.key; });
	std::string out;
	for (const auto *t : sorted) {
		out += serviceLine(t->service) + "\n";
		auto dests = t->destinations;
		std::sort(dests.begin(), dests.end(), [](const auto &a, const auto &b) { return a.key < b.key; });
		for (const auto &d : dests)
			out += destinationLine(t->service.key, d) + "\n";
	}
	return out;
}

std::string formatRules(const DesiredIpvs &desired)
{
	std::vector<ipvs::ServiceTable> tables;
	tables.reserve(desired.services.size());
	for (const auto &[key, s] : desired.services)
		tables.push_back({s.service, s.destinations});
	return formatRules(tables);
}

} // namespace vigil::reconcile
