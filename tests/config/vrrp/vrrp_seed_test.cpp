// The seed configurations (DESIGN.md): the unicast pair and the tutorial
// double master, read as-is.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/fakes/load_snippet.h"

namespace vigil::testing {
namespace {

using config::AuthType;
using config::VrrpInstance;
using config::VrrpState;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

// What the seeds give apart from script security (someone else's check:
// the tutorial runs a script without enable_script_security).
std::vector<std::string> configMessages(const config::LoadResult &r)
{
	std::vector<std::string> out;
	for (const auto &d : r.diagnostics.all())
		if (d.severity != parser::Severity::kSecurity)
			out.push_back((d.where.known() ? std::to_string(d.where.line) + ": " : std::string()) +
			              d.message);
	return out;
}

TEST(VrrpSeeds, UnicastPair)
{
	FakeSystemView system;
	system.addInterface("ens34");
	auto r = loadSnippet(R"(vrrp_instance VI_1 {
    state MASTER
    interface ens34
    virtual_router_id 51
    priority 100
    advert_int 1
    authentication {
        auth_type PASS
        auth_pass 1111
    }
    virtual_ipaddress {
        10.18.14.93
    }
    unicast_src_ip 10.18.14.54
    unicast_peer {
        10.18.14.64
    }
}
)",
	                     system);
	EXPECT_THAT(configMessages(r), IsEmpty());
	EXPECT_EQ(r.diagnostics.exitStatus(), 0);
	const VrrpInstance &vi = onlyInstance(r);
	EXPECT_EQ(vi.state, VrrpState::kMaster);
	EXPECT_EQ(vi.interface, "ens34");
	EXPECT_EQ(vi.virtualRouterId, 51);
	EXPECT_EQ(vi.priority, 100);
	EXPECT_EQ(vi.advertInt, 1);
	EXPECT_EQ(vi.authType, AuthType::kPass);
	EXPECT_EQ(vi.authPass, "1111");
	EXPECT_EQ(vi.vips.at(0).prefix.str(), "10.18.14.93/32");
	EXPECT_EQ(vi.vips.at(0).dev, "ens34");
	EXPECT_EQ(vi.srcIp->str(), "10.18.14.54");
	ASSERT_EQ(vi.unicastPeers.size(), 1u);
	EXPECT_EQ(vi.unicastPeers[0].address.str(), "10.18.14.64");
}

TEST(VrrpSeeds, TutorialDoubleMaster)
{
	FakeSystemView system;
	system.addInterface("ens33");
	system.addScript("/bin/bash");
	auto r = loadSnippet(R"(vrrp_script chk_keepalived {
    script "/bin/bash /data/scripts/keepalived_check.sh"
    interval 1
    weight -10
}
vrrp_instance VI_1 {
    state MASTER
    interface ens33
    virtual_router_id 51
    priority 100
    advert_int 1
    authentication {
        auth_type PASS
        auth_pass 1111
    }
    track_script {
        chk_keepalived
    }
    virtual_ipaddress {
        192.0.2.100/24 dev ens33 label ens33:0
    }
}
vrrp_instance VI_2 {
    state BACKUP
    interface ens33
    virtual_router_id 52
    priority 90
    advert_int 1
    authentication {
        auth_type PASS
        auth_pass 2222
    }
    track_script {
        chk_keepalived
    }
    virtual_ipaddress {
        192.0.2.200/24 dev ens33 label ens33:1
    }
}
)",
	                     system);
	EXPECT_THAT(configMessages(r), IsEmpty());
	const auto &m = r.config.vrrp;
	ASSERT_EQ(m.scripts.size(), 1u);
	EXPECT_THAT(m.scripts[0].script->argv, ElementsAre("/bin/bash", "/data/scripts/keepalived_check.sh"));
	EXPECT_EQ(m.scripts[0].weight, -10);
	ASSERT_EQ(m.instances.size(), 2u);
	for (const auto &vi : m.instances) {
		ASSERT_EQ(vi.trackScripts.size(), 1u);
		EXPECT_EQ(vi.trackScripts[0].name, "chk_keepalived");
		EXPECT_EQ(vi.trackScripts[0].weight, -10);
	}
	EXPECT_EQ(m.instances[0].vips.at(0).label, "ens33:0");
	EXPECT_EQ(m.instances[1].vips.at(0).label, "ens33:1");
	EXPECT_EQ(m.instances[1].vips.at(0).prefix.length, 24);
	EXPECT_EQ(m.findInstance("VI_2")->priority, 90);
}

} // namespace
} // namespace vigil::testing
