#include "parser/diagnostics.h"

#include <algorithm>

namespace vigil::parser {

std::string Diagnostic::str() const
{
	if (!where.known())
		return message;
	return where.prefix() + " " + message;
}

void Diagnostics::report(Severity severity, Location where, std::string message)
{
	if (aborted_)
		return;
	aborted_ = severity == Severity::kAbort;
	items_.push_back({where, severity, std::move(message)});
}

std::size_t Diagnostics::count(Severity atLeast) const
{
	return std::count_if(items_.begin(), items_.end(),
	                     [atLeast](const Diagnostic &d) { return d.severity >= atLeast; });
}

int Diagnostics::exitStatus() const
{
	if (aborted_)
		return 2;
	bool fatal = false, security = false, other = false;
	for (const auto &d : items_) {
		switch (d.severity) {
		case Severity::kFatal:
		case Severity::kAbort:
			fatal = true;
			break;
		case Severity::kSecurity:
		case Severity::kIncludeCheck:
			security = true;
			break;
		case Severity::kWarning:
		case Severity::kError:
			other = true;
			break;
		case Severity::kNote:
			break;
		}
	}
	if (fatal)
		return 4;
	if (security)
		return 6;
	return other ? 5 : 0;
}

} // namespace vigil::parser
