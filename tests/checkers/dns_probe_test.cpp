// DNS_CHECK against a responder this test runs on 127.0.0.1: the query on
// the wire, and good, foreign, failing and absent replies.

#include <boost/asio/ip/udp.hpp>
#include <gtest/gtest.h>

#include "checkers/dns_message.h"
#include "tests/checkers/probe_harness.h"

namespace vigil::checkers {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using testing::ProbeHarness;

enum class Mode { kGood, kWrongIdThenGood, kWrongIdOnly, kNxdomain, kNoAnswer, kSilent, kFromOtherPort };

// Answers each query as `mode` says; keeps what it received.
class FakeDns
{
public:
	FakeDns(asio::io_context &io, Mode mode, bool v6 = false)
	        : socket_(io, asio::ip::udp::endpoint(
	                              v6 ? asio::ip::make_address("::1") : asio::ip::make_address("127.0.0.1"), 0)),
	          other_(io, asio::ip::udp::endpoint(v6 ? asio::ip::udp::v6() : asio::ip::udp::v4(), 0)), mode_(mode)
	{
		receive();
	}

	std::uint16_t port() const { return socket_.local_endpoint().port(); }
	std::vector<std::vector<std::uint8_t>> queries;

private:
	void receive()
	{
		socket_.async_receive_from(asio::buffer(buffer_), peer_,
		                           [this](const boost::system::error_code &error, std::size_t size) {
			                           if (error)
				                           return;
			                           std::vector<std::uint8_t> query(
			                                   buffer_.begin(), buffer_.begin() + static_cast<long>(size));
			                           queries.push_back(query);
			                           answer(query);
			                           receive();
		                           });
	}

	// The query with QR, RA and `rcode` set and, with `answers`, one
	// record of the asked type naming the question by pointer.
	static std::vector<std::uint8_t> reply(std::vector<std::uint8_t> query, unsigned rcode, bool answers)
	{
		if (query.size() < 16)
			return query;
		const std::uint8_t typeHigh = query[query.size() - 4], typeLow = query[query.size() - 3];
		query[2] |= 0x80;
		query[3] = static_cast<std::uint8_t>(0x80 | rcode);
		if (answers) {
			query[7] = 1;
			std::vector<std::uint8_t> record{0xc0, 12, typeHigh, typeLow, 0,  1, 0, 0,
			                                 0,    60, 0,        4,       10, 0, 0, 1};
			query.insert(query.end(), record.begin(), record.end());
		}
		return query;
	}

	void send(asio::ip::udp::socket &from, std::vector<std::uint8_t> bytes)
	{
		auto shared = std::make_shared<std::vector<std::uint8_t>>(std::move(bytes));
		from.async_send_to(asio::buffer(*shared), peer_,
		                   [shared](const boost::system::error_code &, std::size_t) {});
	}

	void answer(const std::vector<std::uint8_t> &query)
	{
		auto wrongId = reply(query, 0, true);
		if (!wrongId.empty())
			wrongId[1] ^= 0x5a;
		switch (mode_) {
		case Mode::kGood:
			send(socket_, reply(query, 0, true));
			break;
		case Mode::kWrongIdThenGood:
			send(socket_, wrongId);
			send(socket_, reply(query, 0, true));
			break;
		case Mode::kWrongIdOnly:
			send(socket_, wrongId);
			break;
		case Mode::kNxdomain:
			send(socket_, reply(query, 3, false));
			break;
		case Mode::kNoAnswer:
			send(socket_, reply(query, 0, false));
			break;
		case Mode::kSilent:
			break;
		case Mode::kFromOtherPort:
			send(other_, reply(query, 0, true));
			break;
		}
	}

	asio::ip::udp::socket socket_;
	asio::ip::udp::socket other_;
	Mode mode_;
	asio::ip::udp::endpoint peer_;
	std::array<std::uint8_t, 1500> buffer_{};
};

config::Checker dnsChecker(std::string type = "SOA", std::string name = ".")
{
	config::Checker checker;
	checker.type = config::CheckerType::kDns;
	checker.detail = config::DnsCheck{std::move(type), std::move(name)};
	return checker;
}

TEST(DnsProbe, SendsTheQueryAndPassesOnAGoodReply)
{
	ProbeHarness h;
	FakeDns server(h.io, Mode::kGood);
	auto checker = dnsChecker("A", "www.example.com");
	auto out = h.run(makeDnsSession, checker, testing::loopback4(), server.port(), 400ms);
	ASSERT_TRUE(out.result);
	EXPECT_TRUE(out.result->ok) << out.result->detail;
	ASSERT_EQ(server.queries.size(), 1u);
	// The bytes are our encoder's for the id the probe chose.
	const auto &query = server.queries[0];
	ASSERT_GE(query.size(), 2u);
	auto expected = encodeDnsQuery({static_cast<std::uint16_t>(query[0] << 8 | query[1]), 1, "www.example.com"});
	EXPECT_EQ(query, *expected);
}

TEST(DnsProbe, DefaultSoaForTheRootOverIpv6)
{
	ProbeHarness h;
	FakeDns server(h.io, Mode::kGood, true);
	auto checker = dnsChecker();
	auto out = h.run(makeDnsSession, checker, testing::loopback6(), server.port(), 400ms);
	ASSERT_TRUE(out.result);
	EXPECT_TRUE(out.result->ok) << out.result->detail;
	ASSERT_EQ(server.queries.size(), 1u);
	const auto &q = server.queries[0];
	EXPECT_EQ(std::vector<std::uint8_t>(q.begin() + 2, q.end()),
	          (std::vector<std::uint8_t>{1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 6, 0, 1}));
}

TEST(DnsProbe, IgnoresAnotherIdAndTakesTheRightReply)
{
	ProbeHarness h;
	FakeDns server(h.io, Mode::kWrongIdThenGood);
	auto checker = dnsChecker("MX", "example.org");
	auto out = h.run(makeDnsSession, checker, testing::loopback4(), server.port(), 400ms);
	ASSERT_TRUE(out.result);
	EXPECT_TRUE(out.result->ok) << out.result->detail;
}

struct FailCase {
	Mode mode;
	const char *detail;
	bool atDeadline;
};

TEST(DnsProbe, Failures)
{
	const std::vector<FailCase> cases = {
	        {Mode::kWrongIdOnly, "ignored a reply with another id", true},
	        {Mode::kNxdomain, "rcode = 3, NXDOMAIN", false},
	        {Mode::kNoAnswer, "no A record", false},
	        {Mode::kSilent, "timeout after 300 ms (reply)", true},
	        {Mode::kFromOtherPort, "timeout after 300 ms (reply)", true},
	};
	for (const auto &c : cases) {
		ProbeHarness h;
		FakeDns server(h.io, c.mode);
		auto checker = dnsChecker("A", "example.com");
		auto out = h.run(makeDnsSession, checker, testing::loopback4(), server.port(), 300ms);
		ASSERT_TRUE(out.result) << c.detail;
		EXPECT_FALSE(out.result->ok) << c.detail;
		EXPECT_NE(out.result->detail.find(c.detail), std::string::npos) << out.result->detail;
		if (c.atDeadline) {
			EXPECT_GE(out.elapsed, 290ms) << c.detail;
		} else {
			EXPECT_LT(out.elapsed, 200ms) << c.detail;
		}
		EXPECT_LT(out.elapsed, 1000ms) << c.detail;
	}
}

TEST(DnsProbe, ClosedPortFailsAtOnce)
{
	ProbeHarness h;
	std::uint16_t port;
	{
		asio::ip::udp::socket closed(h.io, asio::ip::udp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
		port = closed.local_endpoint().port();
	}
	auto checker = dnsChecker();
	auto out = h.run(makeDnsSession, checker, testing::loopback4(), port, 400ms);
	ASSERT_TRUE(out.result);
	EXPECT_FALSE(out.result->ok);
	EXPECT_NE(out.result->detail.find("refused"), std::string::npos) << out.result->detail;
	EXPECT_LT(out.elapsed, 300ms);
}

TEST(DnsProbe, UnknownTypeAndBadNameFail)
{
	ProbeHarness h;
	FakeDns server(h.io, Mode::kGood);
	auto ptr = dnsChecker("PTR", "x");
	auto out = h.run(makeDnsSession, ptr, testing::loopback4(), server.port(), 300ms);
	ASSERT_TRUE(out.result);
	EXPECT_NE(out.result->detail.find("unknown DNS check type PTR"), std::string::npos);
	auto bad = dnsChecker("A", "a..b");
	out = h.run(makeDnsSession, bad, testing::loopback4(), server.port(), 300ms);
	ASSERT_TRUE(out.result);
	EXPECT_NE(out.result->detail.find("empty label"), std::string::npos);
	EXPECT_TRUE(server.queries.empty());
}

TEST(DnsProbe, NoDescriptorGrowthOver200Probes)
{
	ProbeHarness h;
	FakeDns server(h.io, Mode::kGood);
	auto checker = dnsChecker("A", "example.com");
	// One probe first, so that lazily opened descriptors (the loop's
	// epoll, the random device) are counted in the baseline.
	h.run(makeDnsSession, checker, testing::loopback4(), server.port(), 300ms);
	const auto before = testing::openDescriptors();
	int passed = 0;
	for (int i = 0; i < 200; ++i) {
		auto out = h.run(makeDnsSession, checker, testing::loopback4(), server.port(), 300ms);
		passed += out.result && out.result->ok;
	}
	EXPECT_EQ(passed, 200);
	EXPECT_EQ(testing::openDescriptors(), before);
}

} // namespace
} // namespace vigil::checkers
