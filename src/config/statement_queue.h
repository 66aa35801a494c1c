#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "parser/arena.h"
#include "parser/diagnostics.h"
#include "parser/keyword_tree.h"

namespace vigil::config {

// A top-level statement read on the reading thread, with what the reader
// found while reading it (merged with the model's findings in line order).
struct ReadStatement {
	const parser::Node *node;
	std::vector<parser::Diagnostic> read;
};

// Statements whose nodes live in `arena`.
struct StatementBatch {
	std::unique_ptr<parser::Arena> arena;
	std::vector<ReadStatement> statements;
};

// Hands batches from the reading thread to the thread that builds the
// model, and the emptied arenas back. Bounded, so that a reader faster
// than the model holds a few batches, not the whole file.
class StatementQueue
{
public:
	explicit StatementQueue(std::size_t limit) : limit_(limit) {}

	// Reader: blocks while full; false once the builder has cancelled.
	bool push(StatementBatch batch)
	{
		std::unique_lock lock(mutex_);
		changed_.wait(lock, [this] { return cancelled_ || batches_.size() < limit_; });
		if (cancelled_)
			return false;
		batches_.push_back(std::move(batch));
		changed_.notify_all();
		return true;
	}

	// Reader: nothing more will come.
	void close()
	{
		std::lock_guard lock(mutex_);
		closed_ = true;
		changed_.notify_all();
	}

	// Builder: the next batch, or nothing once the reader has closed and
	// everything was taken.
	std::optional<StatementBatch> pop()
	{
		std::unique_lock lock(mutex_);
		changed_.wait(lock, [this] { return closed_ || !batches_.empty(); });
		if (batches_.empty())
			return std::nullopt;
		StatementBatch b = std::move(batches_.front());
		batches_.pop_front();
		changed_.notify_all();
		return b;
	}

	// Builder: reading may stop (keepalived stops at a missing parameter).
	void cancel()
	{
		std::lock_guard lock(mutex_);
		cancelled_ = true;
		batches_.clear();
		changed_.notify_all();
	}

	bool cancelled() const
	{
		std::lock_guard lock(mutex_);
		return cancelled_;
	}

	// Arenas go round: the builder gives back what it has applied.
	void recycle(std::unique_ptr<parser::Arena> arena)
	{
		arena->reset();
		std::lock_guard lock(mutex_);
		spare_.push_back(std::move(arena));
	}

	std::unique_ptr<parser::Arena> spareArena()
	{
		std::lock_guard lock(mutex_);
		if (spare_.empty())
			return std::make_unique<parser::Arena>();
		std::unique_ptr<parser::Arena> a = std::move(spare_.back());
		spare_.pop_back();
		return a;
	}

private:
	const std::size_t limit_;
	mutable std::mutex mutex_;
	std::condition_variable changed_;
	std::deque<StatementBatch> batches_;
	std::vector<std::unique_ptr<parser::Arena>> spare_;
	bool closed_ = false;
	bool cancelled_ = false;
};

} // namespace vigil::config
