#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "parser/diagnostics.h"
#include "parser/location.h"
#include "parser/preprocessor.h"

namespace vigil::parser {

enum class TokenKind { kWord, kOpen, kClose };

struct Token {
	TokenKind kind = TokenKind::kWord;
	std::string text;
};

// Splits a logical line into words and structural braces. Quotes (" or ')
// group whitespace into a word and are removed; quoted text may use the
// shell's backslash escapes. An unquoted '{' or '}' is always a token of its
// own, glued to a word or not.
std::vector<Token> tokenize(std::string_view line);

// One keyword with its arguments and, when a '{' followed it, its block.
struct Node {
	std::string keyword;
	std::vector<std::string> args;
	Location where;
	// Where the block closed: keepalived reports some findings about a
	// block there.
	Location end;
	std::vector<Node> children;
	bool hasBlock = false;

	// Argument i, or "" when absent.
	const std::string &arg(std::size_t i) const;
};

// A block may open on the keyword's line or on the next line by itself; a
// block may close anywhere, and anything after a brace on the same line is a
// new statement, so "a { b c } d" is a{b c} then d.
std::vector<Node> buildTree(const std::vector<Line> &lines, Diagnostics &diagnostics);

} // namespace vigil::parser
