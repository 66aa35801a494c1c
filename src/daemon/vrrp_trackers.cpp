#include "src/daemon/vrrp_trackers.h"

#include <fstream>
#include <set>

#include "src/daemon/script_request.h"
#include "vrrp/vrrp_timing.h"

namespace vigil::daemon {
namespace {

namespace asio = boost::asio;
using std::chrono::microseconds;

// keepalived reads a track_file as one integer; anything else counts as 0.
long readValue(const std::string &path)
{
	std::ifstream in(path);
	long value = 0;
	if (!(in >> value))
		return 0;
	return value;
}

} // namespace

struct VrrpTrackers::ScriptRun {
	ScriptRun(asio::io_context &io, config::VrrpScript s) : script(std::move(s)), health(script.initFail), timer(io)
	{
	}
	config::VrrpScript script;
	vrrp::ScriptHealth health;
	exec::RunRequest request;
	asio::steady_timer timer;
	exec::RunId running = exec::kNoRun;
};

VrrpTrackers::VrrpTrackers(asio::io_context &io, exec::ScriptRunner &runner, netlink::AddressClient &addresses,
                           std::shared_ptr<spdlog::logger> log, std::function<void()> changed)
        : io_(io), runner_(runner), addresses_(addresses), log_(std::move(log)), changed_(std::move(changed)),
          fileTimer_(io)
{
}

VrrpTrackers::~VrrpTrackers()
{
	stop();
}

void VrrpTrackers::start(const config::Config &config)
{
	// Scripts: only those an instance tracks run, as in keepalived.
	std::set<std::string> used;
	for (const auto &vi : config.vrrp.instances)
		for (const auto &t : vi.trackScripts)
			used.insert(t.name);
	for (auto it = scripts_.begin(); it != scripts_.end();) {
		const auto *now = config.vrrp.findScript(it->first);
		if (!used.contains(it->first) || !now || !now->script || !(now->script == it->second->script.script) ||
		    now->interval != it->second->script.interval) {
			runner_.cancel(it->second->running);
			states_.scriptOk.erase(it->first);
			it = scripts_.erase(it);
		} else {
			++it;
		}
	}
	for (const auto &name : used) {
		const auto *script = config.vrrp.findScript(name);
		if (!script || script->disabled || !script->script)
			continue;
		auto &run = scripts_[name];
		if (run) {
			run->script = *script; // rise, fall, weight may have changed
			run->request = scriptRequest(*script->script, config.global);
			continue;
		}
		run = std::make_unique<ScriptRun>(io_, *script);
		run->request = scriptRequest(*script->script, config.global);
		if (script->timeout > 0)
			run->request.timeout = vrrp::fromSeconds(script->timeout);
		schedule(*run, microseconds(0));
	}

	files_.clear();
	for (const auto &file : config.vrrp.trackFiles)
		files_[file.name] = file.file;
	readFiles();

	if (!watcher_) {
		auto watcher = netlink::LinkWatcher::open();
		if (watcher) {
			watcher_ = std::move(*watcher);
			watcherFd_.emplace(io_, watcher_->fd());
			watchLinks();
		} else {
			log_->error("Cannot watch interface state: {}", watcher.error().text);
		}
	}
	refreshLinks();
}

void VrrpTrackers::stop()
{
	for (auto &[name, run] : scripts_) {
		run->timer.cancel();
		runner_.cancel(run->running);
	}
	scripts_.clear();
	fileTimer_.cancel();
	if (watcherFd_) {
		watcherFd_->cancel();
		watcherFd_->release(); // the watcher owns the descriptor
		watcherFd_.reset();
	}
	watcher_.reset();
}

void VrrpTrackers::schedule(ScriptRun &run, microseconds after)
{
	run.timer.expires_after(after);
	run.timer.async_wait([this, &run](const boost::system::error_code &error) {
		if (!error)
			runScript(run);
	});
}

void VrrpTrackers::runScript(ScriptRun &run)
{
	const auto started = std::chrono::steady_clock::now();
	run.running = runner_.run(run.request, [this, &run, started](const exec::RunResult &result) {
		run.running = exec::kNoRun;
		scriptDone(run, result.succeeded(), result.str());
		// The next run is due one interval after this one started, as
		// keepalived schedules them; never two at once.
		const auto next = std::chrono::duration_cast<microseconds>(
		        started + vrrp::fromSeconds(run.script.interval) - std::chrono::steady_clock::now());
		schedule(run, std::max(next, microseconds(0)));
	});
}

void VrrpTrackers::scriptDone(ScriptRun &run, bool ok, const std::string &why)
{
	const std::string &name = run.script.name;
	const bool changed = run.health.record(ok, run.script.rise, run.script.fall);
	// Before its first result a script counts as init_fail says
	// (vrrp::evaluateTracking), so recording it changes nothing.
	const bool nowOk = run.health.ok();
	states_.scriptOk[name] = nowOk;
	if (!changed)
		return;
	if (nowOk)
		log_->info("Script `{}` now returning 0", name);
	else
		log_->info("Script `{}` now failing: {}", name, why);
	changed_();
}

bool VrrpTrackers::refreshLinks()
{
	auto links = addresses_.links();
	if (!links) {
		log_->error("Cannot read the interfaces: {}", links.error().text);
		return false;
	}
	std::map<std::string, bool> up;
	for (const auto &link : *links)
		up[link.name] = link.up && link.running;
	if (up == states_.interfaceUp)
		return false;
	for (const auto &[name, isUp] : up) {
		auto before = states_.interfaceUp.find(name);
		if (before != states_.interfaceUp.end() && before->second != isUp)
			log_->info("Netlink reports {} {}", name, isUp ? "up" : "down");
	}
	states_.interfaceUp = std::move(up);
	return true;
}

void VrrpTrackers::watchLinks()
{
	watcherFd_->async_wait(asio::posix::stream_descriptor::wait_read,
	                       [this](const boost::system::error_code &error) {
		                       if (error)
			                       return;
		                       watcher_->drain();
		                       if (refreshLinks())
			                       changed_();
		                       watchLinks();
	                       });
}

// track_file: read once a second. Cheap (a few small files), and it sees
// a file replaced by rename as well as one written in place.
void VrrpTrackers::readFiles()
{
	if (files_.empty())
		return;
	bool changed = false;
	for (const auto &[name, path] : files_) {
		const long value = readValue(path);
		auto it = states_.fileValue.find(name);
		if (it == states_.fileValue.end() || it->second != value) {
			states_.fileValue[name] = value;
			changed = true;
		}
	}
	if (changed)
		changed_();
	fileTimer_.expires_after(std::chrono::seconds(1));
	fileTimer_.async_wait([this](const boost::system::error_code &error) {
		if (!error)
			readFiles();
	});
}

} // namespace vigil::daemon
