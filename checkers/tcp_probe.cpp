// TCP_CHECK: the server is up when it accepts a connection within
// connect_timeout; the connection is closed at once.

#include <boost/asio/ip/tcp.hpp>
#include <cstring>
#include <poll.h>
#include <sys/socket.h>

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
	// The loop can be late (thousands of checks a second on a slow
	// machine): the kernel may have finished the handshake while the
	// completion waits its turn behind the deadline. Ask the socket
	// before calling it a timeout.
	void onDeadline() override
	{
		pollfd p{socket_.native_handle(), POLLOUT, 0};
		if (socket_.is_open() && ::poll(&p, 1, 0) == 1) {
			int error = 0;
			socklen_t length = sizeof error;
			if (::getsockopt(p.fd, SOL_SOCKET, SO_ERROR, &error, &length) == 0) {
				finish(error == 0 ? ProbeResult::pass() : ProbeResult::fail(std::strerror(error)));
				return;
			}
		}
		TimedSession::onDeadline();
	}

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
