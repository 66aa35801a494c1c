#pragma once

// The only writer of the kernel's IPVS table. Each sync reads the table
// back, plans the difference against the desired state and applies it in
// one pipelined batch; it remembers which services are vigil's so that a
// later sync or release touches nothing else.

#include <chrono>
#include <expected>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "ipvs/ipvs_client.h"
#include "src/reconcile/desired_ipvs.h"

namespace vigil::reconcile {

struct SyncReport {
	// Lines kept in each list below; the rest are only counted. A pass
	// that writes 100,000 destinations would otherwise format 100,000
	// lines to log twenty (1.6 s and 30 MB in the test VM).
	static constexpr std::size_t kListed = 20;
	std::size_t writes = 0;           // requests that changed (or tried to change) the kernel
	std::vector<std::string> changes; // what was done, one line per operation ("add destination ...")
	std::vector<std::string> errors;  // operations the kernel refused, with its reason
	std::size_t changesUnlisted = 0;  // beyond the kListed in `changes`
	std::size_t errorsUnlisted = 0;
	std::size_t services = 0; // vigil's services and destinations now
	std::size_t destinations = 0;
	// Where the time went, for -D logs and benchmarks.
	std::chrono::microseconds readTime{0};  // dump of the kernel's table
	std::chrono::microseconds planTime{0};  // the difference
	std::chrono::microseconds applyTime{0}; // the writes, ACKs included
};

class IpvsReconciler
{
public:
	explicit IpvsReconciler(ipvs::IpvsClient &client) : client_(client) {}

	// Makes the kernel hold `desired`. Live services that match are adopted
	// as they are (a restart disturbs nothing); owned services no longer
	// desired are deleted. Fails only when the table cannot be read.
	std::expected<SyncReport, int> sync(const DesiredIpvs &desired);
	// Deletes every service vigil owns (SIGTERM).
	std::expected<SyncReport, int> release();
	// Deletes every service, vigil's or not (lvs_flush, lvs_flush_onstop).
	std::expected<SyncReport, int> flushAll();
	// Sets the connection timeouts given (unset ones are left alone) when
	// the kernel's differ.
	std::expected<SyncReport, int> applyTimeouts(std::optional<std::uint32_t> tcp,
	                                             std::optional<std::uint32_t> tcpFin,
	                                             std::optional<std::uint32_t> udp);

	const std::set<ipvs::ServiceKey> &owned() const { return owned_; }

private:
	SyncReport apply(const std::vector<ipvs::Operation> &plan, std::vector<int> &results);

	ipvs::IpvsClient &client_;
	std::set<ipvs::ServiceKey> owned_;
};

// "File exists" for EEXIST and so on, with the kernel's meaning of the
// IPVS errnos ("No such service" for ESRCH).
std::string ipvsErrorText(int error);

} // namespace vigil::reconcile
