#include "src/config/vrrp/vrrp_parse.h"

#include <charconv>
#include <cmath>
#include <limits>

#include "src/config/config.h"
#include "src/config/values.h"

namespace vigil::config::vrrp_detail {

using parser::Node;

namespace {

// keepalived stops reading here (exit status 2); see BuildContext.
void missingParameter(const Node &node, BuildContext &ctx, std::size_t index)
{
	ctx.missingParameter(node, index);
}

} // namespace

std::optional<long> readInt(const Node &node, BuildContext &ctx, std::size_t index, long min, long max)
{
	if (index >= node.args.size()) {
		missingParameter(node, ctx, index);
		return std::nullopt;
	}
	std::string_view text = node.args[index];
	if (min >= 0 && !text.empty() && text[0] == '-') {
		ctx.error(node, "negative number '{}'", text);
		return std::nullopt;
	}
	auto v = parseInteger(text);
	if (!v) {
		if (!text.empty() && text.find_first_not_of("+-0123456789") == std::string::npos)
			ctx.error(node, "number '{}' outside integer range", text);
		else
			ctx.error(node, "invalid number '{}'", text);
		return std::nullopt;
	}
	if (*v < std::numeric_limits<int>::min() || *v > std::numeric_limits<int>::max()) {
		ctx.error(node, "number '{}' outside integer range", text);
		return std::nullopt;
	}
	if (*v < min || *v > max) {
		ctx.error(node, "number '{}' outside range [{}, {}]", text, min, max);
		return std::nullopt;
	}
	return v;
}

std::optional<double> readDecimal(const Node &node, BuildContext &ctx, std::size_t index, double min, double max)
{
	if (index >= node.args.size()) {
		missingParameter(node, ctx, index);
		return std::nullopt;
	}
	std::string_view text = node.args[index];
	if (min >= 0 && !text.empty() && text[0] == '-') {
		ctx.error(node, "negative number '{}'", text);
		return std::nullopt;
	}
	auto v = parseDecimal(text[0] == '+' ? std::string_view(text).substr(1) : std::string_view(text));
	if (!v) {
		ctx.error(node, "invalid number '{}'", text);
		return std::nullopt;
	}
	if (*v < min || *v > max) {
		ctx.error(node, "number '{}' outside range [{:f}, {:f}]", text, min, max);
		return std::nullopt;
	}
	return v;
}

parser::Location blockEnd(const Node &node)
{
	if (node.end.known())
		return node.end;
	if (node.children.empty()) {
		parser::Location where = node.where;
		++where.line;
		return where;
	}
	const Node &last = node.children.back();
	parser::Location where = last.hasBlock ? blockEnd(last) : last.where;
	++where.line;
	return where;
}

std::optional<Script> readNotifyScript(const Node &node, BuildContext &ctx)
{
	if (node.args.empty()) {
		missingParameter(node, ctx, 0);
		return std::nullopt;
	}
	auto s = readScript(node, ctx, true);
	if (!s)
		return std::nullopt;
	// keepalived -t says nothing here; the running keepalived logs these two
	// lines and ignores the script. A note: printed, exit status unchanged.
	bool ok = true;
	if (!s->user.empty() && !ctx.system.userId(s->user)) {
		ctx.note(node, "Script user '{}' does not exist", s->user);
		ok = false;
	} else if (!s->group.empty() && !ctx.system.groupId(s->group)) {
		ctx.note(node, "Script group '{}' does not exist", s->group);
		ok = false;
	}
	if (!ok) {
		ctx.note(node, "Invalid user/group for notify script {} - ignoring", s->command);
		return std::nullopt;
	}
	return s;
}

bool readTrackedEntry(const Node &entry, BuildContext &ctx, const TrackParseOptions &o, TrackedObject &out)
{
	out = TrackedObject{};
	out.name = entry.keyword;
	out.where = entry.where;
	const std::string &owner = o.owner;
	std::size_t i = 0;
	while (i < entry.args.size()) {
		std::string_view k = entry.args[i];
		if (k == "weight") {
			if (i + 1 >= entry.args.size()) {
				ctx.error(entry, "{} weight without value specified for {} {} - ignoring", owner,
				          o.noun, out.name);
				return false;
			}
			const long range = o.limit == 253 ? 254 : o.limit;
			auto w = readInt(entry, ctx, i + 1, -range, range);
			if (!w) {
				if (o.limit == 253 && o.what == "track_interface")
					ctx.error(entry,
					          "{} weight {} for {} must be between [-253..253] inclusive. "
					          "Ignoring...",
					          owner, entry.args[i + 1], out.name);
				else if (o.limit == 253)
					ctx.error(entry,
					          "{} {} {}: weight must be between [-253..253] inclusive, ignoring...",
					          owner, o.noun, out.name);
				else
					ctx.error(entry,
					          "{} weight for {} {} must be in [{}..{}] inclusive. Ignoring...",
					          owner, o.noun, out.name, -o.limit, o.limit);
				return true;
			}
			if (o.limit == 253 && (*w == 254 || *w == -254)) {
				ctx.warning(entry, "{} weight for {} cannot be +/-254. Setting to +/-253", owner,
				            out.name);
				*w = *w > 0 ? 253 : -253;
			}
			out.weight = static_cast<int>(*w);
			out.weightSet = true;
			i += 2;
		} else if (k == "reverse") {
			out.reverse = true;
			++i;
		} else if (k == "noreverse" || k == "no_reverse") {
			out.reverse = false;
			++i;
		} else {
			if (out.weightSet) {
				ctx.error(entry, "{} unknown {} {} weight option {} - ignoring", owner, o.what,
				          out.name, k);
				return true;
			}
			if (o.what == "track_script")
				ctx.error(entry, "{} unknown track script option {} - ignoring", owner, k);
			else
				ctx.error(entry, "{} unknown {} {} option {} - ignoring", owner, o.what, out.name, k);
			return false;
		}
	}
	return true;
}

std::optional<std::string> blockName(const Node &node, BuildContext &ctx)
{
	if (node.args.empty()) {
		missingParameter(node, ctx, 0);
		return std::nullopt;
	}
	if (!node.hasBlock) {
		ctx.error(node, "Missing '{{' at beginning of configuration block");
		return std::nullopt;
	}
	return std::string(node.args[0]);
}

std::vector<std::string> lineWords(const Node &line)
{
	std::vector<std::string> words;
	words.reserve(line.args.size() + 1);
	words.emplace_back(line.keyword);
	words.insert(words.end(), line.args.begin(), line.args.end());
	return words;
}

bool checkInterface(std::string_view name, BuildContext &ctx)
{
	if (ctx.system.interfaceExists(std::string(name)))
		return true;
	ctx.config.vrrp.missingInterface = true;
	return false;
}

std::optional<std::string> parseScope(std::string_view text)
{
	static const std::pair<const char *, int> kScopes[] = {
	        {"global", 0}, {"site", 200}, {"link", 253}, {"host", 254}, {"nowhere", 255},
	};
	for (auto [name, value] : kScopes)
		if (text == name)
			return std::string(name);
	auto v = parseInteger(text);
	if (!v || *v < 0 || *v > 255)
		return std::nullopt;
	for (auto [name, value] : kScopes)
		if (*v == value)
			return std::string(name);
	return std::to_string(*v);
}

} // namespace vigil::config::vrrp_detail
