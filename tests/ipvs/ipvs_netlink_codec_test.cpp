// The IPVS netlink codec on hand-built messages shaped like the kernel's
// replies (ip_vs_genl_fill_service / _fill_dest on 6.1): the attributes we
// read, the ones we must ignore (stats, connection counts), the bits the
// kernel adds, and malformed input.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <linux/ip_vs.h>
#include <netinet/in.h>
#include <netlink/attr.h>
#include <netlink/errno.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "ipvs/ipvs_netlink_codec.h"
#include "tests/ipvs/libnl_request_builder.h"

namespace vigil::ipvs::codec {
namespace {

constexpr int kFamily = 0x20; // any generic netlink family id
constexpr RequestHeader kHeader{kFamily, NLM_F_REQUEST | NLM_F_ACK, 1, 0};

using Bytes = std::vector<std::uint8_t>;

nlmsghdr *hdr(Bytes &b)
{
	return reinterpret_cast<nlmsghdr *>(b.data());
}

struct MsgFree {
	void operator()(nl_msg *m) const { nlmsg_free(m); }
};
using Msg = std::unique_ptr<nl_msg, MsgFree>;

Msg reply(int cmd)
{
	Msg m(nlmsg_alloc());
	genlmsg_put(m.get(), 0, 1, kFamily, 0, NLM_F_MULTI, static_cast<std::uint8_t>(cmd), IPVS_GENL_VERSION);
	return m;
}

void putAddress(nl_msg *m, int attr, const char *text)
{
	Address a = *Address::parse(text);
	nla_put(m, attr, sizeof a.bytes, a.bytes.data());
}

void putStats(nl_msg *m, int attr)
{
	nlattr *stats = nla_nest_start(m, attr);
	nla_put_u32(m, IPVS_STATS_ATTR_CONNS, 12);
	nla_put_u64(m, IPVS_STATS_ATTR_INBYTES, 1234567);
	nla_nest_end(m, stats);
}

// A service as the kernel dumps it: HASHED set, stats, all 16 address bytes.
Msg kernelService(bool withPe)
{
	Msg m = reply(IPVS_CMD_NEW_SERVICE);
	nlattr *svc = nla_nest_start(m.get(), IPVS_CMD_ATTR_SERVICE);
	nla_put_u16(m.get(), IPVS_SVC_ATTR_AF, AF_INET);
	nla_put_u16(m.get(), IPVS_SVC_ATTR_PROTOCOL, IPPROTO_UDP);
	putAddress(m.get(), IPVS_SVC_ATTR_ADDR, "192.0.2.1");
	nla_put_u16(m.get(), IPVS_SVC_ATTR_PORT, htons(5060));
	nla_put_string(m.get(), IPVS_SVC_ATTR_SCHED_NAME, "wlc");
	if (withPe)
		nla_put_string(m.get(), IPVS_SVC_ATTR_PE_NAME, "sip");
	ip_vs_flags flags{IP_VS_SVC_F_PERSISTENT | IP_VS_SVC_F_HASHED | IP_VS_SVC_F_SCHED2, ~0u};
	nla_put(m.get(), IPVS_SVC_ATTR_FLAGS, sizeof flags, &flags);
	nla_put_u32(m.get(), IPVS_SVC_ATTR_TIMEOUT, 300);
	nla_put_u32(m.get(), IPVS_SVC_ATTR_NETMASK, htonl(0xffffff00));
	putStats(m.get(), IPVS_SVC_ATTR_STATS);
	putStats(m.get(), IPVS_SVC_ATTR_STATS64);
	nla_nest_end(m.get(), svc);
	return m;
}

TEST(IpvsNetlinkCodec, DecodesAKernelService)
{
	auto s = decodeService(nlmsg_hdr(kernelService(true).get()));
	ASSERT_TRUE(s) << s.error();
	EXPECT_EQ(s->key.str(), "-u 192.0.2.1:5060");
	EXPECT_EQ(s->key.family, AF_INET);
	EXPECT_EQ(s->key.address, *Address::parse("192.0.2.1"));
	EXPECT_EQ(s->key.fwmark, 0u);
	EXPECT_EQ(s->scheduler, "wlc");
	EXPECT_EQ(s->flags, static_cast<std::uint32_t>(IP_VS_SVC_F_PERSISTENT | IP_VS_SVC_F_SCHED2)); // not HASHED
	EXPECT_EQ(s->timeout, 300u);
	EXPECT_EQ(s->netmask, htonl(0xffffff00));
	EXPECT_EQ(s->persistenceEngine, "sip");
	EXPECT_EQ(decodeService(nlmsg_hdr(kernelService(false).get()))->persistenceEngine, "");
}

TEST(IpvsNetlinkCodec, DecodesAFwmarkService)
{
	Msg m = reply(IPVS_CMD_NEW_SERVICE);
	nlattr *svc = nla_nest_start(m.get(), IPVS_CMD_ATTR_SERVICE);
	nla_put_u16(m.get(), IPVS_SVC_ATTR_AF, AF_INET6);
	nla_put_u32(m.get(), IPVS_SVC_ATTR_FWMARK, 9);
	nla_put_string(m.get(), IPVS_SVC_ATTR_SCHED_NAME, "rr");
	nla_put_u32(m.get(), IPVS_SVC_ATTR_NETMASK, 128);
	nla_nest_end(m.get(), svc);
	auto s = decodeService(nlmsg_hdr(m.get()));
	ASSERT_TRUE(s);
	EXPECT_EQ(s->key.family, AF_INET6);
	EXPECT_EQ(s->key.fwmark, 9u);
	EXPECT_EQ(s->key.protocol, 0u); // the kernel keeps TCP internally; our key has none
	EXPECT_EQ(s->key.address, Address{});
	EXPECT_EQ(s->netmask, 128u);
}

TEST(IpvsNetlinkCodec, DecodesAKernelDestination)
{
	Msg m = reply(IPVS_CMD_NEW_DEST);
	nlattr *d = nla_nest_start(m.get(), IPVS_CMD_ATTR_DEST);
	putAddress(m.get(), IPVS_DEST_ATTR_ADDR, "2001:db8::10");
	nla_put_u16(m.get(), IPVS_DEST_ATTR_PORT, htons(8080));
	// Connection flags beyond the method are not ours.
	nla_put_u32(m.get(), IPVS_DEST_ATTR_FWD_METHOD, IP_VS_CONN_F_TUNNEL | IP_VS_CONN_F_NOOUTPUT);
	nla_put_u32(m.get(), IPVS_DEST_ATTR_WEIGHT, 5);
	nla_put_u32(m.get(), IPVS_DEST_ATTR_U_THRESH, 100);
	nla_put_u32(m.get(), IPVS_DEST_ATTR_L_THRESH, 50);
	nla_put_u32(m.get(), IPVS_DEST_ATTR_ACTIVE_CONNS, 3);
	nla_put_u32(m.get(), IPVS_DEST_ATTR_INACT_CONNS, 4);
	nla_put_u32(m.get(), IPVS_DEST_ATTR_PERSIST_CONNS, 5);
	putStats(m.get(), IPVS_DEST_ATTR_STATS);
	nla_put_u16(m.get(), IPVS_DEST_ATTR_ADDR_FAMILY, AF_INET6);
	nla_put_u8(m.get(), IPVS_DEST_ATTR_TUN_TYPE, IP_VS_CONN_F_TUNNEL_TYPE_GUE);
	nla_put_u16(m.get(), IPVS_DEST_ATTR_TUN_PORT, htons(6080));
	nla_put_u16(m.get(), IPVS_DEST_ATTR_TUN_FLAGS, IP_VS_TUNNEL_ENCAP_FLAG_REMCSUM);
	nla_nest_end(m.get(), d);
	auto dest = decodeDestination(nlmsg_hdr(m.get()), AF_INET);
	ASSERT_TRUE(dest) << dest.error();
	EXPECT_EQ(dest->key.address, *Address::parse("2001:db8::10")); // its own family wins
	EXPECT_EQ(dest->key.port, 8080);
	EXPECT_EQ(dest->forwarding, Forwarding::kTunnel);
	EXPECT_EQ(dest->weight, 5u);
	EXPECT_EQ(dest->upperThreshold, 100u);
	EXPECT_EQ(dest->lowerThreshold, 50u);
	EXPECT_EQ(dest->tunnelType, IP_VS_CONN_F_TUNNEL_TYPE_GUE);
	EXPECT_EQ(dest->tunnelPort, 6080);
	EXPECT_EQ(dest->tunnelFlags, IP_VS_TUNNEL_ENCAP_FLAG_REMCSUM);
}

TEST(IpvsNetlinkCodec, OldKernelDestinationTakesTheServiceFamily)
{
	Msg m = reply(IPVS_CMD_NEW_DEST);
	nlattr *d = nla_nest_start(m.get(), IPVS_CMD_ATTR_DEST);
	putAddress(m.get(), IPVS_DEST_ATTR_ADDR, "192.0.2.10");
	nla_put_u16(m.get(), IPVS_DEST_ATTR_PORT, htons(80));
	nla_nest_end(m.get(), d);
	auto dest = decodeDestination(nlmsg_hdr(m.get()), AF_INET);
	ASSERT_TRUE(dest);
	EXPECT_EQ(dest->key.address, *Address::parse("192.0.2.10"));
	EXPECT_EQ(dest->forwarding, Forwarding::kMasquerade);
}

TEST(IpvsNetlinkCodec, RejectsMalformedReplies)
{
	// No service nest at all.
	EXPECT_EQ(decodeService(nlmsg_hdr(reply(IPVS_CMD_NEW_SERVICE).get())).error(), EBADMSG);
	// A service without a scheduler or an address.
	Msg m = reply(IPVS_CMD_NEW_SERVICE);
	nlattr *svc = nla_nest_start(m.get(), IPVS_CMD_ATTR_SERVICE);
	nla_put_u16(m.get(), IPVS_SVC_ATTR_AF, AF_INET);
	nla_put_u16(m.get(), IPVS_SVC_ATTR_PROTOCOL, IPPROTO_TCP);
	nla_put_string(m.get(), IPVS_SVC_ATTR_SCHED_NAME, "rr");
	nla_nest_end(m.get(), svc);
	EXPECT_EQ(decodeService(nlmsg_hdr(m.get())).error(), EBADMSG);
	// A weight two bytes long.
	Msg d = reply(IPVS_CMD_NEW_DEST);
	nlattr *nest = nla_nest_start(d.get(), IPVS_CMD_ATTR_DEST);
	putAddress(d.get(), IPVS_DEST_ATTR_ADDR, "192.0.2.10");
	nla_put_u16(d.get(), IPVS_DEST_ATTR_PORT, htons(80));
	nla_put_u16(d.get(), IPVS_DEST_ATTR_WEIGHT, 1);
	nla_nest_end(d.get(), nest);
	EXPECT_EQ(decodeDestination(nlmsg_hdr(d.get()), AF_INET).error(), EBADMSG);
	// A scheduler name without its terminating NUL.
	Msg n = reply(IPVS_CMD_NEW_SERVICE);
	svc = nla_nest_start(n.get(), IPVS_CMD_ATTR_SERVICE);
	nla_put_u16(n.get(), IPVS_SVC_ATTR_AF, AF_INET);
	nla_put_u32(n.get(), IPVS_SVC_ATTR_FWMARK, 1);
	nla_put(n.get(), IPVS_SVC_ATTR_SCHED_NAME, 2, "rr");
	nla_nest_end(n.get(), svc);
	EXPECT_FALSE(decodeService(nlmsg_hdr(n.get())));
}

TEST(IpvsNetlinkCodec, DecodesInfoAndTimeouts)
{
	Msg i = reply(IPVS_CMD_SET_INFO);
	nla_put_u32(i.get(), IPVS_INFO_ATTR_VERSION, 0x010201);
	nla_put_u32(i.get(), IPVS_INFO_ATTR_CONN_TAB_SIZE, 4096);
	auto info = decodeInfo(nlmsg_hdr(i.get()));
	ASSERT_TRUE(info);
	EXPECT_EQ(info->version, 0x010201u);
	EXPECT_EQ(info->connectionTableSize, 4096u);

	Msg t = reply(IPVS_CMD_SET_CONFIG);
	nla_put_u32(t.get(), IPVS_CMD_ATTR_TIMEOUT_TCP, 900);
	nla_put_u32(t.get(), IPVS_CMD_ATTR_TIMEOUT_TCP_FIN, 120);
	nla_put_u32(t.get(), IPVS_CMD_ATTR_TIMEOUT_UDP, 300);
	EXPECT_EQ(*decodeTimeouts(nlmsg_hdr(t.get())), (Timeouts{900, 120, 300}));
	EXPECT_EQ(decodeInfo(nlmsg_hdr(reply(IPVS_CMD_SET_INFO).get())).error(), EBADMSG);
}

// A request we encode parses as the kernel would parse it: the add/edit
// layout is the dump layout, so the decoder reads our own requests back.
TEST(IpvsNetlinkCodec, RequestsRoundTrip)
{
	Operation addSvc{Operation::Kind::kAddService, {}, {}};
	addSvc.service.key.family = AF_INET6;
	addSvc.service.key.protocol = IPPROTO_SCTP;
	addSvc.service.key.address = *Address::parse("2001:db8::1");
	addSvc.service.key.port = 3868;
	addSvc.service.scheduler = "mh";
	addSvc.service.flags = IP_VS_SVC_F_ONEPACKET;
	addSvc.service.timeout = 10;
	addSvc.service.netmask = 64;
	addSvc.service.persistenceEngine = "sip";
	Bytes m;
	ASSERT_EQ(appendOperation(m, kHeader, addSvc), 0);
	EXPECT_EQ(hdr(m)->nlmsg_type, kFamily);
	EXPECT_EQ(static_cast<genlmsghdr *>(nlmsg_data(hdr(m)))->cmd, IPVS_CMD_NEW_SERVICE);
	EXPECT_EQ(*decodeService(hdr(m)), addSvc.service);

	Operation addDest{Operation::Kind::kEditDestination, addSvc.service, {}};
	addDest.destination.key.address = *Address::parse("192.0.2.10");
	addDest.destination.key.port = 3868;
	addDest.destination.forwarding = Forwarding::kTunnel;
	addDest.destination.weight = 7;
	addDest.destination.upperThreshold = 9;
	addDest.destination.lowerThreshold = 8;
	addDest.destination.tunnelType = IP_VS_CONN_F_TUNNEL_TYPE_GRE;
	addDest.destination.tunnelPort = 1;
	addDest.destination.tunnelFlags = IP_VS_TUNNEL_ENCAP_FLAG_CSUM;
	Bytes d;
	ASSERT_EQ(appendOperation(d, kHeader, addDest), 0);
	EXPECT_EQ(static_cast<genlmsghdr *>(nlmsg_data(hdr(d)))->cmd, IPVS_CMD_SET_DEST);
	EXPECT_EQ(*decodeDestination(hdr(d), AF_INET6), addDest.destination);
	// The service goes by its key alone: no scheduler, so not a full service.
	EXPECT_EQ(decodeService(hdr(d)).error(), EBADMSG);
}

TEST(IpvsNetlinkCodec, DeletesCarryKeysOnly)
{
	Operation del{Operation::Kind::kDeleteDestination, {}, {}};
	del.service.key.family = AF_INET;
	del.service.key.fwmark = 4;
	del.destination.key.address = *Address::parse("192.0.2.10");
	Bytes m;
	ASSERT_EQ(appendOperation(m, kHeader, del), 0);
	nlattr *top[IPVS_CMD_ATTR_MAX + 1];
	ASSERT_EQ(genlmsg_parse(hdr(m), 0, top, IPVS_CMD_ATTR_MAX, nullptr), 0);
	nlattr *svc[IPVS_SVC_ATTR_MAX + 1];
	ASSERT_EQ(nla_parse_nested(svc, IPVS_SVC_ATTR_MAX, top[IPVS_CMD_ATTR_SERVICE], nullptr), 0);
	EXPECT_EQ(nla_get_u32(svc[IPVS_SVC_ATTR_FWMARK]), 4u);
	EXPECT_FALSE(svc[IPVS_SVC_ATTR_ADDR]);
	EXPECT_FALSE(svc[IPVS_SVC_ATTR_SCHED_NAME]);
	nlattr *dest[IPVS_DEST_ATTR_MAX + 1];
	ASSERT_EQ(nla_parse_nested(dest, IPVS_DEST_ATTR_MAX, top[IPVS_CMD_ATTR_DEST], nullptr), 0);
	EXPECT_TRUE(dest[IPVS_DEST_ATTR_ADDR]);
	EXPECT_FALSE(dest[IPVS_DEST_ATTR_WEIGHT]);
}

TEST(IpvsNetlinkCodec, TimeoutsSendOnlyWhatChanges)
{
	Bytes m;
	ASSERT_EQ(appendTimeouts(m, kHeader, {0, 30, 0}), 0);
	EXPECT_EQ(*decodeTimeouts(hdr(m)), (Timeouts{0, 30, 0}));
}

// Operations of every kind and shape: both families, fwmark, a persistence
// engine, tunnel fields, names of every length modulo 4.
std::vector<Operation> everyShape()
{
	std::vector<Operation> ops;
	const char *schedulers[] = {"rr", "wlc", "sed", "lblcr", "sh", "x"};
	int n = 0;
	for (int family : {AF_INET, AF_INET6}) {
		for (bool fwmark : {false, true}) {
			for (const char *sched : schedulers) {
				Service s;
				s.key.family = family;
				if (fwmark) {
					s.key.fwmark = static_cast<std::uint32_t>(++n);
				} else {
					s.key.protocol = IPPROTO_TCP;
					s.key.address =
					        *Address::parse(family == AF_INET ? "192.0.2.1" : "2001:db8::1");
					s.key.port = static_cast<std::uint16_t>(80 + ++n);
				}
				s.scheduler = sched;
				s.flags = IP_VS_SVC_F_PERSISTENT | IP_VS_SVC_F_SCHED1;
				s.timeout = 300;
				s.netmask = family == AF_INET ? htonl(0xffffff00) : 64;
				s.persistenceEngine = n % 2 ? "sip" : "";
				Destination d;
				d.key.address = *Address::parse(family == AF_INET ? "198.51.100.7" : "2001:db8::10");
				d.key.port = static_cast<std::uint16_t>(8080 + n);
				d.forwarding = static_cast<Forwarding>(n % 4);
				d.weight = static_cast<std::uint32_t>(n);
				d.upperThreshold = 100;
				d.lowerThreshold = 50;
				d.tunnelType = static_cast<std::uint8_t>(n % 3);
				d.tunnelPort = 6080;
				d.tunnelFlags = IP_VS_TUNNEL_ENCAP_FLAG_CSUM;
				for (auto kind :
				     {Operation::Kind::kAddService, Operation::Kind::kEditService,
				      Operation::Kind::kDeleteService, Operation::Kind::kAddDestination,
				      Operation::Kind::kEditDestination, Operation::Kind::kDeleteDestination})
					ops.push_back({kind, s, d});
			}
		}
	}
	return ops;
}

// The bytes the kernel gets are the bytes libnl built for the same request
// (tests/ipvs/libnl_request_builder.cpp), padding included.
TEST(IpvsNetlinkCodec, RequestsAreLibnlsByteForByte)
{
	RequestHeader h{kFamily, NLM_F_REQUEST | NLM_F_ACK, 1000, 4321};
	Bytes all;
	Bytes expectedAll;
	for (const Operation &op : everyShape()) {
		SCOPED_TRACE(op.str());
		Bytes one;
		ASSERT_EQ(appendOperation(one, h, op), 0);
		const Bytes expected = libnl_reference::operation(h, op);
		ASSERT_FALSE(expected.empty());
		EXPECT_EQ(one, expected);
		// Appended after other requests, as apply() packs them.
		ASSERT_EQ(appendOperation(all, h, op), 0);
		expectedAll.insert(expectedAll.end(), expected.begin(), expected.end());
		++h.seq;
	}
	EXPECT_EQ(all, expectedAll);

	const ServiceKey fwmark{AF_INET6, 0, {}, 0, 7};
	const ServiceKey tcp = everyShape().front().service.key;
	for (const ServiceKey &key : {fwmark, tcp}) {
		Bytes dump;
		ASSERT_EQ(appendDestinationDump(dump, h, key), 0);
		EXPECT_EQ(dump, libnl_reference::destinationDump(h, key));
	}
	for (int cmd : {IPVS_CMD_GET_INFO, IPVS_CMD_GET_CONFIG, IPVS_CMD_FLUSH, IPVS_CMD_GET_SERVICE}) {
		Bytes c;
		ASSERT_EQ(appendCommand(c, h, cmd), 0);
		EXPECT_EQ(c, libnl_reference::command(h, cmd));
	}
	for (const Timeouts &t : {Timeouts{900, 120, 300}, Timeouts{0, 30, 0}, Timeouts{}}) {
		Bytes b;
		ASSERT_EQ(appendTimeouts(b, h, t), 0);
		EXPECT_EQ(b, libnl_reference::timeouts(h, t));
	}
}

TEST(IpvsNetlinkCodec, HeaderFieldsAreTheCallers)
{
	Bytes m;
	ASSERT_EQ(appendCommand(m, {kFamily, NLM_F_REQUEST | NLM_F_DUMP, 77, 9}, IPVS_CMD_GET_SERVICE), 0);
	ASSERT_EQ(m.size(), NLMSG_HDRLEN + GENL_HDRLEN);
	EXPECT_EQ(hdr(m)->nlmsg_len, m.size());
	EXPECT_EQ(hdr(m)->nlmsg_type, kFamily);
	EXPECT_EQ(hdr(m)->nlmsg_flags, NLM_F_REQUEST | NLM_F_DUMP);
	EXPECT_EQ(hdr(m)->nlmsg_seq, 77u);
	EXPECT_EQ(hdr(m)->nlmsg_pid, 9u);
	EXPECT_EQ(static_cast<genlmsghdr *>(nlmsg_data(hdr(m)))->version, IPVS_GENL_VERSION);
}

// A name that cannot be one attribute fails that request alone: the buffer
// keeps what was already in it, unchanged.
TEST(IpvsNetlinkCodec, ATooLongNameLeavesTheBufferAlone)
{
	Operation op = everyShape().front();
	Bytes m;
	ASSERT_EQ(appendOperation(m, kHeader, op), 0);
	const Bytes before = m;
	op.service.scheduler.assign(70000, 'x');
	EXPECT_EQ(appendOperation(m, kHeader, op), EMSGSIZE);
	EXPECT_EQ(m, before);
	// Short enough for an attribute, too long for the nest around it.
	op.service.scheduler.assign(40000, 'x');
	op.service.persistenceEngine.assign(40000, 'y');
	EXPECT_EQ(appendOperation(m, kHeader, op), EMSGSIZE);
	EXPECT_EQ(m, before);
}

TEST(IpvsNetlinkCodec, NleToErrno)
{
	EXPECT_EQ(nleToErrno(0), 0);
	EXPECT_EQ(nleToErrno(-NLE_EXIST), EEXIST);
	EXPECT_EQ(nleToErrno(-NLE_OBJ_NOTFOUND), ENOENT);
	EXPECT_EQ(nleToErrno(-NLE_PERM), EPERM);
	EXPECT_EQ(nleToErrno(-NLE_NOMEM), ENOMEM);
	EXPECT_EQ(nleToErrno(-NLE_MSGSIZE), EMSGSIZE);
	EXPECT_EQ(nleToErrno(-NLE_FAILURE), EIO);
}

} // namespace
} // namespace vigil::ipvs::codec
