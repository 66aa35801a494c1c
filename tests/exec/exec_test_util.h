#pragma once

// Helpers for the tests that run real children: a bounded loop, a scratch
// directory, waiting for a process that is not ours to go.

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <sys/syscall.h>
#include <unistd.h>

#include "exec/script_runner.h"

namespace vigil::exec::test {

using namespace std::chrono_literals;

// Upper bound of every wait: generous for a loaded CI machine, and the
// loop returns as soon as the condition holds.
inline constexpr std::chrono::seconds kBound{10};

// Runs handlers one at a time until `done()` or the bound.
template <typename Pred>
bool runUntil(boost::asio::io_context &io, Pred done, std::chrono::steady_clock::duration bound = kBound)
{
	const auto deadline = std::chrono::steady_clock::now() + bound;
	while (!done()) {
		auto now = std::chrono::steady_clock::now();
		if (now >= deadline)
			return false;
		io.restart();
		io.run_one_for(deadline - now);
	}
	return true;
}

// One run to its end; nullopt when it did not end within the bound.
inline std::optional<RunResult> runToEnd(boost::asio::io_context &io, ScriptRunner &runner, const RunRequest &request)
{
	std::optional<RunResult> result;
	runner.run(request, [&](const RunResult &r) { result = r; });
	runUntil(io, [&] { return result.has_value(); });
	return result;
}

inline RunRequest shell(const std::string &script)
{
	RunRequest r;
	r.argv = {"/bin/sh", "-c", script};
	return r;
}

// Waits until process `pid` (not necessarily our child) has exited, on a
// pidfd the loop watches: no polling.
inline bool waitForExit(boost::asio::io_context &io, pid_t pid)
{
	int fd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
	if (fd < 0)
		return errno == ESRCH; // already gone (and reaped)
	boost::asio::posix::stream_descriptor pidfd(io, fd);
	bool called = false;
	bool exited = false;
	pidfd.async_wait(boost::asio::posix::stream_descriptor::wait_read, [&](const boost::system::error_code &ec) {
		called = true;
		exited = !ec;
	});
	runUntil(io, [&] { return called; });
	// The handler refers to this frame: let a cancelled one run first.
	pidfd.cancel();
	runUntil(io, [&] { return called; });
	return exited;
}

// A user other than the one running the test: nobody, or root when the
// test runs as nobody.
inline Credentials otherUser()
{
	auto nobody = resolveCredentials("nobody");
	if (nobody && nobody->uid != ::geteuid())
		return *nobody;
	return Credentials{0, 0};
}

// A directory removed with everything in it when the test ends.
class ScratchDir
{
public:
	ScratchDir()
	{
		std::string tmpl = (std::filesystem::temp_directory_path() / "vigil-exec-XXXXXX").string();
		char *made = ::mkdtemp(tmpl.data());
		if (made)
			path_ = made;
	}
	~ScratchDir()
	{
		std::error_code ec;
		if (!path_.empty())
			std::filesystem::remove_all(path_, ec);
	}
	const std::filesystem::path &path() const { return path_; }
	std::string operator/(const std::string &name) const { return (path_ / name).string(); }

private:
	std::filesystem::path path_;
};

} // namespace vigil::exec::test
