#pragma once

// The real transport's probes: one ProbeSession per exchange, on the
// daemon's io_context. TimedSession gives each the whole-exchange deadline
// and the once-only completion every checker type needs.

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <memory>
#include <string>

#include "checkers/probe.h"

namespace vigil::checkers {

class ProbeSession : public std::enable_shared_from_this<ProbeSession>
{
public:
	virtual ~ProbeSession() = default;
	// Begins the exchange; `done` is called once from the loop unless
	// cancel() comes first.
	virtual void start(ProbeTransport::Done done) = 0;
	// Stops all I/O at once; `done` is never called.
	virtual void cancel() = 0;
};

class TimedSession : public ProbeSession
{
public:
	void cancel() override;

protected:
	TimedSession(boost::asio::io_context &io, std::chrono::steady_clock::duration timeout);

	// Arms the deadline and keeps `done`. On expiry onDeadline() runs; by
	// default the session finishes with "timeout after N ms (stage)" and
	// closes its sockets, so pending operations complete with
	// operation_aborted.
	void begin(ProbeTransport::Done done);
	// Gives the exchange a fresh `timeout` from now: SMTP_CHECK's host{}
	// blocks each get connect_timeout, as separate connections.
	void restartDeadline();
	// What expiry means. UDP_CHECK without require_reply overrides it:
	// silence until the deadline is a pass.
	virtual void onDeadline();
	// "timeout after N ms (stage)".
	std::string timeoutMessage() const;
	// Reports the result once; later calls and calls after cancel() are
	// ignored. Closes the sockets.
	void finish(ProbeResult result);
	bool finished() const { return finished_; }
	// What the exchange is waiting for, for the timeout message ("connect",
	// "status line").
	void setStage(std::string stage) { stage_ = std::move(stage); }
	boost::asio::io_context &io() { return io_; }
	// Closes every socket the session holds; must be idempotent.
	virtual void closeAll() = 0;

private:
	boost::asio::io_context &io_;
	boost::asio::steady_timer deadline_;
	std::chrono::steady_clock::duration timeout_;
	ProbeTransport::Done done_;
	std::string stage_ = "connect";
	bool finished_ = false;
	unsigned generation_ = 0;
};

} // namespace vigil::checkers
