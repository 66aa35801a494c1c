#include "src/daemon/lvs_notifier.h"

#include <algorithm>
#include <fmt/format.h>

#include "src/daemon/script_request.h"

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
        : runner_(runner), log_(std::move(log))
{
}

void LvsNotifier::configure(const config::Config &config, bool startSharedScript)
{
	global_ = config.global;
	std::vector<exec::NotifyFifo> kept;
	for (const auto *wanted : {&config.global.notifyFifo, &config.global.lvsNotifyFifo}) {
		if (!*wanted || (*wanted)->path.empty())
			continue;
		const auto &fifoConfig = **wanted;
		auto it = std::find_if(fifos_.begin(), fifos_.end(),
		                       [&](const auto &f) { return f.path() == fifoConfig.path; });
		if (it != fifos_.end()) {
			kept.push_back(std::move(*it));
			continue;
		}
		auto fifo = exec::NotifyFifo::open(fifoConfig.path);
		if (!fifo) {
			log_->error("notify FIFO {}: {}", fifoConfig.path, fifo.error().message);
			continue;
		}
		kept.push_back(std::move(*fifo));
		const bool shared = wanted == &config.global.notifyFifo;
		if (!fifoConfig.script.empty() && (!shared || startSharedScript))
			run({fifoConfig.script,
			     config::Script::split(fifoConfig.script),
			     fifoConfig.user,
			     fifoConfig.group,
			     {}},
			    {fifoConfig.path});
	}
	fifos_ = std::move(kept);
}

void LvsNotifier::realServer(const config::VirtualServer &vs, const config::RealServer &rs, bool up)
{
	if (const auto &script = up ? rs.notifyUp : rs.notifyDown; script)
		run(*script, {});
	write(fmt::format("RS {} {} {}", realServerName(vs, rs), virtualServerName(vs), up ? "UP" : "DOWN"));
}

void LvsNotifier::virtualServer(const config::VirtualServer &vs, bool up)
{
	if (const auto &script = up ? vs.quorumUp : vs.quorumDown; script)
		run(*script, {});
	write(fmt::format("VS {} {}", virtualServerName(vs), up ? "UP" : "DOWN"));
}

void LvsNotifier::write(const std::string &line)
{
	for (auto &fifo : fifos_)
		if (auto written = fifo.write(line); !written)
			log_->warn("notify FIFO {}: {}", fifo.path(), written.error().message);
}

void LvsNotifier::run(const config::Script &script, std::vector<std::string> extraArgs)
{
	auto request = scriptRequest(script, global_, std::move(extraArgs));
	const std::string command = script.command;
	runner_.run(request, [log = log_, command](const exec::RunResult &result) {
		if (!result.succeeded())
			log->warn("Notify script {}: {}", command, result.str());
	});
}

} // namespace vigil::daemon
