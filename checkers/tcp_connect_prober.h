#pragma once

// TCP_CHECK's probes, all of them in one place: a non-blocking connect per
// probe, its completion read from an epoll set of the prober's own (itself
// one descriptor on the daemon's loop) and its deadline from one queue per
// timeout value under one timer. A probe costs socket, connect, one
// epoll_ctl, getsockopt and close, and no allocation once the slots have
// grown: TCP_CHECK runs thousands of times a second, and Asio's general
// socket (a registration, an ioctl, a poll, a timer and several handlers
// per probe) made vigil spend about three times keepalived's user time per
// check (bench/README.md). What the real server sees is unchanged: a
// connection, then a close.

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <vector>

#include "checkers/probe.h"
#include "checkers/probe_slots.h"
#include "src/config/lvs/lvs.h"

namespace vigil::checkers {

// One connect in flight.
struct TcpConnectProbe {
	int fd = -1;
	ProbeTransport::Done done;
	ProbeResult early; // a failure found inside start(), reported from the loop
};

class TcpConnectProber final : public SlotProber<TcpConnectProbe>
{
public:
	using Clock = std::chrono::steady_clock;

	explicit TcpConnectProber(boost::asio::io_context &io);
	~TcpConnectProber();
	TcpConnectProber(const TcpConnectProber &) = delete;
	TcpConnectProber &operator=(const TcpConnectProber &) = delete;

	// Connects to address:port with the endpoint's socket options. `done`
	// gets "pass" once the connection is established, else the reason, or
	// "timeout after N ms (connect)" when `timeout` passes first; it is
	// called from the loop, never inside start(), unless cancel() comes
	// first.
	Handle start(const config::IpAddress &address, std::uint16_t port, const config::CheckerEndpoint &options,
	             std::chrono::milliseconds timeout, ProbeTransport::Done done);

private:
	using Probe = TcpConnectProbe;
	struct Deadline {
		Clock::time_point at;
		Handle handle;
	};
	// Deadlines of probes with one timeout value, in the order they were
	// started, which is the order they fall due.
	struct DeadlineQueue {
		std::chrono::milliseconds timeout;
		std::deque<Deadline> entries;
	};

	// Closes the socket, which also takes it out of the epoll set.
	void cleanUp(Probe &probe) override;
	// Reads every completion the epoll set holds, without waiting.
	void harvest();
	void waitForCompletions();
	void onDeadline();
	void armTimer();

	boost::asio::posix::stream_descriptor epoll_;
	boost::asio::steady_timer timer_;
	std::vector<DeadlineQueue> deadlines_;
	std::optional<Clock::time_point> armedFor_;
};

} // namespace vigil::checkers
