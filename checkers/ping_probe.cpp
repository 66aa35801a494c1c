// PING_CHECK: one ICMP (or ICMPv6) echo request; up when the matching
// echo reply arrives before connect_timeout. An unprivileged ping socket
// (SOCK_DGRAM, allowed by net.ipv4.ping_group_range) is tried first: the
// kernel then owns the identifier and delivers only our replies. When the
// range excludes us the kernel refuses it and a raw socket is used, which
// sees every ICMP message, so replies are matched on identifier, sequence
// and payload.

#include <algorithm>
#include <array>
#include <boost/asio/generic/datagram_protocol.hpp>
#include <boost/asio/ip/udp.hpp>
#include <cerrno>
#include <cstring>
#include <fmt/format.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "checkers/icmp_echo.h"
#include "checkers/probe_context.h"
#include "checkers/probe_socket.h"

namespace vigil::checkers {
namespace {

namespace asio = boost::asio;

constexpr std::size_t kCookie = 16;

class PingSession final : public TimedSession
{
public:
	PingSession(ProbeContext &context, const ProbeRequest &request)
	        : TimedSession(context.io, request.timeout), socket_(context.io), remote_(toAsio(request.address)),
	          options_(request.checker.endpoint)
	{
	}

	void start(ProbeTransport::Done done) override
	{
		begin(std::move(done));
		if (auto opened = open(); !opened) {
			finish(ProbeResult::fail(opened.error()));
			return;
		}
		identifier_ = randomU16();
		sequence_ = randomU16();
		cookie_ = randomBytes(kCookie);
		request_ = encodeEchoRequest(v6(), identifier_, sequence_, cookie_);
		setStage("write");
		auto self = shared_from_this();
		socket_.async_send(
		        asio::buffer(request_), [this, self](const boost::system::error_code &error, std::size_t) {
			        if (finished())
				        return;
			        if (error) {
				        finish(ProbeResult::fail(
				                fmt::format("failed to send echo request: {}", error.message())));
				        return;
			        }
			        setStage("echo reply");
			        receive();
		        });
	}

private:
	bool v6() const { return remote_.is_v6(); }

	std::expected<void, std::string> open()
	{
		const int family = v6() ? AF_INET6 : AF_INET;
		const int protocol = v6() ? static_cast<int>(IPPROTO_ICMPV6) : static_cast<int>(IPPROTO_ICMP);
		int fd = ::socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol);
		if (fd < 0 && (errno == EACCES || errno == EPERM)) {
			fd = ::socket(family, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol);
			raw_ = true;
		}
		if (fd < 0)
			return std::unexpected(fmt::format("ICMP socket: {}", std::strerror(errno)));
		boost::system::error_code error;
		socket_.assign(asio::generic::datagram_protocol(family, protocol), fd, error);
		if (error) {
			::close(fd);
			return std::unexpected(fmt::format("ICMP socket: {}", error.message()));
		}
		if (!options_.bindIf.empty() && ::setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, options_.bindIf.c_str(),
		                                             static_cast<socklen_t>(options_.bindIf.size())) != 0)
			return std::unexpected(fmt::format("bind_if {}: {}", options_.bindIf, std::strerror(errno)));
		if (options_.fwmark) {
			int mark = static_cast<int>(*options_.fwmark);
			if (::setsockopt(fd, SOL_SOCKET, SO_MARK, &mark, sizeof mark) != 0)
				return std::unexpected(
				        fmt::format("fwmark {}: {}", *options_.fwmark, std::strerror(errno)));
		}
		if (options_.bindTo) {
			auto local = toAsio(*options_.bindTo);
			if (local.is_v6() && !options_.bindIf.empty() && local.to_v6().is_link_local()) {
				auto scoped = local.to_v6();
				scoped.scope_id(::if_nametoindex(options_.bindIf.c_str()));
				local = scoped;
			}
			// A udp endpoint is only a sockaddr here; port 0 lets a ping
			// socket pick its identifier.
			asio::ip::udp::endpoint at(local, 0);
			if (::bind(fd, at.data(), static_cast<socklen_t>(at.size())) != 0)
				return std::unexpected(
				        fmt::format("bind to [{}]: {}", local.to_string(), std::strerror(errno)));
		}
		asio::ip::udp::endpoint to(remote_, 0);
		if (::connect(fd, to.data(), static_cast<socklen_t>(to.size())) != 0)
			return std::unexpected(fmt::format("connect: {}", std::strerror(errno)));
		return {};
	}

	void receive()
	{
		auto self = shared_from_this();
		socket_.async_receive(asio::buffer(buffer_), [this, self](const boost::system::error_code &error,
		                                                          std::size_t size) {
			if (finished())
				return;
			if (error) {
				finish(ProbeResult::fail(error.message()));
				return;
			}
			auto reply = decodeEchoReply(v6(), raw_ && !v6(),
			                             std::span<const std::uint8_t>(buffer_.data(), size));
			// A ping socket's identifier is the kernel's, not ours, and it
			// only delivers replies carrying it.
			if (reply && reply->sequence == sequence_ && (!raw_ || reply->identifier == identifier_) &&
			    std::ranges::equal(reply->payload, cookie_)) {
				finish(ProbeResult::pass());
				return;
			}
			receive();
		});
	}

	void closeAll() override
	{
		boost::system::error_code ignored;
		socket_.close(ignored);
	}

	asio::generic::datagram_protocol::socket socket_;
	asio::ip::address remote_;
	config::CheckerEndpoint options_;
	bool raw_ = false;
	std::uint16_t identifier_ = 0;
	std::uint16_t sequence_ = 0;
	std::vector<std::uint8_t> cookie_;
	std::vector<std::uint8_t> request_;
	std::array<std::uint8_t, 2048> buffer_{};
};

} // namespace

std::shared_ptr<ProbeSession> makePingSession(ProbeContext &context, const ProbeRequest &request)
{
	return std::make_shared<PingSession>(context, request);
}

} // namespace vigil::checkers
