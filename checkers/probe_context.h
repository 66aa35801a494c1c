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

struct ProbeContext {
	boost::asio::io_context &io;
	exec::ScriptRunner &runner;
	// A configured script as a run request (its user, else script_user...).
	std::function<exec::RunRequest(const config::Script &)> scriptRequest;
	// The SSL block's client context; null until the configuration gives
	// one (SSL_GET then fails with a message saying so).
	std::shared_ptr<boost::asio::ssl::context> ssl;
};

// One factory per checker type. Each session copies what it needs from the
// request (the checker itself outlives it).
std::shared_ptr<ProbeSession> makeTcpSession(ProbeContext &context, const ProbeRequest &request);
std::shared_ptr<ProbeSession> makeMiscSession(ProbeContext &context, const ProbeRequest &request);
std::shared_ptr<ProbeSession> makeDnsSession(ProbeContext &context, const ProbeRequest &request);
std::shared_ptr<ProbeSession> makeSmtpSession(ProbeContext &context, const ProbeRequest &request);
std::shared_ptr<ProbeSession> makeUdpSession(ProbeContext &context, const ProbeRequest &request);
std::shared_ptr<ProbeSession> makePingSession(ProbeContext &context, const ProbeRequest &request);

} // namespace vigil::checkers
