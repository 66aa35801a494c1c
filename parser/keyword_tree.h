#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <iterator>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "parser/arena.h"
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

namespace detail {
// A token as a view into the line it came from: what the tree builder
// reads, without copying each word twice.
struct TokenView {
	TokenKind kind = TokenKind::kWord;
	std::string_view text;
};
// `quoted`, when given, tells whether the line had a double quote at all.
void tokenizeViews(std::string_view line, std::vector<TokenView> &tokens, bool *unmatched, bool *quoted = nullptr);
} // namespace detail

struct Node;

// The children of a node, in order: a list threaded through the nodes, so
// that a tree is built in an Arena without knowing sizes in advance.
class NodeList
{
public:
	class iterator
	{
	public:
		using iterator_category = std::forward_iterator_tag;
		using value_type = Node;
		using difference_type = std::ptrdiff_t;
		using pointer = const Node *;
		using reference = const Node &;

		iterator() = default;
		explicit iterator(const Node *n) : node_(n) {}
		reference operator*() const { return *node_; }
		pointer operator->() const { return node_; }
		iterator &operator++();
		iterator operator++(int)
		{
			iterator old = *this;
			++*this;
			return old;
		}
		bool operator==(const iterator &) const = default;

	private:
		const Node *node_ = nullptr;
	};

	iterator begin() const { return iterator(first_); }
	iterator end() const { return iterator(); }
	std::size_t size() const { return size_; }
	bool empty() const { return size_ == 0; }
	const Node &front() const { return *first_; }
	// Walks the list: the builder keeps the tail, the list does not (a
	// node is smaller without it, and millions are made).
	const Node &back() const;

	// Appends a node that lives at least as long as the list after `tail`,
	// the list's last node (null when it is empty); returns the new tail.
	Node *append(Node *tail, Node *node);

private:
	Node *first_ = nullptr;
	std::uint32_t size_ = 0;
};

// One keyword with its arguments and, when a '{' followed it, its block.
// A node is a view: its text and children live in the Arena of whoever
// built it (for the TreeBuilder, until its sink returns). Keep a copy
// (copyTree) or the values, never the node.
struct Node {
	Node() = default;
	// Every member written once, field by field: the tree builder makes
	// millions, and a value-initialized node is a memset that compilers
	// turn into `rep stos`, slow to start for a hundred bytes.
	Node(std::string_view k, std::span<const std::string_view> a, Location w) : keyword(k), args(a), where(w) {}

	std::string_view keyword;
	std::span<const std::string_view> args;
	Location where;
	// Where the block closed: keepalived reports some findings about a
	// block there.
	Location end;
	NodeList children;
	bool hasBlock = false;
	Node *next = nullptr; // the next sibling: NodeList's link
	// BlockSchema::Entry::handle of the keyword, when a schema looked it
	// up.
	const BlockSchema::Handle *handle = nullptr;

	// Argument i, or "" when absent.
	std::string_view arg(std::size_t i) const { return i < args.size() ? args[i] : std::string_view(); }
};

inline NodeList::iterator &NodeList::iterator::operator++()
{
	node_ = node_->next;
	return *this;
}

inline Node *NodeList::append(Node *tail, Node *node)
{
	node->next = nullptr;
	if (tail)
		tail->next = node;
	else
		first_ = node;
	++size_;
	return node;
}

inline const Node &NodeList::back() const
{
	const Node *n = first_;
	while (n->next)
		n = n->next;
	return *n;
}

// The arguments as strings, for values that outlive the node.
inline std::vector<std::string> argStrings(const Node &node)
{
	return {node.args.begin(), node.args.end()};
}

// A deep copy of `node` (text, arguments, children) into `arena`.
Node copyTree(const Node &node, Arena &arena);

// Top-level nodes together with the arena that holds them: what buildTree
// returns, and the way to keep a tree past its builder.
class Forest
{
public:
	Forest() : arena_(std::make_shared<Arena>()) {}

	const std::vector<Node> &nodes() const { return nodes_; }
	std::size_t size() const { return nodes_.size(); }
	const Node &operator[](std::size_t i) const { return nodes_[i]; }
	auto begin() const { return nodes_.begin(); }
	auto end() const { return nodes_.end(); }

	// Adds a copy of `node` as the next top-level node.
	const Node &add(const Node &node);
	// Builds a node by hand (tests): the text is copied.
	Node make(std::string_view keyword, std::initializer_list<std::string_view> args, Location where);
	// Appends `child` (copied) to `parent`'s block.
	void adopt(Node &parent, const Node &child);

private:
	std::shared_ptr<Arena> arena_;
	std::vector<Node> nodes_;
};

// Builds the tree the way keepalived reads blocks, with `schema` telling
// which keywords exist and which take blocks (see BlockSchema). Braces split
// lines: "a { b c } d" is a{b c} then d. Unknown keywords are reported here
// ("Unknown keyword 'x'") and left out of the tree, as are quote errors.
Forest buildTree(const std::vector<Line> &lines, const BlockSchema &schema, Diagnostics &diagnostics);

// The same, streaming: each top-level statement goes to the sink as soon as
// it is complete, so that a consumer can stop reading where keepalived
// would (the sink returns false).
class TreeBuilder
{
public:
	// The node and everything in it is valid during the call only.
	using NodeSink = std::function<bool(const Node &)>;

	TreeBuilder(const BlockSchema &schema, Diagnostics &diagnostics, NodeSink sink);
	// False once reading has stopped.
	bool line(const LineView &line);
	bool line(const Line &l) { return line(LineView{l.where, l.text}); }
	void finish();

	// For a reader that applies statements on another thread: instead of
	// reusing its memory once every statement has gone to the sink, the
	// builder passes its arena to `swap` when it holds at least
	// `batchBytes` (and at the end) and goes on in the arena `swap`
	// returns. The sink's nodes then live as long as their arena.
	using ArenaSwap = std::function<std::unique_ptr<Arena>(std::unique_ptr<Arena>)>;
	void handOverArenas(ArenaSwap swap, std::size_t batchBytes);

private:
	struct Frame {
		Node *node;
		Node *tail; // the block's last child so far
		const BlockSchema *schema;
		// The schema's nature, asked once per block rather than per line.
		bool valueList;
		bool opaque;
	};

	bool open(Node *node, const BlockSchema *schema, Location where);
	void close(Location where);
	void flush();

	Diagnostics &diagnostics_;
	NodeSink sink_;
	// Holds the statement being read; reset after the sink has it.
	std::unique_ptr<Arena> arena_;
	ArenaSwap swap_;
	std::size_t batchBytes_ = 0;
	Node root_;
	std::vector<Frame> stack_;
	// A block keyword waiting for its '{'.
	Node *pending_ = nullptr;
	const BlockSchema *pendingSchema_ = nullptr;
	// Braces seen in the whole file, as keepalived counts them.
	long depth_ = 0;
	Location last_;
	bool stopped_ = false;
	std::vector<detail::TokenView> tokens_; // reused line to line
};

} // namespace vigil::parser
