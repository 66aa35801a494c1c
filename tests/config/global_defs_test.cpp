#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/fakes/load_snippet.h"

namespace vigil::testing {
namespace {

using ::testing::ElementsAre;

TEST(GlobalDefs, DefaultsWithoutBlock)
{
	auto r = loadSnippet("");
	EXPECT_EQ(r.diagnostics.exitStatus(), 0);
	EXPECT_EQ(r.config.global.vrrpVersion, 2);
	EXPECT_EQ(r.config.global.vrrpMcastGroup4.str(), "224.0.0.18");
	EXPECT_EQ(r.config.global.vrrpMcastGroup6.str(), "ff02::12");
	EXPECT_EQ(r.config.global.smtpConnectTimeout, 30);
	EXPECT_FALSE(r.config.global.routerId.empty()); // the host name
}

TEST(GlobalDefs, SeedTutorialBlock)
{
	auto r = loadSnippet(R"(! Configuration File for keepalived
global_defs {
    notification_email {
        acassen
    }
    notification_email_from Alexandre.Cassen@firewall.loc
    smtp_server 192.168.200.1
    smtp_connect_timeout 30
    router_id LVS_DEVEL
}
)");
	EXPECT_THAT(messages(r), ElementsAre());
	const auto &g = r.config.global;
	EXPECT_EQ(g.routerId, "LVS_DEVEL");
	EXPECT_THAT(g.notificationEmail, ElementsAre("acassen"));
	EXPECT_EQ(g.notificationEmailFrom, "Alexandre.Cassen@firewall.loc");
	ASSERT_TRUE(g.smtpServer);
	EXPECT_EQ(g.smtpServer->str(), "192.168.200.1");
	EXPECT_EQ(g.smtpPort, 25);
}

TEST(GlobalDefs, UnknownKeywordIsReportedWithLine)
{
	auto r = loadSnippet("global_defs {\n  router_id a\n  no_such_thing 1\n}\n");
	EXPECT_THAT(messages(r), ElementsAre("3: Unknown keyword 'no_such_thing'"));
	EXPECT_EQ(r.diagnostics.exitStatus(), 5);
	EXPECT_EQ(r.config.global.routerId, "a");
}

} // namespace
} // namespace vigil::testing

namespace vigil::testing {
namespace {

struct DiagnosticCase {
	const char *line; // one global_defs statement
	std::vector<std::string> messages;
	int exitStatus;
};

class GlobalDefsDiagnostics : public ::testing::TestWithParam<DiagnosticCase>
{
};

// Each case was run through keepalived 2.2.7 -t; messages and exit statuses
// are what it printed.
TEST_P(GlobalDefsDiagnostics, AsKeepalived)
{
	const auto &c = GetParam();
	auto r = loadSnippet(std::string("global_defs {\n") + c.line + "\n}\n");
	EXPECT_THAT(messages(r), ::testing::ElementsAreArray(c.messages)) << c.line;
	EXPECT_EQ(r.diagnostics.exitStatus(), c.exitStatus) << c.line;
}

INSTANTIATE_TEST_SUITE_P(
        Probed, GlobalDefsDiagnostics,
        ::testing::Values(
                DiagnosticCase{"vrrp_version 4",
                               {"2: number '4' outside range [2, 3]", "2: VRRP Error: Version must be either 2 or 3"},
                               5},
                DiagnosticCase{
                        "vrrp_version x", {"2: invalid number 'x'", "2: VRRP Error: Version must be either 2 or 3"}, 5},
                DiagnosticCase{"vrrp_version",
                               {"2: *** Configuration line starting `vrrp_version` is missing a parameter after "
                                "keyword `vrrp_version` at word position 2"},
                               2},
                DiagnosticCase{
                        "smtp_connect_timeout abc",
                        {"2: invalid number 'abc'", "2: smtp_connect_timeout 'abc' must be in [0, 4294] - ignoring"},
                        5},
                DiagnosticCase{
                        "smtp_connect_timeout 0", {"2: smtp_conect_timeout must be greater than 0, setting to 1"}, 5},
                DiagnosticCase{"vrrp_garp_master_delay -1",
                               {"2: negative number '-1'", "2: vrrp_garp_master_delay '-1' invalid - ignoring"},
                               5},
                DiagnosticCase{"vrrp_garp_master_delay 1.5",
                               {"2: invalid number '1.5'", "2: vrrp_garp_master_delay '1.5' invalid - ignoring"},
                               5},
                DiagnosticCase{"vrrp_garp_master_repeat 0",
                               {"2: vrrp_garp_master_repeat must be greater than 0, setting to 1"},
                               5},
                DiagnosticCase{"router_id", {"2: routerid name missing - ignoring"}, 5},
                DiagnosticCase{"router_id a b", {}, 0},
                DiagnosticCase{"vrrp_mcast_group4 1.2.3", {"2: Can't parse vrrp_mcast_group4 [1.2.3]. Skipping"}, 5},
                DiagnosticCase{"vrrp_mcast_group4 10.0.0.1",
                               {"2: vrrp_mcast_group4 [10.0.0.1] is not multicast. Skipping"},
                               5},
                DiagnosticCase{"vrrp_mcast_group6 ff02::1", {}, 0},
                DiagnosticCase{"lvs_timeouts tcp x",
                               {"2: invalid number 'x'", "2: Invalid lvs_timeout tcp (x) - ignoring"},
                               5},
                DiagnosticCase{"lvs_timeouts foo 1",
                               {"2: Unknown option foo specified for lvs_timeouts",
                                "2: Unknown option 1 specified for lvs_timeouts"},
                               5},
                DiagnosticCase{"lvs_timeouts tcp", {"2: lvs_timeouts requires at least one option"}, 5},
                DiagnosticCase{"smtp_alert maybe", {"2: Invalid value 'maybe' for global smtp_alert specified"}, 5},
                DiagnosticCase{"smtp_alert no", {}, 0}, DiagnosticCase{"vrrp_strict extra", {}, 0},
                DiagnosticCase{"smtp_server 192.0.2.1 99999",
                               {"2: number '99999' outside range [1, 65535]", "2: Invalid smtp server 192.0.2.1 99999"},
                               5},
                DiagnosticCase{"smtp_server mail.invalid", {"2: Invalid smtp server mail.invalid 25"}, 5},
                DiagnosticCase{"max_auto_priority", {}, 0},
                DiagnosticCase{"max_auto_priority 200",
                               {"2: number '200' outside range [-1, 99]",
                                "2: max_auto_priority '200' must be in [0, 99] (or -1 to disable) - ignoring"},
                               5},
                DiagnosticCase{
                        "vrrp_down_timer_adverts 0",
                        {"2: number '0' outside range [1, 100]", "2: Invalid vrrp_down_timer_adverts [1:100] '0'"},
                        5},
                DiagnosticCase{"lvs_sync_daemon eth0", {}, 0},
                DiagnosticCase{
                        "lvs_sync_daemon eth0 VI_1 id 300",
                        {"2: number '300' outside range [0, 255]", "2: Invalid syncid (300) - defaulting to vrid"},
                        5},
                DiagnosticCase{"notify_fifo_script /bin/true", {}, 0}, DiagnosticCase{"smtp_helo_name", {}, 0},
                DiagnosticCase{"script_user nosuchuser", {"(Line 2) Error setting global script uid/gid"}, 5}));

TEST(GlobalDefs, MissingParameterStopsReading)
{
	// keepalived stops at the first missing parameter: nothing after it is
	// reported, and the status is 2 even after other errors.
	auto r = loadSnippet("global_defs {\nvrrp_version 4\n}\nglobal_defs {\nvrrp_version\n}\nfoo\n");
	EXPECT_THAT(messages(r),
	            ElementsAre("2: number '4' outside range [2, 3]", "2: VRRP Error: Version must be either 2 or 3",
	                        "5: *** Configuration line starting `vrrp_version` is missing a parameter after "
	                        "keyword `vrrp_version` at word position 2"));
	EXPECT_EQ(r.diagnostics.exitStatus(), 2);
}

TEST(GlobalDefs, TypedValues)
{
	auto r = loadSnippet("global_defs {\n"
	                     " router_id lb01\n smtp_server 192.0.2.25 2525\n smtp_connect_timeout 7\n"
	                     " script_user nobody nogroup\n enable_script_security\n vrrp_version 3\n vrrp_strict\n"
	                     " vrrp_mcast_group4 239.0.0.18\n vrrp_garp_master_delay 2\n vrrp_garp_master_repeat 4\n"
	                     " vrrp_garp_interval 0.25\n lvs_flush\n lvs_timeouts tcp 900 tcpfin 30 udp 60\n"
	                     " lvs_sync_daemon eth0 VI_1 id 7 port 8848\n notify_fifo /run/k.fifo\n"
	                     " notify_fifo_script /bin/logger\n max_auto_priority 50\n default_interface eth0\n"
	                     " process_names\n}\n");
	EXPECT_THAT(messages(r), ElementsAre());
	const auto &g = r.config.global;
	EXPECT_EQ(g.routerId, "lb01");
	EXPECT_EQ(g.smtpServer->str(), "192.0.2.25");
	EXPECT_EQ(g.smtpPort, 2525);
	EXPECT_EQ(g.smtpConnectTimeout, 7);
	EXPECT_EQ(g.scriptUser, "nobody");
	EXPECT_EQ(g.scriptGroup, "nogroup");
	EXPECT_TRUE(g.enableScriptSecurity);
	EXPECT_EQ(g.vrrpVersion, 3);
	EXPECT_TRUE(g.vrrpStrict);
	EXPECT_EQ(g.vrrpMcastGroup4.str(), "239.0.0.18");
	EXPECT_EQ(g.vrrpGarpMasterDelay, 2);
	EXPECT_EQ(g.vrrpGarpMasterRepeat, 4);
	EXPECT_EQ(g.vrrpGarpInterval, 0.25);
	EXPECT_TRUE(g.lvsFlush);
	EXPECT_EQ(g.lvsTimeouts.tcp, 900);
	EXPECT_EQ(g.lvsTimeouts.tcpfin, 30);
	EXPECT_EQ(g.lvsTimeouts.udp, 60);
	ASSERT_TRUE(g.lvsSyncDaemon);
	EXPECT_EQ(g.lvsSyncDaemon->instance, "VI_1");
	EXPECT_EQ(g.lvsSyncDaemon->syncId, 7);
	EXPECT_EQ(g.lvsSyncDaemon->port, 8848);
	ASSERT_TRUE(g.notifyFifo);
	EXPECT_EQ(g.notifyFifo->path, "/run/k.fifo");
	EXPECT_EQ(g.notifyFifo->script, "/bin/logger");
	EXPECT_EQ(g.maxAutoPriority, 50);
	EXPECT_EQ(g.defaultInterface, "eth0");
	EXPECT_TRUE(g.other.contains("process_names"));
}

TEST(GlobalDefs, DumpRoundTrips)
{
	auto first = loadSnippet(
	        "global_defs {\n router_id \"lb 01\"\n notification_email {\n a@example.org\n b@example.org\n }\n"
	        " smtp_server 192.0.2.25\n vrrp_version 3\n lvs_timeouts tcp 900\n"
	        " notify_fifo /run/k.fifo nobody\n vrrp_iptables VIGIL\n}\n");
	ASSERT_THAT(messages(first), ElementsAre());
	std::string dumped = config::dumpConfig(first.config);
	auto second = loadSnippet(dumped);
	EXPECT_THAT(messages(second), ElementsAre()) << dumped;
	EXPECT_EQ(config::dumpConfig(second.config), dumped);
	EXPECT_EQ(second.config.global.routerId, "lb 01");
	EXPECT_THAT(second.config.global.notificationEmail, ElementsAre("a@example.org", "b@example.org"));
}

} // namespace
} // namespace vigil::testing

namespace vigil::testing {
namespace {

TEST(GlobalDefs, DumpLeavesOutIntervalsKeepalivedRejectsAsZero)
{
	auto r = loadSnippet("global_defs {\n router_id r\n}\n");
	std::string dumped = config::dumpConfig(r.config);
	EXPECT_EQ(dumped.find("vrrp_garp_interval"), std::string::npos) << dumped;
	EXPECT_EQ(dumped.find("vrrp_gna_interval"), std::string::npos) << dumped;
	auto set = loadSnippet("global_defs {\n vrrp_garp_interval 0.5\n}\n");
	EXPECT_NE(config::dumpConfig(set.config).find("vrrp_garp_interval 0.5"), std::string::npos);
}

} // namespace
} // namespace vigil::testing
