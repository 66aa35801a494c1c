#pragma once

// rtnetlink messages for links and addresses: requests built with libnl's
// message API, replies parsed into the plain structs of address_client.h.
// Kept apart from the socket so that both halves can be tested on
// hand-built messages.

#include <optional>

#include "netlink/address_client.h"

struct nl_msg;
struct nlmsghdr;

namespace vigil::netlink::codec {

// RTM_GETLINK / RTM_GETADDR dumps (NLM_F_DUMP). `family` is ignored for
// links; 0 dumps the addresses of every family.
nl_msg *linkDumpRequest(int family);
nl_msg *addressDumpRequest(int family);
// RTM_NEWADDR (NLM_F_CREATE | NLM_F_EXCL) or RTM_DELADDR, asking for an
// ACK. nullptr when the address has no family, or a peer or broadcast of
// another family.
nl_msg *addressRequest(int type, const InterfaceAddress &address);

// A RTM_NEWLINK of a dump; nullopt for another message.
std::optional<Link> parseLink(const nlmsghdr *nlh);
// A RTM_NEWADDR of a dump or a notification; nullopt for another message
// or a family other than IPv4 and IPv6.
std::optional<InterfaceAddress> parseAddress(const nlmsghdr *nlh);

} // namespace vigil::netlink::codec
