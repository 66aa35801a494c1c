#pragma once

// Character classes of keepalived.conf's lexical rules, looked up in one
// table: the reader touches every byte of the file, and one load and mask
// per byte beats a chain of comparisons.

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace vigil::parser::chars {

enum : std::uint8_t {
	kSpace = 1,   // ' ' '\t' '\r' '\f' '\v': separates words
	kNewline = 2, // '\n'
	kComment = 4, // '#' '!' outside double quotes
	kQuote = 8,   // '"'
	kBrace = 16,  // '{' '}'
	kDollar = 32, // '$': a definition or a substitution
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
	t['$'] = kDollar;
	return t;
}();

inline std::uint8_t of(char c)
{
	return kTable[static_cast<unsigned char>(c)];
}

// One physical line: its length up to the '\n' (or the end of the text) and
// which of kQuote, kComment and kDollar occur in it, so that the common line
// (none of them) skips comment stripping and substitution. Many bytes at a
// time: configurations are millions of short lines.
struct LineScan {
	std::size_t length;
	std::uint8_t flags;
};

namespace detail {

inline constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
inline constexpr std::uint64_t kHighs = 0x8080808080808080ULL;

// The high bit of each byte of w equal to c. A byte above a true match may
// show as a match too (a borrow), never one below: the lowest set bit is
// exact, and a set bit means some true match at or below it.
inline std::uint64_t bytesEqual(std::uint64_t w, unsigned char c)
{
	std::uint64_t x = w ^ (kOnes * c);
	return (x - kOnes) & ~x & kHighs;
}

} // namespace detail

inline LineScan scanLine(const char *begin, const char *end)
{
	const char *p = begin;
	std::uint8_t flags = 0;
#ifdef __SSE2__
	// Sixteen bytes at a time where the instruction set has it (every
	// x86-64), eight elsewhere and for the rest.
	const __m128i newlines = _mm_set1_epi8('\n');
	const __m128i quotes = _mm_set1_epi8('"'), hashes = _mm_set1_epi8('#');
	const __m128i bangs = _mm_set1_epi8('!'), dollars = _mm_set1_epi8('$');
	while (end - p >= 16) {
		__m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p));
		unsigned newline = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, newlines)));
		__m128i s = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quotes), _mm_cmpeq_epi8(v, hashes)),
		                         _mm_or_si128(_mm_cmpeq_epi8(v, bangs), _mm_cmpeq_epi8(v, dollars)));
		unsigned special = static_cast<unsigned>(_mm_movemask_epi8(s));
		if (newline) {
			int n = std::countr_zero(newline);
			if (special & ((1u << n) - 1))
				for (int i = 0; i < n; ++i)
					flags |= of(p[i]);
			p += n;
			return {static_cast<std::size_t>(p - begin),
			        static_cast<std::uint8_t>(flags & (kQuote | kComment | kDollar))};
		}
		if (special)
			for (int i = 0; i < 16; ++i)
				flags |= of(p[i]);
		p += 16;
	}
#endif
	if constexpr (std::endian::native == std::endian::little) {
		while (end - p >= 8) {
			std::uint64_t w;
			std::memcpy(&w, p, 8);
			std::uint64_t newline = detail::bytesEqual(w, '\n');
			std::uint64_t special = detail::bytesEqual(w, '"') | detail::bytesEqual(w, '#') |
			                        detail::bytesEqual(w, '!') | detail::bytesEqual(w, '$');
			if (newline) {
				// Only the bytes before the newline belong to this line.
				std::uint64_t below = (newline & -newline) - 1;
				if (special & below)
					for (const char *q = p; *q != '\n'; ++q)
						flags |= of(*q);
				p += std::countr_zero(newline) / 8;
				return {static_cast<std::size_t>(p - begin),
				        static_cast<std::uint8_t>(flags & (kQuote | kComment | kDollar))};
			}
			if (special)
				for (int i = 0; i < 8; ++i)
					flags |= of(p[i]);
			p += 8;
		}
	}
	for (; p != end && *p != '\n'; ++p)
		flags |= of(*p);
	return {static_cast<std::size_t>(p - begin), static_cast<std::uint8_t>(flags & (kQuote | kComment | kDollar))};
}

} // namespace vigil::parser::chars
