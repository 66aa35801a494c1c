#include "src/daemon/vrrp_notifier.h"

#include <fmt/format.h>

namespace vigil::daemon {

VrrpNotifier::VrrpNotifier(exec::ScriptRunner &runner, std::shared_ptr<spdlog::logger> log)
        : outlet_(runner, std::move(log))
{
}

void VrrpNotifier::configure(const config::Config &config)
{
	const auto &g = config.global;
	outlet_.configure(g, {{g.notifyFifo ? &*g.notifyFifo : nullptr, true},
	                      {g.vrrpNotifyFifo ? &*g.vrrpNotifyFifo : nullptr, true}});
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
		outlet_.run(**specific);
	const std::string stateWord(vrrp::stateName(state));
	if (scripts.any)
		outlet_.run(*scripts.any, {kind, name, stateWord, std::to_string(priority)});
	outlet_.write(fmt::format("{} \"{}\" {} {}", kind, name, stateWord, priority));
}

} // namespace vigil::daemon
