#pragma once

// keepalived's signal functions: what each signal asks of the daemon, and
// the numbers `--signum=NAME` prints for scripts (`kill -s $(vigil
// --signum=JSON) PID`). Numbers as keepalived 2.2.7 prints them on Linux.

#include <csignal>
#include <optional>
#include <string_view>

namespace vigil::daemon {

// SIGRTMIN is a function call in glibc; these are computed on use.
inline int jsonSignal()
{
	return SIGRTMIN + 2;
}
inline int statsClearSignal()
{
	return SIGRTMAX - 1;
}

// STOP, RELOAD, DATA, STATS, STATS_CLEAR, JSON; unset for another name.
inline std::optional<int> signalNumber(std::string_view function)
{
	if (function == "STOP")
		return SIGTERM;
	if (function == "RELOAD")
		return SIGHUP;
	if (function == "DATA")
		return SIGUSR1;
	if (function == "STATS")
		return SIGUSR2;
	if (function == "STATS_CLEAR")
		return statsClearSignal();
	if (function == "JSON")
		return jsonSignal();
	return std::nullopt;
}

} // namespace vigil::daemon
