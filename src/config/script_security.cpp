#include "src/config/script_security.h"

#include <algorithm>
#include <fmt/format.h>
#include <set>

namespace vigil::config {

namespace {

// keepalived's default script user when global_defs names none.
constexpr const char *kDefaultScriptUser = "keepalived_script";

class ScriptCheck
{
public:
	ScriptCheck(Config &config, BuildContext &ctx) : config_(config), ctx_(ctx), global_(config.global) {}

	void settleUsers();
	void check();

private:
	// With enable_script_security and neither script_user nor a
	// keepalived_script user, a script without its own user cannot run:
	// keepalived reports each and drops vrrp_scripts and MISC_CHECKs.
	bool defaultUserMissing() const
	{
		return global_.enableScriptSecurity && global_.scriptUser.empty() &&
		       !ctx_.system.userId(kDefaultScriptUser);
	}
	bool runsAsRoot(const Script &s) const;
	std::optional<SystemView::FileInfo> locate(const Script &s) const;
	void report(parser::Location where, std::string message)
	{
		reported_.push_back({where, parser::Severity::kError, std::move(message)});
	}
	// Drops a script that cannot get a user; true when it was dropped.
	template <class OptionalScript> bool noUser(const OptionalScript &s)
	{
		if (!s || !s->user.empty())
			return false;
		report(s->where, fmt::format("Unable to set default user {} for script", kDefaultScriptUser));
		return true;
	}
	void dropUnrunnable();
	void checkTrackScripts();
	void checkViolations(bool vrrpRuns);

	Config &config_;
	BuildContext &ctx_;
	const GlobalDefs &global_;
	std::vector<parser::Diagnostic> reported_;
	std::set<std::string> tracked_;
};

bool ScriptCheck::runsAsRoot(const Script &s) const
{
	const std::string &user = !s.user.empty() ? s.user : global_.scriptUser;
	if (!user.empty())
		return ctx_.system.userId(user).value_or(0) == 0;
	return ctx_.system.userId(kDefaultScriptUser).value_or(0) == 0;
}

std::optional<SystemView::FileInfo> ScriptCheck::locate(const Script &s) const
{
	if (s.argv.empty())
		return std::nullopt;
	const std::string &cmd = s.argv[0];
	if (cmd.find('/') != std::string::npos) {
		auto info = ctx_.system.file(cmd);
		return info.exists ? std::optional(info) : std::nullopt;
	}
	for (const auto &dir : ctx_.system.searchPath()) {
		auto info = ctx_.system.file(dir + "/" + cmd);
		if (info.exists)
			return info;
	}
	return std::nullopt;
}

void ScriptCheck::dropUnrunnable()
{
	std::vector<std::string> dropped;
	for (const auto &s : config_.vrrp.scripts) {
		if (s.script && s.script->user.empty()) {
			report(s.end, fmt::format("Unable to set default user {} for script", kDefaultScriptUser));
			report(s.end, fmt::format("Unable to set default user for vrrp script {} - removing", s.name));
			dropped.push_back(s.name);
		}
	}
	// keepalived drops the script as it reads it, so the instances that
	// track it never find it; their findings join the others in reading
	// order.
	std::size_t before = ctx_.diagnostics.size();
	for (const auto &name : dropped)
		removeVrrpScript(config_, name, ctx_);
	for (auto &d : ctx_.diagnostics.take(before))
		reported_.push_back(std::move(d));
	auto notify = [this](NotifyScripts &n) {
		for (auto *s : {&n.master, &n.backup, &n.fault, &n.stop, &n.any, &n.masterRxLowerPri, &n.deleted})
			if (noUser(*s))
				s->reset();
	};
	for (auto &g : config_.vrrp.syncGroups)
		notify(g.notify);
	for (auto &i : config_.vrrp.instances)
		notify(i.notify);
	for (auto &vs : config_.lvs.virtualServers) {
		for (auto *s : {&vs.quorumUp, &vs.quorumDown})
			if (noUser(*s))
				s->reset();
		for (auto &rs : vs.realServers) {
			for (auto *s : {&rs.notifyUp, &rs.notifyDown})
				if (noUser(*s))
					s->reset();
			std::erase_if(rs.checkers, [this](const Checker &c) {
				const auto *m = std::get_if<MiscCheck>(&c.detail);
				if (!m || !m->script.user.empty())
					return false;
				report(c.end,
				       fmt::format("Unable to set default user {} for script", kDefaultScriptUser));
				report(c.end, fmt::format("Unable to set default user for misc script '{}' - removing",
				                          m->script.command));
				return true;
			});
		}
	}
}

void ScriptCheck::checkTrackScripts()
{
	// Only tracked vrrp_scripts are run, and so checked.
	for (const auto &i : config_.vrrp.instances)
		for (const auto &t : i.trackScripts)
			tracked_.insert(t.name);
	for (const auto &g : config_.vrrp.syncGroups)
		for (const auto &t : g.trackScripts)
			tracked_.insert(t.name);
	for (auto &s : config_.vrrp.scripts) {
		if (!s.script || !tracked_.contains(s.name))
			continue;
		auto info = locate(*s.script);
		if (!info) {
			ctx_.diagnostics.warning(
			        {}, fmt::format("Disabling track script {} since not found/accessible", s.name));
			s.disabled = true;
		} else if (global_.enableScriptSecurity && info->unsafeWrite && runsAsRoot(*s.script)) {
			ctx_.diagnostics.warning({}, fmt::format("Disabling track script {} due to insecure", s.name));
			s.disabled = true;
		}
	}
}

void ScriptCheck::checkViolations(bool vrrpRuns)
{
	if (global_.enableScriptSecurity)
		return;
	// A script keepalived would run as root that a non-root user might
	// have written: keepalived -t exits 6. Scripts that are not there do
	// not run and do not count.
	auto risky = [this](const Script &s) { return runsAsRoot(s) && locate(s); };
	bool vrrp = std::any_of(config_.vrrp.scripts.begin(), config_.vrrp.scripts.end(), [&](const VrrpScript &s) {
		return s.script && !s.disabled && tracked_.contains(s.name) && risky(*s.script);
	});
	auto notifyRisky = [&](const NotifyScripts &n) {
		for (const auto *s : {&n.master, &n.backup, &n.fault, &n.stop, &n.any, &n.masterRxLowerPri, &n.deleted})
			if (*s && risky(**s))
				return true;
		return false;
	};
	for (const auto &g : config_.vrrp.syncGroups)
		vrrp = vrrp || notifyRisky(g.notify);
	for (const auto &i : config_.vrrp.instances)
		vrrp = vrrp || notifyRisky(i.notify);

	std::vector<const Script *> checker;
	if (ctx_.lvsScripts) // else there is nothing to collect from a hundred thousand servers
		collectLvsScripts(config_, checker);
	bool check = std::any_of(checker.begin(), checker.end(), [&](const Script *s) { return risky(*s); });

	// keepalived's checker process reports before its VRRP process.
	if (check)
		ctx_.diagnostics.report(
		        parser::Severity::kSecurity, {},
		        "SECURITY VIOLATION - check scripts are being executed but script_security not enabled.");
	if (vrrp && vrrpRuns)
		ctx_.diagnostics.report(
		        parser::Severity::kSecurity, {},
		        "SECURITY VIOLATION - scripts are being executed but script_security not enabled.");
}

void ScriptCheck::settleUsers()
{
	if (defaultUserMissing())
		dropUnrunnable();
	// keepalived reports those while reading each block: put them in
	// reading order among the rest.
	std::stable_sort(
	        reported_.begin(), reported_.end(),
	        [](const parser::Diagnostic &a, const parser::Diagnostic &b) { return a.where.seq < b.where.seq; });
	ctx_.diagnostics.merge(std::move(reported_), 0);
}

void ScriptCheck::check()
{
	// keepalived's VRRP process never gets to its scripts once it has
	// found an interface missing.
	bool vrrpRuns = !config_.vrrp.missingInterface;
	if (vrrpRuns)
		checkTrackScripts();
	checkViolations(vrrpRuns);
}

} // namespace

void settleScriptUsers(Config &config, BuildContext &ctx)
{
	ScriptCheck(config, ctx).settleUsers();
}

void checkScriptSecurity(Config &config, BuildContext &ctx)
{
	ScriptCheck(config, ctx).check();
}

} // namespace vigil::config
