#include "exec/asio_script_runner.h"

#include <array>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cerrno>
#include <csignal>
#include <sys/wait.h>
#include <unistd.h>
#include <utility>
#include <vector>

#include "exec/spawn.h"

namespace vigil::exec {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {

// Bytes drained from a finished child's stdout pipe at most: a background
// grandchild still writing to it must not keep the loop busy.
constexpr std::size_t kMaxDrain = 1 << 20;

// Asio (Boost 1.74) installs its SIGCHLD handler without SA_RESTART, so a
// child exiting would fail a blocking call elsewhere in vigil with EINTR
// (libnl's sendmsg, say). Its handler stays, only the flags change; no
// SIGCHLD for stopped children either, they are not waited for.
void restartAfterSigchld()
{
	struct sigaction sa {
	};
	if (::sigaction(SIGCHLD, nullptr, &sa) == 0 && sa.sa_handler != SIG_DFL && sa.sa_handler != SIG_IGN) {
		sa.sa_flags |= SA_RESTART | SA_NOCLDSTOP;
		::sigaction(SIGCHLD, &sa, nullptr);
	}
}

} // namespace

struct AsioScriptRunner::Child {
	RunId id = kNoRun;
	pid_t pid = -1; // -1: failed before fork, its result is posted
	Done done;
	RunRequest request; // argv and credentials, for error texts
	Clock::time_point started;
	bool cancelled = false;
	bool timedOut = false;
	detail::Fd report;
	std::unique_ptr<asio::posix::stream_descriptor> output;
	std::array<char, 4096> buffer{};
	std::string captured;
	bool truncated = false;
	std::unique_ptr<asio::steady_timer> timer;

	void keep(const char *data, std::size_t n)
	{
		std::size_t room = request.captureStdout - std::min(request.captureStdout, captured.size());
		captured.append(data, std::min(room, n));
		truncated = truncated || n > room;
	}
};

AsioScriptRunner::AsioScriptRunner(asio::io_context &io) : io_(io), sigchld_(io, SIGCHLD)
{
	restartAfterSigchld();
	if (auto fd = detail::openDevNull())
		devNull_ = fd->release();
	waitForSigchld();
}

AsioScriptRunner::~AsioScriptRunner()
{
	alive_.reset();
	for (auto &[id, child] : children_) {
		if (child->pid <= 0)
			continue;
		detail::signalGroup(child->pid, SIGKILL);
		while (::waitpid(child->pid, nullptr, 0) < 0 && errno == EINTR) {
		}
	}
	children_.clear();
	if (devNull_ >= 0)
		::close(devNull_);
}

void AsioScriptRunner::waitForSigchld()
{
	sigchld_.async_wait([this, alive = std::weak_ptr(alive_)](const boost::system::error_code &ec, int) {
		if (ec || !alive.lock())
			return;
		// Armed again before the callbacks run: one may destroy the runner.
		waitForSigchld();
		reapExited();
	});
}

RunId AsioScriptRunner::run(const RunRequest &request, Done done)
{
	RunId id = nextId_++;
	auto child = std::make_unique<Child>();
	child->id = id;
	child->done = std::move(done);
	child->request = request;
	child->started = Clock::now();
	Child &c = *child;
	children_.emplace(id, std::move(child));

	// Another user needs root; the same user needs no switch at all.
	const bool root = ::geteuid() == 0;
	if (request.credentials && !root &&
	    (request.credentials->uid != ::geteuid() || request.credentials->gid != ::getegid())) {
		failLater(id,
		          RunResult::failedToStart(EPERM, "running as uid " + std::to_string(request.credentials->uid) +
		                                                  " gid " + std::to_string(request.credentials->gid) +
		                                                  " needs root (vigil runs as uid " +
		                                                  std::to_string(::geteuid()) + ")"));
		return id;
	}
	if (devNull_ < 0) {
		failLater(id, RunResult::failedToStart(EBADF, "/dev/null could not be opened"));
		return id;
	}

	auto spawned = detail::spawn(request, root, devNull_);
	if (!spawned) {
		failLater(id, RunResult::failedToStart(spawned.error().code, spawned.error().message));
		return id;
	}
	c.pid = spawned->pid;
	c.report = std::move(spawned->report);
	if (spawned->output) {
		c.output = std::make_unique<asio::posix::stream_descriptor>(io_, spawned->output.release());
		readOutput(c);
	}
	if (request.timeout)
		armTimeout(c, *request.timeout, request.termGrace.has_value());
	return id;
}

void AsioScriptRunner::failLater(RunId id, RunResult result)
{
	auto it = children_.find(id);
	result.duration = Clock::now() - it->second->started;
	// Reported from the loop like every other result, never from run().
	asio::post(io_, [this, alive = std::weak_ptr(alive_), id, result = std::move(result)] {
		if (!alive.lock())
			return;
		auto it = children_.find(id);
		if (it == children_.end())
			return; // cancelled
		Done done = std::move(it->second->done);
		children_.erase(it);
		if (done)
			done(result);
	});
}

void AsioScriptRunner::armTimeout(Child &child, Clock::duration after, bool terminate)
{
	if (!child.timer)
		child.timer = std::make_unique<asio::steady_timer>(io_);
	child.timer->expires_after(after);
	child.timer->async_wait(
	        [this, alive = std::weak_ptr(alive_), id = child.id, terminate](const boost::system::error_code &ec) {
		        if (ec || !alive.lock())
			        return;
		        auto it = children_.find(id);
		        if (it == children_.end() || it->second->cancelled)
			        return;
		        Child &c = *it->second;
		        c.timedOut = true;
		        if (terminate) {
			        // keepalived's way: SIGTERM, and SIGKILL if still there later.
			        detail::signalGroup(c.pid, SIGTERM);
			        armTimeout(c, *c.request.termGrace, false);
		        } else {
			        detail::signalGroup(c.pid, SIGKILL);
		        }
	        });
}

void AsioScriptRunner::readOutput(Child &child)
{
	child.output->async_read_some(asio::buffer(child.buffer),
	                              [this, alive = std::weak_ptr(alive_),
	                               id = child.id](const boost::system::error_code &ec, std::size_t n) {
		                              if (!alive.lock())
			                              return;
		                              auto it = children_.find(id);
		                              if (it == children_.end() || !it->second->output)
			                              return;
		                              Child &c = *it->second;
		                              c.keep(c.buffer.data(), n);
		                              if (ec) {
			                              // EOF or an error: the rest is the exit's business.
			                              c.output.reset();
			                              return;
		                              }
		                              readOutput(c);
	                              });
}

RunResult AsioScriptRunner::resultOf(Child &child, int status)
{
	RunResult r;
	if (child.output) {
		// What the child wrote just before exiting may still be in the pipe.
		std::size_t drained = 0;
		for (;;) {
			ssize_t n = ::read(child.output->native_handle(), child.buffer.data(), child.buffer.size());
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break;
			child.keep(child.buffer.data(), static_cast<std::size_t>(n));
			drained += static_cast<std::size_t>(n);
			if (drained >= kMaxDrain)
				break;
		}
		child.output.reset();
	}
	r.output = std::move(child.captured);
	r.outputTruncated = child.truncated;
	r.duration = Clock::now() - child.started;

	detail::ChildReport report;
	ssize_t n;
	do
		n = ::read(child.report.get(), &report, sizeof report);
	while (n < 0 && errno == EINTR);
	if (n == static_cast<ssize_t>(sizeof report)) {
		Error e = detail::describeReport(report, child.request);
		r.outcome = RunResult::Outcome::kFailedToStart;
		r.error = e.code;
		r.errorText = e.message;
		return r;
	}

	if (WIFEXITED(status)) {
		r.outcome = RunResult::Outcome::kExited;
		r.exitStatus = WEXITSTATUS(status);
	} else if (WIFSIGNALED(status)) {
		r.outcome = RunResult::Outcome::kSignaled;
		r.signal = WTERMSIG(status);
	}
	if (child.timedOut)
		r.outcome = RunResult::Outcome::kTimedOut;
	return r;
}

void AsioScriptRunner::reapExited()
{
	std::vector<std::pair<Done, RunResult>> finished;
	for (auto it = children_.begin(); it != children_.end();) {
		Child &c = *it->second;
		if (c.pid <= 0) {
			++it;
			continue;
		}
		int status = 0;
		pid_t r;
		do
			r = ::waitpid(c.pid, &status, WNOHANG);
		while (r < 0 && errno == EINTR);
		if (r == 0) {
			++it;
			continue;
		}
		RunResult result;
		if (r > 0) {
			result = resultOf(c, status);
		} else {
			result.outcome = RunResult::Outcome::kLost;
			result.error = errno;
			result.errorText = systemError(errno, "waitpid " + std::to_string(c.pid)).message;
			result.duration = Clock::now() - c.started;
		}
		if (c.cancelled)
			--cancelled_;
		else if (c.done)
			finished.emplace_back(std::move(c.done), std::move(result));
		it = children_.erase(it);
	}
	// Nothing of `this` is touched from here: a callback may destroy the
	// runner.
	for (auto &[done, result] : finished)
		done(result);
}

void AsioScriptRunner::cancel(RunId id)
{
	auto it = children_.find(id);
	if (it == children_.end() || it->second->cancelled)
		return;
	Child &c = *it->second;
	if (c.pid <= 0) {
		children_.erase(it);
		return;
	}
	detail::signalGroup(c.pid, SIGKILL);
	c.cancelled = true;
	++cancelled_;
	c.done = nullptr;
	c.timer.reset();
	c.output.reset();
}

bool AsioScriptRunner::signal(RunId id, int signo)
{
	auto it = children_.find(id);
	if (it == children_.end() || it->second->cancelled || it->second->pid <= 0)
		return false;
	detail::signalGroup(it->second->pid, signo);
	return true;
}

pid_t AsioScriptRunner::pid(RunId id) const
{
	auto it = children_.find(id);
	return it == children_.end() ? -1 : it->second->pid;
}

std::size_t AsioScriptRunner::running() const
{
	return children_.size() - cancelled_;
}

} // namespace vigil::exec
