#include "checkers/check_scheduler.h"

#include <algorithm>
#include <cmath>

namespace vigil::checkers {

struct CheckScheduler::Running {
	CheckerSpec spec;
	bool up = true;
	// Whether a check has ended since the checker started: until then a
	// server counts as up (unless alpha) without having answered, so a
	// first failure takes it down without retries, as keepalived does.
	bool hasRun = false;
	std::uint32_t retriesDone = 0;
	// The next url of a multi-url checker coming up one url at a time.
	std::size_t recoveryUrl = 0;
	std::optional<TimePoint> due;
	std::uint64_t seq = 0; // of its entry in the queue that counts
	std::size_t order = 0; // the rank of its key: ties in the queue
	ProbeId probe = 0;
	bool waiting = false; // in waiting_, due but no slot free
	// The last weight a misc_dynamic answer asked for.
	std::optional<std::uint32_t> weight;
	CheckerTally tally;
};

namespace {

std::size_t urlCount(const config::Checker &c)
{
	const auto *http = std::get_if<config::HttpCheck>(&c.detail);
	return http ? http->urls.size() : 0;
}

// Whether a checker that is down checks its urls one per delay_loop.
bool recoversUrlByUrl(const config::Checker &c)
{
	const auto *http = std::get_if<config::HttpCheck>(&c.detail);
	return http && !http->fastRecovery && http->urls.size() > 1;
}

} // namespace

std::vector<CheckerSpec> checkerSpecs(const config::LvsModel &lvs)
{
	std::vector<CheckerSpec> specs;
	for (const auto &vs : lvs.virtualServers) {
		const auto vsKey = vs.key();
		for (const auto &rs : vs.realServers) {
			for (std::size_t i = 0; i < rs.checkers.size(); ++i) {
				const auto &c = rs.checkers[i];
				CheckerSpec spec{{{vsKey, rs.key()}, i},
				                 c,
				                 c.endpoint.connectIp,
				                 c.endpoint.connectPort,
				                 rs.weight};
				if (const auto *smtp = std::get_if<config::SmtpCheck>(&c.detail);
				    smtp && !smtp->hosts.empty()) {
					spec.address = smtp->hosts.front().connectIp;
					spec.port = smtp->hosts.front().connectPort;
				}
				specs.push_back(std::move(spec));
			}
		}
	}
	return specs;
}

CheckScheduler::CheckScheduler(ProbeTransport &transport, SchedulerClock &clock, CheckListener &listener,
                               std::function<double()> random)
        : transport_(transport), clock_(clock), listener_(listener), random_(std::move(random))
{
}

CheckScheduler::~CheckScheduler()
{
	for (auto &[key, r] : checkers_)
		if (r.probe)
			transport_.cancel(r.probe);
}

std::chrono::nanoseconds CheckScheduler::seconds(double s)
{
	return std::chrono::nanoseconds(std::llround(std::max(s, 0.0) * 1e9));
}

void CheckScheduler::schedule(Running &r, std::optional<TimePoint> due)
{
	++r.seq; // the entry it had, if any, no longer counts
	r.due = due;
	if (due) {
		queue_.push_back({*due, r.order, r.seq, &r});
		std::push_heap(queue_.begin(), queue_.end());
	}
}

const CheckScheduler::Due *CheckScheduler::nextDue()
{
	while (!queue_.empty()) {
		const Due &top = queue_.front();
		if (top.seq == top.running->seq && top.running->due)
			return &top;
		std::pop_heap(queue_.begin(), queue_.end());
		queue_.pop_back();
	}
	return nullptr;
}

void CheckScheduler::sync(std::vector<CheckerSpec> specs)
{
	const TimePoint now = clock_.now();
	// What points at a checker that is going away: its probe and its place
	// in the waiting list (the queue is rebuilt below).
	auto forget = [this](Running &r) {
		if (r.probe)
			transport_.cancel(r.probe);
		if (r.waiting)
			std::erase(waiting_, &r);
	};
	std::map<CheckerKey, Running> next;
	std::vector<Running *> started; // in the order of specs: warmup draws
	for (auto &spec : specs) {
		auto it = checkers_.find(spec.key);
		if (it != checkers_.end() && it->second.spec == spec) {
			next.insert(checkers_.extract(it)); // the node moves, the Running stays put
			continue;
		}
		Running r;
		r.up = !spec.checker.alpha;
		if (it != checkers_.end()) {
			// Changed: whether the server answered does not depend on
			// how often it is asked.
			r.up = it->second.up;
			r.hasRun = it->second.hasRun;
			forget(it->second);
			checkers_.erase(it);
		}
		r.spec = std::move(spec);
		auto key = r.spec.key;
		started.push_back(&next.emplace(key, std::move(r)).first->second);
	}
	for (auto &[key, r] : checkers_)
		forget(r);
	checkers_ = std::move(next);
	// The ranks follow the keys of the new set; the queue is rebuilt with
	// them.
	queue_.clear();
	std::size_t order = 0;
	for (auto &[key, r] : checkers_) {
		r.order = order++;
		if (r.due)
			queue_.push_back({*r.due, r.order, r.seq, &r});
	}
	std::make_heap(queue_.begin(), queue_.end());
	for (Running *r : started)
		schedule(*r, now + seconds(r->spec.checker.warmup * random_()));
	launchWaiting(); // slots of cancelled probes
	rearm();
}

void CheckScheduler::runDue()
{
	const TimePoint now = clock_.now();
	armed_.reset(); // the wakeup that brought us here is spent
	inRunDue_ = true;
	for (const Due *next = nextDue(); next && next->due <= now; next = nextDue()) {
		Running &r = *next->running;
		std::pop_heap(queue_.begin(), queue_.end());
		queue_.pop_back();
		r.due.reset();
		if (!suspended_.empty() && suspended_.contains(r.spec.key.server.vs)) {
			schedule(r, now + seconds(r.spec.checker.delayLoop));
			continue;
		}
		if (full()) {
			r.waiting = true;
			waiting_.push_back(&r);
			continue;
		}
		launch(r);
	}
	inRunDue_ = false;
	rearm();
}

void CheckScheduler::launch(Running &r)
{
	const auto &c = r.spec.checker;
	ProbeRequest request{c, r.spec.address, r.spec.port,
	                     std::chrono::duration_cast<std::chrono::milliseconds>(seconds(c.connectTimeout)),
	                     std::nullopt};
	if (!r.up && recoversUrlByUrl(c))
		request.url = r.recoveryUrl;
	// A Running outlives its probe: whatever removes it cancels the probe
	// first, and a cancelled probe never completes.
	Running *running = &r;
	r.probe = transport_.launch(request,
	                            [this, running](ProbeResult result) { completed(*running, std::move(result)); });
}

void CheckScheduler::completed(Running &r, ProbeResult result)
{
	r.probe = 0;
	const auto &c = r.spec.checker;
	const TimePoint now = clock_.now();
	CheckOutcome outcome;
	outcome.wasUp = r.up;
	++r.tally.checks;
	if (!result.ok) {
		++r.tally.failures;
		r.tally.lastFailure = result.detail;
	}
	r.tally.lastOk = result.ok;
	if (result.ok) {
		r.retriesDone = 0;
		if (result.weight)
			r.weight = result.weight;
		if (!r.up && recoversUrlByUrl(c) && r.recoveryUrl + 1 < urlCount(c)) {
			outcome.recoveringUrl = r.recoveryUrl++;
		} else {
			r.recoveryUrl = 0;
			r.up = true;
		}
		schedule(r, now + seconds(c.delayLoop));
	} else if (r.up && r.hasRun && r.retriesDone < c.retry) {
		outcome.retry = ++r.retriesDone;
		schedule(r, now + seconds(c.delayBeforeRetry));
	} else {
		outcome.retriesDone = r.retriesDone;
		r.retriesDone = 0;
		r.recoveryUrl = 0;
		r.up = false;
		schedule(r, now + seconds(c.delayLoop));
	}
	r.hasRun = true;
	outcome.isUp = r.up;
	outcome.result = std::move(result);
	rearm();
	listener_.checked(r.spec, outcome);
	launchWaiting();
}

void CheckScheduler::launchWaiting()
{
	while (!waiting_.empty() && !full()) {
		Running &r = *waiting_.front();
		waiting_.pop_front();
		r.waiting = false;
		launch(r);
	}
}

void CheckScheduler::suspend(const config::VirtualServerKey &vs, bool suspended)
{
	if (!suspended) {
		if (suspended_.erase(vs) == 0)
			return;
		const TimePoint now = clock_.now();
		for (auto &[key, r] : checkers_)
			if (key.server.vs == vs && r.due)
				schedule(r, now);
		rearm();
		return;
	}
	suspended_.insert(vs);
}

const CheckerTally *CheckScheduler::tally(const CheckerKey &key) const
{
	auto it = checkers_.find(key);
	return it == checkers_.end() ? nullptr : &it->second.tally;
}

bool CheckScheduler::up(const CheckerKey &key) const
{
	auto it = checkers_.find(key);
	return it != checkers_.end() && it->second.up;
}

bool CheckScheduler::serverUp(const ServerRef &server) const
{
	for (auto it = checkers_.lower_bound(CheckerKey{server, 0});
	     it != checkers_.end() && it->first.server == server; ++it)
		if (!it->second.up)
			return false;
	return true;
}

std::optional<std::uint32_t> CheckScheduler::serverWeight(const ServerRef &server, std::uint32_t configured) const
{
	std::optional<std::int64_t> weight;
	for (auto it = checkers_.lower_bound(CheckerKey{server, 0});
	     it != checkers_.end() && it->first.server == server; ++it)
		if (it->second.weight)
			weight = weight.value_or(configured) +
			         (static_cast<std::int64_t>(*it->second.weight) - configured);
	if (!weight)
		return std::nullopt;
	// The kernel takes 0..INT32_MAX.
	return static_cast<std::uint32_t>(std::clamp<std::int64_t>(*weight, 0, 0x7fffffff));
}

std::vector<std::pair<CheckerKey, bool>> CheckScheduler::states() const
{
	std::vector<std::pair<CheckerKey, bool>> out;
	out.reserve(checkers_.size());
	for (const auto &[key, r] : checkers_)
		out.emplace_back(key, r.up);
	return out;
}

void CheckScheduler::rearm()
{
	if (inRunDue_)
		return;
	std::optional<TimePoint> next;
	if (const Due *due = nextDue())
		next = due->due;
	if (next == armed_)
		return;
	armed_ = next;
	clock_.wakeAt(next);
}

} // namespace vigil::checkers
