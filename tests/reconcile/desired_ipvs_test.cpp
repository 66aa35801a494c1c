// From configuration text to the IPVS table vigil wants, in ipvsadm -Sn's
// words: one table row per keyword that reaches the kernel.

#include <gtest/gtest.h>

#include "src/reconcile/desired_ipvs.h"
#include "tests/fakes/load_snippet.h"

namespace vigil::reconcile {
namespace {

std::string desiredFor(const std::string &text, const HealthView &health = {})
{
	static const testing::FakeSystemView host;
	auto loaded = testing::loadSnippet(text, host);
	EXPECT_FALSE(loaded.fatal());
	return formatRules(buildDesiredIpvs(loaded.config.lvs, health));
}

struct Case {
	const char *name;
	const char *config;
	const char *rules;
};

const Case kCases[] = {
        {"dr_rr_weights",
         "virtual_server 192.0.2.1 80 {\n lvs_sched rr\n lvs_method DR\n protocol TCP\n"
         " real_server 192.0.2.10 80 { weight 3 }\n real_server 192.0.2.11 80 { }\n}\n",
         "-A -t 192.0.2.1:80 -s rr\n"
         "-a -t 192.0.2.1:80 -r 192.0.2.10:80 -g -w 3\n"
         "-a -t 192.0.2.1:80 -r 192.0.2.11:80 -g -w 1\n"},
        {"default_protocol_and_nat", "virtual_server 192.0.2.1 53 {\n real_server 192.0.2.10 53 { }\n}\n",
         "-A -u 192.0.2.1:53 -s wlc\n"
         "-a -u 192.0.2.1:53 -r 192.0.2.10:53 -m -w 1\n"},
        {"persistence_and_granularity",
         "virtual_server 192.0.2.1 443 {\n protocol TCP\n persistence_timeout 300\n"
         " persistence_granularity 255.255.255.0\n real_server 192.0.2.10 443 { }\n}\n",
         "-A -t 192.0.2.1:443 -s wlc -p 300 -M 255.255.255.0\n"
         "-a -t 192.0.2.1:443 -r 192.0.2.10:443 -m -w 1\n"},
        {"ipv6_prefix",
         "virtual_server 2001:db8::1 80 {\n protocol TCP\n persistence_timeout 60\n"
         " persistence_granularity 64\n real_server 2001:db8::10 80 { }\n}\n",
         "-A -t [2001:db8::1]:80 -s wlc -p 60 -M 64\n"
         "-a -t [2001:db8::1]:80 -r [2001:db8::10]:80 -m -w 1\n"},
        {"fwmark_ops_flags",
         "virtual_server fwmark 7 {\n lvs_sched sh\n sh-port\n sh-fallback\n ops\n lvs_method DR\n"
         " real_server 192.0.2.10 0 { }\n}\n",
         "-A -f 7 -s sh -b flag-1,flag-2 -o\n"
         "-a -f 7 -r 192.0.2.10:0 -g -w 1\n"},
        {"thresholds_and_tunnel",
         "virtual_server 192.0.2.1 80 {\n protocol TCP\n lvs_method TUN type gue port 6080 csum\n"
         " real_server 192.0.2.10 80 { uthreshold 100\n lthreshold 10 }\n}\n",
         "-A -t 192.0.2.1:80 -s wlc\n"
         "-a -t 192.0.2.1:80 -r 192.0.2.10:80 -i -w 1 -x 100 -y 10 --tun-type gue --tun-port 6080 --tun-csum\n"},
        {"group_range_and_fwmark",
         "virtual_server_group G {\n 192.0.2.1-3 80\n fwmark 9\n}\n"
         "virtual_server group G {\n protocol TCP\n lvs_sched rr\n lvs_method DR\n"
         " real_server 192.0.2.10 80 { }\n}\n",
         "-A -f 9 -s rr\n-a -f 9 -r 192.0.2.10:0 -g -w 1\n"
         "-A -t 192.0.2.1:80 -s rr\n-a -t 192.0.2.1:80 -r 192.0.2.10:80 -g -w 1\n"
         "-A -t 192.0.2.2:80 -s rr\n-a -t 192.0.2.2:80 -r 192.0.2.10:80 -g -w 1\n"
         "-A -t 192.0.2.3:80 -s rr\n-a -t 192.0.2.3:80 -r 192.0.2.10:80 -g -w 1\n"},
        {"sorry_server_idle_while_quorum_holds",
         "virtual_server 192.0.2.1 80 {\n protocol TCP\n sorry_server 192.0.2.99 80\n"
         " real_server 192.0.2.10 80 { }\n}\n",
         "-A -t 192.0.2.1:80 -s wlc\n-a -t 192.0.2.1:80 -r 192.0.2.10:80 -m -w 1\n"},
        {"sorry_server_inhibit_kept_at_zero",
         "virtual_server 192.0.2.1 80 {\n protocol TCP\n sorry_server 192.0.2.99 80\n sorry_server_inhibit\n"
         " real_server 192.0.2.10 80 { }\n}\n",
         "-A -t 192.0.2.1:80 -s wlc\n-a -t 192.0.2.1:80 -r 192.0.2.10:80 -m -w 1\n"
         "-a -t 192.0.2.1:80 -r 192.0.2.99:80 -m -w 0\n"},
        // keepalived gives each group entry's port to direct-routed and
        // tunnelled real servers (none to a fwmark), not to NAT ones.
        {"group_entry_port_for_dr_and_tun",
         "virtual_server_group G {\n 192.0.2.5 81\n fwmark 9\n}\n"
         "virtual_server group G {\n protocol TCP\n lb_kind TUN\n"
         " real_server 203.0.113.1 80 { }\n real_server 203.0.113.3 80 { lvs_method NAT }\n}\n",
         "-A -f 9 -s wlc\n"
         "-a -f 9 -r 203.0.113.1:0 -i -w 1\n"
         "-a -f 9 -r 203.0.113.3:80 -m -w 1\n"
         "-A -t 192.0.2.5:81 -s wlc\n"
         "-a -t 192.0.2.5:81 -r 203.0.113.1:81 -i -w 1\n"
         "-a -t 192.0.2.5:81 -r 203.0.113.3:80 -m -w 1\n"},
        // The group's TCP and UDP virtual servers share its fwmark service.
        {"group_fwmark_shared_by_tcp_and_udp",
         "virtual_server_group G {\n fwmark 11\n}\n"
         "virtual_server group G {\n protocol TCP\n lb_kind DR\n real_server 203.0.113.2 80 { }\n}\n"
         "virtual_server group G {\n protocol UDP\n lb_kind DR\n real_server 203.0.113.3 80 { weight 2 }\n}\n",
         "-A -f 11 -s wlc\n"
         "-a -f 11 -r 203.0.113.2:0 -g -w 1\n"
         "-a -f 11 -r 203.0.113.3:0 -g -w 2\n"},
        // A group has no family: its granularity reads as an IPv4 mask,
        // which keepalived does not give its IPv6 services.
        {"group_ipv6_granularity",
         "virtual_server_group G6 {\n 2001:db8::1 80\n}\n"
         "virtual_server group G6 {\n protocol TCP\n persistence_timeout 120\n persistence_granularity 64\n"
         " real_server 2001:db8:1::1 80 { }\n}\n",
         "-A -t [2001:db8::1]:80 -s wlc -p 120\n"
         "-a -t [2001:db8::1]:80 -r [2001:db8:1::1]:80 -m -w 1\n"},
        // Total weight 0: keepalived lowers the quorum to 0 and sets the
        // hysteresis to 2^32-1, so the quorum is never gained.
        {"zero_weight_sorry_server",
         "virtual_server 192.0.2.55 80 {\n protocol TCP\n sorry_server 203.0.113.57 80\n"
         " real_server 203.0.113.58 80 { weight 0 }\n}\n",
         "-A -t 192.0.2.55:80 -s wlc\n"
         "-a -t 192.0.2.55:80 -r 203.0.113.57:80 -m -w 1\n"},
};

class DesiredIpvsTable : public ::testing::TestWithParam<Case>
{
};

TEST_P(DesiredIpvsTable, Rules)
{
	EXPECT_EQ(desiredFor(GetParam().config), GetParam().rules);
}

INSTANTIATE_TEST_SUITE_P(Config, DesiredIpvsTable, ::testing::ValuesIn(kCases),
                         [](const auto &info) { return std::string(info.param.name); });

const char *const kTwoServers = "virtual_server 192.0.2.1 80 {\n protocol TCP\n lvs_method DR\n quorum 2\n"
                                " sorry_server 192.0.2.99 80\n"
                                " real_server 192.0.2.10 80 { weight 2\n inhibit_on_failure }\n"
                                " real_server 192.0.2.11 80 { }\n}\n";

config::VirtualServerKey vsKey()
{
	static const testing::FakeSystemView host;
	return testing::loadSnippet(kTwoServers, host).config.lvs.virtualServers.front().key();
}

config::RealServerKey rsKey(const char *address)
{
	return {*config::IpAddress::parse(address), 80};
}

TEST(DesiredIpvsHealth, FailedServerLeavesOrStaysInhibited)
{
	HealthView health;
	health.setAlive(vsKey(), rsKey("192.0.2.11"), false);
	EXPECT_EQ(desiredFor(kTwoServers, health), "-A -t 192.0.2.1:80 -s wlc\n"
	                                           "-a -t 192.0.2.1:80 -r 192.0.2.10:80 -g -w 2\n");
}

TEST(DesiredIpvsHealth, QuorumLostBringsTheSorryServer)
{
	HealthView health;
	health.setAlive(vsKey(), rsKey("192.0.2.10"), false);
	// Live weight 1 < quorum 2: the sorry server takes over, the inhibited
	// real server stays at weight 0, the other leaves.
	EXPECT_EQ(desiredFor(kTwoServers, health), "-A -t 192.0.2.1:80 -s wlc\n"
	                                           "-a -t 192.0.2.1:80 -r 192.0.2.10:80 -g -w 0\n"
	                                           "-a -t 192.0.2.1:80 -r 192.0.2.99:80 -g -w 1\n");
	health.setAlive(vsKey(), rsKey("192.0.2.10"), true);
	EXPECT_EQ(desiredFor(kTwoServers, health), "-A -t 192.0.2.1:80 -s wlc\n"
	                                           "-a -t 192.0.2.1:80 -r 192.0.2.10:80 -g -w 2\n"
	                                           "-a -t 192.0.2.1:80 -r 192.0.2.11:80 -g -w 1\n");
}

TEST(DesiredIpvsHealth, QuorumHysteresis)
{
	static const testing::FakeSystemView host;
	auto loaded = testing::loadSnippet("virtual_server 192.0.2.1 80 {\n protocol TCP\n quorum 3\n hysteresis 1\n"
	                                   " sorry_server 192.0.2.99 80\n"
	                                   " real_server 192.0.2.10 80 { }\n real_server 192.0.2.11 80 { }\n"
	                                   " real_server 192.0.2.12 80 { }\n real_server 192.0.2.13 80 { }\n}\n",
	                                   host);
	const auto &lvs = loaded.config.lvs;
	const auto vs = lvs.virtualServers.front().key();
	HealthView health;
	auto step = [&] {
		auto desired = buildDesiredIpvs(lvs, health);
		health.setQuorumStates(desired.quorumUp);
		return desired.quorumUp.at(vs);
	};
	EXPECT_TRUE(step()); // 4 >= 3 + 1
	health.setAlive(vs, rsKey("192.0.2.10"), false);
	health.setAlive(vs, rsKey("192.0.2.11"), false);
	EXPECT_TRUE(step()); // 2 is not below 3 - 1
	health.setAlive(vs, rsKey("192.0.2.12"), false);
	EXPECT_FALSE(step()); // 1 < 2
	health.setAlive(vs, rsKey("192.0.2.10"), true);
	health.setAlive(vs, rsKey("192.0.2.11"), true);
	EXPECT_FALSE(step()); // 3 < 3 + 1: not gained yet
	health.setAlive(vs, rsKey("192.0.2.12"), true);
	EXPECT_TRUE(step());
}

TEST(DesiredIpvs, SameServiceTwiceIsAConflict)
{
	static const testing::FakeSystemView host;
	auto loaded = testing::loadSnippet("virtual_server_group G {\n 192.0.2.1 80\n}\n"
	                                   "virtual_server 192.0.2.1 80 {\n protocol TCP\n lvs_sched rr\n"
	                                   " real_server 192.0.2.10 80 { }\n}\n"
	                                   "virtual_server group G {\n protocol TCP\n"
	                                   " real_server 192.0.2.11 80 { }\n}\n",
	                                   host);
	auto desired = buildDesiredIpvs(loaded.config.lvs, {});
	ASSERT_EQ(desired.conflicts.size(), 1u);
	EXPECT_EQ(formatRules(desired), "-A -t 192.0.2.1:80 -s rr\n-a -t 192.0.2.1:80 -r 192.0.2.10:80 -m -w 1\n"
	                                "-a -t 192.0.2.1:80 -r 192.0.2.11:80 -m -w 1\n");
}

} // namespace
} // namespace vigil::reconcile
