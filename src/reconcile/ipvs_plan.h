#pragma once

// The smallest list of IPVS operations that turns what the kernel holds
// into what the configuration wants, touching only services vigil owns.

#include <set>
#include <vector>

#include "ipvs/ipvs_client.h"
#include "src/reconcile/desired_ipvs.h"

namespace vigil::reconcile {

// `owned` are the services vigil put in the kernel (or adopted) before: one
// of them that is no longer desired is deleted. A service in `observed` that
// is neither desired nor owned is someone else's and is left alone. Within a
// desired service every destination is vigil's: one added by hand is drift.
//
// Order: deletions of services, then per service edits and deletions before
// additions, then new services with their destinations; each operation
// stands alone, so one failure does not spoil the rest.
std::vector<ipvs::Operation> planIpvs(const DesiredIpvs &desired, const std::vector<ipvs::ServiceTable> &observed,
                                      const std::set<ipvs::ServiceKey> &owned);

} // namespace vigil::reconcile
