#pragma once

// The VRRP half of the model: vrrp_script, track_file, vrrp_sync_group,
// vrrp_instance, static_ipaddress/routes/rules.
//
// Every object keeps the file:line it was declared at. The build functions
// read one block each, reporting what keepalived reports while it parses;
// validateVrrp() then resolves the defaults that depend on global_defs (which
// may come later in the file) and makes keepalived's post-parse checks. After
// validation every value is explicit: no field is left "unset".

#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "parser/block_schema.h"
#include "parser/keyword_tree.h"
#include "parser/location.h"
#include "src/config/build_context.h"
#include "src/config/ip_address.h"
#include "src/config/script.h"

namespace vigil::config {

struct Config;
class ConfigWriter;

// One entry of a track_interface / track_script / track_file /
// track_process / track_bfd block. For scripts and files a missing weight
// takes the tracked object's own weight and direction (resolved by
// validateVrrp).
struct TrackedObject {
	std::string name;
	int weight = 0;
	bool reverse = false;
	bool weightSet = false; // written in the config (or resolved)
	parser::Location where;

	bool operator==(const TrackedObject &o) const
	{
		return name == o.name && weight == o.weight && reverse == o.reverse;
	}
};

struct VrrpScript {
	std::string name;
	parser::Location where;
	parser::Location end; // the block's closing line
	std::optional<Script> script;
	// Not run: its script is missing or insecure (script security).
	bool disabled = false;
	double interval = 1; // seconds
	double timeout = 0;  // 0: none
	int weight = 0;
	bool weightReverse = false;
	int rise = 1;
	int fall = 1;
	bool initFail = false;
};

struct TrackFile {
	std::string name;
	parser::Location where;
	std::string file;
	int weight = 1;
	bool weightReverse = false;
	bool initFile = false; // create the file at startup
	long initValue = 0;
	bool initOverwrite = false;
};

// One address line of virtual_ipaddress, virtual_ipaddress_excluded or
// static_ipaddress: ADDR[/LEN] [brd ADDR|+|-] [dev IF] [scope S] [label L]
// [peer ADDR] [home] [-nodad] [mngtmpaddr] [noprefixroute] [autojoin]
// [no_track] [use_vmac] [track_group G] [preferred_lft N|forever].
struct VirtualAddress {
	IpPrefix prefix;
	std::optional<IpAddress> broadcast; // '+'/'-' already resolved
	std::string dev;                    // resolved to the instance's interface
	std::string scope = "global";       // a name, or a number keepalived has no name for
	std::string label;
	std::optional<IpAddress> peer;
	bool home = false;
	bool noDad = false;
	bool mngTmpAddr = false;
	bool noPrefixRoute = false;
	bool autoJoin = false;
	bool noTrack = false;
	bool useVmac = false;
	std::string trackGroup;   // static_ipaddress only
	std::string preferredLft; // "" (kernel default), "forever" or seconds
	parser::Location where;

	bool operator==(const VirtualAddress &o) const;
};

// An option of a route or rule as written: keyword and its values
// ("mtu lock 1400" is {"mtu", {"lock", "1400"}}). Enough to write the line
// back and to hand it to the netlink layer.
struct RouteOption {
	std::string key;
	std::vector<std::string> values;
	bool operator==(const RouteOption &) const = default;
};

struct Nexthop {
	std::optional<IpAddress> via;
	std::string dev;
	std::vector<RouteOption> options; // weight, onlink, realms...
	bool operator==(const Nexthop &) const = default;
};

// One line of virtual_routes / static_routes.
struct Route {
	int family = 0;
	std::string type; // "" for unicast, else blackhole, unreachable, prohibit...
	IpPrefix destination;
	std::optional<IpAddress> via;
	std::string dev;
	std::vector<Nexthop> nexthops;
	std::vector<RouteOption> options; // in the order written
	bool noTrack = false;
	std::string trackGroup;
	parser::Location where;

	bool operator==(const Route &o) const
	{
		return family == o.family && type == o.type && destination == o.destination && via == o.via &&
		       dev == o.dev && nexthops == o.nexthops && options == o.options && noTrack == o.noTrack &&
		       trackGroup == o.trackGroup;
	}
};

// One line of virtual_rules / static_rules.
struct Rule {
	int family = 0;
	std::optional<IpPrefix> from;
	std::optional<IpPrefix> to;
	long preference = -1;             // resolved: keepalived assigns one when missing
	std::vector<RouteOption> options; // table, fwmark, iif... in the order written
	bool noTrack = false;
	std::string trackGroup;
	parser::Location where;

	bool operator==(const Rule &o) const
	{
		return family == o.family && from == o.from && to == o.to && preference == o.preference &&
		       options == o.options && noTrack == o.noTrack && trackGroup == o.trackGroup;
	}
};

struct UnicastPeer {
	IpAddress address;
	int minTtl = 0;
	int maxTtl = 255;
	parser::Location where;
	bool operator==(const UnicastPeer &o) const
	{
		return address == o.address && minTtl == o.minTtl && maxTtl == o.maxTtl;
	}
};

// The notify scripts shared by instances and sync groups.
struct NotifyScripts {
	std::optional<Script> master;
	std::optional<Script> backup;
	std::optional<Script> fault;
	std::optional<Script> stop;
	std::optional<Script> any;              // "notify"
	std::optional<Script> masterRxLowerPri; // instances only
	std::optional<Script> deleted;          // instances only
	bool notifyDeleted = false;             // send DELETED rather than FAULT
};

struct VrrpSyncGroup {
	std::string name;
	parser::Location where;
	std::vector<std::string> members;
	NotifyScripts notify;
	std::optional<bool> smtpAlert; // resolved by validateVrrp
	bool globalTracking = false;
	bool trackingWeight = false; // sync_group_tracking_weight
	bool notifyPriorityChanges = false;
	std::vector<TrackedObject> trackInterfaces;
	std::vector<TrackedObject> trackScripts;
	std::vector<TrackedObject> trackFiles;
	std::vector<TrackedObject> trackProcesses;
	std::vector<TrackedObject> trackBfds;
};

enum class VrrpState { kBackup, kMaster };
enum class AuthType { kNone, kPass, kAh };

struct VrrpInstance {
	std::string name;
	parser::Location where;

	// Identity and election.
	VrrpState state = VrrpState::kBackup;
	std::string interface; // empty: unicast without an interface
	int virtualRouterId = 0;
	int priority = 0;     // 0 while building: 255 for MASTER, else 100
	int version = 0;      // 0 while building: vrrp_version, 3 for IPv6
	int family = 0;       // AF_INET / AF_INET6, from the VIPs (IPv4 without any)
	double advertInt = 1; // seconds
	bool nopreempt = false;
	double preemptDelay = 0;
	std::optional<bool> accept; // resolved: !strict

	AuthType authType = AuthType::kNone;
	std::string authPass; // at most 8 characters

	// Addresses.
	std::vector<VirtualAddress> vips;
	std::vector<VirtualAddress> excludedVips;
	std::vector<Route> routes;
	std::vector<Rule> rules;
	bool promoteSecondaries = false;

	// Transport.
	std::optional<IpAddress> srcIp;      // unicast_src_ip / mcast_src_ip
	std::optional<IpAddress> mcastDstIp; // resolved: vrrp_mcast_group4/6
	std::vector<UnicastPeer> unicastPeers;
	int unicastTtl = 255;
	bool unicastFaultNoPeer = false;
	std::optional<bool> checkUnicastSrc; // resolved from vrrp_check_unicast_src
	bool useVmac = false;
	std::string vmacName; // empty: vrrp.<VRID>
	std::string vmacMac;
	bool vmacXmitBase = false;
	bool useVmacAddr = false;
	bool nativeIpv6 = false;
	bool trackSrcIp = false;
	std::optional<int> kernelRxBufSize;
	std::string vrf;

	// Tracking.
	bool dontTrackPrimary = false;
	std::vector<TrackedObject> trackInterfaces;
	std::vector<TrackedObject> trackScripts;
	std::vector<TrackedObject> trackFiles;
	std::vector<TrackedObject> trackProcesses;
	std::vector<TrackedObject> trackBfds;

	// Notification.
	NotifyScripts notify;
	std::optional<bool> smtpAlert; // resolved from smtp_alert_vrrp / smtp_alert
	bool notifyPriorityChanges = false;

	// Timers and protocol knobs; the optionals resolve to the globals.
	std::optional<double> garpMasterDelay;
	std::optional<int> garpMasterRepeat;
	std::optional<double> garpMasterRefresh;
	std::optional<int> garpMasterRefreshRepeat;
	std::optional<double> garpLowerPrioDelay;
	std::optional<int> garpLowerPrioRepeat;
	std::optional<int> downTimerAdverts;
	std::optional<bool> lowerPrioNoAdvert;
	std::optional<bool> higherPrioSendAdvert;
	std::optional<bool> strictMode;
	std::optional<bool> skipCheckAdvAddr;
	int debug = 0;
	bool linkbeatUsePolling = false;
	std::string lvsSyncDaemonInterface; // deprecated
	// Documented keywords vigil keeps without acting on (use_ipvlan,
	// garp_extra_if, old_unicast_checksum), as written.
	std::map<std::string, std::vector<std::string>> other;

	std::string syncGroup; // set by validateVrrp
	// Build state: a unicast keyword (unicast_src_ip, unicast_peer,
	// check_unicast_src) was written.
	bool unicastKeyword = false;

	// keepalived's identity of a virtual router on the wire.
	std::tuple<int, int, std::string> key() const { return {virtualRouterId, family, interface}; }
};

struct VrrpModel {
	std::vector<VrrpScript> scripts;
	std::vector<TrackFile> trackFiles;
	std::vector<VrrpSyncGroup> syncGroups;
	std::vector<VrrpInstance> instances;
	std::vector<VirtualAddress> staticAddresses;
	std::vector<Route> staticRoutes;
	std::vector<Rule> staticRules;

	const VrrpInstance *findInstance(std::string_view name) const;
	const VrrpInstance *findInstance(int vrid, int family, const std::string &interface) const;
	const VrrpScript *findScript(std::string_view name) const;
	const TrackFile *findTrackFile(std::string_view name) const;
	const VrrpSyncGroup *findSyncGroup(std::string_view name) const;

	// Build state: an interface named in the config does not exist on the
	// host (keepalived then stops checking after the parse).
	bool missingInterface = false;
	// Next preference handed to a rule without one, per family.
	long nextRulePreference4 = 16384;
	long nextRulePreference6 = 16384;
};

// The keywords of each block, for the tree builder (parser::BlockSchema).
const parser::BlockSchema &vrrpScriptSchema();
const parser::BlockSchema &trackFileSchema();
const parser::BlockSchema &vrrpSyncGroupSchema();
const parser::BlockSchema &vrrpInstanceSchema();

void buildVrrpScript(Config &config, const parser::Node &node, BuildContext &ctx);
void buildTrackFile(Config &config, const parser::Node &node, BuildContext &ctx);
void buildVrrpSyncGroup(Config &config, const parser::Node &node, BuildContext &ctx);
void buildVrrpInstance(Config &config, const parser::Node &node, BuildContext &ctx);
void buildStaticAddresses(Config &config, const parser::Node &node, BuildContext &ctx);
void buildStaticRoutes(Config &config, const parser::Node &node, BuildContext &ctx);
void buildStaticRules(Config &config, const parser::Node &node, BuildContext &ctx);
// Cross references and host checks once the whole file is read.
void validateVrrp(Config &config, BuildContext &ctx);
void dumpVrrp(const Config &config, ConfigWriter &out);
// Every script the VRRP side would run, for the script security check.
void collectVrrpScripts(const Config &config, std::vector<const Script *> &out);
// Removes a vrrp_script after the parse (the script security check does)
// and every track_script entry naming it, each reported as keepalived does
// then, at the entry: "(VI_1) track script NAME not found, ignoring...".
void removeVrrpScript(Config &config, const std::string &name, BuildContext &ctx);

} // namespace vigil::config
