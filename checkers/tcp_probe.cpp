// TCP_CHECK: the server is up when it accepts a connection within
// connect_timeout; the connection is closed at once.

#include <boost/asio/ip/tcp.hpp>

#include "checkers/probe_context.h"
#include "checkers/probe_socket.h"

namespace vigil::checkers {
namespace {

namespace asio = boost::asio;

class TcpSession final : public TimedSession
{
public:
	TcpSession(ProbeContext &context, const ProbeRequest &request)
	        : TimedSession(context.io, request.timeout), socket_(context.io),
	          remote_(toAsio(request.address), request.port), options_(request.checker.endpoint)
	{
	}

	void start(ProbeTransport::Done done) override
	{
		begin(std::move(done));
		if (auto opened = openProbeSocket(socket_, remote_, options_); !opened) {
			finish(ProbeResult::fail(opened.error()));
			return;
		}
		auto self = shared_from_this();
		socket_.async_connect(remote_, [this, self](const boost::system::error_code &error) {
			if (finished())
				return;
			if (error)
				finish(ProbeResult::fail(error.message()));
			else
				finish(ProbeResult::pass());
		});
	}

private:
	void closeAll() override
	{
		boost::system::error_code ignored;
		socket_.close(ignored);
	}

	asio::ip::tcp::socket socket_;
	asio::ip::tcp::endpoint remote_;
	config::CheckerEndpoint options_;
};

} // namespace

std::shared_ptr<ProbeSession> makeTcpSession(ProbeContext &context, const ProbeRequest &request)
{
	return std::make_shared<TcpSession>(context, request);
}

} // namespace vigil::checkers
