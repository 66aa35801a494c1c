#include "src/config/script.h"

#include "src/config/values.h"

namespace vigil::config {

std::vector<std::string> Script::split(const std::string &command)
{
	std::vector<std::string> argv;
	std::string word;
	bool inWord = false, quoted = false;
	for (char c : command) {
		if (c == '\'') {
			quoted = !quoted;
			inWord = true;
		} else if (!quoted && (c == ' ' || c == '\t')) {
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
	if (node.args.empty() || node.args[0].empty()) {
		ctx.error(node, "No script specified for {}", node.keyword);
		return std::nullopt;
	}
	Script s;
	s.where = node.where;
	if (withUser) {
		s.command = node.args[0];
		s.user = node.arg(1);
		s.group = node.arg(2);
	} else {
		s.command = joinArgs(node);
	}
	s.argv = Script::split(s.command);
	if (s.argv.empty()) {
		ctx.error(node, "No script specified for {}", node.keyword);
		return std::nullopt;
	}
	return s;
}

} // namespace vigil::config
