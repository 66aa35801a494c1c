#pragma once

#include <expected>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::parser {

// A parsed "~SEQ(var, start, step, end)", "~SEQx(...)" or
// "~LST(var, a, b)" / "~LST({v1, v2}, {a1, a2}, ...)" line prefix, turned
// into the list of variable assignments it stands for.
struct Generator {
	std::vector<std::string> variables;
	// One row per repetition, a value for each variable.
	std::vector<std::vector<std::string>> rows;
	// The text after the closing parenthesis.
	std::string_view rest;
};

// `line` starts with "~SEQ" or "~LST". `maxRows` bounds the expansion.
std::expected<Generator, std::string> parseGenerator(std::string_view line, std::size_t maxRows);

} // namespace vigil::parser
