#pragma once

// The daemon's probes: real sockets and child processes on its loop, one
// session per exchange, dispatched by checker type.

#include <memory>
#include <unordered_map>

#include "checkers/half_open_prober.h"
#include "checkers/probe.h"
#include "checkers/probe_context.h"
#include "checkers/tcp_connect_prober.h"

namespace vigil::checkers {

class AsioProbeTransport final : public ProbeTransport
{
public:
	explicit AsioProbeTransport(ProbeContext context);
	~AsioProbeTransport() override;
	AsioProbeTransport(const AsioProbeTransport &) = delete;
	AsioProbeTransport &operator=(const AsioProbeTransport &) = delete;

	ProbeId launch(const ProbeRequest &request, Done done) override;
	void cancel(ProbeId id) override;
	std::size_t inFlight() const override { return sessions_.size() + tcp_.inFlight() + halfOpen_.inFlight(); }

	ProbeContext &context() { return context_; }

private:
	std::shared_ptr<ProbeSession> makeSession(const ProbeRequest &request);

	ProbeContext context_;
	// TCP_CHECK's probes; their ids have the top bit set, and with
	// half_open the next one instead.
	TcpConnectProber tcp_;
	HalfOpenProber halfOpen_;
	std::unordered_map<ProbeId, std::shared_ptr<ProbeSession>> sessions_;
	ProbeId nextId_ = 1;
	ProbeId launching_ = 0; // the probe inside launch(), if any
	// Posted starts outlive the transport in the loop's queue.
	std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

} // namespace vigil::checkers
