// What every IpvsClient must do, as the kernel does it. The same cases
// run against FakeIpvsClient (unit suite) and against NetlinkIpvsClient on
// Debian's kernel in the test VM (vm suite, ipvs_contract_netlink_test), so
// the fake cannot drift from the kernel unnoticed. Where they disagreed,
// the kernel was taken as right.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <linux/ip_vs.h>
#include <netinet/in.h>

#include "tests/ipvs/client_factory.h"

namespace vigil::ipvs {
namespace {

using Kind = Operation::Kind;
using Results = std::vector<int>;

Address addr(const char *text)
{
	return *Address::parse(text);
}

// A service as ipvsadm adds one: IPv6 persistence granularity defaults to
// a /128 prefix (the kernel refuses 0), IPv4 to the full mask.
Service service(std::uint16_t protocol, const char *address, std::uint16_t port, std::string scheduler = "rr")
{
	Service s;
	s.key.family = addr(address).family;
	s.key.protocol = protocol;
	s.key.address = addr(address);
	s.key.port = port;
	s.scheduler = std::move(scheduler);
	s.netmask = s.key.family == AF_INET6 ? 128 : ~0u;
	return s;
}

Service tcp(const char *address, std::uint16_t port, std::string scheduler = "rr")
{
	return service(IPPROTO_TCP, address, port, std::move(scheduler));
}

Service fwmark(std::uint32_t mark, int family = AF_INET)
{
	Service s;
	s.key.family = family;
	s.key.fwmark = mark;
	s.netmask = family == AF_INET6 ? 128 : ~0u;
	return s;
}

Destination dest(const char *address, std::uint16_t port, std::uint32_t weight = 1, Forwarding f = Forwarding::kDirect)
{
	Destination d;
	d.key.address = addr(address);
	d.key.port = port;
	d.weight = weight;
	d.forwarding = f;
	return d;
}

Operation op(Kind kind, const Service &s, const Destination &d = {})
{
	return Operation{kind, s, d};
}

class IpvsContract : public ::testing::Test
{
protected:
	std::unique_ptr<IpvsClient> client = testing::makeClient();

	Results apply(const std::vector<Operation> &ops) { return client->apply(ops); }

	std::vector<ServiceTable> table()
	{
		auto t = client->dump();
		EXPECT_TRUE(t) << "dump: errno " << t.error();
		return t ? *t : std::vector<ServiceTable>{};
	}

	std::vector<Service> services()
	{
		std::vector<Service> out;
		for (const ServiceTable &t : table())
			out.push_back(t.service);
		return out;
	}

	// Adds `s` with `d`, reads it back and expects to find exactly them.
	void roundTrip(const Service &s, const std::vector<Destination> &ds)
	{
		std::vector<Operation> ops{op(Kind::kAddService, s)};
		for (const Destination &d : ds)
			ops.push_back(op(Kind::kAddDestination, s, d));
		ASSERT_EQ(apply(ops), Results(ops.size(), 0)) << s.key.str();
		for (const ServiceTable &t : table()) {
			if (t.service.key != s.key)
				continue;
			EXPECT_EQ(t.service, s) << s.key.str();
			ASSERT_EQ(t.destinations.size(), ds.size()) << s.key.str();
			for (std::size_t i = 0; i < ds.size(); ++i)
				EXPECT_EQ(t.destinations[i], ds[i]) << s.key.str() << " destination " << i;
			return;
		}
		ADD_FAILURE() << s.key.str() << " not in the dump";
	}
};

TEST_F(IpvsContract, AddDumpDelete)
{
	Service s = tcp("192.0.2.1", 80);
	EXPECT_EQ(apply({op(Kind::kAddService, s), op(Kind::kAddDestination, s, dest("192.0.2.10", 80, 2)),
	                 op(Kind::kAddDestination, s, dest("192.0.2.11", 80))}),
	          (Results{0, 0, 0}));
	auto t = table();
	ASSERT_EQ(t.size(), 1u);
	EXPECT_EQ(t[0].service, s);
	ASSERT_EQ(t[0].destinations.size(), 2u);
	EXPECT_EQ(t[0].destinations[0], dest("192.0.2.10", 80, 2));
	EXPECT_EQ(t[0].destinations[1], dest("192.0.2.11", 80));
	EXPECT_EQ(apply({op(Kind::kDeleteDestination, s, dest("192.0.2.10", 80))}), Results{0});
	EXPECT_EQ(table()[0].destinations.size(), 1u);
	EXPECT_EQ(apply({op(Kind::kDeleteService, s)}), Results{0});
	EXPECT_TRUE(table().empty());
}

TEST_F(IpvsContract, KernelErrors)
{
	Service s = tcp("192.0.2.1", 80);
	Service missing = tcp("192.0.2.2", 80);
	Destination d = dest("192.0.2.10", 80);
	EXPECT_EQ(apply({
	                  op(Kind::kAddService, s), op(Kind::kAddService, s),      // exists
	                  op(Kind::kEditService, missing),                         // no such service
	                  op(Kind::kDeleteService, missing),                       // no such service
	                  op(Kind::kAddDestination, missing, d),                   // no such service
	                  op(Kind::kAddDestination, s, d),                         //
	                  op(Kind::kAddDestination, s, d),                         // exists
	                  op(Kind::kEditDestination, s, dest("192.0.2.99", 80)),   // no such destination
	                  op(Kind::kDeleteDestination, s, dest("192.0.2.99", 80)), // no such destination
	                  op(Kind::kAddService, tcp("192.0.2.3", 80, "nosuch")),   // no such scheduler
	                  op(Kind::kEditService, tcp("192.0.2.1", 80, "nosuch")),  // no such scheduler
	                  op(Kind::kDeleteDestination, missing, d),                // no such service
	          }),
	          (Results{0, EEXIST, ESRCH, ESRCH, ESRCH, 0, EEXIST, ENOENT, ENOENT, ENOENT, ENOENT, ESRCH}));
	// The failed edit left the service as it was.
	EXPECT_EQ(services(), std::vector<Service>{s});
}

TEST_F(IpvsContract, EveryKindOfService)
{
	std::vector<Service> all{
	        tcp("192.0.2.1", 80),
	        service(IPPROTO_UDP, "192.0.2.1", 53),
	        service(IPPROTO_SCTP, "192.0.2.1", 3868),
	        tcp("2001:db8::1", 443),
	        service(IPPROTO_UDP, "2001:db8::1", 53),
	        service(IPPROTO_SCTP, "2001:db8::1", 3868),
	        fwmark(1),
	        fwmark(2, AF_INET6),
	};
	std::vector<Operation> ops;
	for (const Service &s : all)
		ops.push_back(op(Kind::kAddService, s));
	ASSERT_EQ(apply(ops), Results(all.size(), 0));
	std::sort(all.begin(), all.end(), [](const Service &a, const Service &b) { return a.key < b.key; });
	EXPECT_EQ(services(), all);
	// "none": no scheduler at all.
	roundTrip(tcp("192.0.2.9", 80, "none"), {dest("192.0.2.10", 80)});
	// A fwmark is its own identity: the same mark in the other family is
	// another service, the same mark in the same family a duplicate.
	EXPECT_EQ(apply({op(Kind::kAddService, fwmark(1, AF_INET6)), op(Kind::kAddService, fwmark(2, AF_INET6))}),
	          (Results{0, EEXIST}));
}

TEST_F(IpvsContract, SchedulerFlags)
{
	const std::uint32_t flags[] = {
	        IP_VS_SVC_F_ONEPACKET,
	        IP_VS_SVC_F_SCHED1,
	        IP_VS_SVC_F_SCHED2,
	        IP_VS_SVC_F_SCHED3,
	        IP_VS_SVC_F_SCHED_SH_FALLBACK | IP_VS_SVC_F_SCHED_SH_PORT,
	        IP_VS_SVC_F_ONEPACKET | IP_VS_SVC_F_SCHED1 | IP_VS_SVC_F_SCHED2 | IP_VS_SVC_F_SCHED3,
	};
	std::uint16_t port = 1;
	for (std::uint32_t f : flags) {
		Service s = service(IPPROTO_UDP, "192.0.2.1", port++, "sh");
		s.flags = f;
		roundTrip(s, {});
	}
	// An edit sets the flags exactly, clearing the ones not given.
	Service s = service(IPPROTO_UDP, "192.0.2.1", 1, "sh");
	s.flags = IP_VS_SVC_F_SCHED2;
	EXPECT_EQ(apply({op(Kind::kEditService, s)}), Results{0});
	EXPECT_EQ(services()[0], s);
}

TEST_F(IpvsContract, Persistence)
{
	Service v4 = tcp("192.0.2.1", 443);
	v4.flags = IP_VS_SVC_F_PERSISTENT;
	v4.timeout = 300;
	v4.netmask = htonl(0xffffff00); // a /24 shares one real server
	roundTrip(v4, {dest("192.0.2.10", 443)});

	Service v6 = tcp("2001:db8::1", 443);
	v6.flags = IP_VS_SVC_F_PERSISTENT;
	v6.timeout = 600;
	v6.netmask = 64;
	roundTrip(v6, {dest("2001:db8::10", 443)});

	Service sip = service(IPPROTO_UDP, "192.0.2.1", 5060);
	sip.flags = IP_VS_SVC_F_PERSISTENT;
	sip.timeout = 60;
	sip.persistenceEngine = "sip";
	roundTrip(sip, {dest("192.0.2.10", 5060)});

	// Editing without an engine removes it.
	sip.persistenceEngine.clear();
	EXPECT_EQ(apply({op(Kind::kEditService, sip)}), Results{0});
	EXPECT_EQ(services().at(1), sip);

	// The kernel wants an IPv6 prefix length of 1 to 128.
	Service bad = tcp("2001:db8::2", 443);
	bad.netmask = 0;
	Service bad2 = tcp("2001:db8::3", 443);
	bad2.netmask = 129;
	Service badPe = tcp("192.0.2.2", 443);
	badPe.persistenceEngine = "nosuch";
	Service v6Edit = v6;
	v6Edit.netmask = 0;
	Service badPeEdit = sip;
	badPeEdit.persistenceEngine = "nosuch";
	EXPECT_EQ(apply({op(Kind::kAddService, bad), op(Kind::kAddService, bad2), op(Kind::kAddService, badPe),
	                 op(Kind::kEditService, v6Edit), op(Kind::kEditService, badPeEdit)}),
	          (Results{EINVAL, EINVAL, ENOENT, EINVAL, ENOENT}));
}

TEST_F(IpvsContract, ForwardingMethods)
{
	Service s = tcp("192.0.2.1", 80);
	Destination gue = dest("192.0.2.14", 80, 1, Forwarding::kTunnel);
	gue.tunnelType = IP_VS_CONN_F_TUNNEL_TYPE_GUE;
	gue.tunnelPort = 6080;
	gue.tunnelFlags = IP_VS_TUNNEL_ENCAP_FLAG_CSUM;
	Destination gueRemote = dest("192.0.2.15", 80, 1, Forwarding::kTunnel);
	gueRemote.tunnelType = IP_VS_CONN_F_TUNNEL_TYPE_GUE;
	gueRemote.tunnelPort = 6081;
	gueRemote.tunnelFlags = IP_VS_TUNNEL_ENCAP_FLAG_REMCSUM;
	Destination gre = dest("192.0.2.16", 80, 1, Forwarding::kTunnel);
	gre.tunnelType = IP_VS_CONN_F_TUNNEL_TYPE_GRE;
	gre.tunnelFlags = IP_VS_TUNNEL_ENCAP_FLAG_CSUM;
	roundTrip(s, {
	                     dest("192.0.2.10", 8080, 1, Forwarding::kMasquerade),
	                     dest("192.0.2.11", 80, 2, Forwarding::kLocal),
	                     dest("192.0.2.12", 80, 3, Forwarding::kTunnel),
	                     dest("192.0.2.13", 80, 4, Forwarding::kDirect),
	                     gue,
	                     gueRemote,
	                     gre,
	             });
	// GUE needs a port to send to.
	Destination noPort = gue;
	noPort.key = dest("192.0.2.17", 80).key;
	noPort.tunnelPort = 0;
	// A GUE tunnel type without a port is refused whatever the method.
	Destination directGue = noPort;
	directGue.forwarding = Forwarding::kDirect;
	EXPECT_EQ(apply({op(Kind::kAddDestination, s, noPort), op(Kind::kAddDestination, s, directGue),
	                 op(Kind::kEditDestination, s, gue)}),
	          (Results{EINVAL, EINVAL, 0}));
	Destination gueEdit = gue;
	gueEdit.tunnelPort = 0;
	EXPECT_EQ(apply({op(Kind::kEditDestination, s, gueEdit)}), Results{EINVAL});
}

TEST_F(IpvsContract, FwmarkAndFamilies)
{
	Service f = fwmark(7);
	roundTrip(f, {dest("192.0.2.10", 0)});
	// Only a tunnel crosses families.
	Service v6 = tcp("2001:db8::1", 80);
	EXPECT_EQ(apply({op(Kind::kAddService, v6), op(Kind::kAddDestination, v6, dest("192.0.2.10", 80)),
	                 op(Kind::kAddDestination, v6, dest("192.0.2.10", 80, 1, Forwarding::kTunnel)),
	                 op(Kind::kAddDestination, v6, dest("2001:db8::10", 80))}),
	          (Results{0, EINVAL, 0, 0}));
	auto t = table();
	ASSERT_EQ(t.size(), 2u);
	EXPECT_EQ(t[1].destinations.size(), 2u);
}

TEST_F(IpvsContract, Thresholds)
{
	Service s = tcp("192.0.2.1", 80);
	Destination d = dest("192.0.2.10", 80);
	d.upperThreshold = 1000;
	d.lowerThreshold = 800;
	roundTrip(s, {d});
	Destination bad = dest("192.0.2.11", 80);
	bad.lowerThreshold = 10;
	bad.upperThreshold = 5;
	Destination editBad = d;
	editBad.lowerThreshold = 2000;
	Destination heavy = dest("192.0.2.12", 80, 0x80000000u); // negative to the kernel
	EXPECT_EQ(apply({op(Kind::kAddDestination, s, bad), op(Kind::kEditDestination, s, editBad),
	                 op(Kind::kAddDestination, s, heavy)}),
	          (Results{ERANGE, ERANGE, ERANGE}));
	EXPECT_EQ(table()[0].destinations, std::vector<Destination>{d});
}

TEST_F(IpvsContract, EditKeepsIdentity)
{
	Service s = tcp("192.0.2.1", 80);
	apply({op(Kind::kAddService, s), op(Kind::kAddDestination, s, dest("192.0.2.10", 80, 1))});
	Service edited = s;
	edited.scheduler = "wlc";
	edited.flags = IP_VS_SVC_F_PERSISTENT;
	edited.timeout = 50;
	Destination d = dest("192.0.2.10", 80, 0); // weight 0: inhibited, still there
	d.upperThreshold = 7;
	EXPECT_EQ(apply({op(Kind::kEditService, edited), op(Kind::kEditDestination, s, d)}), (Results{0, 0}));
	auto t = table();
	ASSERT_EQ(t.size(), 1u);
	EXPECT_EQ(t[0].service, edited);
	EXPECT_EQ(t[0].destinations, std::vector<Destination>{d});
}

TEST_F(IpvsContract, Flush)
{
	apply({op(Kind::kAddService, tcp("192.0.2.1", 80)), op(Kind::kAddService, fwmark(3)),
	       op(Kind::kAddDestination, fwmark(3), dest("192.0.2.10", 0))});
	EXPECT_EQ(table().size(), 2u);
	EXPECT_EQ(client->flush(), 0);
	EXPECT_TRUE(table().empty());
	EXPECT_EQ(client->flush(), 0); // flushing nothing is fine
}

TEST_F(IpvsContract, Timeouts)
{
	auto before = client->timeouts();
	ASSERT_TRUE(before);
	EXPECT_EQ(*before, (Timeouts{900, 120, 300})); // the kernel's defaults
	EXPECT_EQ(client->setTimeouts({0, 0, 60}), 0); // zero leaves a value alone
	EXPECT_EQ(*client->timeouts(), (Timeouts{900, 120, 60}));
	EXPECT_EQ(client->setTimeouts({7200, 30, 0}), 0);
	EXPECT_EQ(*client->timeouts(), (Timeouts{7200, 30, 60}));
}

TEST_F(IpvsContract, Info)
{
	auto info = client->info();
	ASSERT_TRUE(info);
	EXPECT_EQ(info->version, 0x010201u);
	EXPECT_EQ(info->connectionTableSize, 4096u); // Debian's CONFIG_IP_VS_TAB_BITS=12
}

// 1,000 services of 10 destinations in one call, with a duplicate in the
// middle: only that operation fails, everything around it is done.
TEST_F(IpvsContract, LargeBatch)
{
	constexpr int kServices = 1000;
	constexpr int kDestinations = 10;
	std::vector<Operation> ops;
	for (int i = 0; i < kServices; ++i) {
		Service s = tcp("192.0.2.1", static_cast<std::uint16_t>(1000 + i));
		ops.push_back(op(Kind::kAddService, s));
		for (int j = 0; j < kDestinations; ++j) {
			Destination d =
			        dest("198.51.100.1", static_cast<std::uint16_t>(2000 + j), 1, Forwarding::kMasquerade);
			d.key.address.bytes[3] = static_cast<std::uint8_t>(1 + j);
			ops.push_back(op(Kind::kAddDestination, s, d));
		}
	}
	const std::size_t failing = ops.size() / 2 + 1;
	ASSERT_EQ(ops[failing].kind, Kind::kAddDestination);
	ops.insert(ops.begin() + static_cast<std::ptrdiff_t>(failing), ops[failing - 1]);
	Results want(ops.size(), 0);
	want[failing] = EEXIST;
	EXPECT_EQ(apply(ops), want);
	auto t = table();
	ASSERT_EQ(t.size(), static_cast<std::size_t>(kServices));
	for (const ServiceTable &st : t)
		EXPECT_EQ(st.destinations.size(), static_cast<std::size_t>(kDestinations)) << st.service.key.str();
	// And all of it goes again in one call.
	std::vector<Operation> deletes;
	for (const ServiceTable &st : t)
		deletes.push_back(op(Kind::kDeleteService, st.service));
	EXPECT_EQ(apply(deletes), Results(deletes.size(), 0));
	EXPECT_TRUE(table().empty());
}

// Every request of calls larger than the window fails: each failure comes
// back, none is taken for a success (the netlink client asks an ACK of
// only some requests and counts on the kernel's error messages for the
// rest), and the socket still works afterwards.
TEST_F(IpvsContract, EveryRequestFails)
{
	Service s = tcp("192.0.2.1", 80);
	ASSERT_EQ(apply({op(Kind::kAddService, s)}), Results{0});
	std::vector<Operation> ops(10000, op(Kind::kAddService, s));
	for (std::size_t i = 0; i < ops.size(); i += 2)
		ops[i] = op(Kind::kDeleteDestination, s, dest("198.51.100.1", static_cast<std::uint16_t>(i)));
	Results want(ops.size(), EEXIST);
	for (std::size_t i = 0; i < want.size(); i += 2)
		want[i] = ENOENT;
	EXPECT_EQ(apply(ops), want);
	EXPECT_EQ(apply({op(Kind::kAddDestination, s, dest("198.51.100.1", 80))}), Results{0});
	ASSERT_EQ(table().size(), 1u);
	EXPECT_EQ(table()[0].destinations.size(), 1u);
}

// Leaves a table of every feature behind for the VM guest script, which
// compares `ipvsadm -Sn` with what ipvsadm itself would have written.
TEST_F(IpvsContract, TableForIpvsadm)
{
	Service web = tcp("192.0.2.1", 80, "wlc");
	Service dns = service(IPPROTO_UDP, "2001:db8::1", 53, "sh");
	dns.flags = IP_VS_SVC_F_SCHED_SH_FALLBACK | IP_VS_SVC_F_SCHED_SH_PORT | IP_VS_SVC_F_ONEPACKET;
	Service sticky = tcp("192.0.2.1", 443);
	sticky.flags = IP_VS_SVC_F_PERSISTENT;
	sticky.timeout = 300;
	sticky.netmask = htonl(0xffffff00);
	Service sip = service(IPPROTO_UDP, "192.0.2.1", 5060);
	sip.flags = IP_VS_SVC_F_PERSISTENT;
	sip.timeout = 60;
	sip.persistenceEngine = "sip";
	Service mark = fwmark(5);
	Service sctp = service(IPPROTO_SCTP, "192.0.2.2", 3868, "mh");
	Destination gue = dest("198.51.100.3", 80, 3, Forwarding::kTunnel);
	gue.tunnelType = IP_VS_CONN_F_TUNNEL_TYPE_GUE;
	gue.tunnelPort = 6080;
	gue.tunnelFlags = IP_VS_TUNNEL_ENCAP_FLAG_CSUM;
	Destination limited = dest("198.51.100.4", 80, 4, Forwarding::kMasquerade);
	limited.upperThreshold = 100;
	limited.lowerThreshold = 50;
	EXPECT_EQ(apply({
	                  op(Kind::kAddService, web),
	                  op(Kind::kAddDestination, web, dest("198.51.100.1", 80, 1, Forwarding::kDirect)),
	                  op(Kind::kAddDestination, web, dest("198.51.100.2", 8080, 2, Forwarding::kMasquerade)),
	                  op(Kind::kAddDestination, web, gue),
	                  op(Kind::kAddDestination, web, limited),
	                  op(Kind::kAddService, dns),
	                  op(Kind::kAddDestination, dns, dest("2001:db8::10", 53, 1, Forwarding::kDirect)),
	                  op(Kind::kAddService, sticky),
	                  op(Kind::kAddDestination, sticky, dest("198.51.100.1", 443, 0, Forwarding::kDirect)),
	                  op(Kind::kAddService, sip),
	                  op(Kind::kAddDestination, sip, dest("198.51.100.1", 5060, 1, Forwarding::kTunnel)),
	                  op(Kind::kAddService, mark),
	                  op(Kind::kAddDestination, mark, dest("198.51.100.1", 0, 1, Forwarding::kDirect)),
	                  op(Kind::kAddService, sctp),
	                  op(Kind::kAddDestination, sctp, dest("198.51.100.1", 3868, 1, Forwarding::kDirect)),
	          }),
	          Results(15, 0));
}

} // namespace
} // namespace vigil::ipvs
