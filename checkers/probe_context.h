#pragma once

// What the real probes share: the loop, the script runner (MISC_CHECK) and
// the TLS client context (SSL_GET), and one factory per checker type.

#include <boost/asio/io_context.hpp>
#include <functional>
#include <memory>

#include "checkers/probe.h"
#include "checkers/probe_session.h"
#include "exec/script_runner.h"
#include "src/config/script.h"

namespace boost::asio::ssl {
class context;
}

namespace vigil::checkers {

class HttpResponseReader;

struct ProbeContext {
	boost::asio::io_context &io;
	exec::ScriptRunner &runner;
	// A configured script as a run request (its user, else script_user...).
	std::function<exec::RunRequest(const config::Script &)> scriptRequest;
	// The SSL_GET client context: makeSslContext(config.lvs.ssl), which
	// is keepalived's generated one when there is no SSL block. Null:
	// SSL_GET fails with a message saying so.
	std::shared_ptr<boost::asio::ssl::context> ssl;
};

// One factory per checker type. Each session copies what it needs from the
// request (the checker itself outlives it).
std::shared_ptr<ProbeSession> makeMiscSession(ProbeContext &context, const ProbeRequest &request);
std::shared_ptr<ProbeSession> makeDnsSession(ProbeContext &context, const ProbeRequest &request);
std::shared_ptr<ProbeSession> makeSmtpSession(ProbeContext &context, const ProbeRequest &request);
std::shared_ptr<ProbeSession> makeUdpSession(ProbeContext &context, const ProbeRequest &request);
std::shared_ptr<ProbeSession> makePingSession(ProbeContext &context, const ProbeRequest &request);

// Sees every complete response of an HTTP session before it is judged
// (vigil-genhash prints the header, body and digest from it).
using HttpObserver = std::function<void(const config::HttpUrl &url, const HttpResponseReader &response)>;
// HTTP_GET (plain TCP) and SSL_GET (TLS with context.ssl): for each url to
// check, a new connection, one GET, the response judged; the first failing
// url fails the probe.
std::shared_ptr<ProbeSession> makeHttpSession(ProbeContext &context, const ProbeRequest &request,
                                              HttpObserver observer = {});

} // namespace vigil::checkers
