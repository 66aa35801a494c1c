// What only the netlink client does (netns suite): the kernel's own words
// in errors, and reading the namespace's links as ip shows them.

#include <cerrno>
#include <gtest/gtest.h>

#include "netlink/netlink_address_client.h"
#include "tests/netlink/netns.h"

namespace vigil::netlink {
namespace {

TEST(NetlinkAddressClient, ErrorsCarryTheKernelsWords)
{
	testing::runQuietly("ip link del ev0");
	testing::run("ip link add ev0 type veth peer name ev1");
	auto client = NetlinkAddressClient::open();
	ASSERT_TRUE(client) << client.error().text;
	int ev0 = 0;
	auto links = (*client)->links();
	ASSERT_TRUE(links) << links.error().text;
	for (const auto &l : *links)
		if (l.name == "ev0")
			ev0 = l.index;
	ASSERT_GT(ev0, 0);
	InterfaceAddress a;
	a.ifindex = ev0;
	a.prefix = *config::IpPrefix::parse("192.0.2.1/24");
	ASSERT_TRUE((*client)->addAddress(a));
	auto again = (*client)->addAddress(a);
	ASSERT_FALSE(again);
	EXPECT_EQ(again.error().errnum, EEXIST);
	// "File exists (ipv4: Address already assigned.)" on 6.x; older kernels
	// give no reason.
	EXPECT_TRUE(again.error().text.starts_with("File exists")) << again.error().text;
	testing::runQuietly("ip link del ev0");
}

TEST(NetlinkAddressClient, LoopbackIsThere)
{
	auto client = NetlinkAddressClient::open();
	ASSERT_TRUE(client) << client.error().text;
	auto links = (*client)->links();
	ASSERT_TRUE(links) << links.error().text;
	ASSERT_FALSE(links->empty());
	EXPECT_EQ((*links)[0].name, "lo");
	EXPECT_EQ((*links)[0].index, 1);
}

} // namespace
} // namespace vigil::netlink
