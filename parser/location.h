#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace vigil::parser {

// File names are interned once per process so that every node, line and
// diagnostic can carry its origin as a pointer: configs have a handful of
// files and hundreds of thousands of nodes.
const std::string *internFileName(std::string_view name);

struct Location {
	const std::string *file = nullptr;
	std::uint32_t line = 0;
	// Position of the logical line in the whole preprocessed stream (1 up;
	// 0 when not from a line): orders findings as keepalived reads them,
	// across included files.
	std::uint32_t seq = 0;

	bool known() const { return file != nullptr; }
	// "(FILE: Line N)", keepalived's prefix; empty when unknown.
	std::string prefix() const;
};

} // namespace vigil::parser
