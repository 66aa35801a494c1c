#include "checkers/tcp_connect_prober.h"

#include <algorithm>
#include <boost/asio/post.hpp>
#include <cerrno>
#include <cstring>
#include <fmt/format.h>
#include <stdexcept>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <system_error>
#include <unistd.h>

#include "checkers/probe_socket.h"

namespace vigil::checkers {
namespace {

namespace asio = boost::asio;

constexpr int kEventsPerRead = 256;

int openEpoll()
{
	int fd = ::epoll_create1(EPOLL_CLOEXEC);
	if (fd < 0)
		throw std::system_error(errno, std::generic_category(), "epoll_create1 for TCP_CHECK probes");
	return fd;
}

} // namespace

TcpConnectProber::TcpConnectProber(asio::io_context &io) : SlotProber(io), epoll_(io, openEpoll()), timer_(io)
{
	waitForCompletions();
}

TcpConnectProber::~TcpConnectProber()
{
	probes_.forEachLive([](Probe &probe) {
		if (probe.fd >= 0)
			::close(probe.fd);
	});
}

TcpConnectProber::Handle TcpConnectProber::start(const config::IpAddress &address, std::uint16_t port,
                                                 const config::CheckerEndpoint &options,
                                                 std::chrono::milliseconds timeout, ProbeTransport::Done done)
{
	auto [handle, probe] = probes_.acquire();
	probe.done = std::move(done);

	auto early = [&](ProbeResult result) { return postEarly(handle, std::move(result)); };
	const int family = address.isV6() ? AF_INET6 : AF_INET;
	probe.fd = ::socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);
	if (probe.fd < 0)
		return early(ProbeResult::fail(fmt::format("socket: {}", std::strerror(errno))));
	if (auto applied = applyEndpointOptions(probe.fd, family, options); !applied)
		return early(ProbeResult::fail(applied.error()));
	const SocketAddress remote = socketAddress(address, port);
	if (::connect(probe.fd, remote.get(), remote.length) == 0)
		return early(ProbeResult::pass());
	if (errno != EINPROGRESS)
		return early(ProbeResult::fail(std::strerror(errno)));
	epoll_event event{};
	event.events = EPOLLOUT;
	event.data.u64 = handle;
	if (::epoll_ctl(epoll_.native_handle(), EPOLL_CTL_ADD, probe.fd, &event) != 0)
		return early(ProbeResult::fail(fmt::format("epoll_ctl: {}", std::strerror(errno))));

	const auto at = Clock::now() + timeout;
	auto queue = std::find_if(deadlines_.begin(), deadlines_.end(),
	                          [&](const DeadlineQueue &q) { return q.timeout == timeout; });
	if (queue == deadlines_.end())
		queue = deadlines_.insert(deadlines_.end(), DeadlineQueue{timeout, {}});
	queue->entries.push_back({at, handle});
	if (!armedFor_ || at < *armedFor_)
		armTimer();
	return handle;
}

void TcpConnectProber::cleanUp(Probe &probe)
{
	if (probe.fd >= 0)
		::close(probe.fd); // also leaves the epoll set
}

void TcpConnectProber::waitForCompletions()
{
	epoll_.async_wait(asio::posix::stream_descriptor::wait_read,
	                  [alive = std::weak_ptr<bool>(alive_), this](const boost::system::error_code &error) {
		                  if (error || alive.expired())
			                  return;
		                  // Waiting again before reading: Asio watches the
		                  // epoll descriptor edge-triggered, so a completion
		                  // that arrives while this one reads makes a new edge
		                  // for the new wait, and none is left unread.
		                  waitForCompletions();
		                  harvest();
	                  });
}

void TcpConnectProber::harvest()
{
	std::weak_ptr<bool> alive = alive_;
	epoll_event events[kEventsPerRead];
	for (;;) {
		const int n = ::epoll_wait(epoll_.native_handle(), events, kEventsPerRead, 0);
		if (n < 0 && errno == EINTR)
			continue;
		for (int i = 0; i < n; ++i) {
			const Handle handle = events[i].data.u64;
			Probe *probe = probes_.find(handle);
			if (!probe)
				continue; // cancelled or finished by an earlier callback of this batch
			int error = 0;
			socklen_t length = sizeof error;
			if (::getsockopt(probe->fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0)
				error = errno;
			if (error)
				finish(handle, ProbeResult::fail(std::strerror(error)));
			else if (events[i].events & EPOLLOUT)
				finish(handle, ProbeResult::pass());
			else
				finish(handle, ProbeResult::fail("connection closed"));
			if (alive.expired())
				return;
		}
		if (n < kEventsPerRead)
			return;
	}
}

void TcpConnectProber::armTimer()
{
	std::optional<Clock::time_point> earliest;
	for (const auto &queue : deadlines_)
		if (!queue.entries.empty() && (!earliest || queue.entries.front().at < *earliest))
			earliest = queue.entries.front().at;
	if (!earliest || earliest == armedFor_)
		return;
	armedFor_ = earliest;
	timer_.expires_at(*earliest);
	timer_.async_wait([alive = std::weak_ptr<bool>(alive_), this](const boost::system::error_code &error) {
		if (error || alive.expired())
			return;
		armedFor_.reset();
		onDeadline();
	});
}

void TcpConnectProber::onDeadline()
{
	std::weak_ptr<bool> alive = alive_;
	// The loop can be late (thousands of checks a second on a slow
	// machine): a connect that completed while its deadline waited its
	// turn is a pass, not a timeout.
	harvest();
	if (alive.expired())
		return;
	const auto now = Clock::now();
	// By index: a callback may start probes with a new timeout value.
	for (std::size_t q = 0; q < deadlines_.size(); ++q) {
		while (!deadlines_[q].entries.empty()) {
			const Deadline entry = deadlines_[q].entries.front();
			const bool live = probes_.find(entry.handle) != nullptr;
			if (live && entry.at > now)
				break;
			deadlines_[q].entries.pop_front(); // due, or already finished
			if (!live)
				continue;
			finish(entry.handle, ProbeResult::fail(fmt::format("timeout after {} ms (connect)",
			                                                   deadlines_[q].timeout.count())));
			if (alive.expired())
				return;
		}
	}
	armTimer();
}

} // namespace vigil::checkers
