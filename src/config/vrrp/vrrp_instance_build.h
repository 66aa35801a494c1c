#pragma once

// Parse state of one vrrp_instance block, shared by the keyword table and
// the end-of-block checks.

#include <string>

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

// "(VI_1)", the prefix of the instance's messages.
std::string owner(const InstanceBuild &b);

// The family of the instance is fixed by the first of native_ipv6,
// unicast_src_ip/mcast_src_ip, mcast_dst_ip, a unicast peer or a VIP; false
// when `family` does not match it.
bool matchFamily(InstanceBuild &b, int family);

// Handlers of the instance keywords that take more than a value
// (vrrp_instance_blocks.cpp).
void readAddresses(InstanceBuild &b, const parser::Node &n, BuildContext &ctx, bool excluded);
void readSrcIp(InstanceBuild &b, const parser::Node &n, BuildContext &ctx);
void readUnicastPeers(InstanceBuild &b, const parser::Node &n, BuildContext &ctx);
void readAuthentication(InstanceBuild &b, const parser::Node &n, BuildContext &ctx);
void readUseVmac(InstanceBuild &b, const parser::Node &n, BuildContext &ctx);
void readInterface(InstanceBuild &b, const parser::Node &n, BuildContext &ctx);
void readVersion(InstanceBuild &b, const parser::Node &n, BuildContext &ctx);
// What keepalived checks when the block closes (reported at its last line).
void finishInstance(InstanceBuild &b, const parser::Node &node, BuildContext &ctx);

} // namespace vigil::config::vrrp_detail
