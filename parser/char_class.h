#pragma once

// Character classes of keepalived.conf's lexical rules, looked up in one
// table: the reader touches every byte of the file, and one load and mask
// per byte beats a chain of comparisons.

#include <array>
#include <cstdint>

namespace vigil::parser::chars {

enum : std::uint8_t {
	kSpace = 1,   // ' ' '\t' '\r' '\f' '\v': separates words
	kNewline = 2, // '\n'
	kComment = 4, // '#' '!' outside double quotes
	kQuote = 8,   // '"'
	kBrace = 16,  // '{' '}'
};

inline constexpr std::array<std::uint8_t, 256> kTable = [] {
	std::array<std::uint8_t, 256> t{};
	for (unsigned char c : {' ', '\t', '\r', '\f', '\v'})
		t[c] = kSpace;
	t['\n'] = kNewline;
	t['#'] = kComment;
	t['!'] = kComment;
	t['"'] = kQuote;
	t['{'] = kBrace;
	t['}'] = kBrace;
	return t;
}();

inline std::uint8_t of(char c)
{
	return kTable[static_cast<unsigned char>(c)];
}

} // namespace vigil::parser::chars
