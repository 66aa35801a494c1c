#include "exec/script_runner.h"

#include <cstring>
#include <fmt/format.h>

namespace vigil::exec {

namespace {

std::string signalName(int signo)
{
	const char *abbrev = ::sigabbrev_np(signo);
	return abbrev ? fmt::format("SIG{}", abbrev) : fmt::format("signal {}", signo);
}

} // namespace

std::string RunResult::str() const
{
	switch (outcome) {
	case Outcome::kExited:
		return fmt::format("exited with status {}", exitStatus);
	case Outcome::kSignaled:
		return fmt::format("killed by {}", signalName(signal));
	case Outcome::kTimedOut:
		return fmt::format("timed out after {} ms",
		                   std::chrono::duration_cast<std::chrono::milliseconds>(duration).count());
	case Outcome::kFailedToStart:
		return fmt::format("failed to start: {}", errorText);
	case Outcome::kLost:
		return fmt::format("lost: {}", errorText);
	}
	return "unknown";
}

RunResult RunResult::exited(int status)
{
	RunResult r;
	r.outcome = Outcome::kExited;
	r.exitStatus = status;
	return r;
}

RunResult RunResult::signaled(int signo)
{
	RunResult r;
	r.outcome = Outcome::kSignaled;
	r.signal = signo;
	return r;
}

RunResult RunResult::timedOut()
{
	RunResult r;
	r.outcome = Outcome::kTimedOut;
	return r;
}

RunResult RunResult::failedToStart(int error, std::string text)
{
	RunResult r;
	r.outcome = Outcome::kFailedToStart;
	r.error = error;
	r.errorText = std::move(text);
	return r;
}

} // namespace vigil::exec
