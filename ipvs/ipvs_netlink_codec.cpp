#include "ipvs/ipvs_netlink_codec.h"

#include <arpa/inet.h>
#include <cerrno>
#include <cstddef>
#include <cstring>
#include <linux/genetlink.h>
#include <linux/ip_vs.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <netlink/attr.h>
#include <netlink/errno.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

namespace vigil::ipvs::codec {

namespace {

// Writes one request in place at the end of a buffer, in the layout libnl
// gives the same request (so the kernel sees what it always saw): an
// attribute's length without its padding, a nest's length with the padding
// of its last attribute, NLA_F_NESTED on nests, zero padding. The buffer
// grows once, by an upper bound of the request's size, and shrinks to what
// was written.
class RequestWriter
{
public:
	RequestWriter(std::vector<std::uint8_t> &out, std::size_t bound)
	        : out_(out), start_(out.size()), at_(start_ + NLMSG_HDRLEN + GENL_HDRLEN)
	{
		out_.resize(at_ + bound); // zero-filled: the padding
	}

	void put(int type, const void *data, std::size_t len)
	{
		const std::size_t total = NLA_HDRLEN + len;
		if (total > UINT16_MAX || at_ + NLA_ALIGN(total) > out_.size()) {
			failed_ = true;
			return;
		}
		const nlattr a{static_cast<std::uint16_t>(total), static_cast<std::uint16_t>(type)};
		std::memcpy(out_.data() + at_, &a, sizeof a);
		if (len)
			std::memcpy(out_.data() + at_ + NLA_HDRLEN, data, len);
		at_ += NLA_ALIGN(total);
	}
	void putU8(int type, std::uint8_t v) { put(type, &v, sizeof v); }
	void putU16(int type, std::uint16_t v) { put(type, &v, sizeof v); }
	void putU32(int type, std::uint32_t v) { put(type, &v, sizeof v); }
	// Up to the first NUL, with one NUL, as nla_put_string.
	void putString(int type, const std::string &s) { put(type, s.c_str(), std::strlen(s.c_str()) + 1); }

	std::size_t beginNest(int type)
	{
		const std::size_t at = at_;
		put(type | NLA_F_NESTED, nullptr, 0);
		return at;
	}
	void endNest(std::size_t at)
	{
		if (failed_)
			return;
		const std::size_t len = at_ - at;
		if (len > UINT16_MAX) {
			failed_ = true;
			return;
		}
		const auto len16 = static_cast<std::uint16_t>(len);
		std::memcpy(out_.data() + at + offsetof(nlattr, nla_len), &len16, sizeof len16);
	}

	// Writes the headers, or takes everything back after a failure.
	int finish(const RequestHeader &h, int cmd)
	{
		if (failed_) {
			out_.resize(start_);
			return EMSGSIZE;
		}
		const nlmsghdr nlh{static_cast<std::uint32_t>(at_ - start_), h.family, h.flags, h.seq, h.port};
		const genlmsghdr genl{static_cast<std::uint8_t>(cmd), IPVS_GENL_VERSION, 0};
		std::memcpy(out_.data() + start_, &nlh, sizeof nlh);
		std::memcpy(out_.data() + start_ + NLMSG_HDRLEN, &genl, sizeof genl);
		out_.resize(at_);
		return 0;
	}

private:
	std::vector<std::uint8_t> &out_;
	std::size_t start_;
	std::size_t at_;
	bool failed_ = false;
};

// Room for every fixed-size attribute of a request with both nests
// (under 200 bytes), plus the names.
constexpr std::size_t kFixedBound = 256;

std::size_t bound(const Service &s)
{
	return kFixedBound + 2 * NLA_ALIGNTO + s.scheduler.size() + s.persistenceEngine.size();
}

// The attributes naming a service; with `full`, also those the kernel
// requires to add or edit one.
void putService(RequestWriter &w, const Service &s, bool full)
{
	const std::size_t nest = w.beginNest(IPVS_CMD_ATTR_SERVICE);
	w.putU16(IPVS_SVC_ATTR_AF, static_cast<std::uint16_t>(s.key.family));
	if (s.key.fwmark) {
		w.putU32(IPVS_SVC_ATTR_FWMARK, s.key.fwmark);
	} else {
		w.putU16(IPVS_SVC_ATTR_PROTOCOL, s.key.protocol);
		w.put(IPVS_SVC_ATTR_ADDR, s.key.address.bytes.data(), sizeof s.key.address.bytes);
		w.putU16(IPVS_SVC_ATTR_PORT, htons(s.key.port));
	}
	if (full) {
		// mask ~0: the service gets exactly these flags, on edit too.
		const ip_vs_flags flags{s.flags, ~0u};
		w.putString(IPVS_SVC_ATTR_SCHED_NAME, s.scheduler);
		w.put(IPVS_SVC_ATTR_FLAGS, &flags, sizeof flags);
		w.putU32(IPVS_SVC_ATTR_TIMEOUT, s.timeout);
		w.putU32(IPVS_SVC_ATTR_NETMASK, s.netmask);
		// No PE_NAME on an edit removes the engine, as we want.
		if (!s.persistenceEngine.empty())
			w.putString(IPVS_SVC_ATTR_PE_NAME, s.persistenceEngine);
	}
	w.endNest(nest);
}

// Deleting needs the address and port only; the kernel still insists on
// finding the rest of a full entry for add and edit.
void putDestination(RequestWriter &w, const Destination &d, bool full)
{
	const std::size_t nest = w.beginNest(IPVS_CMD_ATTR_DEST);
	w.put(IPVS_DEST_ATTR_ADDR, d.key.address.bytes.data(), sizeof d.key.address.bytes);
	w.putU16(IPVS_DEST_ATTR_ADDR_FAMILY, static_cast<std::uint16_t>(d.key.address.family));
	w.putU16(IPVS_DEST_ATTR_PORT, htons(d.key.port));
	if (full) {
		w.putU32(IPVS_DEST_ATTR_FWD_METHOD, static_cast<std::uint32_t>(d.forwarding));
		w.putU32(IPVS_DEST_ATTR_WEIGHT, d.weight);
		w.putU32(IPVS_DEST_ATTR_U_THRESH, d.upperThreshold);
		w.putU32(IPVS_DEST_ATTR_L_THRESH, d.lowerThreshold);
		w.putU8(IPVS_DEST_ATTR_TUN_TYPE, d.tunnelType);
		w.putU16(IPVS_DEST_ATTR_TUN_PORT, htons(d.tunnelPort));
		w.putU16(IPVS_DEST_ATTR_TUN_FLAGS, d.tunnelFlags);
	}
	w.endNest(nest);
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

int appendOperation(std::vector<std::uint8_t> &out, const RequestHeader &header, const Operation &op)
{
	using Kind = Operation::Kind;
	RequestWriter w(out, bound(op.service));
	switch (op.kind) {
	case Kind::kAddService:
	case Kind::kEditService:
		putService(w, op.service, true);
		break;
	case Kind::kDeleteService:
		putService(w, op.service, false);
		break;
	case Kind::kAddDestination:
	case Kind::kEditDestination:
	case Kind::kDeleteDestination:
		putService(w, op.service, false);
		putDestination(w, op.destination, op.kind != Kind::kDeleteDestination);
		break;
	}
	return w.finish(header, command(op.kind));
}

int appendCommand(std::vector<std::uint8_t> &out, const RequestHeader &header, int cmd)
{
	RequestWriter w(out, 0);
	return w.finish(header, cmd);
}

int appendDestinationDump(std::vector<std::uint8_t> &out, const RequestHeader &header, const ServiceKey &key)
{
	RequestWriter w(out, kFixedBound);
	Service s;
	s.key = key;
	putService(w, s, false);
	return w.finish(header, IPVS_CMD_GET_DEST);
}

int appendTimeouts(std::vector<std::uint8_t> &out, const RequestHeader &header, const Timeouts &t)
{
	RequestWriter w(out, kFixedBound);
	if (t.tcp)
		w.putU32(IPVS_CMD_ATTR_TIMEOUT_TCP, t.tcp);
	if (t.tcpFin)
		w.putU32(IPVS_CMD_ATTR_TIMEOUT_TCP_FIN, t.tcpFin);
	if (t.udp)
		w.putU32(IPVS_CMD_ATTR_TIMEOUT_UDP, t.udp);
	return w.finish(header, IPVS_CMD_SET_CONFIG);
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
