#include "netlink/fake_address_client.h"
#include "tests/netlink/harness.h"

namespace vigil::netlink::testing {

namespace {

// A veth pair on the fake: each end's carrier follows the other end.
class FakeHarness final : public Harness
{
public:
	FakeHarness()
	{
		vg0_ = fake_.addLink("vg0", {0x02, 0, 0, 0, 0, 0x10});
		vg1_ = fake_.addLink("vg1", {0x02, 0, 0, 0, 0, 0x11});
		fake_.setCarrier(vg0_, false);
		fake_.setCarrier(vg1_, false);
	}

	AddressClient &client() override { return fake_; }

	void setUp(const std::string &name, bool up) override
	{
		int index = fake_.indexOf(name);
		fake_.setUp(index, up);
		fake_.setCarrier(index == vg0_ ? vg1_ : vg0_, up);
	}

private:
	FakeAddressClient fake_;
	int vg0_ = 0;
	int vg1_ = 0;
};

} // namespace

std::unique_ptr<Harness> makeHarness()
{
	return std::make_unique<FakeHarness>();
}

} // namespace vigil::netlink::testing
