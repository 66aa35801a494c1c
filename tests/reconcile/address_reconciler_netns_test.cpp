// The address reconciler on the kernel (netns suite, in the namespace
// netns_main.cpp made): what the kernel reads back must match what was
// asked, or every sync would replace the VIPs it just added.

#include <gtest/gtest.h>
#include <linux/if_addr.h>
#include <sys/socket.h>

#include "netlink/netlink_address_client.h"
#include "src/reconcile/address_reconciler.h"
#include "tests/netlink/netns.h"

namespace vigil::reconcile {
namespace {

using netlink::testing::run;
using netlink::testing::runQuietly;
using Lines = std::vector<std::string>;

config::VirtualAddress vip(const char *prefix, const char *dev = "rv0")
{
	config::VirtualAddress a;
	a.prefix = *config::IpPrefix::parse(prefix);
	a.dev = dev;
	if (a.prefix.address.isV6())
		a.noDad = true;
	return a;
}

Lines lines(const std::vector<AddressReport> &reports)
{
	Lines out;
	for (const auto &r : reports)
		out.push_back(r.str());
	return out;
}

class AddressReconcilerNetns : public ::testing::Test
{
protected:
	void SetUp() override
	{
		runQuietly("ip link del rv0");
		run("ip link add rv0 type veth peer name rv1");
		auto c = netlink::NetlinkAddressClient::open();
		ASSERT_TRUE(c) << c.error().text;
		client = std::move(*c);
		reconciler = std::make_unique<AddressReconciler>(*client);
	}

	void TearDown() override { runQuietly("ip link del rv0"); }

	// Whether rv0 has the address (other tests' links may have it too).
	bool has(const char *prefix)
	{
		int rv0 = 0;
		auto links = client->links();
		EXPECT_TRUE(links);
		for (const auto &l : *links)
			if (l.name == "rv0")
				rv0 = l.index;
		auto all = client->addresses(0);
		EXPECT_TRUE(all);
		for (const auto &a : *all)
			if (a.ifindex == rv0 && a.prefix == *config::IpPrefix::parse(prefix))
				return true;
		return false;
	}

	std::unique_ptr<netlink::NetlinkAddressClient> client;
	std::unique_ptr<AddressReconciler> reconciler;
};

TEST_F(AddressReconcilerNetns, WhatWasAddedReadsBackAsAsked)
{
	auto labelled = vip("192.0.2.10/24");
	labelled.broadcast = *config::IpAddress::parse("192.0.2.255");
	labelled.scope = "link";
	labelled.label = "rv0:vip";
	labelled.noPrefixRoute = true;
	auto p2p = vip("10.0.0.1/32");
	p2p.peer = *config::IpAddress::parse("10.0.0.2");
	auto six = vip("2001:db8::10/64");
	six.home = true;
	six.noPrefixRoute = true;
	auto hostScoped = vip("198.51.100.1/32");
	hostScoped.scope = "host";
	hostScoped.noDad = true; // dropped for IPv4: must not look like drift
	std::vector<config::VirtualAddress> want{labelled, p2p, six, hostScoped, vip("2001:db8::11/128")};

	auto reports = reconciler->sync("VI_1", want);
	EXPECT_EQ(lines(reports),
	          (Lines{"[VI_1] added 192.0.2.10/24 dev rv0", "[VI_1] added 10.0.0.1/32 peer 10.0.0.2 dev rv0",
	                 "[VI_1] added 2001:db8::10/64 dev rv0", "[VI_1] added 198.51.100.1/32 dev rv0",
	                 "[VI_1] added 2001:db8::11/128 dev rv0"}));
	EXPECT_TRUE(reconciler->sync("VI_1", want).empty());
	run("ip link set rv0 up"); // the kernel adds a link-local address: not vigil's business
	run("ip link set rv1 up");
	EXPECT_TRUE(reconciler->sync("VI_1", want).empty());

	EXPECT_EQ(reconciler->sync("VI_1", {}).size(), want.size());
	for (const auto &a : want)
		EXPECT_FALSE(has(a.prefix.str().c_str())) << a.prefix.str();
}

TEST_F(AddressReconcilerNetns, TheAdminsAddressStays)
{
	run("ip address add 192.0.2.1/32 dev rv0");
	auto reports = reconciler->sync("VI_1", {vip("192.0.2.1/32")});
	EXPECT_EQ(lines(reports), Lines{"[VI_1] 192.0.2.1/32 dev rv0 was already there and is not vigil's: used, "
	                                "never deleted"});
	EXPECT_TRUE(reconciler->releaseAll().empty());
	EXPECT_TRUE(has("192.0.2.1/32"));
}

TEST_F(AddressReconcilerNetns, SecondariesTakenWithAPrimaryAreAddedBack)
{
	reconciler->sync("VI_1", {vip("192.0.2.100/24")});
	run("ip address add 192.0.2.5/24 dev rv0 label rv0:admin"); // a secondary of the VIP
	auto reports = reconciler->sync("VI_1", {});
	EXPECT_EQ(lines(reports), (Lines{"[VI_1] added back 192.0.2.5/24 dev rv0, which the kernel deleted with its "
	                                 "subnet's primary",
	                                 "[VI_1] deleted 192.0.2.100/24 dev rv0"}));
	EXPECT_FALSE(has("192.0.2.100/24"));
	EXPECT_TRUE(has("192.0.2.5/24"));
	auto all = client->addresses(AF_INET);
	ASSERT_TRUE(all);
	for (const auto &a : *all) {
		if (a.prefix == *config::IpPrefix::parse("192.0.2.5/24")) {
			EXPECT_EQ(a.label, "rv0:admin") << "added back as it was";
		}
	}
}

TEST_F(AddressReconcilerNetns, Ipv6AddressesComeBackAfterTheLinkWasDown)
{
	run("ip link set rv0 up");
	std::vector<config::VirtualAddress> want{vip("192.0.2.1/32"), vip("2001:db8::1/64")};
	reconciler->sync("VI_1", want);
	run("ip link set rv0 down");
	EXPECT_FALSE(has("2001:db8::1/64"));
	EXPECT_EQ(lines(reconciler->sync("VI_1", want)), Lines{"[VI_1] added 2001:db8::1/64 dev rv0"});
}

} // namespace
} // namespace vigil::reconcile
