#pragma once

#include <initializer_list>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "parser/keyword_tree.h"
#include "src/config/build_context.h"

namespace vigil::config {

// Maps the keywords of one block to their handlers. A keyword not in the
// table is reported as keepalived reports it ("Unknown keyword 'x'") and,
// with its block if it has one, skipped.
template <class Target> class KeywordTable
{
public:
	using Handler = void (*)(Target &, const parser::Node &, BuildContext &);

	KeywordTable(std::initializer_list<std::pair<std::string_view, Handler>> entries)
	        : handlers_(entries.begin(), entries.end())
	{
	}

	bool contains(std::string_view keyword) const { return handlers_.contains(keyword); }

	// Applies one statement.
	void apply(Target &target, const parser::Node &node, BuildContext &ctx) const
	{
		auto it = handlers_.find(node.keyword);
		if (it == handlers_.end()) {
			ctx.error(node, "Unknown keyword '{}'", node.keyword);
			return;
		}
		it->second(target, node, ctx);
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
	std::unordered_map<std::string_view, Handler> handlers_;
};

} // namespace vigil::config
