// LinkWatcher on the kernel (netns suite): a change made by someone else
// (ip) makes its fd readable and drain() names the link.

#include <gtest/gtest.h>
#include <poll.h>

#include "netlink/link_watcher.h"
#include "netlink/netlink_address_client.h"
#include "tests/netlink/netns.h"

namespace vigil::netlink {
namespace {

using testing::run;
using testing::runQuietly;

class LinkWatcherTest : public ::testing::Test
{
protected:
	void SetUp() override
	{
		runQuietly("ip link del wv0");
		run("ip link add wv0 type veth peer name wv1");
		auto w = LinkWatcher::open();
		ASSERT_TRUE(w) << w.error().text;
		watcher = std::move(*w);
		auto c = NetlinkAddressClient::open();
		ASSERT_TRUE(c) << c.error().text;
		client = std::move(*c);
		auto links = client->links();
		ASSERT_TRUE(links) << links.error().text;
		for (const auto &l : *links)
			if (l.name == "wv0")
				wv0 = l.index;
		ASSERT_GT(wv0, 0);
	}

	void TearDown() override { runQuietly("ip link del wv0"); }

	// Waits (a bounded wait on the fd, as the event loop would) until
	// something is readable; false after `ms`.
	bool readable(int ms = 2000)
	{
		pollfd p{watcher->fd(), POLLIN, 0};
		return ::poll(&p, 1, ms) == 1;
	}

	LinkChanges drain()
	{
		auto c = watcher->drain();
		EXPECT_TRUE(c) << c.error().text;
		return c ? *c : LinkChanges{};
	}

	std::unique_ptr<LinkWatcher> watcher;
	std::unique_ptr<NetlinkAddressClient> client;
	int wv0 = 0;
};

TEST_F(LinkWatcherTest, NothingQueuedIsEmpty)
{
	EXPECT_FALSE(readable(0));
	EXPECT_TRUE(drain().empty());
}

TEST_F(LinkWatcherTest, LinkDownIsReported)
{
	run("ip link set wv0 up");
	ASSERT_TRUE(readable());
	auto up = drain();
	EXPECT_NE(std::find(up.links.begin(), up.links.end(), wv0), up.links.end());
	EXPECT_FALSE(readable(0)) << "drain() read everything";

	run("ip link set wv0 down");
	ASSERT_TRUE(readable());
	auto down = drain();
	EXPECT_NE(std::find(down.links.begin(), down.links.end(), wv0), down.links.end());
	EXPECT_FALSE(down.overrun);
	bool isDown = false;
	auto links = client->links();
	ASSERT_TRUE(links) << links.error().text;
	for (const auto &l : *links)
		if (l.index == wv0)
			isDown = !l.up;
	EXPECT_TRUE(isDown) << "read back after the wakeup, the link is down";
}

TEST_F(LinkWatcherTest, CarrierLossIsReported)
{
	run("ip link set wv0 up");
	run("ip link set wv1 up");
	while (readable(100))
		drain();
	run("ip link set wv1 down"); // wv0 stays up but loses its carrier
	ASSERT_TRUE(readable());
	auto c = drain();
	EXPECT_NE(std::find(c.links.begin(), c.links.end(), wv0), c.links.end());
}

TEST_F(LinkWatcherTest, AddressChangesAreReported)
{
	InterfaceAddress a;
	a.ifindex = wv0;
	a.prefix = *config::IpPrefix::parse("192.0.2.1/32");
	ASSERT_TRUE(client->addAddress(a));
	ASSERT_TRUE(readable());
	auto added = drain();
	EXPECT_EQ(added.addresses, std::vector<int>{wv0});

	run("ip address del 192.0.2.1/32 dev wv0"); // someone else's change
	ASSERT_TRUE(readable());
	auto removed = drain();
	EXPECT_EQ(removed.addresses, std::vector<int>{wv0});
}

TEST_F(LinkWatcherTest, RemovedLinkIsReported)
{
	run("ip link del wv0");
	ASSERT_TRUE(readable());
	auto c = drain();
	EXPECT_NE(std::find(c.links.begin(), c.links.end(), wv0), c.links.end());
}

} // namespace
} // namespace vigil::netlink
