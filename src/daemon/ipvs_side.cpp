#include "src/daemon/ipvs_side.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <string_view>

namespace vigil::daemon {
namespace {

std::optional<std::uint32_t> seconds(const std::optional<int> &value)
{
	if (!value)
		return std::nullopt;
	return static_cast<std::uint32_t>(*value);
}

} // namespace

IpvsSide::IpvsSide(ClientFactory factory, std::shared_ptr<spdlog::logger> log)
        : factory_(std::move(factory)), log_(std::move(log))
{
}

bool IpvsSide::connect()
{
	if (client_)
		return true;
	auto client = factory_();
	if (!client) {
		if (!reportedUnavailable_ || client.error() != ENOPROTOOPT)
			log_->error("{}", reconcile::ipvsErrorText(client.error()));
		reportedUnavailable_ = client.error() == ENOPROTOOPT;
		return false;
	}
	client_ = std::move(*client);
	reconciler_.emplace(*client_);
	return true;
}

void IpvsSide::adopt(config::Config &config)
{
	lvs_ = std::make_shared<const config::LvsModel>(std::move(config.lvs));
	desired_ = reconcile::buildDesiredIpvs(*lvs_, health_);
	health_.setQuorumStates(desired_.quorumUp);
	for (const auto &conflict : desired_.conflicts)
		log_->warn("{}", conflict);
	timeouts_ = config.global.lvsTimeouts;
	flushOnStop_ = config.global.lvsFlushOnStop;
	double shortest = 60;
	for (const auto &vs : lvs_->virtualServers)
		shortest = std::min(shortest, vs.delayLoop());
	// A floor, so that a typo cannot make vigil read the table back
	// continuously.
	driftInterval_ = std::chrono::milliseconds(std::lround(std::max(shortest, 0.5) * 1000));
}

void IpvsSide::logCapped(spdlog::level::level_enum level, const char *prefix, const std::vector<std::string> &lines,
                         std::size_t unlisted)
{
	for (const std::string &line : lines)
		log_->log(level, "{}{}", prefix, line);
	if (unlisted)
		log_->log(level, "{}... and {} more", prefix, unlisted);
}

void IpvsSide::sync(std::string_view reason)
{
	auto report = reconciler_->sync(desired_);
	if (!report) {
		log_->error("IPVS: cannot read the table back: {}", reconcile::ipvsErrorText(report.error()));
		return;
	}
	lastReadTime_ = report->readTime;
	log_->debug("IPVS sync ({}): read {} ms, plan {} ms, apply {} ms", reason, report->readTime.count() / 1000,
	            report->planTime.count() / 1000, report->applyTime.count() / 1000);
	// A drift check that found nothing to repair is not worth a line.
	const bool drift = reason == "drift";
	if (drift && report->writes == 0)
		return;
	log_->info("IPVS sync ({}): {} writes, {} services, {} destinations", reason, report->writes, report->services,
	           report->destinations);
	if (drift)
		logCapped(spdlog::level::warn, "IPVS drift repaired: ", report->changes, report->changesUnlisted);
	logCapped(spdlog::level::err, "IPVS: ", report->errors, report->errorsUnlisted);
}

void IpvsSide::applyTimeouts()
{
	auto report =
	        reconciler_->applyTimeouts(seconds(timeouts_.tcp), seconds(timeouts_.tcpfin), seconds(timeouts_.udp));
	if (!report) {
		log_->error("IPVS: lvs_timeouts: {}", reconcile::ipvsErrorText(report.error()));
		return;
	}
	for (const auto &change : report->changes)
		log_->info("IPVS: {}", change);
	for (const auto &error : report->errors)
		log_->error("IPVS: lvs_timeouts: {}", error);
}

void IpvsSide::start(config::Config config)
{
	adopt(config);
	if (!connect())
		return;
	if (config.global.lvsFlush) {
		if (auto flushed = reconciler_->flushAll(); !flushed)
			log_->error("IPVS: lvs_flush: {}", reconcile::ipvsErrorText(flushed.error()));
	}
	applyTimeouts();
	sync("start");
}

void IpvsSide::reload(config::Config config)
{
	adopt(config);
	if (!connect())
		return;
	applyTimeouts();
	sync("reload");
}

std::vector<IpvsSide::QuorumChange> IpvsSide::applyHealth()
{
	desired_ = reconcile::buildDesiredIpvs(*lvs_, health_);
	std::vector<QuorumChange> changes;
	for (const auto &vs : lvs_->virtualServers) {
		const auto key = vs.key();
		auto now = desired_.quorumUp.find(key);
		auto before = health_.quorumWasUp(key);
		if (now != desired_.quorumUp.end() && before && *before != now->second)
			changes.push_back({key, now->second, reconcile::aliveWeight(vs, health_)});
	}
	health_.setQuorumStates(desired_.quorumUp);
	if (connect())
		sync("check");
	return changes;
}

void IpvsSide::checkDrift()
{
	if (client_)
		sync("drift");
}

void IpvsSide::stop(bool keepRules)
{
	if (!client_ || keepRules)
		return;
	auto report = flushOnStop_ ? reconciler_->flushAll() : reconciler_->release();
	if (!report) {
		log_->error("IPVS: removing the rules: {}", reconcile::ipvsErrorText(report.error()));
		return;
	}
	log_->info("IPVS released: {} writes", report->writes);
	logCapped(spdlog::level::err, "IPVS: ", report->errors, report->errorsUnlisted);
}

} // namespace vigil::daemon
