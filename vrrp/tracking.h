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

TrackingResult evaluateTracking(const config::VrrpInstance &instance, const config::VrrpModel &model,
                                const TrackedStates &states);

} // namespace vigil::vrrp
