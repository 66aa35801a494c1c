// What every IpvsClient must do, as the kernel does it. Runs here against
// FakeIpvsClient; the same cases are meant to run against the netlink
// client inside the test VM (tests/vm), so the fake cannot drift from the
// kernel unnoticed.

#include <gtest/gtest.h>
#include <netinet/in.h>

#include "ipvs/fake_ipvs_client.h"

namespace vigil::ipvs {
namespace {

using Kind = Operation::Kind;

Address addr(const char *text)
{
	return *Address::parse(text);
}

Service tcp(const char *address, std::uint16_t port, std::string scheduler = "rr")
{
	Service s;
	s.key.family = addr(address).family;
	s.key.protocol = IPPROTO_TCP;
	s.key.address = addr(address);
	s.key.port = port;
	s.scheduler = std::move(scheduler);
	return s;
}

Service fwmark(std::uint32_t mark)
{
	Service s;
	s.key.family = AF_INET;
	s.key.fwmark = mark;
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
	std::unique_ptr<IpvsClient> client = std::make_unique<FakeIpvsClient>();

	std::vector<int> apply(std::vector<Operation> ops) { return client->apply(ops); }
};

TEST_F(IpvsContract, AddDumpDelete)
{
	Service s = tcp("192.0.2.1", 80);
	EXPECT_EQ(apply({op(Kind::kAddService, s), op(Kind::kAddDestination, s, dest("192.0.2.10", 80, 2)),
	                 op(Kind::kAddDestination, s, dest("192.0.2.11", 80))}),
	          (std::vector<int>{0, 0, 0}));
	auto table = client->dump();
	ASSERT_TRUE(table);
	ASSERT_EQ(table->size(), 1u);
	EXPECT_EQ((*table)[0].service, s);
	ASSERT_EQ((*table)[0].destinations.size(), 2u);
	EXPECT_EQ(apply({op(Kind::kDeleteService, s)}), std::vector<int>{0});
	EXPECT_TRUE(client->dump()->empty());
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
	          }),
	          (std::vector<int>{0, EEXIST, ESRCH, ESRCH, ESRCH, 0, EEXIST, ENOENT, ENOENT, ENOENT}));
}

TEST_F(IpvsContract, EditKeepsIdentity)
{
	Service s = tcp("192.0.2.1", 80);
	apply({op(Kind::kAddService, s), op(Kind::kAddDestination, s, dest("192.0.2.10", 80, 1))});
	Service edited = s;
	edited.scheduler = "wlc";
	edited.flags = 1; // IP_VS_SVC_F_PERSISTENT
	edited.timeout = 50;
	EXPECT_EQ(apply({op(Kind::kEditService, edited), op(Kind::kEditDestination, s, dest("192.0.2.10", 80, 0))}),
	          (std::vector<int>{0, 0}));
	auto table = client->dump();
	EXPECT_EQ((*table)[0].service, edited);
	EXPECT_EQ((*table)[0].destinations[0].weight, 0u); // weight 0: inhibited, still there
}

TEST_F(IpvsContract, FwmarkAndFamilies)
{
	Service f = fwmark(7);
	EXPECT_EQ(apply({op(Kind::kAddService, f), op(Kind::kAddDestination, f, dest("192.0.2.10", 0))}),
	          (std::vector<int>{0, 0}));
	// Only a tunnel crosses families.
	Service v6 = tcp("2001:db8::1", 80);
	EXPECT_EQ(apply({op(Kind::kAddService, v6), op(Kind::kAddDestination, v6, dest("192.0.2.10", 80)),
	                 op(Kind::kAddDestination, v6, dest("192.0.2.10", 80, 1, Forwarding::kTunnel))}),
	          (std::vector<int>{0, EINVAL, 0}));
	EXPECT_EQ(client->dump()->size(), 2u);
}

TEST_F(IpvsContract, ThresholdsAndFlush)
{
	Service s = tcp("192.0.2.1", 80);
	Destination bad = dest("192.0.2.10", 80);
	bad.lowerThreshold = 10;
	bad.upperThreshold = 5;
	EXPECT_EQ(apply({op(Kind::kAddService, s), op(Kind::kAddDestination, s, bad)}), (std::vector<int>{0, ERANGE}));
	EXPECT_EQ(client->flush(), 0);
	EXPECT_TRUE(client->dump()->empty());
}

TEST_F(IpvsContract, Timeouts)
{
	auto before = client->timeouts();
	ASSERT_TRUE(before);
	EXPECT_EQ(client->setTimeouts({0, 0, 60}), 0); // zero leaves a value alone
	auto after = client->timeouts();
	EXPECT_EQ(after->tcp, before->tcp);
	EXPECT_EQ(after->udp, 60u);
}

TEST(FakeIpvsClient, WithoutIpvs)
{
	FakeIpvsClient fake;
	fake.setAvailable(false);
	EXPECT_EQ(fake.info().error(), ENOPROTOOPT);
	EXPECT_EQ(fake.apply(std::vector<Operation>{op(Kind::kAddService, tcp("192.0.2.1", 80))}),
	          std::vector<int>{ENOPROTOOPT});
}

TEST(IpvsTypes, NamesAsIpvsadm)
{
	EXPECT_EQ(tcp("192.0.2.1", 80).key.str(), "-t 192.0.2.1:80");
	EXPECT_EQ(tcp("2001:db8::1", 443).key.str(), "-t [2001:db8::1]:443");
	EXPECT_EQ(fwmark(3).key.str(), "-f 3");
	EXPECT_EQ(op(Kind::kAddDestination, tcp("192.0.2.1", 80), dest("192.0.2.10", 8080)).str(),
	          "add destination 192.0.2.10:8080 to -t 192.0.2.1:80");
	EXPECT_FALSE(Address::parse("192.0.2.300"));
}

} // namespace
} // namespace vigil::ipvs
