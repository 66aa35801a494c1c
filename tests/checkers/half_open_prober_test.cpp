// TCP_CHECK's half_open prober against listeners on the loopback of a
// network namespace this binary makes for itself (root: raw sockets; the
// netns suite). What is checked is what the server sees: a listener that
// never accepts has nothing to accept after a half-open check (and
// something after a connect), and no half-open connection is left on its
// side, because our kernel reset it.

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

#include "checkers/half_open_prober.h"
#include "checkers/tcp_connect_prober.h"
#include "tests/checkers/probe_harness.h"
#include "tests/checkers/tcp_listener.h"

namespace vigil::checkers {
namespace {

using namespace std::chrono_literals;

using testing::closedPort;
using testing::openDescriptors;
using Listener = testing::TcpListener;
constexpr auto kWildcard = Listener::Bind::kWildcard;

// Connections in SYN_RECV on the server side of `port` (/proc/net/tcp
// and tcp6: state 03, local port in hex).
int synReceived(std::uint16_t port)
{
	int n = 0;
	for (const char *file : {"/proc/net/tcp", "/proc/net/tcp6"}) {
		std::ifstream in(file);
		std::string line;
		std::getline(in, line);
		const std::string local = fmt::format(":{:04X}", port);
		while (std::getline(in, line)) {
			std::istringstream fields(line);
			std::string slot, localAddress, remote, state;
			fields >> slot >> localAddress >> remote >> state;
			if (state == "03" && localAddress.ends_with(local))
				++n;
		}
	}
	return n;
}

class HalfOpenTest : public ::testing::Test
{
protected:
	boost::asio::io_context io;
	config::IpAddress v4 = *config::IpAddress::parse("127.0.0.1");
	config::IpAddress v6 = *config::IpAddress::parse("::1");

	template <typename Pred> bool runUntil(Pred done, std::chrono::milliseconds bound = 5s)
	{
		const auto deadline = std::chrono::steady_clock::now() + bound;
		while (!done() && std::chrono::steady_clock::now() < deadline) {
			io.restart();
			io.run_one_for(20ms);
		}
		return done();
	}

	struct Outcome {
		std::optional<ProbeResult> result;
		std::chrono::milliseconds elapsed{0};
	};
	Outcome probe(HalfOpenProber &prober, const config::IpAddress &address, std::uint16_t port,
	              std::chrono::milliseconds timeout = 1000ms)
	{
		Outcome out;
		const auto begun = std::chrono::steady_clock::now();
		prober.start(address, port, timeout, [&](ProbeResult r) {
			out.result = std::move(r);
			out.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
			        std::chrono::steady_clock::now() - begun);
		});
		EXPECT_FALSE(out.result) << "done called inside start()";
		runUntil([&] { return out.result.has_value(); }, timeout + 2s);
		return out;
	}
};

TEST_F(HalfOpenTest, AListenerPassesAndItsApplicationSeesNothing)
{
	HalfOpenProber prober(io);
	for (bool v6only : {false, true}) {
		Listener listener(16, v6only, kWildcard);
		auto out = probe(prober, v6only ? v6 : v4, listener.port());
		ASSERT_TRUE(out.result) << v6only;
		EXPECT_TRUE(out.result->ok) << out.result->detail;
		EXPECT_LT(out.elapsed, 500ms);
		EXPECT_FALSE(listener.pending()) << "a connection reached the accept queue";
		// Our kernel reset the half-open connection: nothing is left
		// waiting for the handshake's last ACK on the server's side.
		for (int i = 0; i < 20 && synReceived(listener.port()) > 0; ++i)
			std::this_thread::sleep_for(10ms);
		EXPECT_EQ(synReceived(listener.port()), 0);
	}
	// The control: a connect does leave a connection to accept.
	Listener listener(16);
	TcpConnectProber connect(io);
	std::optional<ProbeResult> connected;
	connect.start(v4, listener.port(), {}, 1000ms, [&](ProbeResult r) { connected = std::move(r); });
	ASSERT_TRUE(runUntil([&] { return connected.has_value(); }));
	EXPECT_TRUE(connected->ok);
	EXPECT_TRUE(listener.pending());
}

TEST_F(HalfOpenTest, AClosedPortIsRefusedAtOnce)
{
	HalfOpenProber prober(io);
	const std::uint16_t closed = closedPort();
	for (const auto &address : {v4, v6}) {
		auto out = probe(prober, address, closed);
		ASSERT_TRUE(out.result) << address.str();
		EXPECT_FALSE(out.result->ok);
		EXPECT_EQ(out.result->detail, "Connection refused");
		EXPECT_LT(out.elapsed, 500ms);
	}
}

TEST_F(HalfOpenTest, AFullQueueTimesOutAndAFreedOneAnswersTheRetransmission)
{
	// Backlog 0 and a connection nobody accepts: the server drops SYNs.
	Listener listener(0);
	int client = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	sockaddr_in a{};
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons(listener.port());
	::connect(client, reinterpret_cast<sockaddr *>(&a), sizeof a);
	ASSERT_TRUE(listener.pending());

	HalfOpenProber prober(io);
	auto timedOut = probe(prober, v4, listener.port(), 600ms);
	ASSERT_TRUE(timedOut.result);
	EXPECT_FALSE(timedOut.result->ok);
	EXPECT_EQ(timedOut.result->detail, "timeout after 600 ms (connect)");
	EXPECT_GE(timedOut.elapsed, 600ms);

	// Dropped again, then the queue is freed: the SYN sent again at 1 s
	// is answered.
	std::optional<ProbeResult> result;
	const auto begun = std::chrono::steady_clock::now();
	prober.start(v4, listener.port(), 3000ms, [&](ProbeResult r) { result = std::move(r); });
	runUntil([] { return false; }, 300ms);
	listener.acceptOne();
	ASSERT_TRUE(runUntil([&] { return result.has_value(); }, 4s));
	const auto elapsed = std::chrono::steady_clock::now() - begun;
	EXPECT_TRUE(result->ok) << result->detail;
	EXPECT_GE(elapsed, 900ms);
	EXPECT_LT(elapsed, 2500ms);
	::close(client);
}

TEST_F(HalfOpenTest, TwoHundredServersAtOnceAndNoDescriptorGrowth)
{
	Listener listener(1024, false, kWildcard);
	HalfOpenProber prober(io);
	probe(prober, v4, listener.port()); // sets the prober up
	const auto before = openDescriptors();
	for (int round = 0; round < 2; ++round) {
		int passed = 0, failed = 0;
		for (int i = 1; i <= 200; ++i)
			prober.start(*config::IpAddress::parse(fmt::format("127.1.0.{}", i)), listener.port(), 2000ms,
			             [&](ProbeResult r) { ++(r.ok ? passed : failed); });
		ASSERT_TRUE(runUntil([&] { return passed + failed == 200; }));
		EXPECT_EQ(passed, 200);
		EXPECT_EQ(prober.inFlight(), 0u);
	}
	EXPECT_FALSE(listener.pending());
	EXPECT_EQ(openDescriptors(), before);
}

TEST_F(HalfOpenTest, CancelledProbesReportNothingAndFreeTheirPort)
{
	Listener listener(16);
	HalfOpenProber prober(io, 1); // one source port: a cancelled probe must give it back
	bool called = false;
	auto handle = prober.start(v4, listener.port(), 1000ms, [&](ProbeResult) { called = true; });
	prober.cancel(handle);
	EXPECT_EQ(prober.inFlight(), 0u);
	auto out = probe(prober, v4, listener.port());
	ASSERT_TRUE(out.result);
	EXPECT_TRUE(out.result->ok) << out.result->detail;
	runUntil([] { return false; }, 200ms);
	EXPECT_FALSE(called);
	// With its only port busy, a second probe of the same server fails
	// at once, saying why.
	std::optional<ProbeResult> first, second;
	prober.start(v4, listener.port(), 1000ms, [&](ProbeResult r) { first = std::move(r); });
	prober.start(v4, listener.port(), 1000ms, [&](ProbeResult r) { second = std::move(r); });
	ASSERT_TRUE(runUntil([&] { return first && second; }));
	EXPECT_TRUE(first->ok);
	EXPECT_EQ(second->detail, "half_open: every source port is busy with this server");
}

} // namespace
} // namespace vigil::checkers
