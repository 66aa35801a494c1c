// HTTP_GET and SSL_GET: url blocks and the HTTP options.

#include <algorithm>
#include <fmt/format.h>

#include "src/config/config.h"
#include "src/config/lvs/lvs_build.h"
#include "src/config/values.h"

namespace vigil::config::lvs {

namespace {

using parser::Node;
using T = CheckerTarget;

HttpCheck &http(T &t)
{
	return std::get<HttpCheck>(t.checker.detail);
}

void setDigest(HttpUrl &url, const Node &n, BuildContext &ctx)
{
	if (!requireArg(n, ctx))
		return;
	std::string_view d = n.args[0];
	if (!url.digest.empty()) {
		report(n, ctx, fmt::format("Digest '{}' is a duplicate", d));
		return;
	}
	if (d.size() != 32) {
		report(n, ctx, fmt::format("digest '{}' character length should be 32 rather than {}", d, d.size()));
		return;
	}
	std::string lower;
	for (std::size_t i = 0; i < d.size(); i += 2) {
		if (hexDigitValue(d[i]) < 0 || hexDigitValue(d[i + 1]) < 0) {
			report(n, ctx,
			       fmt::format("Unable to interpret hex digit in '{}' at offset {}/{}", d.substr(0, i + 2),
			                   i, i + 1));
			return;
		}
		lower += static_cast<char>(std::tolower(static_cast<unsigned char>(d[i])));
		lower += static_cast<char>(std::tolower(static_cast<unsigned char>(d[i + 1])));
	}
	url.digest = lower;
}

// "200", "200-299"; 100..599.
std::optional<StatusRange> parseStatus(std::string_view text)
{
	std::size_t dash = text.find('-');
	auto low = parseInteger(text.substr(0, dash));
	auto high = dash == std::string::npos ? low : parseInteger(text.substr(dash + 1));
	if (!low || !high || text[0] == '+' || (dash != std::string::npos && text[dash + 1] == '+') || *low < 100 ||
	    *high > 599 || *low > *high)
		return std::nullopt;
	return StatusRange{static_cast<int>(*low), static_cast<int>(*high)};
}

void addStatus(HttpUrl &url, const Node &n, BuildContext &ctx)
{
	for (std::string_view a : n.args) {
		if (auto r = parseStatus(a))
			url.statusCodes.push_back(*r);
		else
			report(n, ctx, fmt::format("Invalid HTTP_GET status code '{}'", a));
	}
}

const KeywordTable<HttpUrl> &urlKeywords()
{
	static const KeywordTable<HttpUrl> table{
	        {"path",
	         [](HttpUrl &u, const Node &n, BuildContext &ctx) {
		         if (requireArg(n, ctx))
			         u.path = n.args[0];
	         }},
	        {"digest", setDigest},
	        {"status_code", addStatus},
	        {"virtualhost",
	         [](HttpUrl &u, const Node &n, BuildContext &ctx) {
		         if (n.args.empty()) {
			         report(n, ctx, "Missing HTTP_GET virtualhost name");
			         return;
		         }
		         u.virtualhost = n.args[0];
		         u.given.set(kCkVirtualhost);
	         }},
	        {"regex", [](HttpUrl &u, const Node &n, BuildContext &) { u.regex = n.arg(0); }},
	        {"regex_no_match", [](HttpUrl &u, const Node &, BuildContext &) { u.regexNoMatch = true; }},
	        {"regex_options",
	         [](HttpUrl &u, const Node &n, BuildContext &) {
		         u.regexOptions.insert(u.regexOptions.end(), n.args.begin(), n.args.end());
	         }},
	        {"regex_stack",
	         [](HttpUrl &u, const Node &n, BuildContext &) { u.regexStack = parser::argStrings(n); }},
	        {"regex_min_offset", [](HttpUrl &u, const Node &n, BuildContext &) { u.regexMinOffset = n.arg(0); }},
	        {"regex_max_offset", [](HttpUrl &u, const Node &n, BuildContext &) { u.regexMaxOffset = n.arg(0); }},
	};
	return table;
}

// Sorted, merged ranges; 200-299 when none.
std::vector<StatusRange> normalize(std::vector<StatusRange> ranges)
{
	if (ranges.empty())
		return {StatusRange{}};
	std::sort(ranges.begin(), ranges.end(),
	          [](const StatusRange &a, const StatusRange &b) { return a.low < b.low; });
	std::vector<StatusRange> out{ranges[0]};
	for (std::size_t i = 1; i < ranges.size(); ++i) {
		if (ranges[i].low <= out.back().high + 1)
			out.back().high = std::max(out.back().high, ranges[i].high);
		else
			out.push_back(ranges[i]);
	}
	return out;
}

void addUrl(T &t, const Node &n, BuildContext &ctx)
{
	if (!requireBlock(n, ctx))
		return;
	HttpUrl url;
	url.where = n.where;
	applyStatements(urlKeywords(), url, n, ctx);
	if (stopped(ctx))
		return;
	if (url.path.empty()) {
		ctx.diagnostics.error(blockEnd(n), "HTTP/SSL_GET checker url has no path - ignoring");
		return;
	}
	url.statusCodes = normalize(std::move(url.statusCodes));
	http(t).urls.push_back(std::move(url));
}

void setProtocol(T &t, const Node &n, BuildContext &ctx)
{
	if (n.args.empty()) {
		report(n, ctx, "Missing http_protocol version");
		return;
	}
	std::string v(n.args[0]);
	if (v == "1.0c")
		v = "1.0C";
	if (v != "1.0" && v != "1.0C" && v != "1.1") {
		report(n, ctx, fmt::format("Invalid http_protocol version {}", n.args[0]));
		return;
	}
	http(t).httpProtocol = v;
}

template <bool HttpCheck::*Field> void setFlag(T &t, const Node &n, BuildContext &ctx)
{
	if (auto v = boolArg(n))
		http(t).*Field = *v;
	else
		report(n, ctx, fmt::format("Invalid {} parameter {}", n.keyword, n.args[0]));
}

} // namespace

const KeywordTable<CheckerTarget> &httpKeywords()
{
	static const KeywordTable<T> table{
	        {"url", addUrl, &urlKeywords()},
	        {"http_protocol", setProtocol},
	        {"fast_recovery", setFlag<&HttpCheck::fastRecovery>},
	        {"enable_sni", setFlag<&HttpCheck::enableSni>},
	        {"virtualhost",
	         [](T &t, const Node &n, BuildContext &ctx) {
		         if (n.args.empty()) {
			         report(n, ctx, "HTTP_GET virtualhost name missing");
			         return;
		         }
		         http(t).virtualhost = n.args[0];
		         http(t).given.set(kCkVirtualhost);
	         }},
	        {"nb_get_retry",
	         [](T &t, const Node &n, BuildContext &ctx) {
		         ctx.diagnostics.warning(n.where, "nb_get_retry is deprecated - please use 'retry'");
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

bool finishHttpChecker(CheckerTarget &t, const parser::Node &block, BuildContext &ctx)
{
	if (stopped(ctx))
		return false;
	if (http(t).urls.empty()) {
		// keepalived 2.2.7 reports this and then crashes; vigil drops the checker.
		ctx.diagnostics.error(blockEnd(block), "HTTP/SSL_GET checker has no urls specified - ignoring");
		return false;
	}
	return true;
}

} // namespace vigil::config::lvs
