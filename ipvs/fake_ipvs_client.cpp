#include "ipvs/fake_ipvs_client.h"

#include <cerrno>
#include <cstdint>
#include <linux/ip_vs.h>
#include <netinet/in.h>
#include <set>
#include <string_view>

namespace vigil::ipvs {

namespace {

// The schedulers and persistence engines a Debian kernel has as modules.
bool knownScheduler(std::string_view name)
{
	// "none": a service without a scheduler, which the kernel allows.
	static const std::set<std::string_view> names{"rr",  "wrr", "lc", "wlc", "lblc", "lblcr", "dh",  "sh",
	                                              "sed", "nq",  "fo", "ovf", "mh",   "twos",  "none"};
	return names.contains(name);
}

// ip_vs_add_service / ip_vs_edit_service checks, in the kernel's order.
int checkService(const Service &s)
{
	if (!knownScheduler(s.scheduler))
		return ENOENT;
	if (!s.persistenceEngine.empty() && s.persistenceEngine != "sip")
		return ENOENT;
	// An IPv6 persistence granularity is a prefix length.
	if (s.key.family == AF_INET6 && (s.netmask < 1 || s.netmask > 128))
		return EINVAL;
	return 0;
}

// ip_vs_add_dest / ip_vs_edit_dest checks, before the destination is looked up.
int checkDestination(const Destination &d)
{
	if (d.weight > static_cast<std::uint32_t>(INT32_MAX)) // a negative int to the kernel
		return ERANGE;
	if (d.lowerThreshold > d.upperThreshold)
		return ERANGE;
	// GUE needs a UDP port to send to.
	if (d.tunnelType == IP_VS_CONN_F_TUNNEL_TYPE_GUE && d.tunnelPort == 0)
		return EINVAL;
	return 0;
}

} // namespace

std::expected<Info, int> FakeIpvsClient::info()
{
	if (!available_)
		return std::unexpected(ENOPROTOOPT);
	return Info{0x010201, 4096};
}

std::expected<std::vector<ServiceTable>, int> FakeIpvsClient::dump()
{
	if (!available_)
		return std::unexpected(ENOPROTOOPT);
	std::vector<ServiceTable> out;
	for (const auto &[key, entry] : services_) {
		ServiceTable t{entry.service, {}};
		for (const auto &[dkey, dest] : entry.destinations)
			t.destinations.push_back(dest);
		out.push_back(std::move(t));
	}
	return out;
}

std::vector<int> FakeIpvsClient::apply(std::span<const Operation> operations)
{
	++applyCalls_;
	std::vector<int> results;
	results.reserve(operations.size());
	for (const Operation &op : operations)
		results.push_back(available_ ? applyOne(op) : ENOPROTOOPT);
	return results;
}

int FakeIpvsClient::applyOne(const Operation &op)
{
	using Kind = Operation::Kind;
	auto it = services_.find(op.service.key);
	switch (op.kind) {
	case Kind::kAddService:
		if (it != services_.end())
			return EEXIST;
		if (int rc = checkService(op.service))
			return rc;
		services_.emplace(op.service.key, Entry{op.service, {}});
		return 0;
	case Kind::kEditService:
		if (it == services_.end())
			return ESRCH;
		if (int rc = checkService(op.service))
			return rc;
		it->second.service = op.service;
		return 0;
	case Kind::kDeleteService:
		if (it == services_.end())
			return ESRCH;
		services_.erase(it);
		return 0;
	case Kind::kAddDestination:
	case Kind::kEditDestination:
	case Kind::kDeleteDestination:
		break;
	}
	if (it == services_.end())
		return ESRCH;
	const Destination &d = op.destination;
	auto &dests = it->second.destinations;
	auto dit = dests.find(d.key);
	if (op.kind == Kind::kDeleteDestination) {
		if (dit == dests.end())
			return ENOENT;
		dests.erase(dit);
		return 0;
	}
	// Only a tunnel may cross address families (checked before the rest).
	if (d.key.address.family != it->first.family && d.forwarding != Forwarding::kTunnel)
		return EINVAL;
	if (int rc = checkDestination(d))
		return rc;
	if (op.kind == Kind::kAddDestination) {
		if (dit != dests.end())
			return EEXIST;
		dests.emplace(d.key, d);
		return 0;
	}
	if (dit == dests.end())
		return ENOENT;
	dit->second = d;
	return 0;
}

int FakeIpvsClient::flush()
{
	if (!available_)
		return ENOPROTOOPT;
	services_.clear();
	return 0;
}

std::expected<Timeouts, int> FakeIpvsClient::timeouts()
{
	if (!available_)
		return std::unexpected(ENOPROTOOPT);
	return timeouts_;
}

int FakeIpvsClient::setTimeouts(const Timeouts &t)
{
	if (!available_)
		return ENOPROTOOPT;
	// Zero leaves a timeout as it is.
	if (t.tcp)
		timeouts_.tcp = t.tcp;
	if (t.tcpFin)
		timeouts_.tcpFin = t.tcpFin;
	if (t.udp)
		timeouts_.udp = t.udp;
	return 0;
}

} // namespace vigil::ipvs
