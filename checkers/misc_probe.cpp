// MISC_CHECK: misc_path run as its user; exit status 0 passes. With
// misc_dynamic, 1 fails and 2..255 pass with the real server's weight
// moved by (status - 2 - configured weight), which for one such checker
// sets the weight to status - 2 (keepalived.conf(5)). A script that
// outlives misc_timeout (default: delay_loop) is killed and fails.

#include <cmath>
#include <fmt/format.h>

#include "checkers/probe_context.h"

namespace vigil::checkers {
namespace {

class MiscSession final : public ProbeSession
{
public:
	MiscSession(ProbeContext &context, const ProbeRequest &request)
	        : runner_(context.runner), dynamic_(std::get<config::MiscCheck>(request.checker.detail).dynamic)
	{
		const auto &misc = std::get<config::MiscCheck>(request.checker.detail);
		run_ = context.scriptRequest(misc.script);
		double seconds = misc.timeout ? static_cast<double>(*misc.timeout) : request.checker.delayLoop;
		run_.timeout = std::chrono::milliseconds(std::lround(std::max(seconds, 0.001) * 1000));
		// keepalived sends SIGTERM first and SIGKILL a little later.
		run_.termGrace = std::chrono::seconds(2);
	}

	void start(ProbeTransport::Done done) override
	{
		auto self = shared_from_this();
		id_ = runner_.run(run_, [this, self, done = std::move(done)](const exec::RunResult &result) {
			id_ = exec::kNoRun;
			done(resultOf(result));
		});
	}

	void cancel() override
	{
		if (id_ != exec::kNoRun)
			runner_.cancel(id_);
		id_ = exec::kNoRun;
	}

private:
	ProbeResult resultOf(const exec::RunResult &result) const
	{
		if (result.outcome != exec::RunResult::Outcome::kExited)
			return ProbeResult::fail(result.str());
		const int status = result.exitStatus;
		if (status == 0)
			return ProbeResult::pass();
		if (!dynamic_ || status == 1)
			return ProbeResult::fail(result.str());
		ProbeResult pass = ProbeResult::pass(result.str());
		pass.weight = static_cast<std::uint32_t>(status - 2);
		return pass;
	}

	exec::ScriptRunner &runner_;
	exec::RunRequest run_;
	bool dynamic_;
	exec::RunId id_ = exec::kNoRun;
};

} // namespace

std::shared_ptr<ProbeSession> makeMiscSession(ProbeContext &context, const ProbeRequest &request)
{
	return std::make_shared<MiscSession>(context, request);
}

} // namespace vigil::checkers
