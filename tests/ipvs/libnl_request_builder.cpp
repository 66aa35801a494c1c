#include "tests/ipvs/libnl_request_builder.h"

#include <arpa/inet.h>
#include <cerrno>
#include <functional>
#include <linux/ip_vs.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

namespace vigil::ipvs::libnl_reference {

namespace {

// libnl returns negative NLE codes from nla_put*; any of them here means the
// message buffer was too small.
int put(int rc)
{
	return rc < 0 ? codec::nleToErrno(rc) : 0;
}

int putHeader(nl_msg *msg, int family, int cmd)
{
	return genlmsg_put(msg, 0, 0, family, 0, 0, static_cast<std::uint8_t>(cmd), IPVS_GENL_VERSION) ? 0 : EMSGSIZE;
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

// A 512-byte message, as the client allocated; `fill` puts the genetlink
// header and the attributes, then the header fields are set as the client
// set them after nl_complete_msg.
std::vector<std::uint8_t> build(const codec::RequestHeader &h, const std::function<int(nl_msg *)> &fill)
{
	nl_msg *msg = nlmsg_alloc_size(512);
	std::vector<std::uint8_t> out;
	if (msg && fill(msg) == 0) {
		nlmsghdr *nlh = nlmsg_hdr(msg);
		nlh->nlmsg_flags = h.flags;
		nlh->nlmsg_seq = h.seq;
		nlh->nlmsg_pid = h.port;
		const auto *bytes = reinterpret_cast<const std::uint8_t *>(nlh);
		out.assign(bytes, bytes + NLMSG_ALIGN(nlh->nlmsg_len));
	}
	nlmsg_free(msg);
	return out;
}

} // namespace

std::vector<std::uint8_t> operation(const codec::RequestHeader &h, const Operation &op)
{
	return build(h, [&](nl_msg *msg) {
		using Kind = Operation::Kind;
		if (int rc = putHeader(msg, h.family, codec::command(op.kind)))
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
	});
}

std::vector<std::uint8_t> command(const codec::RequestHeader &h, int cmd)
{
	return build(h, [&](nl_msg *msg) { return putHeader(msg, h.family, cmd); });
}

std::vector<std::uint8_t> destinationDump(const codec::RequestHeader &h, const ServiceKey &key)
{
	return build(h, [&](nl_msg *msg) {
		if (int rc = putHeader(msg, h.family, IPVS_CMD_GET_DEST))
			return rc;
		Service s;
		s.key = key;
		return putService(msg, s, false);
	});
}

std::vector<std::uint8_t> timeouts(const codec::RequestHeader &h, const Timeouts &t)
{
	return build(h, [&](nl_msg *msg) {
		int rc = putHeader(msg, h.family, IPVS_CMD_SET_CONFIG);
		if (t.tcp)
			rc = rc ? rc : put(nla_put_u32(msg, IPVS_CMD_ATTR_TIMEOUT_TCP, t.tcp));
		if (t.tcpFin)
			rc = rc ? rc : put(nla_put_u32(msg, IPVS_CMD_ATTR_TIMEOUT_TCP_FIN, t.tcpFin));
		if (t.udp)
			rc = rc ? rc : put(nla_put_u32(msg, IPVS_CMD_ATTR_TIMEOUT_UDP, t.udp));
		return rc;
	});
}

} // namespace vigil::ipvs::libnl_reference
