#include "checkers/probe_session.h"

#include <fmt/format.h>

namespace vigil::checkers {

TimedSession::TimedSession(boost::asio::io_context &io, std::chrono::steady_clock::duration timeout)
        : io_(io), deadline_(io), timeout_(timeout)
{
}

void TimedSession::begin(ProbeTransport::Done done)
{
	done_ = std::move(done);
	restartDeadline();
}

void TimedSession::restartDeadline()
{
	if (finished_)
		return;
	// The old wait may have expired already with its handler queued: the
	// generation tells that stale handler it no longer counts.
	const unsigned generation = ++generation_;
	deadline_.expires_after(timeout_);
	std::weak_ptr<ProbeSession> weak = weak_from_this();
	deadline_.async_wait([weak, this, generation](const boost::system::error_code &error) {
		auto self = weak.lock();
		if (error || !self || finished_ || generation != generation_)
			return;
		onDeadline();
	});
}

void TimedSession::onDeadline()
{
	finish(ProbeResult::fail(timeoutMessage()));
}

std::string TimedSession::timeoutMessage() const
{
	auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(timeout_).count();
	return fmt::format("timeout after {} ms ({})", ms, stage_);
}

void TimedSession::finish(ProbeResult result)
{
	if (finished_)
		return;
	finished_ = true;
	deadline_.cancel();
	closeAll();
	auto done = std::move(done_);
	done_ = nullptr;
	if (done)
		done(std::move(result));
}

void TimedSession::cancel()
{
	finished_ = true;
	done_ = nullptr;
	deadline_.cancel();
	closeAll();
}

} // namespace vigil::checkers
