#include "exec/fake_script_runner.h"

#include <algorithm>

namespace vigil::exec {

RunId FakeScriptRunner::run(const RunRequest &request, Done done)
{
	RunId id = nextId_++;
	pending_.push_back({id, request, std::move(done)});
	started_.push_back(request);
	return id;
}

void FakeScriptRunner::cancel(RunId id)
{
	auto it = std::ranges::find(pending_, id, &Run::id);
	if (it == pending_.end())
		return;
	pending_.erase(it);
	cancelled_.push_back(id);
}

bool FakeScriptRunner::signal(RunId id, int signo)
{
	if (!find(id))
		return false;
	signals_.emplace_back(id, signo);
	return true;
}

const FakeScriptRunner::Run *FakeScriptRunner::find(RunId id) const
{
	auto it = std::ranges::find(pending_, id, &Run::id);
	return it == pending_.end() ? nullptr : &*it;
}

bool FakeScriptRunner::complete(RunId id, RunResult result)
{
	auto it = std::ranges::find(pending_, id, &Run::id);
	if (it == pending_.end())
		return false;
	// Out of the list first: `done` may start the next run.
	Done done = std::move(it->done);
	pending_.erase(it);
	if (done)
		done(result);
	return true;
}

bool FakeScriptRunner::completeOldest(RunResult result)
{
	if (pending_.empty())
		return false;
	return complete(pending_.front().id, std::move(result));
}

} // namespace vigil::exec
