// The harness on the kernel: run only inside the namespace netns_main.cpp
// made, so `ip link` here never sees the host's links.

#include <cstdlib>
#include <cstring>
#include <fmt/format.h>

#include "netlink/netlink_address_client.h"
#include "tests/netlink/harness.h"
#include "tests/netlink/netns.h"

namespace vigil::netlink::testing {

namespace {

class NetnsHarness final : public Harness
{
public:
	NetnsHarness()
	{
		// Deleting one end of a veth pair deletes both, and their addresses.
		runQuietly("ip link del vg0");
		run("ip link add vg0 type veth peer name vg1");
		auto client = NetlinkAddressClient::open();
		if (!client) {
			fmt::print(stderr, "NetlinkAddressClient::open: {}\n", client.error().text);
			std::abort();
		}
		client_ = std::move(*client);
	}

	~NetnsHarness() override { runQuietly("ip link del vg0"); }

	AddressClient &client() override { return *client_; }

	void setUp(const std::string &name, bool up) override
	{
		run(fmt::format("ip link set {} {}", name, up ? "up" : "down"));
	}

private:
	std::unique_ptr<NetlinkAddressClient> client_;
};

} // namespace

std::unique_ptr<Harness> makeHarness()
{
	return std::make_unique<NetnsHarness>();
}

} // namespace vigil::netlink::testing
