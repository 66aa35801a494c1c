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
struct OpaqueBlock {
	parser::Node node;
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
