// track_interface / track_script / track_file / track_process / track_bfd
// blocks of instances and sync groups.
#include <algorithm>

#include "src/config/config.h"
#include "src/config/values.h"
#include "src/config/vrrp/vrrp_parse.h"

namespace vigil::config::vrrp_detail {

namespace {

TrackParseOptions optionsFor(TrackKind kind, const std::string &owner)
{
	switch (kind) {
	case TrackKind::kInterface:
		return {owner, "track_interface", "track interface", 253};
	case TrackKind::kScript:
		return {owner, "track_script", "track script", 253};
	case TrackKind::kFile:
		return {owner, "track_file", "track file", 254};
	case TrackKind::kProcess:
		return {owner, "track_process", "track process", 254};
	case TrackKind::kBfd:
		return {owner, "track_bfd", "track bfd", 253};
	}
	return {};
}

} // namespace

void readTrackBlock(const parser::Node &block, BuildContext &ctx, TrackKind kind, const std::string &owner,
                    std::vector<TrackedObject> &out)
{
	if (!requireBlock(block, ctx))
		return;
	const TrackParseOptions options = optionsFor(kind, owner);
	for (const parser::Node &entry : block.children) {
		const VrrpScript *script = nullptr;
		const TrackFile *file = nullptr;
		if (kind == TrackKind::kScript) {
			script = ctx.config.vrrp.findScript(entry.keyword);
			if (!script) {
				ctx.error(entry, "{} track script {} not found, ignoring...", owner, entry.keyword);
				continue;
			}
		} else if (kind == TrackKind::kFile) {
			file = ctx.config.vrrp.findTrackFile(entry.keyword);
			if (!file) {
				ctx.error(entry, "{} track file {} not found, ignoring...", owner, entry.keyword);
				continue;
			}
		} else if (kind == TrackKind::kBfd || kind == TrackKind::kProcess) {
			// bfd_instance (and vrrp_track_process, once the loader keeps
			// it) are opaque blocks; look them up by name.
			const char *block = kind == TrackKind::kBfd ? "bfd_instance" : "vrrp_track_process";
			bool found = std::any_of(ctx.config.opaque.begin(), ctx.config.opaque.end(),
			                         [&entry, block](const OpaqueBlock &o) {
				                         return o.node().keyword == block &&
				                                o.node().arg(0) == entry.keyword;
			                         });
			if (!found) {
				ctx.error(entry, "{} {} {} not found, ignoring...", owner, options.noun, entry.keyword);
				continue;
			}
		} else if (kind == TrackKind::kInterface && !checkInterface(entry.keyword, ctx)) {
			ctx.warning(entry, "{} tracked interface {} doesn't exist", owner, entry.keyword);
		}
		if (std::any_of(out.begin(), out.end(),
		                [&entry](const TrackedObject &t) { return t.name == entry.keyword; })) {
			ctx.error(entry, "{} duplicate {} {} - ignoring", owner, options.what, entry.keyword);
			continue;
		}
		TrackedObject t;
		if (!readTrackedEntry(entry, ctx, options, t))
			continue;
		if (!t.weightSet && script) {
			t.weight = script->weight;
			t.reverse = script->weightReverse;
		} else if (!t.weightSet && file) {
			t.weight = file->weight;
			t.reverse = file->weightReverse;
		}
		t.weightSet = true;
		out.push_back(std::move(t));
	}
}

} // namespace vigil::config::vrrp_detail
