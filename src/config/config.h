#pragma once

#include <map>
#include <string>
#include <vector>

#include "src/config/global_defs.h"
#include "src/config/lvs/lvs.h"
#include "src/config/vrrp/vrrp.h"

namespace vigil::config {

// A top-level block vigil accepts but does not model (bfd_instance,
// linkbeat_interfaces, garp_group...), kept for the dump.
class OpaqueBlock
{
public:
	// A copy: the tree builder's nodes live only while they are applied.
	explicit OpaqueBlock(const parser::Node &node) { copy_.add(node); }
	const parser::Node &node() const { return copy_[0]; }

private:
	parser::Forest copy_;
};

// The whole validated configuration: plain values, keepalived's defaults
// resolved.
struct Config {
	GlobalDefs global;
	VrrpModel vrrp;
	LvsModel lvs;
	std::vector<OpaqueBlock> opaque;
};

} // namespace vigil::config
