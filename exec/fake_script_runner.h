#pragma once

#include <utility>
#include <vector>

#include "exec/script_runner.h"

namespace vigil::exec {

// A ScriptRunner that runs nothing: it records what it is asked and the
// test completes each run with the result it chooses, when its simulated
// clock says so. Same contract as AsioScriptRunner: `done` once per run
// unless cancelled, and only when the test completes it (never inside
// run()).
class FakeScriptRunner final : public ScriptRunner
{
public:
	struct Run {
		RunId id = kNoRun;
		RunRequest request;
		Done done;
	};

	RunId run(const RunRequest &request, Done done) override;
	void cancel(RunId id) override;
	bool signal(RunId id, int signo) override;
	std::size_t running() const override { return pending_.size(); }

	// Runs started and not yet completed or cancelled, oldest first.
	const std::vector<Run> &pending() const { return pending_; }
	// The pending run `id`, or null.
	const Run *find(RunId id) const;
	// Ends a pending run: its `done` is called with `result` before this
	// returns. False when `id` is not pending.
	bool complete(RunId id, RunResult result);
	// Ends the oldest pending run; false when there is none.
	bool completeOldest(RunResult result);

	// Every request ever started, in order.
	const std::vector<RunRequest> &started() const { return started_; }
	const std::vector<RunId> &cancelled() const { return cancelled_; }
	const std::vector<std::pair<RunId, int>> &signals() const { return signals_; }

private:
	RunId nextId_ = 1;
	std::vector<Run> pending_;
	std::vector<RunRequest> started_;
	std::vector<RunId> cancelled_;
	std::vector<std::pair<RunId, int>> signals_;
};

} // namespace vigil::exec
