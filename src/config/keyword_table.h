#pragma once

#include <initializer_list>
#include <string_view>
#include <unordered_map>
#include <utility>

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
			entries_.emplace(e.keyword, e);
	}

	// Adds a keyword after construction (lists shared between tables).
	void add(std::string_view keyword, Handler handler, const parser::BlockSchema *block = nullptr)
	{
		entries_.emplace(keyword, Entry{keyword, handler, block});
	}

	// Declares which of the table's keywords take a block, and how it is
	// read. Every name must be in the table.
	KeywordTable
	withBlocks(std::initializer_list<std::pair<std::string_view, const parser::BlockSchema *>> blocks) &&
	{
		for (const auto &[keyword, block] : blocks)
			entries_.at(keyword).block = block;
		return std::move(*this);
	}

	bool contains(std::string_view keyword) const { return entries_.contains(keyword); }

	parser::BlockSchema::Entry lookup(std::string_view keyword) const override
	{
		auto it = entries_.find(keyword);
		if (it == entries_.end())
			return {};
		if (it->second.block)
			return {Kind::kBlock, it->second.block};
		return {Kind::kLeaf, nullptr};
	}

	// Applies one statement.
	void apply(Target &target, const parser::Node &node, BuildContext &ctx) const
	{
		auto it = entries_.find(node.keyword);
		if (it == entries_.end()) {
			// Only for trees not built against this table.
			ctx.error(node, "Unknown keyword '{}'", node.keyword);
			return;
		}
		it->second.handler(target, node, ctx);
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
	std::unordered_map<std::string_view, Entry> entries_;
};

} // namespace vigil::config
