#include "vrrp/tracking.h"

#include <fmt/format.h>

namespace vigil::vrrp {
namespace {

// A tracked object that is either good or bad (keepalived.conf(5),
// track_interface): a positive weight is added while it is good, a negative
// one while it is bad; `reverse` turns the adjustment's direction round, not
// the condition. Weight 0 means FAULT while it is bad.
void applyBinary(const config::TrackedObject &t, bool good, const char *what, const char *badWord, TrackingResult &r)
{
	if (t.weight == 0) {
		if (!good) {
			r.fault = true;
			r.faultReasons.push_back(fmt::format("{} {} {}", what, t.name, badWord));
		}
		return;
	}
	if ((t.weight > 0) == good)
		r.weight += t.reverse ? -t.weight : t.weight;
}

} // namespace

bool ScriptHealth::record(bool success, int rise, int fall)
{
	if (success) {
		failures_ = 0;
		++successes_;
	} else {
		successes_ = 0;
		++failures_;
	}
	const bool before = ok_;
	if (!ok_ && success && successes_ >= rise)
		ok_ = true;
	else if (ok_ && !success && failures_ >= fall)
		ok_ = false;
	return ok_ != before;
}

TrackingResult evaluateTracking(const config::VrrpInstance &vi, const config::VrrpModel &model,
                                const TrackedStates &states)
{
	TrackingResult r;
	auto up = [&](const std::string &name) {
		auto it = states.interfaceUp.find(name);
		return it != states.interfaceUp.end() && it->second;
	};
	if (!vi.dontTrackPrimary && !vi.interface.empty() && !up(vi.interface)) {
		r.fault = true;
		r.faultReasons.push_back(fmt::format("interface {} down", vi.interface));
	}
	for (const auto &t : vi.trackInterfaces)
		applyBinary(t, up(t.name), "interface", "down", r);
	for (const auto &t : vi.trackScripts) {
		const auto *script = model.findScript(t.name);
		auto it = states.scriptOk.find(t.name);
		// Before its first result a script is as init_fail says.
		const bool ok = it != states.scriptOk.end() ? it->second : !(script && script->initFail);
		applyBinary(t, ok, "script", "failed", r);
	}
	for (const auto &t : vi.trackFiles) {
		auto it = states.fileValue.find(t.name);
		const long value = it != states.fileValue.end() ? it->second : 0;
		if (t.weight == 0) {
			if (value != 0) {
				r.fault = true;
				r.faultReasons.push_back(fmt::format("file {} is {}", t.name, value));
			}
			continue;
		}
		r.weight += static_cast<int>(value * t.weight * (t.reverse ? -1 : 1));
	}
	return r;
}

} // namespace vigil::vrrp
