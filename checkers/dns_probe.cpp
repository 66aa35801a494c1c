// DNS_CHECK: one query over UDP to the server; up when a reply to that
// query says NOERROR and answers with a record of the asked type (see
// checkDnsReply). Datagrams that are not a reply to it are ignored until
// the deadline: the connected socket already drops other sources.

#include <array>
#include <boost/asio/ip/udp.hpp>
#include <fmt/format.h>

#include "checkers/dns_message.h"
#include "checkers/probe_context.h"
#include "checkers/probe_socket.h"

namespace vigil::checkers {
namespace {

namespace asio = boost::asio;

class DnsSession final : public TimedSession
{
public:
	DnsSession(ProbeContext &context, const ProbeRequest &request)
	        : TimedSession(context.io, request.timeout), socket_(context.io),
	          remote_(toAsio(request.address), request.port), options_(request.checker.endpoint)
	{
		if (const auto *dns = std::get_if<config::DnsCheck>(&request.checker.detail))
			check_ = *dns;
	}

	void start(ProbeTransport::Done done) override
	{
		begin(std::move(done));
		auto type = dnsTypeCode(check_.type);
		if (!type) {
			finish(ProbeResult::fail(fmt::format("unknown DNS check type {}", check_.type)));
			return;
		}
		query_ = DnsQuery{randomU16(), *type, check_.name};
		auto datagram = encodeDnsQuery(query_);
		if (!datagram) {
			finish(ProbeResult::fail(datagram.error()));
			return;
		}
		datagram_ = std::move(*datagram);
		if (auto opened = openProbeSocket(socket_, remote_, options_); !opened) {
			finish(ProbeResult::fail(opened.error()));
			return;
		}
		boost::system::error_code error;
		socket_.connect(remote_, error);
		if (error) {
			finish(ProbeResult::fail(fmt::format("connection error: {}", error.message())));
			return;
		}
		setStage("write");
		auto self = shared_from_this();
		socket_.async_send(asio::buffer(datagram_), [this, self](const boost::system::error_code &error,
		                                                         std::size_t sent) {
			if (finished())
				return;
			if (error) {
				finish(ProbeResult::fail(fmt::format("failed to write socket: {}", error.message())));
				return;
			}
			if (sent != datagram_.size()) {
				finish(ProbeResult::fail("failed to write all of the datagram"));
				return;
			}
			setStage("reply");
			receive();
		});
	}

private:
	void receive()
	{
		auto self = shared_from_this();
		socket_.async_receive(asio::buffer(buffer_), [this, self](const boost::system::error_code &error,
		                                                          std::size_t size) {
			if (finished())
				return;
			if (error) {
				finish(ProbeResult::fail(fmt::format("failed to read socket: {}", error.message())));
				return;
			}
			auto verdict = checkDnsReply(query_, std::span<const std::uint8_t>(buffer_.data(), size));
			switch (verdict.kind) {
			case DnsVerdict::Kind::kPass:
				finish(ProbeResult::pass());
				return;
			case DnsVerdict::Kind::kFail:
				finish(ProbeResult::fail(std::move(verdict.detail)));
				return;
			case DnsVerdict::Kind::kIgnore:
				// Say in the timeout message what did come.
				setStage(fmt::format("reply; ignored a {}", verdict.detail));
				receive();
				return;
			}
		});
	}

	void closeAll() override
	{
		boost::system::error_code ignored;
		socket_.close(ignored);
	}

	asio::ip::udp::socket socket_;
	asio::ip::udp::endpoint remote_;
	config::CheckerEndpoint options_;
	config::DnsCheck check_;
	DnsQuery query_;
	std::vector<std::uint8_t> datagram_;
	// A whole UDP payload, so that a long reply is decoded, not cut.
	std::array<std::uint8_t, 65536> buffer_{};
};

} // namespace

std::shared_ptr<ProbeSession> makeDnsSession(ProbeContext &context, const ProbeRequest &request)
{
	return std::make_shared<DnsSession>(context, request);
}

} // namespace vigil::checkers
