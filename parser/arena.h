#pragma once

#include <algorithm>
#include <cstddef>
#include <memory>
#include <new>
#include <span>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace vigil::parser {

// A bump allocator for objects that die together: the keyword tree of one
// top-level statement. Allocation is a pointer increment; reset() makes all
// of it reusable at once, keeping the memory, so reading a large
// configuration allocates only as much as its largest statement needs.
// Only trivially destructible objects go in: nothing is ever destroyed.
class Arena
{
public:
	explicit Arena(std::size_t chunkSize = 64 * 1024) : chunkSize_(chunkSize) {}
	Arena(const Arena &) = delete;
	Arena &operator=(const Arena &) = delete;

	void *allocate(std::size_t size, std::size_t align)
	{
		std::size_t at = (used_ + align - 1) & ~(align - 1);
		if (current_ >= chunks_.size() || at + size > chunks_[current_].size) {
			nextChunk(size + align);
			at = (used_ + align - 1) & ~(align - 1);
		}
		allocated_ += at + size - used_;
		used_ = at + size;
		return chunks_[current_].data.get() + at;
	}

	template <class T, class... Args> T *make(Args &&...args)
	{
		static_assert(std::is_trivially_destructible_v<T>);
		return new (allocate(sizeof(T), alignof(T))) T(std::forward<Args>(args)...);
	}

	// n default-constructed objects.
	template <class T> std::span<T> array(std::size_t n)
	{
		static_assert(std::is_trivially_destructible_v<T>);
		if (n == 0)
			return {};
		T *p = static_cast<T *>(allocate(sizeof(T) * n, alignof(T)));
		for (std::size_t i = 0; i < n; ++i)
			new (p + i) T();
		return {p, n};
	}

	std::string_view copy(std::string_view s)
	{
		if (s.empty())
			return {};
		char *p = static_cast<char *>(allocate(s.size(), 1));
		s.copy(p, s.size());
		return {p, s.size()};
	}

	// Everything allocated so far is gone; the memory stays for reuse.
	void reset()
	{
		current_ = 0;
		used_ = 0;
		allocated_ = 0;
	}

	// Bytes handed out since the last reset.
	std::size_t used() const { return allocated_; }

private:
	struct Chunk {
		std::unique_ptr<std::byte[]> data;
		std::size_t size;
	};

	void nextChunk(std::size_t atLeast)
	{
		// Reuse the following chunks of an earlier round when they fit.
		while (++current_ < chunks_.size())
			if (chunks_[current_].size >= atLeast) {
				used_ = 0;
				return;
			}
		std::size_t size = std::max(chunkSize_, atLeast);
		chunks_.push_back({std::make_unique_for_overwrite<std::byte[]>(size), size});
		current_ = chunks_.size() - 1;
		used_ = 0;
	}

	std::size_t chunkSize_;
	std::vector<Chunk> chunks_;
	std::size_t current_ = 0;
	std::size_t used_ = 0;
	std::size_t allocated_ = 0;
};

} // namespace vigil::parser
