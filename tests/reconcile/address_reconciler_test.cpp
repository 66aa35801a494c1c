// The address reconciler against FakeAddressClient: only what is missing is
// added, only what vigil added is deleted, drift is repaired, and every
// failure names the owner and the address.

#include <cerrno>
#include <gtest/gtest.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include "netlink/fake_address_client.h"
#include "src/reconcile/address_reconciler.h"

namespace vigil::reconcile {
namespace {

using Action = AddressReport::Action;
using netlink::InterfaceAddress;

config::VirtualAddress vip(const char *prefix, const char *dev = "eth0")
{
	config::VirtualAddress a;
	a.prefix = *config::IpPrefix::parse(prefix);
	a.dev = dev;
	if (a.prefix.address.isV6())
		a.noDad = true;
	return a;
}

std::vector<std::string> lines(const std::vector<AddressReport> &reports)
{
	std::vector<std::string> out;
	for (const auto &r : reports)
		out.push_back(r.str());
	return out;
}

class AddressReconcilerTest : public ::testing::Test
{
protected:
	netlink::FakeAddressClient kernel;
	int eth0 = kernel.addLink("eth0", {2, 0, 0, 0, 0, 1});
	int eth1 = kernel.addLink("eth1", {2, 0, 0, 0, 0, 2});
	AddressReconciler reconciler{kernel};

	// What the kernel has, as "192.168.0.100/32 dev eth0".
	std::vector<std::string> live()
	{
		std::vector<std::string> out;
		auto all = kernel.addresses(0); // kept: a range-for over *temporary would dangle
		for (const auto &a : *all)
			out.push_back(a.prefix.str() + " dev " + (a.ifindex == eth0 ? "eth0" : "eth1"));
		return out;
	}

	std::optional<InterfaceAddress> find(const char *prefix)
	{
		auto all = kernel.addresses(0);
		for (const auto &a : *all)
			if (a.prefix == *config::IpPrefix::parse(prefix))
				return a;
		return std::nullopt;
	}

	// An address someone else (the admin) configured.
	void adminAdds(const char *prefix, int ifindex)
	{
		InterfaceAddress a;
		a.ifindex = ifindex;
		a.prefix = *config::IpPrefix::parse(prefix);
		ASSERT_TRUE(kernel.addAddress(a));
	}

	void someoneDeletes(const char *prefix, int ifindex)
	{
		InterfaceAddress a;
		a.ifindex = ifindex;
		a.prefix = *config::IpPrefix::parse(prefix);
		ASSERT_TRUE(kernel.deleteAddress(a));
	}
};

using Lines = std::vector<std::string>;

TEST(ScopeNumber, NamesAndNumbers)
{
	const std::pair<const char *, std::optional<int>> cases[] = {
	        {"global", RT_SCOPE_UNIVERSE},
	        {"site", RT_SCOPE_SITE},
	        {"link", RT_SCOPE_LINK},
	        {"host", RT_SCOPE_HOST},
	        {"nowhere", RT_SCOPE_NOWHERE},
	        {"0", 0},
	        {"77", 77},
	        {"255", 255},
	        {"256", std::nullopt},
	        {"-1", std::nullopt},
	        {"", std::nullopt},
	        {"Global", std::nullopt},
	        {"12abc", std::nullopt},
	};
	for (const auto &[text, want] : cases)
		EXPECT_EQ(scopeNumber(text), want) << text;
}

TEST_F(AddressReconcilerTest, AddsWhatIsMissingAndOwnsIt)
{
	auto reports = reconciler.sync("VI_1", {vip("192.168.0.100/32"), vip("2001:db8::100/64")});
	EXPECT_EQ(lines(reports),
	          (Lines{"[VI_1] added 192.168.0.100/32 dev eth0", "[VI_1] added 2001:db8::100/64 dev eth0"}));
	EXPECT_EQ(live(), (Lines{"192.168.0.100/32 dev eth0", "2001:db8::100/64 dev eth0"}));
	EXPECT_EQ(reconciler.ownedBy("VI_1").size(), 2u);
	EXPECT_EQ(reconciler.owners(), Lines{"VI_1"});
}

TEST_F(AddressReconcilerTest, NothingToDoWritesNothing)
{
	reconciler.sync("VI_1", {vip("192.168.0.100/32")});
	auto writes = kernel.writes();
	EXPECT_TRUE(reconciler.sync("VI_1", {vip("192.168.0.100/32")}).empty());
	EXPECT_EQ(kernel.writes(), writes);
}

TEST_F(AddressReconcilerTest, EmptyDesiredRemovesWhatTheOwnerAdded)
{
	reconciler.sync("VI_1", {vip("192.168.0.100/32"), vip("192.168.0.101/32")});
	auto reports = reconciler.sync("VI_1", {vip("192.168.0.101/32")});
	EXPECT_EQ(lines(reports), Lines{"[VI_1] deleted 192.168.0.100/32 dev eth0"});
	reports = reconciler.sync("VI_1", {});
	EXPECT_EQ(lines(reports), Lines{"[VI_1] deleted 192.168.0.101/32 dev eth0"});
	EXPECT_TRUE(live().empty());
	EXPECT_TRUE(reconciler.ownedBy("VI_1").empty());
	EXPECT_TRUE(reconciler.owners().empty());
}

TEST_F(AddressReconcilerTest, AnAddressThatWasThereIsUsedButNeverDeleted)
{
	adminAdds("192.168.0.100/32", eth0);
	auto reports = reconciler.sync("VI_1", {vip("192.168.0.100/32")});
	EXPECT_EQ(lines(reports),
	          Lines{"[VI_1] 192.168.0.100/32 dev eth0 was already there and is not vigil's: used, never deleted"});
	EXPECT_TRUE(reconciler.sync("VI_1", {vip("192.168.0.100/32")}).empty()) << "said once";
	EXPECT_TRUE(reconciler.ownedBy("VI_1").empty());
	auto writes = kernel.writes();
	EXPECT_TRUE(reconciler.sync("VI_1", {}).empty());
	EXPECT_EQ(kernel.writes(), writes);
	EXPECT_EQ(live(), Lines{"192.168.0.100/32 dev eth0"});
}

TEST_F(AddressReconcilerTest, AForeignAddressRemovedLaterIsAddedAndThenVigils)
{
	adminAdds("192.168.0.100/32", eth0);
	reconciler.sync("VI_1", {vip("192.168.0.100/32")});
	someoneDeletes("192.168.0.100/32", eth0);
	auto reports = reconciler.sync("VI_1", {vip("192.168.0.100/32")});
	EXPECT_EQ(lines(reports), Lines{"[VI_1] added 192.168.0.100/32 dev eth0"});
	EXPECT_EQ(reconciler.ownedBy("VI_1").size(), 1u);
	reconciler.sync("VI_1", {});
	EXPECT_TRUE(live().empty());
}

TEST_F(AddressReconcilerTest, DriftIsRepaired)
{
	reconciler.sync("VI_1", {vip("192.168.0.100/32"), vip("2001:db8::100/64")});
	someoneDeletes("192.168.0.100/32", eth0);
	auto reports = reconciler.sync("VI_1", {vip("192.168.0.100/32"), vip("2001:db8::100/64")});
	EXPECT_EQ(lines(reports), Lines{"[VI_1] added 192.168.0.100/32 dev eth0"});

	// A link going down takes its IPv6 addresses; they come back with the
	// next sync (which the link watcher's wakeup triggers).
	kernel.setUp(eth0, true);
	kernel.setUp(eth0, false);
	EXPECT_EQ(live(), Lines{"192.168.0.100/32 dev eth0"});
	reports = reconciler.sync("VI_1", {vip("192.168.0.100/32"), vip("2001:db8::100/64")});
	EXPECT_EQ(lines(reports), Lines{"[VI_1] added 2001:db8::100/64 dev eth0"});
}

TEST_F(AddressReconcilerTest, ErrorsNameOwnerAndAddressAndAreRetried)
{
	kernel.failNextWrite(EPERM);
	auto reports = reconciler.sync("VI_1", {vip("192.168.0.100/32")});
	ASSERT_EQ(reports.size(), 1u);
	EXPECT_FALSE(reports[0].ok());
	EXPECT_EQ(reports[0].error->errnum, EPERM);
	EXPECT_EQ(reports[0].str(), "[VI_1] cannot add 192.168.0.100/32 dev eth0: Operation not permitted");
	EXPECT_TRUE(reconciler.ownedBy("VI_1").empty());
	reports = reconciler.sync("VI_1", {vip("192.168.0.100/32")});
	EXPECT_EQ(lines(reports), Lines{"[VI_1] added 192.168.0.100/32 dev eth0"});
}

TEST_F(AddressReconcilerTest, TheKernelsRefusalIsReported)
{
	// IPv6 addresses are one per link: another prefix length is EEXIST.
	adminAdds("2001:db8::100/128", eth0);
	auto reports = reconciler.sync("VI_1", {vip("2001:db8::100/64")});
	EXPECT_EQ(lines(reports), Lines{"[VI_1] cannot add 2001:db8::100/64 dev eth0: File exists"});
}

TEST_F(AddressReconcilerTest, UnknownInterfaceOrScope)
{
	auto bad = vip("192.168.0.100/32");
	bad.scope = "galaxy";
	auto reports = reconciler.sync("VI_1", {vip("192.168.0.1/32", "eth9"), bad, vip("192.168.0.2/32")});
	EXPECT_EQ(lines(reports), (Lines{"[VI_1] cannot resolve 192.168.0.1/32 dev eth9: no such interface",
	                                 "[VI_1] cannot resolve 192.168.0.100/32 dev eth0: invalid scope 'galaxy'",
	                                 "[VI_1] added 192.168.0.2/32 dev eth0"}));
	EXPECT_EQ(reports[0].error->errnum, ENODEV);
	EXPECT_EQ(reports[1].error->errnum, EINVAL);
}

TEST_F(AddressReconcilerTest, EveryAttributeIsRequested)
{
	auto four = vip("192.168.0.100/24");
	four.broadcast = *config::IpAddress::parse("192.168.0.255");
	four.scope = "link";
	four.label = "eth0:vip";
	four.noPrefixRoute = true;
	four.noDad = true; // meaningless for IPv4: not sent
	auto p2p = vip("10.0.0.1/32", "eth1");
	p2p.peer = *config::IpAddress::parse("10.0.0.2");
	p2p.scope = "77";
	auto six = vip("2001:db8::100/64");
	six.home = true;
	six.noPrefixRoute = true;
	auto reports = reconciler.sync("VI_1", {four, p2p, six});
	EXPECT_EQ(lines(reports),
	          (Lines{"[VI_1] added 192.168.0.100/24 dev eth0", "[VI_1] added 10.0.0.1/32 peer 10.0.0.2 dev eth1",
	                 "[VI_1] added 2001:db8::100/64 dev eth0"}));

	auto got = find("192.168.0.100/24");
	ASSERT_TRUE(got);
	EXPECT_EQ(got->broadcast, four.broadcast);
	EXPECT_EQ(got->scope, RT_SCOPE_LINK);
	EXPECT_EQ(got->label, "eth0:vip");
	EXPECT_EQ(got->flags & ~IFA_F_PERMANENT, std::uint32_t{IFA_F_NOPREFIXROUTE});
	got = find("10.0.0.1/32");
	ASSERT_TRUE(got);
	EXPECT_EQ(got->peer, p2p.peer);
	EXPECT_EQ(got->scope, 77);
	got = find("2001:db8::100/64");
	ASSERT_TRUE(got);
	EXPECT_EQ(got->flags & ~IFA_F_PERMANENT, std::uint32_t{IFA_F_NODAD | IFA_F_HOMEADDRESS | IFA_F_NOPREFIXROUTE});

	EXPECT_TRUE(reconciler.sync("VI_1", {four, p2p, six}).empty()) << "read back as asked: nothing to repair";
}

TEST_F(AddressReconcilerTest, OwnersShareAnAddress)
{
	reconciler.sync("VI_1", {vip("192.168.0.100/32")});
	EXPECT_TRUE(reconciler.sync("VI_2", {vip("192.168.0.100/32")}).empty()) << "vigil's already: no report";
	EXPECT_EQ(reconciler.ownedBy("VI_2").size(), 1u);
	EXPECT_TRUE(reconciler.sync("VI_1", {}).empty()) << "VI_2 still wants it";
	EXPECT_EQ(live(), Lines{"192.168.0.100/32 dev eth0"});
	EXPECT_EQ(lines(reconciler.sync("VI_2", {})), Lines{"[VI_2] deleted 192.168.0.100/32 dev eth0"});
	EXPECT_TRUE(live().empty());
}

TEST_F(AddressReconcilerTest, ChangedAttributesOfVigilsAddressAreReplaced)
{
	auto a = vip("192.168.0.100/24");
	reconciler.sync("VI_1", {a});
	a.label = "eth0:new";
	auto reports = reconciler.sync("VI_1", {a});
	EXPECT_EQ(lines(reports), Lines{"[VI_1] replaced 192.168.0.100/24 dev eth0 (its attributes had changed)"});
	EXPECT_EQ(find("192.168.0.100/24")->label, "eth0:new");
	EXPECT_TRUE(reconciler.sync("VI_1", {a}).empty());
}

TEST_F(AddressReconcilerTest, AForeignAddressWithOtherAttributesIsLeftAlone)
{
	adminAdds("192.168.0.100/24", eth0);
	auto a = vip("192.168.0.100/24");
	a.label = "eth0:vip";
	reconciler.sync("VI_1", {a});
	auto writes = kernel.writes();
	EXPECT_TRUE(reconciler.sync("VI_1", {a}).empty());
	EXPECT_EQ(kernel.writes(), writes);
	EXPECT_EQ(find("192.168.0.100/24")->label, "eth0");
}

TEST_F(AddressReconcilerTest, AFailedDeletionStaysVigilsAndIsRetried)
{
	reconciler.sync("VI_1", {vip("192.168.0.100/32")});
	kernel.failNextWrite(EBUSY);
	auto reports = reconciler.sync("VI_1", {});
	EXPECT_EQ(lines(reports), Lines{"[VI_1] cannot delete 192.168.0.100/32 dev eth0: Device or resource busy"});
	EXPECT_EQ(reconciler.ownedBy("VI_1").size(), 1u);
	EXPECT_EQ(lines(reconciler.releaseAll()), Lines{"[VI_1] deleted 192.168.0.100/32 dev eth0"});
	EXPECT_TRUE(live().empty());
	EXPECT_TRUE(reconciler.owners().empty());
}

TEST_F(AddressReconcilerTest, DeletingAPrimaryAddsBackTheSecondariesTheKernelTookWithIt)
{
	// The VIP came first in its subnet, so the kernel made it the primary:
	// deleting it deletes the admin's address and VI_2's with it.
	reconciler.sync("VI_1", {vip("192.168.0.100/24")});
	adminAdds("192.168.0.5/24", eth0);
	reconciler.sync("VI_2", {vip("192.168.0.200/24")});
	auto reports = reconciler.sync("VI_1", {});
	EXPECT_EQ(lines(reports), (Lines{"[VI_1] added back 192.168.0.5/24 dev eth0, which the kernel deleted with "
	                                 "its subnet's primary",
	                                 "[VI_1] added back 192.168.0.200/24 dev eth0, which the kernel deleted with "
	                                 "its subnet's primary",
	                                 "[VI_1] deleted 192.168.0.100/24 dev eth0"}));
	EXPECT_EQ(live(), (Lines{"192.168.0.5/24 dev eth0", "192.168.0.200/24 dev eth0"}));
	EXPECT_EQ(reconciler.ownedBy("VI_2").size(), 1u);
	EXPECT_TRUE(reconciler.sync("VI_2", {vip("192.168.0.200/24")}).empty());
	reconciler.sync("VI_2", {});
	EXPECT_EQ(live(), Lines{"192.168.0.5/24 dev eth0"}) << "the admin's stays";
}

TEST_F(AddressReconcilerTest, AddsInTheOrderConfiguredAndDeletesSecondariesFirst)
{
	// The first of a subnet becomes its primary, whatever the sort order.
	reconciler.sync("VI_1", {vip("192.168.0.200/24"), vip("192.168.0.100/24")});
	EXPECT_FALSE(find("192.168.0.200/24")->flags & IFA_F_SECONDARY);
	EXPECT_TRUE(find("192.168.0.100/24")->flags & IFA_F_SECONDARY);
	auto writes = kernel.writes();
	auto reports = reconciler.sync("VI_1", {});
	EXPECT_EQ(lines(reports),
	          (Lines{"[VI_1] deleted 192.168.0.100/24 dev eth0", "[VI_1] deleted 192.168.0.200/24 dev eth0"}));
	EXPECT_EQ(kernel.writes(), writes + 2) << "nothing to add back";
	EXPECT_TRUE(live().empty());
}

TEST_F(AddressReconcilerTest, ASecondaryTheOwnerReleasesTooIsNotAddedBack)
{
	// Deleting the primary to change it takes the secondary along.
	auto primary = vip("192.168.0.100/24");
	reconciler.sync("VI_1", {primary, vip("192.168.0.101/24")});
	reconciler.sync("VI_2", {vip("192.168.0.102/24")});
	primary.label = "eth0:new";
	auto reports = reconciler.sync("VI_1", {primary});
	EXPECT_EQ(lines(reports), (Lines{"[VI_1] deleted 192.168.0.101/24 dev eth0",
	                                 "[VI_1] added back 192.168.0.102/24 dev eth0, which the kernel deleted with "
	                                 "its subnet's primary",
	                                 "[VI_1] replaced 192.168.0.100/24 dev eth0 (its attributes had changed)"}));
	EXPECT_EQ(live(), (Lines{"192.168.0.102/24 dev eth0", "192.168.0.100/24 dev eth0"}));
}

TEST_F(AddressReconcilerTest, AdoptTakesLeftoversAsVigils)
{
	adminAdds("192.168.0.100/32", eth0); // left by a vigil that was killed
	auto reports = reconciler.adopt("VI_1", {vip("192.168.0.100/32"), vip("192.168.0.101/32")});
	EXPECT_EQ(lines(reports),
	          (Lines{"[VI_1] adopted 192.168.0.100/32 dev eth0", "[VI_1] added 192.168.0.101/32 dev eth0"}));
	reconciler.sync("VI_1", {});
	EXPECT_TRUE(live().empty());
}

TEST_F(AddressReconcilerTest, ARecreatedLinkGetsTheAddressAgain)
{
	reconciler.sync("VI_1", {vip("192.168.0.100/32", "eth1")});
	kernel.removeLink(eth1);
	auto reports = reconciler.sync("VI_1", {vip("192.168.0.100/32", "eth1")});
	EXPECT_EQ(lines(reports), Lines{"[VI_1] cannot resolve 192.168.0.100/32 dev eth1: no such interface"});
	EXPECT_TRUE(reconciler.ownedBy("VI_1").empty());
	eth1 = kernel.addLink("eth1");
	reports = reconciler.sync("VI_1", {vip("192.168.0.100/32", "eth1")});
	EXPECT_EQ(lines(reports), Lines{"[VI_1] added 192.168.0.100/32 dev eth1"});
	EXPECT_EQ(reconciler.ownedBy("VI_1")[0].ifindex, eth1);
}

TEST_F(AddressReconcilerTest, ReleaseAllReleasesEveryOwner)
{
	adminAdds("192.168.0.1/32", eth0);
	reconciler.sync("VI_1", {vip("192.168.0.100/32"), vip("192.168.0.1/32")});
	reconciler.sync("static", {vip("10.1.0.1/32", "eth1")});
	auto reports = reconciler.releaseAll();
	EXPECT_EQ(lines(reports),
	          (Lines{"[VI_1] deleted 192.168.0.100/32 dev eth0", "[static] deleted 10.1.0.1/32 dev eth1"}));
	EXPECT_EQ(live(), Lines{"192.168.0.1/32 dev eth0"});
	EXPECT_TRUE(reconciler.owners().empty());
}

} // namespace
} // namespace vigil::reconcile
