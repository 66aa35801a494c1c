// What only the netlink client has: the write counter the daemon logs and
// the pipelining window. Runs in the test VM with the contract cases.

#include <gtest/gtest.h>
#include <netinet/in.h>

#include "ipvs/netlink_ipvs_client.h"

namespace vigil::ipvs {
namespace {

using Kind = Operation::Kind;

std::unique_ptr<NetlinkIpvsClient> openClean()
{
	auto client = NetlinkIpvsClient::open();
	EXPECT_TRUE(client) << "errno " << client.error();
	if (!client)
		return nullptr;
	EXPECT_EQ((*client)->flush(), 0);
	return std::move(*client);
}

Service tcp(std::uint16_t port)
{
	Service s;
	s.key.address = *Address::parse("192.0.2.1");
	s.key.family = AF_INET;
	s.key.protocol = IPPROTO_TCP;
	s.key.port = port;
	s.scheduler = "rr";
	s.netmask = ~0u;
	return s;
}

Destination dest(std::uint8_t last, std::uint32_t weight)
{
	Destination d;
	d.key.address = *Address::parse("198.51.100.0");
	d.key.address.bytes[3] = last;
	d.key.port = 80;
	d.weight = weight;
	return d;
}

TEST(NetlinkIpvsClient, CountsWritesNotReads)
{
	auto client = openClean();
	ASSERT_TRUE(client);
	const std::uint64_t start = client->requestsSent();
	Service s = tcp(80);
	std::vector<Operation> ops{{Kind::kAddService, s, {}}};
	for (std::uint8_t i = 1; i <= 10; ++i)
		ops.push_back({Kind::kAddDestination, s, dest(i, 1)});
	client->apply(ops);
	EXPECT_EQ(client->requestsSent() - start, 11u);
	// Reading costs nothing: dump, info and timeouts are not writes.
	ASSERT_TRUE(client->dump());
	ASSERT_TRUE(client->info());
	ASSERT_TRUE(client->timeouts());
	EXPECT_EQ(client->requestsSent() - start, 11u);
	// One changed weight is one write, even when it fails.
	EXPECT_EQ(client->apply(std::vector<Operation>{{Kind::kEditDestination, s, dest(3, 5)}}), std::vector<int>{0});
	EXPECT_EQ(client->requestsSent() - start, 12u);
	EXPECT_EQ(client->apply(std::vector<Operation>{{Kind::kEditDestination, s, dest(99, 5)}}),
	          std::vector<int>{ENOENT});
	EXPECT_EQ(client->requestsSent() - start, 13u);
	EXPECT_EQ(client->setTimeouts({}), 0); // nothing to set, nothing sent
	EXPECT_EQ(client->requestsSent() - start, 13u);
	EXPECT_EQ(client->flush(), 0);
	EXPECT_EQ(client->requestsSent() - start, 14u);
}

// Many batches (a window of 7) and one request at a time give the same
// per-operation answers as the default window.
TEST(NetlinkIpvsClient, WindowDoesNotChangeResults)
{
	auto client = openClean();
	ASSERT_TRUE(client);
	EXPECT_GE(client->maxInFlight(), 256u) << "the receive buffer was not enlarged";
	std::vector<Operation> ops;
	std::vector<int> want;
	for (std::uint16_t p = 1; p <= 20; ++p) {
		ops.push_back({Kind::kAddService, tcp(p), {}});
		want.push_back(0);
		ops.push_back({Kind::kAddDestination, tcp(p), dest(1, 1)});
		want.push_back(0);
		if (p % 3 == 0) {
			ops.push_back({Kind::kAddDestination, tcp(p), dest(1, 1)});
			want.push_back(EEXIST);
		}
	}
	for (std::size_t window : {std::size_t{7}, std::size_t{1}}) {
		ASSERT_EQ(client->flush(), 0);
		client->setMaxInFlight(window);
		EXPECT_EQ(client->apply(ops), want) << "window " << window;
		EXPECT_EQ(client->dump()->size(), 20u);
	}
}

} // namespace
} // namespace vigil::ipvs
