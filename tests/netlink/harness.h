#pragma once

// The world the address contract cases run in, chosen at link time:
// fake_harness.cpp (FakeAddressClient, unit suite) or netns_harness.cpp
// (NetlinkAddressClient in a network namespace of the test's own, netns
// suite). Each harness starts with a veth pair "vg0" / "vg1", both down and
// without addresses: a veth link has its carrier only while its peer is up.

#include <memory>
#include <string>

#include "netlink/address_client.h"

namespace vigil::netlink::testing {

class Harness
{
public:
	virtual ~Harness() = default;
	virtual AddressClient &client() = 0;
	// ip link set NAME up / down.
	virtual void setUp(const std::string &name, bool up) = 0;
};

std::unique_ptr<Harness> makeHarness();

} // namespace vigil::netlink::testing
