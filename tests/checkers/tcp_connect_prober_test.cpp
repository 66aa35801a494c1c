// TCP_CHECK's prober on real loopback sockets: passes, refusals, timeouts
// against a listener whose queue is full, a late loop, hundreds of probes
// at once, callbacks that start and cancel probes, and no descriptor left
// behind.

#include <arpa/inet.h>
#include <filesystem>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <optional>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

#include "checkers/tcp_connect_prober.h"
#include "tests/checkers/probe_harness.h"
#include "tests/checkers/tcp_listener.h"

namespace vigil::checkers {
namespace {

using namespace std::chrono_literals;

using testing::closedPort;
using testing::openDescriptors;
using Listener = testing::TcpListener;

class ProberTest : public ::testing::Test
{
protected:
	config::IpAddress v4 = *config::IpAddress::parse("127.0.0.1");
	config::IpAddress v6 = *config::IpAddress::parse("::1");
	config::CheckerEndpoint options;
	boost::asio::io_context io;

	// The loop's own descriptors (its epoll set, timerfd, eventfd) are
	// opened with the first prober: before any count.
	void SetUp() override { TcpConnectProber warm(io); }

	// Turns the loop until `done` or `bound` (wall time).
	template <typename Pred> bool runUntil(Pred done, std::chrono::milliseconds bound = 5s)
	{
		const auto deadline = std::chrono::steady_clock::now() + bound;
		while (!done() && std::chrono::steady_clock::now() < deadline) {
			io.restart();
			io.run_one_for(20ms);
		}
		return done();
	}

	std::optional<ProbeResult> probe(TcpConnectProber &prober, const config::IpAddress &address, std::uint16_t port,
	                                 std::chrono::milliseconds timeout = 1000ms)
	{
		std::optional<ProbeResult> result;
		prober.start(address, port, options, timeout, [&](ProbeResult r) { result = std::move(r); });
		EXPECT_FALSE(result) << "done called inside start()";
		runUntil([&] { return result.has_value(); });
		return result;
	}
};

TEST_F(ProberTest, PassesOnAListenerAndFailsOnAClosedPortOverIpv4AndIpv6)
{
	TcpConnectProber prober(io);
	Listener l4(16), l6(16, true);
	auto pass4 = probe(prober, v4, l4.port());
	ASSERT_TRUE(pass4);
	EXPECT_TRUE(pass4->ok) << pass4->detail;
	auto pass6 = probe(prober, v6, l6.port());
	ASSERT_TRUE(pass6);
	EXPECT_TRUE(pass6->ok) << pass6->detail;
	auto refused = probe(prober, v4, closedPort());
	ASSERT_TRUE(refused);
	EXPECT_FALSE(refused->ok);
	EXPECT_EQ(refused->detail, "Connection refused");
	EXPECT_EQ(prober.inFlight(), 0u);
}

TEST_F(ProberTest, TimesOutAgainstAListenerWhoseQueueIsFull)
{
	// Backlog 0: one connection completes into the queue and, as nothing
	// accepts, later SYNs are dropped and the connect stays pending.
	Listener full(0);
	std::vector<int> fillers;
	TcpConnectProber prober(io);
	for (int i = 0; i < 8; ++i) {
		auto r = probe(prober, v4, full.port(), 200ms);
		ASSERT_TRUE(r);
		if (!r->ok)
			break;
		// The prober closed its socket, but the queued connection stays:
		// keep a client of our own in the queue too.
		int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		sockaddr_in a{};
		a.sin_family = AF_INET;
		a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		a.sin_port = htons(full.port());
		::connect(fd, reinterpret_cast<sockaddr *>(&a), sizeof a);
		fillers.push_back(fd);
	}
	const auto started = std::chrono::steady_clock::now();
	auto timedOut = probe(prober, v4, full.port(), 300ms);
	const auto elapsed = std::chrono::steady_clock::now() - started;
	for (int fd : fillers)
		::close(fd);
	ASSERT_TRUE(timedOut);
	EXPECT_FALSE(timedOut->ok);
	EXPECT_EQ(timedOut->detail, "timeout after 300 ms (connect)");
	EXPECT_GE(elapsed, 300ms);
	EXPECT_LT(elapsed, 2s);
	EXPECT_EQ(prober.inFlight(), 0u);
}

TEST_F(ProberTest, AConnectThatCompletedWhileTheLoopWasLateIsAPass)
{
	TcpConnectProber prober(io);
	Listener l(16);
	std::optional<ProbeResult> result;
	prober.start(v4, l.port(), options, 100ms, [&](ProbeResult r) { result = std::move(r); });
	std::this_thread::sleep_for(300ms); // the loop is busy elsewhere past the deadline
	ASSERT_TRUE(runUntil([&] { return result.has_value(); }));
	EXPECT_TRUE(result->ok) << result->detail;
}

TEST_F(ProberTest, HundredsAtOnceAllCompleteAndLeaveNoDescriptor)
{
	Listener l(1024);
	const auto before = openDescriptors();
	{
		TcpConnectProber prober(io);
		int passed = 0, failed = 0;
		for (int round = 0; round < 3; ++round) {
			for (int i = 0; i < 300; ++i)
				prober.start(v4, l.port(), options, 2000ms,
				             [&](ProbeResult r) { ++(r.ok ? passed : failed); });
			EXPECT_EQ(prober.inFlight(), 300u);
			runUntil([&] { return prober.inFlight() == 0; });
			// The listener never accepts: make room for the next round.
			l.open(1024);
		}
		EXPECT_EQ(passed, 900);
		EXPECT_EQ(failed, 0);
		EXPECT_EQ(openDescriptors(), before + 1); // the prober's epoll set
	}
	EXPECT_EQ(openDescriptors(), before);
}

TEST_F(ProberTest, CallbacksMayStartAndCancelProbes)
{
	TcpConnectProber prober(io);
	Listener l(1024);
	int completed = 0;
	std::vector<TcpConnectProber::Handle> cancelled;
	std::function<void(ProbeResult)> next = [&](ProbeResult r) {
		EXPECT_TRUE(r.ok) << r.detail;
		if (++completed == 50)
			return;
		prober.start(v4, l.port(), options, 1000ms, next);
		// A probe started and cancelled at once never reports.
		auto doomed = prober.start(v4, l.port(), options, 1000ms, [](ProbeResult) { FAIL() << "cancelled"; });
		prober.cancel(doomed);
		cancelled.push_back(doomed);
	};
	prober.start(v4, l.port(), options, 1000ms, next);
	ASSERT_TRUE(runUntil([&] { return completed == 50; }));
	runUntil([] { return false; }, 100ms);
	EXPECT_EQ(prober.inFlight(), 0u);
	// Stale handles name nothing, even once their slot is reused.
	std::optional<ProbeResult> result;
	prober.start(v4, l.port(), options, 1000ms, [&](ProbeResult r) { result = std::move(r); });
	for (auto h : cancelled)
		prober.cancel(h);
	ASSERT_TRUE(runUntil([&] { return result.has_value(); }));
	EXPECT_TRUE(result->ok);
}

TEST_F(ProberTest, SocketOptionFailuresAreReportedFromTheLoop)
{
	TcpConnectProber prober(io);
	options.bindIf = "nosuchdev0";
	auto r = probe(prober, v4, closedPort());
	ASSERT_TRUE(r);
	EXPECT_FALSE(r->ok);
	EXPECT_EQ(r->detail.rfind("bind_if nosuchdev0: ", 0), 0u) << r->detail;
	options = {};
	options.bindTo = *config::IpAddress::parse("192.0.2.1"); // not on this host
	r = probe(prober, v4, closedPort());
	ASSERT_TRUE(r);
	EXPECT_EQ(r->detail, "bind to [192.0.2.1]:0: Cannot assign requested address");
	EXPECT_EQ(prober.inFlight(), 0u);
}

TEST_F(ProberTest, DestroyedWithProbesInFlightItReportsNothingAndClosesThem)
{
	Listener full(0);
	const auto before = openDescriptors();
	bool called = false;
	{
		TcpConnectProber prober(io);
		for (int i = 0; i < 20; ++i)
			prober.start(v4, full.port(), options, 5000ms, [&](ProbeResult) { called = true; });
	}
	runUntil([] { return false; }, 200ms);
	EXPECT_FALSE(called);
	EXPECT_EQ(openDescriptors(), before);
}

} // namespace
} // namespace vigil::checkers
