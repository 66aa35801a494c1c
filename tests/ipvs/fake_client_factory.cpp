#include "ipvs/fake_ipvs_client.h"
#include "tests/ipvs/client_factory.h"

namespace vigil::ipvs::testing {

std::unique_ptr<IpvsClient> makeClient()
{
	return std::make_unique<FakeIpvsClient>();
}

} // namespace vigil::ipvs::testing
