#pragma once

// Parse state of one vrrp_instance block, shared by the keyword table and
// the end-of-block checks.

#include "parser/keyword_tree.h"
#include "src/config/build_context.h"
#include "src/config/keyword_table.h"
#include "src/config/vrrp/vrrp.h"

namespace vigil::config::vrrp_detail {

struct InstanceBuild {
	VrrpInstance vi;
	bool unicastTtlSet = false;
};

const KeywordTable<InstanceBuild> &instanceTable();
// What keepalived checks when the block closes (reported at its last line).
void finishInstance(InstanceBuild &b, const parser::Node &node, BuildContext &ctx);

} // namespace vigil::config::vrrp_detail
