// UDP_CHECK against sockets this test runs on 127.0.0.1: the payload on
// the wire, silence, ICMP port unreachable, require_reply with lengths and
// masked patterns.

#include <boost/asio/ip/udp.hpp>
#include <gtest/gtest.h>

#include "checkers/asio_probe_transport.h"
#include "tests/checkers/probe_harness.h"

namespace vigil::checkers {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using testing::ProbeHarness;
using Bytes = std::vector<std::uint8_t>;

// Answers each datagram with `reply` (empty: echoes it back), or keeps
// quiet; keeps what it received.
class FakeUdp
{
public:
	FakeUdp(asio::io_context &io, bool answer, Bytes reply = {})
	        : socket_(io, asio::ip::udp::endpoint(asio::ip::make_address("127.0.0.1"), 0)), answer_(answer),
	          reply_(std::move(reply))
	{
		receive();
	}

	std::uint16_t port() const { return socket_.local_endpoint().port(); }
	std::vector<Bytes> received;

private:
	void receive()
	{
		socket_.async_receive_from(
		        asio::buffer(buffer_), peer_, [this](const boost::system::error_code &error, std::size_t size) {
			        if (error)
				        return;
			        received.emplace_back(buffer_.begin(), buffer_.begin() + static_cast<long>(size));
			        if (answer_) {
				        auto out = std::make_shared<Bytes>(reply_.empty() ? received.back() : reply_);
				        socket_.async_send_to(asio::buffer(*out), peer_,
				                              [out](const boost::system::error_code &, std::size_t) {});
			        }
			        receive();
		        });
	}

	asio::ip::udp::socket socket_;
	bool answer_;
	Bytes reply_;
	asio::ip::udp::endpoint peer_;
	std::array<std::uint8_t, 2048> buffer_{};
};

config::HexPattern pattern(Bytes bytes, Bytes mask = {})
{
	if (mask.empty())
		mask.assign(bytes.size(), 0xff);
	return config::HexPattern{std::move(bytes), std::move(mask)};
}

config::Checker udpChecker(config::UdpCheck udp)
{
	config::Checker checker;
	checker.type = config::CheckerType::kUdp;
	checker.detail = std::move(udp);
	return checker;
}

std::uint16_t closedPort(asio::io_context &io)
{
	asio::ip::udp::socket socket(io, asio::ip::udp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
	return socket.local_endpoint().port();
}

TEST(UdpProbe, SendsThePayloadAndPassesOnSilence)
{
	ProbeHarness h;
	FakeUdp server(h.io, false);
	config::UdpCheck udp;
	udp.payload = pattern({0xab, 0x12, 0x0f});
	auto checker = udpChecker(udp);
	auto out = h.run(makeUdpSession, checker, testing::loopback4(), server.port(), 300ms);
	ASSERT_TRUE(out.result);
	EXPECT_TRUE(out.result->ok) << out.result->detail;
	EXPECT_GE(out.elapsed, 290ms) << "silence counts only at the deadline";
	ASSERT_EQ(server.received.size(), 1u);
	EXPECT_EQ(server.received[0], (Bytes{0xab, 0x12, 0x0f}));
}

TEST(UdpProbe, RandomPayloadWhenNoneIsGiven)
{
	ProbeHarness h;
	FakeUdp server(h.io, true);
	auto checker = udpChecker({});
	h.run(makeUdpSession, checker, testing::loopback4(), server.port(), 300ms);
	h.run(makeUdpSession, checker, testing::loopback4(), server.port(), 300ms);
	ASSERT_EQ(server.received.size(), 2u);
	EXPECT_EQ(server.received[0].size(), 16u);
	EXPECT_NE(server.received[0], server.received[1]);
}

TEST(UdpProbe, AnyReplyPassesAtOnceWithoutRequireReply)
{
	ProbeHarness h;
	FakeUdp server(h.io, true);
	auto checker = udpChecker({});
	auto out = h.run(makeUdpSession, checker, testing::loopback4(), server.port(), 400ms);
	ASSERT_TRUE(out.result);
	EXPECT_TRUE(out.result->ok) << out.result->detail;
	EXPECT_LT(out.elapsed, 300ms);
}

TEST(UdpProbe, PortUnreachableFails)
{
	for (bool requireReply : {false, true}) {
		ProbeHarness h;
		config::UdpCheck udp;
		udp.requireReply = requireReply;
		auto checker = udpChecker(udp);
		auto out = h.run(makeUdpSession, checker, testing::loopback4(), closedPort(h.io), 400ms);
		ASSERT_TRUE(out.result);
		EXPECT_FALSE(out.result->ok);
		EXPECT_EQ(out.result->detail, "Connection refused");
		EXPECT_LT(out.elapsed, 300ms);
	}
}

struct ReplyCase {
	const char *name;
	bool answer;
	Bytes reply; // what the server sends (empty: an echo of "hello")
	std::optional<config::HexPattern> pattern;
	std::uint32_t min;
	std::uint32_t max;
	bool ok;
	std::string detail;
};

TEST(UdpProbe, RequireReply)
{
	const Bytes hello{'h', 'e', 'l', 'l', 'o'};
	const std::vector<ReplyCase> cases = {
	        {"echo, any content", true, {}, std::nullopt, 0, 255, true, ""},
	        {"echo matches the pattern", true, {}, pattern(hello), 0, 255, true, ""},
	        {"masked nibbles", true, {}, pattern({0x08, 0x60}, {0x0f, 0xf0}), 0, 255, true, ""},
	        {"pattern longer than the reply", true, {'h', 'e'}, pattern(hello), 0, 255, true, ""},
	        {"pattern differs",
	         true,
	         {},
	         pattern({'h', 'a'}),
	         0,
	         255,
	         false,
	         "ignored one: reply byte 1 is 0x65, expected 0x61"},
	        {"reply too short", true, {}, std::nullopt, 6, 255, false, "below min_reply_length 6"},
	        {"reply too long", true, {}, std::nullopt, 0, 4, false, "above max_reply_length 4"},
	        {"no reply", false, {}, std::nullopt, 0, 255, false, "timeout after 300 ms (reply)"},
	};
	for (const auto &c : cases) {
		ProbeHarness h;
		FakeUdp server(h.io, c.answer, c.reply);
		config::UdpCheck udp;
		udp.payload = pattern(hello);
		udp.requireReply = true;
		udp.reply = c.pattern;
		udp.minReplyLength = c.min;
		udp.maxReplyLength = c.max;
		auto checker = udpChecker(udp);
		auto out = h.run(makeUdpSession, checker, testing::loopback4(), server.port(), 300ms);
		ASSERT_TRUE(out.result) << c.name;
		EXPECT_EQ(out.result->ok, c.ok) << c.name << ": " << out.result->detail;
		EXPECT_NE(out.result->detail.find(c.detail), std::string::npos) << c.name << ": " << out.result->detail;
		if (c.ok) {
			EXPECT_LT(out.elapsed, 250ms) << c.name;
		} else {
			EXPECT_GE(out.elapsed, 290ms) << c.name << ": a non-matching reply is skipped, not final";
		}
	}
}

TEST(UdpProbe, Ipv6Loopback)
{
	ProbeHarness h;
	asio::ip::udp::socket server(h.io, asio::ip::udp::endpoint(asio::ip::make_address("::1"), 0));
	const auto port = server.local_endpoint().port();
	server.close();
	auto checker = udpChecker({});
	auto out = h.run(makeUdpSession, checker, testing::loopback6(), port, 400ms);
	ASSERT_TRUE(out.result);
	EXPECT_FALSE(out.result->ok) << "ICMPv6 port unreachable";
	EXPECT_EQ(out.result->detail, "Connection refused");
}

TEST(UdpProbe, TheTransportRunsIt)
{
	// The daemon's path: AsioProbeTransport picks the session by type.
	ProbeHarness h;
	FakeUdp server(h.io, true);
	config::UdpCheck udp;
	udp.requireReply = true;
	auto checker = udpChecker(udp);
	AsioProbeTransport transport(h.context);
	std::optional<ProbeResult> result;
	transport.launch(ProbeRequest{checker, testing::loopback4(), server.port(), 300ms, std::nullopt},
	                 [&](ProbeResult r) { result = std::move(r); });
	for (int i = 0; i < 100 && !result; ++i)
		h.spin(10ms);
	ASSERT_TRUE(result);
	EXPECT_TRUE(result->ok) << result->detail;
	EXPECT_EQ(server.received.size(), 1u);
	EXPECT_EQ(transport.inFlight(), 0u);
}

TEST(UdpProbe, NoDescriptorGrowthOver200Probes)
{
	ProbeHarness h;
	FakeUdp server(h.io, true);
	config::UdpCheck udp;
	udp.requireReply = true;
	auto checker = udpChecker(udp);
	h.run(makeUdpSession, checker, testing::loopback4(), server.port(), 300ms);
	const auto before = testing::openDescriptors();
	int passed = 0;
	for (int i = 0; i < 200; ++i) {
		auto out = h.run(makeUdpSession, checker, testing::loopback4(), server.port(), 300ms);
		passed += out.result && out.result->ok;
	}
	EXPECT_EQ(passed, 200);
	EXPECT_EQ(testing::openDescriptors(), before);
}

} // namespace
} // namespace vigil::checkers
