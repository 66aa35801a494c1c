#pragma once

// The checker side's hold on the kernel's IPVS table: programs it at start,
// applies only the difference on reload, repairs drift when asked, and
// removes vigil's rules on stop. Logs what it did; never throws.

#include <chrono>
#include <expected>
#include <functional>
#include <memory>
#include <optional>
#include <spdlog/logger.h>
#include <string_view>

#include "ipvs/ipvs_client.h"
#include "src/config/config.h"
#include "src/reconcile/desired_ipvs.h"
#include "src/reconcile/ipvs_reconciler.h"

namespace vigil::daemon {

class IpvsSide
{
public:
	// Opens the kernel interface; ENOPROTOOPT when the kernel has no IPVS.
	using ClientFactory = std::function<std::expected<std::unique_ptr<ipvs::IpvsClient>, int>()>;

	IpvsSide(ClientFactory factory, std::shared_ptr<spdlog::logger> log);

	// lvs_flush, lvs_timeouts, then the whole table ("IPVS sync (start)").
	void start(config::Config config); // by value: its LVS half is kept, not copied
	// The new configuration's table, written as a difference ("IPVS sync
	// (reload)", logged even when nothing changed). Retries a kernel that
	// had no IPVS before.
	void reload(config::Config config);
	// Reads the table back and repairs what someone else changed; logs only
	// when there was something to repair.
	void checkDrift();
	// Removes vigil's rules (everything with lvs_flush_onstop), unless
	// `keepRules` (-I).
	void stop(bool keepRules);

	// How often to look for drift: the shortest delay_loop of the
	// configuration, but never so often that reading the table back takes
	// more than a tenth of the time (a 100,000-destination table in a slow
	// VM takes seconds to read).
	std::chrono::milliseconds driftInterval() const
	{
		return std::max(driftInterval_,
		                std::chrono::duration_cast<std::chrono::milliseconds>(lastReadTime_ * 10));
	}
	bool available() const { return client_ != nullptr; }

	// The checkers' findings, read by start(), reload() and applyHealth().
	reconcile::HealthView &health() { return health_; }
	// The configuration's LVS half as last started or reloaded.
	const config::LvsModel &lvs() const { return *lvs_; }
	// The table vigil last computed (what it keeps in the kernel).
	const reconcile::DesiredIpvs &desired() const { return desired_; }

	struct QuorumChange {
		config::VirtualServerKey vs;
		bool up = false;
		std::uint64_t aliveWeight = 0;
	};
	// The table again after the checkers changed health(): written as a
	// difference ("IPVS sync (check)"); returns the virtual servers whose
	// quorum this gained or lost. Works without a kernel IPVS too (the
	// quorum is the checkers' business), writing nothing.
	std::vector<QuorumChange> applyHealth();

private:
	bool connect();
	void adopt(config::Config &config); // takes config.lvs
	void applyTimeouts();
	// Reconciles and logs the pass ("start", "reload", "drift").
	void sync(std::string_view reason);
	// The listed lines of a report (at most SyncReport::kListed), then a
	// count of the rest.
	void logCapped(spdlog::level::level_enum level, const char *prefix, const std::vector<std::string> &lines,
	               std::size_t unlisted);

	ClientFactory factory_;
	std::shared_ptr<spdlog::logger> log_;
	std::unique_ptr<ipvs::IpvsClient> client_;
	std::optional<reconcile::IpvsReconciler> reconciler_;
	bool reportedUnavailable_ = false;

	std::shared_ptr<const config::LvsModel> lvs_ = std::make_shared<config::LvsModel>();
	reconcile::HealthView health_;
	reconcile::DesiredIpvs desired_;
	config::LvsTimeouts timeouts_;
	bool flushOnStop_ = false;
	std::chrono::milliseconds driftInterval_{60000};
	std::chrono::microseconds lastReadTime_{0};
};

} // namespace vigil::daemon
