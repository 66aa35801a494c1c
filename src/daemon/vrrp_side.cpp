#include "src/daemon/vrrp_side.h"

#include <algorithm>
#include <netinet/in.h>

namespace vigil::daemon {
namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

bool isLinkLocal(const config::IpAddress &a)
{
	return a.isV6() && a.bytes[0] == 0xfe && (a.bytes[1] & 0xc0) == 0x80;
}

// The instance's own address on its interface: the first IPv4 one that is
// not a VIP of ours, or the IPv6 link-local one (RFC 5798 5.1.2.1).
std::optional<config::IpAddress> primaryAddress(const std::vector<netlink::InterfaceAddress> &addresses, int ifindex,
                                                int family, const std::vector<config::IpAddress> &vips)
{
	for (const auto &a : addresses) {
		if (a.ifindex != ifindex || a.prefix.address.family != family)
			continue;
		if (family == AF_INET6 ? !isLinkLocal(a.prefix.address)
		                       : std::find(vips.begin(), vips.end(), a.prefix.address) != vips.end())
			continue;
		return a.prefix.address;
	}
	return std::nullopt;
}

// Wire identity and everything the state machine was built from: an
// instance whose settings are equal keeps running across a reload.
bool sameRouter(const vrrp::RouterSettings &a, const vrrp::RouterSettings &b)
{
	return a.family == b.family && a.version == b.version && a.vrid == b.vrid && a.basePriority == b.basePriority &&
	       a.auth == b.auth && a.password == b.password && a.advertised == b.advertised && a.source == b.source &&
	       a.peers == b.peers && a.group == b.group && a.unicastTtl == b.unicastTtl &&
	       a.machine.advertInterval == b.machine.advertInterval && a.machine.preempt == b.machine.preempt;
}

// What a running instance can take in place across a reload, keeping its
// state: everything but the wire identity (family, version, VRID, source,
// peers, group) and the state machine's timing.
bool updatableInPlace(const vrrp::RouterSettings &a, const vrrp::RouterSettings &b)
{
	return a.family == b.family && a.version == b.version && a.vrid == b.vrid && a.source == b.source &&
	       a.peers == b.peers && a.group == b.group && a.machine.advertInterval == b.machine.advertInterval &&
	       a.machine.preempt == b.machine.preempt && a.machine.preemptDelay == b.machine.preemptDelay;
}

// The addresses a MASTER instance holds: its VIPs and excluded VIPs.
std::vector<config::VirtualAddress> masterAddresses(const config::VrrpInstance &vi)
{
	auto all = vi.vips;
	all.insert(all.end(), vi.excludedVips.begin(), vi.excludedVips.end());
	return all;
}

std::vector<config::IpAddress> allVips(const config::Config &config)
{
	std::vector<config::IpAddress> out;
	for (const auto &vi : config.vrrp.instances) {
		for (const auto &v : vi.vips)
			out.push_back(v.prefix.address);
		for (const auto &v : vi.excludedVips)
			out.push_back(v.prefix.address);
	}
	return out;
}

} // namespace

struct VrrpSide::Socket {
	Socket(asio::io_context &io, std::unique_ptr<vrrp::RawVrrpSocket> s) : raw(std::move(s)), fd(io, raw->fd()) {}
	~Socket()
	{
		fd.cancel();
		fd.release(); // RawVrrpSocket closes it
	}
	std::unique_ptr<vrrp::RawVrrpSocket> raw;
	asio::posix::stream_descriptor fd;
	std::map<std::uint8_t, std::vector<std::string>> byVrid; // instance names
};

VrrpSide::VrrpSide(asio::io_context &io, std::unique_ptr<netlink::AddressClient> addresses, exec::ScriptRunner &runner,
                   std::shared_ptr<spdlog::logger> log)
        : io_(io), addresses_(std::move(addresses)), vips_(*addresses_), log_(std::move(log)), timer_(io),
          trackers_(io, runner, *addresses_, log_, [this] { applyTracking(); }), notifier_(runner, log_)
{
}

VrrpSide::~VrrpSide() = default;

void VrrpSide::start(const config::Config &config)
{
	if (config.vrrp.instances.empty())
		return;
	reload(config);
}

void VrrpSide::reload(const config::Config &config)
{
	// The VRRP half only: a copy of 100,000 real servers on the loop at
	// each reload would delay adverts.
	config_.global = config.global;
	config_.vrrp = config.vrrp;
	notifier_.configure(config);
	trackers_.start(config);
	build(config);
	const auto now = Clock::now();
	for (auto &[name, r] : routers_)
		if (r.router && r.router->state() == vrrp::State::kInit) {
			if (r.resume)
				log_->info("({}) resuming MASTER: its VIPs were still on the host", name);
			r.router->start(now, std::exchange(r.resume, false));
		}
	applyTracking();
	rearm();
}

void VrrpSide::build(const config::Config &config)
{
	auto links = addresses_->links();
	auto addresses = addresses_->addresses(0);
	if (!links || !addresses) {
		log_->error("Cannot read the interfaces: {}", !links ? links.error().text : addresses.error().text);
		return;
	}
	const auto vips = allVips(config);
	std::map<std::string, Router> next;
	for (const auto &vi : config.vrrp.instances) {
		Router r;
		r.config = vi;
		auto link = std::find_if(links->begin(), links->end(),
		                         [&](const auto &l) { return l.name == vi.interface; });
		if (link == links->end() && !vi.interface.empty()) {
			log_->error("({}) interface {} does not exist", vi.name, vi.interface);
			continue;
		}
		if (link != links->end()) {
			r.ifindex = link->index;
			r.mac = link->mac;
		}
		auto primary = primaryAddress(*addresses, r.ifindex, vi.family, vips);
		if (!primary && !vi.srcIp) {
			log_->error("({}) no {} address on {}", vi.name,
			            vi.family == AF_INET6 ? "IPv6 link-local" : "IPv4", vi.interface);
			continue;
		}
		auto settings = vrrp::routerSettings(vi, config.global, primary.value_or(config::IpAddress{}));
		// A running instance with the same settings keeps its state; one
		// whose addresses, priority or authentication changed too, and
		// its VIPs follow (keepalived's reload: no new election).
		if (auto old = routers_.find(vi.name); old != routers_.end() && old->second.router &&
		                                       updatableInPlace(old->second.router->settings(), settings)) {
			r.router = std::move(old->second.router);
			r.socket = old->second.socket;
			r.lastTransition = old->second.lastTransition;
			if (!sameRouter(r.router->settings(), settings)) {
				r.router->updateInPlace(std::move(settings));
				if (r.router->state() == vrrp::State::kMaster)
					logReports(vips_.sync(vi.name, masterAddresses(vi)));
			}
			routers_.erase(old);
			next.emplace(vi.name, std::move(r));
			continue;
		}
		std::string error;
		// Unicast instances join no group.
		const auto group = settings.peers.empty() ? settings.group : config::IpAddress{};
		r.socket = socketFor(vi.family, vi.interface, r.ifindex, group, error);
		if (!r.socket) {
			log_->error("({}) cannot open its VRRP socket: {}", vi.name, error);
			continue;
		}
		r.router = std::make_unique<vrrp::VirtualRouter>(std::move(settings), *r.socket->raw, *this);
		// nopreempt: a peer that took over meanwhile keeps MASTER.
		r.resume = adoptLeftovers(vi, *links, *addresses) && !vi.nopreempt;
		next.emplace(vi.name, std::move(r));
	}
	// What is left was removed or changed: it resigns and drops its VIPs.
	const auto now = Clock::now();
	for (auto &[name, r] : routers_)
		if (r.router)
			r.router->stop(now);
	routers_ = std::move(next);
	for (auto &[key, socket] : sockets_)
		socket->byVrid.clear();
	for (auto &[name, r] : routers_)
		r.socket->byVrid[r.router->settings().vrid].push_back(name);
	std::erase_if(sockets_, [](const auto &s) { return s.second->byVrid.empty(); });
}

// A vigil killed with -9 leaves the VIPs of its MASTER instances behind.
// A new instance takes those of its addresses that are in the kernel as its
// own, so that entering BACKUP removes them (and MASTER keeps them) rather
// than two nodes answering for one address. Finding some means the
// instance was MASTER: it resumes as MASTER (no flap of the VIPs on a quick
// restart).
bool VrrpSide::adoptLeftovers(const config::VrrpInstance &vi, const std::vector<netlink::Link> &links,
                              const std::vector<netlink::InterfaceAddress> &addresses)
{
	std::vector<config::VirtualAddress> present;
	for (const auto *list : {&vi.vips, &vi.excludedVips}) {
		for (const auto &vip : *list) {
			auto link = std::find_if(links.begin(), links.end(),
			                         [&](const auto &l) { return l.name == vip.dev; });
			if (link == links.end())
				continue;
			if (std::any_of(addresses.begin(), addresses.end(), [&](const auto &a) {
				    return a.ifindex == link->index && a.prefix == vip.prefix;
			    }))
				present.push_back(vip);
		}
	}
	if (present.empty())
		return false;
	logReports(vips_.adopt(vi.name, present));
	return true;
}

VrrpSide::Socket *VrrpSide::socketFor(int family, const std::string &interface, int ifindex,
                                      const config::IpAddress &group, std::string &error)
{
	auto key = std::make_pair(family, interface);
	auto it = sockets_.find(key);
	if (it != sockets_.end())
		return it->second.get();
	std::vector<config::IpAddress> groups;
	if (!group.empty())
		groups.push_back(group);
	auto raw = vrrp::RawVrrpSocket::open(family, interface, ifindex, groups);
	if (!raw) {
		error = raw.error();
		return nullptr;
	}
	auto socket = std::make_unique<Socket>(io_, std::move(*raw));
	Socket *s = socket.get();
	sockets_.emplace(key, std::move(socket));
	listen(*s);
	return s;
}

void VrrpSide::listen(Socket &socket)
{
	socket.fd.async_wait(asio::posix::stream_descriptor::wait_read,
	                     [this, &socket](const boost::system::error_code &error) {
		                     if (error)
			                     return;
		                     onReadable(socket);
		                     listen(socket);
	                     });
}

void VrrpSide::onReadable(Socket &socket)
{
	const auto now = Clock::now();
	for (auto &packet : socket.raw->receiveAll()) {
		if (!packet) {
			++unloggedDrops_;
			continue;
		}
		// The VRID is the second byte of both versions' header.
		if (packet->vrrp.size() < 2)
			continue;
		auto it = socket.byVrid.find(packet->vrrp[1]);
		if (it == socket.byVrid.end())
			continue; // another router's VRID on this link
		for (const auto &name : it->second) {
			auto r = routers_.find(name);
			if (r != routers_.end() && r->second.router &&
			    r->second.router->settings().family == socket.raw->family())
				r->second.router->onPacket(now, *packet);
		}
	}
	rearm();
}

void VrrpSide::rearm()
{
	std::optional<vrrp::TimePoint> next;
	for (auto &[name, r] : routers_)
		if (auto at = r.router->deadline(); at && (!next || *at < *next))
			next = at;
	if (!next) {
		timer_.cancel();
		return;
	}
	timer_.expires_at(*next);
	timer_.async_wait([this](const boost::system::error_code &error) {
		if (!error)
			onTimer();
	});
}

void VrrpSide::onTimer()
{
	const auto now = Clock::now();
	for (auto &[name, r] : routers_)
		if (auto at = r.router->deadline(); at && *at <= now)
			r.router->onTimer(now);
	rearm();
}

void VrrpSide::applyTracking()
{
	const auto now = Clock::now();
	for (auto &[name, r] : routers_) {
		auto result = vrrp::evaluateTracking(r.config, config_.vrrp, trackers_.states());
		const bool wasFault = r.router->state() == vrrp::State::kFault;
		if (result.fault && !wasFault)
			for (const auto &why : result.faultReasons)
				log_->info("({}) {}", name, why);
		const int before = r.router->priority();
		r.router->setTracking(now, result.weight, result.fault);
		if (r.router->priority() != before)
			log_->info("({}) Changing effective priority from {} to {}", name, before,
			           r.router->priority());
	}
	rearm();
}

void VrrpSide::logReports(const std::vector<reconcile::AddressReport> &reports)
{
	for (const auto &report : reports) {
		if (!report.ok())
			log_->error("{}", report.str());
		else if (report.action == reconcile::AddressReport::Action::kForeign)
			log_->warn("{}", report.str());
		else if (report.action == reconcile::AddressReport::Action::kAdopt)
			log_->info("{} (left by an earlier run)", report.str());
		else
			log_->debug("{}", report.str());
	}
}

VrrpSide::Router *VrrpSide::find(const vrrp::VirtualRouter &router)
{
	auto it = routers_.find(router.name());
	return it != routers_.end() && it->second.router.get() == &router ? &it->second : nullptr;
}

void VrrpSide::stateChanged(vrrp::VirtualRouter &router, vrrp::State from, vrrp::State to)
{
	const auto &name = router.name();
	if (to == vrrp::State::kStopped)
		log_->info("({}) Stopping", name);
	else
		log_->info("({}) Entering {} STATE", name, vrrp::stateName(to));
	Router *r = find(router);
	const config::VrrpInstance *vi = r ? &r->config : config_.vrrp.findInstance(name);
	if (r)
		r->lastTransition =
		        std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();

	// VIPs belong to the MASTER only.
	std::vector<config::VirtualAddress> want;
	if (to == vrrp::State::kMaster && vi)
		want = masterAddresses(*vi);
	// From INIT: addresses adopted from an earlier run go unless MASTER.
	const bool kept = to == vrrp::State::kStopped && keepVips_;
	if (!kept && (to == vrrp::State::kMaster || from == vrrp::State::kMaster || from == vrrp::State::kInit))
		logReports(vips_.sync(name, want));

	if (vi)
		notifier_.instance(*vi, to, router.priority());

	// A sync group moves together: the first member's change decides.
	if (!vi || vi->syncGroup.empty() || forcing_ || to == vrrp::State::kStopped)
		return;
	const auto *group = config_.vrrp.findSyncGroup(vi->syncGroup);
	if (!group)
		return;
	forcing_ = true;
	const auto now = Clock::now();
	for (const auto &member : group->members)
		if (auto it = routers_.find(member); member != name && it != routers_.end() && it->second.router)
			it->second.router->forceState(now, to);
	forcing_ = false;
	notifier_.group(*group, to);
}

void VrrpSide::sendGarp(vrrp::VirtualRouter &router, int count)
{
	Router *r = find(router);
	if (!r)
		return;
	auto socket = garpSockets_.find(r->ifindex);
	if (socket == garpSockets_.end()) {
		auto opened = vrrp::GarpSocket::open(r->ifindex);
		if (!opened) {
			log_->error("({}) cannot send gratuitous ARP: {}", router.name(), opened.error());
			return;
		}
		socket = garpSockets_.emplace(r->ifindex, std::move(*opened)).first;
	}
	// Every address the MASTER holds is announced, the excluded ones too.
	std::vector<config::IpAddress> addresses;
	for (const auto *list : {&r->config.vips, &r->config.excludedVips})
		for (const auto &vip : *list)
			addresses.push_back(vip.prefix.address);
	for (int i = 0; i < count; ++i) {
		for (const auto &address : addresses) {
			auto frame = address.isV4() ? vrrp::encodeGratuitousArp(r->mac, address)
			                            // From the VIP itself, as keepalived sends it.
			                            : vrrp::encodeUnsolicitedNeighbourAdvert(r->mac, address, address);
			if (auto sent = socket->second.send(frame); !sent) {
				log_->error("({}) gratuitous ARP for {}: {}", router.name(), address.str(),
				            sent.error());
				return;
			}
		}
	}
}

void VrrpSide::dropped(vrrp::VirtualRouter &router, vrrp::DropReason reason, const vrrp::PacketMeta &meta)
{
	// At most one line a second; the others are counted into it.
	const auto now = Clock::now();
	if (now - lastDropLog_ < std::chrono::seconds(1)) {
		++unloggedDrops_;
		return;
	}
	lastDropLog_ = now;
	if (unloggedDrops_)
		log_->warn("({}) dropped an advertisement from {}: {} ({} more dropped since the last report)",
		           router.name(), meta.source.str(), vrrp::dropReasonText(reason), unloggedDrops_);
	else
		log_->warn("({}) dropped an advertisement from {}: {}", router.name(), meta.source.str(),
		           vrrp::dropReasonText(reason));
	unloggedDrops_ = 0;
}

void VrrpSide::sendFailed(vrrp::VirtualRouter &router, const std::string &error)
{
	log_->error("({}) cannot send its advertisement: {}", router.name(), error);
}

void VrrpSide::stop(bool keepVips)
{
	keepVips_ = keepVips;
	const auto now = Clock::now();
	for (auto &[name, r] : routers_)
		if (r.router)
			r.router->stop(now);
	timer_.cancel();
	trackers_.stop();
	if (!keepVips)
		logReports(vips_.releaseAll());
	routers_.clear();
	sockets_.clear();
}

} // namespace vigil::daemon
