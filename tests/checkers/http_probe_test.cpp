// HTTP_GET and SSL_GET sessions against peers this process runs on
// 127.0.0.1: the verdicts, the request on the wire, and that every bad peer
// fails within the probe's timeout plus a small margin.

#include <gtest/gtest.h>

#include "checkers/http_response.h"
#include "checkers/probe_context.h"
#include "checkers/ssl_context.h"
#include "exec/fake_script_runner.h"
#include "tests/checkers/http_test_server.h"

namespace vigil::checkers {
namespace {

using namespace std::chrono_literals;
using namespace vigil::checkers::testing;
using Clock = std::chrono::steady_clock;

constexpr auto kTimeout = 400ms;
// Scheduling slack on a loaded 2-core machine.
constexpr auto kMargin = 300ms;

const std::string kHello = "HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\nhello";
const std::string kHelloMd5 = "5d41402abc4b2a76b9719d911017c592";

config::HttpUrl makeUrl(std::string path, std::string digest = {})
{
	config::HttpUrl url;
	url.path = std::move(path);
	url.digest = std::move(digest);
	url.statusCodes = {config::StatusRange{200, 299}};
	return url;
}

config::Checker makeChecker(config::CheckerType type, std::vector<config::HttpUrl> urls)
{
	config::Checker checker;
	checker.type = type;
	config::HttpCheck check;
	check.urls = std::move(urls);
	checker.detail = std::move(check);
	return checker;
}

config::HttpCheck &httpOf(config::Checker &checker)
{
	return std::get<config::HttpCheck>(checker.detail);
}

class HttpProbeTest : public ::testing::Test
{
protected:
	struct Outcome {
		std::optional<ProbeResult> result;
		Clock::duration elapsed{};
	};

	Outcome probe(const config::Checker &checker, std::uint16_t port, std::optional<std::size_t> url = {},
	              std::chrono::milliseconds timeout = kTimeout, HttpObserver observer = {})
	{
		ProbeRequest request{checker, *config::IpAddress::parse("127.0.0.1"), port, timeout, url};
		auto session = makeHttpSession(context_, request, std::move(observer));
		Outcome outcome;
		const auto start = Clock::now();
		session->start([&](ProbeResult result) {
			outcome.result = std::move(result);
			outcome.elapsed = Clock::now() - start;
		});
		// Bounded: the session's own deadline ends it long before this.
		const auto limit = start + timeout + 3s;
		io_.restart();
		while (!outcome.result && Clock::now() < limit)
			io_.run_one_for(20ms);
		// Let the servers see the close.
		io_.restart();
		io_.poll();
		return outcome;
	}

	void expectFailsInTime(const Outcome &outcome, std::string_view detail)
	{
		ASSERT_TRUE(outcome.result) << "no result";
		EXPECT_FALSE(outcome.result->ok);
		EXPECT_NE(outcome.result->detail.find(detail), std::string::npos) << outcome.result->detail;
		EXPECT_LT(outcome.elapsed, kTimeout + kMargin);
	}

	asio::io_context io_;
	exec::FakeScriptRunner runner_;
	ProbeContext context_{io_, runner_, {}, *makeSslContext(std::nullopt)};
};

TEST_F(HttpProbeTest, GoodServerPassesAndGetsKeepalivedsRequest)
{
	TestServer server(io_, answer(kHello));
	auto checker = makeChecker(config::CheckerType::kHttp, {makeUrl("/index.html", kHelloMd5)});
	const auto outcome = probe(checker, server.port());
	ASSERT_TRUE(outcome.result);
	EXPECT_TRUE(outcome.result->ok) << outcome.result->detail;
	ASSERT_EQ(server.requests().size(), 1u);
	EXPECT_EQ(server.requests()[0], fmt::format("GET /index.html HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\n"
	                                            "Host: 127.0.0.1:{}\r\n\r\n",
	                                            server.port()));
}

TEST_F(HttpProbeTest, VirtualhostAndProtocol)
{
	TestServer server(io_, answer(kHello));
	auto checker = makeChecker(config::CheckerType::kHttp, {makeUrl("/")});
	httpOf(checker).httpProtocol = "1.1";
	httpOf(checker).virtualhost = "www.example.com";
	ASSERT_TRUE(probe(checker, server.port()).result->ok);
	ASSERT_EQ(server.requests().size(), 1u);
	EXPECT_EQ(server.requests()[0], "GET / HTTP/1.1\r\nUser-Agent: KeepAliveClient\r\nConnection: close\r\n"
	                                "Host: www.example.com\r\n\r\n");
}

TEST_F(HttpProbeTest, WrongStatusFails)
{
	TestServer server(io_, answer("HTTP/1.0 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n"));
	const auto outcome = probe(makeChecker(config::CheckerType::kHttp, {makeUrl("/")}), server.port());
	expectFailsInTime(outcome, fmt::format("HTTP status code error to [127.0.0.1]:tcp:{} url(/), status_code [503]",
	                                       server.port()));
}

TEST_F(HttpProbeTest, WrongDigestFails)
{
	TestServer server(io_, answer(kHello));
	const auto outcome =
	        probe(makeChecker(config::CheckerType::kHttp, {makeUrl("/", std::string(32, 'a'))}), server.port());
	expectFailsInTime(outcome, "MD5 digest error");
}

TEST_F(HttpProbeTest, EveryUrlCheckedOneConnectionEach)
{
	TestServer server(io_, answerByPath([](const std::string &path) {
		                  return path == "/bad" ? std::string("HTTP/1.0 500 No\r\n\r\n") : kHello;
	                  }));
	auto good = makeChecker(config::CheckerType::kHttp, {makeUrl("/a"), makeUrl("/b", kHelloMd5), makeUrl("/c")});
	const auto outcome = probe(good, server.port());
	ASSERT_TRUE(outcome.result);
	EXPECT_TRUE(outcome.result->ok) << outcome.result->detail;
	EXPECT_EQ(server.accepted(), 3);
	ASSERT_EQ(server.requests().size(), 3u);
	EXPECT_EQ(server.requests()[2].substr(0, 11), "GET /c HTTP");

	auto bad = makeChecker(config::CheckerType::kHttp, {makeUrl("/a"), makeUrl("/bad"), makeUrl("/c")});
	expectFailsInTime(probe(bad, server.port()), "url(/bad), status_code [500]");
	EXPECT_EQ(server.accepted(), 5); // stopped at the failing url

	// One url only, as the scheduler asks in recovery.
	EXPECT_TRUE(probe(bad, server.port(), 2).result->ok);
	EXPECT_EQ(server.requests().back().substr(0, 11), "GET /c HTTP");
	expectFailsInTime(probe(bad, server.port(), 7), "no url 7");
}

TEST_F(HttpProbeTest, ConnectionRefusedFails)
{
	std::uint16_t port = 0;
	{
		TestServer closed(io_, silent());
		port = closed.port();
	}
	expectFailsInTime(probe(makeChecker(config::CheckerType::kHttp, {makeUrl("/")}), port),
	                  "connection error to [127.0.0.1]");
}

TEST_F(HttpProbeTest, NoUrlFails)
{
	config::Checker tcp; // a TCP_CHECK handed over by mistake: no urls
	expectFailsInTime(probe(tcp, 1), "no url to check on [127.0.0.1]:tcp:1");
}

TEST_F(HttpProbeTest, SilentPeerTimesOut)
{
	TestServer server(io_, silent());
	const auto outcome = probe(makeChecker(config::CheckerType::kHttp, {makeUrl("/")}), server.port());
	expectFailsInTime(outcome, "timeout after 400 ms (response url(/))");
	EXPECT_GE(outcome.elapsed, kTimeout);
}

TEST_F(HttpProbeTest, GarbageFails)
{
	TestServer server(io_, answer("SSH-2.0-OpenSSH_9.2\r\n"));
	expectFailsInTime(probe(makeChecker(config::CheckerType::kHttp, {makeUrl("/")}), server.port()),
	                  "malformed status line");
}

TEST_F(HttpProbeTest, TricklingPeerFailsWithinTheWholeExchangeTimeout)
{
	TestServer server(io_, trickle(io_, kHello, 100ms));
	const auto outcome = probe(makeChecker(config::CheckerType::kHttp, {makeUrl("/")}), server.port());
	expectFailsInTime(outcome, "timeout after 400 ms");
}

TEST_F(HttpProbeTest, EndlessBodyFails)
{
	TestServer server(io_, endless());
	// Either the 4 MiB cap or the deadline ends it, never the peer.
	const auto outcome = probe(makeChecker(config::CheckerType::kHttp, {makeUrl("/")}), server.port());
	ASSERT_TRUE(outcome.result);
	EXPECT_FALSE(outcome.result->ok);
	EXPECT_LT(outcome.elapsed, kTimeout + kMargin);
}

TEST_F(HttpProbeTest, ObserverSeesTheResponse)
{
	TestServer server(io_, answer(kHello));
	std::string digest;
	probe(makeChecker(config::CheckerType::kHttp, {makeUrl("/")}), server.port(), {}, kTimeout,
	      [&](const config::HttpUrl &, const HttpResponseReader &response) { digest = response.digest(); });
	EXPECT_EQ(digest, kHelloMd5);
}

TEST_F(HttpProbeTest, NoDescriptorGrowthOver200Probes)
{
	TestServer server(io_, answer(kHello));
	auto checker = makeChecker(config::CheckerType::kHttp, {makeUrl("/", kHelloMd5)});
	ASSERT_TRUE(probe(checker, server.port()).result->ok); // warm up lazily opened descriptors
	const int before = openDescriptors();
	int passed = 0;
	for (int i = 0; i < 200; ++i)
		passed += probe(checker, server.port()).result->ok ? 1 : 0;
	EXPECT_EQ(passed, 200);
	EXPECT_EQ(openDescriptors(), before);
}

// ---- SSL_GET -------------------------------------------------------------

class SslProbeTest : public HttpProbeTest
{
protected:
	void SetUp() override
	{
		if (!cert_.ok())
			FAIL() << "the openssl command could not make a certificate (scripts/install-deps.sh installs "
			          "openssl)";
	}
	SelfSignedCert cert_;
};

TEST_F(SslProbeTest, GoodTlsServerPassesWithSni)
{
	TestServer server(io_, answer(kHello), cert_.serverContext());
	auto checker = makeChecker(config::CheckerType::kSsl, {makeUrl("/", kHelloMd5)});
	httpOf(checker).enableSni = true;
	httpOf(checker).urls[0].virtualhost = "www.example.com";
	const auto outcome = probe(checker, server.port());
	ASSERT_TRUE(outcome.result);
	EXPECT_TRUE(outcome.result->ok) << outcome.result->detail;
	ASSERT_EQ(server.serverNames().size(), 1u);
	EXPECT_EQ(server.serverNames()[0], "www.example.com");
	ASSERT_EQ(server.requests().size(), 1u);
	EXPECT_NE(server.requests()[0].find("Host: www.example.com\r\n"), std::string::npos);
}

TEST_F(SslProbeTest, NoSniUnlessEnabled)
{
	TestServer server(io_, answer(kHello), cert_.serverContext());
	auto checker = makeChecker(config::CheckerType::kSsl, {makeUrl("/")});
	httpOf(checker).virtualhost = "www.example.com";
	ASSERT_TRUE(probe(checker, server.port()).result->ok);
	ASSERT_EQ(server.serverNames().size(), 1u);
	EXPECT_EQ(server.serverNames()[0], "");
}

TEST_F(SslProbeTest, WrongStatusOverTlsFails)
{
	TestServer server(io_, answer("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"), cert_.serverContext());
	expectFailsInTime(probe(makeChecker(config::CheckerType::kSsl, {makeUrl("/")}), server.port()),
	                  "status_code [404]");
}

TEST_F(SslProbeTest, PlainServerFailsTheHandshake)
{
	TestServer answering(io_, [](std::shared_ptr<PeerStream> peer) {
		peer->write("HTTP/1.0 400 Bad Request\r\n\r\n", [peer](bool) { peer->close(); });
	});
	expectFailsInTime(probe(makeChecker(config::CheckerType::kSsl, {makeUrl("/")}), answering.port()),
	                  "SSL handshake error");
	TestServer silentPeer(io_, silent());
	expectFailsInTime(probe(makeChecker(config::CheckerType::kSsl, {makeUrl("/")}), silentPeer.port()),
	                  "timeout after 400 ms (TLS handshake url(/))");
}

TEST_F(SslProbeTest, VerifiesAgainstTheConfiguredCa)
{
	TestServer server(io_, answer(kHello), cert_.serverContext());
	config::SslConfig ssl;
	ssl.ca = cert_.certFile();
	auto trusting = makeSslContext(ssl);
	ASSERT_TRUE(trusting) << trusting.error();
	context_.ssl = *trusting;
	EXPECT_TRUE(probe(makeChecker(config::CheckerType::kSsl, {makeUrl("/")}), server.port()).result->ok);

	// Another self-signed certificate as the ca: the chain does not verify.
	SelfSignedCert other;
	ASSERT_TRUE(other.ok());
	ssl.ca = other.certFile();
	context_.ssl = *makeSslContext(ssl);
	expectFailsInTime(probe(makeChecker(config::CheckerType::kSsl, {makeUrl("/")}), server.port()),
	                  "SSL handshake error");
}

TEST_F(SslProbeTest, NoDescriptorGrowthOver200TlsProbes)
{
	TestServer server(io_, answer(kHello), cert_.serverContext());
	auto checker = makeChecker(config::CheckerType::kSsl, {makeUrl("/", kHelloMd5)});
	ASSERT_TRUE(probe(checker, server.port()).result->ok);
	const int before = openDescriptors();
	int passed = 0;
	for (int i = 0; i < 200; ++i)
		passed += probe(checker, server.port()).result->ok ? 1 : 0;
	EXPECT_EQ(passed, 200);
	EXPECT_EQ(openDescriptors(), before);
}

TEST(SslContext, ErrorsNameTheFile)
{
	config::SslConfig ssl;
	ssl.ca = "/nonexistent/ca.pem";
	auto context = makeSslContext(ssl);
	ASSERT_FALSE(context);
	EXPECT_NE(context.error().find("/nonexistent/ca.pem"), std::string::npos) << context.error();
	ssl = {};
	ssl.certificate = "/nonexistent/cert.pem";
	ASSERT_FALSE(makeSslContext(ssl));
	EXPECT_NE(makeSslContext(ssl).error().find("SSL certificate /nonexistent/cert.pem"), std::string::npos);
	EXPECT_TRUE(makeSslContext(std::nullopt));
}

TEST(SslGet, WithoutContextFails)
{
	asio::io_context io;
	exec::FakeScriptRunner runner;
	ProbeContext context{io, runner, {}, nullptr};
	auto checker = makeChecker(config::CheckerType::kSsl, {makeUrl("/")});
	ProbeRequest request{checker, *config::IpAddress::parse("127.0.0.1"), 1, 100ms, {}};
	std::optional<ProbeResult> result;
	makeHttpSession(context, request)->start([&](ProbeResult r) { result = std::move(r); });
	ASSERT_TRUE(result);
	EXPECT_EQ(result->detail, "SSL_GET without an SSL context");
}

} // namespace
} // namespace vigil::checkers
