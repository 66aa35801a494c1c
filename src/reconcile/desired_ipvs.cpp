#include "src/reconcile/desired_ipvs.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <fmt/format.h>
#include <linux/ip_vs.h>
#include <netinet/in.h>

namespace vigil::reconcile {
namespace {

ipvs::Address toAddress(const config::IpAddress &a)
{
	ipvs::Address out;
	out.family = a.family;
	out.bytes = a.bytes;
	return out;
}

std::uint16_t ipProtocol(config::LvsProtocol p)
{
	switch (p) {
	case config::LvsProtocol::kTcp:
		return IPPROTO_TCP;
	case config::LvsProtocol::kUdp:
		return IPPROTO_UDP;
	case config::LvsProtocol::kSctp:
		return IPPROTO_SCTP;
	case config::LvsProtocol::kNone:
		break;
	}
	return 0;
}

// The kernel keeps a persistence netmask for IPv4 as a network-order mask
// and for IPv6 as a prefix length; "no granularity" is the full width.
std::uint32_t netmask(const config::VirtualServer &vs, int family)
{
	if (family == AF_INET6) {
		// A group's granularity is read as an IPv4 mask (the group has no
		// family); keepalived then gives its IPv6 services none.
		if (!vs.persistenceGranularity || !vs.persistenceGranularity->isV6())
			return 128;
		int bits = 0;
		for (std::uint8_t b : vs.persistenceGranularity->bytes)
			bits += std::popcount(b);
		return static_cast<std::uint32_t>(bits);
	}
	if (!vs.persistenceGranularity || !vs.persistenceGranularity->isV4())
		return 0xffffffffu;
	std::uint32_t mask;
	std::memcpy(&mask, vs.persistenceGranularity->bytes.data(), 4);
	return mask;
}

ipvs::Service serviceFields(const config::VirtualServer &vs, ipvs::ServiceKey key)
{
	ipvs::Service s;
	s.key = key;
	s.scheduler = vs.scheduler;
	if (vs.persistenceTimeout) {
		s.flags |= IP_VS_SVC_F_PERSISTENT;
		s.timeout = *vs.persistenceTimeout;
	}
	if (vs.ops)
		s.flags |= IP_VS_SVC_F_ONEPACKET;
	if (vs.flag1)
		s.flags |= IP_VS_SVC_F_SCHED1;
	if (vs.flag2)
		s.flags |= IP_VS_SVC_F_SCHED2;
	if (vs.flag3)
		s.flags |= IP_VS_SVC_F_SCHED3;
	s.netmask = netmask(vs, key.family);
	s.persistenceEngine = vs.persistenceEngine;
	return s;
}

int defaultFamily(const config::VirtualServer &vs)
{
	if (vs.family)
		return vs.family;
	for (const auto &rs : vs.realServers)
		if (rs.address.family)
			return rs.address.family;
	return AF_INET;
}

// The kernel services one virtual_server block stands for.
std::vector<ipvs::ServiceKey> serviceKeys(const config::LvsModel &lvs, const config::VirtualServer &vs)
{
	std::vector<ipvs::ServiceKey> keys;
	auto addressKey = [&](const config::IpAddress &a, std::uint16_t port) {
		ipvs::ServiceKey k;
		k.family = a.family;
		k.protocol = ipProtocol(vs.protocol);
		k.address = toAddress(a);
		k.port = port;
		keys.push_back(k);
	};
	auto fwmarkKey = [&](std::uint32_t mark, int family) {
		ipvs::ServiceKey k;
		k.family = family ? family : defaultFamily(vs);
		k.fwmark = mark;
		keys.push_back(k);
	};
	switch (vs.kind) {
	case config::VirtualServerKind::kAddress:
		addressKey(vs.address, vs.port);
		break;
	case config::VirtualServerKind::kFwmark:
		fwmarkKey(vs.fwmark, vs.family);
		break;
	case config::VirtualServerKind::kGroup:
		if (const auto *group = lvs.findGroup(vs.group)) {
			for (const auto &entry : group->entries) {
				if (entry.isFwmark)
					fwmarkKey(entry.fwmark, entry.family);
				else
					for (const auto &a : entry.expand())
						addressKey(a, entry.port);
			}
		}
		break;
	}
	return keys;
}

ipvs::Destination destination(const config::IpAddress &address, std::uint16_t port, const config::ForwardingMethod &fwd,
                              std::uint32_t weight)
{
	ipvs::Destination d;
	d.key.address = toAddress(address);
	d.key.port = port;
	d.weight = weight;
	switch (fwd.kind) {
	case config::ForwardingKind::kNat:
		d.forwarding = ipvs::Forwarding::kMasquerade;
		break;
	case config::ForwardingKind::kDr:
		d.forwarding = ipvs::Forwarding::kDirect;
		break;
	case config::ForwardingKind::kTun:
		d.forwarding = ipvs::Forwarding::kTunnel;
		switch (fwd.tunnelType) {
		case config::TunnelType::kIpip:
			d.tunnelType = IP_VS_CONN_F_TUNNEL_TYPE_IPIP;
			break;
		case config::TunnelType::kGue:
			d.tunnelType = IP_VS_CONN_F_TUNNEL_TYPE_GUE;
			d.tunnelPort = fwd.tunnelPort;
			break;
		case config::TunnelType::kGre:
			d.tunnelType = IP_VS_CONN_F_TUNNEL_TYPE_GRE;
			break;
		}
		if (fwd.tunnelType != config::TunnelType::kIpip) {
			switch (fwd.checksum) {
			case config::TunnelChecksum::kNoCsum:
				d.tunnelFlags = IP_VS_TUNNEL_ENCAP_FLAG_NOCSUM;
				break;
			case config::TunnelChecksum::kCsum:
				d.tunnelFlags = IP_VS_TUNNEL_ENCAP_FLAG_CSUM;
				break;
			case config::TunnelChecksum::kRemCsum:
				d.tunnelFlags = IP_VS_TUNNEL_ENCAP_FLAG_REMCSUM;
				break;
			}
		}
		break;
	}
	return d;
}

// Whether a virtual server has its quorum: keepalived gains it when the
// live weight reaches quorum + hysteresis and loses it below quorum -
// hysteresis, both in its 32-bit arithmetic (a hysteresis it set to
// 2^32-1 for quorum 0 means the quorum is never gained). At start there is
// no quorum yet, so the gaining rule applies.
bool quorumHolds(const config::VirtualServer &vs, std::uint64_t liveWeight, std::optional<bool> wasUp)
{
	if (wasUp.value_or(false))
		return liveWeight >= static_cast<std::uint32_t>(vs.quorum - vs.hysteresis);
	return liveWeight >= static_cast<std::uint32_t>(vs.quorum + vs.hysteresis);
}

// keepalived's pool for one virtual server: live real servers with their
// weight, failed ones with inhibit_on_failure at weight 0. Without the
// quorum a sorry server replaces the pool (inhibited real servers stay at
// weight 0); sorry_server_inhibit keeps it at weight 0 while the quorum
// holds.
std::vector<ipvs::Destination> pool(const config::VirtualServer &vs, const HealthView &health, bool &quorumUp)
{
	const auto vsKey = vs.key();
	quorumUp = quorumHolds(vs, aliveWeight(vs, health), health.quorumWasUp(vsKey));
	const bool sorryActive = !quorumUp && vs.sorryServer;

	std::vector<ipvs::Destination> out;
	out.reserve(vs.realServers.size() + 1);
	for (const auto &rs : vs.realServers) {
		const bool alive = health.alive(vsKey, rs.key());
		std::uint32_t weight = health.weight(vsKey, rs.key()).value_or(rs.weight);
		if (!alive || sorryActive) {
			if (!rs.inhibitOnFailure)
				continue;
			weight = 0;
		}
		auto d = destination(rs.address, rs.port, rs.forwarding, weight);
		d.upperThreshold = rs.upperThreshold;
		d.lowerThreshold = rs.lowerThreshold;
		out.push_back(d);
	}
	if (vs.sorryServer && (sorryActive || vs.sorryServer->inhibit)) {
		const auto &s = *vs.sorryServer;
		out.push_back(destination(s.address, s.port, s.forwarding, sorryActive ? 1 : 0));
	}
	return out;
}

// The pool as one kernel service gets it: direct routing and tunnels keep
// the service's port (none for a fwmark), as keepalived sets them for each
// entry of a group; sorted, and a server listed twice counts once.
std::vector<ipvs::Destination> poolFor(const ipvs::ServiceKey &key, std::vector<ipvs::Destination> pool)
{
	for (auto &d : pool)
		if (d.forwarding != ipvs::Forwarding::kMasquerade)
			d.key.port = key.port;
	std::stable_sort(pool.begin(), pool.end(), [](const auto &a, const auto &b) { return a.key < b.key; });
	pool.erase(std::unique(pool.begin(), pool.end(), [](const auto &a, const auto &b) { return a.key == b.key; }),
	           pool.end());
	return pool;
}

void merge(std::vector<ipvs::Destination> &into, const std::vector<ipvs::Destination> &more)
{
	for (const auto &d : more)
		if (std::none_of(into.begin(), into.end(), [&](const auto &e) { return e.key == d.key; }))
			into.push_back(d);
	std::stable_sort(into.begin(), into.end(), [](const auto &a, const auto &b) { return a.key < b.key; });
}

} // namespace

std::uint64_t aliveWeight(const config::VirtualServer &vs, const HealthView &health)
{
	const auto vsKey = vs.key();
	std::uint64_t sum = 0;
	for (const auto &rs : vs.realServers)
		if (health.alive(vsKey, rs.key()))
			sum += health.weight(vsKey, rs.key()).value_or(rs.weight);
	return sum;
}

std::size_t DesiredIpvs::destinationCount() const
{
	std::size_t n = 0;
	for (const auto &[key, s] : services)
		n += s.destinations.size();
	return n;
}

DesiredIpvs buildDesiredIpvs(const config::LvsModel &lvs, const HealthView &health)
{
	DesiredIpvs out;
	for (std::size_t index = 0; index < lvs.virtualServers.size(); ++index) {
		const auto &vs = lvs.virtualServers[index];
		bool quorumUp = true;
		auto destinations = pool(vs, health, quorumUp);
		out.quorumUp.insert_or_assign(out.quorumUp.end(), vs.key(), quorumUp);
		for (const auto &key : serviceKeys(lvs, vs)) {
			// Configurations list their virtual servers mostly in order:
			// the hint makes those insertions constant time.
			const std::size_t before = out.services.size();
			auto it = out.services.try_emplace(out.services.end(), key);
			if (out.services.size() > before) {
				it->second = DesiredService{serviceFields(vs, key), poolFor(key, destinations), index};
				continue;
			}
			merge(it->second.destinations, poolFor(key, destinations));
			if (!(key.fwmark && vs.kind == config::VirtualServerKind::kGroup))
				out.conflicts.push_back(fmt::format("{}: the service {} is already configured by {}",
				                                    vs.name(), key.str(),
				                                    lvs.virtualServers[it->second.origin].name()));
		}
	}
	return out;
}

} // namespace vigil::reconcile
