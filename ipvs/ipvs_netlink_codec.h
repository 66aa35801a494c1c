#pragma once

// IPVS generic netlink messages <-> the table's value types, as pure
// functions: no socket, no kernel. NetlinkIpvsClient does the I/O; this is
// what it puts in a message and what it reads out of a reply, so it can be
// tested on hand-built messages.

#include <expected>

#include "ipvs/ipvs_client.h"

struct nl_msg;
struct nlmsghdr;

namespace vigil::ipvs::codec {

// The service flags a caller owns; the kernel adds IP_VS_SVC_F_HASHED (and
// may add others) to what it reports.
inline constexpr std::uint32_t kUserServiceFlags = 0x0001 | 0x0004 | 0x0008 | 0x0010 | 0x0020;

// The IPVS command an operation becomes (IPVS_CMD_NEW_SERVICE, ...).
int command(Operation::Kind kind);

// Appends a generic netlink header for `cmd` of `family` and the
// operation's attributes to an empty message. Returns 0 or an errno.
int encodeOperation(nl_msg *msg, int family, const Operation &op);
// A request with no attributes (GET_INFO, GET_CONFIG, FLUSH) or the
// service key only (GET_DEST dump of one service).
int encodeCommand(nl_msg *msg, int family, int cmd);
int encodeDestinationDump(nl_msg *msg, int family, const ServiceKey &key);
// SET_CONFIG with the non-zero timeouts only (zero leaves a value alone).
int encodeTimeouts(nl_msg *msg, int family, const Timeouts &timeouts);

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
