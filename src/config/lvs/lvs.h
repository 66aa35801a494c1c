#pragma once

// The LVS half of the model: virtual_server_group, virtual_server,
// real_server and the health checkers.

#include <string>
#include <vector>

#include "parser/keyword_tree.h"
#include "parser/location.h"
#include "src/config/build_context.h"
#include "src/config/ip_address.h"
#include "src/config/script.h"

namespace vigil::config {

struct Config;
class ConfigWriter;

struct VirtualServer {
	parser::Location where;
};

struct LvsModel {
	std::vector<VirtualServer> virtualServers;
};

void buildVirtualServerGroup(Config &config, const parser::Node &node, BuildContext &ctx);
void buildVirtualServer(Config &config, const parser::Node &node, BuildContext &ctx);
void validateLvs(Config &config, BuildContext &ctx);
void dumpLvs(const Config &config, ConfigWriter &out);
void collectLvsScripts(const Config &config, std::vector<const Script *> &out);

} // namespace vigil::config
