#pragma once

// The VRRP side of the daemon: one VirtualRouter per vrrp_instance, their
// raw sockets, one timer for all of them, the trackers, sync groups,
// notifications, and the VIPs through the address reconciler (the only
// writer of addresses). Runs on the daemon's io_context; never throws.

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <map>
#include <memory>
#include <spdlog/logger.h>
#include <string>
#include <vector>

#include "exec/script_runner.h"
#include "netlink/address_client.h"
#include "src/config/config.h"
#include "src/daemon/state_report.h"
#include "src/daemon/vrrp_notifier.h"
#include "src/daemon/vrrp_trackers.h"
#include "src/reconcile/address_reconciler.h"
#include "vrrp/garp.h"
#include "vrrp/virtual_router.h"

namespace vigil::daemon {

class VrrpSide : public vrrp::RouterListener
{
public:
	VrrpSide(boost::asio::io_context &io, std::unique_ptr<netlink::AddressClient> addresses,
	         exec::ScriptRunner &runner, std::shared_ptr<spdlog::logger> log);
	~VrrpSide() override;

	void start(const config::Config &config);
	// keepalived's reload: instances whose wire identity and settings are
	// unchanged keep their state; the others restart.
	void reload(const config::Config &config);
	// Resigns every MASTER (priority 0), removes the VIPs (unless
	// `keepVips`, -V), runs notify_stop.
	void stop(bool keepVips = false);

	// The instances and scripts for the signal dumps (vrrp_report.cpp).
	void report(StateReport &out) const;
	// keepalived's STATS_CLEAR: every instance's counters back to zero.
	void clearCounters();

private:
	struct Socket;
	struct Router {
		config::VrrpInstance config;
		std::unique_ptr<vrrp::VirtualRouter> router;
		Socket *socket = nullptr;
		int ifindex = 0;
		std::array<std::uint8_t, 6> mac{};
		double lastTransition = 0; // seconds since the epoch
		bool resume = false;       // its VIPs were left on the host by a killed run
	};

	void build(const config::Config &config);
	Socket *socketFor(int family, const std::string &interface, int ifindex, const config::IpAddress &group,
	                  std::string &error);
	bool adoptLeftovers(const config::VrrpInstance &vi, const std::vector<netlink::Link> &links,
	                    const std::vector<netlink::InterfaceAddress> &addresses);
	void listen(Socket &socket);
	void onReadable(Socket &socket);
	void rearm();
	void onTimer();
	void applyTracking();
	Router *find(const vrrp::VirtualRouter &router);
	void logReports(const std::vector<reconcile::AddressReport> &reports);

	// RouterListener: what the routers ask of the host.
	void stateChanged(vrrp::VirtualRouter &router, vrrp::State from, vrrp::State to) override;
	void sendGarp(vrrp::VirtualRouter &router, int count) override;
	void dropped(vrrp::VirtualRouter &router, vrrp::DropReason reason, const vrrp::PacketMeta &meta) override;
	void sendFailed(vrrp::VirtualRouter &router, const std::string &error) override;

	boost::asio::io_context &io_;
	std::unique_ptr<netlink::AddressClient> addresses_;
	reconcile::AddressReconciler vips_;
	std::shared_ptr<spdlog::logger> log_;
	config::Config config_;
	std::map<std::string, Router> routers_; // by instance name
	std::map<std::pair<int, std::string>, std::unique_ptr<Socket>> sockets_;
	std::map<int, vrrp::GarpSocket> garpSockets_; // by ifindex
	boost::asio::steady_timer timer_;
	VrrpTrackers trackers_;
	VrrpNotifier notifier_;
	bool forcing_ = false;  // a sync group is moving its members
	bool keepVips_ = false; // stopping with -V
	std::chrono::steady_clock::time_point lastDropLog_{};
	std::uint64_t unloggedDrops_ = 0;
};

} // namespace vigil::daemon
