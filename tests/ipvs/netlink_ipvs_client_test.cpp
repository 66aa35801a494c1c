// NetlinkIpvsClient on the machine the unit suite runs on. Opening a
// generic netlink socket needs no privilege; the development kernel has no
// IPVS (DESIGN.md), which must be an error value, not a crash.

#include <filesystem>
#include <gtest/gtest.h>

#include "ipvs/netlink_ipvs_client.h"

namespace vigil::ipvs {
namespace {

TEST(NetlinkIpvsClient, OpenWithoutIpvsIsEnoprotoopt)
{
	if (std::filesystem::exists("/proc/net/ip_vs"))
		GTEST_SKIP() << "this kernel has IPVS";
	auto client = NetlinkIpvsClient::open();
	ASSERT_FALSE(client);
	EXPECT_EQ(client.error(), ENOPROTOOPT);
}

} // namespace
} // namespace vigil::ipvs
