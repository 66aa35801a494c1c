#pragma once

// The health checkers on the daemon's loop: runs the scheduler on one
// timer with the real probes, turns checker results into alive real
// servers (keepalived's rule: alive while every checker is up), hands them
// to the IPVS side (which alone writes the kernel), and runs the notify
// scripts and FIFO lines for servers and quorums. keepalived's log lines
// for the same events, in close words.

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <map>
#include <memory>
#include <random>
#include <spdlog/logger.h>

#include "checkers/asio_probe_transport.h"
#include "checkers/check_scheduler.h"
#include "common/random_seed.h"
#include "exec/script_runner.h"
#include "src/config/config.h"
#include "src/daemon/ipvs_side.h"
#include "src/daemon/lvs_notifier.h"
#include "src/daemon/state_report.h"

namespace vigil::daemon {

class CheckerSide final : private checkers::CheckListener, private checkers::SchedulerClock
{
public:
	CheckerSide(boost::asio::io_context &io, exec::ScriptRunner &runner, IpvsSide &ipvs,
	            std::shared_ptr<spdlog::logger> log);
	~CheckerSide() override;

	// Starts or reloads the checkers and states every real server's health
	// in the IPVS side's view; call before IpvsSide::start / reload, which
	// build the table from it. Unchanged checkers keep their state.
	// `startSharedFifoScript`: notify_fifo's reader is started here (the
	// VRRP side is not running).
	void configure(const config::Config &config, bool startSharedFifoScript);
	// Stops every check; with omega, runs the down notifiers of alive
	// servers and the quorum_down of virtual servers that had their quorum.
	void stop();

	// The virtual and real servers with their checkers, for the signal
	// dumps (checker_report.cpp).
	void report(StateReport &out) const;

private:
	void checked(const checkers::CheckerSpec &spec, const checkers::CheckOutcome &outcome) override;
	checkers::TimePoint now() const override { return std::chrono::steady_clock::now(); }
	void wakeAt(std::optional<checkers::TimePoint> when) override;

	void logOutcome(const checkers::CheckerSpec &spec, const checkers::CheckOutcome &outcome);
	// Recomputes the IPVS table once for all the changes of this turn of
	// the loop (a whole pool going down is one sync, not one per server).
	void applySoon();
	void apply();
	void watchSuspended();
	void updateSuspended();

	const config::VirtualServer *findVs(const config::VirtualServerKey &key) const;
	const config::RealServer *findRs(const config::VirtualServer &vs, const config::RealServerKey &key) const;

	boost::asio::io_context &io_;
	IpvsSide &ipvs_;
	std::shared_ptr<spdlog::logger> log_;
	LvsNotifier notifier_;
	checkers::AsioProbeTransport transport_;
	boost::asio::steady_timer timer_;
	boost::asio::steady_timer suspendTimer_;
	std::mt19937_64 random_{nonBlockingSeed()};
	checkers::CheckScheduler scheduler_;
	// Servers whose alive state or weight the checkers changed, for the
	// next apply(): up (true) or down.
	std::map<checkers::ServerRef, bool> changed_;
	// Built on first use after each configure().
	mutable std::map<config::VirtualServerKey, std::size_t> vsIndex_;
	// ha_suspend virtual servers: key, address, name.
	struct Suspendable {
		config::VirtualServerKey key;
		config::IpAddress address;
		std::string name;
	};
	std::vector<Suspendable> suspendable_;
	std::map<config::VirtualServerKey, bool> suspendedNow_;
	bool applyPending_ = false;
	std::optional<config::SslConfig> ssl_; // the SSL block of the context in use
	std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

} // namespace vigil::daemon
