#pragma once

// Tells the outside world about VRRP state changes as keepalived does: the
// notify_master / notify_backup / notify_fault / notify_stop script, then
// `notify` with "INSTANCE|GROUP name STATE priority" appended, and a line
// like `INSTANCE "VI_1" MASTER 150` on notify_fifo and vrrp_notify_fifo.

#include <memory>
#include <spdlog/logger.h>
#include <string>
#include <vector>

#include "exec/script_runner.h"
#include "src/config/config.h"
#include "src/daemon/notify_outlet.h"
#include "vrrp/vrrp_state_machine.h"

namespace vigil::daemon {

class VrrpNotifier
{
public:
	VrrpNotifier(exec::ScriptRunner &runner, std::shared_ptr<spdlog::logger> log);

	// Opens the FIFOs the configuration names (keeps those unchanged).
	void configure(const config::Config &config);
	void instance(const config::VrrpInstance &instance, vrrp::State state, int priority);
	void group(const config::VrrpSyncGroup &group, vrrp::State state);

private:
	void notify(const config::NotifyScripts &scripts, const char *kind, const std::string &name, vrrp::State state,
	            int priority);
	NotifyOutlet outlet_;
};

} // namespace vigil::daemon
