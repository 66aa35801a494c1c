#include "parser/keyword_tree.h"

#include <cstring>
#include <fmt/format.h>

#include "parser/char_class.h"

namespace vigil::parser {

namespace {

constexpr std::size_t kMaxDepth = 32;

class ValueListSchema final : public BlockSchema
{
public:
	Entry lookup(std::string_view) const override { return {Kind::kLeaf, nullptr}; }
	bool valueList() const override { return true; }
};

class OpaqueSchema final : public BlockSchema
{
public:
	Entry lookup(std::string_view) const override { return {Kind::kLeaf, nullptr}; }
};

// keepalived's "Unterminated quote" check: an odd number of double quotes
// not escaped by a backslash (the tokenizer itself knows no escapes).
bool oddQuotes(std::string_view line)
{
	int quotes = 0;
	for (std::size_t i = 0; i < line.size(); ++i) {
		if (line[i] == '\\')
			++i;
		else if (line[i] == '"')
			++quotes;
	}
	return quotes % 2 != 0;
}

} // namespace

const BlockSchema &valueListSchema()
{
	static const ValueListSchema schema;
	return schema;
}

const BlockSchema &opaqueSchema()
{
	static const OpaqueSchema schema;
	return schema;
}

namespace detail {

void tokenizeViews(std::string_view line, std::vector<TokenView> &tokens, bool *unmatched, bool *quoted)
{
	tokens.clear();
	if (unmatched)
		*unmatched = false;
	if (quoted)
		*quoted = false;
	const char *p = line.data();
	const char *const e = p + line.size();
	constexpr std::uint8_t kEndsWord = chars::kSpace | chars::kNewline | chars::kBrace | chars::kQuote;
	while (p != e) {
		std::uint8_t k = chars::of(*p);
		if (k & (chars::kSpace | chars::kNewline)) {
			++p;
		} else if (k & chars::kBrace) {
			tokens.push_back({*p == '{' ? TokenKind::kOpen : TokenKind::kClose, {p, 1}});
			++p;
		} else if (k & chars::kQuote) {
			if (quoted)
				*quoted = true;
			const void *close = std::memchr(p + 1, '"', static_cast<std::size_t>(e - p - 1));
			if (!close) {
				if (unmatched)
					*unmatched = true;
				return;
			}
			const char *q = static_cast<const char *>(close);
			tokens.push_back({TokenKind::kWord, {p + 1, static_cast<std::size_t>(q - p - 1)}});
			p = q + 1;
		} else {
			const char *start = p;
			while (p != e && !(chars::of(*p) & kEndsWord))
				++p;
			tokens.push_back({TokenKind::kWord, {start, static_cast<std::size_t>(p - start)}});
		}
	}
}

} // namespace detail

std::vector<Token> tokenize(std::string_view line, bool *unmatched)
{
	std::vector<Token> tokens;
	tokenize(line, tokens, unmatched);
	return tokens;
}

void tokenize(std::string_view line, std::vector<Token> &tokens, bool *unmatched)
{
	std::vector<detail::TokenView> views;
	detail::tokenizeViews(line, views, unmatched);
	tokens.clear();
	for (const detail::TokenView &v : views)
		tokens.push_back({v.kind, std::string(v.text)});
}

Node copyTree(const Node &node, Arena &arena)
{
	Node copy;
	copy.keyword = arena.copy(node.keyword);
	std::span<std::string_view> args = arena.array<std::string_view>(node.args.size());
	for (std::size_t i = 0; i < args.size(); ++i)
		args[i] = arena.copy(node.args[i]);
	copy.args = args;
	copy.where = node.where;
	copy.end = node.end;
	copy.hasBlock = node.hasBlock;
	copy.handle = node.handle;
	Node *tail = nullptr;
	for (const Node &child : node.children)
		tail = copy.children.append(tail, arena.make<Node>(copyTree(child, arena)));
	return copy;
}

const Node &Forest::add(const Node &node)
{
	return nodes_.emplace_back(copyTree(node, *arena_));
}

Node Forest::make(std::string_view keyword, std::initializer_list<std::string_view> args, Location where)
{
	Node n;
	n.keyword = arena_->copy(keyword);
	std::span<std::string_view> a = arena_->array<std::string_view>(args.size());
	std::size_t i = 0;
	for (std::string_view arg : args)
		a[i++] = arena_->copy(arg);
	n.args = a;
	n.where = where;
	return n;
}

void Forest::adopt(Node &parent, const Node &child)
{
	parent.hasBlock = true;
	Node *tail = nullptr;
	for (const Node &c : parent.children)
		tail = const_cast<Node *>(&c);
	parent.children.append(tail, arena_->make<Node>(copyTree(child, *arena_)));
}

namespace {

// The words from tokens[i] on, up to the next brace, as the arguments of a
// node in `arena`; advances i past them.
std::span<const std::string_view> takeArgs(const std::vector<detail::TokenView> &tokens, std::size_t &i, Arena &arena)
{
	std::size_t n = 0;
	const std::size_t size = tokens.size();
	while (i + n < size && tokens[i + n].kind == TokenKind::kWord)
		++n;
	if (n == 0)
		return {};
	auto *args = static_cast<std::string_view *>(
	        arena.allocate(n * sizeof(std::string_view), alignof(std::string_view)));
	for (std::size_t k = 0; k < n; ++k)
		new (args + k) std::string_view(tokens[i + k].text);
	i += n;
	return {args, n};
}

} // namespace

TreeBuilder::TreeBuilder(const BlockSchema &schema, Diagnostics &diagnostics, NodeSink sink)
        : diagnostics_(diagnostics), sink_(std::move(sink)), arena_(std::make_unique<Arena>())
{
	stack_.push_back({&root_, nullptr, &schema, schema.valueList(), &schema == &opaqueSchema()});
}

void TreeBuilder::flush()
{
	// Called only at the top level with nothing pending: every node here
	// is complete.
	for (const Node &n : root_.children)
		if (!stopped_ && !sink_(n))
			stopped_ = true;
	root_.children = NodeList();
	stack_.front().tail = nullptr;
}

bool TreeBuilder::open(Node *node, const BlockSchema *schema, Location where)
{
	if (stack_.size() > kMaxDepth) {
		diagnostics_.fatal(where, "Configuration blocks nested too deeply");
		stopped_ = true;
		return false;
	}
	node->hasBlock = true;
	stack_.push_back({node, nullptr, schema, schema->valueList(), schema == &opaqueSchema()});
	return true;
}

void TreeBuilder::close(Location where)
{
	if (--depth_ < 0) {
		diagnostics_.error(where, "Extra '}' found");
		depth_ = 0;
	}
	if (stack_.size() > 1) {
		stack_.back().node->end = where;
		stack_.pop_back();
		if (stack_.size() == 1)
			flush();
	} else {
		diagnostics_.error(where, "Unknown keyword '}'");
	}
}

bool TreeBuilder::line(const LineView &line)
{
	if (stopped_)
		return false;
	last_ = line.where;
	// Every statement read so far has gone to the sink: their memory is
	// free again. Not earlier: the rest of a line that closed a statement
	// may still be read ("blk { a } leaf"), from the arena's copy.
	if (stack_.size() == 1 && !pending_ && root_.children.empty()) {
		if (!swap_)
			arena_->reset();
		else if (arena_->used() >= batchBytes_)
			arena_ = swap_(std::move(arena_));
	}
	bool unmatched = false, quoted = false;
	std::vector<detail::TokenView> &tokens = tokens_;
	// The words are views into the arena's copy of the line: they live as
	// long as the statement.
	detail::tokenizeViews(arena_->copy(line.text), tokens, &unmatched, &quoted);
	if (quoted && oddQuotes(line.text))
		diagnostics_.error(line.where, fmt::format("Unterminated quote '{}'", line.text));
	if (unmatched)
		diagnostics_.error(line.where, fmt::format("Unmatched quote: '{}'", line.text));

	for (std::size_t i = 0; i < tokens.size() && !stopped_;) {
		if (pending_) {
			Node *node = pending_;
			const BlockSchema *schema = pendingSchema_;
			pending_ = nullptr;
			if (tokens[i].kind == TokenKind::kOpen) {
				++depth_;
				++i;
			} else if (!schema->valueList()) {
				diagnostics_.error(line.where, "Missing '{' at beginning of configuration block");
			}
			if (!open(node, schema, line.where))
				return false;
			continue;
		}
		if (tokens[i].kind == TokenKind::kClose) {
			close(line.where);
			++i;
			continue;
		}
		Frame &frame = stack_.back();
		if (frame.valueList) {
			// A value: everything up to the next '}' on this line, a
			// stray '{' included.
			if (tokens[i].kind == TokenKind::kOpen)
				++depth_;
			std::string_view value = tokens[i++].text;
			std::span<const std::string_view> args = takeArgs(tokens, i, *arena_);
			Node *node = arena_->make<Node>(value, args, line.where);
			frame.tail = frame.node->children.append(frame.tail, node);
			continue;
		}
		if (tokens[i].kind == TokenKind::kOpen) {
			// Nothing here takes a block: keepalived drops the brace and
			// reads what follows as part of the enclosing block.
			++depth_;
			diagnostics_.error(line.where, "Unexpected '{' - ignoring");
			++i;
			continue;
		}
		std::string_view keyword = tokens[i++].text;
		std::span<const std::string_view> args = takeArgs(tokens, i, *arena_);
		BlockSchema::Entry entry = frame.schema->lookup(keyword);
		if (entry.kind == BlockSchema::Kind::kUnknown) {
			diagnostics_.error(line.where, fmt::format("Unknown keyword '{}'", keyword));
			continue;
		}
		bool opensBlock = entry.kind == BlockSchema::Kind::kBlock ||
		                  (frame.opaque && i < tokens.size() && tokens[i].kind == TokenKind::kOpen);
		Node *added = arena_->make<Node>(keyword, args, line.where);
		added->handle = entry.handle;
		frame.tail = frame.node->children.append(frame.tail, added);
		if (opensBlock) {
			pending_ = added;
			pendingSchema_ = entry.block ? entry.block : &opaqueSchema();
		} else if (stack_.size() == 1) {
			flush();
		}
	}
	return !stopped_;
}

void TreeBuilder::finish()
{
	if (stopped_)
		return;
	for (std::size_t i = 1; i < stack_.size(); ++i)
		stack_[i].node->end = last_;
	if (depth_ > 0)
		diagnostics_.error({}, fmt::format("There are {} missing '}}'s or extra '{{'s", depth_));
	// Unclosed blocks are handed over as they are.
	pending_ = nullptr;
	stack_.resize(1);
	flush();
	if (swap_ && !stopped_)
		arena_ = swap_(std::move(arena_));
}

void TreeBuilder::handOverArenas(ArenaSwap swap, std::size_t batchBytes)
{
	swap_ = std::move(swap);
	batchBytes_ = batchBytes;
}

Forest buildTree(const std::vector<Line> &lines, const BlockSchema &schema, Diagnostics &diagnostics)
{
	Forest out;
	TreeBuilder builder(schema, diagnostics, [&out](const Node &n) {
		out.add(n);
		return true;
	});
	for (const Line &line : lines)
		if (!builder.line(line))
			break;
	builder.finish();
	return out;
}

} // namespace vigil::parser
