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
