// Snippet to model: defaults resolved, every instance keyword, the seeds.
#include <functional>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/socket.h>

#include "tests/fakes/load_snippet.h"

namespace vigil::testing {
namespace {

using config::AuthType;
using config::VrrpInstance;
using config::VrrpState;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

// Notify scripts and vrrp_scripts are run as keepalived would with script
// security on, so that the tests see no security finding.
const std::string kScriptSecurity = "global_defs {\n  enable_script_security\n  script_user root\n}\n";

// One instance on eth0 with one VIP, `body` inserted before the VIP block.
std::string instance(const std::string &body)
{
	return "vrrp_instance VI_1 {\n  interface eth0\n  virtual_router_id 51\n" + body +
	       "  virtual_ipaddress {\n    192.0.2.1\n  }\n}\n";
}

TEST(VrrpModel, BackupDefaults)
{
	auto r = loadSnippet(instance(""));
	EXPECT_THAT(messages(r), IsEmpty());
	const VrrpInstance &vi = onlyInstance(r);
	EXPECT_EQ(vi.name, "VI_1");
	EXPECT_EQ(vi.where.line, 1u);
	EXPECT_EQ(vi.state, VrrpState::kBackup);
	EXPECT_EQ(vi.priority, 100);
	EXPECT_EQ(vi.version, 2);
	EXPECT_EQ(vi.family, AF_INET);
	EXPECT_EQ(vi.advertInt, 1);
	EXPECT_EQ(vi.accept, true);
	EXPECT_FALSE(vi.nopreempt);
	EXPECT_EQ(vi.authType, AuthType::kNone);
	EXPECT_EQ(vi.mcastDstIp->str(), "224.0.0.18");
	EXPECT_EQ(vi.garpMasterDelay, 5);
	EXPECT_EQ(vi.garpMasterRepeat, 5);
	EXPECT_EQ(vi.garpMasterRefresh, 0);
	EXPECT_EQ(vi.garpMasterRefreshRepeat, 1);
	EXPECT_EQ(vi.garpLowerPrioDelay, 5);
	EXPECT_EQ(vi.garpLowerPrioRepeat, 5);
	EXPECT_EQ(vi.downTimerAdverts, 3);
	EXPECT_EQ(vi.lowerPrioNoAdvert, false);
	EXPECT_EQ(vi.higherPrioSendAdvert, false);
	EXPECT_EQ(vi.strictMode, false);
	EXPECT_EQ(vi.skipCheckAdvAddr, false);
	EXPECT_EQ(vi.smtpAlert, false);
	ASSERT_EQ(vi.vips.size(), 1u);
	EXPECT_EQ(vi.vips[0].prefix.str(), "192.0.2.1/32");
	EXPECT_EQ(vi.vips[0].dev, "eth0"); // the instance's interface
	EXPECT_EQ(vi.vips[0].scope, "global");
	EXPECT_EQ(vi.vips[0].where.line, 5u);
}

TEST(VrrpModel, MasterWithoutPriorityIsAddressOwner)
{
	// keepalived: "Priority = 255" for state MASTER without priority.
	auto r = loadSnippet(instance("  state MASTER\n"));
	EXPECT_EQ(onlyInstance(r).state, VrrpState::kMaster);
	EXPECT_EQ(onlyInstance(r).priority, 255);
	auto r2 = loadSnippet(instance("  state MASTER\n  priority 100\n"));
	EXPECT_EQ(onlyInstance(r2).priority, 100);
}

TEST(VrrpModel, Ipv6InstanceUsesVersion3AndItsGroup)
{
	auto r = loadSnippet("vrrp_instance VI_6 {\n  interface eth0\n  virtual_router_id 9\n"
	                     "  virtual_ipaddress {\n    2001:db8::1/64\n  }\n}\n");
	EXPECT_THAT(messages(r), IsEmpty());
	EXPECT_EQ(onlyInstance(r).family, AF_INET6);
	EXPECT_EQ(onlyInstance(r).version, 3);
	EXPECT_EQ(onlyInstance(r).mcastDstIp->str(), "ff02::12");
	const auto *byKey = r.config.vrrp.findInstance(9, AF_INET6, "eth0");
	ASSERT_NE(byKey, nullptr);
	EXPECT_EQ(byKey->name, "VI_6");
	EXPECT_EQ(r.config.vrrp.findInstance(9, AF_INET, "eth0"), nullptr);
}

TEST(VrrpModel, GlobalsAfterTheInstanceStillApply)
{
	auto r = loadSnippet(instance("") + R"(global_defs {
  vrrp_version 3
  vrrp_strict
  vrrp_garp_master_delay 7
  vrrp_garp_master_repeat 2
  vrrp_garp_master_refresh 60
  vrrp_garp_master_refresh_repeat 3
  vrrp_mcast_group4 224.0.0.99
  vrrp_skip_check_adv_addr
  vrrp_higher_prio_send_advert
  vrrp_down_timer_adverts 4
  smtp_alert
}
)");
	EXPECT_THAT(messages(r), IsEmpty());
	const VrrpInstance &vi = onlyInstance(r);
	EXPECT_EQ(vi.version, 3);
	EXPECT_EQ(vi.strictMode, true);
	EXPECT_EQ(vi.accept, false);           // strict: no_accept
	EXPECT_EQ(vi.lowerPrioNoAdvert, true); // strict
	EXPECT_EQ(vi.garpLowerPrioDelay, 0);   // strict
	EXPECT_EQ(vi.garpLowerPrioRepeat, 0);
	EXPECT_EQ(vi.garpMasterDelay, 7);
	EXPECT_EQ(vi.garpMasterRepeat, 2);
	EXPECT_EQ(vi.garpMasterRefresh, 60);
	EXPECT_EQ(vi.garpMasterRefreshRepeat, 3);
	EXPECT_EQ(vi.mcastDstIp->str(), "224.0.0.99");
	EXPECT_EQ(vi.skipCheckAdvAddr, true);
	EXPECT_EQ(vi.higherPrioSendAdvert, true);
	EXPECT_EQ(vi.downTimerAdverts, 4);
	EXPECT_EQ(vi.smtpAlert, true);
}

TEST(VrrpModel, InstanceSettingsOverrideGlobals)
{
	auto r =
	        loadSnippet(instance("  version 2\n  strict_mode off\n  garp_master_delay 1\n"
	                             "  lower_prio_no_advert off\n  skip_check_adv_addr off\n  smtp_alert off\n") +
	                    "global_defs {\n  vrrp_version 3\n  vrrp_strict\n  vrrp_skip_check_adv_addr\n  smtp_alert\n"
	                    "}\n");
	const VrrpInstance &vi = onlyInstance(r);
	EXPECT_EQ(vi.version, 2);
	EXPECT_EQ(vi.strictMode, false);
	EXPECT_EQ(vi.accept, true);
	EXPECT_EQ(vi.garpMasterDelay, 1);
	EXPECT_EQ(vi.lowerPrioNoAdvert, false);
	EXPECT_EQ(vi.skipCheckAdvAddr, false);
	EXPECT_EQ(vi.smtpAlert, false);
}

// Keyword line -> the field it sets, with no diagnostic.
struct KeywordCase {
	const char *line;
	std::function<void(const VrrpInstance &)> check;
};

class VrrpKeywords : public ::testing::TestWithParam<KeywordCase>
{
};

TEST_P(VrrpKeywords, SetsField)
{
	FakeSystemView system;
	system.addInterface("eth1");
	system.addScript("/bin/true");
	auto r = loadSnippet(instance(std::string("  ") + GetParam().line + "\n") + kScriptSecurity, system);
	EXPECT_THAT(messages(r), IsEmpty()) << GetParam().line;
	ASSERT_EQ(r.config.vrrp.instances.size(), 1u);
	GetParam().check(r.config.vrrp.instances[0]);
}

const KeywordCase kKeywordCases[] = {
        {"state MASTER", [](const VrrpInstance &v) { EXPECT_EQ(v.state, VrrpState::kMaster); }},
        {"priority 150", [](const VrrpInstance &v) { EXPECT_EQ(v.priority, 150); }},
        {"advert_int 3", [](const VrrpInstance &v) { EXPECT_EQ(v.advertInt, 3); }},
        {"version 3\n  advert_int 0.25", [](const VrrpInstance &v) { EXPECT_EQ(v.advertInt, 0.25); }},
        {"nopreempt", [](const VrrpInstance &v) { EXPECT_TRUE(v.nopreempt); }},
        {"nopreempt\n  preempt", [](const VrrpInstance &v) { EXPECT_FALSE(v.nopreempt); }},
        {"preempt_delay 12.5", [](const VrrpInstance &v) { EXPECT_EQ(v.preemptDelay, 12.5); }},
        {"authentication {\n    auth_type PASS\n    auth_pass 1111\n  }",
         [](const VrrpInstance &v) {
	         EXPECT_EQ(v.authType, AuthType::kPass);
	         EXPECT_EQ(v.authPass, "1111");
         }},
        {"authentication {\n    auth_type AH\n    auth_pass secret\n  }",
         [](const VrrpInstance &v) { EXPECT_EQ(v.authType, AuthType::kAh); }},
        {"unicast_src_ip 192.0.2.54\n  unicast_peer {\n    192.0.2.64\n  }",
         [](const VrrpInstance &v) {
	         EXPECT_EQ(v.srcIp->str(), "192.0.2.54");
	         ASSERT_EQ(v.unicastPeers.size(), 1u);
	         EXPECT_EQ(v.unicastPeers[0].address.str(), "192.0.2.64");
	         EXPECT_EQ(v.unicastPeers[0].minTtl, 0);
	         EXPECT_EQ(v.unicastPeers[0].maxTtl, 255);
	         EXPECT_EQ(v.checkUnicastSrc, false);
         }},
        {"unicast_peer {\n    192.0.2.64 min_ttl 2 max_ttl 9\n  }",
         [](const VrrpInstance &v) {
	         EXPECT_EQ(v.unicastPeers[0].minTtl, 2);
	         EXPECT_EQ(v.unicastPeers[0].maxTtl, 9);
	         EXPECT_EQ(v.checkUnicastSrc, true); // min/max_ttl turn it on
         }},
        {"unicast_peer {\n    192.0.2.64\n  }\n  unicast_ttl 10\n  check_unicast_src",
         [](const VrrpInstance &v) {
	         EXPECT_EQ(v.unicastTtl, 10);
	         EXPECT_EQ(v.checkUnicastSrc, true);
         }},
        {"mcast_src_ip 192.0.2.5", [](const VrrpInstance &v) { EXPECT_EQ(v.srcIp->str(), "192.0.2.5"); }},
        {"mcast_dst_ip 224.0.0.50", [](const VrrpInstance &v) { EXPECT_EQ(v.mcastDstIp->str(), "224.0.0.50"); }},
        {"unicast_fault_no_peer", [](const VrrpInstance &v) { EXPECT_TRUE(v.unicastFaultNoPeer); }},
        {"track_interface {\n    eth1 weight -20 reverse\n  }",
         [](const VrrpInstance &v) {
	         ASSERT_EQ(v.trackInterfaces.size(), 1u);
	         EXPECT_EQ(v.trackInterfaces[0].name, "eth1");
	         EXPECT_EQ(v.trackInterfaces[0].weight, -20);
	         EXPECT_TRUE(v.trackInterfaces[0].reverse);
         }},
        {"notify_master /bin/true", [](const VrrpInstance &v) { EXPECT_EQ(v.notify.master->command, "/bin/true"); }},
        {"notify_backup \"/bin/echo backup\" nobody",
         [](const VrrpInstance &v) {
	         EXPECT_THAT(v.notify.backup->argv, ElementsAre("/bin/echo", "backup"));
	         EXPECT_EQ(v.notify.backup->user, "nobody");
         }},
        {"notify_fault /bin/true root root",
         [](const VrrpInstance &v) {
	         EXPECT_EQ(v.notify.fault->user, "root");
	         EXPECT_EQ(v.notify.fault->group, "root");
         }},
        {"notify_stop /bin/true", [](const VrrpInstance &v) { EXPECT_TRUE(v.notify.stop); }},
        {"notify /bin/true", [](const VrrpInstance &v) { EXPECT_TRUE(v.notify.any); }},
        {"notify_master_rx_lower_pri /bin/true", [](const VrrpInstance &v) { EXPECT_TRUE(v.notify.masterRxLowerPri); }},
        {"notify_deleted",
         [](const VrrpInstance &v) {
	         EXPECT_TRUE(v.notify.notifyDeleted);
	         EXPECT_FALSE(v.notify.deleted);
         }},
        {"notify_deleted /bin/true", [](const VrrpInstance &v) { EXPECT_TRUE(v.notify.deleted); }},
        {"smtp_alert", [](const VrrpInstance &v) { EXPECT_EQ(v.smtpAlert, true); }},
        {"notify_priority_changes", [](const VrrpInstance &v) { EXPECT_TRUE(v.notifyPriorityChanges); }},
        {"garp_master_delay 10", [](const VrrpInstance &v) { EXPECT_EQ(v.garpMasterDelay, 10); }},
        {"garp_master_repeat 1", [](const VrrpInstance &v) { EXPECT_EQ(v.garpMasterRepeat, 1); }},
        {"garp_master_refresh 60", [](const VrrpInstance &v) { EXPECT_EQ(v.garpMasterRefresh, 60); }},
        {"garp_master_refresh_repeat 2", [](const VrrpInstance &v) { EXPECT_EQ(v.garpMasterRefreshRepeat, 2); }},
        {"garp_lower_prio_delay 10", [](const VrrpInstance &v) { EXPECT_EQ(v.garpLowerPrioDelay, 10); }},
        {"garp_lower_prio_repeat 1", [](const VrrpInstance &v) { EXPECT_EQ(v.garpLowerPrioRepeat, 1); }},
        {"down_timer_adverts 5", [](const VrrpInstance &v) { EXPECT_EQ(v.downTimerAdverts, 5); }},
        {"lower_prio_no_advert", [](const VrrpInstance &v) { EXPECT_EQ(v.lowerPrioNoAdvert, true); }},
        {"higher_prio_send_advert yes", [](const VrrpInstance &v) { EXPECT_EQ(v.higherPrioSendAdvert, true); }},
        {"version 3", [](const VrrpInstance &v) { EXPECT_EQ(v.version, 3); }},
        {"no_accept", [](const VrrpInstance &v) { EXPECT_EQ(v.accept, false); }},
        {"accept", [](const VrrpInstance &v) { EXPECT_EQ(v.accept, true); }},
        {"use_vmac",
         [](const VrrpInstance &v) {
	         EXPECT_TRUE(v.useVmac);
	         EXPECT_EQ(v.vmacName, "vrrp.51");
         }},
        {"use_vmac vrrp51 02:00:00:00:00:33\n  vmac_xmit_base",
         [](const VrrpInstance &v) {
	         EXPECT_EQ(v.vmacName, "vrrp51");
	         EXPECT_EQ(v.vmacMac, "02:00:00:00:00:33");
	         EXPECT_TRUE(v.vmacXmitBase);
         }},
        {"use_vmac_addr", [](const VrrpInstance &v) { EXPECT_TRUE(v.useVmacAddr); }},
        {"dont_track_primary", [](const VrrpInstance &v) { EXPECT_TRUE(v.dontTrackPrimary); }},
        {"strict_mode", [](const VrrpInstance &v) { EXPECT_EQ(v.strictMode, true); }},
        {"skip_check_adv_addr on", [](const VrrpInstance &v) { EXPECT_EQ(v.skipCheckAdvAddr, true); }},
        {"debug 3", [](const VrrpInstance &v) { EXPECT_EQ(v.debug, 3); }},
        {"kernel_rx_buf_size 65536", [](const VrrpInstance &v) { EXPECT_EQ(v.kernelRxBufSize, 65536); }},
        {"promote_secondaries", [](const VrrpInstance &v) { EXPECT_TRUE(v.promoteSecondaries); }},
        {"track_src_ip", [](const VrrpInstance &v) { EXPECT_TRUE(v.trackSrcIp); }},
        {"old_unicast_checksum never",
         [](const VrrpInstance &v) { EXPECT_THAT(v.other.at("old_unicast_checksum"), ElementsAre("never")); }},
        {"garp_extra_if all 100", [](const VrrpInstance &v) { EXPECT_EQ(v.other.count("garp_extra_if"), 1u); }},
        {"virtual_ipaddress_excluded {\n    2001:db8::5/64 dev eth1\n  }",
         [](const VrrpInstance &v) {
	         ASSERT_EQ(v.excludedVips.size(), 1u);
	         EXPECT_EQ(v.excludedVips[0].prefix.str(), "2001:db8::5/64");
	         EXPECT_EQ(v.excludedVips[0].dev, "eth1");
	         EXPECT_EQ(v.family, AF_INET); // excluded addresses don't decide
         }},
        {"virtual_routes {\n    198.51.100.0/24 via 192.0.2.254 dev eth1 table 100 metric 5\n  }",
         [](const VrrpInstance &v) {
	         ASSERT_EQ(v.routes.size(), 1u);
	         const auto &rt = v.routes[0];
	         EXPECT_EQ(rt.destination.str(), "198.51.100.0/24");
	         EXPECT_EQ(rt.via->str(), "192.0.2.254");
	         EXPECT_EQ(rt.dev, "eth1");
	         EXPECT_THAT(rt.options,
	                     ElementsAre(config::RouteOption{"table", {"100"}}, config::RouteOption{"metric", {"5"}}));
	         EXPECT_FALSE(rt.noTrack);
         }},
        {"virtual_rules {\n    from 192.0.2.0/24 table 7 preference 100 no_track\n  }",
         [](const VrrpInstance &v) {
	         ASSERT_EQ(v.rules.size(), 1u);
	         EXPECT_EQ(v.rules[0].from->str(), "192.0.2.0/24");
	         EXPECT_EQ(v.rules[0].preference, 100);
	         EXPECT_TRUE(v.rules[0].noTrack);
	         EXPECT_THAT(v.rules[0].options, ElementsAre(config::RouteOption{"table", {"7"}}));
         }},
};

INSTANTIATE_TEST_SUITE_P(Instance, VrrpKeywords, ::testing::ValuesIn(kKeywordCases));

// keepalived -d: with one member BACKUP, a MASTER member starts as BACKUP
// too; with all members MASTER they stay MASTER.
TEST(VrrpModel, SyncGroupStartsInOneState)
{
	const std::string group = "vrrp_sync_group G {\n  group {\n    VI_1\n    VI_2\n  }\n}\n";
	const std::string second = "vrrp_instance VI_2 {\n  interface eth0\n  virtual_router_id 52\n";
	const std::string vip2 = "  virtual_ipaddress {\n    192.0.2.2\n  }\n}\n";
	auto mixed = loadSnippet(group + instance("  state MASTER\n  priority 150\n") + second + vip2);
	EXPECT_THAT(messages(mixed), IsEmpty());
	EXPECT_EQ(mixed.config.vrrp.findInstance("VI_1")->state, VrrpState::kBackup);
	EXPECT_EQ(mixed.config.vrrp.findInstance("VI_1")->priority, 150);
	auto masters =
	        loadSnippet(group + instance("  state MASTER\n  priority 150\n") + second + "  state MASTER\n" + vip2);
	EXPECT_EQ(masters.config.vrrp.findInstance("VI_1")->state, VrrpState::kMaster);
	EXPECT_EQ(masters.config.vrrp.findInstance("VI_2")->state, VrrpState::kMaster);
	EXPECT_EQ(masters.config.vrrp.findInstance("VI_2")->priority, 255);
}

TEST(VrrpModel, TrackBfdNeedsItsBfdInstance)
{
	auto r = loadSnippet("bfd_instance B1 {\n  neighbor_ip 192.0.2.50\n}\n" +
	                     instance("  track_bfd {\n    B1 weight 10 reverse\n  }\n"));
	EXPECT_THAT(messages(r), IsEmpty());
	ASSERT_EQ(onlyInstance(r).trackBfds.size(), 1u);
	EXPECT_EQ(onlyInstance(r).trackBfds[0].weight, 10);
	EXPECT_TRUE(onlyInstance(r).trackBfds[0].reverse);
}

TEST(VrrpModel, ScriptsTrackFilesAndSyncGroups)
{
	FakeSystemView system;
	system.addScript("/bin/true");
	auto r = loadSnippet(kScriptSecurity + R"(vrrp_script chk {
  script "/bin/true --quick"
  interval 3
  timeout 5
  weight -10 reverse
  rise 3
  fall 2
  user nobody
  init_fail
}
track_file tf {
  file /run/vigil/tf
  weight -5 reverse
  init_file 3 overwrite
}
vrrp_sync_group SG {
  group {
    VI_1 VI_2
  }
  notify_master /bin/true
  smtp_alert
  sync_group_tracking_weight
  track_script {
    chk
  }
}
vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 1
  track_script {
    chk weight 20
  }
  track_file {
    tf
  }
  virtual_ipaddress {
    192.0.2.1
  }
}
vrrp_instance VI_2 {
  interface eth0
  virtual_router_id 2
  virtual_ipaddress {
    192.0.2.2
  }
}
)",
	                     system);
	EXPECT_THAT(messages(r), IsEmpty());
	const auto &m = r.config.vrrp;
	ASSERT_EQ(m.scripts.size(), 1u);
	const auto &s = m.scripts[0];
	EXPECT_THAT(s.script->argv, ElementsAre("/bin/true", "--quick"));
	EXPECT_EQ(s.script->user, "nobody");
	EXPECT_EQ(s.interval, 3);
	EXPECT_EQ(s.timeout, 5);
	EXPECT_EQ(s.weight, -10);
	EXPECT_TRUE(s.weightReverse);
	EXPECT_EQ(s.rise, 3);
	EXPECT_EQ(s.fall, 2);
	EXPECT_TRUE(s.initFail);
	ASSERT_EQ(m.trackFiles.size(), 1u);
	EXPECT_EQ(m.trackFiles[0].file, "/run/vigil/tf");
	EXPECT_EQ(m.trackFiles[0].weight, -5);
	EXPECT_TRUE(m.trackFiles[0].initFile && m.trackFiles[0].initOverwrite);
	EXPECT_EQ(m.trackFiles[0].initValue, 3);
	ASSERT_EQ(m.syncGroups.size(), 1u);
	EXPECT_THAT(m.syncGroups[0].members, ElementsAre("VI_1", "VI_2"));
	EXPECT_EQ(m.syncGroups[0].smtpAlert, true);
	EXPECT_EQ(m.syncGroups[0].trackScripts.at(0).weight, -10); // the script's own
	EXPECT_TRUE(m.syncGroups[0].trackScripts.at(0).reverse);
	const VrrpInstance &vi = m.instances[0];
	EXPECT_EQ(vi.syncGroup, "SG");
	EXPECT_EQ(vi.trackScripts.at(0).weight, 20);
	EXPECT_FALSE(vi.trackScripts.at(0).reverse);
	EXPECT_EQ(vi.trackFiles.at(0).weight, -5); // the file's own
	EXPECT_TRUE(vi.trackFiles.at(0).reverse);

	std::vector<const config::Script *> scripts;
	config::collectVrrpScripts(r.config, scripts);
	ASSERT_EQ(scripts.size(), 2u); // vrrp_script and the group's notify_master
	EXPECT_EQ(scripts[0]->command, "/bin/true --quick");
	EXPECT_EQ(scripts[1]->command, "/bin/true");
}

TEST(VrrpModel, NotifyScriptWithUnknownUserIsIgnoredWithANote)
{
	// keepalived -t is silent (exit 0); the daemon logs these and ignores
	// the script.
	auto r = loadSnippet(
	        instance("  notify_backup /bin/true nosuchuser\n  notify_fault /bin/true root nosuchgroup\n"));
	EXPECT_THAT(messages(r), ElementsAre("4: Script user 'nosuchuser' does not exist",
	                                     "4: Invalid user/group for notify script /bin/true - ignoring",
	                                     "5: Script group 'nosuchgroup' does not exist",
	                                     "5: Invalid user/group for notify script /bin/true - ignoring"));
	EXPECT_EQ(r.diagnostics.exitStatus(), 0);
	EXPECT_FALSE(onlyInstance(r).notify.backup);
	EXPECT_FALSE(onlyInstance(r).notify.fault);
}

TEST(VrrpModel, RemovingAScriptAfterTheParseDropsItsTracking)
{
	FakeSystemView system;
	system.addScript("/bin/true");
	auto r = loadSnippet(kScriptSecurity + "vrrp_script c {\n  script /bin/true\n}\n" +
	                             instance("  track_script {\n    c\n  }\n"),
	                     system);
	ASSERT_THAT(messages(r), IsEmpty());
	config::BuildContext ctx{r.diagnostics, system, r.config};
	config::removeVrrpScript(r.config, "c", ctx);
	// keepalived names the track_script entry's line (probed).
	ASSERT_EQ(r.diagnostics.all().size(), 1u);
	EXPECT_EQ(r.diagnostics.all()[0].message, "(VI_1) track script c not found, ignoring...");
	EXPECT_TRUE(r.diagnostics.all()[0].where.known());
	EXPECT_THAT(r.config.vrrp.scripts, IsEmpty());
	EXPECT_THAT(onlyInstance(r).trackScripts, IsEmpty());
}

TEST(VrrpModel, TrackFileWithoutFileIsDropped)
{
	auto r = loadSnippet("track_file tf {\n  weight 3\n}\n");
	EXPECT_THAT(messages(r), ElementsAre("3: No file set for track_file tf - ignoring"));
	EXPECT_THAT(r.config.vrrp.trackFiles, IsEmpty());
}

TEST(VrrpModel, MissingParameterStopsReading)
{
	// keepalived stops reading the file here, with exit status 2.
	auto r = loadSnippet(instance("  priority\n"));
	EXPECT_THAT(messages(r), ElementsAre("4: *** Configuration line starting `priority` is missing a parameter "
	                                     "after keyword `priority` at word position 2"));
	EXPECT_EQ(r.diagnostics.exitStatus(), 2);
}

} // namespace
} // namespace vigil::testing
