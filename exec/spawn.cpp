#include "exec/spawn.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <grp.h>
#include <string>
#include <sys/resource.h>
#include <unistd.h>
#include <vector>

extern char **environ;

namespace vigil::exec::detail {

void Fd::reset(int fd)
{
	if (fd_ >= 0)
		::close(fd_);
	fd_ = fd;
}

namespace {

// Where execvp looks when PATH is unset; the same list SystemView gives
// the config checks.
constexpr const char *kDefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
constexpr const char *kShell = "/bin/sh";

// A descriptor below 3 (vigil started with 0, 1 or 2 closed) would be
// overwritten by the child's dup2 onto stdin/stdout/stderr: move it up.
std::expected<Fd, Error> aboveStdio(Fd fd, const char *what)
{
	if (fd.get() > 2)
		return fd;
	int moved = ::fcntl(fd.get(), F_DUPFD_CLOEXEC, 3);
	if (moved < 0)
		return std::unexpected(systemError(errno, what));
	return Fd(moved);
}

struct Pipe {
	Fd read;
	Fd write;
};

std::expected<Pipe, Error> makePipe(const char *what)
{
	int fds[2];
	if (::pipe2(fds, O_CLOEXEC) < 0)
		return std::unexpected(systemError(errno, what));
	Pipe p{Fd(fds[0]), Fd(fds[1])};
	auto r = aboveStdio(std::move(p.read), what);
	if (!r)
		return std::unexpected(r.error());
	auto w = aboveStdio(std::move(p.write), what);
	if (!w)
		return std::unexpected(w.error());
	return Pipe{std::move(*r), std::move(*w)};
}

// Everything the child reads, laid out before fork() so that the child
// allocates nothing.
struct Plan {
	std::vector<std::string> env;        // NAME=value
	std::vector<std::string> candidates; // paths execve tries in turn
	std::vector<char *> argv;
	std::vector<char *> shellArgv; // kShell, <candidate>, argv[1..]: for ENOEXEC
	std::vector<char *> envp;
	std::vector<const char *> candidatePtrs;
	bool switchUser = false;
	uid_t uid = 0;
	gid_t gid = 0;
	int devNull = -1;
	int output = -1;        // write end of the capture pipe, or -1
	int report = -1;        // write end of the report pipe
	unsigned maxFd = 65536; // the descriptor limit, for kernels without close_range
};

std::vector<std::string> environmentFor(const RunRequest &request)
{
	std::vector<std::string> env;
	for (char **e = environ; e && *e; ++e) {
		std::string_view entry(*e);
		std::string_view name = entry.substr(0, entry.find('='));
		bool replaced = false;
		for (const auto &[n, v] : request.environment)
			replaced = replaced || n == name;
		if (!replaced)
			env.emplace_back(entry);
	}
	for (const auto &[n, v] : request.environment)
		env.push_back(n + "=" + v);
	return env;
}

// execvp's search, done in the parent: every PATH entry in order (an
// empty entry is the current directory).
std::vector<std::string> candidatesFor(const std::string &program, const std::vector<std::string> &env)
{
	if (program.find('/') != std::string::npos)
		return {program};
	std::string path = kDefaultPath;
	for (const auto &e : env)
		if (e.starts_with("PATH="))
			path = e.substr(5);
	std::vector<std::string> out;
	std::size_t start = 0;
	for (;;) {
		std::size_t end = path.find(':', start);
		std::string dir = path.substr(start, end == std::string::npos ? std::string::npos : end - start);
		out.push_back((dir.empty() ? std::string(".") : dir) + "/" + program);
		if (end == std::string::npos)
			break;
		start = end + 1;
	}
	return out;
}

// From here to the end of childMain: the forked child. Only
// async-signal-safe calls, no allocation, no exceptions.
[[noreturn]] void fail(int report, int step, int error)
{
	ChildReport r{step, error};
	// A short write to a fresh pipe cannot be partial.
	[[maybe_unused]] ssize_t n = ::write(report, &r, sizeof r);
	::_exit(127);
}

bool moveTo(int from, int to)
{
	if (from == to)
		return ::fcntl(to, F_SETFD, 0) == 0;
	return ::dup2(from, to) == to; // dup2 clears close-on-exec on `to`
}

// Every descriptor above 2 except the report pipe. vigil opens its own
// with O_CLOEXEC; this also covers those a library opened without it.
void closeInherited(int keep, unsigned maxFd)
{
	auto closeRange = [maxFd](unsigned first, unsigned last) {
		if (first > last)
			return;
		if (::close_range(first, last, 0) == 0)
			return;
		// Kernels before 5.9: one by one, up to the descriptor limit.
		for (unsigned fd = first; fd <= last && fd < maxFd; ++fd)
			::close(static_cast<int>(fd));
	};
	closeRange(3, static_cast<unsigned>(keep) - 1);
	closeRange(static_cast<unsigned>(keep) + 1, ~0u);
}

[[noreturn]] void childMain(Plan &plan)
{
	// Handlers vigil installed are reset by exec anyway, but ignored
	// signals (SIGPIPE, say) would stay ignored in the script.
	struct sigaction dfl {
	};
	dfl.sa_handler = SIG_DFL;
	for (int sig = 1; sig < NSIG; ++sig)
		if (sig != SIGKILL && sig != SIGSTOP)
			::sigaction(sig, &dfl, nullptr);
	sigset_t none;
	::sigemptyset(&none);
	::sigprocmask(SIG_SETMASK, &none, nullptr);

	if (::setsid() < 0)
		fail(plan.report, kStepSetsid, errno);

	if (!moveTo(plan.devNull, 0) || !moveTo(plan.output >= 0 ? plan.output : plan.devNull, 1) ||
	    !moveTo(plan.devNull, 2))
		fail(plan.report, kStepStdio, errno);
	closeInherited(plan.report, plan.maxFd);

	if (plan.switchUser) {
		if (::setgroups(1, &plan.gid) < 0)
			fail(plan.report, kStepSetgroups, errno);
		if (::setgid(plan.gid) < 0)
			fail(plan.report, kStepSetgid, errno);
		if (::setuid(plan.uid) < 0)
			fail(plan.report, kStepSetuid, errno);
	}

	// execvp's rules: go on past a missing file, remember EACCES, stop at
	// any other error; a file the kernel cannot execute goes to the shell.
	int error = ENOENT;
	bool denied = false;
	for (const char *path : plan.candidatePtrs) {
		::execve(path, plan.argv.data(), plan.envp.data());
		error = errno;
		if (error == ENOEXEC) {
			plan.shellArgv[1] = const_cast<char *>(path);
			::execve(kShell, plan.shellArgv.data(), plan.envp.data());
			error = errno;
			break;
		}
		if (error == EACCES) {
			denied = true;
			continue;
		}
		if (error != ENOENT && error != ENOTDIR)
			break;
	}
	fail(plan.report, kStepExec, denied && (error == ENOENT || error == ENOTDIR) ? EACCES : error);
}

} // namespace

Error describeReport(const ChildReport &report, const RunRequest &request)
{
	const std::string program = request.argv.empty() ? std::string() : request.argv.front();
	switch (report.step) {
	case kStepSetsid:
		return systemError(report.error, "setsid");
	case kStepStdio:
		return systemError(report.error, "redirecting stdin/stdout/stderr");
	case kStepSetgroups:
		return systemError(report.error, "setgroups");
	case kStepSetgid:
		return systemError(report.error,
		                   "setgid " + std::to_string(request.credentials ? request.credentials->gid : 0));
	case kStepSetuid:
		return systemError(report.error,
		                   "setuid " + std::to_string(request.credentials ? request.credentials->uid : 0));
	default:
		return systemError(report.error, "execve " + program);
	}
}

std::expected<Fd, Error> openDevNull()
{
	int fd = ::open("/dev/null", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return std::unexpected(systemError(errno, "opening /dev/null"));
	return aboveStdio(Fd(fd), "opening /dev/null");
}

std::expected<Spawned, Error> spawn(const RunRequest &request, bool switchUser, int devNull)
{
	if (request.argv.empty())
		return std::unexpected(Error{EINVAL, "no command"});

	Plan plan;
	plan.env = environmentFor(request);
	plan.candidates = candidatesFor(request.argv.front(), plan.env);
	for (const auto &c : plan.candidates)
		plan.candidatePtrs.push_back(c.c_str());
	for (const auto &a : request.argv)
		plan.argv.push_back(const_cast<char *>(a.c_str()));
	plan.argv.push_back(nullptr);
	plan.shellArgv.push_back(const_cast<char *>(kShell));
	plan.shellArgv.push_back(nullptr); // the candidate, set in the child
	plan.shellArgv.insert(plan.shellArgv.end(), plan.argv.begin() + 1, plan.argv.end());
	for (auto &e : plan.env)
		plan.envp.push_back(e.data());
	plan.envp.push_back(nullptr);
	plan.switchUser = switchUser && request.credentials;
	if (request.credentials) {
		plan.uid = request.credentials->uid;
		plan.gid = request.credentials->gid;
	}
	plan.devNull = devNull;
	rlimit limit{};
	if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY)
		plan.maxFd = static_cast<unsigned>(std::min<rlim_t>(limit.rlim_cur, 1u << 20));

	auto report = makePipe("creating the exec report pipe");
	if (!report)
		return std::unexpected(report.error());
	plan.report = report->write.get();
	std::optional<Pipe> output;
	if (request.captureStdout > 0) {
		auto p = makePipe("creating the stdout pipe");
		if (!p)
			return std::unexpected(p.error());
		output = std::move(*p);
		plan.output = output->write.get();
	}

	// All signals blocked across fork(): a signal arriving in the child
	// before its handlers are reset would run vigil's handler there (Asio's
	// writes to a pipe the parent reads).
	sigset_t all, old;
	::sigfillset(&all);
	::pthread_sigmask(SIG_SETMASK, &all, &old);
	pid_t pid = ::fork();
	if (pid == 0)
		childMain(plan);
	int forkError = errno;
	::pthread_sigmask(SIG_SETMASK, &old, nullptr);
	if (pid < 0)
		return std::unexpected(systemError(forkError, "fork"));

	Spawned s;
	s.pid = pid;
	s.report = std::move(report->read);
	::fcntl(s.report.get(), F_SETFL, O_NONBLOCK);
	if (output) {
		s.output = std::move(output->read);
		::fcntl(s.output.get(), F_SETFL, O_NONBLOCK);
	}
	return s;
}

void signalGroup(pid_t pid, int signo)
{
	if (pid <= 0)
		return;
	// ESRCH for the group: the child has not called setsid() yet (it
	// has started nothing else), or its whole group is gone.
	if (::kill(-pid, signo) < 0 && errno == ESRCH)
		::kill(pid, signo);
}

} // namespace vigil::exec::detail
