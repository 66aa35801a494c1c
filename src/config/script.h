#pragma once

#include <optional>
#include <string>
#include <vector>

#include "parser/keyword_tree.h"
#include "parser/location.h"
#include "src/config/build_context.h"

namespace vigil::config {

// A command keepalived would run: a notify script, a vrrp_script, a
// MISC_CHECK. The command line is split like keepalived splits it: on
// unquoted whitespace, single quotes grouping.
struct Script {
	std::string command;
	std::vector<std::string> argv;
	std::string user; // empty: global script_user
	std::string group;
	parser::Location where;

	static std::vector<std::string> split(const std::string &command);
	bool operator==(const Script &o) const { return command == o.command && user == o.user && group == o.group; }
};

// "keyword COMMAND [USER [GROUP]]" when `withUser`, else the whole
// argument list is the command.
std::optional<Script> readScript(const parser::Node &node, BuildContext &ctx, bool withUser = false);

} // namespace vigil::config
