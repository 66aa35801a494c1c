#pragma once

// IPVS generic netlink messages <-> the table's value types, as pure
// functions: no socket, no kernel. NetlinkIpvsClient does the I/O; this is
// what it puts in a message and what it reads out of a reply, so it can be
// tested on hand-built messages.

#include <cstdint>
#include <expected>
#include <vector>

#include "ipvs/ipvs_client.h"

struct nlmsghdr;

namespace vigil::ipvs::codec {

// The service flags a caller owns; the kernel adds IP_VS_SVC_F_HASHED (and
// may add others) to what it reports.
inline constexpr std::uint32_t kUserServiceFlags = 0x0001 | 0x0004 | 0x0008 | 0x0010 | 0x0020;

// The IPVS command an operation becomes (IPVS_CMD_NEW_SERVICE, ...).
int command(Operation::Kind kind);

// The netlink header fields of one request; the rest is the codec's.
struct RequestHeader {
	std::uint16_t family = 0; // the generic netlink family id of IPVS
	std::uint16_t flags = 0;  // NLM_F_REQUEST | NLM_F_ACK, NLM_F_DUMP, ...
	std::uint32_t seq = 0;
	std::uint32_t port = 0;
};

// Each appends one complete request (nlmsghdr, genlmsghdr, attributes,
// padded to NLMSG_ALIGNTO) to `out`, written in place: no allocation but
// the buffer's own growth. Returns 0, or EMSGSIZE when a name does not fit
// in an attribute, and then leaves `out` as it was.
int appendOperation(std::vector<std::uint8_t> &out, const RequestHeader &header, const Operation &op);
// A request with no attributes (GET_INFO, GET_CONFIG, FLUSH, GET_SERVICE).
int appendCommand(std::vector<std::uint8_t> &out, const RequestHeader &header, int cmd);
// GET_DEST of one service: the service key only.
int appendDestinationDump(std::vector<std::uint8_t> &out, const RequestHeader &header, const ServiceKey &key);
// SET_CONFIG with the non-zero timeouts only (zero leaves a value alone).
int appendTimeouts(std::vector<std::uint8_t> &out, const RequestHeader &header, const Timeouts &timeouts);

// Replies. Each takes one complete generic netlink message as received.
std::expected<Service, int> decodeService(const nlmsghdr *nlh);
// `serviceFamily` is used when the kernel does not name the address family
// of the destination (kernels before 4.x).
std::expected<Destination, int> decodeDestination(const nlmsghdr *nlh, int serviceFamily);
std::expected<Info, int> decodeInfo(const nlmsghdr *nlh);
std::expected<Timeouts, int> decodeTimeouts(const nlmsghdr *nlh);

// libnl reports failures as negative NLE_* codes; callers here speak errno.
int nleToErrno(int nle);

} // namespace vigil::ipvs::codec
