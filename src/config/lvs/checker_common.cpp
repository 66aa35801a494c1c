// Checker blocks: dispatch, and the connection and timing options they share.

#include <fmt/format.h>

#include "src/config/config.h"
#include "src/config/lvs/lvs_build.h"
#include "src/config/values.h"

namespace vigil::config {

std::string_view checkerKeyword(CheckerType type)
{
	switch (type) {
	case CheckerType::kTcp:
		return "TCP_CHECK";
	case CheckerType::kHttp:
		return "HTTP_GET";
	case CheckerType::kSsl:
		return "SSL_GET";
	case CheckerType::kMisc:
		return "MISC_CHECK";
	case CheckerType::kDns:
		return "DNS_CHECK";
	case CheckerType::kSmtp:
		return "SMTP_CHECK";
	case CheckerType::kUdp:
		return "UDP_CHECK";
	case CheckerType::kPing:
		return "PING_CHECK";
	case CheckerType::kFile:
		return "FILE_CHECK";
	case CheckerType::kBfd:
		return "BFD_CHECK";
	}
	return "";
}

bool runsHalfOpen(const Checker &checker)
{
	const auto *tcp = std::get_if<TcpCheck>(&checker.detail);
	const auto &e = checker.endpoint;
	return tcp && tcp->halfOpen && !e.bindTo && !e.bindPort && e.bindIf.empty() && !e.fwmark;
}

namespace lvs {

namespace {

using parser::Node;
using T = CheckerTarget;

// The address the checker connects to so far (connect_ip or the real server).
const IpAddress &connectAddress(const T &t)
{
	if (t.endpoint->given.has(kCkConnectIp))
		return t.endpoint->connectIp;
	if (t.endpoint != &t.checker.endpoint && t.checker.endpoint.given.has(kCkConnectIp))
		return t.checker.endpoint.connectIp;
	return t.rs.address;
}

template <std::uint16_t CheckerEndpoint::*Field> void setPort(T &t, const Node &n, BuildContext &ctx)
{
	if (!requireArg(n, ctx))
		return;
	auto v = readUnsigned(n, ctx, 0, 1, 65535);
	if (!v) {
		report(n, ctx, fmt::format("Invalid checker {} '{}'", n.keyword, n.args[0]));
		return;
	}
	t.endpoint->*Field = static_cast<std::uint16_t>(*v);
	if constexpr (Field == &CheckerEndpoint::connectPort)
		t.endpoint->given.set(kCkConnectPort);
}

const KeywordTable<T> &connectionKeywords()
{
	static const KeywordTable<T> table{
	        {"connect_ip",
	         [](T &t, const Node &n, BuildContext &ctx) {
		         if (!requireArg(n, ctx))
			         return;
		         auto a = IpAddress::parse(n.args[0]);
		         if (!a) {
			         report(n, ctx, fmt::format("Invalid connect_ip address {} - ignoring", n.args[0]));
			         return;
		         }
		         t.endpoint->connectIp = *a;
		         t.endpoint->given.set(kCkConnectIp);
	         }},
	        {"connect_port", setPort<&CheckerEndpoint::connectPort>},
	        {"bind_port", setPort<&CheckerEndpoint::bindPort>},
	        {"bindto",
	         [](T &t, const Node &n, BuildContext &ctx) {
		         if (!requireArg(n, ctx))
			         return;
		         auto a = IpAddress::parse(n.args[0]);
		         if (!a) {
			         report(n, ctx, fmt::format("Invalid bindto address {} - ignoring", n.args[0]));
			         return;
		         }
		         if (a->family != connectAddress(t).family) {
			         report(n, ctx,
			                fmt::format("bindto address {} does not match address family of connect_ip - "
			                            "skipping",
			                            n.args[0]));
			         return;
		         }
		         t.endpoint->bindTo = *a;
	         }},
	        {"bind_if",
	         [](T &t, const Node &n, BuildContext &ctx) {
		         if (requireArg(n, ctx))
			         t.endpoint->bindIf = n.args[0];
	         }},
	        {"fwmark",
	         [](T &t, const Node &n, BuildContext &ctx) {
		         if (!requireArg(n, ctx))
			         return;
		         if (auto v = readUnsigned(n, ctx, 0, 0, UINT32_MAX))
			         t.endpoint->fwmark = *v;
		         else
			         report(n, ctx, fmt::format("Invalid fwmark connection value '{}'", n.args[0]));
	         }},
	};
	return table;
}

template <double Checker::*Field, unsigned Bit, std::uint64_t Min, std::uint64_t Max>
void setTimer(T &t, const Node &n, BuildContext &ctx)
{
	if (!requireArg(n, ctx))
		return;
	if (auto v = readDecimal(n, ctx, 0, Min, Max)) {
		t.checker.*Field = *v;
		t.checker.given.set(Bit);
		return;
	}
	if constexpr (Bit == kCkConnectTimeout)
		report(n, ctx, fmt::format("connect_timeout {} invalid - ignoring", n.args[0]));
	else if constexpr (Bit == kCkDelayLoop)
		report(n, ctx, fmt::format("delay_loop '{}' is invalid - ignoring", n.args[0]));
	else
		report(n, ctx, fmt::format("Invalid {} connection value '{}'", n.keyword, n.args[0]));
}

const KeywordTable<T> &timingKeywords()
{
	static const KeywordTable<T> table{
	        {"alpha",
	         [](T &t, const Node &n, BuildContext &ctx) {
		         if (auto v = boolArg(n)) {
			         t.checker.alpha = *v;
			         t.checker.given.set(kCkAlpha);
		         } else {
			         report(n, ctx, fmt::format("Invalid alpha parameter {}", n.args[0]));
		         }
	         }},
	        {"log_all_failures",
	         [](T &t, const Node &n, BuildContext &ctx) {
		         if (auto v = boolArg(n))
			         t.checker.logAllFailures = *v;
		         else
			         report(n, ctx, fmt::format("Invalid log_all_failures parameter {}", n.args[0]));
	         }},
	        {"connect_timeout", setTimer<&Checker::connectTimeout, kCkConnectTimeout, 1, kMaxConnectTimeoutMicros>},
	        {"delay_before_retry", setTimer<&Checker::delayBeforeRetry, kCkDelayBeforeRetry, 0, kMaxTimerMicros>},
	        {"warmup", setTimer<&Checker::warmup, kCkWarmup, 0, kMaxTimerMicros>},
	        {"delay_loop", setTimer<&Checker::delayLoop, kCkDelayLoop, 1, kMaxTimerMicros>},
	        {"retry",
	         [](T &t, const Node &n, BuildContext &ctx) {
		         if (!requireArg(n, ctx))
			         return;
		         if (auto v = readUnsigned(n, ctx, 0, 0, UINT32_MAX)) {
			         t.checker.retry = *v;
			         t.checker.given.set(kCkRetry);
		         } else {
			         report(n, ctx, fmt::format("Invalid retry connection value '{}'", n.args[0]));
		         }
	         }},
	};
	return table;
}

// The generic options each checker type accepts (keepalived 2.2.7: MISC_CHECK
// has no connection options nor connect_timeout, BFD_CHECK only alpha,
// FILE_CHECK none).
bool acceptsTiming(CheckerType type, std::string_view keyword)
{
	switch (type) {
	case CheckerType::kFile:
		return false;
	case CheckerType::kBfd:
		return keyword == "alpha";
	case CheckerType::kMisc:
		return keyword != "connect_timeout";
	default:
		return true;
	}
}

bool acceptsConnection(CheckerType type)
{
	return type != CheckerType::kMisc && type != CheckerType::kFile && type != CheckerType::kBfd;
}

std::optional<CheckerType> typeOf(std::string_view keyword)
{
	for (auto type :
	     {CheckerType::kTcp, CheckerType::kHttp, CheckerType::kSsl, CheckerType::kMisc, CheckerType::kDns,
	      CheckerType::kSmtp, CheckerType::kUdp, CheckerType::kPing, CheckerType::kFile, CheckerType::kBfd})
		if (checkerKeyword(type) == keyword)
			return type;
	return std::nullopt;
}

CheckerDetail detailFor(CheckerType type)
{
	switch (type) {
	case CheckerType::kHttp:
	case CheckerType::kSsl:
		return HttpCheck{};
	case CheckerType::kMisc:
		return MiscCheck{};
	case CheckerType::kDns:
		return DnsCheck{};
	case CheckerType::kSmtp:
		return SmtpCheck{};
	case CheckerType::kUdp:
		return UdpCheck{};
	case CheckerType::kPing:
		return PingCheck{};
	case CheckerType::kFile:
		return FileCheck{};
	case CheckerType::kBfd:
		return BfdCheck{};
	case CheckerType::kTcp:
		break;
	}
	return TcpCheck{};
}

const KeywordTable<T> *ownKeywords(CheckerType type)
{
	return type == CheckerType::kHttp || type == CheckerType::kSsl ? &httpKeywords() : otherKeywords(type);
}

// The keywords of a checker block (or, without its own, of an SMTP_CHECK
// host block).
class CheckerSchema final : public parser::BlockSchema
{
public:
	CheckerSchema(CheckerType type, bool own) : type_(type), own_(own) {}

	Entry lookup(std::string_view keyword) const override
	{
		const KeywordTable<T> *own = own_ ? ownKeywords(type_) : nullptr;
		if (own && own->contains(keyword))
			return own->lookup(keyword);
		if (acceptsConnection(type_) && connectionKeywords().contains(keyword))
			return connectionKeywords().lookup(keyword);
		if (timingKeywords().contains(keyword) && acceptsTiming(type_, keyword))
			return timingKeywords().lookup(keyword);
		return {};
	}

private:
	CheckerType type_;
	bool own_;
};

} // namespace

const parser::BlockSchema &checkerSchema(CheckerType type)
{
	static const CheckerSchema schemas[] = {
	        {CheckerType::kTcp, true},  {CheckerType::kHttp, true}, {CheckerType::kSsl, true},
	        {CheckerType::kMisc, true}, {CheckerType::kDns, true},  {CheckerType::kSmtp, true},
	        {CheckerType::kUdp, true},  {CheckerType::kPing, true}, {CheckerType::kFile, true},
	        {CheckerType::kBfd, true},
	};
	return schemas[static_cast<std::size_t>(type)];
}

const parser::BlockSchema &smtpHostSchema()
{
	static const CheckerSchema schema{CheckerType::kSmtp, false};
	return schema;
}

std::string realServerName(const VirtualServer &vs, const RealServer &rs)
{
	LvsProtocol p = vs.given.has(kVsProtocol) ? vs.protocol : LvsProtocol::kNone;
	return fmt::format("[{}]:{}:{}", rs.address.str(), protocolLower(p), rs.port);
}

void applyCheckerBlock(CheckerTarget &t, const parser::Node &block, BuildContext &ctx, bool connection)
{
	static const KeywordTable<T> unknown{};
	// The checker itself has its own keywords, an SMTP host does not.
	const KeywordTable<T> *own = connection ? ownKeywords(t.checker.type) : nullptr;
	bool connectionOptions = acceptsConnection(t.checker.type);
	for (const Node &n : block.children) {
		if (own && own->contains(n.keyword))
			own->apply(t, n, ctx);
		else if (connectionOptions && connectionKeywords().contains(n.keyword))
			connectionKeywords().apply(t, n, ctx);
		else if (timingKeywords().contains(n.keyword) && acceptsTiming(t.checker.type, n.keyword))
			timingKeywords().apply(t, n, ctx);
		else
			unknown.apply(t, n, ctx);
		if (stopped(ctx))
			return;
	}
}

void buildChecker(const VirtualServer &vs, RealServer &rs, const parser::Node &node, BuildContext &ctx,
                  const Config &config)
{
	if (!requireBlock(node, ctx))
		return;
	Checker checker;
	checker.type = *typeOf(node.keyword);
	if (checker.type == CheckerType::kMisc)
		ctx.lvsScripts = true;
	checker.where = node.where;
	checker.end = node.end;
	checker.endpoint.where = node.where;
	checker.detail = detailFor(checker.type);
	CheckerTarget t{vs, rs, checker, &checker.endpoint, config};
	applyCheckerBlock(t, node, ctx, true);
	bool keep = checker.type == CheckerType::kHttp || checker.type == CheckerType::kSsl
	                    ? finishHttpChecker(t, node, ctx)
	                    : finishOtherChecker(t, node, ctx);
	if (keep)
		rs.checkers.push_back(std::move(checker));
}

} // namespace lvs
} // namespace vigil::config
