#include <gtest/gtest.h>

#include "vrrp/vrrp_state_machine.h"

namespace vigil::vrrp {
namespace {

using namespace std::chrono_literals;
using Kind = Action::Kind;

config::IpAddress ip(const char *text)
{
	return *config::IpAddress::parse(text);
}

// A machine and a simulated clock: advance() fires every deadline that
// falls within the step, in order, and collects what the machine did.
class Sim
{
public:
	Sim(MachineSettings settings, int priority) : machine(std::move(settings), priority) {}

	Actions advance(Duration step)
	{
		const TimePoint end = now + step;
		Actions all;
		for (int guard = 0; guard < 100000; ++guard) {
			auto at = machine.deadline();
			if (!at || *at > end)
				break;
			now = std::max(now, *at);
			auto out = machine.onTimer(now);
			all.insert(all.end(), out.begin(), out.end());
		}
		now = end;
		return all;
	}
	// Advances until the machine changes state, at most `limit`; returns
	// when it happened, relative to the start of the call.
	std::optional<Duration> untilState(State target, Duration limit)
	{
		const TimePoint begin = now;
		while (now - begin < limit) {
			auto at = machine.deadline();
			if (!at || *at - begin > limit)
				return std::nullopt;
			now = std::max(now, *at);
			machine.onTimer(now);
			if (machine.state() == target)
				return std::chrono::duration_cast<Duration>(now - begin);
		}
		return std::nullopt;
	}

	TimePoint now{};
	StateMachine machine;
};

MachineSettings v2(config::IpAddress primary = ip("10.0.0.1"))
{
	MachineSettings s;
	s.primaryAddress = primary;
	return s;
}

MachineSettings v3(Duration interval)
{
	MachineSettings s;
	s.version = 3;
	s.advertInterval = interval;
	s.primaryAddress = ip("10.0.0.1");
	return s;
}

int count(const Actions &actions, Kind kind)
{
	return static_cast<int>(
	        std::count_if(actions.begin(), actions.end(), [&](const Action &a) { return a.kind == kind; }));
}

TEST(VrrpStateMachine, StartsAsBackupAndTakesOverAfterMasterDownInterval)
{
	Sim sim(v2(), 100);
	auto out = sim.machine.start(sim.now);
	ASSERT_EQ(out.size(), 1u);
	EXPECT_EQ(out[0],
	          (Action{.kind = Kind::kStateChange, .priority = 100, .from = State::kInit, .to = State::kBackup}));
	// 3 x 1 s + (256 - 100) / 256 s.
	EXPECT_EQ(sim.untilState(State::kMaster, 10s), Duration(3'609'375));
}

TEST(VrrpStateMachine, BecomingMasterAnnouncesAndSendsGratuitousArps)
{
	Sim sim(v2(), 100);
	sim.machine.start(sim.now);
	auto out = sim.advance(3'609'375us);
	// The advertisement before the addresses (RFC 5798 6.4.2).
	ASSERT_EQ(out.size(), 3u);
	EXPECT_EQ(out[0], (Action{.kind = Kind::kSendAdvert, .priority = 100}));
	EXPECT_EQ(out[1].kind, Kind::kStateChange);
	EXPECT_EQ(out[1].to, State::kMaster);
	EXPECT_EQ(out[2], (Action{.kind = Kind::kSendGarp, .count = 5}));
	// One advertisement per interval; the delayed GARP burst after 5 s.
	out = sim.advance(5s);
	EXPECT_EQ(count(out, Kind::kSendAdvert), 5);
	EXPECT_EQ(count(out, Kind::kSendGarp), 1);
	out = sim.advance(60s);
	EXPECT_EQ(count(out, Kind::kSendAdvert), 60);
	EXPECT_EQ(count(out, Kind::kSendGarp), 0) << "no refresh configured";
}

TEST(VrrpStateMachine, GarpRefreshRepeatsWhileMaster)
{
	auto settings = v2();
	settings.garpDelay = 0s;
	settings.garpRefresh = 10s;
	settings.garpRefreshRepeat = 2;
	Sim sim(settings, 255);
	sim.machine.start(sim.now);
	auto out = sim.advance(35s);
	ASSERT_EQ(count(out, Kind::kSendGarp), 3);
	for (const auto &a : out) {
		if (a.kind == Kind::kSendGarp) {
			EXPECT_EQ(a.count, 2);
		}
	}
}

TEST(VrrpStateMachine, OwnerWithPriority255IsMasterAtOnce)
{
	Sim sim(v2(), 255);
	auto out = sim.machine.start(sim.now);
	EXPECT_EQ(sim.machine.state(), State::kMaster);
	EXPECT_EQ(count(out, Kind::kSendAdvert), 1);
}

// A restart after kill -9 that finds its VIPs: MASTER at once, advertising,
// and a higher-priority master heard afterwards still wins.
TEST(VrrpStateMachine, ResumingMasterAdvertisesAtOnceAndStillYieldsToAHigherPriority)
{
	Sim sim(v2(), 100);
	auto out = sim.machine.start(sim.now, /*resume=*/true);
	EXPECT_EQ(sim.machine.state(), State::kMaster);
	EXPECT_EQ(count(out, Kind::kSendAdvert), 1);
	sim.advance(1500ms);
	sim.machine.onAdvert(sim.now, {.priority = 150, .interval = 1s, .source = ip("10.0.0.2")});
	EXPECT_EQ(sim.machine.state(), State::kBackup);
}

TEST(VrrpStateMachine, BackupStaysBackupWhileTheMasterAdvertises)
{
	Sim sim(v2(), 100);
	sim.machine.start(sim.now);
	for (int i = 0; i < 100; ++i) {
		sim.advance(1s);
		sim.machine.onAdvert(sim.now, {.priority = 150, .interval = 1s, .source = ip("10.0.0.2")});
	}
	EXPECT_EQ(sim.machine.state(), State::kBackup);
	// The master dies: takeover exactly one master-down interval after its
	// last advertisement.
	EXPECT_EQ(sim.untilState(State::kMaster, 10s), Duration(3'609'375));
}

TEST(VrrpStateMachine, ResigningMasterHandsOverAfterTheSkewOnly)
{
	Sim sim(v2(), 100);
	sim.machine.start(sim.now);
	sim.machine.onAdvert(sim.now, {.priority = 150, .interval = 1s, .source = ip("10.0.0.2")});
	sim.advance(500ms);
	sim.machine.onAdvert(sim.now, {.priority = 0, .interval = 1s, .source = ip("10.0.0.2")});
	EXPECT_EQ(sim.untilState(State::kMaster, 10s), Duration(609'375));
}

TEST(VrrpStateMachine, Version3AdoptsTheMastersInterval)
{
	Sim sim(v3(1s), 100);
	sim.machine.start(sim.now);
	sim.machine.onAdvert(sim.now, {.priority = 200, .interval = 100ms, .source = ip("10.0.0.2")});
	EXPECT_EQ(sim.machine.masterAdvertInterval(), 100ms);
	// 3 x 100 ms + 156 x 100 ms / 256.
	EXPECT_EQ(sim.untilState(State::kMaster, 10s), Duration(300'000 + 60'937));
	// As master it advertises at its own interval again.
	EXPECT_EQ(sim.machine.masterAdvertInterval(), 1s);
	EXPECT_EQ(count(sim.advance(10s), Kind::kSendAdvert), 10);
}

TEST(VrrpStateMachine, PreemptsALowerPriorityMaster)
{
	Sim sim(v2(), 150);
	sim.machine.start(sim.now);
	for (int i = 0; i < 3; ++i) {
		sim.advance(1s);
		sim.machine.onAdvert(sim.now, {.priority = 100, .interval = 1s, .source = ip("10.0.0.2")});
	}
	// Lower-priority adverts do not reset the timer: takeover 3 x 1 s +
	// (256 - 150) / 256 s after start.
	EXPECT_EQ(sim.untilState(State::kMaster, 10s), Duration(414'062));
}

TEST(VrrpStateMachine, NopreemptKeepsALowerPriorityMaster)
{
	auto settings = v2();
	settings.preempt = false;
	Sim sim(settings, 150);
	sim.machine.start(sim.now);
	for (int i = 0; i < 30; ++i) {
		sim.advance(1s);
		sim.machine.onAdvert(sim.now, {.priority = 100, .interval = 1s, .source = ip("10.0.0.2")});
	}
	EXPECT_EQ(sim.machine.state(), State::kBackup);
}

TEST(VrrpStateMachine, PreemptDelayToleratesALowerMasterForThatLong)
{
	auto settings = v2();
	settings.preemptDelay = 10s;
	Sim sim(settings, 150);
	sim.machine.start(sim.now);
	std::optional<Duration> tookOver;
	for (int i = 1; i <= 30 && !tookOver; ++i) {
		sim.advance(1s);
		if (sim.machine.state() == State::kMaster)
			tookOver = std::chrono::duration_cast<Duration>(sim.now - TimePoint{});
		else
			sim.machine.onAdvert(sim.now, {.priority = 100, .interval = 1s, .source = ip("10.0.0.2")});
	}
	ASSERT_TRUE(tookOver);
	// The last tolerated advert came at 9 s; master-down 3.41 s later,
	// seen at the next whole second of the loop.
	EXPECT_EQ(*tookOver, 13s);
}

TEST(VrrpStateMachine, MasterYieldsToAHigherPriority)
{
	Sim sim(v2(), 255);
	sim.machine.start(sim.now);
	// A master with 255 never sees higher; use a 150 one.
	Sim other(v2(), 150);
	other.machine.start(other.now);
	other.untilState(State::kMaster, 10s);
	auto out = other.machine.onAdvert(other.now, {.priority = 200, .interval = 1s, .source = ip("10.0.0.2")});
	EXPECT_EQ(other.machine.state(), State::kBackup);
	ASSERT_EQ(out.size(), 1u);
	EXPECT_EQ(out[0].from, State::kMaster);
	EXPECT_EQ(out[0].to, State::kBackup);
}

TEST(VrrpStateMachine, EqualPrioritiesGoToTheHigherPrimaryAddress)
{
	Sim low(v2(ip("10.0.0.1")), 100);
	low.machine.start(low.now);
	low.untilState(State::kMaster, 10s);
	low.machine.onAdvert(low.now, {.priority = 100, .interval = 1s, .source = ip("10.0.0.2")});
	EXPECT_EQ(low.machine.state(), State::kBackup);

	Sim high(v2(ip("10.0.0.3")), 100);
	high.machine.start(high.now);
	high.untilState(State::kMaster, 10s);
	auto out = high.machine.onAdvert(high.now, {.priority = 100, .interval = 1s, .source = ip("10.0.0.2")});
	EXPECT_EQ(high.machine.state(), State::kMaster);
	// keepalived answers a lower claim at once with its own advertisement.
	EXPECT_EQ(count(out, Kind::kSendAdvert), 1);
}

TEST(VrrpStateMachine, LowerPrioNoAdvertStaysQuiet)
{
	auto settings = v2();
	settings.lowerPrioSendsAdvert = false;
	Sim sim(settings, 255);
	sim.machine.start(sim.now);
	auto out = sim.machine.onAdvert(sim.now, {.priority = 100, .interval = 1s, .source = ip("10.0.0.2")});
	EXPECT_TRUE(out.empty());
}

TEST(VrrpStateMachine, LoweredPriorityLetsThePeerPreempt)
{
	// Master at 150 whose script fails with weight -60: 90 < the peer's 100.
	Sim sim(v2(), 150);
	sim.machine.start(sim.now);
	sim.untilState(State::kMaster, 10s);
	sim.machine.setPriority(sim.now, 90);
	auto out = sim.advance(1s);
	ASSERT_EQ(count(out, Kind::kSendAdvert), 1);
	EXPECT_EQ(out[0].priority, 90);
	out = sim.machine.onAdvert(sim.now, {.priority = 100, .interval = 1s, .source = ip("10.0.0.2")});
	EXPECT_EQ(sim.machine.state(), State::kBackup);
}

TEST(VrrpStateMachine, FaultResignsAndRecoversThroughBackup)
{
	Sim sim(v2(), 150);
	sim.machine.start(sim.now);
	sim.untilState(State::kMaster, 10s);
	auto out = sim.machine.setFault(sim.now, true);
	ASSERT_EQ(out.size(), 2u);
	EXPECT_EQ(out[0], (Action{.kind = Kind::kSendAdvert, .priority = 0}));
	EXPECT_EQ(out[1].to, State::kFault);
	EXPECT_FALSE(sim.machine.deadline()) << "a faulty instance is silent";
	EXPECT_TRUE(sim.machine.onAdvert(sim.now, {.priority = 1, .interval = 1s, .source = ip("10.0.0.2")}).empty());
	out = sim.machine.setFault(sim.now, false);
	ASSERT_EQ(out.size(), 1u);
	EXPECT_EQ(out[0].to, State::kBackup);
}

TEST(VrrpStateMachine, FaultBeforeStartStartsInFault)
{
	Sim sim(v2(), 150);
	sim.machine.setFault(sim.now, true);
	auto out = sim.machine.start(sim.now);
	ASSERT_EQ(out.size(), 1u);
	EXPECT_EQ(out[0].to, State::kFault);
}

TEST(VrrpStateMachine, StopResignsWithPriorityZero)
{
	Sim sim(v2(), 150);
	sim.machine.start(sim.now);
	sim.untilState(State::kMaster, 10s);
	auto out = sim.machine.stop(sim.now);
	ASSERT_EQ(out.size(), 2u);
	EXPECT_EQ(out[0], (Action{.kind = Kind::kSendAdvert, .priority = 0}));
	EXPECT_EQ(out[1].to, State::kStopped);
	EXPECT_FALSE(sim.machine.deadline());

	Sim backup(v2(), 100);
	backup.machine.start(backup.now);
	out = backup.machine.stop(backup.now);
	ASSERT_EQ(out.size(), 1u) << "a backup has nothing to resign";
}

TEST(VrrpStateMachine, SyncGroupForcesStates)
{
	Sim sim(v2(), 100);
	sim.machine.start(sim.now);
	auto out = sim.machine.forceState(sim.now, State::kMaster);
	EXPECT_EQ(sim.machine.state(), State::kMaster);
	EXPECT_EQ(count(out, Kind::kSendAdvert), 1);
	out = sim.machine.forceState(sim.now, State::kBackup);
	EXPECT_EQ(sim.machine.state(), State::kBackup);
	sim.machine.forceState(sim.now, State::kFault);
	EXPECT_EQ(sim.machine.state(), State::kFault);
}

TEST(VrrpStateMachine, Version3CentisecondIntervalsAreExact)
{
	Sim sim(v3(10ms), 100);
	sim.machine.start(sim.now);
	sim.machine.onAdvert(sim.now, {.priority = 150, .interval = 10ms, .source = ip("10.0.0.2")});
	// 30 ms + 156 x 10 ms / 256 = 36.093 ms after the master's last.
	EXPECT_EQ(sim.untilState(State::kMaster, 1s), Duration(36'093));
	EXPECT_EQ(count(sim.advance(1s), Kind::kSendAdvert), 100);
}

TEST(VrrpStateMachine, FirstElectionSpreadsPrioritiesBySecondsNotIntervals)
{
	// Started together with advert_int 0.01, priorities 150 and 100 would
	// time out 2 ms apart: the first election uses a skew of at least a
	// second's scale, 195 ms apart, so the higher one wins.
	Sim high(v3(10ms), 150);
	Sim low(v3(10ms), 100);
	high.machine.start(high.now);
	low.machine.start(low.now);
	auto h = high.untilState(State::kMaster, 2s);
	auto l = low.untilState(State::kMaster, 2s);
	ASSERT_TRUE(h && l);
	EXPECT_EQ(*h, Duration(30'000 + 414'062));
	EXPECT_EQ(*l, Duration(30'000 + 609'375));
}

} // namespace
} // namespace vigil::vrrp
