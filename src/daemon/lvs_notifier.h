#pragma once

// Tells the outside world about the checkers' findings as keepalived does:
// a real server's notify_up / notify_down script, a virtual server's
// quorum_up / quorum_down script, and lines on lvs_notify_fifo and
// notify_fifo:
//   RS [10.0.0.1]:tcp:6379 [192.0.2.1]:tcp:6379 UP
//   VS [192.0.2.1]:tcp:6379 DOWN

#include <memory>
#include <spdlog/logger.h>
#include <string>
#include <vector>

#include "exec/script_runner.h"
#include "src/config/config.h"
#include "src/daemon/notify_outlet.h"

namespace vigil::daemon {

// "[10.0.0.1]:tcp:6379": a real server as the checkers name it (with its
// virtual server's protocol); "[192.0.2.1]:tcp:6379" / "FWM 1" / "[G]:tcp:0"
// for a virtual server.
std::string realServerName(const config::VirtualServer &vs, const config::RealServer &rs);
std::string virtualServerName(const config::VirtualServer &vs);

class LvsNotifier
{
public:
	LvsNotifier(exec::ScriptRunner &runner, std::shared_ptr<spdlog::logger> log);

	// Opens lvs_notify_fifo and notify_fifo (keeps those unchanged).
	// `startSharedScript`: whether to start notify_fifo's reader script
	// here too; the VRRP side starts it when it runs.
	void configure(const config::Config &config, bool startSharedScript);
	void realServer(const config::VirtualServer &vs, const config::RealServer &rs, bool up);
	void virtualServer(const config::VirtualServer &vs, bool up);

private:
	NotifyOutlet outlet_;
};

} // namespace vigil::daemon
