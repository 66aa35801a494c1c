// The reconciler against FakeIpvsClient: adoption without writes, minimal
// changes, drift repair, other people's services left alone.

#include <gtest/gtest.h>
#include <netinet/in.h>

#include "ipvs/fake_ipvs_client.h"
#include "src/reconcile/ipvs_reconciler.h"
#include "tests/fakes/load_snippet.h"

namespace vigil::reconcile {
namespace {

using Kind = ipvs::Operation::Kind;

DesiredIpvs desired(const std::string &text)
{
	static const testing::FakeSystemView host;
	auto loaded = testing::loadSnippet(text, host);
	EXPECT_FALSE(loaded.fatal());
	return buildDesiredIpvs(loaded.config.lvs, {});
}

std::string pool(int weight10 = 1)
{
	return "virtual_server 192.0.2.1 80 {\n protocol TCP\n lvs_sched rr\n lvs_method DR\n"
	       " real_server 192.0.2.10 80 { weight " +
	       std::to_string(weight10) +
	       " }\n"
	       " real_server 192.0.2.11 80 { }\n}\n"
	       "virtual_server 192.0.2.2 6379 {\n protocol TCP\n lvs_method DR\n"
	       " real_server 192.0.2.20 6379 { }\n}\n";
}

std::string kernelRules(ipvs::FakeIpvsClient &kernel)
{
	return formatRules(*kernel.dump());
}

ipvs::Service foreignService()
{
	ipvs::Service s;
	s.key.family = AF_INET;
	s.key.protocol = IPPROTO_TCP;
	s.key.address = *ipvs::Address::parse("198.51.100.1");
	s.key.port = 25;
	return s;
}

// A pass lists its first SyncReport::kListed changes and counts the rest:
// 100,000 lines would be formatted to log twenty.
TEST(IpvsReconciler, ListsTheFirstChangesAndCountsTheRest)
{
	std::string text = "virtual_server 192.0.2.1 80 {\n protocol TCP\n lvs_method DR\n";
	for (int i = 1; i <= 30; ++i)
		text += " real_server 192.0.2." + std::to_string(100 + i) + " 80 { }\n";
	text += "}\n";
	ipvs::FakeIpvsClient kernel;
	IpvsReconciler reconciler(kernel);
	auto report = reconciler.sync(desired(text));
	ASSERT_TRUE(report);
	EXPECT_EQ(report->writes, 31u);
	ASSERT_EQ(report->changes.size(), SyncReport::kListed);
	EXPECT_EQ(report->changes[0], "add service -t 192.0.2.1:80");
	EXPECT_EQ(report->changes[1], "add destination 192.0.2.101:80 to -t 192.0.2.1:80");
	EXPECT_EQ(report->changesUnlisted, 31u - SyncReport::kListed);
	EXPECT_TRUE(report->errors.empty());
	EXPECT_EQ(report->errorsUnlisted, 0u);
	EXPECT_EQ(report->destinations, 30u);
}

TEST(IpvsReconciler, FirstSyncAddsEverythingInOneRoundTrip)
{
	ipvs::FakeIpvsClient kernel;
	IpvsReconciler reconciler(kernel);
	auto want = desired(pool());
	auto report = reconciler.sync(want);
	ASSERT_TRUE(report);
	EXPECT_EQ(report->writes, 5u);
	EXPECT_TRUE(report->errors.empty());
	EXPECT_EQ(report->services, 2u);
	EXPECT_EQ(report->destinations, 3u);
	EXPECT_EQ(kernel.applyCalls(), 1u);
	EXPECT_EQ(kernelRules(kernel), formatRules(want));
}

TEST(IpvsReconciler, UnchangedConfigWritesNothing)
{
	ipvs::FakeIpvsClient kernel;
	IpvsReconciler reconciler(kernel);
	ASSERT_TRUE(reconciler.sync(desired(pool())));
	auto report = reconciler.sync(desired(pool()));
	ASSERT_TRUE(report);
	EXPECT_EQ(report->writes, 0u);
	EXPECT_EQ(kernel.applyCalls(), 1u);
}

TEST(IpvsReconciler, RestartAdoptsLiveRulesWithoutWriting)
{
	ipvs::FakeIpvsClient kernel;
	{
		IpvsReconciler before(kernel);
		ASSERT_TRUE(before.sync(desired(pool())));
	}
	IpvsReconciler after(kernel);
	auto report = after.sync(desired(pool()));
	ASSERT_TRUE(report);
	EXPECT_EQ(report->writes, 0u);
	EXPECT_EQ(after.owned().size(), 2u);
}

TEST(IpvsReconciler, OneChangedWeightIsOneEdit)
{
	ipvs::FakeIpvsClient kernel;
	IpvsReconciler reconciler(kernel);
	ASSERT_TRUE(reconciler.sync(desired(pool(1))));
	auto report = reconciler.sync(desired(pool(5)));
	ASSERT_TRUE(report);
	ASSERT_EQ(report->writes, 1u);
	EXPECT_EQ(report->changes, std::vector<std::string>{"edit destination 192.0.2.10:80 of -t 192.0.2.1:80"});
	EXPECT_NE(kernelRules(kernel).find("-r 192.0.2.10:80 -g -w 5"), std::string::npos);
}

TEST(IpvsReconciler, DriftIsRepairedAndForeignServicesLeftAlone)
{
	ipvs::FakeIpvsClient kernel;
	IpvsReconciler reconciler(kernel);
	auto want = desired(pool());
	ASSERT_TRUE(reconciler.sync(want));
	const auto &vip = want.services.begin()->second;
	ipvs::Destination edited = vip.destinations[0];
	edited.weight = 7;
	ipvs::Destination stray = vip.destinations[0];
	stray.key.address = *ipvs::Address::parse("192.0.2.66");
	ASSERT_EQ(kernel.apply(std::vector<ipvs::Operation>{
	                  {Kind::kDeleteDestination, vip.service, vip.destinations[1]},
	                  {Kind::kEditDestination, vip.service, edited},
	                  {Kind::kAddDestination, vip.service, stray},
	                  {Kind::kAddService, foreignService(), {}},
	          }),
	          (std::vector<int>{0, 0, 0, 0}));

	auto report = reconciler.sync(want);
	ASSERT_TRUE(report);
	EXPECT_EQ(report->changes, (std::vector<std::string>{
	                                   "edit destination 192.0.2.10:80 of -t 192.0.2.1:80",
	                                   "delete destination 192.0.2.66:80 from -t 192.0.2.1:80",
	                                   "add destination 192.0.2.11:80 to -t 192.0.2.1:80",
	                           }));
	EXPECT_EQ(kernelRules(kernel), formatRules(want) + "-A -t 198.51.100.1:25 -s wlc\n");
}

TEST(IpvsReconciler, ReloadDeletesOnlyServicesItOwned)
{
	ipvs::FakeIpvsClient kernel;
	IpvsReconciler reconciler(kernel);
	ASSERT_TRUE(reconciler.sync(desired(pool())));
	ASSERT_EQ(kernel.apply(std::vector<ipvs::Operation>{{Kind::kAddService, foreignService(), {}}}),
	          std::vector<int>{0});
	auto smaller = desired("virtual_server 192.0.2.2 6379 {\n protocol TCP\n lvs_method DR\n"
	                       " real_server 192.0.2.20 6379 { }\n}\n");
	auto report = reconciler.sync(smaller);
	ASSERT_TRUE(report);
	EXPECT_EQ(report->changes, std::vector<std::string>{"delete service -t 192.0.2.1:80"});
	EXPECT_EQ(kernelRules(kernel), formatRules(smaller) + "-A -t 198.51.100.1:25 -s wlc\n");
}

TEST(IpvsReconciler, ReleaseRemovesOwnedServicesOnly)
{
	ipvs::FakeIpvsClient kernel;
	IpvsReconciler reconciler(kernel);
	ASSERT_TRUE(reconciler.sync(desired(pool())));
	ASSERT_EQ(kernel.apply(std::vector<ipvs::Operation>{{Kind::kAddService, foreignService(), {}}}),
	          std::vector<int>{0});
	auto report = reconciler.release();
	ASSERT_TRUE(report);
	EXPECT_EQ(report->writes, 2u);
	EXPECT_EQ(kernelRules(kernel), "-A -t 198.51.100.1:25 -s wlc\n");
	EXPECT_TRUE(reconciler.owned().empty());
}

TEST(IpvsReconciler, KernelRefusalsNameTheObject)
{
	ipvs::FakeIpvsClient kernel;
	IpvsReconciler reconciler(kernel);
	auto report =
	        reconciler.sync(desired("virtual_server 192.0.2.1 80 {\n protocol TCP\n persistence_engine nosuch\n"
	                                " real_server 192.0.2.10 80 { }\n}\n"));
	ASSERT_TRUE(report);
	ASSERT_EQ(report->errors.size(), 2u);
	EXPECT_EQ(report->errors[0],
	          "add service -t 192.0.2.1:80: No such destination (or unknown scheduler or persistence engine)");
	EXPECT_EQ(report->errors[1], "add destination 192.0.2.10:80 to -t 192.0.2.1:80: No such service");
}

TEST(IpvsReconciler, NoIpvsInTheKernel)
{
	ipvs::FakeIpvsClient kernel;
	kernel.setAvailable(false);
	IpvsReconciler reconciler(kernel);
	auto report = reconciler.sync(desired(pool()));
	ASSERT_FALSE(report);
	EXPECT_EQ(ipvsErrorText(report.error()), "IP Virtual Server is not available: load the ip_vs module");
}

TEST(IpvsReconciler, TimeoutsOnlyWhenTheyDiffer)
{
	ipvs::FakeIpvsClient kernel;
	IpvsReconciler reconciler(kernel);
	auto report = reconciler.applyTimeouts(900, std::nullopt, 300);
	ASSERT_TRUE(report);
	EXPECT_EQ(report->writes, 0u); // the kernel's defaults already
	report = reconciler.applyTimeouts(600, 30, std::nullopt);
	ASSERT_TRUE(report);
	EXPECT_EQ(report->writes, 1u);
	EXPECT_EQ(*kernel.timeouts(), (ipvs::Timeouts{600, 30, 300}));
}

} // namespace
} // namespace vigil::reconcile
