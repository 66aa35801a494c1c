#include "parser/keyword_tree.h"

#include <fmt/format.h>

namespace vigil::parser {

namespace {

constexpr std::size_t kMaxDepth = 32;

bool isSpace(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

int hexValue(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

// Decodes the escape starting after the backslash at line[i]; returns the
// index of its last character.
std::size_t unescape(std::string_view line, std::size_t i, std::string &out)
{
	if (i >= line.size()) {
		out.push_back('\\');
		return i - 1;
	}
	char c = line[i];
	switch (c) {
	case 'a':
		out.push_back('\a');
		return i;
	case 'b':
		out.push_back('\b');
		return i;
	case 'E':
		out.push_back('\x1b');
		return i;
	case 'f':
		out.push_back('\f');
		return i;
	case 'n':
		out.push_back('\n');
		return i;
	case 'r':
		out.push_back('\r');
		return i;
	case 't':
		out.push_back('\t');
		return i;
	case 'v':
		out.push_back('\v');
		return i;
	case 'x': {
		unsigned v = 0;
		std::size_t j = i + 1;
		while (j < line.size() && hexValue(line[j]) >= 0)
			v = (v << 4) | static_cast<unsigned>(hexValue(line[j++]));
		if (j == i + 1) {
			out.push_back('x');
			return i;
		}
		out.push_back(static_cast<char>(v & 0xff));
		return j - 1;
	}
	case 'c':
		if (i + 1 < line.size()) {
			out.push_back(static_cast<char>(line[i + 1] & 0x1f));
			return i + 1;
		}
		out.push_back('c');
		return i;
	default:
		if (c >= '0' && c <= '7') {
			unsigned v = 0;
			std::size_t j = i;
			while (j < line.size() && j < i + 3 && line[j] >= '0' && line[j] <= '7')
				v = (v << 3) | static_cast<unsigned>(line[j++] - '0');
			out.push_back(static_cast<char>(v & 0xff));
			return j - 1;
		}
		out.push_back(c);
		return i;
	}
}

} // namespace

std::vector<Token> tokenize(std::string_view line)
{
	std::vector<Token> tokens;
	std::string word;
	bool inWord = false;
	auto finish = [&] {
		if (inWord)
			tokens.push_back({TokenKind::kWord, std::move(word)});
		word.clear();
		inWord = false;
	};
	for (std::size_t i = 0; i < line.size(); ++i) {
		char c = line[i];
		if (isSpace(c)) {
			finish();
		} else if (c == '{' || c == '}') {
			finish();
			tokens.push_back({c == '{' ? TokenKind::kOpen : TokenKind::kClose, std::string(1, c)});
		} else if (c == '"' || c == '\'') {
			inWord = true;
			std::size_t j = i + 1;
			for (; j < line.size() && line[j] != c; ++j) {
				if (line[j] == '\\')
					j = unescape(line, j + 1, word);
				else
					word.push_back(line[j]);
			}
			i = j; // at the closing quote, or past the end if unterminated
		} else {
			inWord = true;
			word.push_back(c);
		}
	}
	finish();
	return tokens;
}

const std::string &Node::arg(std::size_t i) const
{
	static const std::string empty;
	return i < args.size() ? args[i] : empty;
}

std::vector<Node> buildTree(const std::vector<Line> &lines, Diagnostics &diagnostics)
{
	Node root;
	std::vector<Node *> stack{&root};
	for (const Line &line : lines) {
		std::vector<Token> tokens = tokenize(line.text);
		// The statement this line started, which a '{' on the same line opens.
		Node *open = nullptr;
		for (std::size_t i = 0; i < tokens.size();) {
			Node *parent = stack.back();
			if (tokens[i].kind == TokenKind::kOpen) {
				Node *target = open;
				if (!target && !parent->children.empty() && !parent->children.back().hasBlock)
					target = &parent->children.back();
				if (!target || target->hasBlock) {
					diagnostics.error(line.where,
					                  "Unexpected '{' - no keyword to open a block for");
					target = &parent->children.emplace_back();
					target->where = line.where;
				}
				if (stack.size() > kMaxDepth) {
					diagnostics.fatal(line.where, "Configuration blocks nested too deeply");
					return std::move(root.children);
				}
				target->hasBlock = true;
				stack.push_back(target);
				open = nullptr;
				++i;
			} else if (tokens[i].kind == TokenKind::kClose) {
				if (stack.size() == 1) {
					diagnostics.error(line.where, "Extra '}' found");
				} else {
					stack.back()->end = line.where;
					stack.pop_back();
				}
				open = nullptr;
				++i;
			} else {
				Node &node = parent->children.emplace_back();
				node.where = line.where;
				node.keyword = std::move(tokens[i++].text);
				while (i < tokens.size() && tokens[i].kind == TokenKind::kWord)
					node.args.push_back(std::move(tokens[i++].text));
				open = &node;
			}
		}
	}
	for (std::size_t i = 1; i < stack.size(); ++i)
		stack[i]->end = lines.empty() ? Location{} : lines.back().where;
	if (stack.size() > 1)
		diagnostics.error(stack.back()->where,
		                  fmt::format("Missing '}}' at end of '{}' block", stack.back()->keyword));
	return std::move(root.children);
}

} // namespace vigil::parser
