// What every AddressClient must do, as the kernel does it. The same cases
// run against FakeAddressClient (unit suite) and against
// NetlinkAddressClient in a network namespace of the test's own (netns
// suite, address_contract_netns_test), so the fake cannot drift from the
// kernel unnoticed. Where they disagreed, the kernel was taken as right.

#include <cerrno>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include "tests/netlink/harness.h"

namespace vigil::netlink {
namespace {

using config::IpAddress;
using config::IpPrefix;

IpAddress ip(const char *text)
{
	return *IpAddress::parse(text);
}

// The flags compared: what a request can set, and SECONDARY.
constexpr std::uint32_t kCompared = IFA_F_NODAD | IFA_F_OPTIMISTIC | IFA_F_HOMEADDRESS | IFA_F_MANAGETEMPADDR |
                                    IFA_F_NOPREFIXROUTE | IFA_F_MCAUTOJOIN | IFA_F_SECONDARY;
static_assert((kCompared & (IFA_F_PERMANENT | IFA_F_TENTATIVE)) == 0);

class AddressContract : public ::testing::Test
{
protected:
	std::unique_ptr<testing::Harness> harness = testing::makeHarness();
	AddressClient &client = harness->client();

	Link link(const std::string &name)
	{
		auto all = client.links();
		EXPECT_TRUE(all) << all.error().text;
		if (all)
			for (const auto &l : *all)
				if (l.name == name)
					return l;
		ADD_FAILURE() << "no link " << name;
		return {};
	}

	int index(const std::string &name) { return link(name).index; }

	InterfaceAddress address(const char *prefix, const std::string &dev = "vg0")
	{
		InterfaceAddress a;
		a.ifindex = index(dev);
		a.prefix = *IpPrefix::parse(prefix);
		if (a.family() == AF_INET6)
			a.flags = IFA_F_NODAD; // no duplicate address detection to wait for
		return a;
	}

	// The addresses of family `family` on `dev` that the test added: the
	// link-local address the kernel gives a link that comes up is left
	// out (the test's own IPv6 addresses all have NODAD, that one not).
	std::vector<InterfaceAddress> on(const std::string &dev, int family = 0)
	{
		std::vector<InterfaceAddress> out;
		auto all = client.addresses(family);
		EXPECT_TRUE(all) << all.error().text;
		int ifindex = index(dev);
		if (all)
			for (const auto &a : *all)
				if (a.ifindex == ifindex &&
				    !(a.family() == AF_INET6 && a.scope == RT_SCOPE_LINK && !(a.flags & IFA_F_NODAD)))
					out.push_back(a);
		return out;
	}

	std::optional<InterfaceAddress> find(const std::string &dev, const char *prefix)
	{
		auto want = *IpPrefix::parse(prefix);
		for (const auto &a : on(dev))
			if (a.prefix == want)
				return a;
		return std::nullopt;
	}

	void add(const InterfaceAddress &a)
	{
		auto rc = client.addAddress(a);
		ASSERT_TRUE(rc) << a.str() << ": " << rc.error().text;
	}

	int addError(const InterfaceAddress &a)
	{
		auto rc = client.addAddress(a);
		return rc ? 0 : rc.error().errnum;
	}

	int deleteError(const InterfaceAddress &a)
	{
		auto rc = client.deleteAddress(a);
		return rc ? 0 : rc.error().errnum;
	}
};

TEST_F(AddressContract, LinksListsTheVethPairDown)
{
	auto vg0 = link("vg0");
	auto vg1 = link("vg1");
	EXPECT_GT(vg0.index, 0);
	EXPECT_GT(vg1.index, 0);
	EXPECT_NE(vg0.index, vg1.index);
	EXPECT_NE(vg0.mac, (std::array<std::uint8_t, 6>{}));
	EXPECT_NE(vg0.mac, vg1.mac);
	EXPECT_FALSE(vg0.up);
	EXPECT_FALSE(vg0.running);
	auto lo = link("lo");
	EXPECT_EQ(lo.mac, (std::array<std::uint8_t, 6>{}));
	EXPECT_TRUE(on("vg0").empty());
}

TEST_F(AddressContract, UpAndRunningFollowTheLinkAndItsCarrier)
{
	harness->setUp("vg0", true);
	EXPECT_TRUE(link("vg0").up);
	EXPECT_FALSE(link("vg0").running) << "a veth has no carrier while its peer is down";
	harness->setUp("vg1", true);
	EXPECT_TRUE(link("vg0").running);
	EXPECT_TRUE(link("vg1").running);
	harness->setUp("vg1", false);
	EXPECT_TRUE(link("vg0").up);
	EXPECT_FALSE(link("vg0").running);
	EXPECT_FALSE(link("vg1").up);
	harness->setUp("vg0", false);
	EXPECT_FALSE(link("vg0").up);
}

TEST_F(AddressContract, AddListDeleteIpv4)
{
	add(address("192.0.2.1/24"));
	auto got = on("vg0", AF_INET);
	ASSERT_EQ(got.size(), 1u);
	EXPECT_EQ(got[0].prefix, *IpPrefix::parse("192.0.2.1/24"));
	EXPECT_EQ(got[0].label, "vg0") << "the kernel's default label is the link's name";
	EXPECT_EQ(got[0].scope, RT_SCOPE_UNIVERSE);
	EXPECT_FALSE(got[0].broadcast);
	EXPECT_FALSE(got[0].peer);
	EXPECT_TRUE(got[0].flags & IFA_F_PERMANENT);
	EXPECT_EQ(got[0].flags & kCompared, 0u);
	EXPECT_TRUE(on("vg0", AF_INET6).empty());

	ASSERT_TRUE(client.deleteAddress(address("192.0.2.1/24")));
	EXPECT_TRUE(on("vg0").empty());
}

TEST_F(AddressContract, Ipv4LabelBroadcastScopeReadBack)
{
	auto a = address("192.0.2.10/24");
	a.broadcast = ip("192.0.2.255");
	a.scope = RT_SCOPE_LINK;
	a.label = "vg0:vip";
	add(a);
	auto b = address("198.51.100.1/32");
	b.scope = RT_SCOPE_HOST;
	b.label = "vip"; // the kernel does not ask for the link's name as a prefix (ip does)
	add(b);
	auto c = address("203.0.113.1/24");
	c.scope = 77; // a scope without a name
	add(c);

	auto got = find("vg0", "192.0.2.10/24");
	ASSERT_TRUE(got);
	EXPECT_EQ(got->broadcast, ip("192.0.2.255"));
	EXPECT_EQ(got->scope, RT_SCOPE_LINK);
	EXPECT_EQ(got->label, "vg0:vip");
	got = find("vg0", "198.51.100.1/32");
	ASSERT_TRUE(got);
	EXPECT_EQ(got->scope, RT_SCOPE_HOST);
	EXPECT_EQ(got->label, "vip");
	got = find("vg0", "203.0.113.1/24");
	ASSERT_TRUE(got);
	EXPECT_EQ(got->scope, 77);
}

TEST_F(AddressContract, AddListDeleteIpv6)
{
	add(address("2001:db8::1/64"));
	auto got = on("vg0", AF_INET6);
	ASSERT_EQ(got.size(), 1u);
	EXPECT_EQ(got[0].prefix, *IpPrefix::parse("2001:db8::1/64"));
	EXPECT_EQ(got[0].scope, RT_SCOPE_UNIVERSE);
	EXPECT_EQ(got[0].label, "");
	EXPECT_EQ(got[0].flags & kCompared, std::uint32_t{IFA_F_NODAD});
	EXPECT_TRUE(got[0].flags & IFA_F_PERMANENT);
	EXPECT_FALSE(got[0].flags & IFA_F_TENTATIVE) << "nodad";
	EXPECT_TRUE(on("vg0", AF_INET).empty());

	ASSERT_TRUE(client.deleteAddress(address("2001:db8::1/64")));
	EXPECT_TRUE(on("vg0").empty());
}

TEST_F(AddressContract, Ipv6IgnoresLabelBroadcastAndAskedScope)
{
	auto a = address("2001:db8::2/64");
	a.label = "vg0:six";
	a.scope = RT_SCOPE_LINK;
	a.broadcast = ip("2001:db8::ffff");
	add(a);
	add(address("fe80::5/64"));

	auto got = find("vg0", "2001:db8::2/64");
	ASSERT_TRUE(got);
	EXPECT_EQ(got->label, "");
	EXPECT_FALSE(got->broadcast);
	EXPECT_EQ(got->scope, RT_SCOPE_UNIVERSE) << "the scope comes from the address";
	got = find("vg0", "fe80::5/64");
	ASSERT_TRUE(got);
	EXPECT_EQ(got->scope, RT_SCOPE_LINK);
}

TEST_F(AddressContract, FlagsKeptPerFamily)
{
	auto six = address("2001:db8::3/64");
	six.flags = IFA_F_NODAD | IFA_F_NOPREFIXROUTE | IFA_F_HOMEADDRESS;
	add(six);
	auto four = address("192.0.2.3/24");
	four.flags = IFA_F_NOPREFIXROUTE;
	add(four);

	auto got = find("vg0", "2001:db8::3/64");
	ASSERT_TRUE(got);
	EXPECT_EQ(got->flags & kCompared, six.flags);
	got = find("vg0", "192.0.2.3/24");
	ASSERT_TRUE(got);
	EXPECT_EQ(got->flags & kCompared, std::uint32_t{IFA_F_NOPREFIXROUTE});
}

TEST_F(AddressContract, FlagsAFamilyRefusesOrDrops)
{
	auto four = address("192.0.2.4/24");
	four.flags = IFA_F_NODAD | IFA_F_HOMEADDRESS | IFA_F_NOPREFIXROUTE | IFA_F_SECONDARY;
	add(four);
	auto got = find("vg0", "192.0.2.4/24");
	ASSERT_TRUE(got);
	EXPECT_EQ(got->flags & kCompared, std::uint32_t{IFA_F_NOPREFIXROUTE}) << "IPv4 has no DAD and no home";

	auto join = address("192.0.2.5/24");
	join.flags = IFA_F_MCAUTOJOIN;
	EXPECT_EQ(addError(join), EINVAL) << "autojoin of a unicast address";

	auto temp = address("2001:db8::4/120");
	temp.flags |= IFA_F_MANAGETEMPADDR;
	EXPECT_EQ(addError(temp), EINVAL) << "mngtmpaddr needs a /64";
	temp.prefix.length = 64;
	EXPECT_EQ(addError(temp), 0);

	auto asked = address("2001:db8::5/64");
	asked.flags |= IFA_F_SECONDARY | IFA_F_TENTATIVE | IFA_F_DEPRECATED | IFA_F_OPTIMISTIC;
	add(asked);
	got = find("vg0", "2001:db8::5/64");
	ASSERT_TRUE(got);
	EXPECT_EQ(got->flags & ~IFA_F_PERMANENT, std::uint32_t{IFA_F_NODAD}) << "the kernel's own flags are its own";

	auto all = address("2001:db8::6/64");
	all.flags = keptAddressFlags(AF_INET6) & ~IFA_F_MCAUTOJOIN; // autojoin is for multicast
	add(all);
	got = find("vg0", "2001:db8::6/64");
	ASSERT_TRUE(got);
	EXPECT_EQ(got->flags & kCompared, all.flags);
}

TEST_F(AddressContract, UnspecifiedAddresses)
{
	EXPECT_EQ(addError(address("0.0.0.0/8")), 0) << "accepted";
	EXPECT_TRUE(on("vg0").empty()) << "and not kept";
	EXPECT_EQ(addError(address("::/0")), EADDRNOTAVAIL);
}

TEST_F(AddressContract, PeerOrBroadcastOfTheOtherFamilyIsEinval)
{
	auto four = address("192.0.2.1/24");
	four.peer = ip("2001:db8::1");
	EXPECT_EQ(addError(four), EINVAL);
	four.peer.reset();
	four.broadcast = ip("2001:db8::1");
	EXPECT_EQ(addError(four), EINVAL);
	auto six = address("2001:db8::1/64");
	six.peer = ip("192.0.2.1");
	EXPECT_EQ(addError(six), EINVAL);
	EXPECT_TRUE(on("vg0").empty());
}

TEST_F(AddressContract, PeerReadBack)
{
	auto four = address("10.0.2.1/24");
	four.peer = ip("10.0.3.1");
	add(four);
	auto six = address("2001:db8:1::1/64");
	six.peer = ip("2001:db8:2::1");
	add(six);

	auto got = find("vg0", "10.0.2.1/24");
	ASSERT_TRUE(got);
	EXPECT_EQ(got->peer, ip("10.0.3.1"));
	got = find("vg0", "2001:db8:1::1/64");
	ASSERT_TRUE(got);
	EXPECT_EQ(got->peer, ip("2001:db8:2::1"));

	auto wrongPeer = four;
	wrongPeer.peer = ip("10.0.9.1");
	EXPECT_EQ(deleteError(wrongPeer), EADDRNOTAVAIL) << "IPv4 deletes match the peer's subnet";
	EXPECT_EQ(deleteError(four), 0);
	auto noPeer = address("2001:db8:1::1/64");
	EXPECT_EQ(deleteError(noPeer), 0) << "IPv6 deletes ignore the peer";
	EXPECT_TRUE(on("vg0").empty());
}

TEST_F(AddressContract, DuplicateAddIsEexist)
{
	add(address("192.0.2.1/24"));
	EXPECT_EQ(addError(address("192.0.2.1/24")), EEXIST);
	auto relabelled = address("192.0.2.1/24");
	relabelled.label = "vg0:other";
	EXPECT_EQ(addError(relabelled), EEXIST) << "the label is not part of an IPv4 address's identity";
	EXPECT_EQ(addError(address("192.0.2.1/32")), 0) << "another prefix length is another IPv4 address";

	add(address("2001:db8::1/64"));
	EXPECT_EQ(addError(address("2001:db8::1/64")), EEXIST);
	EXPECT_EQ(addError(address("2001:db8::1/128")), EEXIST) << "an IPv6 address is one per link";
	EXPECT_EQ(on("vg0").size(), 3u);
}

TEST_F(AddressContract, SameAddressOnTwoLinks)
{
	add(address("192.0.2.1/24", "vg0"));
	add(address("192.0.2.1/24", "vg1"));
	add(address("2001:db8::1/64", "vg0"));
	add(address("2001:db8::1/64", "vg1"));
	EXPECT_EQ(on("vg0").size(), 2u);
	EXPECT_EQ(on("vg1").size(), 2u);
}

TEST_F(AddressContract, DeleteMissingIsEaddrnotavail)
{
	EXPECT_EQ(deleteError(address("192.0.2.9/24")), EADDRNOTAVAIL);
	EXPECT_EQ(deleteError(address("2001:db8::9/64")), EADDRNOTAVAIL);
	add(address("192.0.2.1/24"));
	add(address("2001:db8::1/64"));
	EXPECT_EQ(deleteError(address("192.0.2.1/16")), EADDRNOTAVAIL) << "the prefix length must match";
	EXPECT_EQ(deleteError(address("2001:db8::1/128")), EADDRNOTAVAIL);
	EXPECT_EQ(deleteError(address("192.0.2.1/24", "vg1")), EADDRNOTAVAIL) << "on another link";
	auto labelled = address("192.0.2.1/24");
	labelled.label = "vg0:whatever";
	labelled.scope = RT_SCOPE_HOST;
	EXPECT_EQ(deleteError(labelled), 0) << "label and scope are not compared";
	EXPECT_EQ(deleteError(address("192.0.2.1/24")), EADDRNOTAVAIL) << "already gone";
}

TEST_F(AddressContract, UnknownLinkIsEnodev)
{
	auto four = address("192.0.2.1/24");
	four.ifindex = 9999;
	auto six = address("2001:db8::1/64");
	six.ifindex = 9999;
	EXPECT_EQ(addError(four), ENODEV);
	EXPECT_EQ(addError(six), ENODEV);
	EXPECT_EQ(deleteError(four), ENODEV);
	EXPECT_EQ(deleteError(six), ENODEV);
}

TEST_F(AddressContract, BadPrefixLengthIsEinval)
{
	auto four = address("192.0.2.1/24");
	four.prefix.length = 33;
	auto six = address("2001:db8::1/64");
	six.prefix.length = 129;
	EXPECT_EQ(addError(four), EINVAL);
	EXPECT_EQ(addError(six), EINVAL);
	EXPECT_EQ(deleteError(four), EADDRNOTAVAIL) << "IPv4 deletes do not check the length";
	EXPECT_EQ(deleteError(six), EINVAL);
}

TEST_F(AddressContract, Ipv4SubnetSecondariesShareTheScope)
{
	add(address("192.0.2.1/24"));
	auto second = address("192.0.2.2/24");
	second.scope = RT_SCOPE_LINK;
	EXPECT_EQ(addError(second), EINVAL) << "same subnet, another scope";
	add(address("192.0.2.2/24"));
	add(address("192.0.2.3/32")); // another mask: a primary of its own
	auto got = find("vg0", "192.0.2.1/24");
	ASSERT_TRUE(got);
	EXPECT_FALSE(got->flags & IFA_F_SECONDARY);
	got = find("vg0", "192.0.2.2/24");
	ASSERT_TRUE(got);
	EXPECT_TRUE(got->flags & IFA_F_SECONDARY);
	got = find("vg0", "192.0.2.3/32");
	ASSERT_TRUE(got);
	EXPECT_FALSE(got->flags & IFA_F_SECONDARY);
}

TEST_F(AddressContract, DeletingAnIpv4PrimaryTakesItsSecondaries)
{
	// net.ipv4.conf.*.promote_secondaries is 0 in a new namespace.
	add(address("192.0.2.1/24"));
	add(address("192.0.2.2/24"));
	add(address("192.0.2.3/32"));
	ASSERT_TRUE(client.deleteAddress(address("192.0.2.1/24")));
	EXPECT_FALSE(find("vg0", "192.0.2.2/24"));
	EXPECT_TRUE(find("vg0", "192.0.2.3/32"));

	add(address("192.0.2.1/24"));
	add(address("192.0.2.2/24"));
	ASSERT_TRUE(client.deleteAddress(address("192.0.2.2/24")));
	EXPECT_TRUE(find("vg0", "192.0.2.1/24")) << "deleting a secondary leaves the primary";
}

TEST_F(AddressContract, LinkDownRemovesIpv6AddressesOnly)
{
	// net.ipv6.conf.*.keep_addr_on_down is 0 in a new namespace.
	harness->setUp("vg0", true);
	add(address("192.0.2.1/24"));
	add(address("2001:db8::1/64"));
	harness->setUp("vg0", false);
	EXPECT_TRUE(find("vg0", "192.0.2.1/24"));
	EXPECT_FALSE(find("vg0", "2001:db8::1/64"));
	add(address("2001:db8::1/64")); // a down link takes IPv6 addresses
	EXPECT_TRUE(find("vg0", "2001:db8::1/64"));
}

TEST_F(AddressContract, DozensOfAddresses)
{
	std::vector<InterfaceAddress> all;
	for (int i = 1; i <= 60; ++i) {
		all.push_back(address(fmt::format("192.0.2.{}/32", i).c_str()));
		all.push_back(address(fmt::format("2001:db8::{:x}/128", i).c_str()));
	}
	for (const auto &a : all)
		add(a);
	EXPECT_EQ(on("vg0").size(), all.size());
	EXPECT_EQ(on("vg0", AF_INET).size(), 60u);
	EXPECT_EQ(on("vg0", AF_INET6).size(), 60u);
	for (const auto &a : all)
		ASSERT_TRUE(client.deleteAddress(a)) << a.str();
	EXPECT_TRUE(on("vg0").empty());
}

} // namespace
} // namespace vigil::netlink
