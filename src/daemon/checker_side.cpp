#include "src/daemon/checker_side.h"

#include <algorithm>
#include <boost/asio/post.hpp>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fmt/format.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <set>
#include <sys/resource.h>
#include <unistd.h>

#include "checkers/ssl_context.h"
#include "src/daemon/script_request.h"

namespace vigil::daemon {
namespace {

// FILE_CHECK and BFD_CHECK watch a file and a BFD session rather than
// probing the server; vigil does not run them yet.
bool runnable(const config::Checker &c)
{
	return c.type != config::CheckerType::kFile && c.type != config::CheckerType::kBfd;
}

// keepalived disables a MISC_CHECK whose program cannot be found when the
// checker starts, and the server's other checkers decide (measured with
// Debian's misc_check sample in the test VM). The reason, or nothing when
// it can run.
std::optional<std::string> missingProgram(const config::MiscCheck &misc)
{
	if (misc.script.argv.empty())
		return "empty misc_path";
	const std::string &program = misc.script.argv.front();
	auto usable = [](const std::string &path) { return ::access(path.c_str(), X_OK) == 0; };
	if (program.find('/') != std::string::npos)
		return usable(program) ? std::nullopt : std::optional<std::string>(std::strerror(errno));
	const char *path = std::getenv("PATH");
	std::string_view dirs = path ? path : "/usr/local/bin:/usr/bin:/bin";
	while (!dirs.empty()) {
		auto colon = dirs.find(':');
		std::string dir(dirs.substr(0, colon));
		if (usable((dir.empty() ? "." : dir) + "/" + program))
			return std::nullopt;
		dirs = colon == std::string_view::npos ? std::string_view() : dirs.substr(colon + 1);
	}
	return "not found in PATH";
}

std::set<config::IpAddress> localAddresses()
{
	std::set<config::IpAddress> out;
	ifaddrs *list = nullptr;
	if (::getifaddrs(&list) != 0)
		return out;
	for (ifaddrs *i = list; i; i = i->ifa_next) {
		if (!i->ifa_addr)
			continue;
		config::IpAddress a;
		if (i->ifa_addr->sa_family == AF_INET) {
			a.family = AF_INET;
			std::memcpy(a.bytes.data(), &reinterpret_cast<sockaddr_in *>(i->ifa_addr)->sin_addr, 4);
		} else if (i->ifa_addr->sa_family == AF_INET6) {
			a.family = AF_INET6;
			std::memcpy(a.bytes.data(), &reinterpret_cast<sockaddr_in6 *>(i->ifa_addr)->sin6_addr, 16);
		} else {
			continue;
		}
		out.insert(a);
	}
	::freeifaddrs(list);
	return out;
}

// Probes at once: what the descriptor limit leaves after a margin for
// everything else (netlink, scripts, FIFOs), and no more than the loop
// serves well: past about a thousand at once, a slow machine's loop gets
// to their completions after connect_timeout and healthy servers fail
// (measured in the TCG test VM); with the bound they are checked late.
std::size_t maxProbesInFlight()
{
	rlimit limit{};
	if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY)
		return 1024;
	const auto available = limit.rlim_cur > 512 ? limit.rlim_cur - 256 : limit.rlim_cur / 2;
	return std::clamp<std::size_t>(available, 16, 1024);
}

} // namespace

CheckerSide::CheckerSide(boost::asio::io_context &io, exec::ScriptRunner &runner, IpvsSide &ipvs,
                         std::shared_ptr<spdlog::logger> log)
        : io_(io), ipvs_(ipvs), log_(std::move(log)), notifier_(runner, log_),
          transport_(checkers::ProbeContext{io, runner, nullptr, nullptr}), timer_(io), suspendTimer_(io),
          scheduler_(transport_, *this, *this,
                     [this] { return std::uniform_real_distribution<double>(0.0, 1.0)(random_); })
{
	scheduler_.setMaxInFlight(maxProbesInFlight());
}

CheckerSide::~CheckerSide()
{
	*alive_ = false;
}

void CheckerSide::configure(const config::Config &config, bool startSharedFifoScript)
{
	notifier_.configure(config, startSharedFifoScript);
	const config::GlobalDefs global = config.global;
	transport_.context().scriptRequest = [global](const config::Script &script) {
		return scriptRequest(script, global);
	};
	std::vector<checkers::CheckerSpec> specs;
	for (auto &spec : checkers::checkerSpecs(config.lvs)) {
		if (const auto *misc = std::get_if<config::MiscCheck>(&spec.checker.detail)) {
			if (auto missing = missingProgram(*misc)) {
				log_->warn("Script {} cannot be accessed - {}; disabling misc script '{}' since not "
				           "found/accessible",
				           misc->script.argv.empty() ? std::string() : misc->script.argv.front(),
				           *missing, misc->script.command);
				continue;
			}
		}
		// The others are reported with every setting vigil does not act
		// on, when the file is read (config::settingsNotActedOn).
		if (runnable(spec.checker))
			specs.push_back(std::move(spec));
	}
	// The SSL block's context, made only for SSL_GET checkers (OpenSSL's
	// set-up is about ten million instructions, a tenth of a second at
	// start in the test VM); a bad one keeps the last good one (none at
	// start: SSL_GET then fails saying why).
	const bool sslChecks = std::any_of(specs.begin(), specs.end(), [](const checkers::CheckerSpec &spec) {
		return spec.checker.type == config::CheckerType::kSsl;
	});
	if (sslChecks && (ssl_ != config.lvs.ssl || !transport_.context().ssl)) {
		if (auto context = checkers::makeSslContext(config.lvs.ssl)) {
			transport_.context().ssl = std::move(*context);
			ssl_ = config.lvs.ssl;
		} else {
			log_->error("SSL: {}", context.error());
		}
	}
	scheduler_.sync(std::move(specs));

	auto &health = ipvs_.health();
	health.clearServers();
	for (const auto &vs : config.lvs.virtualServers) {
		if (scheduler_.size() == 0)
			break; // every server alive at its configured weight
		const auto vsKey = vs.key();
		for (const auto &rs : vs.realServers) {
			const checkers::ServerRef ref{vsKey, rs.key()};
			// Cleared above: only what differs from alive at the
			// configured weight is stated.
			if (!scheduler_.serverUp(ref))
				health.setAlive(vsKey, rs.key(), false);
			if (auto weight = scheduler_.serverWeight(ref, rs.weight))
				health.setWeight(vsKey, rs.key(), weight);
		}
	}
	changed_.clear();
	vsIndex_.clear();
	suspendTimer_.cancel();
	suspendable_.clear();
	for (const auto &vs : config.lvs.virtualServers)
		if (vs.haSuspend && vs.kind == config::VirtualServerKind::kAddress)
			suspendable_.push_back({vs.key(), vs.address, virtualServerName(vs)});
	// A virtual server no longer suspendable (or gone) runs its checks.
	for (auto it = suspendedNow_.begin(); it != suspendedNow_.end();) {
		const auto key = it->first;
		if (std::any_of(suspendable_.begin(), suspendable_.end(),
		                [&](const auto &s) { return s.key == key; })) {
			++it;
			continue;
		}
		scheduler_.suspend(key, false);
		it = suspendedNow_.erase(it);
	}
	if (!suspendable_.empty())
		watchSuspended();
}

void CheckerSide::stop()
{
	timer_.cancel();
	suspendTimer_.cancel();
	scheduler_.sync({});
	const auto &health = ipvs_.health();
	for (const auto &vs : ipvs_.lvs().virtualServers) {
		if (!vs.omega)
			continue;
		const auto key = vs.key();
		for (const auto &rs : vs.realServers)
			if (health.alive(key, rs.key()))
				notifier_.realServer(vs, rs, false);
		if (health.quorumWasUp(key).value_or(false))
			notifier_.virtualServer(vs, false);
	}
}

void CheckerSide::wakeAt(std::optional<checkers::TimePoint> when)
{
	timer_.cancel();
	if (!when)
		return;
	timer_.expires_at(*when);
	timer_.async_wait([this, alive = std::weak_ptr<bool>(alive_)](const boost::system::error_code &error) {
		if (error || alive.expired())
			return;
		scheduler_.runDue();
	});
}

const config::VirtualServer *CheckerSide::findVs(const config::VirtualServerKey &key) const
{
	auto &index = vsIndex_;
	const auto &servers = ipvs_.lvs().virtualServers;
	if (index.empty())
		for (std::size_t i = 0; i < servers.size(); ++i)
			index.emplace(servers[i].key(), i);
	auto it = index.find(key);
	return it == index.end() || it->second >= servers.size() ? nullptr : &servers[it->second];
}

const config::RealServer *CheckerSide::findRs(const config::VirtualServer &vs, const config::RealServerKey &key) const
{
	for (const auto &rs : vs.realServers)
		if (rs.key() == key)
			return &rs;
	return nullptr;
}

void CheckerSide::logOutcome(const checkers::CheckerSpec &spec, const checkers::CheckOutcome &outcome)
{
	const auto &r = outcome.result;
	// Most outcomes are a pass of a server that is up: nothing to say, and
	// with thousands of checks a second no lookups to make.
	const bool quiet =
	        r.ok ? outcome.wasUp && !outcome.recoveringUrl : !outcome.wasUp && !spec.checker.logAllFailures;
	if (quiet)
		return;
	const auto *vs = findVs(spec.key.server.vs);
	const auto *rs = vs ? findRs(*vs, spec.key.server.rs) : nullptr;
	if (!rs)
		return;
	const auto type = config::checkerKeyword(spec.checker.type);
	const auto name = realServerName(*vs, *rs);
	if (!r.ok && outcome.retry)
		log_->info("{} on service {} failed: {}; retry {} of {}", type, name, r.detail, outcome.retry,
		           spec.checker.retry);
	else if (!r.ok && outcome.wasUp && outcome.retriesDone)
		log_->warn("{} on service {} failed after {} retries: {}", type, name, outcome.retriesDone, r.detail);
	else if (!r.ok && outcome.wasUp)
		log_->warn("{} on service {} failed: {}", type, name, r.detail);
	else if (!r.ok && spec.checker.logAllFailures)
		log_->info("{} on service {} failed: {}", type, name, r.detail);
	else if (r.ok && outcome.recoveringUrl)
		log_->info("{} on service {}: url {} passed, {} to go", type, name, *outcome.recoveringUrl + 1,
		           std::get<config::HttpCheck>(spec.checker.detail).urls.size() - *outcome.recoveringUrl - 1);
	else if (r.ok && !outcome.wasUp)
		log_->info("{} on service {} succeeded", type, name);
}

void CheckerSide::checked(const checkers::CheckerSpec &spec, const checkers::CheckOutcome &outcome)
{
	logOutcome(spec, outcome);
	// The common case, thousands of times a second: nothing changed.
	if (outcome.wasUp == outcome.isUp && !outcome.result.weight)
		return;
	const auto &ref = spec.key.server;
	auto &health = ipvs_.health();
	const bool wasAlive = health.alive(ref.vs, ref.rs);
	const bool isAlive = scheduler_.serverUp(ref);
	const auto weight = scheduler_.serverWeight(ref, spec.weight);
	if (wasAlive == isAlive && weight == health.weight(ref.vs, ref.rs))
		return;
	health.setAlive(ref.vs, ref.rs, isAlive);
	health.setWeight(ref.vs, ref.rs, weight);
	if (wasAlive != isAlive) {
		// Up and down again within one turn is no change to announce.
		auto [it, inserted] = changed_.emplace(ref, isAlive);
		if (!inserted)
			changed_.erase(it);
	}
	applySoon();
}

void CheckerSide::applySoon()
{
	if (applyPending_)
		return;
	applyPending_ = true;
	boost::asio::post(io_, [this, alive = std::weak_ptr<bool>(alive_)] {
		if (alive.expired())
			return;
		applyPending_ = false;
		apply();
	});
}

void CheckerSide::apply()
{
	auto changed = std::move(changed_);
	changed_.clear();
	for (const auto &[ref, up] : changed) {
		const auto *vs = findVs(ref.vs);
		const auto *rs = vs ? findRs(*vs, ref.rs) : nullptr;
		if (!rs)
			continue;
		// keepalived's words, which operators' log searches look for.
		if (rs->inhibitOnFailure)
			log_->info("{} service {} of VS {}", up ? "Enabling" : "Disabling", realServerName(*vs, *rs),
			           virtualServerName(*vs));
		else if (up)
			log_->info("Adding service {} to VS {}", realServerName(*vs, *rs), virtualServerName(*vs));
		else
			log_->info("Removing service {} from VS {}", realServerName(*vs, *rs), virtualServerName(*vs));
	}
	const auto quorum = ipvs_.applyHealth();
	for (const auto &[ref, up] : changed) {
		const auto *vs = findVs(ref.vs);
		const auto *rs = vs ? findRs(*vs, ref.rs) : nullptr;
		if (rs)
			notifier_.realServer(*vs, *rs, up);
	}
	for (const auto &change : quorum) {
		const auto *vs = findVs(change.vs);
		if (!vs)
			continue;
		const auto name = virtualServerName(*vs);
		if (change.up)
			log_->info("Gained quorum {}+{}={} <= {} for VS {}", vs->quorum, vs->hysteresis,
			           vs->quorum + vs->hysteresis, change.aliveWeight, name);
		else
			log_->warn("Lost quorum {}-{}={} > {} for VS {}", vs->quorum, vs->hysteresis,
			           vs->quorum - vs->hysteresis, change.aliveWeight, name);
		if (vs->sorryServer) {
			const auto sorry = fmt::format("[{}]:{}:{}", vs->sorryServer->address.str(),
			                               config::protocolLower(vs->protocol), vs->sorryServer->port);
			if (change.up)
				log_->info("Removing sorry server {} from VS {}; adding alive servers to the pool",
				           sorry, name);
			else
				log_->info("Adding sorry server {} to VS {}; removing alive servers from the pool",
				           sorry, name);
		}
		notifier_.virtualServer(*vs, change.up);
	}
}

void CheckerSide::watchSuspended()
{
	updateSuspended();
	suspendTimer_.expires_after(std::chrono::seconds(1));
	suspendTimer_.async_wait([this, alive = std::weak_ptr<bool>(alive_)](const boost::system::error_code &error) {
		if (error || alive.expired())
			return;
		watchSuspended();
	});
}

// ha_suspend: a virtual server whose address is not on this host (the
// VRRP backup's) has its checks paused; they resume within a second of the
// address arriving.
void CheckerSide::updateSuspended()
{
	const auto local = localAddresses();
	for (const auto &vs : suspendable_) {
		const bool suspend = !local.contains(vs.address);
		auto [it, inserted] = suspendedNow_.emplace(vs.key, suspend);
		if (inserted ? !suspend : it->second == suspend)
			continue;
		it->second = suspend;
		log_->info("VS {}: {}", vs.name,
		           suspend ? "virtual address not on this host, checks suspended" : "checks resumed");
		scheduler_.suspend(vs.key, suspend);
	}
}

} // namespace vigil::daemon
