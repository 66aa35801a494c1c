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

namespace vigil::ipvs::codec {
namespace {

constexpr int kFamily = 0x20; // any generic netlink family id

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
	Msg m(nlmsg_alloc());
	ASSERT_EQ(encodeOperation(m.get(), kFamily, addSvc), 0);
	EXPECT_EQ(nlmsg_hdr(m.get())->nlmsg_type, kFamily);
	EXPECT_EQ(static_cast<genlmsghdr *>(nlmsg_data(nlmsg_hdr(m.get())))->cmd, IPVS_CMD_NEW_SERVICE);
	EXPECT_EQ(*decodeService(nlmsg_hdr(m.get())), addSvc.service);

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
	Msg d(nlmsg_alloc());
	ASSERT_EQ(encodeOperation(d.get(), kFamily, addDest), 0);
	EXPECT_EQ(static_cast<genlmsghdr *>(nlmsg_data(nlmsg_hdr(d.get())))->cmd, IPVS_CMD_SET_DEST);
	EXPECT_EQ(*decodeDestination(nlmsg_hdr(d.get()), AF_INET6), addDest.destination);
	// The service goes by its key alone: no scheduler, so not a full service.
	EXPECT_EQ(decodeService(nlmsg_hdr(d.get())).error(), EBADMSG);
}

TEST(IpvsNetlinkCodec, DeletesCarryKeysOnly)
{
	Operation del{Operation::Kind::kDeleteDestination, {}, {}};
	del.service.key.family = AF_INET;
	del.service.key.fwmark = 4;
	del.destination.key.address = *Address::parse("192.0.2.10");
	Msg m(nlmsg_alloc());
	ASSERT_EQ(encodeOperation(m.get(), kFamily, del), 0);
	nlattr *top[IPVS_CMD_ATTR_MAX + 1];
	ASSERT_EQ(genlmsg_parse(nlmsg_hdr(m.get()), 0, top, IPVS_CMD_ATTR_MAX, nullptr), 0);
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
	Msg m(nlmsg_alloc());
	ASSERT_EQ(encodeTimeouts(m.get(), kFamily, {0, 30, 0}), 0);
	EXPECT_EQ(*decodeTimeouts(nlmsg_hdr(m.get())), (Timeouts{0, 30, 0}));
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
