#pragma once

// The VRRP half of the model: vrrp_script, track_file, vrrp_sync_group,
// vrrp_instance, static_ipaddress/routes/rules.

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

struct VrrpScript {
	std::string name;
	parser::Location where;
	std::optional<Script> script;
};

struct VrrpInstance {
	std::string name;
	parser::Location where;
};

struct VrrpModel {
	std::vector<VrrpScript> scripts;
	std::vector<VrrpInstance> instances;
};

void buildVrrpScript(Config &config, const parser::Node &node, BuildContext &ctx);
void buildTrackFile(Config &config, const parser::Node &node, BuildContext &ctx);
void buildVrrpSyncGroup(Config &config, const parser::Node &node, BuildContext &ctx);
void buildVrrpInstance(Config &config, const parser::Node &node, BuildContext &ctx);
void buildStaticAddresses(Config &config, const parser::Node &node, BuildContext &ctx);
void buildStaticRoutes(Config &config, const parser::Node &node, BuildContext &ctx);
void buildStaticRules(Config &config, const parser::Node &node, BuildContext &ctx);
// Cross references and host checks once the whole file is read.
void validateVrrp(Config &config, BuildContext &ctx);
void dumpVrrp(const Config &config, ConfigWriter &out);
// Every script the VRRP side would run, for the script security check.
void collectVrrpScripts(const Config &config, std::vector<const Script *> &out);

} // namespace vigil::config
