// UDP_CHECK: a datagram to the server over a connected socket. Without
// require_reply the server is up unless an ICMP error (port, host or net
// unreachable) comes back before connect_timeout: silence is a pass. With
// require_reply a reply within the length bounds that matches the pattern
// must arrive; other datagrams are skipped until the deadline.

#include <array>
#include <boost/asio/ip/udp.hpp>
#include <fmt/format.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "checkers/probe_context.h"
#include "checkers/probe_socket.h"
#include "checkers/udp_reply.h"

namespace vigil::checkers {
namespace {

namespace asio = boost::asio;

// keepalived's default payload is random; its length is not documented.
constexpr std::size_t kRandomPayload = 16;

class UdpSession final : public TimedSession
{
public:
	UdpSession(ProbeContext &context, const ProbeRequest &request)
	        : TimedSession(context.io, request.timeout), socket_(context.io),
	          remote_(toAsio(request.address), request.port), options_(request.checker.endpoint)
	{
		if (const auto *udp = std::get_if<config::UdpCheck>(&request.checker.detail))
			check_ = *udp;
	}

	void start(ProbeTransport::Done done) override
	{
		begin(std::move(done));
		payload_ = check_.payload ? check_.payload->bytes : randomBytes(kRandomPayload);
		if (auto opened = openProbeSocket(socket_, remote_, options_); !opened) {
			finish(ProbeResult::fail(opened.error()));
			return;
		}
		// Without IP_RECVERR Linux reports only "hard" ICMP errors (port
		// unreachable) on a connected UDP socket; host and net unreachable
		// need it to reach recv().
		const int on = 1;
		if (remote_.address().is_v6())
			::setsockopt(socket_.native_handle(), IPPROTO_IPV6, IPV6_RECVERR, &on, sizeof on);
		else
			::setsockopt(socket_.native_handle(), IPPROTO_IP, IP_RECVERR, &on, sizeof on);
		boost::system::error_code error;
		socket_.connect(remote_, error);
		if (error) {
			finish(ProbeResult::fail(fmt::format("connection error: {}", error.message())));
			return;
		}
		setStage("write");
		auto self = shared_from_this();
		socket_.async_send(asio::buffer(payload_), [this, self](const boost::system::error_code &error,
		                                                        std::size_t) {
			if (finished())
				return;
			if (error) {
				finish(ProbeResult::fail(fmt::format("failed to write socket: {}", error.message())));
				return;
			}
			setStage(check_.requireReply ? "reply" : "ICMP error");
			receive();
		});
	}

private:
	void receive()
	{
		auto self = shared_from_this();
		socket_.async_receive(
		        asio::buffer(buffer_), [this, self](const boost::system::error_code &error, std::size_t size) {
			        if (finished())
				        return;
			        if (error) {
				        finish(ProbeResult::fail(error.message()));
				        return;
			        }
			        if (!check_.requireReply) {
				        // Any answer at all shows the port is open.
				        finish(ProbeResult::pass());
				        return;
			        }
			        UdpReplyRule rule;
			        if (check_.reply) {
				        rule.pattern = check_.reply->bytes;
				        rule.mask = check_.reply->mask;
			        }
			        rule.minLength = check_.minReplyLength;
			        rule.maxLength = check_.maxReplyLength;
			        auto matched = matchUdpReply(rule, std::span<const std::uint8_t>(buffer_.data(), size));
			        if (matched) {
				        finish(ProbeResult::pass());
				        return;
			        }
			        setStage(fmt::format("reply; ignored one: {}", matched.error()));
			        receive();
		        });
	}

	void onDeadline() override
	{
		if (check_.requireReply)
			TimedSession::onDeadline();
		else
			finish(ProbeResult::pass());
	}

	void closeAll() override
	{
		boost::system::error_code ignored;
		socket_.close(ignored);
	}

	asio::ip::udp::socket socket_;
	asio::ip::udp::endpoint remote_;
	config::CheckerEndpoint options_;
	config::UdpCheck check_;
	std::vector<std::uint8_t> payload_;
	// Bigger than any max_reply_length, so an over-long reply is seen as
	// such rather than cut to fit.
	std::array<std::uint8_t, 65536> buffer_{};
};

} // namespace

std::shared_ptr<ProbeSession> makeUdpSession(ProbeContext &context, const ProbeRequest &request)
{
	return std::make_shared<UdpSession>(context, request);
}

} // namespace vigil::checkers
