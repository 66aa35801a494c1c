#pragma once

// The client the contract cases run against, chosen at link time:
// fake_client_factory.cpp (unit suite) or netlink_client_factory.cpp (the
// kernel in the test VM). Each call returns a client on an empty table with
// the default timeouts.

#include <memory>

#include "ipvs/ipvs_client.h"

namespace vigil::ipvs::testing {

std::unique_ptr<IpvsClient> makeClient();

} // namespace vigil::ipvs::testing
