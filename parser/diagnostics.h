#pragma once

#include <string>
#include <vector>

#include "parser/location.h"

namespace vigil::parser {

// Severities follow what `keepalived -t` makes of a message: a note is
// printed but leaves the exit status alone; a warning or error gives 5;
// a script security failure or a failed include check 6; a fatal error 4.
// kAbort is keepalived's "missing a parameter" failure: reading stops
// there and the status is 2.
enum class Severity {
	kNote,
	kWarning,
	kError,
	kSecurity,
	kIncludeCheck,
	kFatal,
	kAbort,
};

struct Diagnostic {
	Location where;
	Severity severity = Severity::kError;
	std::string message;

	// keepalived's format: "(FILE: Line N) message", or the bare message
	// for a finding about the whole configuration.
	std::string str() const;
};

class Diagnostics
{
public:
	void report(Severity severity, Location where, std::string message);
	void note(Location where, std::string message) { report(Severity::kNote, where, std::move(message)); }
	void warning(Location where, std::string message) { report(Severity::kWarning, where, std::move(message)); }
	void error(Location where, std::string message) { report(Severity::kError, where, std::move(message)); }
	void fatal(Location where, std::string message) { report(Severity::kFatal, where, std::move(message)); }

	const std::vector<Diagnostic> &all() const { return items_; }
	std::size_t size() const { return items_.size(); }

	// Removes and returns the findings from index `from` on.
	std::vector<Diagnostic> take(std::size_t from);
	// Merges `earlier` (findings made while reading, in reading order)
	// into the findings from index `from` on, by position in the line
	// stream, so that everything reads in keepalived's order; after an
	// abort, what was read past it is dropped, as keepalived never read it.
	void merge(std::vector<Diagnostic> earlier, std::size_t from);
	bool empty() const { return items_.empty(); }
	// Reading stopped at a kAbort finding; nothing after it counts.
	bool aborted() const { return aborted_; }
	// Exit status of `vigil -t` for what was reported: 0, 2, 4, 5 or 6.
	int exitStatus() const;
	// Number of findings at or above the given severity.
	std::size_t count(Severity atLeast) const;

private:
	std::vector<Diagnostic> items_;
	bool aborted_ = false;
};

} // namespace vigil::parser
