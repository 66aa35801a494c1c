// real_server keywords, inheritance from the virtual server, validation.

#include <functional>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/config/lvs/lvs_test_helpers.h"

namespace vigil::testing {
namespace {

using config::ForwardingKind;
using config::RealServer;
using ::testing::ElementsAre;

struct RsCase {
	const char *name;
	std::string body; // inside real_server 192.0.2.10 80 of a DR virtual server
	std::function<void(const RealServer &)> check;
};

class RealServerKeyword : public ::testing::TestWithParam<RsCase>
{
};

TEST_P(RealServerKeyword, SetsField)
{
	auto r = loadLvs(realServerWith(GetParam().body));
	EXPECT_THAT(messages(r), ElementsAre()) << GetParam().body;
	EXPECT_EQ(r.diagnostics.exitStatus(), 0);
	GetParam().check(firstRs(r));
}

INSTANTIATE_TEST_SUITE_P(
        Lvs, RealServerKeyword,
        ::testing::Values(
                RsCase{"weight", "weight 5", [](const RealServer &rs) { EXPECT_EQ(rs.weight, 5u); }},
                RsCase{"weight_zero", "weight 0\n weight 2147483647",
                       [](const RealServer &rs) { EXPECT_EQ(rs.weight, 2147483647u); }},
                RsCase{"weight_plus_sign", "weight +3", [](const RealServer &rs) { EXPECT_EQ(rs.weight, 3u); }},
                RsCase{"inhibit", "inhibit_on_failure", [](const RealServer &rs) { EXPECT_TRUE(rs.inhibitOnFailure); }},
                RsCase{"inhibit_no", "inhibit_on_failure no",
                       [](const RealServer &rs) { EXPECT_FALSE(rs.inhibitOnFailure); }},
                RsCase{"notify", "notify_up /bin/true\n notify_down \"/bin/echo down\" root root",
                       [](const RealServer &rs) {
	                       ASSERT_TRUE(rs.notifyUp);
	                       EXPECT_EQ(rs.notifyUp->command, "/bin/true");
	                       ASSERT_TRUE(rs.notifyDown);
	                       EXPECT_EQ(rs.notifyDown->command, "/bin/echo down");
	                       EXPECT_EQ(rs.notifyDown->user, "root");
	                       EXPECT_EQ(rs.notifyDown->group, "root");
	                       EXPECT_EQ(rs.notifyDown->where.line, 7u);
                       }},
                RsCase{"thresholds", "uthreshold 100\n lthreshold 10",
                       [](const RealServer &rs) {
	                       EXPECT_EQ(rs.upperThreshold, 100u);
	                       EXPECT_EQ(rs.lowerThreshold, 10u);
                       }},
                RsCase{"own_method", "lvs_method TUN type ipip",
                       [](const RealServer &rs) { EXPECT_EQ(rs.forwarding.kind, ForwardingKind::kTun); }},
                RsCase{"smtp_alert", "smtp_alert yes", [](const RealServer &rs) { EXPECT_EQ(rs.smtpAlert, true); }},
                RsCase{"snmp_name", "snmp_name node1", [](const RealServer &rs) { EXPECT_EQ(rs.snmpName, "node1"); }},
                RsCase{"checker_defaults",
                       "delay_loop 3\n retry 2\n delay_before_retry 4\n warmup 1\n connect_timeout 6\n alpha\n "
                       "virtualhost rs.example.com\n TCP_CHECK {\n }",
                       [](const RealServer &rs) {
	                       EXPECT_EQ(rs.defaults.get().delayLoop, 3);
	                       EXPECT_EQ(rs.defaults.get().alpha, true);
	                       EXPECT_EQ(rs.defaults.get().virtualhost, "rs.example.com");
	                       ASSERT_EQ(rs.checkers.size(), 1u);
	                       const auto &c = rs.checkers[0];
	                       EXPECT_EQ(c.delayLoop, 3);
	                       EXPECT_EQ(c.retry, 2u);
	                       EXPECT_EQ(c.delayBeforeRetry, 4);
	                       EXPECT_EQ(c.warmup, 1);
	                       EXPECT_EQ(c.connectTimeout, 6);
	                       EXPECT_TRUE(c.alpha);
                       }},
                RsCase{"no_checker_is_fine", "weight 2",
                       [](const RealServer &rs) { EXPECT_TRUE(rs.checkers.empty()); }},
                RsCase{"several_checkers", "TCP_CHECK {\n }\n PING_CHECK {\n }\n TCP_CHECK {\n connect_port 8080\n }",
                       [](const RealServer &rs) {
	                       ASSERT_EQ(rs.checkers.size(), 3u);
	                       EXPECT_EQ(rs.checkers[1].type, config::CheckerType::kPing);
	                       EXPECT_EQ(rs.checkers[2].endpoint.connectPort, 8080);
                       }}),
        [](const ::testing::TestParamInfo<RsCase> &info) { return std::string(info.param.name); });

TEST(RealServer, InheritanceOrderCheckerRealVirtual)
{
	auto r = loadLvs(R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method NAT
    connect_timeout 7
    retry 5
    inhibit_on_failure
    real_server 192.0.2.10 80 {
        connect_timeout 8
        TCP_CHECK {
        }
        TCP_CHECK {
            connect_timeout 9
            retry 0
        }
    }
    real_server 192.0.2.11 80 {
        inhibit_on_failure no
        TCP_CHECK {
        }
    }
}
)");
	EXPECT_THAT(messages(r), ElementsAre());
	const auto &rs = firstVs(r).realServers;
	ASSERT_EQ(rs.size(), 2u);
	EXPECT_EQ(rs[0].checkers[0].connectTimeout, 8); // real server
	EXPECT_EQ(rs[0].checkers[0].retry, 5u);         // virtual server
	EXPECT_EQ(rs[0].checkers[1].connectTimeout, 9); // checker
	EXPECT_EQ(rs[0].checkers[1].retry, 0u);         // 0 is valid in a checker
	EXPECT_EQ(rs[1].checkers[0].connectTimeout, 7);
	EXPECT_TRUE(rs[0].inhibitOnFailure);
	EXPECT_FALSE(rs[1].inhibitOnFailure);
}

TEST(RealServer, NatKeepsItsPortDrTakesTheVirtualServers)
{
	auto r = loadLvs(R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method NAT
    real_server 192.0.2.10 8080 {
    }
    real_server 192.0.2.11 {
    }
    real_server 192.0.2.12 8080 {
        lvs_method DR
    }
}
)");
	EXPECT_THAT(messages(r), ElementsAre("WARNING - virtual server [192.0.2.1]:tcp:80 and real server "
	                                     "[192.0.2.12]:tcp:8080 ports don't match - resetting"));
	const auto &rs = firstVs(r).realServers;
	ASSERT_EQ(rs.size(), 3u);
	EXPECT_EQ(rs[0].port, 8080);
	EXPECT_EQ(rs[1].port, 80); // no port: the service's
	EXPECT_EQ(rs[2].port, 80);
}

TEST(RealServer, TunnelledServerMayDifferInFamily)
{
	auto r = loadLvs(R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 2001:db8::10 80 {
        lvs_method TUN
    }
    real_server 2001:db8::11 80 {
    }
}
)");
	EXPECT_THAT(messages(r), ElementsAre("9: Address family of virtual server and real server 2001:db8::11 don't "
	                                     "match - skipping real server."));
	ASSERT_EQ(firstVs(r).realServers.size(), 1u);
	EXPECT_EQ(firstRs(r).address.str(), "2001:db8::10");
}

TEST(RealServer, DuplicateIsRemovedBeforeItInheritsAnything)
{
	auto r = loadLvs(R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    real_server 192.0.2.10 80 {
        lvs_method DR
        weight 0
    }
    real_server 192.0.2.10 80 {
        weight 5
    }
}
)");
	// The duplicate has no lvs_method, but it is gone before keepalived
	// would default the service's method for it.
	EXPECT_THAT(
	        messages(r),
	        ElementsAre("VS [192.0.2.1]:tcp:80: real server [192.0.2.10]:tcp:80 is duplicated - removing second rs",
	                    "Warning - quorum 1 for [192.0.2.1]:tcp:80 exceeds total weight of real servers 0, "
	                    "reducing quorum to 0",
	                    "Virtual server [192.0.2.1]:tcp:80: hysteresis 0 >= quorum 0; setting hysteresis to "
	                    "4294967295"));
	ASSERT_EQ(firstVs(r).realServers.size(), 1u);
	EXPECT_EQ(firstRs(r).weight, 0u);
	EXPECT_EQ(firstVs(r).quorum, 0u);
	EXPECT_EQ(firstVs(r).hysteresis, 4294967295u);
}

} // namespace
} // namespace vigil::testing
