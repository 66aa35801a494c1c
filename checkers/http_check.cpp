// g++ 12 with -fsanitize=address,undefined (the sanitize build) reports a
// false -Wmaybe-uninitialized inside libstdc++'s std::regex, in
// std::function code every header of this file may have included first, so
// the warning is off for the whole file rather than around <regex>.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#include "checkers/http_check.h"

#include <algorithm>
#include <charconv>
#include <expected>
#include <fmt/format.h>
#include <regex>

namespace vigil::checkers {
namespace {

std::size_t parseOffset(const std::string &text, std::size_t fallback)
{
	std::size_t value = fallback;
	if (!text.empty())
		std::from_chars(text.data(), text.data() + text.size(), value);
	return value;
}

// Whether the url's regex is found in the body; an error message when the
// expression does not compile.
std::expected<bool, std::string> regexFound(const config::HttpUrl &url, const std::string &body)
{
	auto flags = std::regex::ECMAScript;
	for (const auto &option : url.regexOptions) {
		if (option == "caseless")
			flags |= std::regex::icase;
		else if (option == "multiline")
			flags |= std::regex::multiline;
	}
	const std::size_t minOffset = std::min(parseOffset(url.regexMinOffset, 0), body.size());
	const std::size_t maxOffset = parseOffset(url.regexMaxOffset, body.size());
	const std::size_t length = std::min(body.size() - minOffset, kRegexWindow);
	try {
		const std::regex expression(url.regex, flags);
		std::match_results<std::string::const_iterator> match;
		const auto begin = body.begin() + static_cast<std::ptrdiff_t>(minOffset);
		if (!std::regex_search(begin, begin + static_cast<std::ptrdiff_t>(length), match, expression))
			return false;
		// regex_max_offset bounds where a match may start.
		return minOffset + static_cast<std::size_t>(match.position(0)) <= maxOffset;
	} catch (const std::regex_error &error) {
		return std::unexpected(fmt::format("regex \"{}\": {}", url.regex, error.what()));
	}
}

} // namespace

std::string httpHost(std::string_view virtualhost, const config::IpAddress &address, std::uint16_t port)
{
	if (!virtualhost.empty())
		return std::string(virtualhost);
	if (address.isV6())
		return fmt::format("[{}]:{}", address.str(), port);
	return fmt::format("{}:{}", address.str(), port);
}

std::string httpRequest(std::string_view path, std::string_view protocol, std::string_view host)
{
	const bool v11 = protocol == "1.1";
	const bool close = v11 || protocol == "1.0C" || protocol == "1.0c";
	return fmt::format("GET {} HTTP/1.{}\r\nUser-Agent: KeepAliveClient\r\n{}Host: {}\r\n\r\n", path, v11 ? 1 : 0,
	                   close ? "Connection: close\r\n" : "", host);
}

ProbeResult judgeHttpResponse(const config::HttpUrl &url, const HttpResponseReader &response, std::string_view endpoint)
{
	if (!response.done())
		return ProbeResult::fail(fmt::format("HTTP response error from {} url({}): {}", endpoint, url.path,
		                                     response.error().empty() ? "incomplete" : response.error()));
	const int code = response.statusCode();
	const auto &ranges = url.statusCodes;
	const bool inRange = ranges.empty() ? (code >= 200 && code <= 299)
	                                    : std::any_of(ranges.begin(), ranges.end(), [code](const auto &r) {
		                                      return code >= r.low && code <= r.high;
	                                      });
	if (!inRange)
		return ProbeResult::fail(fmt::format("HTTP status code error to {} url({}), status_code [{}]", endpoint,
		                                     url.path, code));
	if (!url.digest.empty() && url.digest != response.digest())
		return ProbeResult::fail(fmt::format("MD5 digest error to {} url({}), MD5SUM [{}]", endpoint, url.path,
		                                     response.digest()));
	if (!url.regex.empty()) {
		const auto found = regexFound(url, response.body());
		if (!found)
			return ProbeResult::fail(found.error());
		if (*found == url.regexNoMatch)
			return ProbeResult::fail(fmt::format(
			        "Regex {} on {} url({})",
			        url.regexNoMatch ? "matched (regex_no_match)" : "match failed", endpoint, url.path));
	}
	if (!url.digest.empty())
		return ProbeResult::pass(fmt::format("MD5 digest success to {} url({})", endpoint, url.path));
	return ProbeResult::pass(fmt::format("HTTP status code success to {} url({})", endpoint, url.path));
}

} // namespace vigil::checkers
