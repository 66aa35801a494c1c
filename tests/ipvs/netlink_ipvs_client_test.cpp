// NetlinkIpvsClient on the machine the unit suite runs on. Opening a
// generic netlink socket needs no privilege; the development and CI kernel
// has no IPVS (DESIGN.md), which must be an error value, not a crash. On a
// kernel with IPVS the same call must succeed instead.

#include <filesystem>
#include <gtest/gtest.h>

#include "ipvs/netlink_ipvs_client.h"

namespace vigil::ipvs {
namespace {

TEST(NetlinkIpvsClient, OpenReflectsWhetherTheKernelHasIpvs)
{
	auto client = NetlinkIpvsClient::open();
	if (std::filesystem::exists("/proc/net/ip_vs")) {
		EXPECT_TRUE(client) << "the kernel has IPVS, open() failed with errno "
		                    << (client ? 0 : client.error());
		return;
	}
	ASSERT_FALSE(client);
	EXPECT_EQ(client.error(), ENOPROTOOPT);
}

} // namespace
} // namespace vigil::ipvs
