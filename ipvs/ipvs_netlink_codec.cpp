#include "ipvs/ipvs_netlink_codec.h"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <linux/ip_vs.h>
#include <netinet/in.h>
#include <netlink/attr.h>
#include <netlink/errno.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

namespace vigil::ipvs::codec {

namespace {

// libnl returns negative NLE codes from nla_put*; any of them here means the
// message buffer was too small.
int put(int rc)
{
	return rc < 0 ? nleToErrno(rc) : 0;
}

int putHeader(nl_msg *msg, int family, int cmd)
{
	return genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, 0, static_cast<std::uint8_t>(cmd),
	                   IPVS_GENL_VERSION)
	               ? 0
	               : EMSGSIZE;
}

// The attributes naming a service; with `full`, also those the kernel
// requires to add or edit one.
int putService(nl_msg *msg, const Service &s, bool full)
{
	nlattr *nest = nla_nest_start(msg, IPVS_CMD_ATTR_SERVICE);
	if (!nest)
		return EMSGSIZE;
	int rc = put(nla_put_u16(msg, IPVS_SVC_ATTR_AF, static_cast<std::uint16_t>(s.key.family)));
	if (s.key.fwmark) {
		rc = rc ? rc : put(nla_put_u32(msg, IPVS_SVC_ATTR_FWMARK, s.key.fwmark));
	} else {
		rc = rc ? rc : put(nla_put_u16(msg, IPVS_SVC_ATTR_PROTOCOL, s.key.protocol));
		rc = rc ? rc
		        : put(nla_put(msg, IPVS_SVC_ATTR_ADDR, sizeof s.key.address.bytes, s.key.address.bytes.data()));
		rc = rc ? rc : put(nla_put_u16(msg, IPVS_SVC_ATTR_PORT, htons(s.key.port)));
	}
	if (full) {
		// mask ~0: the service gets exactly these flags, on edit too.
		ip_vs_flags flags{s.flags, ~0u};
		rc = rc ? rc : put(nla_put_string(msg, IPVS_SVC_ATTR_SCHED_NAME, s.scheduler.c_str()));
		rc = rc ? rc : put(nla_put(msg, IPVS_SVC_ATTR_FLAGS, sizeof flags, &flags));
		rc = rc ? rc : put(nla_put_u32(msg, IPVS_SVC_ATTR_TIMEOUT, s.timeout));
		rc = rc ? rc : put(nla_put_u32(msg, IPVS_SVC_ATTR_NETMASK, s.netmask));
		// No PE_NAME on an edit removes the engine, as we want.
		if (!s.persistenceEngine.empty())
			rc = rc ? rc : put(nla_put_string(msg, IPVS_SVC_ATTR_PE_NAME, s.persistenceEngine.c_str()));
	}
	nla_nest_end(msg, nest);
	return rc;
}

// Deleting needs the address and port only; the kernel still insists on
// finding the rest of a full entry for add and edit.
int putDestination(nl_msg *msg, const Destination &d, bool full)
{
	nlattr *nest = nla_nest_start(msg, IPVS_CMD_ATTR_DEST);
	if (!nest)
		return EMSGSIZE;
	int rc = put(nla_put(msg, IPVS_DEST_ATTR_ADDR, sizeof d.key.address.bytes, d.key.address.bytes.data()));
	rc = rc ? rc
	        : put(nla_put_u16(msg, IPVS_DEST_ATTR_ADDR_FAMILY, static_cast<std::uint16_t>(d.key.address.family)));
	rc = rc ? rc : put(nla_put_u16(msg, IPVS_DEST_ATTR_PORT, htons(d.key.port)));
	if (full) {
		rc = rc ? rc
		        : put(nla_put_u32(msg, IPVS_DEST_ATTR_FWD_METHOD, static_cast<std::uint32_t>(d.forwarding)));
		rc = rc ? rc : put(nla_put_u32(msg, IPVS_DEST_ATTR_WEIGHT, d.weight));
		rc = rc ? rc : put(nla_put_u32(msg, IPVS_DEST_ATTR_U_THRESH, d.upperThreshold));
		rc = rc ? rc : put(nla_put_u32(msg, IPVS_DEST_ATTR_L_THRESH, d.lowerThreshold));
		rc = rc ? rc : put(nla_put_u8(msg, IPVS_DEST_ATTR_TUN_TYPE, d.tunnelType));
		rc = rc ? rc : put(nla_put_u16(msg, IPVS_DEST_ATTR_TUN_PORT, htons(d.tunnelPort)));
		rc = rc ? rc : put(nla_put_u16(msg, IPVS_DEST_ATTR_TUN_FLAGS, d.tunnelFlags));
	}
	nla_nest_end(msg, nest);
	return rc;
}

template <std::size_t N> struct Policy {
	nla_policy p[N]{};
	constexpr Policy &set(int attr, std::uint16_t type, std::uint16_t minlen = 0)
	{
		p[attr].type = type;
		p[attr].minlen = minlen;
		return *this;
	}
};

const nla_policy *servicePolicy()
{
	static const auto policy = Policy<IPVS_SVC_ATTR_MAX + 1>{}
	                                   .set(IPVS_SVC_ATTR_AF, NLA_U16)
	                                   .set(IPVS_SVC_ATTR_PROTOCOL, NLA_U16)
	                                   .set(IPVS_SVC_ATTR_ADDR, NLA_UNSPEC, 4)
	                                   .set(IPVS_SVC_ATTR_PORT, NLA_U16)
	                                   .set(IPVS_SVC_ATTR_FWMARK, NLA_U32)
	                                   .set(IPVS_SVC_ATTR_SCHED_NAME, NLA_STRING)
	                                   .set(IPVS_SVC_ATTR_FLAGS, NLA_UNSPEC, sizeof(ip_vs_flags))
	                                   .set(IPVS_SVC_ATTR_TIMEOUT, NLA_U32)
	                                   .set(IPVS_SVC_ATTR_NETMASK, NLA_U32)
	                                   .set(IPVS_SVC_ATTR_PE_NAME, NLA_STRING);
	return policy.p;
}

const nla_policy *destinationPolicy()
{
	static const auto policy = Policy<IPVS_DEST_ATTR_MAX + 1>{}
	                                   .set(IPVS_DEST_ATTR_ADDR, NLA_UNSPEC, 4)
	                                   .set(IPVS_DEST_ATTR_PORT, NLA_U16)
	                                   .set(IPVS_DEST_ATTR_FWD_METHOD, NLA_U32)
	                                   .set(IPVS_DEST_ATTR_WEIGHT, NLA_U32)
	                                   .set(IPVS_DEST_ATTR_U_THRESH, NLA_U32)
	                                   .set(IPVS_DEST_ATTR_L_THRESH, NLA_U32)
	                                   .set(IPVS_DEST_ATTR_ADDR_FAMILY, NLA_U16)
	                                   .set(IPVS_DEST_ATTR_TUN_TYPE, NLA_U8)
	                                   .set(IPVS_DEST_ATTR_TUN_PORT, NLA_U16)
	                                   .set(IPVS_DEST_ATTR_TUN_FLAGS, NLA_U16);
	return policy.p;
}

const nla_policy *commandPolicy()
{
	static const auto policy = Policy<IPVS_CMD_ATTR_MAX + 1>{}
	                                   .set(IPVS_CMD_ATTR_SERVICE, NLA_NESTED)
	                                   .set(IPVS_CMD_ATTR_DEST, NLA_NESTED)
	                                   .set(IPVS_CMD_ATTR_TIMEOUT_TCP, NLA_U32)
	                                   .set(IPVS_CMD_ATTR_TIMEOUT_TCP_FIN, NLA_U32)
	                                   .set(IPVS_CMD_ATTR_TIMEOUT_UDP, NLA_U32);
	return policy.p;
}

// The top-level attributes of a reply, by type; false when malformed.
template <std::size_t N> bool parseTop(const nlmsghdr *nlh, nlattr *(&tb)[N], int maxtype, const nla_policy *policy)
{
	auto *h = const_cast<nlmsghdr *>(nlh); // libnl's parsers take non-const but only read
	return genlmsg_parse(h, 0, tb, maxtype, const_cast<nla_policy *>(policy)) == 0;
}

Address readAddress(const nlattr *a, int family)
{
	Address out;
	out.family = family;
	std::size_t len = family == AF_INET ? 4 : 16;
	len = std::min<std::size_t>(len, static_cast<std::size_t>(nla_len(a)));
	std::memcpy(out.bytes.data(), nla_data(a), len);
	return out;
}

} // namespace

int command(Operation::Kind kind)
{
	using Kind = Operation::Kind;
	switch (kind) {
	case Kind::kAddService:
		return IPVS_CMD_NEW_SERVICE;
	case Kind::kEditService:
		return IPVS_CMD_SET_SERVICE;
	case Kind::kDeleteService:
		return IPVS_CMD_DEL_SERVICE;
	case Kind::kAddDestination:
		return IPVS_CMD_NEW_DEST;
	case Kind::kEditDestination:
		return IPVS_CMD_SET_DEST;
	case Kind::kDeleteDestination:
		return IPVS_CMD_DEL_DEST;
	}
	return IPVS_CMD_UNSPEC;
}

int encodeOperation(nl_msg *msg, int family, const Operation &op)
{
	using Kind = Operation::Kind;
	if (int rc = putHeader(msg, family, command(op.kind)))
		return rc;
	switch (op.kind) {
	case Kind::kAddService:
	case Kind::kEditService:
		return putService(msg, op.service, true);
	case Kind::kDeleteService:
		return putService(msg, op.service, false);
	case Kind::kAddDestination:
	case Kind::kEditDestination:
	case Kind::kDeleteDestination:
		break;
	}
	if (int rc = putService(msg, op.service, false))
		return rc;
	return putDestination(msg, op.destination, op.kind != Kind::kDeleteDestination);
}

int encodeCommand(nl_msg *msg, int family, int cmd)
{
	return putHeader(msg, family, cmd);
}

int encodeDestinationDump(nl_msg *msg, int family, const ServiceKey &key)
{
	if (int rc = putHeader(msg, family, IPVS_CMD_GET_DEST))
		return rc;
	Service s;
	s.key = key;
	return putService(msg, s, false);
}

int encodeTimeouts(nl_msg *msg, int family, const Timeouts &t)
{
	int rc = putHeader(msg, family, IPVS_CMD_SET_CONFIG);
	if (t.tcp)
		rc = rc ? rc : put(nla_put_u32(msg, IPVS_CMD_ATTR_TIMEOUT_TCP, t.tcp));
	if (t.tcpFin)
		rc = rc ? rc : put(nla_put_u32(msg, IPVS_CMD_ATTR_TIMEOUT_TCP_FIN, t.tcpFin));
	if (t.udp)
		rc = rc ? rc : put(nla_put_u32(msg, IPVS_CMD_ATTR_TIMEOUT_UDP, t.udp));
	return rc;
}

std::expected<Service, int> decodeService(const nlmsghdr *nlh)
{
	nlattr *top[IPVS_CMD_ATTR_MAX + 1];
	nlattr *a[IPVS_SVC_ATTR_MAX + 1];
	if (!parseTop(nlh, top, IPVS_CMD_ATTR_MAX, commandPolicy()) || !top[IPVS_CMD_ATTR_SERVICE] ||
	    nla_parse_nested(a, IPVS_SVC_ATTR_MAX, top[IPVS_CMD_ATTR_SERVICE],
	                     const_cast<nla_policy *>(servicePolicy())))
		return std::unexpected(EBADMSG);
	if (!a[IPVS_SVC_ATTR_AF] || !a[IPVS_SVC_ATTR_SCHED_NAME])
		return std::unexpected(EBADMSG);
	Service s;
	s.key.family = nla_get_u16(a[IPVS_SVC_ATTR_AF]);
	if (a[IPVS_SVC_ATTR_FWMARK] && nla_get_u32(a[IPVS_SVC_ATTR_FWMARK])) {
		s.key.fwmark = nla_get_u32(a[IPVS_SVC_ATTR_FWMARK]);
	} else {
		if (!a[IPVS_SVC_ATTR_PROTOCOL] || !a[IPVS_SVC_ATTR_ADDR] || !a[IPVS_SVC_ATTR_PORT])
			return std::unexpected(EBADMSG);
		s.key.protocol = nla_get_u16(a[IPVS_SVC_ATTR_PROTOCOL]);
		s.key.address = readAddress(a[IPVS_SVC_ATTR_ADDR], s.key.family);
		s.key.port = ntohs(nla_get_u16(a[IPVS_SVC_ATTR_PORT]));
	}
	s.scheduler = nla_get_string(a[IPVS_SVC_ATTR_SCHED_NAME]);
	if (a[IPVS_SVC_ATTR_FLAGS]) {
		ip_vs_flags flags;
		std::memcpy(&flags, nla_data(a[IPVS_SVC_ATTR_FLAGS]), sizeof flags);
		s.flags = flags.flags & kUserServiceFlags;
	}
	if (a[IPVS_SVC_ATTR_TIMEOUT])
		s.timeout = nla_get_u32(a[IPVS_SVC_ATTR_TIMEOUT]);
	if (a[IPVS_SVC_ATTR_NETMASK])
		s.netmask = nla_get_u32(a[IPVS_SVC_ATTR_NETMASK]);
	if (a[IPVS_SVC_ATTR_PE_NAME])
		s.persistenceEngine = nla_get_string(a[IPVS_SVC_ATTR_PE_NAME]);
	return s;
}

std::expected<Destination, int> decodeDestination(const nlmsghdr *nlh, int serviceFamily)
{
	nlattr *top[IPVS_CMD_ATTR_MAX + 1];
	nlattr *a[IPVS_DEST_ATTR_MAX + 1];
	if (!parseTop(nlh, top, IPVS_CMD_ATTR_MAX, commandPolicy()) || !top[IPVS_CMD_ATTR_DEST] ||
	    nla_parse_nested(a, IPVS_DEST_ATTR_MAX, top[IPVS_CMD_ATTR_DEST],
	                     const_cast<nla_policy *>(destinationPolicy())))
		return std::unexpected(EBADMSG);
	if (!a[IPVS_DEST_ATTR_ADDR] || !a[IPVS_DEST_ATTR_PORT])
		return std::unexpected(EBADMSG);
	Destination d;
	int family = a[IPVS_DEST_ATTR_ADDR_FAMILY] ? nla_get_u16(a[IPVS_DEST_ATTR_ADDR_FAMILY]) : serviceFamily;
	d.key.address = readAddress(a[IPVS_DEST_ATTR_ADDR], family);
	d.key.port = ntohs(nla_get_u16(a[IPVS_DEST_ATTR_PORT]));
	if (a[IPVS_DEST_ATTR_FWD_METHOD])
		d.forwarding =
		        static_cast<Forwarding>(nla_get_u32(a[IPVS_DEST_ATTR_FWD_METHOD]) & IP_VS_CONN_F_FWD_MASK);
	if (a[IPVS_DEST_ATTR_WEIGHT])
		d.weight = nla_get_u32(a[IPVS_DEST_ATTR_WEIGHT]);
	if (a[IPVS_DEST_ATTR_U_THRESH])
		d.upperThreshold = nla_get_u32(a[IPVS_DEST_ATTR_U_THRESH]);
	if (a[IPVS_DEST_ATTR_L_THRESH])
		d.lowerThreshold = nla_get_u32(a[IPVS_DEST_ATTR_L_THRESH]);
	if (a[IPVS_DEST_ATTR_TUN_TYPE])
		d.tunnelType = nla_get_u8(a[IPVS_DEST_ATTR_TUN_TYPE]);
	if (a[IPVS_DEST_ATTR_TUN_PORT])
		d.tunnelPort = ntohs(nla_get_u16(a[IPVS_DEST_ATTR_TUN_PORT]));
	if (a[IPVS_DEST_ATTR_TUN_FLAGS])
		d.tunnelFlags = nla_get_u16(a[IPVS_DEST_ATTR_TUN_FLAGS]);
	return d;
}

std::expected<Info, int> decodeInfo(const nlmsghdr *nlh)
{
	static const auto policy = Policy<IPVS_INFO_ATTR_MAX + 1>{}
	                                   .set(IPVS_INFO_ATTR_VERSION, NLA_U32)
	                                   .set(IPVS_INFO_ATTR_CONN_TAB_SIZE, NLA_U32);
	nlattr *a[IPVS_INFO_ATTR_MAX + 1];
	if (!parseTop(nlh, a, IPVS_INFO_ATTR_MAX, policy.p) || !a[IPVS_INFO_ATTR_VERSION])
		return std::unexpected(EBADMSG);
	Info info;
	info.version = nla_get_u32(a[IPVS_INFO_ATTR_VERSION]);
	if (a[IPVS_INFO_ATTR_CONN_TAB_SIZE])
		info.connectionTableSize = nla_get_u32(a[IPVS_INFO_ATTR_CONN_TAB_SIZE]);
	return info;
}

std::expected<Timeouts, int> decodeTimeouts(const nlmsghdr *nlh)
{
	nlattr *a[IPVS_CMD_ATTR_MAX + 1];
	if (!parseTop(nlh, a, IPVS_CMD_ATTR_MAX, commandPolicy()))
		return std::unexpected(EBADMSG);
	Timeouts t;
	if (a[IPVS_CMD_ATTR_TIMEOUT_TCP])
		t.tcp = nla_get_u32(a[IPVS_CMD_ATTR_TIMEOUT_TCP]);
	if (a[IPVS_CMD_ATTR_TIMEOUT_TCP_FIN])
		t.tcpFin = nla_get_u32(a[IPVS_CMD_ATTR_TIMEOUT_TCP_FIN]);
	if (a[IPVS_CMD_ATTR_TIMEOUT_UDP])
		t.udp = nla_get_u32(a[IPVS_CMD_ATTR_TIMEOUT_UDP]);
	return t;
}

int nleToErrno(int nle)
{
	switch (nle < 0 ? -nle : nle) {
	case NLE_SUCCESS:
		return 0;
	case NLE_INTR:
		return EINTR;
	case NLE_BAD_SOCK:
		return EBADF;
	case NLE_AGAIN:
		return EAGAIN;
	case NLE_NOMEM:
		return ENOMEM;
	case NLE_EXIST:
		return EEXIST;
	case NLE_INVAL:
		return EINVAL;
	case NLE_RANGE:
		return ERANGE;
	case NLE_MSGSIZE:
		return EMSGSIZE;
	case NLE_OPNOTSUPP:
		return EOPNOTSUPP;
	case NLE_AF_NOSUPPORT:
		return EAFNOSUPPORT;
	case NLE_OBJ_NOTFOUND:
		return ENOENT;
	case NLE_NOADDR:
		return EADDRNOTAVAIL;
	case NLE_BUSY:
		return EBUSY;
	case NLE_NOACCESS:
		return EACCES;
	case NLE_PERM:
		return EPERM;
	case NLE_NODEV:
		return ENODEV;
	case NLE_MSG_TRUNC:
	case NLE_MSG_OVERFLOW:
		return ENOBUFS;
	case NLE_PROTO_MISMATCH:
		return EPROTONOSUPPORT;
	case NLE_DUMP_INTR:
		return EINTR;
	default:
		return EIO; // NLE_FAILURE and libnl's own parse errors have no errno
	}
}

} // namespace vigil::ipvs::codec
