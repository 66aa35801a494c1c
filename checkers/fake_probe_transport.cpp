#include "checkers/fake_probe_transport.h"

namespace vigil::checkers {

ProbeId FakeProbeTransport::launch(const ProbeRequest &request, Done done)
{
	const ProbeId id = nextId_++;
	Launch launch{id, request.checker.type, request.address, request.port, request.timeout, request.url};
	launches_.push_back(launch);
	pending_.emplace(id, std::make_pair(launch, std::move(done)));
	return id;
}

void FakeProbeTransport::cancel(ProbeId id)
{
	if (pending_.erase(id))
		++cancelled_;
}

bool FakeProbeTransport::complete(ProbeId id, ProbeResult result)
{
	auto it = pending_.find(id);
	if (it == pending_.end())
		return false;
	auto done = std::move(it->second.second);
	pending_.erase(it);
	done(std::move(result));
	return true;
}

std::size_t FakeProbeTransport::deliver(const ProbeResult &fallback)
{
	std::vector<ProbeId> ids;
	for (const auto &[id, entry] : pending_)
		ids.push_back(id);
	std::size_t n = 0;
	for (ProbeId id : ids) {
		auto it = pending_.find(id);
		if (it == pending_.end())
			continue;
		auto answer = answers_.find({it->second.first.address, it->second.first.port});
		n += complete(id, answer == answers_.end() ? fallback : answer->second);
	}
	return n;
}

void FakeProbeTransport::setAnswer(const config::IpAddress &address, std::uint16_t port, ProbeResult result)
{
	answers_[{address, port}] = std::move(result);
}

} // namespace vigil::checkers
