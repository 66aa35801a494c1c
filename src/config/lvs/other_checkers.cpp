// TCP_CHECK (vigil's half_open), MISC_CHECK, DNS_CHECK, SMTP_CHECK,
// UDP_CHECK, FILE_CHECK and BFD_CHECK (PING_CHECK has only the generic
// options).

#include <fmt/format.h>

#include "src/config/config.h"
#include "src/config/lvs/lvs_build.h"
#include "src/config/values.h"

namespace vigil::config::lvs {

namespace {

using parser::Node;
using T = CheckerTarget;

template <class D> D &detail(T &t)
{
	return std::get<D>(t.checker.detail);
}

// ---- MISC_CHECK

// keepalived names a script by its quoted words: '/bin/echo' 'hi'.
std::string quotedWords(const Script &s)
{
	std::string out;
	for (const auto &w : s.argv)
		out += (out.empty() ? "'" : " '") + w + "'";
	return out;
}

void setMiscUser(T &t, const Node &n, BuildContext &ctx)
{
	MiscCheck &m = detail<MiscCheck>(t);
	if (n.args.empty()) {
		report(n, ctx, fmt::format("No user specified for misc checker script {}", quotedWords(m.script)));
		return;
	}
	bool ok = ctx.system.userId(std::string(n.args[0])).has_value() &&
	          (n.args.size() < 2 || ctx.system.groupId(std::string(n.args[1])).has_value());
	if (!ok) {
		report(n, ctx,
		       fmt::format("Failed to set uid/gid for misc checker script {} - removing",
		                   quotedWords(m.script)));
		t.drop = true;
		return;
	}
	m.script.user = n.args[0];
	m.script.group = n.arg(1);
}

const KeywordTable<T> &miscKeywords()
{
	static const KeywordTable<T> table{
	        {"misc_path",
	         [](T &t, const Node &n, BuildContext &ctx) {
		         if (n.args.empty())
			         return; // reported when the block closes
		         // The command is the first word (readScript), as keepalived reads it.
		         MiscCheck &m = detail<MiscCheck>(t);
		         if (auto script = readScript(n, ctx, false)) {
			         script->user = m.script.user;
			         script->group = m.script.group;
			         m.script = *script;
		         }
	         }},
	        {"misc_timeout",
	         [](T &t, const Node &n, BuildContext &ctx) {
		         if (!requireArg(n, ctx))
			         return;
		         if (auto v = readUnsigned(n, ctx, 0, 0, UINT32_MAX))
			         detail<MiscCheck>(t).timeout = *v;
		         else
			         report(n, ctx, fmt::format("Invalid misc_timeout value '{}'", n.args[0]));
	         }},
	        {"misc_dynamic", [](T &t, const Node &, BuildContext &) { detail<MiscCheck>(t).dynamic = true; }},
	        {"user", setMiscUser},
	};
	return table;
}

// ---- DNS_CHECK

bool validDnsName(std::string_view name)
{
	if (name == ".")
		return true;
	std::size_t start = 0;
	while (true) {
		std::size_t dot = name.find('.', start);
		if (dot == start || start == name.size())
			return false;
		if (dot == std::string::npos)
			return true;
		start = dot + 1;
	}
}

const KeywordTable<T> &dnsKeywords()
{
	static const KeywordTable<T> table{
	        {"type",
	         [](T &t, const Node &n, BuildContext &ctx) {
		         if (!requireArg(n, ctx))
			         return;
		         std::string type(n.args[0]);
		         for (char &c : type)
			         c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
		         for (const char *known : {"A", "NS", "CNAME", "SOA", "MX", "TXT", "AAAA"}) {
			         if (type == known) {
				         detail<DnsCheck>(t).type = type;
				         return;
			         }
		         }
		         report(n, ctx, fmt::format("Unknown DNS check type {} - ignoring", n.args[0]));
	         }},
	        {"name",
	         [](T &t, const Node &n, BuildContext &ctx) {
		         if (!requireArg(n, ctx))
			         return;
		         if (validDnsName(n.args[0]))
			         detail<DnsCheck>(t).name = n.args[0];
		         else
			         report(n, ctx,
			                fmt::format("DNS_CHECK name '{}' has empty label - ignoring", n.args[0]));
	         }},
	};
	return table;
}

// ---- SMTP_CHECK

const KeywordTable<T> &smtpKeywords()
{
	static const KeywordTable<T> table{
	        {"helo_name",
	         [](T &t, const Node &n, BuildContext &ctx) {
		         if (n.args.empty())
			         report(n, ctx, "SMTP_CHECK helo name missing");
		         else
			         detail<SmtpCheck>(t).heloName = n.args[0];
	         }},
	        {"host",
	         [](T &t, const Node &n, BuildContext &ctx) {
		         if (!requireBlock(n, ctx))
			         return;
		         CheckerEndpoint host;
		         host.where = n.where;
		         T hostTarget{t.vs, t.rs, t.checker, &host, t.config};
		         applyCheckerBlock(hostTarget, n, ctx, false);
		         detail<SmtpCheck>(t).hosts.push_back(host);
	         },
	         &smtpHostSchema()},
	};
	return table;
}

// ---- UDP_CHECK

template <std::uint32_t UdpCheck::*Field> void setReplyLength(T &t, const Node &n, BuildContext &ctx)
{
	if (!requireArg(n, ctx))
		return;
	if (auto v = readUnsigned(n, ctx, 0, 0, 65535)) {
		detail<UdpCheck>(t).*Field = *v;
		return;
	}
	report(n, ctx,
	       fmt::format("UDP_CHECK {} length {} not valid - must be between 0 & 65535",
	                   Field == &UdpCheck::minReplyLength ? "min" : "max", n.args[0]));
}

const KeywordTable<T> &udpKeywords()
{
	static const KeywordTable<T> table{
	        {"payload",
	         [](T &t, const Node &n, BuildContext &ctx) {
		         if (n.args.empty()) {
			         report(n, ctx, "UDP_CHECK payload requires a payload");
			         return;
		         }
		         if (auto p = parseHex(n.args, 0, false))
			         detail<UdpCheck>(t).payload = *p;
		         else
			         report(n, ctx, "Invalid hex string for UDP_CHECK payload");
	         }},
	        {"require_reply",
	         [](T &t, const Node &n, BuildContext &ctx) {
		         UdpCheck &u = detail<UdpCheck>(t);
		         u.requireReply = true;
		         if (n.args.empty())
			         return;
		         if (auto p = parseHex(n.args, 0, true))
			         u.reply = *p;
		         else
			         report(n, ctx, "Invalid hex string for UDP_CHECK reply");
	         }},
	        {"min_reply_length", setReplyLength<&UdpCheck::minReplyLength>},
	        {"max_reply_length", setReplyLength<&UdpCheck::maxReplyLength>},
	};
	return table;
}

// ---- FILE_CHECK

const KeywordTable<T> &fileKeywords()
{
	static const KeywordTable<T> table{
	        {"track_file",
	         [](T &t, const Node &n, BuildContext &ctx) {
		         // The track_file must be defined earlier in the file.
		         if (!requireArg(n, ctx))
			         return;
		         if (t.config.vrrp.findTrackFile(n.args[0]))
			         detail<FileCheck>(t).trackFile = n.args[0];
		         else
			         report(n, ctx, fmt::format("track_file {} not found", n.args[0]));
	         }},
	        {"weight",
	         [](T &t, const Node &n, BuildContext &ctx) {
		         if (n.args.empty()) {
			         report(n, ctx, "track file weight missing");
			         return;
		         }
		         auto w = readSigned(n, ctx, 0, -2147483647, 2147483647);
		         if (!w) {
			         report(n, ctx,
			                "weight for track file must be in [-2147483647..2147483647] inclusive. "
			                "Ignoring...");
			         return;
		         }
		         FileCheck &f = detail<FileCheck>(t);
		         if (n.args.size() > 1 && n.args[1] != "reverse") {
			         report(n, ctx,
			                fmt::format("unknown track file weight option {} - ignoring", n.args[1]));
			         return;
		         }
		         f.weight = *w;
		         f.reverse = n.args.size() > 1;
	         }},
	};
	return table;
}

// ---- BFD_CHECK

bool bfdInstanceExists(const Config &config, std::string_view name)
{
	for (const auto &o : config.opaque)
		if (o.node().keyword == "bfd_instance" && o.node().arg(0) == name)
			return true;
	return false;
}

const KeywordTable<T> &bfdKeywords()
{
	static const KeywordTable<T> table{
	        {"name",
	         [](T &t, const Node &n, BuildContext &ctx) {
		         std::string rs = realServerName(t.vs, t.rs);
		         if (n.args.size() != 1) {
			         report(n, ctx,
			                fmt::format(
			                        "({}) BFD_CHECK - No or too many names specified - skipping checker",
			                        rs));
			         t.drop = true;
			         return;
		         }
		         if (!bfdInstanceExists(t.config, n.args[0])) {
			         report(n, ctx, fmt::format("({}) BFD_CHECK - BFD {} not configured", rs, n.args[0]));
			         t.drop = true;
			         return;
		         }
		         for (const Checker &c : t.rs.checkers) {
			         if (const auto *b = std::get_if<BfdCheck>(&c.detail); b && b->name == n.args[0]) {
				         report(n, ctx,
				                fmt::format("({}) BFD_CHECK - RS already monitoring {}", rs,
				                            n.args[0]));
				         t.drop = true;
				         return;
			         }
		         }
		         detail<BfdCheck>(t).name = n.args[0];
	         }},
	};
	return table;
}

// ---- TCP_CHECK

const KeywordTable<T> &tcpKeywords()
{
	static const KeywordTable<T> table{
	        {"half_open",
	         [](T &t, const Node &n, BuildContext &ctx) {
		         if (!n.args.empty()) {
			         report(n, ctx, "half_open takes no value");
			         return;
		         }
		         detail<TcpCheck>(t).halfOpen = true;
	         }},
	};
	return table;
}

} // namespace

const KeywordTable<CheckerTarget> *otherKeywords(CheckerType type)
{
	switch (type) {
	case CheckerType::kTcp:
		return &tcpKeywords();
	case CheckerType::kMisc:
		return &miscKeywords();
	case CheckerType::kDns:
		return &dnsKeywords();
	case CheckerType::kSmtp:
		return &smtpKeywords();
	case CheckerType::kUdp:
		return &udpKeywords();
	case CheckerType::kFile:
		return &fileKeywords();
	case CheckerType::kBfd:
		return &bfdKeywords();
	default:
		return nullptr;
	}
}

bool finishOtherChecker(CheckerTarget &t, const parser::Node &block, BuildContext &ctx)
{
	if (t.drop || stopped(ctx))
		return false;
	parser::Location end = blockEnd(block);
	switch (t.checker.type) {
	case CheckerType::kMisc: {
		const MiscCheck &m = detail<MiscCheck>(t);
		if (m.script.command.empty()) {
			ctx.diagnostics.error(end, "No script path has been specified for MISC_CHECKER - skipping");
			return false;
		}
		return true;
	}
	case CheckerType::kUdp: {
		const UdpCheck &u = detail<UdpCheck>(t);
		if (u.minReplyLength > u.maxReplyLength)
			ctx.diagnostics.error(end, fmt::format("UDP_CHECK min_reply length {} > max_reply_length {} - "
			                                       "will always fail",
			                                       u.minReplyLength, u.maxReplyLength));
		return true;
	}
	case CheckerType::kFile:
		if (detail<FileCheck>(t).trackFile.empty()) {
			ctx.diagnostics.error(end, "FILE_CHECK has no track_file specified - ignoring");
			return false;
		}
		return true;
	case CheckerType::kBfd:
		if (detail<BfdCheck>(t).name.empty()) {
			ctx.diagnostics.error(end,
			                      fmt::format("({}) No name has been specified for BFD_CHECKER - skipping",
			                                  realServerName(t.vs, t.rs)));
			return false;
		}
		return true;
	default:
		return true;
	}
}

} // namespace vigil::config::lvs
