#include <cstdlib>
#include <cstring>
#include <fmt/format.h>

#include "ipvs/netlink_ipvs_client.h"
#include "tests/ipvs/client_factory.h"

namespace vigil::ipvs::testing {

// The kernel's table outlives a client: start each case from nothing and
// from the kernel's default timeouts, as a fresh FakeIpvsClient does.
std::unique_ptr<IpvsClient> makeClient()
{
	auto client = NetlinkIpvsClient::open();
	if (!client) {
		fmt::print(stderr, "NetlinkIpvsClient::open: {}\n", std::strerror(client.error()));
		std::abort();
	}
	if (int rc = (*client)->flush(); rc != 0 || (*client)->setTimeouts({900, 120, 300}) != 0) {
		fmt::print(stderr, "cannot reset the IPVS table: {}\n", std::strerror(rc));
		std::abort();
	}
	return std::move(*client);
}

} // namespace vigil::ipvs::testing
