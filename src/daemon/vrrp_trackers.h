#pragma once

// The VRRP trackers' inputs at runtime: vrrp_script runs (interval,
// timeout, rise, fall), link state from rtnetlink notifications, and
// track_file values. Keeps vrrp::TrackedStates current and says when it
// changed; the VRRP side turns that into priorities and FAULT.

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <spdlog/logger.h>
#include <string>

#include "exec/script_runner.h"
#include "netlink/address_client.h"
#include "netlink/link_watcher.h"
#include "src/config/config.h"
#include "vrrp/tracking.h"

namespace vigil::daemon {

class VrrpTrackers
{
public:
	VrrpTrackers(boost::asio::io_context &io, exec::ScriptRunner &runner, netlink::AddressClient &addresses,
	             std::shared_ptr<spdlog::logger> log, std::function<void()> changed);
	~VrrpTrackers();

	// Starts what `config` tracks; what it no longer tracks stops. Script
	// results survive a reload for scripts that did not change.
	void start(const config::Config &config);
	void stop();
	const vrrp::TrackedStates &states() const { return states_; }
	// Re-reads the links (also called by the side after it changed
	// addresses, which does not change link state).
	bool refreshLinks();

private:
	struct ScriptRun;
	void schedule(ScriptRun &run, std::chrono::microseconds after);
	void runScript(ScriptRun &run);
	void scriptDone(ScriptRun &run, bool ok, const std::string &why);
	void watchLinks();
	void readFiles();

	boost::asio::io_context &io_;
	exec::ScriptRunner &runner_;
	netlink::AddressClient &addresses_;
	std::shared_ptr<spdlog::logger> log_;
	std::function<void()> changed_;
	vrrp::TrackedStates states_;
	std::map<std::string, std::unique_ptr<ScriptRun>> scripts_;
	std::map<std::string, std::string> files_; // track_file name -> path
	std::unique_ptr<netlink::LinkWatcher> watcher_;
	std::optional<boost::asio::posix::stream_descriptor> watcherFd_;
	boost::asio::steady_timer fileTimer_;
	std::string scriptUser_, scriptGroup_;
};

} // namespace vigil::daemon
