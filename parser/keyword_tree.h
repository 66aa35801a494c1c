#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "parser/block_schema.h"
#include "parser/diagnostics.h"
#include "parser/location.h"
#include "parser/preprocessor.h"

namespace vigil::parser {

enum class TokenKind { kWord, kOpen, kClose };

struct Token {
	TokenKind kind = TokenKind::kWord;
	std::string text;
};

// Splits a logical line as keepalived does: on whitespace; a double quote
// always starts or ends a word of its own ("a"b"c" is three words, "" one
// empty word) and keeps the whitespace inside; there are no escapes and
// single quotes are ordinary characters; an unquoted '{' or '}' is a token
// of its own, glued to a word or not. A line ending inside quotes loses the
// text after the opening quote and sets `unmatched`.
std::vector<Token> tokenize(std::string_view line, bool *unmatched = nullptr);
// The same into `out` (cleared first), reusing its storage.
void tokenize(std::string_view line, std::vector<Token> &out, bool *unmatched);

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

// Builds the tree the way keepalived reads blocks, with `schema` telling
// which keywords exist and which take blocks (see BlockSchema). Braces split
// lines: "a { b c } d" is a{b c} then d. Unknown keywords are reported here
// ("Unknown keyword 'x'") and left out of the tree, as are quote errors.
std::vector<Node> buildTree(const std::vector<Line> &lines, const BlockSchema &schema, Diagnostics &diagnostics);

// The same, streaming: each top-level statement goes to the sink as soon as
// it is complete, so that a consumer can stop reading where keepalived
// would (the sink returns false).
class TreeBuilder
{
public:
	using NodeSink = std::function<bool(Node &&)>;

	TreeBuilder(const BlockSchema &schema, Diagnostics &diagnostics, NodeSink sink);
	// False once reading has stopped.
	bool line(const LineView &line);
	bool line(const Line &l) { return line(LineView{l.where, l.text}); }
	void finish();

private:
	struct Frame {
		Node *node;
		const BlockSchema *schema;
	};

	bool open(Node *node, const BlockSchema *schema, Location where);
	void close(Location where);
	void flush();

	Diagnostics &diagnostics_;
	NodeSink sink_;
	Node root_;
	std::vector<Frame> stack_;
	// A block keyword waiting for its '{'.
	Node *pending_ = nullptr;
	const BlockSchema *pendingSchema_ = nullptr;
	// Braces seen in the whole file, as keepalived counts them.
	long depth_ = 0;
	Location last_;
	bool stopped_ = false;
	std::vector<Token> tokens_; // reused line to line
};

} // namespace vigil::parser
