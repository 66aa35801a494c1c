#include <csignal>
#include <gtest/gtest.h>

#include "exec/fake_script_runner.h"

namespace vigil::exec {
namespace {

RunRequest command(std::string program)
{
	RunRequest r;
	r.argv = {std::move(program)};
	return r;
}

TEST(FakeScriptRunnerTest, RecordsRunsUntilTheTestCompletesThem)
{
	FakeScriptRunner runner;
	std::vector<std::string> log;
	RunId a = runner.run(command("/a"), [&](const RunResult &r) { log.push_back("a " + r.str()); });
	RunId b = runner.run(command("/b"), [&](const RunResult &r) { log.push_back("b " + r.str()); });
	EXPECT_NE(a, b);
	EXPECT_TRUE(log.empty());
	ASSERT_EQ(runner.pending().size(), 2u);
	EXPECT_EQ(runner.find(b)->request.argv.front(), "/b");
	EXPECT_EQ(runner.running(), 2u);

	EXPECT_TRUE(runner.complete(b, RunResult::timedOut()));
	EXPECT_TRUE(runner.completeOldest(RunResult::exited(1)));
	EXPECT_FALSE(runner.complete(a, RunResult::exited(0))) << "already completed";
	EXPECT_FALSE(runner.completeOldest(RunResult::exited(0)));
	EXPECT_EQ(log, (std::vector<std::string>{"b timed out after 0 ms", "a exited with status 1"}));
	EXPECT_EQ(runner.started().size(), 2u);
}

TEST(FakeScriptRunnerTest, CancelledRunsAreNeverReported)
{
	FakeScriptRunner runner;
	bool called = false;
	RunId id = runner.run(command("/a"), [&](const RunResult &) { called = true; });
	runner.cancel(id);
	runner.cancel(id);
	EXPECT_FALSE(runner.complete(id, RunResult::exited(0)));
	EXPECT_FALSE(called);
	EXPECT_EQ(runner.cancelled(), std::vector<RunId>{id});
	EXPECT_EQ(runner.running(), 0u);
}

TEST(FakeScriptRunnerTest, SignalsAreRecordedForPendingRuns)
{
	FakeScriptRunner runner;
	RunId id = runner.run(command("/a"), nullptr);
	EXPECT_TRUE(runner.signal(id, SIGTERM));
	EXPECT_FALSE(runner.signal(id + 1, SIGTERM));
	ASSERT_EQ(runner.signals().size(), 1u);
	EXPECT_EQ(runner.signals()[0], std::make_pair(id, SIGTERM));
}

TEST(FakeScriptRunnerTest, DoneMayStartTheNextRun)
{
	FakeScriptRunner runner;
	int runs = 0;
	ScriptRunner::Done again = [&](const RunResult &) {
		if (++runs < 3)
			runner.run(command("/again"), again);
	};
	runner.run(command("/again"), again);
	while (runner.completeOldest(RunResult::exited(0))) {
	}
	EXPECT_EQ(runs, 3);
	EXPECT_EQ(runner.started().size(), 3u);
}

TEST(RunResultTest, Descriptions)
{
	EXPECT_EQ(RunResult::exited(3).str(), "exited with status 3");
	EXPECT_EQ(RunResult::signaled(SIGKILL).str(), "killed by SIGKILL");
	EXPECT_EQ(RunResult::failedToStart(ENOENT, "execve /x: No such file or directory").str(),
	          "failed to start: execve /x: No such file or directory");
	EXPECT_TRUE(RunResult::exited(0).succeeded());
	EXPECT_FALSE(RunResult::exited(1).succeeded());
	EXPECT_FALSE(RunResult::timedOut().succeeded());
	EXPECT_FALSE(RunResult::signaled(SIGTERM).succeeded());
}

} // namespace
} // namespace vigil::exec
