#pragma once

// A transport for unit tests: launches are recorded and the test decides
// when and how each one ends (complete()), or gives a default answer per
// target that is delivered at once by deliver().

#include <deque>
#include <map>
#include <string>

#include "checkers/probe.h"

namespace vigil::checkers {

class FakeProbeTransport final : public ProbeTransport
{
public:
	struct Launch {
		ProbeId id;
		config::CheckerType type;
		config::IpAddress address;
		std::uint16_t port;
		std::chrono::milliseconds timeout;
		std::optional<std::size_t> url;
	};

	ProbeId launch(const ProbeRequest &request, Done done) override;
	void cancel(ProbeId id) override;
	std::size_t inFlight() const override { return pending_.size(); }

	// Ends one probe (its `done` runs now).
	bool complete(ProbeId id, ProbeResult result);
	// Ends every probe in flight with the answer set for its target
	// (address:port), or `fallback`. Returns how many ended.
	std::size_t deliver(const ProbeResult &fallback = ProbeResult::pass());
	void setAnswer(const config::IpAddress &address, std::uint16_t port, ProbeResult result);

	// Every launch so far, in order.
	const std::vector<Launch> &launches() const { return launches_; }
	std::size_t cancelled() const { return cancelled_; }

private:
	std::map<ProbeId, std::pair<Launch, Done>> pending_;
	std::map<std::pair<config::IpAddress, std::uint16_t>, ProbeResult> answers_;
	std::vector<Launch> launches_;
	ProbeId nextId_ = 1;
	std::size_t cancelled_ = 0;
};

} // namespace vigil::checkers
