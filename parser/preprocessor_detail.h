#pragma once

// Small text helpers shared by the preprocessor's translation units.

#include <algorithm>
#include <string>
#include <string_view>

namespace vigil::parser::detail {

inline bool isNameStart(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}
inline bool isNameChar(char c)
{
	return isNameStart(c) || (c >= '0' && c <= '9');
}
inline bool isSpace(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

inline std::string_view firstWord(std::string_view s)
{
	auto end = std::find_if(s.begin(), s.end(), isSpace);
	return s.substr(0, static_cast<std::size_t>(end - s.begin()));
}

// The absolute directory of a file (for ${_PWD} and relative includes).
std::string directoryOf(const std::string &path);

inline bool hasWildcard(std::string_view s)
{
	return s.find_first_of("*?[") != std::string_view::npos;
}

} // namespace vigil::parser::detail
