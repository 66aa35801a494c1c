#pragma once

// What the VRRP and LVS notifiers share: running a notify script as its
// user, and writing a line to each open notify FIFO.

#include <memory>
#include <spdlog/logger.h>
#include <string>
#include <vector>

#include "exec/notify_fifo.h"
#include "exec/script_runner.h"
#include "src/config/config.h"

namespace vigil::daemon {

class NotifyOutlet
{
public:
	struct Fifo {
		const config::NotifyFifo *config; // may be unset or have no path
		bool startScript;                 // start its reader script when opened here
	};

	NotifyOutlet(exec::ScriptRunner &runner, std::shared_ptr<spdlog::logger> log);

	// Opens the FIFOs named (keeps those already open, whose reader
	// scripts run since they were opened) and closes the others.
	void configure(const config::GlobalDefs &global, const std::vector<Fifo> &fifos);
	// A failure is logged, never reported.
	void run(const config::Script &script, std::vector<std::string> extraArgs = {});
	void write(const std::string &line);

private:
	exec::ScriptRunner &runner_;
	std::shared_ptr<spdlog::logger> log_;
	config::GlobalDefs global_;
	std::vector<exec::NotifyFifo> fifos_;
};

} // namespace vigil::daemon
