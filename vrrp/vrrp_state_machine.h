#pragma once

// One VRRP instance's protocol state machine (RFC 3768 section 6.4, RFC 5798
// section 6.4) with keepalived's additions: nopreempt, preempt_delay, FAULT,
// gratuitous ARP repeats and refresh, sync-group forcing.
//
// Pure: no sockets, no clock of its own. Every call takes `now` and returns
// the actions to perform; deadline() says when to call onTimer() next. The
// runtime (and the unit tests, with a simulated clock) drive it.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "src/config/ip_address.h"
#include "vrrp/vrrp_timing.h"

namespace vigil::vrrp {

using TimePoint = std::chrono::steady_clock::time_point;

enum class State { kInit, kBackup, kMaster, kFault, kStopped };
std::string_view stateName(State state); // keepalived's words: MASTER, BACKUP...

struct MachineSettings {
	int version = 2;
	Duration advertInterval = std::chrono::seconds(1);
	bool startAsMaster = false; // `state MASTER`: only decides for a priority 255 owner
	bool preempt = true;        // false with nopreempt
	Duration preemptDelay{0};
	// The local primary address on the instance's interface: equal
	// priorities are broken by the higher address.
	config::IpAddress primaryAddress;
	// Gratuitous ARP / NA after becoming MASTER: `garpRepeat` at once,
	// `garpRepeat` again after `garpDelay` (0: not), and
	// `garpRefreshRepeat` every `garpRefresh` (0: never).
	int garpRepeat = 5;
	Duration garpDelay = std::chrono::seconds(5);
	Duration garpRefresh{0};
	int garpRefreshRepeat = 1;
	// Answer a lower-priority advertisement as MASTER with our own
	// (keepalived's default; lower_prio_no_advert turns it off) and
	// `garpLowerPrioRepeat` gratuitous ARPs.
	bool lowerPrioSendsAdvert = true;
	int garpLowerPrioRepeat = 0;
	// Send one advertisement before yielding to a higher priority
	// (higher_prio_send_advert).
	bool higherPrioSendsAdvert = false;
};

// What a received, validated advertisement tells the machine.
struct PeerAdvert {
	std::uint8_t priority = 0;
	Duration interval = std::chrono::seconds(1); // v3: the master's; v2: ours
	config::IpAddress source;
};

struct Action {
	enum class Kind {
		kSendAdvert,  // priority = what to advertise (0: resigning)
		kSendGarp,    // count = how many per address
		kStateChange, // from -> to: VIPs, notify scripts, fifo
	};
	Kind kind;
	int priority = 0;
	int count = 0;
	State from = State::kInit;
	State to = State::kInit;
	bool operator==(const Action &) const = default;
};
using Actions = std::vector<Action>;

class StateMachine
{
public:
	// `priority` is the configured base priority (1..255).
	StateMachine(MachineSettings settings, int priority);

	State state() const { return state_; }
	int priority() const { return priority_; }
	// The interval the backups time the master by (v3 adopts the master's).
	Duration masterAdvertInterval() const { return masterInterval_; }
	// When onTimer() must next be called; nullopt: nothing pending.
	std::optional<TimePoint> deadline() const;

	// INIT -> MASTER (a priority 255 owner) or BACKUP; FAULT if the
	// trackers already say so.
	// `resume`: the instance was MASTER in a run that ended without
	// resigning (its VIPs are still on the host): it takes MASTER back at
	// once, advertising, instead of dropping the VIPs for a BACKUP wait. A
	// peer with a higher priority takes over again by the protocol.
	Actions start(TimePoint now, bool resume = false);
	Actions onTimer(TimePoint now);
	Actions onAdvert(TimePoint now, const PeerAdvert &advert);
	// Effective priority after a tracker changed (already clamped by the
	// caller: 1..254 unless the owner's 255).
	Actions setPriority(TimePoint now, int priority);
	// Trackers: a fault (interface down, weight-0 script failing) or its end.
	Actions setFault(TimePoint now, bool fault);
	// A sync group moves its members together.
	Actions forceState(TimePoint now, State target);
	// Shutdown: a MASTER resigns with priority 0; -> STOPPED.
	Actions stop(TimePoint now);

private:
	void toBackup(TimePoint now, Actions &out);
	void toMaster(TimePoint now, Actions &out);
	void toFault(TimePoint now, Actions &out);
	void resign(TimePoint now, Actions &out);
	void changeState(State to, Actions &out);
	void armDownTimer(TimePoint now, Duration wait);
	bool peerWins(const PeerAdvert &advert) const;
	void sendAdvert(TimePoint now, int priority, Actions &out);

	MachineSettings settings_;
	int priority_;
	State state_ = State::kInit;
	bool fault_ = false;
	Duration masterInterval_;
	std::optional<TimePoint> advertAt_;  // MASTER: next advertisement
	std::optional<TimePoint> downAt_;    // BACKUP: master-down timer
	std::optional<TimePoint> garpAt_;    // MASTER: the delayed repeat
	std::optional<TimePoint> refreshAt_; // MASTER: periodic refresh
	std::optional<TimePoint> preemptAt_; // BACKUP: preempt_delay ends
};

} // namespace vigil::vrrp
