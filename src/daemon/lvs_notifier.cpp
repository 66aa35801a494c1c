#include "src/daemon/lvs_notifier.h"

#include <fmt/format.h>

namespace vigil::daemon {

std::string realServerName(const config::VirtualServer &vs, const config::RealServer &rs)
{
	return fmt::format("[{}]:{}:{}", rs.address.str(), config::protocolLower(vs.protocol), rs.port);
}

std::string virtualServerName(const config::VirtualServer &vs)
{
	switch (vs.kind) {
	case config::VirtualServerKind::kFwmark:
		return fmt::format("FWM {}", vs.fwmark);
	case config::VirtualServerKind::kGroup:
		return fmt::format("[{}]:{}:0", vs.group, config::protocolLower(vs.protocol));
	case config::VirtualServerKind::kAddress:
		break;
	}
	return fmt::format("[{}]:{}:{}", vs.address.str(), config::protocolLower(vs.protocol), vs.port);
}

LvsNotifier::LvsNotifier(exec::ScriptRunner &runner, std::shared_ptr<spdlog::logger> log)
        : outlet_(runner, std::move(log))
{
}

void LvsNotifier::configure(const config::Config &config, bool startSharedScript)
{
	const auto &g = config.global;
	outlet_.configure(g, {{g.notifyFifo ? &*g.notifyFifo : nullptr, startSharedScript},
	                      {g.lvsNotifyFifo ? &*g.lvsNotifyFifo : nullptr, true}});
}

void LvsNotifier::realServer(const config::VirtualServer &vs, const config::RealServer &rs, bool up)
{
	if (const auto &script = up ? rs.notifyUp : rs.notifyDown; script)
		outlet_.run(*script);
	outlet_.write(fmt::format("RS {} {} {}", realServerName(vs, rs), virtualServerName(vs), up ? "UP" : "DOWN"));
}

void LvsNotifier::virtualServer(const config::VirtualServer &vs, bool up)
{
	if (const auto &script = up ? vs.quorumUp : vs.quorumDown; script)
		outlet_.run(*script);
	outlet_.write(fmt::format("VS {} {}", virtualServerName(vs), up ? "UP" : "DOWN"));
}

} // namespace vigil::daemon
