// SMTP_CHECK against servers this test runs on 127.0.0.1: the dialogue on
// the wire, bad greetings, silence, trickling, garbage and host{} blocks.

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <gtest/gtest.h>

#include "tests/checkers/probe_harness.h"

namespace vigil::checkers {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using testing::ProbeHarness;

enum class Mode { kGood, kBadGreeting, kBadHelo, kSilent, kTrickle, kGarbage, kCloseAtOnce };

// One connection's script: a greeting, then an answer to HELO.
class FakeSmtp
{
public:
	FakeSmtp(asio::io_context &io, Mode mode)
	        : acceptor_(io, asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)), timer_(io),
	          mode_(mode)
	{
		accept();
	}

	std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
	std::string received; // everything the probe sent, all connections
	int connections = 0;

private:
	struct Connection {
		explicit Connection(asio::io_context &io) : socket(io) {}
		asio::ip::tcp::socket socket;
		std::array<char, 256> buffer{};
		std::string out;
		bool heloAnswered = false;
	};

	void accept()
	{
		auto connection = std::make_shared<Connection>(
		        static_cast<asio::io_context &>(acceptor_.get_executor().context()));
		acceptor_.async_accept(connection->socket, [this, connection](const boost::system::error_code &error) {
			if (error)
				return;
			++connections;
			open_.push_back(connection);
			begin(connection);
			accept();
		});
	}

	void write(const std::shared_ptr<Connection> &c, std::string text)
	{
		auto shared = std::make_shared<std::string>(std::move(text));
		asio::async_write(c->socket, asio::buffer(*shared),
		                  [shared](const boost::system::error_code &, std::size_t) {});
	}

	void begin(const std::shared_ptr<Connection> &c)
	{
		switch (mode_) {
		case Mode::kGood:
		case Mode::kBadHelo:
			write(c, "220-mail.test ESMTP\r\n220 ready\r\n");
			break;
		case Mode::kBadGreeting:
			write(c, "554 go away\r\n");
			break;
		case Mode::kSilent:
			break;
		case Mode::kTrickle:
			trickle(c, 0);
			break;
		case Mode::kGarbage:
			write(c, "HTTP/1.1 400 Bad Request\r\n\r\n");
			break;
		case Mode::kCloseAtOnce:
			c->socket.close();
			return;
		}
		read(c);
	}

	// A valid greeting's first line, one byte every 100 ms, never ending.
	void trickle(const std::shared_ptr<Connection> &c, std::size_t at)
	{
		static const std::string line = "220-" + std::string(100, 'x');
		write(c, std::string(1, line[at % line.size()]));
		timer_.expires_after(100ms);
		timer_.async_wait([this, c, at](const boost::system::error_code &error) {
			if (!error && c->socket.is_open())
				trickle(c, at + 1);
		});
	}

	void read(const std::shared_ptr<Connection> &c)
	{
		c->socket.async_read_some(
		        asio::buffer(c->buffer), [this, c](const boost::system::error_code &error, std::size_t size) {
			        if (error) {
				        c->socket.close();
				        return;
			        }
			        received.append(c->buffer.data(), size);
			        if (!c->heloAnswered && received.find("\r\n") != std::string::npos) {
				        c->heloAnswered = true;
				        write(c, mode_ == Mode::kBadHelo ? "501 syntax\r\n" : "250 mail.test\r\n");
			        }
			        read(c);
		        });
	}

	asio::ip::tcp::acceptor acceptor_;
	asio::steady_timer timer_;
	Mode mode_;
	std::vector<std::shared_ptr<Connection>> open_;
};

config::Checker smtpChecker(std::string helo = {})
{
	config::Checker checker;
	checker.type = config::CheckerType::kSmtp;
	config::SmtpCheck smtp;
	smtp.heloName = std::move(helo);
	checker.detail = smtp;
	return checker;
}

TEST(SmtpProbe, GreetingHeloQuit)
{
	ProbeHarness h;
	FakeSmtp server(h.io, Mode::kGood);
	auto checker = smtpChecker();
	auto out = h.run(makeSmtpSession, checker, testing::loopback4(), server.port(), 400ms);
	ASSERT_TRUE(out.result);
	EXPECT_TRUE(out.result->ok) << out.result->detail;
	h.spin(50ms);
	EXPECT_EQ(server.received, "HELO smtpchecker.keepalived.org\r\nQUIT\r\n");
}

TEST(SmtpProbe, ConfiguredHeloName)
{
	ProbeHarness h;
	FakeSmtp server(h.io, Mode::kGood);
	auto checker = smtpChecker("lb01.example.net");
	auto out = h.run(makeSmtpSession, checker, testing::loopback4(), server.port(), 400ms);
	ASSERT_TRUE(out.result);
	EXPECT_TRUE(out.result->ok) << out.result->detail;
	h.spin(50ms);
	EXPECT_EQ(server.received, "HELO lb01.example.net\r\nQUIT\r\n");
}

struct FailCase {
	Mode mode;
	const char *detail;
};

TEST(SmtpProbe, Failures)
{
	const std::vector<FailCase> cases = {
	        {Mode::kBadGreeting, "Bad greeting banner (554) from server [127.0.0.1]:tcp:"},
	        {Mode::kBadHelo, "Bad HELO response (501)"},
	        {Mode::kSilent, "timeout after 400 ms (greeting)"},
	        {Mode::kTrickle, "timeout after 400 ms (greeting)"},
	        {Mode::kGarbage, "not an SMTP reply line: \"HTTP/1.1 400 Bad Request\""},
	        {Mode::kCloseAtOnce, "Connection closed by server"},
	};
	for (const auto &c : cases) {
		ProbeHarness h;
		FakeSmtp server(h.io, c.mode);
		auto checker = smtpChecker();
		auto out = h.run(makeSmtpSession, checker, testing::loopback4(), server.port(), 400ms);
		ASSERT_TRUE(out.result) << c.detail;
		EXPECT_FALSE(out.result->ok) << c.detail;
		EXPECT_NE(out.result->detail.find(c.detail), std::string::npos) << out.result->detail;
		// Within the timeout, with a little slack for the loop.
		EXPECT_LT(out.elapsed, 500ms) << c.detail;
	}
}

TEST(SmtpProbe, RefusedConnection)
{
	ProbeHarness h;
	std::uint16_t port;
	{
		asio::ip::tcp::acceptor closed(h.io, asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
		port = closed.local_endpoint().port();
	}
	auto checker = smtpChecker();
	auto out = h.run(makeSmtpSession, checker, testing::loopback4(), port, 400ms);
	ASSERT_TRUE(out.result);
	EXPECT_FALSE(out.result->ok);
	EXPECT_NE(out.result->detail.find("Error connecting (Connection refused)"), std::string::npos)
	        << out.result->detail;
}

config::CheckerEndpoint host(std::uint16_t port)
{
	config::CheckerEndpoint endpoint;
	endpoint.connectIp = testing::loopback4();
	endpoint.connectPort = port;
	return endpoint;
}

TEST(SmtpProbe, EveryHostIsChecked)
{
	ProbeHarness h;
	FakeSmtp first(h.io, Mode::kGood);
	FakeSmtp second(h.io, Mode::kGood);
	auto checker = smtpChecker();
	std::get<config::SmtpCheck>(checker.detail).hosts = {host(first.port()), host(second.port())};
	auto out = h.run(makeSmtpSession, checker, testing::loopback4(), first.port(), 400ms);
	ASSERT_TRUE(out.result);
	EXPECT_TRUE(out.result->ok) << out.result->detail;
	h.spin(50ms);
	EXPECT_EQ(first.connections, 1);
	EXPECT_EQ(second.connections, 1);
	EXPECT_EQ(second.received, "HELO smtpchecker.keepalived.org\r\nQUIT\r\n");
}

TEST(SmtpProbe, OneFailingHostFailsTheCheckAndIsNamed)
{
	ProbeHarness h;
	FakeSmtp first(h.io, Mode::kGood);
	FakeSmtp second(h.io, Mode::kBadGreeting);
	auto checker = smtpChecker();
	std::get<config::SmtpCheck>(checker.detail).hosts = {host(first.port()), host(second.port())};
	auto out = h.run(makeSmtpSession, checker, testing::loopback4(), first.port(), 400ms);
	ASSERT_TRUE(out.result);
	EXPECT_FALSE(out.result->ok);
	EXPECT_NE(out.result->detail.find(fmt::format("[127.0.0.1]:tcp:{}", second.port())), std::string::npos)
	        << out.result->detail;
}

TEST(SmtpProbe, EachHostGetsItsOwnTimeout)
{
	ProbeHarness h;
	FakeSmtp first(h.io, Mode::kGood);
	FakeSmtp second(h.io, Mode::kSilent);
	auto checker = smtpChecker();
	std::get<config::SmtpCheck>(checker.detail).hosts = {host(first.port()), host(second.port())};
	auto out = h.run(makeSmtpSession, checker, testing::loopback4(), first.port(), 300ms);
	ASSERT_TRUE(out.result);
	EXPECT_FALSE(out.result->ok);
	EXPECT_NE(out.result->detail.find("timeout after 300 ms (greeting)"), std::string::npos) << out.result->detail;
	EXPECT_GE(out.elapsed, 290ms);
	EXPECT_LT(out.elapsed, 700ms);
}

TEST(SmtpProbe, NoDescriptorGrowthOver200Probes)
{
	ProbeHarness h;
	FakeSmtp server(h.io, Mode::kGood);
	auto checker = smtpChecker();
	h.run(makeSmtpSession, checker, testing::loopback4(), server.port(), 300ms);
	h.spin(20ms);
	const auto before = testing::openDescriptors();
	int passed = 0;
	for (int i = 0; i < 200; ++i) {
		auto out = h.run(makeSmtpSession, checker, testing::loopback4(), server.port(), 300ms);
		passed += out.result && out.result->ok;
	}
	// The server side closes on the probe's FIN; give it the loop.
	h.spin(100ms);
	EXPECT_EQ(passed, 200);
	EXPECT_LE(testing::openDescriptors(), before);
}

} // namespace
} // namespace vigil::checkers
