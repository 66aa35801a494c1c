// LinkWatcher on the kernel (netns suite): a change made by someone else
// (ip) makes its fd readable and drain() names the link.

#include <algorithm>
#include <chrono>
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

	Link read(int index)
	{
		auto links = client->links();
		EXPECT_TRUE(links) << links.error().text;
		if (links)
			for (const auto &l : *links)
				if (l.index == index)
					return l;
		return {};
	}

	// What the event loop does: waits for the fd, drains, and reads back
	// the links named; true once a wakeup named `index` and `done(link)`
	// held on reading it back. Carrier changes reach netlink through the
	// kernel's linkwatch, up to a second late: hence a 3 s bound.
	template <typename Fn> bool wakesUpTo(int index, Fn &&done, bool addresses = false)
	{
		using Clock = std::chrono::steady_clock;
		const auto deadline = Clock::now() + std::chrono::seconds(3);
		for (;;) {
			auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
			if (left.count() <= 0 || !readable(static_cast<int>(left.count())))
				return false;
			auto c = drain();
			const auto &named = addresses ? c.addresses : c.links;
			if (std::find(named.begin(), named.end(), index) != named.end() && done(read(index)))
				return true;
		}
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
	EXPECT_TRUE(wakesUpTo(wv0, [](const Link &l) { return l.up; }));
	run("ip link set wv0 down");
	EXPECT_TRUE(wakesUpTo(wv0, [](const Link &l) { return !l.up; }));
}

TEST_F(LinkWatcherTest, CarrierIsReported)
{
	run("ip link set wv0 up");
	run("ip link set wv1 up");
	EXPECT_TRUE(wakesUpTo(wv0, [](const Link &l) { return l.running; }));
	run("ip link set wv1 down"); // wv0 stays up but loses its carrier
	EXPECT_TRUE(wakesUpTo(wv0, [](const Link &l) { return l.up && !l.running; }));
}

TEST_F(LinkWatcherTest, AddressChangesAreReported)
{
	InterfaceAddress a;
	a.ifindex = wv0;
	a.prefix = *config::IpPrefix::parse("192.0.2.1/32");
	ASSERT_TRUE(client->addAddress(a));
	auto any = [](const Link &) { return true; };
	EXPECT_TRUE(wakesUpTo(wv0, any, true));
	run("ip address del 192.0.2.1/32 dev wv0"); // someone else's change
	EXPECT_TRUE(wakesUpTo(wv0, any, true));
}

TEST_F(LinkWatcherTest, RemovedLinkIsReported)
{
	run("ip link del wv0");
	EXPECT_TRUE(wakesUpTo(wv0, [](const Link &l) { return l.index == 0; })) << "gone when read back";
}

} // namespace
} // namespace vigil::netlink
