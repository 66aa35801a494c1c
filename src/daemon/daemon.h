#pragma once

// vigil as a running daemon: one Boost.Asio event loop on one thread drives
// signals, timers and the sides (today the IPVS side; VRRP and the
// checkers join it).

#include <string>

#include "src/config/config_loader.h"
#include "src/daemon/ipvs_side.h"

namespace vigil::daemon {

struct DaemonOptions {
	config::LoadOptions load;
	bool foreground = false;     // -n
	bool logConsole = false;     // -l
	bool noSyslog = false;       // -G
	bool logDetail = false;      // -D: debug level
	bool checkerOnly = false;    // -C
	bool vrrpOnly = false;       // -P
	bool keepIpvsOnStop = false; // -I
	bool keepVipsOnStop = false; // -V
	int syslogFacility = 3 << 3; // -S; LOG_DAEMON
	std::string logFile;         // -g: also log to this file
	bool flushLogFile = false;   // --flush-log-file: flush it after every line
	std::string pidFile = "/run/keepalived.pid";
	std::string checkersPidFile = "/run/keepalived_checkers.pid";
	std::string vrrpPidFile = "/run/keepalived_vrrp.pid";
	// Where SIGUSR1, SIGUSR2 and SIGRTMIN+2 write (keepalived: /tmp).
	std::string dumpDirectory = "/tmp";
};

// Runs until SIGTERM or SIGINT; returns the process exit status.
int runDaemon(const DaemonOptions &options, IpvsSide::ClientFactory ipvsClients);

} // namespace vigil::daemon
