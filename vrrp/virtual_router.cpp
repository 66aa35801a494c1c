#include "vrrp/virtual_router.h"

#include <algorithm>
#include <netinet/in.h>

namespace vigil::vrrp {
int effectivePriority(int base, int weight)
{
	if (base == 255)
		return 255;
	return std::clamp(base + weight, 1, 254);
}

RouterSettings routerSettings(const config::VrrpInstance &vi, const config::GlobalDefs &g,
                              const config::IpAddress &primary)
{
	RouterSettings s;
	s.name = vi.name;
	s.family = vi.family;
	s.version = vi.version;
	s.vrid = static_cast<std::uint8_t>(vi.virtualRouterId);
	s.basePriority = vi.priority;
	if (vi.version == 2) {
		s.auth = vi.authType;
		s.password = vi.authPass;
	}
	for (const auto &vip : vi.vips)
		if (vip.prefix.address.family == vi.family)
			s.advertised.push_back(vip.prefix.address);
	s.source = vi.srcIp ? *vi.srcIp : primary;
	for (const auto &peer : vi.unicastPeers)
		s.peers.push_back(peer.address);
	s.group = vi.mcastDstIp ? *vi.mcastDstIp : (vi.family == AF_INET6 ? g.vrrpMcastGroup6 : g.vrrpMcastGroup4);
	s.unicastTtl = vi.unicastTtl;
	s.checkAddresses = !vi.skipCheckAdvAddr.value_or(g.vrrpSkipCheckAdvAddr);
	s.oldUnicastChecksum = vi.other.contains("old_unicast_checksum");
	s.checkUnicastSource = !s.peers.empty() && vi.checkUnicastSrc.value_or(g.vrrpCheckUnicastSrc);

	MachineSettings &m = s.machine;
	m.version = vi.version;
	m.advertInterval = fromSeconds(vi.advertInt);
	m.startAsMaster = vi.state == config::VrrpState::kMaster;
	m.preempt = !vi.nopreempt;
	m.preemptDelay = fromSeconds(vi.preemptDelay);
	m.primaryAddress = s.source;
	m.garpRepeat = vi.garpMasterRepeat.value_or(g.vrrpGarpMasterRepeat);
	m.garpDelay = fromSeconds(vi.garpMasterDelay.value_or(g.vrrpGarpMasterDelay));
	m.garpRefresh = fromSeconds(vi.garpMasterRefresh.value_or(g.vrrpGarpMasterRefresh));
	m.garpRefreshRepeat = vi.garpMasterRefreshRepeat.value_or(g.vrrpGarpMasterRefreshRepeat);
	m.lowerPrioSendsAdvert = !vi.lowerPrioNoAdvert.value_or(g.vrrpLowerPrioNoAdvert);
	m.garpLowerPrioRepeat = vi.garpLowerPrioRepeat.value_or(g.vrrpGarpLowerPrioRepeat);
	m.higherPrioSendsAdvert = vi.higherPrioSendAdvert.value_or(g.vrrpHigherPrioSendAdvert);
	return s;
}

VirtualRouter::VirtualRouter(RouterSettings settings, VrrpSocket &socket, RouterListener &listener)
        : settings_(std::move(settings)), socket_(socket), listener_(listener),
          machine_(settings_.machine, settings_.basePriority)
{
	resetExpectation();
}

void VirtualRouter::updateInPlace(RouterSettings settings)
{
	settings_ = std::move(settings);
	resetExpectation();
}

void VirtualRouter::resetExpectation()
{
	expectation_ = {};
	expectation_.family = settings_.family;
	expectation_.version = settings_.version;
	expectation_.vrid = settings_.vrid;
	expectation_.auth = settings_.auth;
	expectation_.password = settings_.password;
	expectation_.intervalCs =
	        static_cast<std::uint16_t>(settings_.machine.advertInterval / std::chrono::milliseconds(10));
	expectation_.addresses = settings_.advertised;
	expectation_.multicast = settings_.peers.empty();
	expectation_.checkAddresses = settings_.checkAddresses;
}

void VirtualRouter::start(TimePoint now, bool resume)
{
	perform(machine_.start(now, resume));
}

void VirtualRouter::onTimer(TimePoint now)
{
	perform(machine_.onTimer(now));
}

void VirtualRouter::onPacket(TimePoint now, const ReceivedPacket &packet)
{
	// keepalived also accepts the checksum of its versions before 1.3.6
	// (the pseudo-header with the multicast group as destination) on
	// VRRPv3 over IPv4; the RFC's first.
	auto advert = decodeAdvertisement(packet.vrrp, packet.meta, settings_.family);
	if (!advert && advert.error() == DropReason::kBadChecksum && settings_.family == AF_INET &&
	    settings_.version == 3)
		advert = decodeAdvertisement(packet.vrrp, packet.meta, settings_.family,
		                             V3Checksum::kPseudoHeaderMulticastDst);
	if (!advert) {
		drop(advert.error(), packet.meta);
		return;
	}
	if (auto reason = checkAgainst(*advert, packet.meta, expectation_)) {
		drop(*reason, packet.meta);
		return;
	}
	if (settings_.checkUnicastSource &&
	    std::find(settings_.peers.begin(), settings_.peers.end(), packet.meta.source) == settings_.peers.end()) {
		drop(DropReason::kUnknownPeer, packet.meta);
		return;
	}
	++counters_.advertsReceived;
	if (advert->priority == 0)
		++counters_.priorityZeroReceived;
	PeerAdvert peer;
	peer.priority = advert->priority;
	peer.source = packet.meta.source;
	peer.interval = settings_.version == 3 ? Duration(std::chrono::milliseconds(10) * advert->intervalCs)
	                                       : settings_.machine.advertInterval;
	perform(machine_.onAdvert(now, peer));
}

void VirtualRouter::setTracking(TimePoint now, int weight, bool fault)
{
	const int priority = effectivePriority(settings_.basePriority, weight);
	if (priority != machine_.priority())
		perform(machine_.setPriority(now, priority));
	perform(machine_.setFault(now, fault));
}

void VirtualRouter::forceState(TimePoint now, State target)
{
	perform(machine_.forceState(now, target));
}

void VirtualRouter::stop(TimePoint now)
{
	perform(machine_.stop(now));
}

void VirtualRouter::perform(const Actions &actions)
{
	for (const auto &action : actions) {
		switch (action.kind) {
		case Action::Kind::kSendAdvert:
			sendAdvert(action.priority);
			break;
		case Action::Kind::kSendGarp:
			listener_.sendGarp(*this, action.count);
			break;
		case Action::Kind::kStateChange:
			if (action.to == State::kMaster)
				++counters_.becameMaster;
			else if (action.from == State::kMaster)
				++counters_.releasedMaster;
			listener_.stateChanged(*this, action.from, action.to);
			break;
		}
	}
}

void VirtualRouter::sendAdvert(int priority)
{
	Advertisement advert;
	advert.version = settings_.version;
	advert.vrid = settings_.vrid;
	advert.priority = static_cast<std::uint8_t>(priority);
	advert.intervalCs = expectation_.intervalCs;
	advert.auth = settings_.auth;
	advert.password = settings_.password;
	advert.addresses = settings_.advertised;
	auto sendTo = [&](const config::IpAddress &to, int ttl, V3Checksum checksum) {
		const auto bytes = encodeAdvertisement(advert, settings_.source, to, checksum);
		if (auto sent = socket_.send(settings_.source, to, bytes, ttl); !sent)
			listener_.sendFailed(*this, sent.error());
		else
			++counters_.advertsSent;
	};
	if (priority == 0)
		++counters_.priorityZeroSent;
	if (settings_.peers.empty()) {
		sendTo(settings_.group, 255, V3Checksum::kPseudoHeader);
		return;
	}
	for (const auto &peer : settings_.peers)
		sendTo(peer, settings_.unicastTtl,
		       settings_.oldUnicastChecksum ? V3Checksum::kPseudoHeaderMulticastDst
		                                    : V3Checksum::kPseudoHeader);
}

void VirtualRouter::drop(DropReason reason, const PacketMeta &meta)
{
	// Another VRID on the same interface is not an error.
	if (reason == DropReason::kWrongVrid)
		return;
	++counters_.drops[reason];
	listener_.dropped(*this, reason, meta);
}

} // namespace vigil::vrrp
