#include "parser/diagnostics.h"

#include <algorithm>
#include <cstdint>
#include <iterator>

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

std::vector<Diagnostic> Diagnostics::take(std::size_t from)
{
	std::vector<Diagnostic> out(std::make_move_iterator(items_.begin() + static_cast<std::ptrdiff_t>(from)),
	                            std::make_move_iterator(items_.end()));
	items_.resize(from);
	return out;
}

void Diagnostics::merge(std::vector<Diagnostic> earlier, std::size_t from)
{
	std::uint32_t abortSeq = UINT32_MAX;
	for (std::size_t i = from; i < items_.size(); ++i)
		if (items_[i].severity == Severity::kAbort && items_[i].where.seq)
			abortSeq = items_[i].where.seq;
	std::vector<Diagnostic> later(std::make_move_iterator(items_.begin() + static_cast<std::ptrdiff_t>(from)),
	                              std::make_move_iterator(items_.end()));
	items_.resize(from);
	auto e = earlier.begin();
	for (auto &d : later) {
		// Findings without a line position come after reading.
		std::uint32_t at = d.where.seq ? d.where.seq : UINT32_MAX - 1;
		for (; e != earlier.end() && e->where.seq <= at; ++e)
			if (e->where.seq <= abortSeq)
				items_.push_back(std::move(*e));
		items_.push_back(std::move(d));
	}
	for (; e != earlier.end(); ++e)
		if (e->where.seq <= abortSeq)
			items_.push_back(std::move(*e));
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
