#pragma once

// The narrow interface to the kernel's IPVS table. NetlinkIpvsClient talks
// to the kernel over generic netlink; FakeIpvsClient keeps a table in memory
// with the kernel's semantics (the same errno for the same mistake), so the
// reconciler is tested without a kernel and one contract test suite runs
// against both.

#include <expected>
#include <span>
#include <string>
#include <vector>

#include "ipvs/ipvs_types.h"

namespace vigil::ipvs {

// One change to the table. A client may send many in one round trip
// (pipelining); results come back per operation.
struct Operation {
	enum class Kind {
		kAddService,
		kEditService,
		kDeleteService,
		kAddDestination,
		kEditDestination,
		kDeleteDestination,
	};
	Kind kind = Kind::kAddService;
	Service service;         // for destination operations, only its key counts
	Destination destination; // destination operations

	// For messages: "add destination 192.0.2.10:80 to -t 192.0.2.1:80".
	std::string str() const;
};

class IpvsClient
{
public:
	virtual ~IpvsClient() = default;

	// Errors are errno values: ENOENT, EEXIST, ESRCH as the kernel gives
	// them; ENOPROTOOPT when the kernel has no IPVS at all.
	virtual std::expected<Info, int> info() = 0;
	// Every service with its destinations.
	virtual std::expected<std::vector<ServiceTable>, int> dump() = 0;
	// Applies `operations` in order and returns one errno per operation
	// (0 when it was done); a failure does not stop the ones after it.
	virtual std::vector<int> apply(std::span<const Operation> operations) = 0;
	// Removes every service (ipvsadm -C).
	virtual int flush() = 0;
	virtual std::expected<Timeouts, int> timeouts() = 0;
	virtual int setTimeouts(const Timeouts &timeouts) = 0;
};

} // namespace vigil::ipvs
