// VrrpSide's part of the signal dumps: each instance as keepalived shows it,
// its counters sorted into keepalived's error classes, and the scripts.

#include <fmt/format.h>

#include "src/daemon/vrrp_side.h"

namespace vigil::daemon {
namespace {

// keepalived's text for a VIP: "192.0.2.94/24 dev eth0 scope global label
// eth0:1"; the prefix only when it is not a host address.
std::string vipText(const config::VirtualAddress &vip)
{
	const int full = vip.prefix.address.family == AF_INET6 ? 128 : 32;
	std::string text = vip.prefix.length == full ? vip.prefix.address.str() : vip.prefix.str();
	text += fmt::format(" dev {} scope {}", vip.dev, vip.scope);
	if (!vip.label.empty())
		text += " label " + vip.label;
	return text;
}

VrrpCounters countersOf(const vrrp::VirtualRouter::Counters &c)
{
	using vrrp::DropReason;
	VrrpCounters out;
	out.advertsReceived = c.advertsReceived;
	out.advertsSent = c.advertsSent;
	out.becameMaster = c.becameMaster;
	out.releasedMaster = c.releasedMaster;
	out.priorityZeroReceived = c.priorityZeroReceived;
	out.priorityZeroSent = c.priorityZeroSent;
	for (const auto &[reason, count] : c.drops) {
		out.drops[std::string(vrrp::dropReasonText(reason))] = count;
		switch (reason) {
		case DropReason::kTruncated:
		case DropReason::kBadIpHeader:
		case DropReason::kBadLength:
			out.lengthErrors += count;
			break;
		case DropReason::kBadTtl:
			out.ttlErrors += count;
			break;
		case DropReason::kBadType:
			out.invalidType += count;
			break;
		case DropReason::kIntervalMismatch:
			out.intervalErrors += count;
			break;
		case DropReason::kBadAddressCount:
		case DropReason::kAddressMismatch:
			out.addressListErrors += count;
			break;
		case DropReason::kAuthTypeMismatch:
			out.authTypeMismatch += count;
			break;
		case DropReason::kBadPassword:
			out.authFailure += count;
			break;
		default: // no class of keepalived's: vigil.json's drops only
			break;
		}
	}
	return out;
}

} // namespace

void VrrpSide::report(StateReport &out) const
{
	for (const auto &[name, r] : routers_) {
		const auto &vi = r.config;
		VrrpInstanceReport ir;
		ir.name = name;
		ir.version = vi.version;
		const auto state = r.router ? r.router->state() : vrrp::State::kInit;
		ir.state = std::string(vrrp::stateName(state));
		ir.wantState = ir.state;
		ir.interface = vi.interface;
		if (r.router) {
			const auto &settings = r.router->settings();
			ir.sourceAddress = settings.source.str();
			for (const auto &peer : settings.peers)
				ir.unicastPeers.push_back(peer.str());
			ir.effectivePriority = r.router->priority();
			const auto &m = settings.machine;
			ir.garpDelay = std::chrono::duration<double>(m.garpDelay).count();
			ir.garpRefresh = std::chrono::duration<double>(m.garpRefresh).count();
			ir.garpRepeat = m.garpRepeat;
			ir.garpRefreshRepeat = m.garpRefreshRepeat;
			ir.garpLowerPrioRepeat = m.garpLowerPrioRepeat;
			ir.lowerPrioNoAdvert = !m.lowerPrioSendsAdvert;
			ir.higherPrioSendAdvert = m.higherPrioSendsAdvert;
			ir.counters = countersOf(r.router->counters());
		}
		ir.vrid = vi.virtualRouterId;
		ir.basePriority = vi.priority;
		ir.advertInterval = ir.masterAdvertInterval = vi.advertInt;
		ir.preempt = !vi.nopreempt;
		ir.preemptDelay = vi.preemptDelay;
		ir.passwordAuth = vi.authType == config::AuthType::kPass;
		ir.password = vi.authPass;
		for (const auto &vip : vi.vips)
			ir.vips.push_back(vipText(vip));
		ir.vipsSet = state == vrrp::State::kMaster;
		for (const auto &t : vi.trackScripts)
			ir.trackScripts.emplace_back(t.name, t.weight);
		ir.lastTransition = r.lastTransition;
		out.instances.push_back(std::move(ir));
	}
	const auto &known = trackers_.states().scriptOk;
	for (const auto &script : config_.vrrp.scripts) {
		VrrpScriptReport sr;
		sr.name = script.name;
		sr.command = script.script ? script.script->command : "";
		sr.interval = script.interval;
		sr.timeout = script.timeout;
		sr.weight = script.weight;
		sr.rise = script.rise;
		sr.fall = script.fall;
		auto it = known.find(script.name);
		sr.status = it == known.end() ? "INIT" : it->second ? "GOOD" : "BAD";
		for (const auto &[name, r] : routers_)
			for (const auto &t : r.config.trackScripts)
				if (t.name == script.name)
					sr.instances.emplace_back(name, t.weight);
		out.scripts.push_back(std::move(sr));
	}
}

void VrrpSide::clearCounters()
{
	for (auto &[name, r] : routers_)
		if (r.router)
			r.router->clearCounters();
}

} // namespace vigil::daemon
