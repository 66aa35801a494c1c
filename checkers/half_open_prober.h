#pragma once

// TCP_CHECK with vigil's `half_open`: the check learns whether the server
// listens from the first two segments of a handshake instead of a whole
// connection. A SYN goes out of a raw socket; the server's kernel answers
// SYN-ACK when something listens with room in its queue (exactly when a
// connect would succeed) or RST when nothing does, and our kernel, having
// no connection on that port, resets the half-open one itself. Nothing is
// accepted on the server, so its application never sees the check (no
// accept, no FIN, no TIME_WAIT; MySQL does not count it against
// max_connect_errors), and a check costs about half the CPU of a connect
// and close (bench/README.md).
//
// The source ports are a small pool, each held by a bound TCP socket that
// never listens or connects: the kernel then neither hands the port to
// anyone else nor accepts the server's SYN-ACK, and resets it. A BPF
// filter on each raw socket lets through only segments to those ports.
// A SYN unanswered is sent again after 1 s and 3 s, as the kernel's
// connect does, until the timeout. Needs CAP_NET_RAW; the checker's
// bindto, bind_port, bind_if and fwmark are not applied (the transport
// connects instead when one is set). An ICMP unreachable is not read:
// such a server fails at the timeout rather than at once. The kernel hands
// a raw socket a copy of every TCP segment the host receives before its
// filter drops the ones not ours: the host's own TCP traffic pays a clone
// each (IPVS takes the traffic it balances at LOCAL_IN, before raw sockets
// see it).

#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "checkers/probe.h"
#include "checkers/probe_slots.h"
#include "src/config/ip_address.h"

namespace vigil::checkers {

// A flow: the server's address and port, and our port.
struct HalfOpenFlow {
	std::array<std::uint8_t, 16> address{};
	std::uint16_t port = 0;
	std::uint16_t localPort = 0;
	int family = 0;
	bool operator==(const HalfOpenFlow &) const = default;
};

// One SYN in flight (and the ones sent again).
struct HalfOpenProbe {
	HalfOpenFlow flow;
	std::array<std::uint8_t, 16> source{}; // ours, for the IPv4 checksum
	std::uint32_t sequence = 0;
	std::chrono::milliseconds timeout{0};
	std::chrono::steady_clock::time_point deadline;
	int sent = 0;
	bool inFlows = false;
	ProbeTransport::Done done;
	ProbeResult early;
};

class HalfOpenProber final : public SlotProber<HalfOpenProbe>
{
public:
	using Clock = std::chrono::steady_clock;

	// `ports`: the source ports reserved per address family, at first use.
	explicit HalfOpenProber(boost::asio::io_context &io, std::size_t ports = 32);
	~HalfOpenProber();
	HalfOpenProber(const HalfOpenProber &) = delete;
	HalfOpenProber &operator=(const HalfOpenProber &) = delete;

	// `done` gets "pass" on a SYN-ACK, "Connection refused" on a RST,
	// "timeout after N ms (connect)", or why the SYN could not be sent;
	// from the loop, never inside start(), unless cancel() comes first.
	Handle start(const config::IpAddress &address, std::uint16_t port, std::chrono::milliseconds timeout,
	             ProbeTransport::Done done);

private:
	using Probe = HalfOpenProbe;
	using FlowKey = HalfOpenFlow;
	// A raw socket and its reserved ports, for IPv4 or IPv6.
	struct Family {
		int family = 0;
		bool tried = false;
		std::string error; // why it could not be set up
		int raw = -1;
		std::unique_ptr<boost::asio::posix::stream_descriptor> watch;
		std::vector<int> holders; // the bound sockets that keep the ports
		std::vector<std::uint16_t> ports;
		std::size_t nextPort = 0;
	};
	struct FlowHash {
		std::size_t operator()(const FlowKey &k) const noexcept;
	};
	// A moment something is due for a probe: a retransmission or its
	// deadline. Entries of finished probes are dropped when they come up.
	struct Event {
		Clock::time_point at;
		Handle handle;
		bool operator<(const Event &o) const { return at > o.at; } // earliest on top
	};

	Family &setUp(int family);
	std::optional<std::array<std::uint8_t, 4>> sourceFor(const std::array<std::uint8_t, 16> &remote);
	bool send(Probe &probe);
	void watch(Family &family);
	void readAnswers(Family &family);
	// Takes the probe's flow out of the table.
	void cleanUp(Probe &probe) override;
	void schedule(Clock::time_point at, Handle handle);
	void armTimer();
	void onTimer();

	std::size_t portCount_;
	Family v4_, v6_;
	int route_ = -1; // a UDP socket: connect() + getsockname() give the source address
	std::unordered_map<std::uint32_t, std::pair<std::array<std::uint8_t, 4>, Clock::time_point>> sources_;
	std::unordered_map<FlowKey, Handle, FlowHash> flows_;
	std::vector<Event> events_; // a heap
	boost::asio::steady_timer timer_;
	std::optional<Clock::time_point> armedFor_;
	std::uint32_t nextSequence_;
};

} // namespace vigil::checkers
