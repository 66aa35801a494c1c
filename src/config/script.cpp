#include "src/config/script.h"

#include "src/config/values.h"

namespace vigil::config {

namespace {

// keepalived's first pass over a command: C-like escapes (\n, \t, \xHH...,
// \ooo, \cC, \E; \C is C).
std::string unescape(const std::string &in)
{
	std::string out;
	for (std::size_t i = 0; i < in.size(); ++i) {
		if (in[i] != '\\' || i + 1 >= in.size()) {
			out.push_back(in[i]);
			continue;
		}
		char c = in[++i];
		switch (c) {
		case 'a':
			out.push_back('\a');
			break;
		case 'b':
			out.push_back('\b');
			break;
		case 'E':
			out.push_back('\x1b');
			break;
		case 'f':
			out.push_back('\f');
			break;
		case 'n':
			out.push_back('\n');
			break;
		case 'r':
			out.push_back('\r');
			break;
		case 't':
			out.push_back('\t');
			break;
		case 'v':
			out.push_back('\v');
			break;
		case 'x': {
			unsigned v = 0;
			std::size_t j = i + 1;
			while (j < in.size() && hexDigitValue(in[j]) >= 0)
				v = (v << 4) | static_cast<unsigned>(hexDigitValue(in[j++]));
			if (j == i + 1)
				out.push_back('x');
			else
				out.push_back(static_cast<char>(v & 0xff)); // the last byte, as keepalived
			i = j - 1;
			break;
		}
		case 'c':
			if (i + 1 < in.size())
				out.push_back(static_cast<char>(in[++i] & 0x1f));
			break;
		default:
			if (c >= '0' && c <= '7') {
				unsigned v = 0;
				std::size_t j = i;
				while (j < in.size() && j < i + 3 && in[j] >= '0' && in[j] <= '7')
					v = (v << 3) | static_cast<unsigned>(in[j++] - '0');
				out.push_back(static_cast<char>(v & 0xff));
				i = j - 1;
			} else {
				out.push_back(c);
			}
		}
	}
	return out;
}

bool isBlank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

} // namespace

std::vector<std::string> Script::split(const std::string &command)
{
	// Then a shell-like split: whitespace separates, single and double
	// quotes group (adjacent parts join), a backslash takes the next
	// character literally.
	std::string text = unescape(command);
	std::vector<std::string> argv;
	std::string word;
	bool inWord = false;
	char quote = 0;
	for (std::size_t i = 0; i < text.size(); ++i) {
		char c = text[i];
		if (quote) {
			if (c == quote)
				quote = 0;
			else
				word.push_back(c);
		} else if (c == '\'' || c == '"') {
			quote = c;
			inWord = true;
		} else if (c == '\\' && i + 1 < text.size()) {
			word.push_back(text[++i]);
			inWord = true;
		} else if (isBlank(c)) {
			if (inWord)
				argv.push_back(std::move(word));
			word.clear();
			inWord = false;
		} else {
			word.push_back(c);
			inWord = true;
		}
	}
	if (inWord)
		argv.push_back(std::move(word));
	return argv;
}

std::optional<Script> readScript(const parser::Node &node, BuildContext &ctx, bool withUser)
{
	if (node.args.empty()) {
		ctx.missingParameter(node, 0);
		return std::nullopt;
	}
	// The command is the first word only; keepalived ignores the rest of
	// the line unless it names the user. A command written in single
	// quotes spans the words up to the closing quote (single quotes are
	// ordinary characters to the config lexer).
	std::size_t next = 1;
	std::string command(node.args[0]);
	if (command.starts_with('\'') && !(command.size() > 1 && command.ends_with('\''))) {
		while (next < node.args.size()) {
			command += ' ';
			command += node.args[next++];
			if (command.ends_with('\''))
				break;
		}
	}
	Script s;
	s.where = node.where;
	s.command = command;
	s.argv = Script::split(command);
	if (withUser) {
		s.user = node.arg(next);
		s.group = node.arg(next + 1);
	}
	if (s.argv.empty()) {
		ctx.error(node, "No script specified for {}", node.keyword);
		return std::nullopt;
	}
	return s;
}

} // namespace vigil::config
