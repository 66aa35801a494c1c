#pragma once

#include <string_view>

namespace vigil::parser {

// What the tree builder must know about the keywords of one block, because
// keepalived's reader decides block structure keyword by keyword: a '{'
// after a keyword that takes no block is ignored (and the block's contents
// land in the enclosing block, whose '}' they then close), and a keyword
// that takes a block reads the lines after it as its block even without a
// '{'. The configuration model supplies the schema; the parser knows no
// keywords of its own.
class BlockSchema
{
public:
	enum class Kind { kUnknown, kLeaf, kBlock };
	// The start of a schema's entry: which schema it belongs to, checked
	// before the rest of the entry is used.
	struct Handle {
		const BlockSchema *owner;
	};
	struct Entry {
		Kind kind = Kind::kUnknown;
		const BlockSchema *block = nullptr; // for kBlock
		// Kept in the node for whoever applies it: the schema's entry for
		// the keyword, so that applying needs no second lookup.
		const Handle *handle = nullptr;
	};

	virtual ~BlockSchema() = default;
	virtual Entry lookup(std::string_view keyword) const = 0;
	// Every line of this block is a value, not a keyword
	// (virtual_ipaddress, track_interface...): no lookups, and a '{' is a
	// value too.
	virtual bool valueList() const { return false; }
};

// A block whose lines are values.
const BlockSchema &valueListSchema();
// A block vigil keeps as written: every keyword is known, and any keyword
// followed by '{' opens another such block.
const BlockSchema &opaqueSchema();

} // namespace vigil::parser
