#pragma once

// Runs one real probe session to its result on a loop the test owns, next
// to the fake servers the test runs on 127.0.0.1. Every run is bounded by
// the probe's own timeout plus a margin, in wall time.

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>

#include "checkers/probe_context.h"
#include "exec/fake_script_runner.h"

namespace vigil::checkers::testing {

using Factory = std::function<std::shared_ptr<ProbeSession>(ProbeContext &, const ProbeRequest &)>;

struct Outcome {
	std::optional<ProbeResult> result; // unset: no result within the bound
	std::chrono::milliseconds elapsed{0};
};

class ProbeHarness
{
public:
	boost::asio::io_context io;
	exec::FakeScriptRunner runner;
	ProbeContext context{io, runner, {}, nullptr};

	Outcome run(const Factory &factory, const config::Checker &checker, const config::IpAddress &address,
	            std::uint16_t port, std::chrono::milliseconds timeout)
	{
		ProbeRequest request{checker, address, port, timeout, std::nullopt};
		auto session = factory(context, request);
		Outcome outcome;
		const auto begun = std::chrono::steady_clock::now();
		session->start([&](ProbeResult result) {
			outcome.result = std::move(result);
			outcome.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
			        std::chrono::steady_clock::now() - begun);
		});
		const auto bound = begun + timeout + std::chrono::seconds(2);
		while (!outcome.result && std::chrono::steady_clock::now() < bound) {
			io.restart();
			io.run_one_for(std::chrono::milliseconds(50));
		}
		if (!outcome.result)
			session->cancel();
		// Let the servers finish what the probe's close started.
		io.restart();
		io.poll();
		return outcome;
	}

	// Turns the loop for `duration`, for servers to see what was sent.
	void spin(std::chrono::milliseconds duration)
	{
		const auto until = std::chrono::steady_clock::now() + duration;
		while (std::chrono::steady_clock::now() < until) {
			io.restart();
			io.run_one_for(std::chrono::milliseconds(10));
		}
	}
};

inline config::IpAddress loopback4()
{
	return *config::IpAddress::parse("127.0.0.1");
}

inline config::IpAddress loopback6()
{
	return *config::IpAddress::parse("::1");
}

inline std::size_t openDescriptors()
{
	std::size_t count = 0;
	for ([[maybe_unused]] const auto &entry : std::filesystem::directory_iterator("/proc/self/fd"))
		++count;
	return count;
}

} // namespace vigil::checkers::testing
