#include <gtest/gtest.h>
#include <random>
#include <string>

#include "parser/char_class.h"

namespace vigil::parser::chars {
namespace {

// The plain byte-by-byte meaning of scanLine.
LineScan reference(const std::string &text)
{
	std::size_t n = 0;
	std::uint8_t flags = 0;
	for (; n < text.size() && text[n] != '\n'; ++n)
		flags |= of(text[n]);
	return {n, static_cast<std::uint8_t>(flags & (kQuote | kComment | kDollar))};
}

TEST(ScanLine, Examples)
{
	struct Case {
		std::string text;
		std::size_t length;
		std::uint8_t flags;
	} cases[] = {
	        {"", 0, 0},
	        {"\n", 0, 0},
	        {"    real_server 10.0.0.1 80 {\nx", 29, 0},
	        {"a # comment\n", 11, kComment},
	        {"weight 1\n$X=1 # \"", 8, 0}, // what follows the newline is the next line's
	        {"1234567\n$", 7, 0},
	        {"12345678\"\n", 9, kQuote},
	        {"${A}", 4, kDollar},
	        {"notify \"/bin/x\" ! a", 19, kQuote | kComment},
	};
	for (const auto &c : cases) {
		LineScan s = scanLine(c.text.data(), c.text.data() + c.text.size());
		EXPECT_EQ(s.length, c.length) << c.text;
		EXPECT_EQ(s.flags, c.flags) << c.text;
	}
}

TEST(ScanLine, AgreesWithTheByteByByteScanEverywhere)
{
	// Every special byte at every offset of lines around the word size,
	// and random lines from a small alphabet.
	const std::string specials = "\n\"#!$";
	for (std::size_t len = 0; len < 20; ++len)
		for (std::size_t at = 0; at < len; ++at)
			for (char c : specials)
				for (char d : specials) {
					std::string text(len, 'x');
					text[at] = c;
					if (at + 1 < len)
						text[len - 1] = d;
					LineScan s = scanLine(text.data(), text.data() + text.size());
					LineScan r = reference(text);
					ASSERT_EQ(s.length, r.length) << text;
					ASSERT_EQ(s.flags, r.flags) << text;
				}
	std::mt19937 random(7);
	const std::string alphabet = "ab \t\n\"#!${}\x01\xff";
	for (int i = 0; i < 20000; ++i) {
		std::string text(random() % 40, ' ');
		for (char &ch : text)
			ch = alphabet[random() % alphabet.size()];
		LineScan s = scanLine(text.data(), text.data() + text.size());
		LineScan r = reference(text);
		ASSERT_EQ(s.length, r.length) << text;
		ASSERT_EQ(s.flags, r.flags) << text;
	}
}

} // namespace
} // namespace vigil::parser::chars
