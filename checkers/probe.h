#pragma once

// One health check exchange with a real server (a TCP connect, an HTTP GET,
// a script run...) behind an interface, so that the scheduler and policy run
// over a fake transport and a simulated clock in unit tests and over real
// sockets in the daemon. A probe only reports pass or fail; it never touches
// the kernel's tables.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "src/config/lvs/lvs.h"

namespace vigil::checkers {

using ProbeId = std::uint64_t;

// What one exchange needs. The checker is owned by the scheduler and
// outlives every probe it launches.
struct ProbeRequest {
	const config::Checker &checker;
	// connect_ip / connect_port resolved against the real server (for
	// SMTP_CHECK, the first host's).
	config::IpAddress address;
	std::uint16_t port = 0;
	// The whole exchange, connect to last byte: a peer that accepts and
	// then trickles or never answers fails within connect_timeout.
	std::chrono::milliseconds timeout{5000};
	// HTTP_GET / SSL_GET: check only this url (recovery checks one url per
	// delay_loop, as keepalived); unset: every url, one after the other.
	std::optional<std::size_t> url;
};

struct ProbeResult {
	bool ok = false;
	// For logs, in keepalived's words where it has some: "connection
	// refused", "status code 503", "digest mismatch", "exited with status 1".
	std::string detail;
	// MISC_CHECK with misc_dynamic: the weight the exit status asks for.
	std::optional<std::uint32_t> weight;

	static ProbeResult pass(std::string detail = {}) { return {true, std::move(detail), std::nullopt}; }
	static ProbeResult fail(std::string detail) { return {false, std::move(detail), std::nullopt}; }
};

class ProbeTransport
{
public:
	using Done = std::function<void(ProbeResult)>;

	virtual ~ProbeTransport() = default;
	// Starts an exchange. `done` is called exactly once, from the event
	// loop and never from inside launch(), unless the probe is cancelled
	// or the transport destroyed first.
	virtual ProbeId launch(const ProbeRequest &request, Done done) = 0;
	// Stops an exchange; its `done` will not be called. Unknown or
	// finished ids are ignored.
	virtual void cancel(ProbeId id) = 0;
	virtual std::size_t inFlight() const = 0;
};

} // namespace vigil::checkers
