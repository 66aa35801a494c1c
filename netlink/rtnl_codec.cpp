#include "netlink/rtnl_codec.h"

#include <cstring>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <sys/socket.h>

namespace vigil::netlink::codec {

namespace {

std::size_t addressBytes(int family)
{
	return family == AF_INET ? 4 : 16;
}

std::optional<config::IpAddress> readAddress(const nlattr *attr, int family)
{
	if (!attr || static_cast<std::size_t>(nla_len(attr)) != addressBytes(family))
		return std::nullopt;
	config::IpAddress a;
	a.family = family;
	std::memcpy(a.bytes.data(), nla_data(attr), addressBytes(family));
	return a;
}

// A string attribute, whether or not the sender NUL-terminated it.
std::string readString(const nlattr *attr)
{
	const auto *text = static_cast<const char *>(nla_data(attr));
	return std::string(text, strnlen(text, static_cast<std::size_t>(nla_len(attr))));
}

nl_msg *withHeader(int type, int flags, const void *header, std::size_t size)
{
	nl_msg *msg = nlmsg_alloc_simple(type, flags);
	if (!msg)
		return nullptr;
	if (nlmsg_append(msg, const_cast<void *>(header), size, NLMSG_ALIGNTO) < 0) {
		nlmsg_free(msg);
		return nullptr;
	}
	return msg;
}

} // namespace

nl_msg *linkDumpRequest(int family)
{
	ifinfomsg ifi{};
	ifi.ifi_family = static_cast<unsigned char>(family);
	return withHeader(RTM_GETLINK, NLM_F_DUMP, &ifi, sizeof ifi);
}

nl_msg *addressDumpRequest(int family)
{
	ifaddrmsg ifa{};
	ifa.ifa_family = static_cast<unsigned char>(family);
	return withHeader(RTM_GETADDR, NLM_F_DUMP, &ifa, sizeof ifa);
}

nl_msg *addressRequest(int type, const InterfaceAddress &address)
{
	const int family = address.family();
	if (family != AF_INET && family != AF_INET6)
		return nullptr;
	// The kernel would read the first 4 bytes of an IPv6 peer as an IPv4
	// one; refused here instead.
	if ((address.peer && address.peer->family != family) ||
	    (address.broadcast && address.broadcast->family != family))
		return nullptr;
	ifaddrmsg ifa{};
	ifa.ifa_family = static_cast<unsigned char>(family);
	ifa.ifa_prefixlen = static_cast<unsigned char>(address.prefix.length);
	ifa.ifa_flags = static_cast<unsigned char>(address.flags & 0xff);
	ifa.ifa_scope = static_cast<unsigned char>(address.scope);
	ifa.ifa_index = address.ifindex;
	int flags = NLM_F_ACK | (type == RTM_NEWADDR ? NLM_F_CREATE | NLM_F_EXCL : 0);
	nl_msg *msg = withHeader(type, flags, &ifa, sizeof ifa);
	if (!msg)
		return nullptr;
	const int len = static_cast<int>(addressBytes(family));
	// IFA_LOCAL is this end; IFA_ADDRESS the remote end of a
	// point-to-point link, or this end again (both families read them so).
	const auto &remote = address.peer ? *address.peer : address.prefix.address;
	int rc = nla_put(msg, IFA_LOCAL, len, address.prefix.address.bytes.data());
	rc = rc ? rc : nla_put(msg, IFA_ADDRESS, len, remote.bytes.data());
	if (type == RTM_NEWADDR) {
		if (address.broadcast)
			rc = rc ? rc : nla_put(msg, IFA_BROADCAST, len, address.broadcast->bytes.data());
		if (!address.label.empty())
			rc = rc ? rc : nla_put_string(msg, IFA_LABEL, address.label.c_str());
		// The 8-bit ifa_flags cannot hold NOPREFIXROUTE and later flags.
		rc = rc ? rc : nla_put_u32(msg, IFA_FLAGS, address.flags);
	}
	if (rc < 0) {
		nlmsg_free(msg);
		return nullptr;
	}
	return msg;
}

std::optional<Link> parseLink(const nlmsghdr *nlh)
{
	if (nlh->nlmsg_type != RTM_NEWLINK || nlh->nlmsg_len < NLMSG_LENGTH(sizeof(ifinfomsg)))
		return std::nullopt;
	const auto *ifi = static_cast<const ifinfomsg *>(NLMSG_DATA(nlh));
	nlattr *tb[IFLA_MAX + 1];
	if (nlmsg_parse(const_cast<nlmsghdr *>(nlh), sizeof(ifinfomsg), tb, IFLA_MAX, nullptr) < 0)
		return std::nullopt;
	Link link;
	link.index = ifi->ifi_index;
	if (tb[IFLA_IFNAME])
		link.name = readString(tb[IFLA_IFNAME]);
	if (tb[IFLA_ADDRESS] && nla_len(tb[IFLA_ADDRESS]) == static_cast<int>(link.mac.size()))
		std::memcpy(link.mac.data(), nla_data(tb[IFLA_ADDRESS]), link.mac.size());
	link.up = ifi->ifi_flags & IFF_UP;
	link.running = ifi->ifi_flags & IFF_RUNNING;
	return link;
}

std::optional<InterfaceAddress> parseAddress(const nlmsghdr *nlh)
{
	if (nlh->nlmsg_type != RTM_NEWADDR || nlh->nlmsg_len < NLMSG_LENGTH(sizeof(ifaddrmsg)))
		return std::nullopt;
	const auto *ifa = static_cast<const ifaddrmsg *>(NLMSG_DATA(nlh));
	const int family = ifa->ifa_family;
	if (family != AF_INET && family != AF_INET6)
		return std::nullopt;
	nlattr *tb[IFA_MAX + 1];
	if (nlmsg_parse(const_cast<nlmsghdr *>(nlh), sizeof(ifaddrmsg), tb, IFA_MAX, nullptr) < 0)
		return std::nullopt;
	auto local = readAddress(tb[IFA_LOCAL], family);
	auto address = readAddress(tb[IFA_ADDRESS], family);
	// IPv6 sends IFA_LOCAL only with a peer; IPv4 always sends both.
	if (!local)
		local = address;
	if (!local)
		return std::nullopt;
	InterfaceAddress a;
	a.ifindex = static_cast<int>(ifa->ifa_index);
	a.prefix = {*local, ifa->ifa_prefixlen};
	if (address && *address != *local)
		a.peer = address;
	a.broadcast = readAddress(tb[IFA_BROADCAST], family);
	a.scope = ifa->ifa_scope;
	if (tb[IFA_LABEL])
		a.label = readString(tb[IFA_LABEL]);
	a.flags = tb[IFA_FLAGS] && nla_len(tb[IFA_FLAGS]) == 4 ? nla_get_u32(tb[IFA_FLAGS]) : ifa->ifa_flags;
	return a;
}

} // namespace vigil::netlink::codec
