#include <gtest/gtest.h>

#include "vrrp/tracking.h"

namespace vigil::vrrp {
namespace {

config::TrackedObject tracked(std::string name, int weight, bool reverse = false)
{
	config::TrackedObject t;
	t.name = std::move(name);
	t.weight = weight;
	t.reverse = reverse;
	return t;
}

struct TrackingFixture : ::testing::Test {
	TrackingFixture()
	{
		vi.name = "VI_1";
		vi.interface = "eth0";
		config::VrrpScript script;
		script.name = "chk";
		model.scripts.push_back(script);
		states.interfaceUp["eth0"] = true;
	}
	TrackingResult eval() { return evaluateTracking(vi, model, states); }

	config::VrrpInstance vi;
	config::VrrpModel model;
	TrackedStates states;
};

TEST_F(TrackingFixture, OwnInterfaceDownIsAFaultUnlessNotTracked)
{
	EXPECT_EQ(eval(), TrackingResult{});
	states.interfaceUp["eth0"] = false;
	EXPECT_EQ(eval(), (TrackingResult{0, true, {"interface eth0 down"}}));
	vi.dontTrackPrimary = true;
	EXPECT_EQ(eval(), TrackingResult{});
}

TEST_F(TrackingFixture, InterfaceWeightsFollowTheirSign)
{
	vi.trackInterfaces = {tracked("eth1", 10), tracked("eth2", -20), tracked("eth3", 0)};
	states.interfaceUp = {{"eth0", true}, {"eth1", true}, {"eth2", true}, {"eth3", true}};
	EXPECT_EQ(eval().weight, 10);
	states.interfaceUp["eth1"] = false;
	states.interfaceUp["eth2"] = false;
	EXPECT_EQ(eval().weight, -20);
	EXPECT_FALSE(eval().fault);
	states.interfaceUp["eth3"] = false;
	EXPECT_EQ(eval(), (TrackingResult{-20, true, {"interface eth3 down"}}));
}

TEST_F(TrackingFixture, ReverseTurnsTheAdjustmentRound)
{
	vi.trackInterfaces = {tracked("eth1", -20, true)};
	states.interfaceUp["eth1"] = false;
	EXPECT_EQ(eval().weight, 20) << "reverse raises the priority while the interface is down";
	states.interfaceUp["eth1"] = true;
	EXPECT_EQ(eval().weight, 0);
}

TEST_F(TrackingFixture, ScriptsCountFromTheirLastResultOrInitFail)
{
	vi.trackScripts = {tracked("chk", -60)};
	EXPECT_EQ(eval().weight, 0) << "no result yet: assumed good";
	model.scripts[0].initFail = true;
	EXPECT_EQ(eval().weight, -60) << "init_fail: assumed failing";
	states.scriptOk["chk"] = true;
	EXPECT_EQ(eval().weight, 0);
	states.scriptOk["chk"] = false;
	EXPECT_EQ(eval().weight, -60);
	vi.trackScripts = {tracked("chk", 0)};
	EXPECT_EQ(eval(), (TrackingResult{0, true, {"script chk failed"}}));
}

TEST_F(TrackingFixture, FilesMultiplyTheirValue)
{
	vi.trackFiles = {tracked("f", 3), tracked("g", 0)};
	states.fileValue["f"] = -5;
	EXPECT_EQ(eval().weight, -15);
	states.fileValue["g"] = 1;
	EXPECT_EQ(eval(), (TrackingResult{-15, true, {"file g is 1"}}));
}

} // namespace
} // namespace vigil::vrrp

namespace vigil::vrrp {
namespace {

// (initFail, rise, fall, results) -> ok() after each result.
struct HealthCase {
	const char *name;
	bool initFail;
	int rise, fall;
	std::vector<bool> results;
	std::vector<bool> ok;
};

TEST(ScriptHealth, RiseAndFallCountConsecutiveResults)
{
	const std::vector<HealthCase> cases = {
	        {"fall 1: the first failure", false, 1, 1, {true, false, true}, {true, false, true}},
	        {"fall 3: three in a row",
	         false,
	         2,
	         3,
	         {false, false, true, false, false, false},
	         {true, true, true, true, true, false}},
	        {"rise 2: two in a row",
	         false,
	         2,
	         1,
	         {false, true, false, true, true},
	         {false, false, false, false, true}},
	        {"init_fail: bad until rise", true, 2, 1, {true, true}, {false, true}},
	        {"init_fail: failures change nothing", true, 1, 1, {false, false}, {false, false}},
	};
	for (const auto &c : cases) {
		ScriptHealth health(c.initFail);
		EXPECT_EQ(health.ok(), !c.initFail) << c.name;
		for (std::size_t i = 0; i < c.results.size(); ++i) {
			const bool before = health.ok();
			const bool changed = health.record(c.results[i], c.rise, c.fall);
			EXPECT_EQ(health.ok(), c.ok[i]) << c.name << ", result " << i;
			EXPECT_EQ(changed, before != health.ok()) << c.name << ", result " << i;
		}
	}
}

} // namespace
} // namespace vigil::vrrp
