// vrrp_sync_group blocks, and the end-of-block checks of vrrp_instance.
#include "src/config/config.h"
#include "src/config/keyword_table.h"
#include "src/config/values.h"
#include "src/config/vrrp/vrrp_instance_build.h"
#include "src/config/vrrp/vrrp_parse.h"

namespace vigil::config {

using parser::Node;
using namespace vrrp_detail;

namespace {

using G = VrrpSyncGroup;

std::string owner(const G &g)
{
	return "(" + g.name + ")";
}

void setNotify(std::optional<Script> &field, const Node &n, BuildContext &ctx)
{
	if (auto s = readNotifyScript(n, ctx))
		field = std::move(s);
}

const KeywordTable<G> &groupTable()
{
	static const KeywordTable<G> t =
	        KeywordTable<G>{
	                {"group",
	                 [](G &g, const Node &n, BuildContext &ctx) {
		                 if (!requireBlock(n, ctx))
			                 return;
		                 for (const Node &c : n.children) {
			                 g.members.emplace_back(c.keyword);
			                 g.members.insert(g.members.end(), c.args.begin(), c.args.end());
		                 }
	                 }},
	                {"notify_master",
	                 [](G &g, const Node &n, BuildContext &ctx) { setNotify(g.notify.master, n, ctx); }},
	                {"notify_backup",
	                 [](G &g, const Node &n, BuildContext &ctx) { setNotify(g.notify.backup, n, ctx); }},
	                {"notify_fault",
	                 [](G &g, const Node &n, BuildContext &ctx) { setNotify(g.notify.fault, n, ctx); }},
	                {"notify_stop",
	                 [](G &g, const Node &n, BuildContext &ctx) { setNotify(g.notify.stop, n, ctx); }},
	                {"notify", [](G &g, const Node &n, BuildContext &ctx) { setNotify(g.notify.any, n, ctx); }},
	                {"smtp_alert",
	                 [](G &g, const Node &n, BuildContext &ctx) {
		                 if (n.args.empty())
			                 g.smtpAlert = true;
		                 else if (auto v = parseBool(n.args[0]))
			                 g.smtpAlert = *v;
		                 else
			                 ctx.error(n, "Invalid vrrp_sync_group smtp_alert parameter {}", n.args[0]);
	                 }},
	                {"notify_priority_changes",
	                 [](G &g, const Node &n, BuildContext &ctx) {
		                 if (n.args.empty())
			                 g.notifyPriorityChanges = true;
		                 else if (auto v = parseBool(n.args[0]))
			                 g.notifyPriorityChanges = *v;
		                 else
			                 ctx.error(n, "{} invalid notify_priority_changes {} specified", owner(g),
			                           n.args[0]);
	                 }},
	                {"global_tracking",
	                 [](G &g, const Node &n, BuildContext &ctx) {
		                 ctx.warning(n,
		                             "{} global_tracking is deprecated. Use track_interface/script/file on the "
		                             "sync "
		                             "group",
		                             owner(g));
		                 g.globalTracking = true;
	                 }},
	                {"sync_group_tracking_weight",
	                 [](G &g, const Node &, BuildContext &) { g.trackingWeight = true; }},
	                {"track_interface",
	                 [](G &g, const Node &n, BuildContext &ctx) {
		                 readTrackBlock(n, ctx, TrackKind::kInterface, owner(g), g.trackInterfaces);
	                 }},
	                {"track_script",
	                 [](G &g, const Node &n, BuildContext &ctx) {
		                 readTrackBlock(n, ctx, TrackKind::kScript, owner(g), g.trackScripts);
	                 }},
	                {"track_file",
	                 [](G &g, const Node &n, BuildContext &ctx) {
		                 readTrackBlock(n, ctx, TrackKind::kFile, owner(g), g.trackFiles);
	                 }},
	                {"track_process",
	                 [](G &g, const Node &n, BuildContext &ctx) {
		                 readTrackBlock(n, ctx, TrackKind::kProcess, owner(g), g.trackProcesses);
	                 }},
	                {"track_bfd",
	                 [](G &g, const Node &n, BuildContext &ctx) {
		                 readTrackBlock(n, ctx, TrackKind::kBfd, owner(g), g.trackBfds);
	                 }},
	        }
	                .withBlocks({
	                        {"group", &parser::valueListSchema()},
	                        {"track_interface", &parser::valueListSchema()},
	                        {"track_script", &parser::valueListSchema()},
	                        {"track_file", &parser::valueListSchema()},
	                        {"track_process", &parser::valueListSchema()},
	                        {"track_bfd", &parser::valueListSchema()},
	                });
	return t;
}

} // namespace

void buildVrrpSyncGroup(Config &config, const Node &node, BuildContext &ctx)
{
	auto name = blockName(node, ctx);
	if (!name)
		return;
	if (config.vrrp.findSyncGroup(*name)) {
		ctx.error(node, "vrrp sync group {} already defined", *name);
		return;
	}
	G g;
	g.name = *name;
	g.where = node.where;
	groupTable().applyBlock(g, node, ctx);
	config.vrrp.syncGroups.push_back(std::move(g));
}

namespace vrrp_detail {

void finishInstance(InstanceBuild &b, const Node &node, BuildContext &ctx)
{
	VrrpInstance &vi = b.vi;
	parser::Location end = blockEnd(node);
	if (b.unicastTtlSet && vi.unicastPeers.empty()) {
		ctx.diagnostics.error(
		        end, fmt::format("({}): Cannot use unicast_ttl without unicast peers - resetting", vi.name));
		vi.unicastTtl = 255;
	}
	if (vi.useVmac && !vi.unicastPeers.empty() && !vi.vmacXmitBase) {
		ctx.diagnostics.error(
		        end, fmt::format("({}) unicast with use_vmac requires vmac_xmit_base - setting", vi.name));
		vi.vmacXmitBase = true;
	}
}

} // namespace vrrp_detail

} // namespace vigil::config

namespace vigil::config {

const parser::BlockSchema &vrrpSyncGroupSchema()
{
	return groupTable();
}

} // namespace vigil::config
