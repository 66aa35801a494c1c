#pragma once

// Runs every checker of the configuration on one timer with keepalived's
// timing (keepalived.conf(5), checker section):
// - the first check after a random delay of up to `warmup` seconds;
// - a pass: the next check delay_loop later;
// - a checker starts up (down with alpha) before it has run, and the first
//   check's failure takes it down at once;
// - a failure of a checker that is up: `retry` more attempts, each
//   delay_before_retry after the last; when they fail too the checker goes
//   down and the next check is delay_loop later. A checker that is down is
//   not retried: its next check is delay_loop later, and its first pass
//   brings it up;
// - HTTP_GET / SSL_GET with several urls: a checker that is up checks them
//   all each time; one coming up (alpha at start, or after a failure)
//   checks one url per delay_loop and comes up when all have passed in a
//   row, unless fast_recovery, which checks them all at once.
// Pure: time comes from a SchedulerClock, probes from a ProbeTransport, so
// the unit tests run it over a simulated clock and a fake transport.

#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "checkers/probe.h"
#include "src/config/lvs/lvs.h"

namespace vigil::checkers {

using TimePoint = std::chrono::steady_clock::time_point;

// A real server of a virtual server.
struct ServerRef {
	config::VirtualServerKey vs;
	config::RealServerKey rs;
	auto operator<=>(const ServerRef &) const = default;
};

// One checker of a real server: its position among the server's checkers.
struct CheckerKey {
	ServerRef server;
	std::size_t index = 0;
	auto operator<=>(const CheckerKey &) const = default;
};

// What to run and against what; compared on reload.
struct CheckerSpec {
	CheckerKey key;
	config::Checker checker;
	config::IpAddress address; // resolved connect_ip, else the real server's
	std::uint16_t port = 0;    // resolved connect_port, else the real server's
	std::uint32_t weight = 1;  // the real server's configured weight
	bool operator==(const CheckerSpec &o) const
	{
		return key == o.key && checker == o.checker && address == o.address && port == o.port &&
		       weight == o.weight;
	}
};

// The specs for every checker of a configuration, in order.
std::vector<CheckerSpec> checkerSpecs(const config::LvsModel &lvs);

class SchedulerClock
{
public:
	virtual ~SchedulerClock() = default;
	virtual TimePoint now() const = 0;
	// The scheduler wants runDue() called at `when` (replaces an earlier
	// request); unset: nothing is due.
	virtual void wakeAt(std::optional<TimePoint> when) = 0;
};

// One probe's outcome as the scheduler saw it.
struct CheckOutcome {
	ProbeResult result;
	bool wasUp = false;
	bool isUp = false;
	// A failure that will be retried: the number of this retry (1..retry).
	std::uint32_t retry = 0;
	// A failure that took the checker down: the retries made before it.
	std::uint32_t retriesDone = 0;
	// Recovery of a multi-url checker: the url that passed, more to go.
	std::optional<std::size_t> recoveringUrl;
};

// A checker's probes since it started (kept across a reload that keeps
// the checker), for the daemon's reports.
struct CheckerTally {
	std::uint64_t checks = 0;
	std::uint64_t failures = 0;
	bool lastOk = false;
	std::string lastFailure; // the last failure's detail
};

class CheckListener
{
public:
	virtual ~CheckListener() = default;
	// Called from the scheduler; must not call its sync().
	virtual void checked(const CheckerSpec &spec, const CheckOutcome &outcome) = 0;
};

class CheckScheduler
{
public:
	// `random` returns a number in [0, 1) for the warmup spread.
	CheckScheduler(ProbeTransport &transport, SchedulerClock &clock, CheckListener &listener,
	               std::function<double()> random);
	~CheckScheduler();
	CheckScheduler(const CheckScheduler &) = delete;
	CheckScheduler &operator=(const CheckScheduler &) = delete;

	// Makes the running set the given one. A checker whose spec is
	// unchanged keeps its state, schedule and probe in flight; a changed
	// one (same key) keeps whether it is up and starts again after its
	// warmup; a new one starts up, or down with alpha, after its warmup;
	// a removed one is cancelled. No listener calls.
	void sync(std::vector<CheckerSpec> specs);
	// Launches every checker that is due.
	void runDue();
	// ha_suspend: a suspended virtual server's checkers launch nothing
	// (those due move on by delay_loop) and keep their state; resuming
	// makes them due at once.
	void suspend(const config::VirtualServerKey &vs, bool suspended);

	// At most `limit` probes in flight (0: no limit); checkers due beyond it
	// wait their turn, oldest first, and launch as probes end. A machine
	// that cannot keep up then checks late rather than failing healthy
	// servers for want of descriptors or of loop time.
	void setMaxInFlight(std::size_t limit) { maxInFlight_ = limit; }
	// Checkers due and waiting for a free slot.
	std::size_t waiting() const { return waiting_.size(); }

	bool up(const CheckerKey &key) const;
	// Null for a checker not running.
	const CheckerTally *tally(const CheckerKey &key) const;
	// keepalived's rule: a real server is alive while every one of its
	// checkers is up (one without checkers is always alive).
	bool serverUp(const ServerRef &server) const;
	// misc_dynamic: the configured weight moved by each dynamic checker's
	// last answer (its weight - configured); unset when none answered.
	std::optional<std::uint32_t> serverWeight(const ServerRef &server, std::uint32_t configured) const;
	std::size_t size() const { return checkers_.size(); }
	std::size_t inFlight() const { return transport_.inFlight(); }
	// Every checker's state, for the daemon's carry-over and reports.
	std::vector<std::pair<CheckerKey, bool>> states() const;

private:
	struct Running;

	// A checker due at `due`; checkers due at the same time launch in the
	// order of their keys (`order`, the rank of the key). An entry counts
	// while `seq` is the checker's: rescheduling leaves the old one in the
	// heap, dropped when it reaches the top.
	struct Due {
		TimePoint due;
		std::size_t order;
		std::uint64_t seq;
		Running *running;
		// For std::push_heap, whose heap puts the greatest first: the
		// latest is the "least".
		bool operator<(const Due &o) const { return due > o.due || (due == o.due && order > o.order); }
	};

	void schedule(Running &r, std::optional<TimePoint> due);
	// The earliest entry that still counts (stale ones above it are
	// dropped), or null.
	const Due *nextDue();
	void launch(Running &r);
	bool full() const { return maxInFlight_ && transport_.inFlight() >= maxInFlight_; }
	void launchWaiting();
	void completed(Running &r, ProbeResult result);
	void rearm();
	static std::chrono::nanoseconds seconds(double s);

	ProbeTransport &transport_;
	SchedulerClock &clock_;
	CheckListener &listener_;
	std::function<double()> random_;
	// Map nodes are moved whole (extract/insert) and never copied, so a
	// Running stays where it is while it runs: the queue, the waiting list
	// and the probes' completions point at it instead of looking its key
	// up (a key is a virtual and a real server: comparing them was a third
	// of the scheduler's time at thousands of checks a second).
	std::map<CheckerKey, Running> checkers_;
	// A binary heap (std::push_heap / pop_heap) in a vector: a check
	// rescheduled costs no allocation, where a std::set cost a node each
	// time, thousands of times a second.
	std::vector<Due> queue_;
	std::set<config::VirtualServerKey> suspended_;
	std::deque<Running *> waiting_;
	std::size_t maxInFlight_ = 0;
	std::optional<TimePoint> armed_;
	bool inRunDue_ = false;
};

} // namespace vigil::checkers
