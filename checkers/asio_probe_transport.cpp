#include "checkers/asio_probe_transport.h"

#include <boost/asio/post.hpp>
#include <fmt/format.h>

namespace vigil::checkers {
namespace {

// A checker type vigil does not run yet: the session fails at once with
// that said, so the operator sees it in the log rather than a server
// silently counted alive.
class UnsupportedSession final : public ProbeSession
{
public:
	explicit UnsupportedSession(config::CheckerType type) : type_(type) {}
	void start(ProbeTransport::Done done) override
	{
		done(ProbeResult::fail(fmt::format("{} is not supported by vigil", config::checkerKeyword(type_))));
	}
	void cancel() override {}

private:
	config::CheckerType type_;
};

constexpr ProbeId kTcpProbe = ProbeId{1} << 63;
constexpr ProbeId kHalfOpenProbe = ProbeId{1} << 62;

} // namespace

AsioProbeTransport::AsioProbeTransport(ProbeContext context)
        : context_(std::move(context)), tcp_(context_.io), halfOpen_(context_.io)
{
}

AsioProbeTransport::~AsioProbeTransport()
{
	*alive_ = false;
	for (auto &[id, session] : sessions_)
		session->cancel();
}

std::shared_ptr<ProbeSession> AsioProbeTransport::makeSession(const ProbeRequest &request)
{
	switch (request.checker.type) {
	case config::CheckerType::kMisc:
		return makeMiscSession(context_, request);
	case config::CheckerType::kDns:
		return makeDnsSession(context_, request);
	case config::CheckerType::kSmtp:
		return makeSmtpSession(context_, request);
	case config::CheckerType::kUdp:
		return makeUdpSession(context_, request);
	case config::CheckerType::kPing:
		return makePingSession(context_, request);
	case config::CheckerType::kHttp:
	case config::CheckerType::kSsl:
		return makeHttpSession(context_, request);
	default:
		break;
	}
	return std::make_shared<UnsupportedSession>(request.checker.type);
}

ProbeId AsioProbeTransport::launch(const ProbeRequest &request, Done done)
{
	if (config::runsHalfOpen(request.checker))
		return kHalfOpenProbe |
		       halfOpen_.start(request.address, request.port, request.timeout, std::move(done));
	if (request.checker.type == config::CheckerType::kTcp)
		return kTcpProbe | tcp_.start(request.address, request.port, request.checker.endpoint, request.timeout,
		                              std::move(done));
	const ProbeId id = nextId_++;
	auto session = makeSession(request);
	sessions_.emplace(id, session);
	// Started at once (no extra turn of the loop per check); a session that
	// ends inside start() (a socket option refused) has its result posted,
	// so that `done` is never called inside launch().
	launching_ = id;
	session->start(
	        [this, alive = std::weak_ptr<bool>(alive_), id, done = std::move(done)](ProbeResult result) mutable {
		        if (alive.expired())
			        return;
		        auto deliver = [this, id, done = std::move(done)](ProbeResult r) {
			        if (sessions_.erase(id) == 0)
				        return; // cancelled meanwhile
			        done(std::move(r));
		        };
		        if (launching_ != id) {
			        deliver(std::move(result));
			        return;
		        }
		        boost::asio::post(context_.io,
		                          [alive, deliver = std::move(deliver), result = std::move(result)]() mutable {
			                          if (!alive.expired())
				                          deliver(std::move(result));
		                          });
	        });
	launching_ = 0;
	return id;
}

void AsioProbeTransport::cancel(ProbeId id)
{
	if (id & kTcpProbe) {
		tcp_.cancel(id & ~kTcpProbe);
		return;
	}
	if (id & kHalfOpenProbe) {
		halfOpen_.cancel(id & ~kHalfOpenProbe);
		return;
	}
	auto it = sessions_.find(id);
	if (it == sessions_.end())
		return;
	auto session = std::move(it->second);
	sessions_.erase(it);
	session->cancel();
}

} // namespace vigil::checkers
