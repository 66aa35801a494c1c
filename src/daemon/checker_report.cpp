// CheckerSide's part of the signal dumps: every virtual server of the
// running configuration, its quorum, its real servers with their health,
// the weight vigil keeps for them in IPVS, and each checker's tally.

#include <fmt/format.h>

#include "src/daemon/checker_side.h"

namespace vigil::daemon {
namespace {

std::string endpoint(const config::IpAddress &address, std::uint16_t port)
{
	return address.family == AF_INET6 ? fmt::format("[{}]:{}", address.str(), port)
	                                  : fmt::format("{}:{}", address.str(), port);
}

// The destinations vigil wants for a virtual server (a group's may be in
// several kernel services: the first one tells).
const ipvs::Destination *findDestination(const reconcile::DesiredIpvs &desired, std::size_t origin,
                                         const config::IpAddress &address, std::uint16_t port)
{
	const ipvs::Destination *sameAddress = nullptr;
	for (const auto &[key, service] : desired.services) {
		if (service.origin != origin)
			continue;
		for (const auto &d : service.destinations) {
			if (d.key.address.str() != address.str())
				continue;
			if (d.key.port == port)
				return &d;
			// DR and TUN destinations take the service's port.
			if (!sameAddress)
				sameAddress = &d;
		}
	}
	return sameAddress;
}

} // namespace

void CheckerSide::report(StateReport &out) const
{
	out.ipvsAvailable = ipvs_.available();
	const auto &lvs = ipvs_.lvs();
	const auto &health = ipvs_.health();
	const auto &desired = ipvs_.desired();
	std::map<checkers::CheckerKey, const checkers::CheckerSpec *> specs;
	const auto all = checkers::checkerSpecs(lvs);
	for (const auto &spec : all)
		specs.emplace(spec.key, &spec);

	for (std::size_t index = 0; index < lvs.virtualServers.size(); ++index) {
		const auto &vs = lvs.virtualServers[index];
		VirtualServerReport vr;
		vr.name = vs.name();
		vr.scheduler = vs.scheduler;
		vr.forwarding = vs.forwarding.args().front();
		vr.delayLoop = vs.delayLoop();
		vr.quorum = vs.quorum;
		vr.hysteresis = vs.hysteresis;
		vr.aliveWeight = reconcile::aliveWeight(vs, health);
		vr.quorumUp = health.quorumWasUp(vs.key()).value_or(true);
		if (vs.sorryServer) {
			vr.sorryServer = endpoint(vs.sorryServer->address, vs.sorryServer->port);
			vr.sorryActive = findDestination(desired, index, vs.sorryServer->address, vs.sorryServer->port);
		}
		for (const auto &rs : vs.realServers) {
			RealServerReport rr;
			rr.address = rs.address.str();
			rr.port = rs.port;
			rr.weight = rs.weight;
			rr.alive = health.alive(vs.key(), rs.key());
			if (const auto *d = findDestination(desired, index, rs.address, rs.port))
				rr.kernelWeight = d->weight;
			for (std::size_t i = 0; i < rs.checkers.size(); ++i) {
				const checkers::CheckerKey key{{vs.key(), rs.key()}, i};
				CheckerReport cr;
				cr.type = std::string(config::checkerKeyword(rs.checkers[i].type));
				if (auto it = specs.find(key); it != specs.end())
					cr.target = endpoint(it->second->address, it->second->port);
				cr.up = scheduler_.up(key);
				if (const auto *tally = scheduler_.tally(key)) {
					cr.checks = tally->checks;
					cr.failures = tally->failures;
					if (tally->checks)
						cr.lastResult = tally->lastOk ? "ok" : tally->lastFailure;
				}
				rr.checkers.push_back(std::move(cr));
			}
			vr.realServers.push_back(std::move(rr));
		}
		out.virtualServers.push_back(std::move(vr));
	}
}

} // namespace vigil::daemon
