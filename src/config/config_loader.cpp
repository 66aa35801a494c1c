#include "src/config/config_loader.h"

#include <exception>
#include <optional>
#include <thread>
#include <unistd.h>

#include "parser/preprocessor.h"
#include "src/config/keyword_table.h"
#include "src/config/script_security.h"
#include "src/config/statement_queue.h"
#include "src/config/values.h"

namespace vigil::config {

namespace {

using parser::Node;

void opaque(Config &c, const Node &n, BuildContext &)
{
	c.opaque.emplace_back(n);
}

void globalSetting(Config &c, const Node &n, BuildContext &)
{
	c.global.other[std::string(n.keyword)] = parser::argStrings(n);
}

// The top level of keepalived.conf. The VRRP and LVS blocks read their
// contents through their own tables; the blocks vigil does not model yet
// are kept as written (opaque).
// clang-format off
const KeywordTable<Config> &topLevel()
{
	static const KeywordTable<Config> t{
		{"global_defs", [](Config &c, const Node &n, BuildContext &ctx) { buildGlobalDefs(c.global, n, ctx); }, &globalDefsSchema()},
		{"vrrp_script", buildVrrpScript, &vrrpScriptSchema()},
		{"track_file", buildTrackFile, &trackFileSchema()},
		{"vrrp_track_file", buildTrackFile, &trackFileSchema()},
		{"vrrp_sync_group", buildVrrpSyncGroup, &vrrpSyncGroupSchema()},
		{"vrrp_instance", buildVrrpInstance, &vrrpInstanceSchema()},
		{"vrrp_track_process", opaque, &parser::opaqueSchema()},
		{"static_ipaddress", buildStaticAddresses, &parser::valueListSchema()},
		{"static_routes", buildStaticRoutes, &parser::valueListSchema()},
		{"static_rules", buildStaticRules, &parser::valueListSchema()},
		{"virtual_server_group", buildVirtualServerGroup, &virtualServerGroupSchema()},
		{"virtual_server", buildVirtualServer, &virtualServerSchema()},
		{"SSL", buildSslConfig, &sslSchema()},
		{"linkbeat_interfaces", opaque, &parser::valueListSchema()},
		{"track_group", opaque, &parser::opaqueSchema()},
		{"garp_group", opaque, &parser::opaqueSchema()},
		{"bfd_instance", opaque, &parser::opaqueSchema()},
		{"interface_up_down_delays", opaque, &parser::valueListSchema()},
		{"net_namespace", globalSetting},
		{"net_namespace_ipvs", globalSetting},
		{"namespace_with_ipsets", globalSetting},
		{"instance", globalSetting},
		{"use_pid_dir", globalSetting},
		{"linkbeat_use_polling", globalSetting},
		{"child_wait_time", globalSetting},
	};
	return t;
}
// clang-format on

} // namespace

const parser::BlockSchema &configSchema()
{
	return topLevel();
}

std::string defaultConfigId()
{
	char buf[256] = {};
	::gethostname(buf, sizeof buf - 1);
	std::string id = buf;
	return id.substr(0, id.find('.'));
}

namespace {

// What keepalived does once the whole file is read: defaults that depend on
// everything, cross references, host checks, script security.
void completeConfig(Config &config, BuildContext &ctx)
{
	if (config.global.routerId.empty()) {
		// No global_defs block: keepalived's defaults still apply.
		buildGlobalDefs(config.global, Node{}, ctx);
	}
	settleScriptUsers(config, ctx);
	validateVrrp(config, ctx);
	validateLvs(config, ctx);
	checkScriptSecurity(config, ctx);
}

// Preprocessor and tree builder on one thread, the model on the calling
// one: reading and building take about the same time on a large file, so
// the two overlap. The order of everything observable stays that of one
// stream: statements are applied in reading order, the findings made while
// reading a statement are merged with the model's in line order, and when
// the model stops reading (keepalived's missing-parameter abort) nothing
// read after that statement is reported.
template <class Run>
LoadResult load(Run run, parser::FileSource &files, parser::PreprocessorOptions options, const SystemView &system)
{
	LoadResult result;
	if (options.configId.empty())
		options.configId = defaultConfigId();
	BuildContext ctx{result.diagnostics, system, result.config};

	// A batch is at least this much tree; a few of them may wait.
	constexpr std::size_t kBatchBytes = 256 * 1024;
	StatementQueue queue(4);
	std::vector<parser::Diagnostic> afterLastStatement;
	std::exception_ptr readerFailure;
	std::thread reader([&] {
		try {
			parser::Diagnostics found;
			StatementBatch batch;
			parser::TreeBuilder tree(configSchema(), found, [&](const Node &n) {
				batch.statements.push_back({&n, found.take(0)});
				return !queue.cancelled();
			});
			tree.handOverArenas(
			        [&](std::unique_ptr<parser::Arena> full) {
				        batch.arena = std::move(full);
				        if (!batch.statements.empty())
					        queue.push(std::move(batch));
				        batch = {};
				        return queue.spareArena();
			        },
			        kBatchBytes);
			parser::Preprocessor pre(files, found, std::move(options));
			run(pre, [&tree](const parser::LineView &line) { return tree.line(line); });
			tree.finish();
			afterLastStatement = found.take(0);
		} catch (...) {
			readerFailure = std::current_exception();
		}
		queue.close();
	});

	bool stopped = false;
	try {
		while (std::optional<StatementBatch> batch = queue.pop()) {
			for (ReadStatement &s : batch->statements) {
				std::size_t from = result.diagnostics.size();
				topLevel().apply(result.config, *s.node, ctx);
				result.diagnostics.merge(std::move(s.read), from);
				if (ctx.stopped()) {
					stopped = true;
					break;
				}
			}
			queue.recycle(std::move(batch->arena));
			if (stopped) {
				queue.cancel();
				break;
			}
		}
	} catch (...) {
		queue.cancel();
		reader.join();
		throw;
	}
	reader.join();
	if (readerFailure)
		std::rethrow_exception(readerFailure);
	if (!stopped) {
		result.diagnostics.merge(std::move(afterLastStatement), result.diagnostics.size());
		if (!result.fatal())
			completeConfig(result.config, ctx);
	}
	return result;
}

} // namespace

LoadResult loadConfig(const LoadOptions &options, parser::FileSource &files, const SystemView &system)
{
	parser::PreprocessorOptions po;
	po.configId = options.configId;
	if (options.allConfig)
		po.includeChecks = parser::kIncludeReadable | parser::kIncludeMatch;
	return load([&](parser::Preprocessor &pre,
	                parser::Preprocessor::LineSink sink) { pre.run(options.path, std::move(sink)); },
	            files, std::move(po), system);
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
	parser::MemoryFileSource files;
	return load([&](parser::Preprocessor &pre,
	                parser::Preprocessor::LineSink sink) { pre.runText(name, text, std::move(sink)); },
	            files, std::move(options), system);
}

} // namespace vigil::config
