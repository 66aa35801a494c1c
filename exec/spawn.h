#pragma once

// The fork/exec half of AsioScriptRunner, apart from its event-loop
// bookkeeping. Internal to exec/.

#include <expected>
#include <sys/types.h>

#include "exec/error.h"
#include "exec/script_runner.h"

namespace vigil::exec::detail {

// An owned file descriptor.
class Fd
{
public:
	Fd() = default;
	explicit Fd(int fd) : fd_(fd) {}
	Fd(Fd &&o) noexcept : fd_(o.release()) {}
	Fd &operator=(Fd &&o) noexcept
	{
		reset(o.release());
		return *this;
	}
	~Fd() { reset(); }

	int get() const { return fd_; }
	explicit operator bool() const { return fd_ >= 0; }
	int release()
	{
		int fd = fd_;
		fd_ = -1;
		return fd;
	}
	void reset(int fd = -1);

private:
	int fd_ = -1;
};

// What spawn() leaves to the parent.
struct Spawned {
	pid_t pid = -1;
	// Read end of the exec report pipe: empty at EOF once the child has
	// exec'd (the write end is close-on-exec), a ChildReport if a step
	// before exec failed. Read once the child is reaped, so it never blocks.
	Fd report;
	// Read end of the child's stdout (non-blocking), when captured.
	Fd output;
};

// What a child that could not exec writes to the report pipe before
// _exit(127).
struct ChildReport {
	int step = 0; // ChildStep
	int error = 0;
};

enum ChildStep : int {
	kStepSetsid = 1,
	kStepStdio,
	kStepSetgroups,
	kStepSetgid,
	kStepSetuid,
	kStepExec,
};

// "setsid", "execve /x", ... for a ChildReport.
Error describeReport(const ChildReport &report, const RunRequest &request);

// /dev/null opened for the children's stdin (and stdout/stderr), above 2
// and close-on-exec.
std::expected<Fd, Error> openDevNull();

// Forks a child in a new session (so its process group id is its pid),
// with stdin, stdout and stderr on `devNull` (stdout on a pipe when
// captured), no other descriptor, default signal handling, an empty signal
// mask, `request.credentials` when `switchUser`, and execs the command.
// Everything the child needs is prepared before fork(): between fork and
// exec the child makes only async-signal-safe system calls.
std::expected<Spawned, Error> spawn(const RunRequest &request, bool switchUser, int devNull);

// SIGKILL or another signal to the process group of a child spawn() made,
// or to the child itself if it has not reached setsid() yet. Only for a
// child not yet reaped (its pid cannot have been reused).
void signalGroup(pid_t pid, int signo);

} // namespace vigil::exec::detail
