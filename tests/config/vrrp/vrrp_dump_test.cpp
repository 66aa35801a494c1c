// The dump is keepalived.conf again: load, dump, load the dump, dump again.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "src/config/config_writer.h"
#include "tests/fakes/load_snippet.h"

namespace vigil::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const char *const kRich = R"(global_defs {
    router_id lb1
    enable_script_security
    script_user root
    vrrp_garp_master_refresh 30
    default_interface eth1
}
track_group TG {
    group {
        VI_1
    }
}
vrrp_script chk_haproxy {
    script "/bin/true 'with space'"
    interval 2
    timeout 3
    weight -20 reverse
    rise 2
    fall 3
    user nobody
}
vrrp_script chk_plain {
    script /bin/true
}
track_file tf1 {
    file /run/vigil/tf1
    weight 5
    init_file 1 overwrite
}
vrrp_sync_group SG1 {
    group {
        VI_1
        VI_2
    }
    notify_master "/bin/true master" root
    notify_backup /bin/true
    notify /bin/true
    sync_group_tracking_weight
    track_script {
        chk_plain weight 0
    }
}
vrrp_instance VI_1 {
    state MASTER
    interface eth0
    virtual_router_id 51
    priority 150
    advert_int 2
    nopreempt
    authentication {
        auth_type PASS
        auth_pass 1234567890
    }
    unicast_src_ip 192.0.2.54
    unicast_peer {
        192.0.2.64 max_ttl 64
        192.0.2.65
    }
    virtual_ipaddress {
        192.0.2.100/24 brd + dev eth0 label eth0:1
        192.0.2.101 scope link no_track
    }
    virtual_ipaddress_excluded {
        2001:db8::10/64 dev eth1 preferred_lft forever
    }
    virtual_routes {
        198.51.100.0/24 via 192.0.2.254 dev eth0 table 100 metric 7
        blackhole 198.51.101.0/24
        198.51.102.0/24 dev eth0 nexthop via 192.0.2.1 weight 2 nexthop via 192.0.2.2
    }
    virtual_rules {
        from 192.0.2.0/24 table 100 preference 200
        to 203.0.113.0/24 table main
    }
    track_interface {
        eth1 weight -30
    }
    track_script {
        chk_haproxy
    }
    track_file {
        tf1 weight 3 reverse
    }
    notify_master /bin/true
    notify_fault "/bin/true fault" nobody nogroup
    notify_deleted
    smtp_alert
    garp_master_delay 3
    lower_prio_no_advert
    promote_secondaries
}
vrrp_instance VI_2 {
    interface eth1
    virtual_router_id 52
    version 3
    advert_int 0.5
    use_vmac
    virtual_ipaddress {
        fe80::1/64
        2001:db8::1/64
    }
    notify_backup /bin/true
    strict_mode on
}
vrrp_instance VI_3 {
    interface eth0
    virtual_router_id 53
    preempt_delay 10.5
    virtual_ipaddress {
        198.51.100.53/24
    }
}
static_ipaddress {
    203.0.113.5/24 dev eth0 track_group TG
    203.0.113.6
}
static_routes {
    203.0.113.0/24 via 192.0.2.1 dev eth0 track_group TG
}
static_rules {
    from 203.0.113.0/24 table 5 preference 300
    from 2001:db8::/48 table 6 preference 301 fwmark 0x10/0xff
}
)";

FakeSystemView richSystem()
{
	FakeSystemView system;
	system.addInterface("eth1");
	system.addScript("/bin/true");
	return system;
}

TEST(VrrpDump, RoundTripIsStable)
{
	FakeSystemView system = richSystem();
	auto first = loadSnippet(kRich, system);
	EXPECT_THAT(
	        messages(first),
	        ElementsAre("52: Truncating auth_pass to 8 characters",
	                    "68: Warning - cannot track route 198.51.101.0/24 with no interface specified, not "
	                    "tracking",
	                    "73: Rule has no preference specified - setting to 16384. This is probably not what you "
	                    "want.",
	                    "(VI_1) Warning - nopreempt will not work with initial state MASTER - clearing"));
	std::string dump1 = config::dumpConfig(first.config);
	auto second = loadSnippet(dump1, system);
	EXPECT_THAT(messages(second), IsEmpty()) << dump1;
	std::string dump2 = config::dumpConfig(second.config);
	EXPECT_EQ(dump1, dump2);

	// The dump reads back without a finding, as the same model.
	const auto &a = first.config.vrrp, &b = second.config.vrrp;
	ASSERT_EQ(a.instances.size(), b.instances.size());
	for (std::size_t i = 0; i < a.instances.size(); ++i) {
		const auto &x = a.instances[i], &y = b.instances[i];
		EXPECT_EQ(x.vips, y.vips);
		EXPECT_EQ(x.excludedVips, y.excludedVips);
		EXPECT_EQ(x.routes, y.routes);
		EXPECT_EQ(x.rules, y.rules);
		EXPECT_EQ(x.unicastPeers, y.unicastPeers);
		EXPECT_EQ(x.trackInterfaces, y.trackInterfaces);
		EXPECT_EQ(x.trackScripts, y.trackScripts);
		EXPECT_EQ(x.trackFiles, y.trackFiles);
		EXPECT_EQ(x.priority, y.priority);
		EXPECT_EQ(x.advertInt, y.advertInt);
		EXPECT_EQ(x.authPass, y.authPass);
		EXPECT_EQ(x.accept, y.accept);
		EXPECT_EQ(x.garpMasterRefresh, y.garpMasterRefresh);
	}
	EXPECT_EQ(a.staticAddresses, b.staticAddresses);
	EXPECT_EQ(a.staticRoutes, b.staticRoutes);
	EXPECT_EQ(a.staticRules, b.staticRules);
}

TEST(VrrpDump, ResolvedValuesAreExplicit)
{
	FakeSystemView system = richSystem();
	auto r = loadSnippet(kRich, system);
	std::string dump = config::dumpConfig(r.config);
	// Truncated password, resolved priority and defaults, device and scope
	// of every address, the route no interface could track.
	EXPECT_THAT(dump, HasSubstr("        auth_pass 12345678\n"));
	EXPECT_THAT(dump, HasSubstr("    priority 100\n")); // VI_2, BACKUP
	EXPECT_THAT(dump, HasSubstr("    garp_master_refresh 30\n"));
	EXPECT_THAT(dump, HasSubstr("        192.0.2.100/24 brd 192.0.2.255 dev eth0 scope global label eth0:1\n"));
	EXPECT_THAT(dump, HasSubstr("        blackhole 198.51.101.0/24 no_track\n"));
	EXPECT_THAT(dump, HasSubstr("        to 203.0.113.0/24 preference 16384 table main\n"));
	EXPECT_THAT(dump, HasSubstr("    203.0.113.6/32 dev eth1 scope global\n")); // default_interface
	EXPECT_THAT(dump, HasSubstr("    use_vmac vrrp.52\n"));
	EXPECT_THAT(dump, HasSubstr("    no_accept\n")); // strict VI_2
	EXPECT_THAT(dump, HasSubstr("    preempt_delay 10.5\n"));
	// Stable order: scripts, track files, sync groups, instances, statics.
	auto pos = [&dump](const char *s) { return dump.find(s); };
	EXPECT_LT(pos("vrrp_script chk_haproxy"), pos("track_file tf1"));
	EXPECT_LT(pos("track_file tf1"), pos("vrrp_sync_group SG1"));
	EXPECT_LT(pos("vrrp_sync_group SG1"), pos("vrrp_instance VI_1"));
	EXPECT_LT(pos("vrrp_instance VI_2"), pos("static_ipaddress"));
	EXPECT_LT(pos("static_ipaddress"), pos("static_rules"));
}

} // namespace
} // namespace vigil::testing
