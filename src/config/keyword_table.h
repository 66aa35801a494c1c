#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <deque>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "parser/block_schema.h"
#include "parser/keyword_tree.h"
#include "src/config/build_context.h"

namespace vigil::config {

// Maps the keywords of one block to their handlers, and tells the tree
// builder (as its BlockSchema) which keywords exist and which take a block:
// the one place that knows a block's keywords. Unknown keywords never reach
// a table: the tree builder reports them, as keepalived does, while reading.
template <class Target> class KeywordTable final : public parser::BlockSchema
{
public:
	using Handler = void (*)(Target &, const parser::Node &, BuildContext &);

	struct Entry {
		std::string_view keyword;
		Handler handler;
		// The schema of the keyword's block: another table, or
		// parser::valueListSchema() / parser::opaqueSchema(); null for a
		// keyword that takes no block.
		const parser::BlockSchema *block = nullptr;
	};

	KeywordTable(std::initializer_list<Entry> entries)
	{
		for (const Entry &e : entries)
			insert(e);
	}

	// Adds a keyword after construction (lists shared between tables).
	void add(std::string_view keyword, Handler handler, const parser::BlockSchema *block = nullptr)
	{
		insert(Entry{keyword, handler, block});
	}

	// Declares which of the table's keywords take a block, and how it is
	// read. Every name must be in the table.
	KeywordTable
	withBlocks(std::initializer_list<std::pair<std::string_view, const parser::BlockSchema *>> blocks) &&
	{
		for (const auto &[keyword, block] : blocks) {
			Slot *slot = find(keyword);
			if (!slot)
				throw std::logic_error("withBlocks: no keyword " + std::string(keyword));
			slot->entry.block = block;
		}
		return std::move(*this);
	}

	// A moved table (withBlocks) owns its entries under its new address.
	KeywordTable(KeywordTable &&o) noexcept : entries_(std::move(o.entries_)), slots_(std::move(o.slots_))
	{
		for (Slot &slot : entries_)
			slot.handle.owner = this;
	}
	KeywordTable &operator=(KeywordTable &&) = delete;

	bool contains(std::string_view keyword) const { return find(keyword) != nullptr; }

	parser::BlockSchema::Entry lookup(std::string_view keyword) const override
	{
		const Slot *slot = find(keyword);
		if (!slot)
			return {};
		return {slot->entry.block ? Kind::kBlock : Kind::kLeaf, slot->entry.block, &slot->handle};
	}

	// Applies one statement.
	void apply(Target &target, const parser::Node &node, BuildContext &ctx) const
	{
		// The tree builder looked the keyword up in this table already.
		// handle is the first member of a Slot of the table that owns it.
		const Slot *slot = node.handle && node.handle->owner == this
		                           ? reinterpret_cast<const Slot *>(node.handle)
		                           : find(node.keyword);
		if (!slot) {
			// Only for trees not built against this table.
			ctx.error(node, "Unknown keyword '{}'", node.keyword);
			return;
		}
		slot->entry.handler(target, node, ctx);
	}

	// Applies every statement of a block.
	void applyBlock(Target &target, const parser::Node &block, BuildContext &ctx) const
	{
		for (const parser::Node &child : block.children) {
			if (ctx.stopped())
				return;
			apply(target, child, ctx);
		}
	}

private:
	// Open addressing over a power-of-two slot array: every line of a
	// configuration is looked up here, and keywords are short.
	// The length and the first and last (up to) eight bytes: enough to
	// tell keywords apart, in a few instructions whatever their length.
	static std::size_t hash(std::string_view s)
	{
		if (s.empty())
			return 0;
		std::uint64_t head = 0, tail = 0;
		std::size_t n = std::min<std::size_t>(s.size(), 8);
		std::memcpy(&head, s.data(), n);
		std::memcpy(&tail, s.data() + s.size() - n, n);
		std::uint64_t h = (head * 0x9E3779B97F4A7C15ULL) ^ (tail * 0xC2B2AE3D27D4EB4FULL) ^ s.size();
		return static_cast<std::size_t>(h ^ (h >> 32));
	}

	// An entry with, first, the handle the tree builder keeps in nodes.
	struct Slot {
		parser::BlockSchema::Handle handle;
		Entry entry;
	};
	static_assert(std::is_standard_layout_v<Slot>);

	const Slot *find(std::string_view keyword) const
	{
		if (slots_.empty())
			return nullptr;
		std::size_t mask = slots_.size() - 1;
		for (std::size_t i = hash(keyword) & mask;; i = (i + 1) & mask) {
			const Slot *slot = slots_[i];
			if (!slot)
				return nullptr;
			if (slot->entry.keyword == keyword)
				return slot;
		}
	}
	Slot *find(std::string_view keyword) { return const_cast<Slot *>(std::as_const(*this).find(keyword)); }

	void insert(const Entry &entry)
	{
		if (contains(entry.keyword))
			return; // the first definition wins, as with a map's emplace
		entries_.push_back({{this}, entry});
		if ((entries_.size() + 1) * 2 > slots_.size())
			rehash(std::max<std::size_t>(16, slots_.size() * 2));
		else
			place(&entries_.back());
	}

	void rehash(std::size_t size)
	{
		slots_.assign(size, nullptr);
		for (Slot &slot : entries_)
			place(&slot);
	}

	void place(Slot *slot)
	{
		std::size_t mask = slots_.size() - 1;
		std::size_t i = hash(slot->entry.keyword) & mask;
		while (slots_[i])
			i = (i + 1) & mask;
		slots_[i] = slot;
	}

	// A deque: entries keep their address as the table grows (nodes hold
	// them).
	std::deque<Slot> entries_;
	std::vector<Slot *> slots_;
};

} // namespace vigil::config
