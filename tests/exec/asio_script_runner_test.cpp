// AsioScriptRunner against real children: how each kind of end is
// reported. Process-level guarantees (descriptors, groups, reaping, users)
// are in asio_script_runner_process_test.cpp.

#include <csignal>
#include <fstream>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "exec/asio_script_runner.h"
#include "tests/exec/exec_test_util.h"

namespace vigil::exec {
namespace {

using namespace test;
using Outcome = RunResult::Outcome;

class AsioScriptRunnerTest : public ::testing::Test
{
protected:
	std::optional<RunResult> run(const RunRequest &request) { return runToEnd(io_, runner_, request); }

	// An executable file with `text` in the scratch directory.
	std::string writeFile(const std::string &name, const std::string &text, mode_t mode)
	{
		std::string path = dir_ / name;
		std::ofstream(path) << text;
		::chmod(path.c_str(), mode);
		return path;
	}

	boost::asio::io_context io_;
	AsioScriptRunner runner_{io_};
	ScratchDir dir_;
};

class ExitStatusTest : public AsioScriptRunnerTest, public ::testing::WithParamInterface<int>
{
};

TEST_P(ExitStatusTest, ReportsTheStatus)
{
	auto r = run(shell("exit " + std::to_string(GetParam())));
	ASSERT_TRUE(r) << "no result in time";
	EXPECT_EQ(r->outcome, Outcome::kExited);
	EXPECT_EQ(r->exitStatus, GetParam());
	EXPECT_EQ(r->succeeded(), GetParam() == 0);
	EXPECT_GT(r->duration.count(), 0);
}

INSTANTIATE_TEST_SUITE_P(Statuses, ExitStatusTest, ::testing::Values(0, 1, 3));

TEST_F(AsioScriptRunnerTest, SignalDeath)
{
	auto r = run(shell("kill -TERM $$"));
	ASSERT_TRUE(r);
	EXPECT_EQ(r->outcome, Outcome::kSignaled);
	EXPECT_EQ(r->signal, SIGTERM);
	EXPECT_FALSE(r->succeeded());
	EXPECT_EQ(r->str(), "killed by SIGTERM");
}

TEST_F(AsioScriptRunnerTest, MissingProgramFailsToStart)
{
	RunRequest req;
	req.argv = {"/nonexistent/vigil-check", "arg"};
	auto r = run(req);
	ASSERT_TRUE(r);
	EXPECT_EQ(r->outcome, Outcome::kFailedToStart);
	EXPECT_EQ(r->error, ENOENT);
	EXPECT_EQ(r->errorText, "execve /nonexistent/vigil-check: No such file or directory");
	EXPECT_FALSE(r->succeeded());
}

TEST_F(AsioScriptRunnerTest, ProgramNotOnPathFailsToStart)
{
	RunRequest req;
	req.argv = {"vigil-no-such-command"};
	// The search uses the child's PATH (this one has no directory the test
	// user may not search: that would be EACCES, as with execvp).
	req.environment = {{"PATH", "/usr/bin:/bin"}};
	auto r = run(req);
	ASSERT_TRUE(r);
	EXPECT_EQ(r->outcome, Outcome::kFailedToStart);
	EXPECT_EQ(r->error, ENOENT);
}

TEST_F(AsioScriptRunnerTest, NotExecutableFailsToStart)
{
	// No execute bit at all: refused even to root.
	RunRequest req;
	req.argv = {writeFile("check.sh", "#!/bin/sh\nexit 0\n", 0644)};
	auto r = run(req);
	ASSERT_TRUE(r);
	EXPECT_EQ(r->outcome, Outcome::kFailedToStart);
	EXPECT_EQ(r->error, EACCES);
	EXPECT_NE(r->errorText.find("Permission denied"), std::string::npos) << r->errorText;
}

TEST_F(AsioScriptRunnerTest, ProgramIsLookedForInPath)
{
	RunRequest req;
	req.argv = {"sh", "-c", "exit 4"};
	auto r = run(req);
	ASSERT_TRUE(r);
	EXPECT_EQ(r->outcome, Outcome::kExited);
	EXPECT_EQ(r->exitStatus, 4);
}

TEST_F(AsioScriptRunnerTest, ScriptWithoutInterpreterLineGoesToTheShell)
{
	RunRequest req;
	req.argv = {writeFile("plain", "exit $1\n", 0755), "7"};
	auto r = run(req);
	ASSERT_TRUE(r);
	EXPECT_EQ(r->outcome, Outcome::kExited);
	EXPECT_EQ(r->exitStatus, 7);
}

TEST_F(AsioScriptRunnerTest, EmptyCommandFailsFromTheLoop)
{
	bool called = false;
	RunResult result;
	runner_.run(RunRequest{}, [&](const RunResult &r) {
		called = true;
		result = r;
	});
	EXPECT_FALSE(called) << "done must not run inside run()";
	ASSERT_TRUE(runUntil(io_, [&] { return called; }));
	EXPECT_EQ(result.outcome, Outcome::kFailedToStart);
	EXPECT_EQ(result.error, EINVAL);
}

TEST_F(AsioScriptRunnerTest, EnvironmentAdditions)
{
	RunRequest req = shell("echo \"$VIGIL_A $VIGIL_B\"");
	req.environment = {{"VIGIL_A", "one"}, {"VIGIL_B", "two words"}};
	req.captureStdout = 100;
	auto r = run(req);
	ASSERT_TRUE(r);
	EXPECT_EQ(r->output, "one two words\n");
	EXPECT_FALSE(r->outputTruncated);
}

TEST_F(AsioScriptRunnerTest, StdoutIsDiscardedUnlessCaptured)
{
	auto r = run(shell("echo hello; echo oops >&2"));
	ASSERT_TRUE(r);
	EXPECT_TRUE(r->succeeded());
	EXPECT_EQ(r->output, "");
}

TEST_F(AsioScriptRunnerTest, StdoutCaptureStopsAtTheLimit)
{
	// Far more than a pipe holds: the child must not block on it.
	RunRequest req = shell("head -c 300000 /dev/zero | tr '\\0' a; echo done >&2");
	req.captureStdout = 1000;
	auto r = run(req);
	ASSERT_TRUE(r);
	EXPECT_TRUE(r->succeeded()) << r->str();
	EXPECT_EQ(r->output, std::string(1000, 'a'));
	EXPECT_TRUE(r->outputTruncated);
}

TEST_F(AsioScriptRunnerTest, StdinIsDevNull)
{
	RunRequest req = shell("cat; echo end");
	req.captureStdout = 100;
	auto r = run(req);
	ASSERT_TRUE(r);
	EXPECT_EQ(r->output, "end\n");
}

TEST_F(AsioScriptRunnerTest, TimeoutKillsTheWholeProcessGroup)
{
	// The background sleep stays in the script's process group.
	RunRequest req = shell("sleep 100 & echo $!; wait");
	req.timeout = 300ms;
	req.captureStdout = 64;
	auto r = run(req);
	ASSERT_TRUE(r);
	EXPECT_EQ(r->outcome, Outcome::kTimedOut);
	EXPECT_EQ(r->signal, SIGKILL);
	EXPECT_FALSE(r->succeeded());
	EXPECT_GE(r->duration, 300ms);
	ASSERT_FALSE(r->output.empty());
	pid_t grandchild = std::stoi(r->output);
	EXPECT_TRUE(waitForExit(io_, grandchild)) << "background sleep " << grandchild << " survived the timeout";
}

TEST_F(AsioScriptRunnerTest, TimeoutWithGraceSendsTermFirst)
{
	RunRequest req = shell("sleep 100");
	req.timeout = 100ms;
	req.termGrace = 5s;
	auto r = run(req);
	ASSERT_TRUE(r);
	EXPECT_EQ(r->outcome, Outcome::kTimedOut);
	EXPECT_EQ(r->signal, SIGTERM);
	EXPECT_LT(r->duration, 5s);
}

TEST_F(AsioScriptRunnerTest, TimeoutGraceEndsInKill)
{
	// The script ignores SIGTERM; so does its sleep (inherited).
	RunRequest req = shell("trap '' TERM; sleep 100");
	req.timeout = 100ms;
	req.termGrace = 200ms;
	auto r = run(req);
	ASSERT_TRUE(r);
	EXPECT_EQ(r->outcome, Outcome::kTimedOut);
	EXPECT_EQ(r->signal, SIGKILL);
	EXPECT_GE(r->duration, 300ms);
}

TEST_F(AsioScriptRunnerTest, QuickRunIsNotTimedOut)
{
	RunRequest req = shell("exit 0");
	req.timeout = 5s;
	auto r = run(req);
	ASSERT_TRUE(r);
	EXPECT_TRUE(r->succeeded());
}

TEST_F(AsioScriptRunnerTest, SignalReachesTheRun)
{
	std::optional<RunResult> result;
	RunId id = runner_.run(shell("sleep 100"), [&](const RunResult &r) { result = r; });
	EXPECT_TRUE(runner_.signal(id, SIGTERM));
	ASSERT_TRUE(runUntil(io_, [&] { return result.has_value(); }));
	EXPECT_EQ(result->outcome, Outcome::kSignaled);
	EXPECT_EQ(result->signal, SIGTERM);
	EXPECT_FALSE(runner_.signal(id, SIGTERM)) << "finished run";
	EXPECT_FALSE(runner_.signal(12345, SIGTERM)) << "unknown run";
}

TEST_F(AsioScriptRunnerTest, DoneMayStartTheNextRun)
{
	std::vector<int> statuses;
	std::function<void(const RunResult &)> next = [&](const RunResult &r) {
		statuses.push_back(r.exitStatus);
		if (statuses.size() < 3)
			runner_.run(shell("exit " + std::to_string(statuses.size())), next);
	};
	runner_.run(shell("exit 0"), next);
	ASSERT_TRUE(runUntil(io_, [&] { return statuses.size() == 3; }));
	EXPECT_EQ(statuses, (std::vector<int>{0, 1, 2}));
	EXPECT_EQ(runner_.running(), 0u);
}

} // namespace
} // namespace vigil::exec
