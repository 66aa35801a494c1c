#include "src/reconcile/ipvs_reconciler.h"

#include <cerrno>
#include <cstring>
#include <fmt/format.h>

#include "src/reconcile/ipvs_plan.h"

namespace vigil::reconcile {

std::string ipvsErrorText(int error)
{
	// ip_vs_ctl reuses a few errnos with a meaning of its own (as ipvsadm
	// words them).
	switch (error) {
	case ESRCH:
		return "No such service";
	case ENOENT:
		return "No such destination (or unknown scheduler or persistence engine)";
	case EEXIST:
		return "Already exists";
	case ENOPROTOOPT:
		return "IP Virtual Server is not available: load the ip_vs module";
	default:
		return std::strerror(error);
	}
}

SyncReport IpvsReconciler::apply(const std::vector<ipvs::Operation> &plan, std::vector<int> &results)
{
	SyncReport report;
	if (plan.empty())
		return report;
	results = client_.apply(plan);
	results.resize(plan.size(), EIO);
	report.writes = plan.size();
	for (std::size_t i = 0; i < plan.size(); ++i) {
		if (results[i]) {
			if (report.errors.size() < SyncReport::kListed)
				report.errors.push_back(
				        fmt::format("{}: {}", plan[i].str(), ipvsErrorText(results[i])));
			else
				++report.errorsUnlisted;
		} else if (report.changes.size() < SyncReport::kListed) {
			report.changes.push_back(plan[i].str());
		} else {
			++report.changesUnlisted;
		}
	}
	return report;
}

std::expected<SyncReport, int> IpvsReconciler::sync(const DesiredIpvs &desired)
{
	using Clock = std::chrono::steady_clock;
	auto since = [](Clock::time_point t) {
		return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t);
	};
	auto t0 = Clock::now();
	auto observed = client_.dump();
	if (!observed)
		return std::unexpected(observed.error());
	auto readTime = since(t0);
	auto t1 = Clock::now();
	auto plan = planIpvs(desired, *observed, owned_);
	auto planTime = since(t1);
	auto t2 = Clock::now();
	std::vector<int> results;
	SyncReport report = apply(plan, results);
	report.readTime = readTime;
	report.planTime = planTime;
	report.applyTime = since(t2);

	// vigil's from now on: everything desired, and every old service whose
	// deletion failed (still ours to remove later).
	std::set<ipvs::ServiceKey> owned;
	for (const auto &[key, s] : desired.services)
		owned.insert(owned.end(), key);
	for (std::size_t i = 0; i < plan.size(); ++i)
		if (plan[i].kind == ipvs::Operation::Kind::kDeleteService && results[i])
			owned.insert(plan[i].service.key);
	owned_ = std::move(owned);
	report.services = desired.services.size();
	report.destinations = desired.destinationCount();
	return report;
}

std::expected<SyncReport, int> IpvsReconciler::release()
{
	auto observed = client_.dump();
	if (!observed)
		return std::unexpected(observed.error());
	std::vector<ipvs::Operation> plan;
	for (const auto &t : *observed)
		if (owned_.contains(t.service.key))
			plan.push_back({ipvs::Operation::Kind::kDeleteService, t.service, {}});
	std::vector<int> results;
	SyncReport report = apply(plan, results);
	for (std::size_t i = 0; i < plan.size(); ++i)
		if (!results[i])
			owned_.erase(plan[i].service.key);
	return report;
}

std::expected<SyncReport, int> IpvsReconciler::flushAll()
{
	int error = client_.flush();
	if (error)
		return std::unexpected(error);
	owned_.clear();
	SyncReport report;
	report.writes = 1;
	report.changes.push_back("flush the IPVS table");
	return report;
}

std::expected<SyncReport, int> IpvsReconciler::applyTimeouts(std::optional<std::uint32_t> tcp,
                                                             std::optional<std::uint32_t> tcpFin,
                                                             std::optional<std::uint32_t> udp)
{
	SyncReport report;
	if (!tcp && !tcpFin && !udp)
		return report;
	auto current = client_.timeouts();
	if (!current)
		return std::unexpected(current.error());
	ipvs::Timeouts want = *current;
	want.tcp = tcp.value_or(current->tcp);
	want.tcpFin = tcpFin.value_or(current->tcpFin);
	want.udp = udp.value_or(current->udp);
	if (want == *current)
		return report;
	report.writes = 1;
	std::string what = fmt::format("set timeouts tcp {} tcpfin {} udp {}", want.tcp, want.tcpFin, want.udp);
	if (int error = client_.setTimeouts(want))
		report.errors.push_back(fmt::format("{}: {}", what, ipvsErrorText(error)));
	else
		report.changes.push_back(what);
	return report;
}

} // namespace vigil::reconcile
