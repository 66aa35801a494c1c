// SMTP_CHECK: connect, read the 220 greeting, HELO, expect 250, QUIT. With
// host{} blocks every host is checked in turn, each with its own
// connection options and a fresh connect_timeout, and all must pass.

#include <array>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <fmt/format.h>

#include "checkers/probe_context.h"
#include "checkers/probe_socket.h"
#include "checkers/smtp_reply.h"

namespace vigil::checkers {
namespace {

namespace asio = boost::asio;

// keepalived's helo_name when none is configured (its checker's dump
// prints it; the man page does not say).
constexpr std::string_view kDefaultHelo = "smtpchecker.keepalived.org";

struct SmtpHost {
	asio::ip::tcp::endpoint remote;
	config::CheckerEndpoint options;
	std::string name; // "[192.0.2.10]:tcp:25"
};

class SmtpSession final : public TimedSession
{
public:
	SmtpSession(ProbeContext &context, const ProbeRequest &request)
	        : TimedSession(context.io, request.timeout), socket_(context.io)
	{
		config::SmtpCheck check;
		if (const auto *smtp = std::get_if<config::SmtpCheck>(&request.checker.detail))
			check = *smtp;
		helo_ = fmt::format("HELO {}\r\n", check.heloName.empty() ? kDefaultHelo : check.heloName);
		if (check.hosts.empty())
			check.hosts.push_back(request.checker.endpoint);
		for (std::size_t i = 0; i < check.hosts.size(); ++i) {
			const auto &options = check.hosts[i];
			// The first host's address and port come resolved in the
			// request; the others fall back to the real server's.
			config::IpAddress address =
			        i == 0 || options.connectIp.empty() ? request.address : options.connectIp;
			std::uint16_t port = i == 0 || options.connectPort == 0 ? request.port : options.connectPort;
			hosts_.push_back({asio::ip::tcp::endpoint(toAsio(address), port), options,
			                  endpointName(address, port, "tcp")});
		}
	}

	void start(ProbeTransport::Done done) override
	{
		begin(std::move(done));
		connect();
	}

private:
	const SmtpHost &host() const { return hosts_[current_]; }

	void fail(std::string_view what) { finish(ProbeResult::fail(fmt::format("{} {}", what, host().name))); }

	void connect()
	{
		boost::system::error_code ignored;
		socket_.close(ignored);
		reader_ = {};
		setStage("connect");
		if (auto opened = openProbeSocket(socket_, host().remote, host().options); !opened) {
			finish(ProbeResult::fail(fmt::format("{}: {}", host().name, opened.error())));
			return;
		}
		auto self = shared_from_this();
		socket_.async_connect(host().remote, [this, self](const boost::system::error_code &error) {
			if (finished())
				return;
			if (error) {
				fail(fmt::format("Error connecting ({}) to server", error.message()));
				return;
			}
			setStage("greeting");
			readReply([this](const SmtpReply &reply) { onGreeting(reply); });
		});
	}

	void onGreeting(const SmtpReply &reply)
	{
		if (reply.code != 220) {
			fail(fmt::format("Bad greeting banner ({}) from server", reply.code));
			return;
		}
		send(helo_, [this] {
			setStage("HELO reply");
			readReply([this](const SmtpReply &reply) { onHelo(reply); });
		});
	}

	void onHelo(const SmtpReply &reply)
	{
		if (reply.code != 250) {
			fail(fmt::format("Bad HELO response ({}) from server", reply.code));
			return;
		}
		// QUIT's reply is not awaited: the server has shown it works.
		send("QUIT\r\n", [this] {
			if (++current_ == hosts_.size()) {
				finish(ProbeResult::pass());
				return;
			}
			restartDeadline();
			connect();
		});
	}

	template <typename Then> void send(std::string_view text, Then then)
	{
		out_.assign(text);
		auto self = shared_from_this();
		asio::async_write(socket_, asio::buffer(out_),
		                  [this, self, then](const boost::system::error_code &error, std::size_t) {
			                  if (finished())
				                  return;
			                  if (error) {
				                  fail(fmt::format("Write failure ({}) to server", error.message()));
				                  return;
			                  }
			                  then();
		                  });
	}

	// Reads until the reader has a whole reply, then hands it on.
	template <typename Then> void readReply(Then then)
	{
		auto ready = reader_.next();
		if (!ready) {
			fail(fmt::format("Bad reply ({}) from server", ready.error()));
			return;
		}
		if (*ready) {
			then(**ready);
			return;
		}
		auto self = shared_from_this();
		socket_.async_read_some(asio::buffer(in_), [this, self, then](const boost::system::error_code &error,
		                                                              std::size_t size) {
			if (finished())
				return;
			if (error) {
				fail(error == asio::error::eof
				             ? std::string("Connection closed by server")
				             : fmt::format("Read failure ({}) from server", error.message()));
				return;
			}
			auto fed = reader_.feed(std::string_view(in_.data(), size));
			if (!fed) {
				fail(fmt::format("Bad reply ({}) from server", fed.error()));
				return;
			}
			if (*fed) {
				then(**fed);
				return;
			}
			readReply(then);
		});
	}

	void closeAll() override
	{
		boost::system::error_code ignored;
		socket_.close(ignored);
	}

	asio::ip::tcp::socket socket_;
	std::vector<SmtpHost> hosts_;
	std::size_t current_ = 0;
	std::string helo_;
	std::string out_;
	std::array<char, 1024> in_{};
	SmtpReplyReader reader_;
};

} // namespace

std::shared_ptr<ProbeSession> makeSmtpSession(ProbeContext &context, const ProbeRequest &request)
{
	return std::make_shared<SmtpSession>(context, request);
}

} // namespace vigil::checkers
