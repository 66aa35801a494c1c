// AsioScriptRunner's process-level guarantees: no inherited descriptors,
// many children at once, cancel, destruction, other users, and children it
// does not own left alone.

#include <algorithm>
#include <csignal>
#include <fcntl.h>
#include <filesystem>
#include <gtest/gtest.h>
#include <sstream>
#include <sys/socket.h>
#include <sys/wait.h>

#include "exec/asio_script_runner.h"
#include "tests/exec/exec_test_util.h"

namespace vigil::exec {
namespace {

using namespace test;
using Outcome = RunResult::Outcome;

bool processExists(pid_t pid)
{
	return std::filesystem::exists("/proc/" + std::to_string(pid));
}

std::vector<std::string> lines(const std::string &text)
{
	std::vector<std::string> out;
	std::istringstream in(text);
	for (std::string line; std::getline(in, line);)
		out.push_back(line);
	return out;
}

TEST(AsioScriptRunnerProcessTest, ChildInheritsOnlyStdio)
{
	// Bait: descriptors opened the careless way, without O_CLOEXEC, as a
	// library might (vigil's netlink and raw sockets must not leak).
	int file = ::open("/dev/null", O_RDONLY);
	int sock = ::socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_GE(file, 0);
	ASSERT_GE(sock, 0);

	boost::asio::io_context io;
	AsioScriptRunner runner(io);
	RunRequest req;
	// ls itself opens the directory it lists: fd 3.
	req.argv = {"/bin/ls", "-1", "/proc/self/fd"};
	req.captureStdout = 4096;
	auto r = runToEnd(io, runner, req);
	::close(file);
	::close(sock);
	ASSERT_TRUE(r);
	ASSERT_TRUE(r->succeeded()) << r->str();
	auto fds = lines(r->output);
	std::ranges::sort(fds);
	EXPECT_EQ(fds, (std::vector<std::string>{"0", "1", "2", "3"})) << r->output;
}

TEST(AsioScriptRunnerProcessTest, StdioTargets)
{
	boost::asio::io_context io;
	AsioScriptRunner runner(io);
	RunRequest req = shell("readlink /proc/$$/fd/0 /proc/$$/fd/2; [ -p /proc/$$/fd/1 ] && echo pipe");
	req.captureStdout = 4096;
	auto r = runToEnd(io, runner, req);
	ASSERT_TRUE(r);
	EXPECT_EQ(r->output, "/dev/null\n/dev/null\npipe\n");
}

TEST(AsioScriptRunnerProcessTest, SigchldRestartsInterruptedCalls)
{
	// Asio 1.74 installs its handler without SA_RESTART: a child exiting
	// would fail blocking calls elsewhere in vigil with EINTR.
	boost::asio::io_context io;
	AsioScriptRunner runner(io);
	struct sigaction sa {
	};
	ASSERT_EQ(::sigaction(SIGCHLD, nullptr, &sa), 0);
	EXPECT_NE(sa.sa_handler, SIG_DFL);
	EXPECT_TRUE(sa.sa_flags & SA_RESTART);
	EXPECT_TRUE(sa.sa_flags & SA_NOCLDSTOP);
}

TEST(AsioScriptRunnerProcessTest, ChildHasItsOwnSessionAndDefaultSignals)
{
	// vigil ignoring SIGPIPE must not make its scripts ignore it.
	auto old = ::signal(SIGPIPE, SIG_IGN);
	boost::asio::io_context io;
	AsioScriptRunner runner(io);
	RunRequest req = shell("ps -o sid=,pgid= -p $$; grep -E '^Sig(Ign|Blk)' /proc/$$/status");
	req.captureStdout = 4096;
	std::optional<RunResult> r;
	RunId id = runner.run(req, [&](const RunResult &res) { r = res; });
	pid_t pid = runner.pid(id);
	::signal(SIGPIPE, old);
	ASSERT_GT(pid, 0);
	ASSERT_TRUE(runUntil(io, [&] { return r.has_value(); }));
	auto out = lines(r->output);
	ASSERT_EQ(out.size(), 3u) << r->output;
	std::istringstream ids(out[0]);
	pid_t sid = 0, pgid = 0;
	ids >> sid >> pgid;
	EXPECT_EQ(sid, pid);
	EXPECT_EQ(pgid, pid);
	EXPECT_EQ(out[1], "SigBlk:\t0000000000000000");
	EXPECT_EQ(out[2], "SigIgn:\t0000000000000000");
}

TEST(AsioScriptRunnerProcessTest, HundredConcurrentRuns)
{
	boost::asio::io_context io;
	AsioScriptRunner runner(io);
	constexpr int kRuns = 100;
	std::vector<std::optional<RunResult>> results(kRuns);
	for (int i = 0; i < kRuns; ++i) {
		// All alive at once: each waits a little before exiting.
		RunRequest req = shell("sleep 0.2; exit $VIGIL_N");
		req.environment = {{"VIGIL_N", std::to_string(i)}};
		req.timeout = 30s;
		runner.run(req, [&results, i](const RunResult &r) { results[static_cast<std::size_t>(i)] = r; });
	}
	EXPECT_EQ(runner.running(), static_cast<std::size_t>(kRuns));
	ASSERT_TRUE(runUntil(
	        io, [&] { return runner.running() == 0; }, 30s))
	        << runner.running() << " left";
	for (int i = 0; i < kRuns; ++i) {
		const auto &r = results[static_cast<std::size_t>(i)];
		ASSERT_TRUE(r) << i;
		EXPECT_EQ(r->outcome, Outcome::kExited) << i << ": " << r->str();
		EXPECT_EQ(r->exitStatus, i);
	}
}

TEST(AsioScriptRunnerProcessTest, CancelKillsAndReapsWithoutDone)
{
	boost::asio::io_context io;
	AsioScriptRunner runner(io);
	bool called = false;
	RunId id = runner.run(shell("sleep 100"), [&](const RunResult &) { called = true; });
	pid_t pid = runner.pid(id);
	ASSERT_GT(pid, 0);
	EXPECT_EQ(runner.running(), 1u);
	runner.cancel(id);
	EXPECT_EQ(runner.running(), 0u);
	EXPECT_FALSE(runner.signal(id, SIGTERM));
	runner.cancel(id); // twice is harmless
	// Gone from /proc only once reaped: the runner still does that.
	EXPECT_TRUE(runUntil(io, [&] { return !processExists(pid); })) << "pid " << pid << " not reaped";
	EXPECT_EQ(runner.pid(id), -1);
	EXPECT_FALSE(called);
}

TEST(AsioScriptRunnerProcessTest, CancelOfAFailedStartDropsIt)
{
	boost::asio::io_context io;
	AsioScriptRunner runner(io);
	bool called = false;
	RunId id = runner.run(RunRequest{}, [&](const RunResult &) { called = true; });
	runner.cancel(id);
	EXPECT_EQ(runner.running(), 0u);
	io.poll(); // the posted failure finds nothing to report
	EXPECT_FALSE(called);
}

TEST(AsioScriptRunnerProcessTest, DestructionKillsAndReaps)
{
	boost::asio::io_context io;
	bool called = false;
	pid_t pid = -1;
	{
		AsioScriptRunner runner(io);
		RunRequest req = shell("sleep 100");
		req.timeout = 100s;
		req.captureStdout = 10;
		pid = runner.pid(runner.run(req, [&](const RunResult &) { called = true; }));
		ASSERT_GT(pid, 0);
	}
	EXPECT_FALSE(processExists(pid)) << "pid " << pid << " left behind";
	// The handlers left in the loop find the runner gone and do nothing.
	io.restart();
	io.poll();
	EXPECT_FALSE(called);
}

TEST(AsioScriptRunnerProcessTest, DoneMayDestroyTheRunner)
{
	boost::asio::io_context io;
	auto runner = std::make_unique<AsioScriptRunner>(io);
	int calls = 0;
	for (int i = 0; i < 3; ++i)
		runner->run(shell("exit 0"), [&](const RunResult &) {
			++calls;
			runner.reset();
		});
	// All three may be reaped by one SIGCHLD; after the first callback the
	// runner is gone and the others' outcome no longer matters.
	EXPECT_TRUE(runUntil(io, [&] { return calls > 0; }));
	io.restart();
	io.poll();
	EXPECT_EQ(runner, nullptr);
}

TEST(AsioScriptRunnerProcessTest, LeavesOtherChildrenToTheirOwner)
{
	boost::asio::io_context io;
	AsioScriptRunner runner(io);
	// A child of someone else in vigil, exiting while the runner reaps.
	pid_t other = ::fork();
	ASSERT_GE(other, 0);
	if (other == 0)
		::_exit(5);
	auto r = runToEnd(io, runner, shell("sleep 0.1"));
	ASSERT_TRUE(r);
	EXPECT_TRUE(r->succeeded());
	int status = 0;
	ASSERT_EQ(::waitpid(other, &status, 0), other) << "the runner reaped a child that is not its own";
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(WEXITSTATUS(status), 5);
}

TEST(AsioScriptRunnerProcessTest, RunsAsAnotherUser)
{
	const Credentials other = otherUser();
	boost::asio::io_context io;
	AsioScriptRunner runner(io);
	RunRequest req = shell("id -u; id -g; id -G");
	req.credentials = other;
	req.captureStdout = 256;
	auto r = runToEnd(io, runner, req);
	ASSERT_TRUE(r);
	if (::geteuid() == 0) {
		ASSERT_TRUE(r->succeeded()) << r->str();
		std::string uid = std::to_string(other.uid), gid = std::to_string(other.gid);
		// Only its own group: root's supplementary groups are dropped.
		EXPECT_EQ(r->output, uid + "\n" + gid + "\n" + gid + "\n");
	} else {
		EXPECT_EQ(r->outcome, Outcome::kFailedToStart);
		EXPECT_EQ(r->error, EPERM);
		EXPECT_NE(r->errorText.find("needs root"), std::string::npos) << r->errorText;
	}
}

TEST(AsioScriptRunnerProcessTest, OwnUserNeedsNoRoot)
{
	boost::asio::io_context io;
	AsioScriptRunner runner(io);
	RunRequest req = shell("id -u");
	req.credentials = Credentials{::geteuid(), ::getegid()};
	req.captureStdout = 64;
	auto r = runToEnd(io, runner, req);
	ASSERT_TRUE(r);
	ASSERT_TRUE(r->succeeded()) << r->str();
	EXPECT_EQ(r->output, std::to_string(::geteuid()) + "\n");
}

TEST(CredentialsTest, ResolvesUsersAndGroups)
{
	auto root = resolveCredentials("root");
	ASSERT_TRUE(root);
	EXPECT_EQ(*root, (Credentials{0, 0}));
	auto rootNogroup = resolveCredentials("root", "nogroup");
	ASSERT_TRUE(rootNogroup) << rootNogroup.error().message;
	EXPECT_EQ(rootNogroup->uid, 0u);
	EXPECT_NE(rootNogroup->gid, 0u);
	auto missing = resolveCredentials("vigil-no-such-user");
	ASSERT_FALSE(missing);
	EXPECT_EQ(missing.error().message, "user vigil-no-such-user does not exist");
	EXPECT_FALSE(resolveCredentials("root", "vigil-no-such-group"));
}

} // namespace
} // namespace vigil::exec
