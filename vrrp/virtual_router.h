#pragma once

// One vrrp_instance at runtime: the state machine, its packets in and out,
// and the priority the trackers give it. No event loop of its own: the
// caller feeds it packets and timer expiries (VrrpSide in the daemon, the
// unit tests on a simulated clock) and hears back through RouterListener.

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "src/config/config.h"
#include "vrrp/vrrp_packet.h"
#include "vrrp/vrrp_socket.h"
#include "vrrp/vrrp_state_machine.h"

namespace vigil::vrrp {

// Everything the wire needs, resolved from the config and the host.
struct RouterSettings {
	std::string name;
	int family = 0;
	int version = 2;
	std::uint8_t vrid = 0;
	int basePriority = 100;
	config::AuthType auth = config::AuthType::kNone;
	std::string password;
	std::vector<config::IpAddress> advertised; // virtual_ipaddress, in order
	config::IpAddress source;                  // unicast_src_ip or the interface's primary
	std::vector<config::IpAddress> peers;      // unicast; empty: multicast
	config::IpAddress group;                   // multicast destination
	int unicastTtl = 255;
	bool checkAddresses = true;      // !skip_check_adv_addr
	bool checkUnicastSource = false; // check_unicast_src: only the peers
	bool oldUnicastChecksum = false;
	MachineSettings machine;
};

// `primary` is the interface's own address of the instance's family (the
// IPv6 link-local one); unicast_src_ip overrides it.
RouterSettings routerSettings(const config::VrrpInstance &instance, const config::GlobalDefs &global,
                              const config::IpAddress &primary);

class VirtualRouter;

class RouterListener
{
public:
	virtual ~RouterListener() = default;
	virtual void stateChanged(VirtualRouter &router, State from, State to) = 0;
	virtual void sendGarp(VirtualRouter &router, int count) = 0;
	virtual void dropped(VirtualRouter &router, DropReason reason, const PacketMeta &meta) = 0;
	virtual void sendFailed(VirtualRouter &router, const std::string &error) = 0;
};

class VirtualRouter
{
public:
	VirtualRouter(RouterSettings settings, VrrpSocket &socket, RouterListener &listener);

	const std::string &name() const { return settings_.name; }
	const RouterSettings &settings() const { return settings_; }
	State state() const { return machine_.state(); }
	int priority() const { return machine_.priority(); }
	std::optional<TimePoint> deadline() const { return machine_.deadline(); }

	void start(TimePoint now, bool resume = false); // StateMachine::start
	// A reload that changed only what the state machine does not time:
	// the advertised addresses, the base priority (the caller applies it
	// through setTracking), authentication, unicast_ttl. The state is kept.
	void updateInPlace(RouterSettings settings);
	void onTimer(TimePoint now);
	// A packet the socket received for this VRID.
	void onPacket(TimePoint now, const ReceivedPacket &packet);
	// Trackers: the sum of the weights in effect and whether one of them
	// puts the instance in FAULT.
	void setTracking(TimePoint now, int weight, bool fault);
	void forceState(TimePoint now, State target);
	void stop(TimePoint now);

	// keepalived's per-instance statistics (SIGUSR2, SIGRTMIN+2).
	struct Counters {
		std::uint64_t advertsSent = 0; // one per packet: a unicast advert counts once per peer
		std::uint64_t advertsReceived = 0;
		std::uint64_t becameMaster = 0;
		std::uint64_t releasedMaster = 0;
		std::uint64_t priorityZeroSent = 0;
		std::uint64_t priorityZeroReceived = 0;
		std::map<DropReason, std::uint64_t> drops;
	};
	std::uint64_t advertsSent() const { return counters_.advertsSent; }
	std::uint64_t advertsReceived() const { return counters_.advertsReceived; }
	const std::map<DropReason, std::uint64_t> &drops() const { return counters_.drops; }
	const Counters &counters() const { return counters_; }
	// keepalived's STATS_CLEAR signal.
	void clearCounters() { counters_ = Counters{}; }

private:
	void resetExpectation();
	void perform(const Actions &actions);
	void sendAdvert(int priority);
	void drop(DropReason reason, const PacketMeta &meta);

	RouterSettings settings_;
	VrrpSocket &socket_;
	RouterListener &listener_;
	StateMachine machine_;
	Expectation expectation_;
	Counters counters_;
};

// The priority the trackers give: base + weights within 1..254; an address
// owner (255) keeps 255.
int effectivePriority(int base, int weight);

} // namespace vigil::vrrp
