#include "src/daemon/vrrp_notifier.h"

#include <algorithm>
#include <fmt/format.h>

#include "src/daemon/script_request.h"

namespace vigil::daemon {

VrrpNotifier::VrrpNotifier(exec::ScriptRunner &runner, std::shared_ptr<spdlog::logger> log)
        : runner_(runner), log_(std::move(log))
{
}

void VrrpNotifier::configure(const config::Config &config)
{
	global_ = config.global;
	std::vector<exec::NotifyFifo> kept;
	for (const auto &wanted : {config.global.notifyFifo, config.global.vrrpNotifyFifo}) {
		if (!wanted || wanted->path.empty())
			continue;
		auto it = std::find_if(fifos_.begin(), fifos_.end(),
		                       [&](const auto &f) { return f.path() == wanted->path; });
		if (it != fifos_.end()) {
			// Its reader script is running since it was opened.
			kept.push_back(std::move(*it));
			continue;
		}
		auto fifo = exec::NotifyFifo::open(wanted->path);
		if (!fifo) {
			log_->error("notify FIFO {}: {}", wanted->path, fifo.error().message);
			continue;
		}
		kept.push_back(std::move(*fifo));
		if (!wanted->script.empty())
			run({wanted->script, config::Script::split(wanted->script), wanted->user, wanted->group, {}},
			    {wanted->path});
	}
	fifos_ = std::move(kept);
}

void VrrpNotifier::instance(const config::VrrpInstance &vi, vrrp::State state, int priority)
{
	notify(vi.notify, "INSTANCE", vi.name, state, priority);
}

void VrrpNotifier::group(const config::VrrpSyncGroup &group, vrrp::State state)
{
	notify(group.notify, "GROUP", group.name, state, 0);
}

void VrrpNotifier::notify(const config::NotifyScripts &scripts, const char *kind, const std::string &name,
                          vrrp::State state, int priority)
{
	const std::optional<config::Script> *specific = nullptr;
	switch (state) {
	case vrrp::State::kMaster:
		specific = &scripts.master;
		break;
	case vrrp::State::kBackup:
		specific = &scripts.backup;
		break;
	case vrrp::State::kFault:
		specific = &scripts.fault;
		break;
	case vrrp::State::kStopped:
		specific = &scripts.stop;
		break;
	case vrrp::State::kInit:
		return;
	}
	if (*specific)
		run(**specific, {});
	const std::string stateWord(vrrp::stateName(state));
	if (scripts.any)
		run(*scripts.any, {kind, name, stateWord, std::to_string(priority)});
	const std::string line = fmt::format("{} \"{}\" {} {}", kind, name, stateWord, priority);
	for (auto &fifo : fifos_)
		if (auto written = fifo.write(line); !written)
			log_->warn("notify FIFO {}: {}", fifo.path(), written.error().message);
}

void VrrpNotifier::run(const config::Script &script, std::vector<std::string> extraArgs)
{
	auto request = scriptRequest(script, global_, std::move(extraArgs));
	const std::string command = script.command;
	runner_.run(request, [log = log_, command](const exec::RunResult &result) {
		if (!result.succeeded())
			log->warn("Notify script {}: {}", command, result.str());
	});
}

} // namespace vigil::daemon
