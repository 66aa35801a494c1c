// The scheduler's timing and state over a simulated clock and the fake
// transport: warmup spread, retries, delays, alpha, url-by-url recovery,
// reload carry-over, ha_suspend.

#include <gtest/gtest.h>

#include "checkers/check_scheduler.h"
#include "checkers/fake_probe_transport.h"
#include "tests/fakes/load_snippet.h"

namespace vigil::checkers {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

struct SimClock final : SchedulerClock {
	TimePoint t{};
	std::optional<TimePoint> wake;
	TimePoint now() const override { return t; }
	void wakeAt(std::optional<TimePoint> when) override { wake = when; }
};

struct Recorder final : CheckListener {
	struct Entry {
		TimePoint at;
		CheckerKey key;
		CheckOutcome outcome;
	};
	const SimClock &clock;
	std::vector<Entry> entries;
	explicit Recorder(const SimClock &c) : clock(c) {}
	void checked(const CheckerSpec &spec, const CheckOutcome &outcome) override
	{
		entries.push_back({clock.t, spec.key, outcome});
	}
};

config::LvsModel load(const std::string &text)
{
	auto loaded = testing::loadSnippet(text);
	EXPECT_FALSE(loaded.fatal()) << testing::messages(loaded).size();
	return loaded.config.lvs;
}

config::IpAddress ip(const char *text)
{
	return *config::IpAddress::parse(text);
}

class SchedulerTest : public ::testing::Test
{
protected:
	double elapsed() const { return std::chrono::duration<double>(clock.t - TimePoint{}).count(); }

	void start(const std::string &text)
	{
		lvs = load(text);
		scheduler.sync(checkerSpecs(lvs));
	}
	// Runs the loop until `until` seconds: every wakeup runs the
	// scheduler, and probes are answered at once with the fake's answers.
	void runUntil(double until)
	{
		const TimePoint end = TimePoint{} + std::chrono::duration_cast<TimePoint::duration>(
		                                            std::chrono::duration<double>(until));
		for (int guard = 0; guard < 10000 && clock.wake && *clock.wake <= end; ++guard) {
			clock.t = *clock.wake;
			const std::size_t before = transport.launches().size();
			scheduler.runDue();
			for (std::size_t i = before; i < transport.launches().size(); ++i)
				launchedAt.push_back(elapsed());
			if (answerAtOnce)
				transport.deliver(fallback);
		}
		clock.t = end;
	}

	config::LvsModel lvs;
	SimClock clock;
	Recorder recorder{clock};
	FakeProbeTransport transport;
	std::vector<double> randoms;
	std::size_t nextRandom = 0;
	CheckScheduler scheduler{transport, clock, recorder,
	                         [this] { return nextRandom < randoms.size() ? randoms[nextRandom++] : 0.0; }};
	// Seconds since the start at which each probe was launched.
	std::vector<double> launchedAt;
	bool answerAtOnce = true;
	ProbeResult fallback = ProbeResult::pass();
};

const char *kTcp = R"(virtual_server 192.0.2.1 6379 {
  protocol TCP
  delay_loop 6
  real_server 10.0.0.1 6379 {
    TCP_CHECK {
      connect_timeout 3
      retry 2
      delay_before_retry 1
      warmup 0
    }
  }
}
)";

TEST_F(SchedulerTest, PassingServerIsCheckedEveryDelayLoopAndStaysUp)
{
	start(kTcp);
	runUntil(20);
	EXPECT_EQ(launchedAt, (std::vector<double>{0, 6, 12, 18}));
	ASSERT_FALSE(transport.launches().empty());
	EXPECT_EQ(transport.launches()[0].timeout, milliseconds(3000));
	EXPECT_EQ(transport.launches()[0].address, ip("10.0.0.1"));
	EXPECT_EQ(transport.launches()[0].port, 6379);
	for (const auto &e : recorder.entries)
		EXPECT_TRUE(e.outcome.wasUp && e.outcome.isUp);
}

TEST_F(SchedulerTest, FailureIsRetriedThenTakesTheServerDownAndIsNotRetriedWhileDown)
{
	start(kTcp);
	runUntil(0); // the first check passes
	fallback = ProbeResult::fail("connection refused");
	runUntil(26);
	// 6: fails, retry 1 at 7, retry 2 at 8 (down), then every 6 s without
	// retries.
	EXPECT_EQ(launchedAt, (std::vector<double>{0, 6, 7, 8, 14, 20, 26}));
	ASSERT_GE(recorder.entries.size(), 5u);
	EXPECT_EQ(recorder.entries[1].outcome.retry, 1u);
	EXPECT_TRUE(recorder.entries[1].outcome.isUp);
	EXPECT_EQ(recorder.entries[2].outcome.retry, 2u);
	EXPECT_TRUE(recorder.entries[2].outcome.isUp);
	EXPECT_TRUE(recorder.entries[3].outcome.wasUp);
	EXPECT_FALSE(recorder.entries[3].outcome.isUp);
	EXPECT_EQ(recorder.entries[4].outcome.retry, 0u);
	EXPECT_FALSE(scheduler.serverUp({lvs.virtualServers[0].key(), {ip("10.0.0.1"), 6379}}));

	// The first pass brings it back.
	fallback = ProbeResult::pass();
	runUntil(32);
	EXPECT_TRUE(recorder.entries.back().outcome.isUp);
	EXPECT_FALSE(recorder.entries.back().outcome.wasUp);
	EXPECT_TRUE(scheduler.serverUp({lvs.virtualServers[0].key(), {ip("10.0.0.1"), 6379}}));
}

TEST_F(SchedulerTest, TallyCountsChecksAndFailuresWithTheLastFailure)
{
	start(kTcp);
	runUntil(0); // passes
	fallback = ProbeResult::fail("connection refused");
	runUntil(8); // 6 fails, retries at 7 and 8 fail
	const CheckerKey key{{lvs.virtualServers[0].key(), {ip("10.0.0.1"), 6379}}, 0};
	const auto *tally = scheduler.tally(key);
	ASSERT_NE(tally, nullptr);
	EXPECT_EQ(tally->checks, 4u);
	EXPECT_EQ(tally->failures, 3u);
	EXPECT_FALSE(tally->lastOk);
	EXPECT_EQ(tally->lastFailure, "connection refused");
	EXPECT_EQ(scheduler.tally({key.server, 1}), nullptr);
}

TEST_F(SchedulerTest, FirstCheckFailingTakesTheServerDownWithoutRetries)
{
	// keepalived (measured in the test VM): a server that was never
	// confirmed up is not retried.
	start(kTcp);
	fallback = ProbeResult::fail("connection refused");
	runUntil(6);
	EXPECT_EQ(launchedAt, (std::vector<double>{0, 6}));
	ASSERT_FALSE(recorder.entries.empty());
	EXPECT_EQ(recorder.entries[0].outcome.retry, 0u);
	EXPECT_TRUE(recorder.entries[0].outcome.wasUp);
	EXPECT_FALSE(recorder.entries[0].outcome.isUp);
}

TEST_F(SchedulerTest, APassDuringRetriesResetsTheCount)
{
	start(kTcp);
	answerAtOnce = false;
	runUntil(0);
	transport.deliver(ProbeResult::pass());
	runUntil(6);
	ASSERT_EQ(transport.inFlight(), 1u);
	transport.deliver(ProbeResult::fail("timeout"));
	runUntil(7);
	transport.deliver(ProbeResult::pass());
	runUntil(13);
	transport.deliver(ProbeResult::fail("timeout"));
	runUntil(14);
	transport.deliver(ProbeResult::fail("timeout"));
	// Two failures after a pass: still retrying, still up.
	EXPECT_EQ(recorder.entries.back().outcome.retry, 2u);
	EXPECT_TRUE(recorder.entries.back().outcome.isUp);
}

TEST_F(SchedulerTest, WarmupSpreadsTheFirstChecksUpToWarmup)
{
	randoms = {0.0, 0.5, 0.999};
	start(R"(virtual_server 192.0.2.1 80 {
  protocol TCP
  delay_loop 10
  real_server 10.0.0.1 80 { TCP_CHECK { } }
  real_server 10.0.0.2 80 { TCP_CHECK { } }
  real_server 10.0.0.3 80 { TCP_CHECK { } }
}
)");
	runUntil(9.99);
	ASSERT_EQ(launchedAt.size(), 3u);
	EXPECT_DOUBLE_EQ(launchedAt[0], 0);
	EXPECT_DOUBLE_EQ(launchedAt[1], 5);
	EXPECT_NEAR(launchedAt[2], 9.99, 0.001);
}

TEST_F(SchedulerTest, AlphaStartsDownAndComesUpOnTheFirstPass)
{
	start(R"(virtual_server 192.0.2.1 80 {
  protocol TCP
  delay_loop 5
  alpha
  real_server 10.0.0.1 80 { TCP_CHECK { warmup 0 } }
}
)");
	const ServerRef server{lvs.virtualServers[0].key(), {ip("10.0.0.1"), 80}};
	EXPECT_FALSE(scheduler.serverUp(server));
	answerAtOnce = false;
	runUntil(0);
	transport.deliver(ProbeResult::fail("refused"));
	// Down already: no retry, next check a delay_loop later.
	runUntil(4.9);
	EXPECT_EQ(transport.inFlight(), 0u);
	runUntil(5);
	transport.deliver(ProbeResult::pass());
	EXPECT_TRUE(scheduler.serverUp(server));
	EXPECT_FALSE(recorder.entries.back().outcome.wasUp);
}

const char *kThreeUrls = R"(virtual_server 192.0.2.1 80 {
  protocol TCP
  delay_loop 3
  alpha
  real_server 10.0.0.1 80 {
    HTTP_GET {
      %s
      warmup 0
      url { path /a }
      url { path /b }
      url { path /c }
    }
  }
}
)";

TEST_F(SchedulerTest, MultiUrlCheckerRecoversOneUrlPerDelayLoop)
{
	char text[1024];
	std::snprintf(text, sizeof text, kThreeUrls, "");
	start(text);
	runUntil(10);
	const auto &l = transport.launches();
	ASSERT_GE(l.size(), 4u);
	EXPECT_EQ(l[0].url, 0u);
	EXPECT_EQ(l[1].url, 1u);
	EXPECT_EQ(l[2].url, 2u);
	// Up after the third url, at 6 s; then all urls each time.
	EXPECT_EQ(l[3].url, std::nullopt);
	EXPECT_EQ(launchedAt, (std::vector<double>{0, 3, 6, 9}));
	EXPECT_FALSE(recorder.entries[1].outcome.isUp);
	EXPECT_EQ(recorder.entries[1].outcome.recoveringUrl, 1u);
	EXPECT_TRUE(recorder.entries[2].outcome.isUp);
}

TEST_F(SchedulerTest, FastRecoveryChecksEveryUrlAtOnce)
{
	char text[1024];
	std::snprintf(text, sizeof text, kThreeUrls, "fast_recovery");
	start(text);
	runUntil(0);
	ASSERT_EQ(transport.launches().size(), 1u);
	EXPECT_EQ(transport.launches()[0].url, std::nullopt);
	EXPECT_TRUE(recorder.entries[0].outcome.isUp);
}

TEST_F(SchedulerTest, ServerIsAliveOnlyWhileEveryCheckerIsUp)
{
	start(R"(virtual_server 192.0.2.1 80 {
  protocol TCP
  delay_loop 5
  real_server 10.0.0.1 80 {
    TCP_CHECK {
      warmup 0
      retry 0
    }
    TCP_CHECK {
      warmup 0
      retry 0
      connect_port 81
    }
  }
}
)");
	const ServerRef server{lvs.virtualServers[0].key(), {ip("10.0.0.1"), 80}};
	transport.setAnswer(ip("10.0.0.1"), 81, ProbeResult::fail("refused"));
	runUntil(0);
	EXPECT_TRUE(scheduler.up({server, 0}));
	EXPECT_FALSE(scheduler.up({server, 1}));
	EXPECT_FALSE(scheduler.serverUp(server));
}

TEST_F(SchedulerTest, MiscDynamicSetsTheServerWeight)
{
	start(R"(virtual_server 192.0.2.1 80 {
  protocol TCP
  delay_loop 5
  real_server 10.0.0.1 80 {
    weight 3
    MISC_CHECK {
      misc_path /bin/true
      misc_dynamic
      warmup 0
    }
  }
}
)");
	const ServerRef server{lvs.virtualServers[0].key(), {ip("10.0.0.1"), 80}};
	EXPECT_EQ(scheduler.serverWeight(server, 3), std::nullopt);
	ProbeResult dynamic = ProbeResult::pass();
	dynamic.weight = 10; // exit status 12
	fallback = dynamic;
	runUntil(0);
	EXPECT_EQ(scheduler.serverWeight(server, 3), 10u);
}

TEST_F(SchedulerTest, ReloadKeepsUnchangedCheckersAndTheStateOfChangedOnes)
{
	start(R"(virtual_server 192.0.2.1 80 {
  protocol TCP
  delay_loop 5
  real_server 10.0.0.1 80 {
    TCP_CHECK {
      warmup 0
      retry 0
    }
  }
  real_server 10.0.0.2 80 {
    TCP_CHECK {
      warmup 0
      retry 0
    }
  }
  real_server 10.0.0.3 80 {
    TCP_CHECK {
      warmup 0
      retry 0
    }
  }
}
)");
	fallback = ProbeResult::fail("refused");
	runUntil(0);
	answerAtOnce = false;
	runUntil(5); // three probes in flight
	ASSERT_EQ(transport.inFlight(), 3u);
	// .1 unchanged, .2 gets another delay_loop, .3 goes.
	lvs = load(R"(virtual_server 192.0.2.1 80 {
  protocol TCP
  delay_loop 5
  real_server 10.0.0.1 80 {
    TCP_CHECK {
      warmup 0
      retry 0
    }
  }
  real_server 10.0.0.2 80 {
    TCP_CHECK {
      warmup 0
      retry 0
      delay_loop 9
    }
  }
}
)");
	scheduler.sync(checkerSpecs(lvs));
	EXPECT_EQ(scheduler.size(), 2u);
	EXPECT_EQ(transport.cancelled(), 2u); // .2's and .3's probes
	EXPECT_EQ(transport.inFlight(), 1u);  // .1's goes on
	const auto vs = lvs.virtualServers[0].key();
	EXPECT_FALSE(scheduler.up({{vs, {ip("10.0.0.1"), 80}}, 0}));
	EXPECT_FALSE(scheduler.up({{vs, {ip("10.0.0.2"), 80}}, 0}));
	// The probe that went on across the reload reaches its checker.
	transport.deliver(ProbeResult::pass());
	EXPECT_TRUE(scheduler.up({{vs, {ip("10.0.0.1"), 80}}, 0}));
	ASSERT_FALSE(recorder.entries.empty());
	EXPECT_EQ(recorder.entries.back().key.server.rs.address, ip("10.0.0.1"));
	EXPECT_TRUE(recorder.entries.back().outcome.isUp);
}

TEST_F(SchedulerTest, HaSuspendLaunchesNothingUntilResumed)
{
	start(kTcp);
	const auto vs = lvs.virtualServers[0].key();
	scheduler.suspend(vs, true);
	runUntil(30);
	EXPECT_TRUE(transport.launches().empty());
	clock.t += seconds(1);
	scheduler.suspend(vs, false);
	runUntil(31);
	EXPECT_EQ(launchedAt, (std::vector<double>{31}));
}

TEST_F(SchedulerTest, ACheckerMadeDueAgainLaunchesOnlyAtItsNewTime)
{
	// Resuming makes a checker due at once: the time it was due before
	// (36 here) must not launch it a second time.
	start(kTcp);
	const auto vs = lvs.virtualServers[0].key();
	scheduler.suspend(vs, true);
	runUntil(30);
	clock.t += seconds(1);
	scheduler.suspend(vs, false);
	runUntil(50);
	EXPECT_EQ(launchedAt, (std::vector<double>{31, 37, 43, 49}));
}

TEST_F(SchedulerTest, InFlightLimitMakesChecksWaitNotFail)
{
	scheduler.setMaxInFlight(2);
	answerAtOnce = false;
	start(R"(virtual_server 192.0.2.1 80 {
  protocol TCP
  delay_loop 5
  real_server 10.0.0.1 80 {
    TCP_CHECK {
      warmup 0
    }
  }
  real_server 10.0.0.2 80 {
    TCP_CHECK {
      warmup 0
    }
  }
  real_server 10.0.0.3 80 {
    TCP_CHECK {
      warmup 0
    }
  }
}
)");
	runUntil(0);
	EXPECT_EQ(transport.inFlight(), 2u);
	EXPECT_EQ(scheduler.waiting(), 1u);
	// One ends: the waiting one launches at once, nobody failed.
	ASSERT_TRUE(transport.complete(transport.launches()[0].id, ProbeResult::pass()));
	EXPECT_EQ(transport.inFlight(), 2u);
	EXPECT_EQ(scheduler.waiting(), 0u);
	EXPECT_EQ(transport.launches().size(), 3u);
	EXPECT_EQ(transport.launches()[2].address, ip("10.0.0.3"));
	transport.deliver(ProbeResult::pass());
	for (const auto &e : recorder.entries)
		EXPECT_TRUE(e.outcome.isUp);
}

// A reload that removes a checker waiting for a slot drops it from the
// waiting list; one it keeps still launches when a slot frees.
TEST_F(SchedulerTest, ReloadDropsRemovedCheckersFromTheWaitingList)
{
	scheduler.setMaxInFlight(1);
	answerAtOnce = false;
	const std::string head = "virtual_server 192.0.2.1 80 {\n  protocol TCP\n  delay_loop 5\n";
	auto server = [](const char *address) {
		return std::string("  real_server ") + address + " 80 {\n    TCP_CHECK {\n      warmup 0\n    }\n  }\n";
	};
	start(head + server("10.0.0.1") + server("10.0.0.2") + server("10.0.0.3") + "}\n");
	runUntil(0);
	ASSERT_EQ(transport.inFlight(), 1u);
	ASSERT_EQ(scheduler.waiting(), 2u);
	lvs = load(head + server("10.0.0.1") + server("10.0.0.3") + "}\n");
	scheduler.sync(checkerSpecs(lvs));
	EXPECT_EQ(scheduler.waiting(), 1u);
	ASSERT_TRUE(transport.complete(transport.launches()[0].id, ProbeResult::pass()));
	ASSERT_EQ(transport.launches().size(), 2u);
	EXPECT_EQ(transport.launches()[1].address, ip("10.0.0.3"));
	EXPECT_EQ(scheduler.waiting(), 0u);
}

} // namespace
} // namespace vigil::checkers
