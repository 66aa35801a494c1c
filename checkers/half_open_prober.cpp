#include "checkers/half_open_prober.h"

#include <algorithm>
#include <boost/asio/post.hpp>
#include <cerrno>
#include <cstring>
#include <fmt/format.h>
#include <linux/filter.h>
#include <netinet/in.h>
#include <random>
#include <sys/socket.h>
#include <unistd.h>

#include "checkers/tcp_segment.h"
#include "common/random_seed.h"

namespace vigil::checkers {
namespace {

namespace asio = boost::asio;

// What the kernel's connect does: the SYN again after 1 s, then after
// 2 s more, doubling.
constexpr std::chrono::seconds kFirstRetransmission{1};
// The MSS we announce: the SYN looks like any client's.
constexpr std::uint16_t kMss = 1460;
constexpr std::chrono::seconds kSourceLifetime{60};
constexpr int kReceiveBuffer = 8 << 20;

// Lets through only TCP segments to one of `ports`: on an IPv4 raw socket
// the packet starts with the IP header (the port is after its variable
// length), on an IPv6 one with the TCP header.
std::vector<sock_filter> portFilter(bool ipHeader, const std::vector<std::uint16_t> &ports)
{
	std::vector<sock_filter> prog;
	if (ipHeader) {
		prog.push_back(BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 0)); // x = header length
		prog.push_back(BPF_STMT(BPF_LD | BPF_H | BPF_IND, 2));  // destination port
	} else {
		prog.push_back(BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 2));
	}
	const std::size_t n = ports.size();
	for (std::size_t i = 0; i < n; ++i)
		prog.push_back(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ports[i], static_cast<std::uint8_t>(n - i), 0));
	prog.push_back(BPF_STMT(BPF_RET | BPF_K, 0));      // not ours: dropped
	prog.push_back(BPF_STMT(BPF_RET | BPF_K, 0xffff)); // ours
	return prog;
}

std::string timeoutDetail(std::chrono::milliseconds timeout)
{
	return fmt::format("timeout after {} ms (connect)", timeout.count());
}

} // namespace

std::size_t HalfOpenProber::FlowHash::operator()(const FlowKey &k) const noexcept
{
	std::uint64_t h = static_cast<std::uint64_t>(k.family) << 32 | std::uint64_t{k.port} << 16 | k.localPort;
	for (std::size_t i = 0; i < k.address.size(); i += 8) {
		std::uint64_t word;
		std::memcpy(&word, k.address.data() + i, 8);
		h ^= word + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
	}
	return h;
}

HalfOpenProber::HalfOpenProber(asio::io_context &io, std::size_t ports)
        : SlotProber(io), portCount_(std::clamp<std::size_t>(ports, 1, 64)), timer_(io),
          nextSequence_(static_cast<std::uint32_t>(nonBlockingSeed()))
{
	v4_.family = AF_INET;
	v6_.family = AF_INET6;
}

HalfOpenProber::~HalfOpenProber()
{
	for (Family *f : {&v4_, &v6_})
		for (int fd : f->holders)
			::close(fd);
	if (route_ >= 0)
		::close(route_);
}

HalfOpenProber::Family &HalfOpenProber::setUp(int family)
{
	Family &f = family == AF_INET6 ? v6_ : v4_;
	if (f.tried)
		return f;
	f.tried = true;
	auto fail = [&f](std::string what, int error) -> Family & {
		f.error = fmt::format("half_open: {}: {}{}", what, std::strerror(error),
		                      error == EPERM ? " (a raw socket needs CAP_NET_RAW)" : "");
		return f;
	};
	int raw = ::socket(family, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);
	if (raw < 0)
		return fail("raw socket", errno);
	// Owned from here on: closed with the descriptor object.
	f.watch = std::make_unique<asio::posix::stream_descriptor>(io_, raw);
	// Room for the answers of every probe in flight while the loop is
	// busy: at thousands of checks a second in the test VM the default
	// (about 200 answers' worth) overflowed, and dropped SYN-ACKs became
	// timeouts of healthy servers. Root gets past rmem_max with FORCE.
	if (::setsockopt(raw, SOL_SOCKET, SO_RCVBUFFORCE, &kReceiveBuffer, sizeof kReceiveBuffer) != 0)
		::setsockopt(raw, SOL_SOCKET, SO_RCVBUF, &kReceiveBuffer, sizeof kReceiveBuffer);
	if (family == AF_INET6) {
		int offset = 16; // the kernel computes and checks the TCP checksum
		if (::setsockopt(raw, IPPROTO_IPV6, IPV6_CHECKSUM, &offset, sizeof offset) != 0)
			return fail("IPV6_CHECKSUM", errno);
	}
	for (std::size_t i = 0; i < portCount_; ++i) {
		int holder = ::socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (holder < 0)
			return fail("port holder socket", errno);
		f.holders.push_back(holder);
		sockaddr_storage local{};
		socklen_t length;
		if (family == AF_INET6) {
			int one = 1;
			::setsockopt(holder, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
			reinterpret_cast<sockaddr_in6 &>(local).sin6_family = AF_INET6;
			length = sizeof(sockaddr_in6);
		} else {
			reinterpret_cast<sockaddr_in &>(local).sin_family = AF_INET;
			length = sizeof(sockaddr_in);
		}
		if (::bind(holder, reinterpret_cast<sockaddr *>(&local), length) != 0 ||
		    ::getsockname(holder, reinterpret_cast<sockaddr *>(&local), &length) != 0)
			return fail("reserving a source port", errno);
		f.ports.push_back(ntohs(family == AF_INET6 ? reinterpret_cast<sockaddr_in6 &>(local).sin6_port
		                                           : reinterpret_cast<sockaddr_in &>(local).sin_port));
	}
	auto prog = portFilter(family == AF_INET, f.ports);
	sock_fprog fprog{static_cast<unsigned short>(prog.size()), prog.data()};
	if (::setsockopt(raw, SOL_SOCKET, SO_ATTACH_FILTER, &fprog, sizeof fprog) != 0)
		return fail("SO_ATTACH_FILTER", errno);
	// Whatever arrived before the filter was attached is not ours.
	std::array<std::uint8_t, 512> discard;
	while (::recv(raw, discard.data(), discard.size(), 0) > 0) {
	}
	f.raw = raw;
	watch(f);
	return f;
}

void HalfOpenProber::watch(Family &family)
{
	family.watch->async_wait(
	        asio::posix::stream_descriptor::wait_read,
	        [alive = std::weak_ptr<bool>(alive_), this, f = &family](const boost::system::error_code &e) {
		        if (e || alive.expired())
			        return;
		        // Waiting again before reading, as
		        // TcpConnectProber does (edge-triggered).
		        watch(*f);
		        readAnswers(*f);
	        });
}

std::optional<std::array<std::uint8_t, 4>> HalfOpenProber::sourceFor(const std::array<std::uint8_t, 16> &remote)
{
	std::uint32_t key;
	std::memcpy(&key, remote.data(), 4);
	const auto now = Clock::now();
	if (auto it = sources_.find(key); it != sources_.end() && it->second.second > now)
		return it->second.first;
	// The address the kernel picks for this destination: a connected UDP
	// socket is given it at once, and sends nothing.
	if (route_ < 0 && (route_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0)
		return std::nullopt;
	sockaddr_in to{};
	to.sin_family = AF_INET;
	to.sin_port = htons(9);
	std::memcpy(&to.sin_addr, remote.data(), 4);
	sockaddr_in local{};
	socklen_t length = sizeof local;
	if (::connect(route_, reinterpret_cast<sockaddr *>(&to), sizeof to) != 0 ||
	    ::getsockname(route_, reinterpret_cast<sockaddr *>(&local), &length) != 0)
		return std::nullopt;
	std::array<std::uint8_t, 4> source;
	std::memcpy(source.data(), &local.sin_addr, 4);
	sources_[key] = {source, now + kSourceLifetime};
	return source;
}

bool HalfOpenProber::send(Probe &probe)
{
	const bool v6 = probe.flow.family == AF_INET6;
	const std::size_t length = v6 ? 16 : 4;
	auto syn = encodeSyn(std::span(probe.source).first(length), std::span(probe.flow.address).first(length),
	                     probe.flow.localPort, probe.flow.port, probe.sequence, kMss);
	sockaddr_storage to{};
	socklen_t toLength;
	if (v6) {
		syn[16] = syn[17] = 0; // the kernel fills it in (IPV6_CHECKSUM)
		auto &in6 = reinterpret_cast<sockaddr_in6 &>(to);
		in6.sin6_family = AF_INET6;
		std::memcpy(&in6.sin6_addr, probe.flow.address.data(), 16);
		toLength = sizeof in6;
	} else {
		auto &in4 = reinterpret_cast<sockaddr_in &>(to);
		in4.sin_family = AF_INET;
		std::memcpy(&in4.sin_addr, probe.flow.address.data(), 4);
		toLength = sizeof in4;
	}
	const int raw = v6 ? v6_.raw : v4_.raw;
	++probe.sent;
	if (::sendto(raw, syn.data(), syn.size(), 0, reinterpret_cast<sockaddr *>(&to), toLength) >= 0)
		return true;
	// A full send queue loses this SYN as a network would: it goes again.
	return errno == EAGAIN || errno == ENOBUFS;
}

HalfOpenProber::Handle HalfOpenProber::start(const config::IpAddress &address, std::uint16_t port,
                                             std::chrono::milliseconds timeout, ProbeTransport::Done done)
{
	auto [handle, probe] = probes_.acquire();
	probe.done = std::move(done);
	probe.timeout = timeout;
	Family &family = setUp(address.isV6() ? AF_INET6 : AF_INET);
	if (family.raw < 0)
		return postEarly(handle, ProbeResult::fail(family.error));
	probe.flow.family = family.family;
	probe.flow.address = address.bytes;
	probe.flow.port = port;
	// A source port no probe to this server is using.
	for (std::size_t tries = 0;; ++tries) {
		if (tries == family.ports.size())
			return postEarly(handle,
			                 ProbeResult::fail("half_open: every source port is busy with this server"));
		probe.flow.localPort = family.ports[family.nextPort++ % family.ports.size()];
		if (!flows_.contains(probe.flow))
			break;
	}
	flows_.emplace(probe.flow, handle);
	probe.inFlows = true;
	if (family.family == AF_INET) {
		auto source = sourceFor(probe.flow.address);
		if (!source)
			return postEarly(handle, ProbeResult::fail(std::strerror(errno)));
		std::copy(source->begin(), source->end(), probe.source.begin());
	}
	// Numbers far apart, so that an answer to an earlier SYN of the same
	// flow is not taken for this one's.
	nextSequence_ += 0x9e3779b9u;
	probe.sequence = nextSequence_;
	const auto now = Clock::now();
	probe.deadline = now + timeout;
	if (!send(probe))
		return postEarly(handle, ProbeResult::fail(std::strerror(errno)));
	schedule(std::min(now + kFirstRetransmission, probe.deadline), handle);
	return handle;
}

void HalfOpenProber::cleanUp(Probe &probe)
{
	if (probe.inFlows)
		flows_.erase(probe.flow);
}

void HalfOpenProber::readAnswers(Family &family)
{
	std::weak_ptr<bool> alive = alive_;
	std::array<std::uint8_t, 512> buffer;
	for (;;) {
		sockaddr_in6 from{};
		socklen_t fromLength = sizeof from;
		const ssize_t n = ::recvfrom(family.raw, buffer.data(), buffer.size(), 0,
		                             reinterpret_cast<sockaddr *>(&from), &fromLength);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return; // EAGAIN: all read
		}
		const auto packet = std::span<const std::uint8_t>(buffer.data(), static_cast<std::size_t>(n));
		FlowKey key;
		key.family = family.family;
		std::optional<TcpAnswer> answer;
		if (family.family == AF_INET) {
			std::array<std::uint8_t, 4> source;
			answer = decodeIpv4Tcp(packet, source);
			std::copy(source.begin(), source.end(), key.address.begin());
		} else {
			answer = decodeTcpHeader(packet);
			std::memcpy(key.address.data(), &from.sin6_addr, 16);
		}
		if (!answer)
			continue;
		key.port = answer->sourcePort;
		key.localPort = answer->destinationPort;
		auto it = flows_.find(key);
		if (it == flows_.end())
			continue;
		const Handle handle = it->second;
		switch (judge(*answer, probes_.find(handle)->sequence)) {
		case Verdict::kListening:
			finish(handle, ProbeResult::pass());
			break;
		case Verdict::kRefused:
			finish(handle, ProbeResult::fail("Connection refused"));
			break;
		case Verdict::kNotOurs:
			continue;
		}
		if (alive.expired())
			return;
	}
}

void HalfOpenProber::schedule(Clock::time_point at, Handle handle)
{
	events_.push_back({at, handle});
	std::push_heap(events_.begin(), events_.end());
	if (!armedFor_ || at < *armedFor_)
		armTimer();
}

void HalfOpenProber::armTimer()
{
	if (events_.empty())
		return;
	const auto at = events_.front().at;
	if (armedFor_ == at)
		return;
	armedFor_ = at;
	timer_.expires_at(at);
	timer_.async_wait([alive = std::weak_ptr<bool>(alive_), this](const boost::system::error_code &error) {
		if (error || alive.expired())
			return;
		armedFor_.reset();
		onTimer();
	});
}

void HalfOpenProber::onTimer()
{
	std::weak_ptr<bool> alive = alive_;
	// An answer that came while the loop was late counts, not the timeout.
	for (Family *f : {&v4_, &v6_}) {
		if (f->raw >= 0)
			readAnswers(*f);
		if (alive.expired())
			return;
	}
	const auto now = Clock::now();
	while (!events_.empty() && events_.front().at <= now) {
		const Event event = events_.front();
		std::pop_heap(events_.begin(), events_.end());
		events_.pop_back();
		Probe *probe = probes_.find(event.handle);
		if (!probe)
			continue; // answered or cancelled since
		if (now >= probe->deadline) {
			finish(event.handle, ProbeResult::fail(timeoutDetail(probe->timeout)));
			if (alive.expired())
				return;
			continue;
		}
		// Unanswered: again, and the next one twice as late.
		const auto started = probe->deadline - probe->timeout;
		if (!send(*probe)) {
			finish(event.handle, ProbeResult::fail(std::strerror(errno)));
			if (alive.expired())
				return;
			continue;
		}
		const auto next = started + kFirstRetransmission * ((1 << probe->sent) - 1);
		events_.push_back({std::min(next, probe->deadline), event.handle});
		std::push_heap(events_.begin(), events_.end());
	}
	armTimer();
}

} // namespace vigil::checkers
