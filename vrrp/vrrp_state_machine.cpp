#include "vrrp/vrrp_state_machine.h"

#include <algorithm>

namespace vigil::vrrp {

std::string_view stateName(State state)
{
	switch (state) {
	case State::kInit:
		return "INIT";
	case State::kBackup:
		return "BACKUP";
	case State::kMaster:
		return "MASTER";
	case State::kFault:
		return "FAULT";
	case State::kStopped:
		return "STOP";
	}
	return "?";
}

StateMachine::StateMachine(MachineSettings settings, int priority)
        : settings_(std::move(settings)), priority_(priority), masterInterval_(settings_.advertInterval)
{
}

std::optional<TimePoint> StateMachine::deadline() const
{
	std::optional<TimePoint> next;
	for (const auto &at : {advertAt_, downAt_, garpAt_, refreshAt_})
		if (at && (!next || *at < *next))
			next = at;
	return next;
}

Actions StateMachine::start(TimePoint now, bool resume)
{
	Actions out;
	if (state_ != State::kInit)
		return out;
	if (settings_.preemptDelay.count() > 0)
		preemptAt_ = now + settings_.preemptDelay;
	if (fault_) {
		toFault(now, out);
	} else if (priority_ == 255 || resume) {
		toMaster(now, out);
	} else {
		toBackup(now, out);
		// Nodes started together must not flap: the first election
		// scales the skew by at least one second, so that a priority
		// difference of 50 is 195 ms apart whatever advert_int, more
		// than two processes started together are.
		const Duration floor = std::max<Duration>(masterInterval_, std::chrono::seconds(1));
		armDownTimer(now, 3 * masterInterval_ + skewTime(3, priority_, floor));
	}
	return out;
}

Actions StateMachine::onTimer(TimePoint now)
{
	Actions out;
	if (state_ == State::kBackup && downAt_ && *downAt_ <= now) {
		toMaster(now, out);
		return out;
	}
	if (state_ != State::kMaster)
		return out;
	if (advertAt_ && *advertAt_ <= now)
		sendAdvert(now, priority_, out);
	if (garpAt_ && *garpAt_ <= now) {
		garpAt_.reset();
		out.push_back({.kind = Action::Kind::kSendGarp, .count = settings_.garpRepeat});
	}
	if (refreshAt_ && *refreshAt_ <= now) {
		refreshAt_ = now + settings_.garpRefresh;
		out.push_back({.kind = Action::Kind::kSendGarp, .count = settings_.garpRefreshRepeat});
	}
	return out;
}

// RFC 5798 6.4.3: a higher priority wins; an equal one goes to the higher
// primary address.
bool StateMachine::peerWins(const PeerAdvert &advert) const
{
	if (advert.priority != priority_)
		return advert.priority > priority_;
	return settings_.primaryAddress < advert.source;
}

Actions StateMachine::onAdvert(TimePoint now, const PeerAdvert &advert)
{
	Actions out;
	if (state_ == State::kBackup) {
		if (advert.priority == 0) {
			// The master resigned: take over after our skew only.
			downAt_ = now + skewTime(settings_.version, priority_, masterInterval_);
			return out;
		}
		bool accept = !settings_.preempt || advert.priority >= priority_;
		if (!accept && settings_.preemptDelay.count() > 0) {
			// A lower-priority master is tolerated for preempt_delay.
			if (!preemptAt_)
				preemptAt_ = now + settings_.preemptDelay;
			accept = now < *preemptAt_;
		} else if (accept) {
			preemptAt_.reset();
		}
		if (!accept)
			return out; // let the master-down timer run out: preemption
		if (settings_.version == 3)
			masterInterval_ = advert.interval;
		armDownTimer(now, masterDownInterval(settings_.version, priority_, masterInterval_));
		return out;
	}
	if (state_ != State::kMaster)
		return out;
	if (advert.priority == 0) {
		// Another router resigned while we are master: re-assert at once.
		sendAdvert(now, priority_, out);
		return out;
	}
	if (peerWins(advert)) {
		if (settings_.higherPrioSendsAdvert)
			sendAdvert(now, priority_, out);
		if (settings_.version == 3)
			masterInterval_ = advert.interval;
		toBackup(now, out);
		return out;
	}
	if (settings_.lowerPrioSendsAdvert) {
		sendAdvert(now, priority_, out);
		if (settings_.garpLowerPrioRepeat > 0)
			out.push_back({.kind = Action::Kind::kSendGarp, .count = settings_.garpLowerPrioRepeat});
	}
	return out;
}

Actions StateMachine::setPriority(TimePoint, int priority)
{
	// Takes effect with the next advertisement (MASTER) or the next
	// comparison (BACKUP); the master-down timer does the rest.
	priority_ = priority;
	return {};
}

Actions StateMachine::setFault(TimePoint now, bool fault)
{
	Actions out;
	if (fault == fault_)
		return out;
	fault_ = fault;
	if (state_ == State::kInit || state_ == State::kStopped)
		return out;
	if (fault) {
		toFault(now, out);
	} else if (state_ == State::kFault) {
		if (priority_ == 255)
			toMaster(now, out);
		else
			toBackup(now, out);
	}
	return out;
}

Actions StateMachine::forceState(TimePoint now, State target)
{
	Actions out;
	if (target == state_ || state_ == State::kInit || state_ == State::kStopped)
		return out;
	if (target == State::kMaster && !fault_)
		toMaster(now, out);
	else if (target == State::kBackup && !fault_)
		toBackup(now, out);
	else if (target == State::kFault)
		toFault(now, out);
	return out;
}

Actions StateMachine::stop(TimePoint now)
{
	Actions out;
	if (state_ == State::kStopped)
		return out;
	resign(now, out);
	changeState(State::kStopped, out);
	return out;
}

void StateMachine::toBackup(TimePoint now, Actions &out)
{
	advertAt_.reset();
	garpAt_.reset();
	refreshAt_.reset();
	armDownTimer(now, masterDownInterval(settings_.version, priority_, masterInterval_));
	changeState(State::kBackup, out);
}

void StateMachine::toMaster(TimePoint now, Actions &out)
{
	downAt_.reset();
	preemptAt_.reset();
	masterInterval_ = settings_.advertInterval;
	// RFC 5798 6.4.2: the advertisement first, then the addresses (the
	// state change) and their gratuitous ARPs: the backups hear of the
	// new master without waiting for the VIPs to be added.
	out.push_back({.kind = Action::Kind::kSendAdvert, .priority = priority_});
	advertAt_ = now + settings_.advertInterval;
	changeState(State::kMaster, out);
	out.push_back({.kind = Action::Kind::kSendGarp, .count = settings_.garpRepeat});
	if (settings_.garpDelay.count() > 0)
		garpAt_ = now + settings_.garpDelay;
	if (settings_.garpRefresh.count() > 0)
		refreshAt_ = now + settings_.garpRefresh;
}

void StateMachine::toFault(TimePoint now, Actions &out)
{
	resign(now, out);
	changeState(State::kFault, out);
}

// A master that stops or fails resigns with priority 0, so that a backup
// takes over after its skew rather than the whole master-down interval;
// nothing is timed any more.
void StateMachine::resign(TimePoint now, Actions &out)
{
	if (state_ == State::kMaster)
		sendAdvert(now, 0, out);
	advertAt_.reset();
	downAt_.reset();
	garpAt_.reset();
	refreshAt_.reset();
}

void StateMachine::changeState(State to, Actions &out)
{
	if (to == state_)
		return;
	out.push_back({.kind = Action::Kind::kStateChange, .priority = priority_, .from = state_, .to = to});
	state_ = to;
}

void StateMachine::armDownTimer(TimePoint now, Duration wait)
{
	downAt_ = now + wait;
}

void StateMachine::sendAdvert(TimePoint now, int priority, Actions &out)
{
	out.push_back({.kind = Action::Kind::kSendAdvert, .priority = priority});
	if (state_ == State::kMaster && priority != 0)
		advertAt_ = now + settings_.advertInterval;
}

} // namespace vigil::vrrp
