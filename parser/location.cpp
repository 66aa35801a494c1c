#include "parser/location.h"

#include <deque>
#include <mutex>
#include <unordered_map>

namespace vigil::parser {

const std::string *internFileName(std::string_view name)
{
	static std::mutex mutex;
	static std::deque<std::string> names;
	static std::unordered_map<std::string_view, const std::string *> index;

	std::lock_guard lock(mutex);
	if (auto it = index.find(name); it != index.end())
		return it->second;
	const std::string &stored = names.emplace_back(name);
	index.emplace(stored, &stored);
	return &stored;
}

std::string Location::prefix() const
{
	if (!file)
		return {};
	return "(" + *file + ": Line " + std::to_string(line) + ")";
}

} // namespace vigil::parser
