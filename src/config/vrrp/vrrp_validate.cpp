// What keepalived checks once the whole configuration is read, and the
// defaults that come from global_defs.
#include <algorithm>
#include <cmath>
#include <sys/socket.h>

#include "src/config/config.h"

namespace vigil::config {

namespace {

// keepalived stops checking after some findings (a missing interface, an
// instance without one); vigil still resolves the model, silently.
class Reporter
{
public:
	explicit Reporter(BuildContext &ctx) : ctx_(ctx) {}

	template <class... Args> void error(fmt::format_string<Args...> fmt, Args &&...args)
	{
		if (on_)
			ctx_.diagnostics.error(parser::Location{}, fmt::format(fmt, std::forward<Args>(args)...));
	}
	template <class... Args> void warning(fmt::format_string<Args...> fmt, Args &&...args)
	{
		if (on_)
			ctx_.diagnostics.warning(parser::Location{}, fmt::format(fmt, std::forward<Args>(args)...));
	}
	void stop() { on_ = false; }
	bool on() const { return on_; }

private:
	BuildContext &ctx_;
	bool on_ = true;
};

std::string defaultInterface(const GlobalDefs &g)
{
	return g.defaultInterface.empty() ? "eth0" : g.defaultInterface;
}

void validateSyncGroups(VrrpModel &m, const GlobalDefs &g, Reporter &r)
{
	for (auto it = m.syncGroups.begin(); it != m.syncGroups.end();) {
		VrrpSyncGroup &sg = *it;
		std::vector<std::string> kept;
		for (const std::string &name : sg.members) {
			auto inst = std::find_if(m.instances.begin(), m.instances.end(),
			                         [&name](const VrrpInstance &i) { return i.name == name; });
			if (inst == m.instances.end()) {
				r.error("Virtual router {} specified in sync group {} doesn't exist - ignoring", name,
				        sg.name);
			} else if (!inst->syncGroup.empty()) {
				r.error("Virtual router {} cannot exist in more than one sync group; ignoring {}", name,
				        sg.name);
			} else {
				inst->syncGroup = sg.name;
				kept.push_back(name);
			}
		}
		if (kept.empty()) {
			if (sg.members.empty())
				r.error("Sync group {} has no virtual router(s). removing", sg.name);
			else
				r.error("Sync group {}, no matching virtual router found in group declaration - "
				        "removing",
				        sg.name);
			it = m.syncGroups.erase(it);
			continue;
		}
		if (kept.size() == 1)
			r.warning("Sync group {} has only 1 virtual router(s) - this probably isn't what you want",
			          sg.name);
		sg.members = std::move(kept);
		if (!sg.smtpAlert)
			sg.smtpAlert = g.smtpAlertVrrp || g.smtpAlert;
		++it;
	}
}

// keepalived keeps advert_int in microseconds and rounds there.
void roundAdvertInt(VrrpInstance &vi, Reporter &r)
{
	auto usec = static_cast<long long>(std::llround(vi.advertInt * 1e6));
	if (vi.version == 2) {
		if (usec % 1000000 != 0) {
			r.error("({}) VRRPv2 advertisement interval {:f}s must be an integer. rounding", vi.name,
			        vi.advertInt);
			usec = std::max(1LL, (usec + 500000) / 1000000) * 1000000;
		}
	} else if (usec > 40950000) {
		r.error("({}) VRRPv3 advertisement interval {:.2f}s is out of range. Must be less than 40.96s. Setting "
		        "to 40.95s",
		        vi.name, vi.advertInt);
		usec = 40950000;
	} else if (usec % 10000 != 0) {
		r.error("({}) VRRPv3 advertisement interval {:f}s must be in units of 10ms - rounding", vi.name,
		        vi.advertInt);
		usec = std::max(1LL, (usec + 5000) / 10000) * 10000;
	}
	vi.advertInt = static_cast<double>(usec) / 1e6;
}

void validateInstance(VrrpInstance &vi, const VrrpModel &m, const GlobalDefs &g, Reporter &r)
{
	const bool strict = vi.strictMode.value_or(g.vrrpStrict);
	vi.strictMode = strict;
	if (vi.family == 0)
		vi.family = AF_INET;
	if (vi.version == 0)
		vi.version = vi.family == AF_INET6 ? 3 : g.vrrpVersion;
	if (vi.priority == 0)
		vi.priority = vi.state == VrrpState::kMaster ? 255 : 100;

	// In the order keepalived checks (and reports).
	if (vi.vips.empty()) {
		if (strict || vi.version == 3) {
			// keepalived gives up on the configuration here.
			r.error("({}) No VIP specified; at least one is required", vi.name);
			r.stop();
		} else {
			r.error("({}) No VIP specified; at least one is sensible", vi.name);
		}
	}

	if (strict && vi.state == VrrpState::kMaster && vi.priority != 255) {
		r.error("({}) State MASTER must match being address owner", vi.name);
		vi.state = VrrpState::kBackup;
	}

	if (strict && vi.family == AF_INET6 && !vi.vips.empty()) {
		const auto &first = vi.vips.front().prefix.address;
		if (!(first.bytes[0] == 0xfe && (first.bytes[1] & 0xc0) == 0x80))
			r.error("({}) the first IPv6 VIP address must be link local", vi.name);
	}

	if (vi.authType != AuthType::kNone) {
		if (strict) {
			r.error("({}) Strict mode does not support authentication. Ignoring.", vi.name);
			vi.authType = AuthType::kNone;
		} else if (vi.version == 3) {
			r.error("({}) VRRP version 3 does not support authentication. Ignoring.", vi.name);
			vi.authType = AuthType::kNone;
		} else if (vi.authPass.empty()) {
			r.error("({}) Authentication specified but no password given. Ignoring", vi.name);
			vi.authType = AuthType::kNone;
		} else if (vi.authType == AuthType::kAh && vi.state == VrrpState::kMaster && vi.priority != 255) {
			r.error("({}) Initial state master is incompatible with AH authentication - clearing", vi.name);
			vi.state = VrrpState::kBackup;
		}
	}
	if (vi.authType == AuthType::kNone)
		vi.authPass.clear();

	if (vi.nopreempt && vi.state == VrrpState::kMaster) {
		r.error("({}) Warning - nopreempt will not work with initial state MASTER - clearing", vi.name);
		vi.nopreempt = false;
	}
	if (vi.preemptDelay > 0) {
		if (strict)
			r.error("({}) preempt_delay is incompatible with strict mode - resetting", vi.name);
		if (vi.nopreempt)
			r.error("({}) preempt_delay is incompatible with nopreempt mode - resetting", vi.name);
		if (strict || vi.nopreempt) {
			vi.preemptDelay = 0;
		} else if (vi.state == VrrpState::kMaster) {
			r.error("({}) Warning - preempt delay will not work with initial state MASTER - clearing",
			        vi.name);
			vi.preemptDelay = 0;
		}
	}

	if (strict && vi.accept.value_or(false)) {
		if (vi.version == 2)
			r.error("({}) warning - accept mode for VRRP version 2 does not comply with RFC3768 - "
			        "resetting",
			        vi.name);
		vi.accept = false;
	}
	vi.accept = vi.accept.value_or(!strict);

	if (vi.mcastDstIp && !vi.unicastPeers.empty()) {
		r.error("({}) multicast destination specified with unicast - ignoring", vi.name);
		vi.mcastDstIp.reset();
	}
	if (vi.unicastKeyword && vi.unicastPeers.empty() && !vi.unicastFaultNoPeer)
		r.error("({}) A unicast keyword has been specified without any unicast peers. Defaulting to multicast. "
		        "This usage is deprecated - please update your configuration.",
		        vi.name);

	roundAdvertInt(vi, r);

	if (vi.vmacXmitBase && !vi.useVmac && !vi.other.contains("use_ipvlan")) {
		r.error("({}) vmac_xmit_base is only valid with a vmac", vi.name);
		vi.vmacXmitBase = false;
	}
	if (strict && vi.vmacXmitBase) {
		r.error("({}) xmit_base is incompatible with strict mode - resetting", vi.name);
		vi.vmacXmitBase = false;
	}
	if (vi.useVmac && vi.promoteSecondaries) {
		r.error("({}) promote_secondaries is automatically set for vmacs - ignoring", vi.name);
		vi.promoteSecondaries = false;
	}
	if (vi.useVmac && vi.vmacName.empty())
		vi.vmacName = "vrrp." + std::to_string(vi.virtualRouterId);

	// keepalived 2.2.7 checks for VIPs twice.
	if (vi.vips.empty() && !strict && vi.version != 3)
		r.error("({}) No VIP specified; at least one is sensible", vi.name);

	// Defaults from global_defs.
	if (!vi.garpMasterDelay)
		vi.garpMasterDelay = g.vrrpGarpMasterDelay;
	if (!vi.garpMasterRepeat)
		vi.garpMasterRepeat = g.vrrpGarpMasterRepeat;
	if (!vi.garpMasterRefresh)
		vi.garpMasterRefresh = g.vrrpGarpMasterRefresh;
	if (!vi.garpMasterRefreshRepeat)
		vi.garpMasterRefreshRepeat = g.vrrpGarpMasterRefreshRepeat;
	if (!vi.garpLowerPrioDelay)
		vi.garpLowerPrioDelay = strict ? 0 : g.vrrpGarpLowerPrioDelay;
	if (!vi.garpLowerPrioRepeat)
		vi.garpLowerPrioRepeat = strict ? 0 : g.vrrpGarpLowerPrioRepeat;
	if (!vi.downTimerAdverts)
		vi.downTimerAdverts = g.vrrpDownTimerAdverts;
	if (!vi.lowerPrioNoAdvert)
		vi.lowerPrioNoAdvert = strict || g.vrrpLowerPrioNoAdvert;
	if (!vi.higherPrioSendAdvert)
		vi.higherPrioSendAdvert = g.vrrpHigherPrioSendAdvert;
	if (!vi.skipCheckAdvAddr)
		vi.skipCheckAdvAddr = g.vrrpSkipCheckAdvAddr;
	if (!vi.checkUnicastSrc)
		vi.checkUnicastSrc = g.vrrpCheckUnicastSrc;
	if (vi.unicastPeers.empty())
		vi.checkUnicastSrc = false; // multicast: nothing to check
	if (!vi.smtpAlert)
		vi.smtpAlert = g.smtpAlertVrrp || g.smtpAlert;
	if (!vi.mcastDstIp)
		vi.mcastDstIp = vi.family == AF_INET6 ? g.vrrpMcastGroup6 : g.vrrpMcastGroup4;
	if (g.other.contains("vrrp_notify_priority_changes"))
		vi.notifyPriorityChanges =
		        vi.notifyPriorityChanges || g.other.at("vrrp_notify_priority_changes").empty();

	// Addresses without a device go on the instance's interface.
	const std::string dev = vi.interface.empty() ? defaultInterface(g) : vi.interface;
	for (auto *list : {&vi.vips, &vi.excludedVips})
		for (auto &a : *list)
			if (a.dev.empty())
				a.dev = dev;

	// Tracking.
	if (!vi.interface.empty()) {
		auto own = std::find_if(vi.trackInterfaces.begin(), vi.trackInterfaces.end(),
		                        [&vi](const TrackedObject &t) { return t.name == vi.interface; });
		if (own != vi.trackInterfaces.end()) {
			r.error("({}) Ignoring track_interface {} since own interface", vi.name, vi.interface);
			vi.trackInterfaces.erase(own);
		}
	}
	if (const VrrpSyncGroup *sg = m.findSyncGroup(vi.syncGroup)) {
		for (const auto &t : sg->trackInterfaces) {
			bool onInstance = (!vi.dontTrackPrimary && t.name == vi.interface) ||
			                  std::any_of(vi.trackInterfaces.begin(), vi.trackInterfaces.end(),
			                              [&t](const TrackedObject &o) { return o.name == t.name; });
			if (onInstance)
				r.error("({}) track_interface {} is configured on VRRP instance and sync group. Remove "
				        "vrrp "
				        "instance or sync group config",
				        vi.name, t.name);
		}
		if (!sg->trackingWeight && !sg->globalTracking) {
			auto drop = [&](std::vector<TrackedObject> &list, const char *what) {
				for (auto it = list.begin(); it != list.end();) {
					if (it->weight != 0) {
						r.error("({}) ignoring {} {} with weights due to SYNC group", vi.name,
						        what, it->name);
						it = list.erase(it);
					} else {
						++it;
					}
				}
			};
			drop(vi.trackInterfaces, "tracked interface");
			drop(vi.trackScripts, "tracked script");
			drop(vi.trackFiles, "tracked file");
			drop(vi.trackProcesses, "tracked process");
			drop(vi.trackBfds, "tracked bfd");
		}
	}
}

bool peersOverlap(const VrrpInstance &a, const VrrpInstance &b)
{
	for (const auto &p : a.unicastPeers)
		for (const auto &q : b.unicastPeers)
			if (p.address == q.address)
				return true;
	return false;
}

void checkDuplicateVrids(const VrrpModel &m, Reporter &r)
{
	for (std::size_t i = 0; i < m.instances.size(); ++i) {
		for (std::size_t j = i + 1; j < m.instances.size(); ++j) {
			const VrrpInstance &a = m.instances[i], &b = m.instances[j];
			if (a.key() != b.key() || a.virtualRouterId == 0)
				continue;
			bool unicastA = !a.unicastPeers.empty(), unicastB = !b.unicastPeers.empty();
			if (unicastA != unicastB)
				continue;
			if (unicastA && !peersOverlap(a, b))
				continue;
			if (!unicastA && a.mcastDstIp != b.mcastDstIp)
				continue;
			r.error("{} and {} both use VRID {} with {} on interface {}", a.name, b.name, a.virtualRouterId,
			        a.family == AF_INET6 ? "IPv6" : "IPv4", a.interface);
		}
	}
}

} // namespace

void validateVrrp(Config &config, BuildContext &ctx)
{
	VrrpModel &m = config.vrrp;
	const GlobalDefs &g = config.global;
	Reporter r(ctx);

	for (auto &a : m.staticAddresses) {
		if (!a.dev.empty())
			continue;
		a.dev = defaultInterface(g);
		if (!ctx.system.interfaceExists(a.dev)) {
			// keepalived refuses to start (exit status 4).
			ctx.diagnostics.fatal(a.where, fmt::format("Static address {} requires either an interface or "
			                                           "default interface must exist",
			                                           a.prefix.address.str()));
			m.missingInterface = true;
		}
	}

	if (m.missingInterface) {
		ctx.diagnostics.error(parser::Location{}, "Non-existent interface specified in configuration");
		r.stop();
	}

	// Instances without a virtual router id are dropped, as keepalived does.
	for (auto it = m.instances.begin(); it != m.instances.end();) {
		if (it->virtualRouterId == 0) {
			r.error("({}) the virtual router id must be set", it->name);
			it = m.instances.erase(it);
		} else {
			++it;
		}
	}
	for (const auto &vi : m.instances)
		// Without an interface keepalived finds one from the unicast source
		// address; vigil cannot see host addresses and trusts it is local.
		if (vi.interface.empty() && (vi.unicastPeers.empty() || !vi.srcIp) && vi.vrf.empty()) {
			r.error("({}) Unknown interface!", vi.name);
			r.stop();
		}

	validateSyncGroups(m, g, r);
	for (auto &vi : m.instances)
		validateInstance(vi, m, g, r);
	// A sync group starts as one: unless every member is MASTER, all start
	// as BACKUP (keepalived does this silently).
	for (const auto &sg : m.syncGroups) {
		bool allMaster = std::all_of(sg.members.begin(), sg.members.end(), [&m](const std::string &name) {
			const VrrpInstance *vi = m.findInstance(name);
			return vi && vi->state == VrrpState::kMaster;
		});
		if (!allMaster)
			for (auto &vi : m.instances)
				if (vi.syncGroup == sg.name)
					vi.state = VrrpState::kBackup;
	}
	checkDuplicateVrids(m, r);
}

const VrrpInstance *VrrpModel::findInstance(std::string_view name) const
{
	for (const auto &i : instances)
		if (i.name == name)
			return &i;
	return nullptr;
}

const VrrpInstance *VrrpModel::findInstance(int vrid, int family, const std::string &interface) const
{
	for (const auto &i : instances)
		if (i.key() == std::tuple<int, int, std::string>{vrid, family, interface})
			return &i;
	return nullptr;
}

const VrrpScript *VrrpModel::findScript(std::string_view name) const
{
	for (const auto &s : scripts)
		if (s.name == name)
			return &s;
	return nullptr;
}

const TrackFile *VrrpModel::findTrackFile(std::string_view name) const
{
	for (const auto &f : trackFiles)
		if (f.name == name)
			return &f;
	return nullptr;
}

const VrrpSyncGroup *VrrpModel::findSyncGroup(std::string_view name) const
{
	for (const auto &s : syncGroups)
		if (s.name == name)
			return &s;
	return nullptr;
}

void removeVrrpScript(Config &config, const std::string &name, BuildContext &ctx)
{
	VrrpModel &m = config.vrrp;
	std::erase_if(m.scripts, [&name](const VrrpScript &s) { return s.name == name; });
	auto drop = [&](std::vector<TrackedObject> &list, const std::string &owner) {
		std::erase_if(list, [&](const TrackedObject &t) {
			if (t.name != name)
				return false;
			ctx.diagnostics.error(t.where,
			                      fmt::format("({}) track script {} not found, ignoring...", owner, name));
			return true;
		});
	};
	for (auto &g : m.syncGroups)
		drop(g.trackScripts, g.name);
	for (auto &vi : m.instances)
		drop(vi.trackScripts, vi.name);
}

void collectVrrpScripts(const Config &config, std::vector<const Script *> &out)
{
	auto notify = [&out](const NotifyScripts &n) {
		for (const auto *s : {&n.master, &n.backup, &n.fault, &n.stop, &n.any, &n.masterRxLowerPri, &n.deleted})
			if (*s)
				out.push_back(&**s);
	};
	for (const auto &s : config.vrrp.scripts)
		if (s.script)
			out.push_back(&*s.script);
	for (const auto &g : config.vrrp.syncGroups)
		notify(g.notify);
	for (const auto &i : config.vrrp.instances)
		notify(i.notify);
}

} // namespace vigil::config
