#include "parser/keyword_tree.h"

#include <fmt/format.h>

namespace vigil::parser {

namespace {

constexpr std::size_t kMaxDepth = 32;

bool isSpace(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

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

std::vector<Token> tokenize(std::string_view line, bool *unmatched)
{
	std::vector<Token> tokens;
	tokenize(line, tokens, unmatched);
	return tokens;
}

void tokenize(std::string_view line, std::vector<Token> &tokens, bool *unmatched)
{
	tokens.clear();
	if (unmatched)
		*unmatched = false;
	// Each word is copied once, from where it starts to where it ends.
	std::size_t start = std::string_view::npos;
	auto finish = [&](std::size_t end) {
		if (start != std::string_view::npos)
			tokens.push_back({TokenKind::kWord, std::string(line.substr(start, end - start))});
		start = std::string_view::npos;
	};
	for (std::size_t i = 0; i < line.size(); ++i) {
		char c = line[i];
		if (isSpace(c)) {
			finish(i);
		} else if (c == '{' || c == '}') {
			finish(i);
			tokens.push_back({c == '{' ? TokenKind::kOpen : TokenKind::kClose, std::string(1, c)});
		} else if (c == '"') {
			finish(i);
			std::size_t close = line.find('"', i + 1);
			if (close == std::string_view::npos) {
				if (unmatched)
					*unmatched = true;
				return;
			}
			tokens.push_back({TokenKind::kWord, std::string(line.substr(i + 1, close - i - 1))});
			i = close;
		} else if (start == std::string_view::npos) {
			start = i;
		}
	}
	finish(line.size());
}

const std::string &Node::arg(std::size_t i) const
{
	static const std::string empty;
	return i < args.size() ? args[i] : empty;
}

TreeBuilder::TreeBuilder(const BlockSchema &schema, Diagnostics &diagnostics, NodeSink sink)
        : diagnostics_(diagnostics), sink_(std::move(sink))
{
	stack_.push_back({&root_, &schema});
}

void TreeBuilder::flush()
{
	// Called only at the top level with nothing pending: every node here
	// is complete.
	for (Node &n : root_.children)
		if (!stopped_ && !sink_(std::move(n)))
			stopped_ = true;
	root_.children.clear();
}

bool TreeBuilder::open(Node *node, const BlockSchema *schema, Location where)
{
	if (stack_.size() > kMaxDepth) {
		diagnostics_.fatal(where, "Configuration blocks nested too deeply");
		stopped_ = true;
		return false;
	}
	node->hasBlock = true;
	stack_.push_back({node, schema});
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
	bool unmatched = false;
	std::vector<Token> &tokens = tokens_;
	tokenize(line.text, tokens, &unmatched);
	if (oddQuotes(line.text))
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
		if (frame.schema->valueList()) {
			// A value: everything up to the next '}' on this line, a
			// stray '{' included.
			Node &node = frame.node->children.emplace_back();
			node.where = line.where;
			if (tokens[i].kind == TokenKind::kOpen)
				++depth_;
			node.keyword = std::move(tokens[i++].text);
			while (i < tokens.size() && tokens[i].kind == TokenKind::kWord)
				node.args.push_back(std::move(tokens[i++].text));
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
		Node node;
		node.where = line.where;
		node.keyword = std::move(tokens[i++].text);
		while (i < tokens.size() && tokens[i].kind == TokenKind::kWord)
			node.args.push_back(std::move(tokens[i++].text));
		BlockSchema::Entry entry = frame.schema->lookup(node.keyword);
		if (entry.kind == BlockSchema::Kind::kUnknown) {
			diagnostics_.error(line.where, fmt::format("Unknown keyword '{}'", node.keyword));
			continue;
		}
		bool opaque = frame.schema == &opaqueSchema();
		bool opensBlock = entry.kind == BlockSchema::Kind::kBlock ||
		                  (opaque && i < tokens.size() && tokens[i].kind == TokenKind::kOpen);
		Node &added = frame.node->children.emplace_back(std::move(node));
		if (opensBlock) {
			pending_ = &added;
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
}

std::vector<Node> buildTree(const std::vector<Line> &lines, const BlockSchema &schema, Diagnostics &diagnostics)
{
	std::vector<Node> out;
	TreeBuilder builder(schema, diagnostics, [&out](Node &&n) {
		out.push_back(std::move(n));
		return true;
	});
	for (const Line &line : lines)
		if (!builder.line(line))
			break;
	builder.finish();
	return out;
}

} // namespace vigil::parser
