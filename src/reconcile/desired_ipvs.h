#pragma once

// What the kernel's IPVS table should hold for a configuration: the LVS
// half of the model turned into ipvs:: values, one entry per kernel service
// (a virtual_server_group expands to one service per address and fwmark
// entry). Pure: the same model and health give the same table.

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "ipvs/ipvs_types.h"
#include "src/config/lvs/lvs.h"

namespace vigil::reconcile {

// What the health checkers found: which real servers are down, which have a
// weight a misc_dynamic check set, and which virtual servers had their
// quorum when the table was last computed (the quorum has hysteresis, so it
// depends on the past). A server nothing was said about is alive with its
// configured weight.
class HealthView
{
public:
	std::optional<bool> quorumWasUp(const config::VirtualServerKey &vs) const
	{
		auto it = quorumUp_.find(vs);
		return it == quorumUp_.end() ? std::nullopt : std::optional<bool>(it->second);
	}
	void setQuorumStates(std::map<config::VirtualServerKey, bool> states) { quorumUp_ = std::move(states); }

	// Both lookups copy the keys into a pair: skipped when nothing is
	// down or weighted (every server of a 100,000-server start).
	bool alive(const config::VirtualServerKey &vs, const config::RealServerKey &rs) const
	{
		return down_.empty() || !down_.contains({vs, rs});
	}
	void setAlive(const config::VirtualServerKey &vs, const config::RealServerKey &rs, bool alive)
	{
		if (alive)
			down_.erase({vs, rs});
		else
			down_.insert({vs, rs});
	}

	std::optional<std::uint32_t> weight(const config::VirtualServerKey &vs, const config::RealServerKey &rs) const
	{
		if (weights_.empty())
			return std::nullopt;
		auto it = weights_.find({vs, rs});
		return it == weights_.end() ? std::nullopt : std::optional<std::uint32_t>(it->second);
	}
	void setWeight(const config::VirtualServerKey &vs, const config::RealServerKey &rs,
	               std::optional<std::uint32_t> weight)
	{
		if (weight)
			weights_[{vs, rs}] = *weight;
		else
			weights_.erase({vs, rs});
	}
	// Forgets every server's state (a reload states them all again).
	void clearServers()
	{
		down_.clear();
		weights_.clear();
	}

private:
	std::set<std::pair<config::VirtualServerKey, config::RealServerKey>> down_;
	std::map<std::pair<config::VirtualServerKey, config::RealServerKey>, std::uint32_t> weights_;
	std::map<config::VirtualServerKey, bool> quorumUp_;
};

struct DesiredService {
	ipvs::Service service;
	std::vector<ipvs::Destination> destinations; // sorted by key, unique
	// The virtual server it comes from: its index in the model's
	// virtualServers (the first one, when several name this service).
	std::size_t origin = 0;
};

struct DesiredIpvs {
	std::map<ipvs::ServiceKey, DesiredService> services;
	// Two virtual servers naming the same kernel service: the first one's
	// settings win, the destinations of both are merged (as keepalived adds
	// them). A group's fwmark entry shared by its TCP and UDP virtual
	// servers is expected and not listed.
	std::vector<std::string> conflicts;
	// Whether each virtual server has its quorum now, for the next
	// computation (HealthView::setQuorumStates).
	std::map<config::VirtualServerKey, bool> quorumUp;

	std::size_t destinationCount() const;
};

DesiredIpvs buildDesiredIpvs(const config::LvsModel &lvs, const HealthView &health);
// The sum of a virtual server's alive real servers' weights (a
// misc_dynamic weight in place of the configured one), as the quorum
// counts it.
std::uint64_t aliveWeight(const config::VirtualServer &vs, const HealthView &health);

// Services and destinations in ipvsadm -Sn's words, sorted: "-A -t
// 192.0.2.1:80 -s rr" / "-a -t 192.0.2.1:80 -r 192.0.2.10:80 -g -w 1".
// For messages and tests; mirrors what ipvsadm shows of each field.
std::string formatRules(const std::vector<ipvs::ServiceTable> &tables);
std::string formatRules(const DesiredIpvs &desired);

} // namespace vigil::reconcile
