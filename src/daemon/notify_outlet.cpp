#include "src/daemon/notify_outlet.h"

#include <algorithm>

#include "src/daemon/script_request.h"

namespace vigil::daemon {

NotifyOutlet::NotifyOutlet(exec::ScriptRunner &runner, std::shared_ptr<spdlog::logger> log)
        : runner_(runner), log_(std::move(log))
{
}

void NotifyOutlet::configure(const config::GlobalDefs &global, const std::vector<Fifo> &fifos)
{
	global_ = global;
	std::vector<exec::NotifyFifo> kept;
	for (const auto &wanted : fifos) {
		if (!wanted.config || wanted.config->path.empty())
			continue;
		const auto &fifoConfig = *wanted.config;
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
		if (!fifoConfig.script.empty() && wanted.startScript)
			run({fifoConfig.script,
			     config::Script::split(fifoConfig.script),
			     fifoConfig.user,
			     fifoConfig.group,
			     {}},
			    {fifoConfig.path});
	}
	fifos_ = std::move(kept);
}

void NotifyOutlet::write(const std::string &line)
{
	for (auto &fifo : fifos_)
		if (auto written = fifo.write(line); !written)
			log_->warn("notify FIFO {}: {}", fifo.path(), written.error().message);
}

void NotifyOutlet::run(const config::Script &script, std::vector<std::string> extraArgs)
{
	auto request = scriptRequest(script, global_, std::move(extraArgs));
	const std::string command = script.command;
	runner_.run(request, [log = log_, command](const exec::RunResult &result) {
		if (!result.succeeded())
			log->warn("Notify script {}: {}", command, result.str());
	});
}

} // namespace vigil::daemon
