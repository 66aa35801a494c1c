#pragma once

// The pure halves of HTTP_GET / SSL_GET: the request keepalived sends and
// the verdict on one url's response. No sockets, so the fuzz target and the
// table-driven tests link them without Asio.

#include <cstdint>
#include <string>
#include <string_view>

#include "checkers/http_response.h"
#include "checkers/probe.h"
#include "src/config/lvs/lvs.h"

namespace vigil::checkers {

// The Host header's value: the virtualhost when set, else the address and
// port ("192.0.2.1:80", "[2001:db8::1]:8080"). keepalived 2.2.7 adds the
// port even when it is 80 or 443 (seen on the wire from its genhash), and so
// does vigil.
std::string httpHost(std::string_view virtualhost, const config::IpAddress &address, std::uint16_t port);

// The request bytes, as keepalived 2.2.7 sends them:
//   GET <path> HTTP/1.0|1.1 CRLF
//   User-Agent: KeepAliveClient CRLF
//   [Connection: close CRLF]      ("1.0C" and "1.1")
//   Host: <host> CRLF
//   CRLF
// `protocol` is http_protocol ("1.0", "1.0C"/"1.0c", "1.1").
std::string httpRequest(std::string_view path, std::string_view protocol, std::string_view host);

// The virtualhost a url uses: its own (already resolved by the config
// model to the checker's, real server's or virtual server's when unset).
inline const std::string &urlVirtualhost(const config::HttpCheck &check, const config::HttpUrl &url)
{
	return url.virtualhost.empty() ? check.virtualhost : url.virtualhost;
}

// How much of the body a regex searches after regex_min_offset: libstdc++'s
// std::regex recurses once per character matched, so an unbounded subject
// could exhaust the stack (keepalived uses PCRE2, which does not).
inline constexpr std::size_t kRegexWindow = std::size_t{16} * 1024;

// The verdict on one url's complete response: the status code in one of the
// url's ranges, then the digest when the url has one, then the regex (an
// ECMAScript std::regex search; regex_no_match inverts it; the options
// caseless and multiline are honoured, the other PCRE2 options ignored).
// `endpoint` names the server in the messages ("[192.0.2.1]:tcp:80").
ProbeResult judgeHttpResponse(const config::HttpUrl &url, const HttpResponseReader &response,
                              std::string_view endpoint);

} // namespace vigil::checkers
