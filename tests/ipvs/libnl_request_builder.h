#pragma once

// The IPVS requests built with libnl (a message allocated per request, an
// nla_put per attribute), as the client built them before it wrote them by
// hand: the reference the codec's bytes are compared with, and the
// baseline ipvs_measure times.

#include <cstdint>
#include <vector>

#include "ipvs/ipvs_netlink_codec.h"

namespace vigil::ipvs::libnl_reference {

// The complete request, header fields from `header`, padded to
// NLMSG_ALIGNTO; empty when libnl failed (a name too long for its 512-byte
// message).
std::vector<std::uint8_t> operation(const codec::RequestHeader &header, const Operation &op);
std::vector<std::uint8_t> command(const codec::RequestHeader &header, int cmd);
std::vector<std::uint8_t> destinationDump(const codec::RequestHeader &header, const ServiceKey &key);
std::vector<std::uint8_t> timeouts(const codec::RequestHeader &header, const Timeouts &timeouts);

} // namespace vigil::ipvs::libnl_reference
