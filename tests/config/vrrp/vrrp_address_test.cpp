// Address, route and rule lines: virtual_ipaddress(_excluded), the
// virtual_routes/rules and the static_* blocks.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/socket.h>

#include "tests/fakes/load_snippet.h"

namespace vigil::testing {
namespace {

using config::VrrpInstance;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::string instance(const std::string &body)
{
	return "vrrp_instance VI_1 {\n  interface eth0\n  virtual_router_id 51\n" + body +
	       "  virtual_ipaddress {\n    192.0.2.1\n  }\n}\n";
}

TEST(VrrpAddresses, VirtualAddressOptions)
{
	FakeSystemView system;
	system.addInterface("eth1");
	auto r = loadSnippet(instance("  virtual_ipaddress_excluded {\n"
	                              "    192.0.2.10/24 brd + dev eth1 scope link label eth1:3\n"
	                              "    192.0.2.11/24 brd - peer 192.0.2.99 home -nodad mngtmpaddr\n"
	                              "    192.0.2.12/24 brd 192.0.2.127 noprefixroute autojoin no_track use_vmac\n"
	                              "    192.0.2.13 preferred_lft forever scope 100\n"
	                              "  }\n"),
	                     system);
	EXPECT_THAT(messages(r), IsEmpty());
	const auto &x = onlyInstance(r).excludedVips;
	ASSERT_EQ(x.size(), 4u);
	EXPECT_EQ(x[0].broadcast->str(), "192.0.2.255");
	EXPECT_EQ(x[0].dev, "eth1");
	EXPECT_EQ(x[0].scope, "link");
	EXPECT_EQ(x[0].label, "eth1:3");
	EXPECT_EQ(x[1].broadcast->str(), "192.0.2.0");
	EXPECT_EQ(x[1].peer->str(), "192.0.2.99");
	EXPECT_TRUE(x[1].home && x[1].noDad && x[1].mngTmpAddr);
	EXPECT_EQ(x[1].dev, "eth0");
	EXPECT_EQ(x[2].broadcast->str(), "192.0.2.127");
	EXPECT_TRUE(x[2].noPrefixRoute && x[2].autoJoin && x[2].noTrack && x[2].useVmac);
	EXPECT_EQ(x[3].preferredLft, "forever");
	EXPECT_EQ(x[3].scope, "100");
}

TEST(VrrpAddresses, RoutesWithNexthopsAndOr)
{
	auto r = loadSnippet("static_routes {\n"
	                     "  198.51.104.0/24 dev eth0 nexthop via 192.0.2.1 weight 2 nexthop via 192.0.2.2 onlink\n"
	                     "  198.51.107.0/24 via 192.0.2.1 dev eth0 mtu lock 1400 onlink\n"
	                     "  src 192.0.2.100 to 198.51.101.0/24 via 192.0.2.1 dev eth0\n"
	                     "  2001:db8:5::/64 via 2001:db8::1 dev eth0 table main\n"
	                     "}\n");
	EXPECT_THAT(messages(r), IsEmpty());
	const auto &rt = r.config.vrrp.staticRoutes;
	ASSERT_EQ(rt.size(), 4u);
	ASSERT_EQ(rt[0].nexthops.size(), 2u);
	EXPECT_EQ(rt[0].nexthops[0].via->str(), "192.0.2.1");
	EXPECT_THAT(rt[0].nexthops[0].options, ElementsAre(config::RouteOption{"weight", {"2"}}));
	EXPECT_THAT(rt[0].nexthops[1].options, ElementsAre(config::RouteOption{"onlink", {}}));
	EXPECT_THAT(rt[1].options,
	            ElementsAre(config::RouteOption{"mtu", {"lock", "1400"}}, config::RouteOption{"onlink", {}}));
	EXPECT_EQ(rt[2].destination.str(), "198.51.101.0/24");
	EXPECT_THAT(rt[2].options, ElementsAre(config::RouteOption{"src", {"192.0.2.100"}}));
	EXPECT_EQ(rt[3].family, AF_INET6);
}

TEST(VrrpAddresses, RulePreferencesAreAssignedPerFamily)
{
	auto r = loadSnippet("static_rules {\n  from 192.0.2.0/24 table 1\n  from 2001:db8::/32 table 3\n"
	                     "  to 198.51.100.0/24 table 2\n}\n");
	const auto &rules = r.config.vrrp.staticRules;
	ASSERT_EQ(rules.size(), 3u);
	EXPECT_EQ(rules[0].preference, 16384);
	EXPECT_EQ(rules[1].preference, 16384);
	EXPECT_EQ(rules[2].preference, 16383);
	EXPECT_EQ(r.diagnostics.exitStatus(), 5); // each one warned
}

TEST(VrrpAddresses, StaticAddressesUseTheDefaultInterface)
{
	FakeSystemView system;
	system.addInterface("eth1");
	auto r = loadSnippet("static_ipaddress {\n  192.0.2.9/24\n  192.0.2.10 dev eth0 scope host\n}\n"
	                     "global_defs {\n  default_interface eth1\n}\n",
	                     system);
	EXPECT_THAT(messages(r), IsEmpty());
	const auto &a = r.config.vrrp.staticAddresses;
	ASSERT_EQ(a.size(), 2u);
	EXPECT_EQ(a[0].dev, "eth1");
	EXPECT_EQ(a[1].dev, "eth0");
	EXPECT_EQ(a[1].scope, "host");
}

} // namespace
} // namespace vigil::testing
