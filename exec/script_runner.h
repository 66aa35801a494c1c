#pragma once

// Running the commands keepalived runs: vrrp_script checks, notify scripts,
// notify FIFO readers, MISC_CHECK. The VRRP and checker runtimes hold a
// ScriptRunner&; the daemon gives them AsioScriptRunner, their tests
// FakeScriptRunner on a simulated clock.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "exec/credentials.h"

namespace vigil::exec {

using RunId = std::uint64_t;
inline constexpr RunId kNoRun = 0;

struct RunRequest {
	// argv[0] is the program: with a '/' it is run as is, without one it is
	// looked for in PATH (the child's, `environment` included) as execvp
	// would. Not run through a shell, as keepalived; a file without a #!
	// line is handed to /bin/sh, as execvp does.
	std::vector<std::string> argv;
	// Unset: vigil's own user and groups. Another user than vigil's needs
	// vigil to run as root; otherwise the run fails to start (EPERM).
	std::optional<Credentials> credentials;
	// Unset: no limit (a notify FIFO reader runs as long as vigil).
	std::optional<std::chrono::steady_clock::duration> timeout;
	// On timeout, SIGKILL the process group at once (unset), or SIGTERM it
	// and SIGKILL it after this grace. keepalived 2.2.7 sends SIGTERM to a
	// timed-out vrrp_script and SIGKILL about 2 s later.
	std::optional<std::chrono::steady_clock::duration> termGrace;
	// Set in the child on top of vigil's own environment ("NAME", "value").
	std::vector<std::pair<std::string, std::string>> environment;
	// stdin is /dev/null and so are stdout and stderr (keepalived discards
	// them), unless this is non-zero: then up to this many bytes of stdout
	// are kept in RunResult::output and the rest is read and dropped, so a
	// chatty child never blocks on a full pipe.
	std::size_t captureStdout = 0;
};

struct RunResult {
	enum class Outcome {
		kExited,        // exitStatus
		kSignaled,      // signal
		kTimedOut,      // killed after `timeout`; keepalived counts it a failure
		kFailedToStart, // error/errorText: fork, credentials or exec failed
		kLost,          // someone else reaped it (waitpid: ECHILD); status unknown
	};

	Outcome outcome = Outcome::kExited;
	int exitStatus = 0;
	int signal = 0; // kSignaled; kTimedOut when a signal ended it
	int error = 0;
	std::string errorText;
	std::string output; // captured stdout
	bool outputTruncated = false;
	std::chrono::steady_clock::duration duration{};

	// Exited with status 0: a vrrp_script or MISC_CHECK success.
	bool succeeded() const { return outcome == Outcome::kExited && exitStatus == 0; }
	// For logs: "exited with status 1", "timed out", "failed to start:
	// execve /x: No such file or directory".
	std::string str() const;

	// Results the fake runner's users complete runs with.
	static RunResult exited(int status);
	static RunResult signaled(int signo);
	static RunResult timedOut();
	static RunResult failedToStart(int error, std::string text);
};

class ScriptRunner
{
public:
	using Done = std::function<void(const RunResult &)>;

	virtual ~ScriptRunner() = default;

	// Starts a child. `done` is called exactly once from the event loop
	// once the child has been reaped (never from inside run()), unless the
	// run is cancelled or the runner destroyed first.
	virtual RunId run(const RunRequest &request, Done done) = 0;
	// SIGKILLs the run's process group; `done` will not be called. The
	// runner still reaps the child. Unknown or finished ids are ignored.
	virtual void cancel(RunId id) = 0;
	// Sends `signo` to the run's process group (SIGTERM to a notify FIFO
	// reader when vigil stops, as keepalived); the run goes on and `done`
	// reports how it ends. False when the run is unknown or finished.
	virtual bool signal(RunId id, int signo) = 0;
	// Runs not yet reported (cancelled ones excluded).
	virtual std::size_t running() const = 0;
};

} // namespace vigil::exec
