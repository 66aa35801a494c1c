#include "src/config/config_loader.h"

#include <unistd.h>

#include "parser/preprocessor.h"
#include "src/config/keyword_table.h"
#include "src/config/script_security.h"
#include "src/config/values.h"

namespace vigil::config {

namespace {

using parser::Node;

void opaque(Config &c, const Node &n, BuildContext &ctx)
{
	if (n.hasBlock || !n.children.empty())
		c.opaque.push_back({n});
	else
		ctx.error(n, "Missing '{{' at beginning of configuration block");
}

const KeywordTable<Config> &topLevel()
{
	static const KeywordTable<Config> t{
	        {"global_defs",
	         [](Config &c, const Node &n, BuildContext &ctx) {
		         if (requireBlock(n, ctx))
			         buildGlobalDefs(c.global, n, ctx);
	         }},
	        {"vrrp_script", buildVrrpScript},
	        {"track_file", buildTrackFile},
	        {"vrrp_track_file", buildTrackFile},
	        {"vrrp_sync_group", buildVrrpSyncGroup},
	        {"vrrp_instance", buildVrrpInstance},
	        {"static_ipaddress", buildStaticAddresses},
	        {"static_routes", buildStaticRoutes},
	        {"static_rules", buildStaticRules},
	        {"virtual_server_group", buildVirtualServerGroup},
	        {"virtual_server", buildVirtualServer},
	        {"linkbeat_interfaces", opaque},
	        {"track_group", opaque},
	        {"garp_group", opaque},
	        {"bfd_instance", opaque},
	        {"interface_up_down_delays", opaque},
	};
	return t;
}

} // namespace

std::string defaultConfigId()
{
	char buf[256] = {};
	::gethostname(buf, sizeof buf - 1);
	std::string id = buf;
	return id.substr(0, id.find('.'));
}

void buildConfig(Config &config, const std::vector<parser::Node> &tree, BuildContext &ctx)
{
	for (const Node &n : tree) {
		if (ctx.stopped())
			return;
		if (isTopLevelGlobal(n.keyword)) {
			config.global.other[n.keyword] = n.args;
			continue;
		}
		topLevel().apply(config, n, ctx);
	}
	if (config.global.routerId.empty()) {
		// No global_defs block: keepalived's defaults still apply.
		buildGlobalDefs(config.global, Node{}, ctx);
	}
	if (ctx.stopped())
		return;
	validateVrrp(config, ctx);
	validateLvs(config, ctx);
	checkScriptSecurity(config, ctx);
}

namespace {

LoadResult finish(std::vector<parser::Line> lines, LoadResult result, const SystemView &system)
{
	std::vector<Node> tree = parser::buildTree(lines, result.diagnostics);
	lines.clear();
	BuildContext ctx{result.diagnostics, system, result.config};
	buildConfig(result.config, tree, ctx);
	return result;
}

} // namespace

LoadResult loadConfig(const LoadOptions &options, parser::FileSource &files, const SystemView &system)
{
	LoadResult result;
	parser::PreprocessorOptions po;
	po.configId = options.configId.empty() ? defaultConfigId() : options.configId;
	parser::Preprocessor pre(files, result.diagnostics, po);
	auto lines = pre.run(options.path);
	if (result.fatal())
		return result;
	return finish(std::move(lines), std::move(result), system);
}

LoadResult loadConfigText(const std::string &name, const std::string &text, const std::string &configId,
                          const SystemView &system)
{
	parser::PreprocessorOptions po;
	po.configId = configId;
	return loadConfigText(name, text, std::move(po), system);
}

LoadResult loadConfigText(const std::string &name, const std::string &text, parser::PreprocessorOptions options,
                          const SystemView &system)
{
	LoadResult result;
	parser::MemoryFileSource files;
	if (options.configId.empty())
		options.configId = defaultConfigId();
	parser::Preprocessor pre(files, result.diagnostics, std::move(options));
	auto lines = pre.runText(name, text);
	return finish(std::move(lines), std::move(result), system);
}

} // namespace vigil::config
