#pragma once

#include <fmt/format.h>
#include <optional>
#include <string>
#include <vector>

#include "parser/diagnostics.h"
#include "parser/keyword_tree.h"
#include "src/config/system_view.h"

namespace vigil::config {

struct Config;

// What every keyword handler gets: where to report, what the host looks
// like, and the configuration built so far (for cross references).
struct BuildContext {
	BuildContext(parser::Diagnostics &d, const SystemView &s, Config &c) : diagnostics(d), system(s), config(c) {}

	parser::Diagnostics &diagnostics;
	const SystemView &system;
	Config &config;

	template <class... Args> void warning(const parser::Node &at, fmt::format_string<Args...> fmt, Args &&...args)
	{
		diagnostics.warning(at.where, fmt::format(fmt, std::forward<Args>(args)...));
	}
	template <class... Args> void error(const parser::Node &at, fmt::format_string<Args...> fmt, Args &&...args)
	{
		diagnostics.error(at.where, fmt::format(fmt, std::forward<Args>(args)...));
	}
	// keepalived aborts reading when a keyword lacks a parameter it needs;
	// `index` is the 0-based argument that is missing.
	void missingParameter(const parser::Node &at, std::size_t index)
	{
		diagnostics.report(parser::Severity::kAbort, at.where,
		                   fmt::format("*** Configuration line starting `{}` is missing a parameter after "
		                               "keyword `{}` at word position {}",
		                               at.keyword, index == 0 ? at.keyword : at.args[index - 1], index + 2));
	}
	bool stopped() const { return diagnostics.aborted(); }

	// Work done while reading that belongs to the checks after it. A
	// virtual server that needs nothing defined elsewhere is checked as
	// soon as its block is read, while it is in the cache; its findings
	// wait here, by position, to be reported in keepalived's order.
	struct EarlyCheck {
		bool keep = false;
		std::vector<parser::Diagnostic> findings;
	};
	std::vector<std::optional<EarlyCheck>> virtualServerChecks;
	// Some LVS block had a script (notify_up/down, quorum_up/down,
	// MISC_CHECK): script security must look at them.
	bool lvsScripts = false;

	template <class... Args> void note(const parser::Node &at, fmt::format_string<Args...> fmt, Args &&...args)
	{
		diagnostics.note(at.where, fmt::format(fmt, std::forward<Args>(args)...));
	}
};

} // namespace vigil::config
