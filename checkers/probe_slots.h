#pragma once

// The probes in flight of a prober that runs many of one kind (TCP_CHECK's
// connects, half-open SYNs): a vector of slots reused through a free list,
// so that a probe allocates nothing once the vector has grown, and handles
// that carry the slot's generation, so that a stale handle (a finished or
// cancelled probe, its slot reused since) names nothing. Handles keep
// their two top bits clear: the transport marks its ids with them.

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "checkers/probe.h"

namespace vigil::checkers {

// `Probe` is default-constructible; a released slot is reset to Probe{}.
template <typename Probe> class ProbeSlots
{
public:
	using Handle = std::uint64_t; // never 0

	// A free slot, reset, and its handle.
	std::pair<Handle, Probe &> acquire()
	{
		std::uint32_t slot;
		if (free_.empty()) {
			slot = static_cast<std::uint32_t>(slots_.size());
			slots_.emplace_back();
		} else {
			slot = free_.back();
			free_.pop_back();
		}
		Slot &s = slots_[slot];
		s.live = true;
		++live_;
		return {static_cast<std::uint64_t>(s.generation & kGenerationMask) << 32 | (std::uint64_t{slot} + 1),
		        s.probe};
	}

	// The live probe `handle` names, or null.
	Probe *find(Handle handle)
	{
		const std::uint64_t slot = (handle & 0xffffffff) - 1;
		if (handle == 0 || slot >= slots_.size())
			return nullptr;
		Slot &s = slots_[slot];
		if (!s.live || (s.generation & kGenerationMask) != handle >> 32)
			return nullptr;
		return &s.probe;
	}

	// Frees the slot of a live handle: its probe is reset and the handle
	// (and every older one of the slot) names nothing from now on.
	void release(Handle handle)
	{
		Slot &s = slots_[(handle & 0xffffffff) - 1];
		s.probe = Probe{};
		s.live = false;
		++s.generation;
		free_.push_back(static_cast<std::uint32_t>((handle & 0xffffffff) - 1));
		--live_;
	}

	std::size_t live() const { return live_; }

	// Every live probe (for a destructor that closes their sockets).
	template <typename Fn> void forEachLive(Fn &&fn)
	{
		for (Slot &s : slots_)
			if (s.live)
				fn(s.probe);
	}

private:
	static constexpr std::uint32_t kGenerationMask = 0x3fffffff;
	struct Slot {
		Probe probe;
		std::uint32_t generation = 0;
		bool live = false;
	};
	std::vector<Slot> slots_;
	std::vector<std::uint32_t> free_;
	std::size_t live_ = 0;
};

// What both TCP probers do around their slots: report a probe once and free
// it, cancel it, and report from the loop a failure found while starting.
// `Probe` has `ProbeTransport::Done done` and `ProbeResult early`; the
// prober says what freeing one releases (a socket, a flow).
template <typename Probe> class SlotProber
{
public:
	using Handle = typename ProbeSlots<Probe>::Handle;

	// The probe's `done` will not be called. Unknown or finished handles
	// are ignored.
	void cancel(Handle handle)
	{
		if (probes_.find(handle))
			release(handle);
	}
	std::size_t inFlight() const { return probes_.live(); }

protected:
	explicit SlotProber(boost::asio::io_context &io) : io_(io) {}
	~SlotProber() { *alive_ = false; }

	// Releases what the probe holds, before its slot is freed.
	virtual void cleanUp(Probe &probe) = 0;

	void release(Handle handle)
	{
		if (Probe *probe = probes_.find(handle))
			cleanUp(*probe);
		probes_.release(handle);
	}
	// Frees the probe and calls its `done`, which may start or cancel
	// probes.
	void finish(Handle handle, ProbeResult result)
	{
		Probe *probe = probes_.find(handle);
		if (!probe)
			return;
		auto done = std::move(probe->done);
		release(handle);
		if (done)
			done(std::move(result));
	}
	// `done` is never called inside start(): a failure found there is
	// reported from the loop.
	Handle postEarly(Handle handle, ProbeResult result)
	{
		probes_.find(handle)->early = std::move(result);
		boost::asio::post(io_, [alive = std::weak_ptr<bool>(alive_), this, handle] {
			if (alive.expired())
				return;
			if (Probe *probe = probes_.find(handle))
				finish(handle, std::move(probe->early));
		});
		return handle;
	}

	boost::asio::io_context &io_;
	ProbeSlots<Probe> probes_;
	// Handlers still queued in the loop when the prober goes away.
	std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

} // namespace vigil::checkers
