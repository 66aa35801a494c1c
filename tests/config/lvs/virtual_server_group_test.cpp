// virtual_server_group entries: addresses, the three range forms, fwmarks.

#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/config/lvs/lvs_test_helpers.h"

namespace vigil::testing {
namespace {

using ::testing::ElementsAre;

struct RangeCase {
	const char *line;
	const char *first;
	const char *last;
	std::uint16_t port;
	std::size_t size;
};

class VsgRange : public ::testing::TestWithParam<RangeCase>
{
};

TEST_P(VsgRange, KeepsTheRange)
{
	auto r = loadLvs(std::string("virtual_server_group G {\n    ") + GetParam().line + "\n}\n");
	EXPECT_THAT(messages(r), ElementsAre());
	ASSERT_EQ(r.config.lvs.groups.size(), 1u);
	ASSERT_EQ(r.config.lvs.groups[0].entries.size(), 1u);
	const auto &e = r.config.lvs.groups[0].entries[0];
	EXPECT_FALSE(e.isFwmark);
	EXPECT_EQ(e.first.str(), GetParam().first);
	EXPECT_EQ(e.last.str(), GetParam().last);
	EXPECT_EQ(e.port, GetParam().port);
	EXPECT_EQ(e.size(), GetParam().size);
	EXPECT_EQ(e.where.line, 2u);
}

INSTANTIATE_TEST_SUITE_P(Lvs, VsgRange,
                         ::testing::Values(RangeCase{"192.0.2.1 80", "192.0.2.1", "192.0.2.1", 80, 1},
                                           RangeCase{"192.0.2.1", "192.0.2.1", "192.0.2.1", 0, 1},
                                           RangeCase{"192.0.2.3-10 80", "192.0.2.3", "192.0.2.10", 80, 8},
                                           RangeCase{"192.0.2.1-255 80", "192.0.2.1", "192.0.2.255", 80, 255},
                                           RangeCase{"192.0.2.250-192.0.3.10 80", "192.0.2.250", "192.0.3.10", 80, 17},
                                           RangeCase{"192.0.2.1-192.0.2.1 80", "192.0.2.1", "192.0.2.1", 80, 1},
                                           RangeCase{"198.51.100.8/29 443", "198.51.100.8", "198.51.100.15", 443, 8},
                                           RangeCase{"2001:db8::1-ff 80", "2001:db8::1", "2001:db8::ff", 80, 255},
                                           RangeCase{"2001:db8::1-FFFF 80", "2001:db8::1", "2001:db8::ffff", 80, 65535},
                                           RangeCase{"2001:db8::1-2001:db8::1:5 80", "2001:db8::1", "2001:db8::1:5", 80,
                                                     65541},
                                           RangeCase{"2001:db8::/120 80", "2001:db8::", "2001:db8::ff", 80, 256}));

TEST(VirtualServerGroup, FwmarksAndSampleGroup)
{
	// The layout of keepalived's keepalived.conf.virtual_server_group sample.
	auto r = loadLvs(R"(virtual_server_group VSG_1 {
	192.0.2.1 8080
	192.0.2.2 80
	198.51.100.1 1358
	198.51.100.3-10 80
	fwmark 1
	fwmark 2 inet
}

virtual_server group VSG_1 {
    delay_loop 6
    lb_algo rr
    lb_kind NAT
    persistence_timeout 50
    protocol TCP

    real_server 198.51.100.1 1358 {
        weight 1
        HTTP_GET {
            url {
              path /testurl3/test.jsp
              digest 640205b7b0fc66c1ea91c463fac6334d
            }
            connect_timeout 3
            retry 3
            delay_before_retry 3
        }
    }
}
)");
	EXPECT_THAT(messages(r), ElementsAre());
	const auto &g = r.config.lvs.groups.at(0);
	EXPECT_EQ(g.name, "VSG_1");
	ASSERT_EQ(g.entries.size(), 6u);
	EXPECT_TRUE(g.entries[4].isFwmark);
	EXPECT_EQ(g.entries[4].fwmark, 1u);
	EXPECT_EQ(g.entries[4].family, 0);
	EXPECT_EQ(g.entries[5].family, AF_INET);
	EXPECT_TRUE(g.hasFwmark());
	EXPECT_TRUE(g.hasFamily(AF_INET));
	EXPECT_FALSE(g.hasFamily(AF_INET6));
	auto addresses = g.entries[3].expand();
	ASSERT_EQ(addresses.size(), 8u);
	EXPECT_EQ(addresses.front().str(), "198.51.100.3");
	EXPECT_EQ(addresses.back().str(), "198.51.100.10");
	const auto &vs = firstVs(r);
	EXPECT_EQ(vs.kind, config::VirtualServerKind::kGroup);
	EXPECT_EQ(vs.group, "VSG_1");
	EXPECT_EQ(r.config.lvs.findGroup("VSG_1"), &g);
	EXPECT_EQ(r.config.lvs.findGroup("VSG_2"), nullptr);
}

TEST(VirtualServerGroup, InvalidEntriesAreSkippedOthersKept)
{
	auto r = loadLvs(R"(virtual_server_group G {
    192.0.2.10-1 80
    192.0.2.20 80
}
)");
	EXPECT_THAT(messages(r), ElementsAre("2: Address range end is not greater than address range start - "
	                                     "192.0.2.10-1 - skipping"));
	ASSERT_EQ(r.config.lvs.groups.at(0).entries.size(), 1u);
	EXPECT_EQ(r.config.lvs.groups[0].entries[0].first.str(), "192.0.2.20");
}

TEST(VirtualServerGroup, RemovedGroupIsNotKept)
{
	auto r = loadLvs("virtual_server_group G {\n    foo 80\n}\n");
	EXPECT_THAT(messages(r), ElementsAre("2: Invalid virtual server group IP address foo /port/80 - skipping",
	                                     "3: virtual server group G has no entries - removing"));
	EXPECT_TRUE(r.config.lvs.groups.empty());
}

} // namespace
} // namespace vigil::testing
