#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <map>
#include <memory>

#include "exec/script_runner.h"

namespace vigil::exec {

// Runs children on the daemon's io_context: fork+exec, one new session (and
// so process group) per child, SIGCHLD through an Asio signal_set, the
// timeout on a steady_timer. Single-threaded like the loop.
//
// Reaping: on each SIGCHLD every outstanding child of this runner is polled
// with waitpid(pid, WNOHANG), never waitpid(-1), so children of other
// subsystems (another runner, a checker's own) are left to their owners.
// SIGCHLDs coalesce, hence the poll of all rather than one per signal.
// Nothing else in vigil may reap with waitpid(-1): a child reaped elsewhere
// is reported kLost.
//
// Destruction SIGKILLs every outstanding process group and reaps its
// leader (a blocking waitpid, brief after SIGKILL); no `done` is called.
class AsioScriptRunner final : public ScriptRunner
{
public:
	explicit AsioScriptRunner(boost::asio::io_context &io);
	~AsioScriptRunner() override;
	AsioScriptRunner(const AsioScriptRunner &) = delete;
	AsioScriptRunner &operator=(const AsioScriptRunner &) = delete;

	RunId run(const RunRequest &request, Done done) override;
	void cancel(RunId id) override;
	bool signal(RunId id, int signo) override;
	std::size_t running() const override;

	// The child's pid (its process group id too), for logs; -1 once it is
	// reaped or when it never started.
	pid_t pid(RunId id) const;

private:
	struct Child;

	void waitForSigchld();
	void reapExited();
	void failLater(RunId id, RunResult result);
	void armTimeout(Child &child, std::chrono::steady_clock::duration after, bool terminate);
	void readOutput(Child &child);
	RunResult resultOf(Child &child, int status);

	boost::asio::io_context &io_;
	boost::asio::signal_set sigchld_;
	// Handlers outlive the runner in the io_context queue; they hold this
	// weakly and do nothing once it has expired.
	std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
	std::map<RunId, std::unique_ptr<Child>> children_;
	RunId nextId_ = 1;
	int devNull_ = -1;
	std::size_t cancelled_ = 0; // children cancelled, not yet reaped
};

} // namespace vigil::exec
