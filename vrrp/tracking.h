#pragma once

// What the trackers (track_interface, track_script, track_file) say about
// one instance: a weight added to its base priority, or FAULT. Pure: the
// caller gathers the tracked objects' states.

#include <map>
#include <string>
#include <vector>

#include "src/config/vrrp/vrrp.h"

namespace vigil::vrrp {

struct TrackedStates {
	std::map<std::string, bool> interfaceUp; // by name; missing: down
	std::map<std::string, bool> scriptOk;    // by vrrp_script name; missing: not yet known
	std::map<std::string, long> fileValue;   // by track_file name
};

struct TrackingResult {
	int weight = 0;
	bool fault = false;
	std::vector<std::string> faultReasons; // "interface eth1 down", "script chk_nginx failed"
	bool operator==(const TrackingResult &) const = default;
};

// A vrrp_script's state from its run results: it turns bad after `fall`
// consecutive failures and good again after `rise` consecutive successes;
// before any result it is as init_fail says.
class ScriptHealth
{
public:
	explicit ScriptHealth(bool initFail) : ok_(!initFail) {}
	bool ok() const { return ok_; }
	// True when this result changed ok().
	bool record(bool success, int rise, int fall);

private:
	bool ok_;
	int successes_ = 0; // consecutive
	int failures_ = 0;  // consecutive
};

TrackingResult evaluateTracking(const config::VrrpInstance &instance, const config::VrrpModel &model,
                                const TrackedStates &states);

} // namespace vigil::vrrp
