// virtual_server_group NAME { ADDR[-END|/LEN] [PORT] ... fwmark N [inet|inet6] }

#include <arpa/inet.h>
#include <fmt/format.h>

#include "src/config/config.h"
#include "src/config/lvs/lvs_build.h"
#include "src/config/values.h"

namespace vigil::config {

namespace {

using lvs::report;
using parser::Node;

int width(const IpAddress &a)
{
	return a.isV4() ? 32 : 128;
}

// Sets the bits after the first `length` (host part) to 1, or checks they are 0.
bool hostBits(IpAddress &a, int length, bool set)
{
	int bytes = width(a) / 8;
	for (int i = 0; i < bytes; ++i) {
		int keep = std::clamp(length - i * 8, 0, 8);
		auto hostMask = static_cast<std::uint8_t>(0xff >> keep);
		auto idx = static_cast<std::size_t>(i);
		if (set)
			a.bytes[idx] |= hostMask;
		else if (a.bytes[idx] & hostMask)
			return false;
	}
	return true;
}

// "a.b.c.d", "a.b.c.d-e", "a.b.c.d-A.B.C.D", "a.b.c.d/nn" and the IPv6 forms.
// Reports and returns false when keepalived skips the entry; `invalid` is
// set when the address itself cannot be read (the caller's message).
bool parseRange(std::string_view text, const Node &n, BuildContext &ctx, VsgEntry &e, bool &invalid)
{
	invalid = false;
	if (std::size_t slash = text.find('/'); slash != std::string::npos) {
		auto a = IpAddress::parse(text.substr(0, slash));
		auto len = parseInteger(text.substr(slash + 1));
		if (!a) {
			invalid = true;
			return false;
		}
		if (!len || *len < 1 || *len > width(*a)) {
			report(n, ctx, fmt::format("Invalid netmask - {} - skipping", text));
			return false;
		}
		if (!hostBits(*a, static_cast<int>(*len), false)) {
			report(n, ctx, fmt::format("Address mask bits not empty - {} - skipping", text));
			return false;
		}
		e.first = e.last = *a;
		hostBits(e.last, static_cast<int>(*len), true);
		return true;
	}
	std::size_t dash = text.find('-');
	auto first = IpAddress::parse(text.substr(0, dash));
	if (!first) {
		invalid = true;
		return false;
	}
	e.first = e.last = *first;
	if (dash == std::string::npos)
		return true;
	std::string end(text.substr(dash + 1));
	if (end.find_first_of(".:") != std::string::npos) {
		auto last = IpAddress::parse(end);
		if (!last || last->family != first->family) {
			invalid = true;
			return false;
		}
		if (*last < *first) {
			report(n, ctx,
			       fmt::format("Address range end is less than address range start - {} - skipping", text));
			return false;
		}
		e.last = *last;
		return true;
	}
	// The short form replaces the last octet / group.
	std::size_t digits = 0;
	std::uint32_t value = 0;
	bool v4 = first->isV4();
	for (; digits < end.size(); ++digits) {
		char c = end[digits];
		int d = c >= '0' && c <= '9'          ? c - '0'
		        : !v4 && c >= 'a' && c <= 'f' ? c - 'a' + 10
		        : !v4 && c >= 'A' && c <= 'F' ? c - 'A' + 10
		                                      : -1;
		if (d < 0)
			break;
		value = std::min<std::uint32_t>(value * (v4 ? 10 : 16) + static_cast<std::uint32_t>(d), 0x1000000);
	}
	if (digits != end.size()) {
		report(n, ctx,
		       fmt::format("Virtual server group range '{}' has extra characters at end '{}'", text,
		                   end.substr(digits)));
		return false;
	}
	if (value > (v4 ? 255u : 0xffffu)) {
		report(n, ctx, fmt::format("Virtual server group range '{}' end '{}' too large", text, end));
		return false;
	}
	if (value <= first->low()) {
		report(n, ctx,
		       fmt::format("Address range end is not greater than address range start - {} - skipping", text));
		return false;
	}
	e.last = first->withLow(value);
	return true;
}

void addFwmark(VirtualServerGroup &g, const Node &n, BuildContext &ctx)
{
	if (!lvs::requireArg(n, ctx))
		return;
	auto mark = lvs::readUnsigned(n, ctx, 0, 0, UINT32_MAX);
	if (!mark) {
		report(n, ctx,
		       fmt::format("({}): fwmark '{}' must be in [0, 4294967295] - ignoring", g.name, n.args[0]));
		return;
	}
	VsgEntry e;
	e.where = n.where;
	e.isFwmark = true;
	e.fwmark = *mark;
	if (n.args.size() > 1) {
		if (n.args[1] == "inet")
			e.family = AF_INET;
		else if (n.args[1] == "inet6")
			e.family = AF_INET6;
		else {
			report(n, ctx,
			       fmt::format("({}): fwmark '{}' family {} unknown - ignoring", g.name, n.args[0],
			                   n.args[1]));
			return;
		}
	}
	g.entries.push_back(e);
}

void addAddress(VirtualServerGroup &g, const Node &n, BuildContext &ctx)
{
	VsgEntry e;
	e.where = n.where;
	bool invalid = false;
	bool ok = parseRange(n.keyword, n, ctx, e, invalid);
	if (ok && !n.args.empty()) {
		auto port = lvs::readServerPort(n, ctx, 0);
		invalid = !port;
		ok = port.has_value();
		e.port = port.value_or(0);
	}
	if (invalid) {
		report(n, ctx,
		       fmt::format("Invalid virtual server group IP address {} {} - skipping", n.keyword,
		                   n.args.empty() ? std::string() : "/port/" + std::string(n.args[0])));
		return;
	}
	if (ok)
		g.entries.push_back(e);
}

} // namespace

std::size_t VsgEntry::size() const
{
	if (isFwmark)
		return 1;
	auto half = [](const IpAddress &a, std::size_t from) {
		std::uint64_t v = 0;
		for (std::size_t i = from; i < from + 8; ++i)
			v = v << 8 | a.bytes[i];
		return v;
	};
	std::uint64_t hi = 0, lo = 0;
	if (first.isV4()) {
		lo = (half(last, 0) >> 32) - (half(first, 0) >> 32);
	} else {
		std::uint64_t fl = half(first, 8), ll = half(last, 8);
		hi = half(last, 0) - half(first, 0) - (ll < fl ? 1 : 0);
		lo = ll - fl;
	}
	if (hi != 0 || lo >= SIZE_MAX)
		return SIZE_MAX;
	return static_cast<std::size_t>(lo) + 1;
}

std::vector<IpAddress> VsgEntry::expand(std::size_t limit) const
{
	std::vector<IpAddress> out;
	if (isFwmark)
		return out;
	IpAddress a = first;
	std::size_t bytes = first.isV4() ? 4 : 16;
	while (out.size() < limit) {
		out.push_back(a);
		if (a == last)
			break;
		for (std::size_t i = bytes; i-- > 0;)
			if (++a.bytes[i] != 0)
				break;
	}
	return out;
}

bool VirtualServerGroup::hasFwmark() const
{
	for (const auto &e : entries)
		if (e.isFwmark)
			return true;
	return false;
}

bool VirtualServerGroup::hasFamily(int family) const
{
	for (const auto &e : entries)
		if (!e.isFwmark && e.first.family == family)
			return true;
	return false;
}

const VirtualServerGroup *LvsModel::findGroup(std::string_view name) const
{
	for (const auto &g : groups)
		if (g.name == name)
			return &g;
	return nullptr;
}

void buildVirtualServerGroup(Config &config, const parser::Node &node, BuildContext &ctx)
{
	if (lvs::stopped(ctx))
		return;
	if (!lvs::requireArg(node, ctx))
		return;
	if (node.args.size() > 1) {
		ctx.diagnostics.report(
		        parser::Severity::kAbort, node.where,
		        "*** Configuration line starting `***MISSING ***` is missing a parameter at word "
		        "position 1");
		return;
	}
	if (!requireBlock(node, ctx))
		return;
	VirtualServerGroup g;
	g.name = node.args[0];
	g.where = node.where;
	for (const Node &n : node.children) {
		if (n.keyword == "fwmark")
			addFwmark(g, n, ctx);
		else
			addAddress(g, n, ctx);
		if (lvs::stopped(ctx))
			return;
	}
	parser::Location end = lvs::blockEnd(node);
	if (g.entries.empty()) {
		ctx.diagnostics.error(end, fmt::format("virtual server group {} has no entries - removing", g.name));
		return;
	}
	// Families count addresses and fwmarks given one.
	bool bareFwmark = false, v4 = false, v6 = false;
	for (const auto &e : g.entries) {
		int family = e.isFwmark ? e.family : e.first.family;
		bareFwmark |= e.isFwmark && family == 0;
		v4 |= family == AF_INET;
		v6 |= family == AF_INET6;
	}
	if (bareFwmark && v4 && v6) {
		ctx.diagnostics.error(end, fmt::format("virtual server group {} cannot have IPv4, IPv6 and fwmark "
		                                       "without family - removing",
		                                       g.name));
		return;
	}
	if (config.lvs.findGroup(g.name)) {
		// keepalived silently keeps the first definition.
		ctx.note(node, "virtual_server_group {} is already defined - ignoring this one", g.name);
		return;
	}
	config.lvs.groups.push_back(std::move(g));
}

} // namespace vigil::config
