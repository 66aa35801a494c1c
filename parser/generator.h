#pragma once

#include <expected>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::parser {

// A parsed "~SEQ(var, start, step, end)", "~SEQx(...)", "~LST(var, a, b)"
// or "~LST({v1, v2}, {a1, a2}, ...)" line prefix, as the list of variable
// assignments it stands for.
struct Generator {
	bool isList = false;
	std::vector<std::string> variables;
	// One row per repetition, a value for each variable.
	std::vector<std::vector<std::string>> rows;
	// The text after the closing parenthesis.
	std::string_view rest;
};

// What keepalived reports about a malformed generator.
enum class GeneratorError {
	kDefinition, // "Invalid ~SEQ definition": argument count, names, numbers
	kTooLong,    // "~SEQ parameter strings too long": no ')'
	kValues,     // "Invalid ~SEQ values": a step of 0 or away from the end
	kTooMany,    // "~LST specification has too many values"
	kInvalid,    // the list is malformed otherwise
	kTooBig,     // more rows than allowed (vigil's bound)
};

// `line` starts with "~SEQ" or "~LST". `maxRows` bounds the expansion.
std::expected<Generator, GeneratorError> parseGenerator(std::string_view line, std::size_t maxRows);

} // namespace vigil::parser
