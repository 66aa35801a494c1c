// TCP_CHECK and MISC_CHECK through the real transport: a listener this
// process runs on 127.0.0.1, a closed port, real children (/bin/sh).

#include <boost/asio/ip/tcp.hpp>
#include <filesystem>
#include <gtest/gtest.h>

#include "checkers/asio_probe_transport.h"
#include "exec/asio_script_runner.h"
#include "tests/fakes/load_snippet.h"

namespace vigil::checkers {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

// Runs the loop until `done` or `bound`.
template <typename Pred> bool runUntil(asio::io_context &io, Pred done, std::chrono::milliseconds bound = 10s)
{
	const auto deadline = std::chrono::steady_clock::now() + bound;
	while (!done() && std::chrono::steady_clock::now() < deadline) {
		io.restart();
		io.run_one_for(100ms);
	}
	return done();
}

std::size_t openDescriptors()
{
	std::size_t n = 0;
	for ([[maybe_unused]] const auto &entry : std::filesystem::directory_iterator("/proc/self/fd"))
		++n;
	return n;
}

class ProbeTest : public ::testing::Test
{
protected:
	// One checker of the given type and body, its real server on 127.0.0.1.
	config::Checker checker(const std::string &block, std::uint16_t port)
	{
		auto loaded =
		        testing::loadSnippet("virtual_server 192.0.2.1 80 {\n protocol TCP\n real_server 127.0.0.1 " +
		                             std::to_string(port) + " {\n" + block + "\n }\n}\n");
		EXPECT_FALSE(loaded.fatal());
		return loaded.config.lvs.virtualServers.at(0).realServers.at(0).checkers.at(0);
	}

	ProbeResult probe(const config::Checker &c, std::chrono::milliseconds timeout = 1000ms)
	{
		std::optional<ProbeResult> result;
		ProbeRequest request{c, c.endpoint.connectIp, c.endpoint.connectPort, timeout, std::nullopt};
		transport.launch(request, [&](ProbeResult r) { result = std::move(r); });
		EXPECT_FALSE(result) << "done called inside launch()";
		EXPECT_TRUE(runUntil(io, [&] { return result.has_value(); }));
		return result.value_or(ProbeResult::fail("no result"));
	}

	asio::io_context io;
	exec::AsioScriptRunner runner{io};
	AsioProbeTransport transport{ProbeContext{io, runner,
	                                          [](const config::Script &s) {
		                                          exec::RunRequest r;
		                                          r.argv = s.argv;
		                                          return r;
	                                          },
	                                          nullptr}};
};

TEST_F(ProbeTest, TcpCheckPassesOnAListenerAndFailsOnAClosedPort)
{
	asio::ip::tcp::acceptor listener(io, {asio::ip::make_address("127.0.0.1"), 0});
	const auto port = listener.local_endpoint().port();
	auto c = checker("TCP_CHECK {\n}", port);
	EXPECT_TRUE(probe(c).ok);
	listener.close();
	auto refused = probe(c);
	EXPECT_FALSE(refused.ok);
	EXPECT_EQ(refused.detail, "Connection refused");
}

TEST_F(ProbeTest, TcpCheckBindsToBindtoAndBindPort)
{
	asio::ip::tcp::acceptor listener(io, {asio::ip::make_address("127.0.0.1"), 0});
	const auto port = listener.local_endpoint().port();
	asio::ip::tcp::acceptor spare(io, {asio::ip::make_address("127.0.0.1"), 0});
	const auto sourcePort = spare.local_endpoint().port();
	spare.close();
	auto c = checker("TCP_CHECK {\n bindto 127.0.0.2\n bind_port " + std::to_string(sourcePort) + "\n}", port);
	asio::ip::tcp::socket accepted(io);
	listener.async_accept(accepted, [](const boost::system::error_code &) {});
	EXPECT_TRUE(probe(c).ok);
	runUntil(io, [&] { return accepted.is_open(); });
	ASSERT_TRUE(accepted.is_open());
	EXPECT_EQ(accepted.remote_endpoint().address().to_string(), "127.0.0.2");
	EXPECT_EQ(accepted.remote_endpoint().port(), sourcePort);
}

TEST_F(ProbeTest, TcpCheckLeaksNoDescriptors)
{
	asio::ip::tcp::acceptor listener(io, {asio::ip::make_address("127.0.0.1"), 0});
	auto c = checker("TCP_CHECK {\n}", listener.local_endpoint().port());
	probe(c); // the transport's first use opens what it keeps
	const auto before = openDescriptors();
	for (int i = 0; i < 200; ++i)
		ASSERT_TRUE(probe(c).ok) << i;
	EXPECT_EQ(openDescriptors(), before);
}

TEST_F(ProbeTest, MiscCheckExitStatus)
{
	EXPECT_TRUE(probe(checker("MISC_CHECK {\n misc_path \"/bin/sh -c 'exit 0'\"\n}", 80)).ok);
	auto failed = probe(checker("MISC_CHECK {\n misc_path \"/bin/sh -c 'exit 3'\"\n}", 80));
	EXPECT_FALSE(failed.ok);
	EXPECT_EQ(failed.detail, "exited with status 3");
}

TEST_F(ProbeTest, MiscDynamicSetsTheWeightFromTheExitStatus)
{
	const std::string dynamic = "MISC_CHECK {\n misc_path \"/bin/sh -c 'exit %'\"\n misc_dynamic\n}";
	auto with = [&](int status) {
		auto block = dynamic;
		block.replace(block.find('%'), 1, std::to_string(status));
		return probe(checker(block, 80));
	};
	auto zero = with(0);
	EXPECT_TRUE(zero.ok);
	EXPECT_EQ(zero.weight, std::nullopt);
	EXPECT_FALSE(with(1).ok);
	auto twelve = with(12);
	EXPECT_TRUE(twelve.ok);
	EXPECT_EQ(twelve.weight, 10u);
	EXPECT_EQ(with(2).weight, 0u);
}

TEST_F(ProbeTest, MiscTimeoutKillsTheScriptAndFails)
{
	const auto started = std::chrono::steady_clock::now();
	auto result = probe(checker("MISC_CHECK {\n misc_path \"/bin/sleep 30\"\n misc_timeout 1\n}", 80));
	EXPECT_FALSE(result.ok);
	EXPECT_EQ(result.detail.rfind("timed out", 0), 0u) << result.detail;
	EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
}

TEST_F(ProbeTest, CancelledProbeReportsNothing)
{
	asio::ip::tcp::acceptor listener(io, {asio::ip::make_address("127.0.0.1"), 0});
	auto c = checker("TCP_CHECK {\n}", listener.local_endpoint().port());
	bool called = false;
	ProbeRequest request{c, c.endpoint.connectIp, c.endpoint.connectPort, 1000ms, std::nullopt};
	auto id = transport.launch(request, [&](ProbeResult) { called = true; });
	transport.cancel(id);
	runUntil(
	        io, [] { return false; }, 300ms);
	EXPECT_FALSE(called);
	EXPECT_EQ(transport.inFlight(), 0u);
}

} // namespace
} // namespace vigil::checkers
