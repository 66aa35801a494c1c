#pragma once

// What the daemon writes when asked by signal, as keepalived does:
// SIGUSR1 /tmp/keepalived.data, SIGUSR2 /tmp/keepalived.stats, SIGRTMIN+2
// /tmp/keepalived.json (and vigil's own /tmp/vigil.json). Monitoring tools
// (Prometheus exporters, check_mk plugins) parse keepalived's files, so the
// lines and keys they read are keepalived 2.2.7's, byte for byte; the rest
// of the data file is shorter than keepalived's. The sides fill a
// StateReport; this file only formats it (pure, unit-tested).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace vigil::daemon {

struct VrrpCounters {
	std::uint64_t advertsReceived = 0, advertsSent = 0;
	std::uint64_t becameMaster = 0, releasedMaster = 0;
	std::uint64_t priorityZeroReceived = 0, priorityZeroSent = 0;
	// keepalived's error classes.
	std::uint64_t lengthErrors = 0, ttlErrors = 0, invalidType = 0, intervalErrors = 0, addressListErrors = 0;
	std::uint64_t authTypeMismatch = 0, authFailure = 0;
	// Every drop by vigil's reason name (vigil.json only).
	std::map<std::string, std::uint64_t> drops;
};

struct VrrpInstanceReport {
	std::string name;
	int version = 2;
	std::string state;     // INIT, BACKUP, MASTER, FAULT
	std::string wantState; // what the instance is going to (keepalived's Wantstate)
	std::string interface;
	std::string sourceAddress;
	std::vector<std::string> unicastPeers; // empty: multicast
	int vrid = 0;
	int basePriority = 0;
	int effectivePriority = 0;
	double advertInterval = 1;       // seconds, configured
	double masterAdvertInterval = 1; // seconds, the master's (v3 adopts it)
	bool preempt = true;
	double preemptDelay = 0;
	bool passwordAuth = false;
	std::string password;
	// keepalived's text: "192.0.2.93 dev eth0 scope global"; "set" is
	// appended while the address is on the interface (vipsSet).
	std::vector<std::string> vips;
	bool vipsSet = false;
	std::vector<std::pair<std::string, int>> trackScripts; // name, weight
	double lastTransition = 0;                             // seconds since the epoch
	// Gratuitous ARP settings in effect (keepalived's JSON has them).
	double garpDelay = 5, garpRefresh = 0;
	int garpRepeat = 5, garpRefreshRepeat = 1, garpLowerPrioRepeat = 5;
	bool lowerPrioNoAdvert = false, higherPrioSendAdvert = false;
	VrrpCounters counters;
};

struct VrrpScriptReport {
	std::string name;
	std::string command;
	double interval = 1, timeout = 0;
	int weight = 0, rise = 1, fall = 1;
	std::string status;                                 // GOOD, BAD, or INIT before the first result
	std::vector<std::pair<std::string, int>> instances; // tracking instance, weight
};

struct CheckerReport {
	std::string type;   // TCP_CHECK, HTTP_GET, ...
	std::string target; // 192.0.2.72:6379
	bool up = true;
	std::uint64_t checks = 0, failures = 0;
	std::string lastResult; // empty before the first check
};

struct RealServerReport {
	std::string address;
	std::uint16_t port = 0;
	std::uint32_t weight = 0; // configured
	bool alive = true;
	std::optional<std::uint32_t> kernelWeight; // in the table vigil wants; unset: not in it
	std::vector<CheckerReport> checkers;
};

struct VirtualServerReport {
	std::string name; // keepalived's: [192.0.2.93]:tcp:6379, FWM 1, [GROUP]:tcp:0
	std::string scheduler, forwarding;
	double delayLoop = 60;
	std::uint32_t quorum = 1, hysteresis = 0;
	std::uint64_t aliveWeight = 0;
	bool quorumUp = true;
	std::optional<std::string> sorryServer; // address:port
	bool sorryActive = false;
	std::vector<RealServerReport> realServers;
};

struct StateReport {
	std::string version; // vigil's
	long pid = 0;
	double time = 0; // when taken, seconds since the epoch
	std::string configFile;
	std::string routerId;
	bool ipvsAvailable = false;
	std::vector<VrrpInstanceReport> instances;
	std::vector<VrrpScriptReport> scripts;
	std::vector<VirtualServerReport> virtualServers;
};

// /tmp/keepalived.data: keepalived's section headers and the lines tools
// read, plus the LVS side in the same style.
std::string dataText(const StateReport &report);
// /tmp/keepalived.stats: keepalived's text, byte for byte.
std::string statsText(const StateReport &report);
// /tmp/keepalived.json: keepalived's array of {"data", "stats"} per VRRP
// instance, with its keys.
std::string keepalivedJson(const StateReport &report);
// /tmp/vigil.json: the whole state, schema 1 (man/vigil.8, FILES).
std::string vigilJson(const StateReport &report);

// keepalived's state numbers in its JSON (INIT 0, BACKUP 1, MASTER 2, FAULT 3).
int keepalivedStateNumber(const std::string &state);

} // namespace vigil::daemon
