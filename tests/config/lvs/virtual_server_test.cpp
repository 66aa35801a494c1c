// virtual_server keywords to model fields, keepalived's defaults, identity.

#include <arpa/inet.h>
#include <functional>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/config/lvs/lvs_test_helpers.h"

namespace vigil::testing {
namespace {

using config::ForwardingKind;
using config::IpAddress;
using config::LvsProtocol;
using config::TunnelChecksum;
using config::TunnelType;
using config::VirtualServer;
using ::testing::ElementsAre;

struct VsCase {
	const char *name;
	std::string body; // inside virtual_server, after protocol TCP / lvs_sched rr / lvs_method DR
	std::function<void(const VirtualServer &)> check;
};

void PrintTo(const VsCase &c, std::ostream *os)
{
	*os << c.name;
}

class VirtualServerKeyword : public ::testing::TestWithParam<VsCase>
{
};

TEST_P(VirtualServerKeyword, SetsField)
{
	auto r = loadLvs(virtualServerWith(GetParam().body));
	EXPECT_THAT(messages(r), ElementsAre()) << GetParam().body;
	EXPECT_EQ(r.diagnostics.exitStatus(), 0);
	ASSERT_EQ(r.config.lvs.virtualServers.size(), 1u);
	GetParam().check(r.config.lvs.virtualServers[0]);
}

IpAddress ip(const char *text)
{
	return *IpAddress::parse(text);
}

INSTANTIATE_TEST_SUITE_P(
        Lvs, VirtualServerKeyword,
        ::testing::Values(
                VsCase{"delay_loop", "delay_loop 6",
                       [](const VirtualServer &vs) {
	                       EXPECT_EQ(vs.delayLoop(), 6);
	                       EXPECT_EQ(vs.realServers[0].checkers[0].delayLoop, 6);
	                       EXPECT_EQ(vs.realServers[0].checkers[0].warmup, 6); // warmup defaults to delay_loop
                       }},
                VsCase{"delay_loop_fraction", "delay_loop 1.5",
                       [](const VirtualServer &vs) { EXPECT_EQ(vs.delayLoop(), 1.5); }},
                VsCase{"lb_algo", "lb_algo wrr", [](const VirtualServer &vs) { EXPECT_EQ(vs.scheduler, "wrr"); }},
                VsCase{"lvs_sched_twos", "lvs_sched twos",
                       [](const VirtualServer &vs) { EXPECT_EQ(vs.scheduler, "twos"); }},
                VsCase{"lb_kind_nat", "lb_kind NAT",
                       [](const VirtualServer &vs) {
	                       EXPECT_EQ(vs.forwarding.kind, ForwardingKind::kNat);
	                       EXPECT_EQ(vs.realServers[0].forwarding.kind, ForwardingKind::kNat);
                       }},
                VsCase{"lvs_method_tun_gue", "lvs_method TUN type gue port 6080 csum",
                       [](const VirtualServer &vs) {
	                       EXPECT_EQ(vs.forwarding.kind, ForwardingKind::kTun);
	                       EXPECT_EQ(vs.forwarding.tunnelType, TunnelType::kGue);
	                       EXPECT_EQ(vs.forwarding.tunnelPort, 6080);
	                       EXPECT_EQ(vs.forwarding.checksum, TunnelChecksum::kCsum);
	                       EXPECT_EQ(vs.realServers[0].forwarding, vs.forwarding); // inherited
                       }},
                VsCase{"lvs_method_tun_gre_nocsum", "lvs_method TUN type gre nocsum",
                       [](const VirtualServer &vs) {
	                       EXPECT_EQ(vs.forwarding.tunnelType, TunnelType::kGre);
	                       EXPECT_EQ(vs.forwarding.checksum, TunnelChecksum::kNoCsum);
                       }},
                VsCase{"lvs_method_tun_plain", "lvs_method TUN",
                       [](const VirtualServer &vs) {
	                       EXPECT_EQ(vs.forwarding.kind, ForwardingKind::kTun);
	                       EXPECT_EQ(vs.forwarding.tunnelType, TunnelType::kIpip);
                       }},
                VsCase{"dr_ignores_tunnel_options", "lvs_method DR type gre",
                       [](const VirtualServer &vs) {
	                       EXPECT_EQ(vs.forwarding.kind, ForwardingKind::kDr);
	                       EXPECT_EQ(vs.forwarding.tunnelType, TunnelType::kIpip);
                       }},
                VsCase{"flags", "flag-1\n flag-2\n flag-3",
                       [](const VirtualServer &vs) {
	                       EXPECT_TRUE(vs.flag1);
	                       EXPECT_TRUE(vs.flag2);
	                       EXPECT_TRUE(vs.flag3);
                       }},
                VsCase{"sh_flags", "lvs_sched sh\n sh-port\n sh-fallback",
                       [](const VirtualServer &vs) {
	                       EXPECT_TRUE(vs.flag1);
	                       EXPECT_TRUE(vs.flag2);
	                       EXPECT_FALSE(vs.flag3);
                       }},
                VsCase{"mh_flags", "lvs_sched mh\n mh-port",
                       [](const VirtualServer &vs) {
	                       EXPECT_FALSE(vs.flag1);
	                       EXPECT_TRUE(vs.flag2);
                       }},
                VsCase{"mh_fallback_with_sh", "lvs_sched sh\n mh-fallback",
                       [](const VirtualServer &vs) { EXPECT_TRUE(vs.flag1); }},
                VsCase{"persistence_bare", "persistence_timeout",
                       [](const VirtualServer &vs) { EXPECT_EQ(vs.persistenceTimeout, 360u); }},
                VsCase{"persistence_50", "persistence_timeout 50",
                       [](const VirtualServer &vs) { EXPECT_EQ(vs.persistenceTimeout, 50u); }},
                VsCase{"persistence_max", "persistence_timeout 2678400",
                       [](const VirtualServer &vs) { EXPECT_EQ(vs.persistenceTimeout, 2678400u); }},
                VsCase{"granularity_mask", "persistence_granularity 255.255.255.0",
                       [](const VirtualServer &vs) {
	                       EXPECT_EQ(vs.persistenceGranularity, ip("255.255.255.0"));
                       }},
                VsCase{"granularity_number_is_inet_aton", "persistence_granularity 24",
                       [](const VirtualServer &vs) { EXPECT_EQ(vs.persistenceGranularity, ip("0.0.0.24")); }},
                VsCase{"persistence_engine", "persistence_engine sip",
                       [](const VirtualServer &vs) { EXPECT_EQ(vs.persistenceEngine, "sip"); }},
                VsCase{"protocol_lower_case", "protocol udp",
                       [](const VirtualServer &vs) { EXPECT_EQ(vs.protocol, LvsProtocol::kUdp); }},
                VsCase{"protocol_sctp", "protocol SCTP",
                       [](const VirtualServer &vs) { EXPECT_EQ(vs.protocol, LvsProtocol::kSctp); }},
                VsCase{"ops_with_udp", "protocol UDP\n ops",
                       [](const VirtualServer &vs) {
	                       EXPECT_TRUE(vs.ops);
	                       EXPECT_EQ(vs.protocol, LvsProtocol::kUdp);
                       }},
                VsCase{"booleans", "ha_suspend\n alpha\n omega\n inhibit_on_failure",
                       [](const VirtualServer &vs) {
	                       EXPECT_TRUE(vs.haSuspend);
	                       EXPECT_TRUE(vs.alpha);
	                       EXPECT_TRUE(vs.omega);
	                       EXPECT_TRUE(vs.inhibitOnFailure);
	                       EXPECT_TRUE(vs.realServers[0].inhibitOnFailure);   // inherited
	                       EXPECT_TRUE(vs.realServers[0].checkers[0].alpha); // inherited
                       }},
                VsCase{"alpha_ignores_its_argument", "alpha foo",
                       [](const VirtualServer &vs) { EXPECT_TRUE(vs.alpha); }},
                VsCase{"virtualhost", "virtualhost www.example.com",
                       [](const VirtualServer &vs) { EXPECT_EQ(vs.defaults.virtualhost, "www.example.com"); }},
                VsCase{"snmp_name", "snmp_name web", [](const VirtualServer &vs) { EXPECT_EQ(vs.snmpName, "web"); }},
                VsCase{"sorry_server", "sorry_server 192.0.2.99 80\n sorry_server_inhibit",
                       [](const VirtualServer &vs) {
	                       ASSERT_TRUE(vs.sorryServer);
	                       EXPECT_EQ(vs.sorryServer->address, ip("192.0.2.99"));
	                       EXPECT_EQ(vs.sorryServer->port, 80);
	                       EXPECT_TRUE(vs.sorryServer->inhibit);
	                       EXPECT_EQ(vs.sorryServer->forwarding.kind, ForwardingKind::kDr); // the VS's
                       }},
                VsCase{"sorry_server_method", "sorry_server 192.0.2.99 8080\n sorry_server_lvs_method NAT",
                       [](const VirtualServer &vs) {
	                       ASSERT_TRUE(vs.sorryServer);
	                       EXPECT_EQ(vs.sorryServer->forwarding.kind, ForwardingKind::kNat);
	                       EXPECT_EQ(vs.sorryServer->port, 8080); // NAT may change the port
                       }},
                VsCase{"sorry_server_without_port", "sorry_server 192.0.2.99",
                       [](const VirtualServer &vs) {
	                       ASSERT_TRUE(vs.sorryServer);
	                       EXPECT_EQ(vs.sorryServer->port, 0);
                       }},
                VsCase{"last_sorry_server_wins", "sorry_server 192.0.2.99 80\n sorry_server 192.0.2.98 80",
                       [](const VirtualServer &vs) {
	                       ASSERT_TRUE(vs.sorryServer);
	                       EXPECT_EQ(vs.sorryServer->address, ip("192.0.2.98"));
                       }},
                VsCase{"quorum_hysteresis", "quorum 1\n hysteresis 0",
                       [](const VirtualServer &vs) {
	                       EXPECT_EQ(vs.quorum, 1u);
	                       EXPECT_EQ(vs.hysteresis, 0u);
                       }},
                VsCase{"quorum_scripts", "quorum_up \"/bin/echo up\" root\n quorum_down /bin/true",
                       [](const VirtualServer &vs) {
	                       ASSERT_TRUE(vs.quorumUp);
	                       EXPECT_EQ(vs.quorumUp->command, "/bin/echo up");
	                       EXPECT_THAT(vs.quorumUp->argv, ElementsAre("/bin/echo", "up"));
	                       EXPECT_EQ(vs.quorumUp->user, "root");
	                       ASSERT_TRUE(vs.quorumDown);
	                       EXPECT_EQ(vs.quorumDown->command, "/bin/true");
	                       EXPECT_EQ(vs.quorumDown->user, "");
                       }},
                VsCase{"checker_defaults",
                       "retry 4\n delay_before_retry 2\n connect_timeout 2.5\n warmup 0",
                       [](const VirtualServer &vs) {
	                       EXPECT_EQ(vs.defaults.retry, 4u);
	                       const auto &c = vs.realServers[0].checkers[0];
	                       EXPECT_EQ(c.retry, 4u);
	                       EXPECT_EQ(c.delayBeforeRetry, 2);
	                       EXPECT_EQ(c.connectTimeout, 2.5);
	                       EXPECT_EQ(c.warmup, 0);
                       }},
                VsCase{"connect_timeout_max", "connect_timeout 4294.967295",
                       [](const VirtualServer &vs) { EXPECT_EQ(vs.defaults.connectTimeout, 4294.967295); }},
                VsCase{"ip_family_same", "ip_family inet",
                       [](const VirtualServer &vs) { EXPECT_EQ(vs.family, AF_INET); }},
                VsCase{"smtp_alert_no", "smtp_alert no",
                       [](const VirtualServer &vs) { EXPECT_EQ(vs.smtpAlert, false); }},
                VsCase{"smtp_alert_bare", "smtp_alert",
                       [](const VirtualServer &vs) { EXPECT_EQ(vs.smtpAlert, true); }},
                VsCase{"weight_is_real_server_default", "weight 5",
                       [](const VirtualServer &vs) {
	                       EXPECT_EQ(vs.weight, 5u);
	                       EXPECT_EQ(vs.realServers[0].weight, 5u);
                       }},
                VsCase{"extra_arguments_ignored", "lb_algo lc extra",
                       [](const VirtualServer &vs) { EXPECT_EQ(vs.scheduler, "lc"); }}),
        [](const ::testing::TestParamInfo<VsCase> &info) { return std::string(info.param.name); });

TEST(VirtualServer, KeepalivedDefaults)
{
	auto r = loadLvs(R"(virtual_server 192.0.2.1 80 {
    real_server 192.0.2.10 80 {
        TCP_CHECK {
        }
    }
}
)");
	// keepalived 2.2.7 defaults the protocol to UDP (not TCP), with a warning.
	EXPECT_THAT(messages(r),
	            ElementsAre("Virtual server [192.0.2.1]:none:80: no protocol set - defaulting to UDP",
	                        "Virtual server [192.0.2.1]:udp:80: no scheduler set, setting default 'wlc'",
	                        "Virtual server [192.0.2.1]:udp:80: no forwarding method set, setting "
	                        "default NAT"));
	EXPECT_EQ(r.diagnostics.exitStatus(), 5);
	const auto &vs = firstVs(r);
	EXPECT_EQ(vs.protocol, LvsProtocol::kUdp);
	EXPECT_EQ(vs.scheduler, "wlc");
	EXPECT_EQ(vs.forwarding.kind, ForwardingKind::kNat);
	EXPECT_EQ(vs.delayLoop(), 60);
	EXPECT_EQ(vs.quorum, 1u);
	EXPECT_EQ(vs.hysteresis, 0u);
	EXPECT_FALSE(vs.persistenceTimeout);
	EXPECT_FALSE(vs.sorryServer);
	EXPECT_FALSE(vs.alpha || vs.omega || vs.haSuspend || vs.inhibitOnFailure || vs.ops);
	EXPECT_EQ(vs.family, AF_INET);
	EXPECT_EQ(vs.where.line, 1u);
	const auto &rs = firstRs(r);
	EXPECT_EQ(rs.weight, 1u);
	EXPECT_EQ(rs.forwarding.kind, ForwardingKind::kNat);
	EXPECT_FALSE(rs.inhibitOnFailure);
	EXPECT_EQ(rs.where.line, 2u);
	const auto &c = firstChecker(r);
	EXPECT_EQ(c.type, config::CheckerType::kTcp);
	EXPECT_EQ(c.where.line, 3u);
	EXPECT_EQ(c.connectTimeout, 5);
	EXPECT_EQ(c.retry, 1u);
	EXPECT_EQ(c.delayBeforeRetry, 1);
	EXPECT_EQ(c.delayLoop, 60);
	EXPECT_EQ(c.warmup, 60);
	EXPECT_FALSE(c.alpha);
	EXPECT_EQ(c.endpoint.connectIp.str(), "192.0.2.10");
	EXPECT_EQ(c.endpoint.connectPort, 80);
}

TEST(VirtualServer, FwmarkService)
{
	auto r = loadLvs(R"(virtual_server fwmark 7 {
    lvs_sched rr
    lvs_method DR
    real_server 2001:db8::10 {
    }
}
)");
	EXPECT_THAT(messages(r), ElementsAre());
	const auto &vs = firstVs(r);
	EXPECT_EQ(vs.kind, config::VirtualServerKind::kFwmark);
	EXPECT_EQ(vs.fwmark, 7u);
	EXPECT_EQ(vs.protocol, LvsProtocol::kNone);
	EXPECT_EQ(vs.family, AF_INET6); // from its first real server
	EXPECT_EQ(vs.name(), "FWM 7");
}

TEST(VirtualServer, FwmarkServiceDefaultsToIpv4WhenAllTunnelled)
{
	auto r = loadLvs(R"(virtual_server fwmark 7 {
    lvs_sched rr
    lvs_method TUN
    real_server 2001:db8::10 {
    }
    real_server 192.0.2.10 {
    }
}
)");
	EXPECT_THAT(messages(r), ElementsAre());
	EXPECT_EQ(firstVs(r).family, AF_INET);
	EXPECT_EQ(firstVs(r).realServers.size(), 2u);
}

TEST(VirtualServer, Ipv6AndPrefixGranularity)
{
	auto r = loadLvs(R"(virtual_server 2001:db8::1 443 {
    protocol TCP
    lvs_sched sh
    lvs_method DR
    persistence_timeout 600
    persistence_granularity 64
    real_server 2001:db8::10 443 {
    }
}
)");
	EXPECT_THAT(messages(r), ElementsAre());
	const auto &vs = firstVs(r);
	EXPECT_EQ(vs.family, AF_INET6);
	EXPECT_EQ(vs.persistenceGranularity, ip("ffff:ffff:ffff:ffff::"));
	EXPECT_EQ(vs.name(), "[2001:db8::1]:tcp:443");
}

TEST(VirtualServer, AddressWithPrefixLengthIsAccepted)
{
	// keepalived reads "192.0.2.1/24" as the address.
	auto r = loadLvs(virtualServerWith("").replace(15, 9, "192.0.2.1/24"));
	EXPECT_THAT(messages(r), ElementsAre());
	EXPECT_EQ(firstVs(r).address.str(), "192.0.2.1");
}

TEST(VirtualServer, ZeroPortMakesThePersistentDefault)
{
	auto r = loadLvs(R"(virtual_server 192.0.2.1 {
    protocol TCP
    lvs_sched rr
    lvs_method NAT
    real_server 192.0.2.10 {
    }
}
)");
	EXPECT_THAT(messages(r), ElementsAre("Virtual server [192.0.2.1]:tcp:0: zero port only valid for persistent "
	                                     "services - setting"));
	EXPECT_EQ(firstVs(r).port, 0);
	EXPECT_EQ(firstVs(r).persistenceTimeout, 360u);
}

TEST(VirtualServer, IdentityKeys)
{
	auto r = loadLvs(R"(virtual_server_group G {
    192.0.2.50 80
}
virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method NAT
    real_server 192.0.2.10 80 {
    }
}
virtual_server 192.0.2.1 80 {
    protocol UDP
    lvs_sched rr
    lvs_method NAT
    real_server 192.0.2.10 80 {
    }
}
virtual_server fwmark 3 {
    lvs_sched rr
    lvs_method NAT
    real_server 192.0.2.10 {
    }
}
virtual_server group G {
    protocol TCP
    lvs_sched rr
    lvs_method NAT
    real_server 192.0.2.10 80 {
    }
}
)");
	EXPECT_THAT(messages(r), ElementsAre());
	const auto &v = r.config.lvs.virtualServers;
	ASSERT_EQ(v.size(), 4u);
	// Same address and port, different protocol: two services.
	EXPECT_NE(v[0].key(), v[1].key());
	EXPECT_EQ(v[0].key().protocol, LvsProtocol::kTcp);
	EXPECT_EQ(v[2].key().kind, config::VirtualServerKind::kFwmark);
	EXPECT_EQ(v[2].key().fwmark, 3u);
	EXPECT_EQ(v[2].key().family, AF_INET);
	EXPECT_EQ(v[3].key().group, "G");
	EXPECT_EQ(v[3].name(), "[G]:0");
	EXPECT_EQ(v[0].realServers[0].key(), (config::RealServerKey{ip("192.0.2.10"), 80}));
	EXPECT_LT(v[0].key(), v[1].key()); // keys sort (TCP before UDP)
}

TEST(VirtualServer, ChecksumAndGuePortAreKeptOnlyForTun)
{
	auto r = loadLvs(virtualServerWith("lvs_method NAT\n sorry_server 192.0.2.99 80\n sorry_server_lvs_method TUN "
	                                   "type gue port 5555 remcsum"));
	EXPECT_THAT(messages(r), ElementsAre());
	const auto &vs = firstVs(r);
	EXPECT_EQ(vs.forwarding, config::ForwardingMethod{});
	ASSERT_TRUE(vs.sorryServer);
	EXPECT_EQ(vs.sorryServer->forwarding.args(),
	          (std::vector<std::string>{"TUN", "type", "gue", "port", "5555", "remcsum"}));
}

} // namespace
} // namespace vigil::testing
