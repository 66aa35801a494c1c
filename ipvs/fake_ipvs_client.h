#pragma once

#include <map>

#include "ipvs/ipvs_client.h"

namespace vigil::ipvs {

// The kernel's IPVS table in memory, answering as ip_vs_ctl does: adding
// what exists is EEXIST, naming a service that does not exist is ESRCH, a
// destination that does not exist ENOENT, an unknown scheduler or
// persistence engine ENOENT. Counts the round trips a client would make.
class FakeIpvsClient final : public IpvsClient
{
public:
	std::expected<Info, int> info() override;
	std::expected<std::vector<ServiceTable>, int> dump() override;
	std::vector<int> apply(std::span<const Operation> operations) override;
	int flush() override;
	std::expected<Timeouts, int> timeouts() override;
	int setTimeouts(const Timeouts &timeouts) override;

	// A kernel without IPVS: every call fails with ENOPROTOOPT.
	void setAvailable(bool available) { available_ = available; }
	// Calls to apply() so far: one round trip each for a pipelining client.
	std::size_t applyCalls() const { return applyCalls_; }

private:
	struct Entry {
		Service service;
		std::map<DestinationKey, Destination> destinations;
	};

	int applyOne(const Operation &op);

	std::map<ServiceKey, Entry> services_;
	Timeouts timeouts_{900, 120, 300}; // the kernel's defaults
	bool available_ = true;
	std::size_t applyCalls_ = 0;
};

} // namespace vigil::ipvs
