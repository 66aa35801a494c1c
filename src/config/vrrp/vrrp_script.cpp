// vrrp_script and track_file (vrrp_track_file) blocks.
#include <algorithm>

#include "src/config/config.h"
#include "src/config/keyword_table.h"
#include "src/config/values.h"
#include "src/config/vrrp/vrrp_parse.h"

namespace vigil::config {

using parser::Node;
using namespace vrrp_detail;

namespace {

// Parse state of one vrrp_script block.
struct ScriptBuild {
	VrrpScript script;
	bool badUser = false;
};

const KeywordTable<ScriptBuild> &scriptTable()
{
	static const KeywordTable<ScriptBuild> t{
	        {"script",
	         [](ScriptBuild &b, const Node &n, BuildContext &ctx) {
		         if (n.args.empty())
			         return; // keepalived ignores an empty script line
		         if (auto s = readScript(n, ctx)) {
			         if (b.script.script) {
				         s->user = b.script.script->user;
				         s->group = b.script.script->group;
			         }
			         b.script.script = std::move(s);
		         }
	         }},
	        {"interval",
	         [](ScriptBuild &b, const Node &n, BuildContext &ctx) {
		         const std::string &name = b.script.name;
		         if (n.arg(0) == "0") {
			         ctx.error(n, "({}): vrrp script interval must be greater than 0, setting to 1", name);
			         b.script.interval = 1;
		         } else if (auto v = readInt(n, ctx, 0, 1, 4294)) {
			         b.script.interval = static_cast<double>(*v);
		         } else if (!n.args.empty()) {
			         ctx.error(n, "({}): vrrp script interval '{}' must be between 1 and 4294 - ignoring",
			                   name, n.args[0]);
		         }
	         }},
	        {"timeout",
	         [](ScriptBuild &b, const Node &n, BuildContext &ctx) {
		         const std::string &name = b.script.name;
		         if (n.arg(0) == "0") {
			         ctx.error(n, "({}): vrrp script timeout must be greater than 0, setting to 1", name);
			         b.script.timeout = 1;
		         } else if (auto v = readInt(n, ctx, 0, 1, 4294)) {
			         b.script.timeout = static_cast<double>(*v);
		         } else if (!n.args.empty()) {
			         ctx.error(n, "({}): vrrp script timeout '{}' invalid - ignoring", name, n.args[0]);
		         }
	         }},
	        {"weight",
	         [](ScriptBuild &b, const Node &n, BuildContext &ctx) {
		         auto v = readInt(n, ctx, 0, -253, 253);
		         if (!v) {
			         if (n.args.empty())
				         return;
			         ctx.error(n, "vrrp_script {} weight {} must be in [-253, 253]", b.script.name,
			                   n.args[0]);
			         // keepalived keeps a number out of range; vigil clamps it.
			         auto raw = parseInteger(n.args[0]);
			         if (!raw)
				         return;
			         v = std::clamp(*raw, -253L, 253L);
		         }
		         b.script.weight = static_cast<int>(*v);
		         if (n.arg(1) == "reverse")
			         b.script.weightReverse = true;
	         }},
	        {"rise",
	         [](ScriptBuild &b, const Node &n, BuildContext &ctx) {
		         auto v = readInt(n, ctx, 0, 1, 2147483647);
		         if (v)
			         b.script.rise = static_cast<int>(*v);
		         else if (!n.args.empty())
			         ctx.error(n, "({}): vrrp script rise value '{}' invalid, defaulting to 1",
			                   b.script.name, n.args[0]);
	         }},
	        {"fall",
	         [](ScriptBuild &b, const Node &n, BuildContext &ctx) {
		         auto v = readInt(n, ctx, 0, 1, 2147483647);
		         if (v)
			         b.script.fall = static_cast<int>(*v);
		         else if (!n.args.empty())
			         ctx.error(n, "({}): vrrp script fall value '{}' invalid, defaulting to 1",
			                   b.script.name, n.args[0]);
	         }},
	        {"user",
	         [](ScriptBuild &b, const Node &n, BuildContext &ctx) {
		         if (n.args.empty()) {
			         readInt(n, ctx, 0, 0, 0); // reports the missing parameter
			         return;
		         }
		         bool ok = ctx.system.userId(std::string(n.args[0])).has_value() &&
		                   (n.args.size() < 2 || ctx.system.groupId(std::string(n.args[1])).has_value());
		         if (!ok) {
			         ctx.error(n, "Unable to set uid/gid for script '{}'",
			                   b.script.script ? b.script.script->command : std::string());
			         b.badUser = true;
			         return;
		         }
		         if (!b.script.script) {
			         b.script.script = Script{};
			         b.script.script->where = n.where;
		         }
		         b.script.script->user = n.args[0];
		         b.script.script->group = n.arg(1);
	         }},
	        {"init_fail", [](ScriptBuild &b, const Node &, BuildContext &) { b.script.initFail = true; }},
	};
	return t;
}

const KeywordTable<TrackFile> &fileTable()
{
	static const KeywordTable<TrackFile> t{
	        {"file",
	         [](TrackFile &f, const Node &n, BuildContext &ctx) {
		         if (auto v = readString(n, ctx))
			         f.file = *v;
	         }},
	        {"weight",
	         [](TrackFile &f, const Node &n, BuildContext &ctx) {
		         auto v = readInt(n, ctx, 0, -254, 254);
		         if (!v) {
			         if (!n.args.empty())
				         ctx.error(
				                 n,
				                 "Weight ({}) for track_file {} must be between [-254..254] inclusive. "
				                 "Ignoring...",
				                 n.args[0], f.name);
			         return;
		         }
		         f.weight = static_cast<int>(*v);
		         f.weightReverse = n.arg(1) == "reverse";
	         }},
	        {"init_file",
	         [](TrackFile &f, const Node &n, BuildContext &ctx) {
		         f.initFile = true;
		         for (std::string_view a : n.args) {
			         if (a == "overwrite") {
				         f.initOverwrite = true;
			         } else if (auto v = parseInteger(a)) {
				         f.initValue = *v;
			         } else {
				         ctx.error(n, "Unknown track file init option {}", a);
			         }
		         }
	         }},
	};
	return t;
}

} // namespace

void buildVrrpScript(Config &config, const Node &node, BuildContext &ctx)
{
	auto name = blockName(node, ctx);
	if (!name)
		return;
	ScriptBuild b;
	b.script.name = *name;
	b.script.where = node.where;
	b.script.end = blockEnd(node);
	scriptTable().applyBlock(b, node, ctx);
	if (b.badUser)
		return;
	if (!b.script.script || b.script.script->command.empty()) {
		ctx.diagnostics.error(blockEnd(node),
		                      fmt::format("No script set for vrrp_script {} - removing", *name));
		return;
	}
	config.vrrp.scripts.push_back(std::move(b.script));
}

void buildTrackFile(Config &config, const Node &node, BuildContext &ctx)
{
	auto name = blockName(node, ctx);
	if (!name)
		return;
	TrackFile f;
	f.name = *name;
	f.where = node.where;
	fileTable().applyBlock(f, node, ctx);
	if (f.file.empty()) {
		ctx.diagnostics.error(blockEnd(node), fmt::format("No file set for track_file {} - ignoring", *name));
		return;
	}
	config.vrrp.trackFiles.push_back(std::move(f));
}

} // namespace vigil::config

namespace vigil::config {

const parser::BlockSchema &vrrpScriptSchema()
{
	return scriptTable();
}
const parser::BlockSchema &trackFileSchema()
{
	return fileTable();
}

} // namespace vigil::config
