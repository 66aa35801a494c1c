// What only the fake does (no kernel to compare with), and the types' text.

#include <gtest/gtest.h>
#include <netinet/in.h>

#include "ipvs/fake_ipvs_client.h"

namespace vigil::ipvs {
namespace {

using Kind = Operation::Kind;

Service tcpService(const char *address, std::uint16_t port)
{
	Service s;
	s.key.address = *Address::parse(address);
	s.key.family = s.key.address.family;
	s.key.protocol = IPPROTO_TCP;
	s.key.port = port;
	return s;
}

TEST(FakeIpvsClient, WithoutIpvs)
{
	FakeIpvsClient fake;
	fake.setAvailable(false);
	EXPECT_EQ(fake.info().error(), ENOPROTOOPT);
	EXPECT_EQ(fake.apply(std::vector<Operation>{{Kind::kAddService, tcpService("192.0.2.1", 80), {}}}),
	          std::vector<int>{ENOPROTOOPT});
}

TEST(IpvsTypes, NamesAsIpvsadm)
{
	Service mark;
	mark.key.family = AF_INET;
	mark.key.fwmark = 3;
	Destination d;
	d.key.address = *Address::parse("192.0.2.10");
	d.key.port = 8080;
	EXPECT_EQ(tcpService("192.0.2.1", 80).key.str(), "-t 192.0.2.1:80");
	EXPECT_EQ(tcpService("2001:db8::1", 443).key.str(), "-t [2001:db8::1]:443");
	EXPECT_EQ(mark.key.str(), "-f 3");
	EXPECT_EQ((Operation{Kind::kAddDestination, tcpService("192.0.2.1", 80), d}).str(),
	          "add destination 192.0.2.10:8080 to -t 192.0.2.1:80");
	EXPECT_FALSE(Address::parse("192.0.2.300"));
}

} // namespace
} // namespace vigil::ipvs
