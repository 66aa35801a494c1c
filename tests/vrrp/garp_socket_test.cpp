// GarpSocket against the kernel: needs root (CAP_NET_ADMIN and CAP_NET_RAW)
// and moves this test process into a network namespace of its own, where
// only loopback exists, so that nothing leaves the machine.
#include <arpa/inet.h>
#include <cstring>
#include <gtest/gtest.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tests/vrrp/packet_bytes.h"
#include "vrrp/garp.h"

namespace vigil::vrrp {
namespace {

class GarpSocketTest : public ::testing::Test
{
protected:
	void SetUp() override
	{
		// The netns suite runs as root: a test that cannot run fails.
		ASSERT_EQ(::geteuid(), 0u) << "needs root (the netns suite)";
		static bool isolated = ::unshare(CLONE_NEWNET) == 0;
		ASSERT_TRUE(isolated) << "cannot create a network namespace";
		int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		ASSERT_GE(fd, 0);
		ifreq ifr{};
		std::strcpy(ifr.ifr_name, "lo");
		ASSERT_EQ(::ioctl(fd, SIOCGIFFLAGS, &ifr), 0);
		ifr.ifr_flags = static_cast<short>(ifr.ifr_flags | IFF_UP);
		ASSERT_EQ(::ioctl(fd, SIOCSIFFLAGS, &ifr), 0);
		::close(fd);
		ifindex_ = static_cast<int>(::if_nametoindex("lo"));
		ASSERT_GT(ifindex_, 0);
	}

	int ifindex_ = 0;
};

TEST_F(GarpSocketTest, SendsTheFrameAsGiven)
{
	// A listener on loopback sees every frame sent there.
	int listener = ::socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
	ASSERT_GE(listener, 0);
	sockaddr_ll addr{};
	addr.sll_family = AF_PACKET;
	addr.sll_protocol = htons(ETH_P_ALL);
	addr.sll_ifindex = ifindex_;
	ASSERT_EQ(::bind(listener, reinterpret_cast<const sockaddr *>(&addr), sizeof(addr)), 0);
	timeval timeout{2, 0};
	ASSERT_EQ(::setsockopt(listener, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout)), 0);

	auto socket = GarpSocket::open(ifindex_);
	ASSERT_TRUE(socket.has_value()) << socket.error();
	const MacAddress mac{0x02, 0x00, 0x00, 0x00, 0x51, 0x01};
	auto arp = encodeGratuitousArp(mac, testing::ip("192.168.51.10"));
	auto na = encodeUnsolicitedNeighbourAdvert(mac, testing::ip("fd00:51::10"), testing::ip("fd00:51::10"));
	auto sent = socket->send(arp);
	ASSERT_TRUE(sent.has_value()) << sent.error();
	sent = socket->send(na);
	ASSERT_TRUE(sent.has_value()) << sent.error();

	// Loopback shows each frame twice: going out, then coming back in.
	std::vector<std::vector<std::uint8_t>> seen;
	std::uint8_t buffer[2048];
	while (seen.size() < 2) {
		sockaddr_ll from{};
		socklen_t fromSize = sizeof(from);
		ssize_t n =
		        ::recvfrom(listener, buffer, sizeof(buffer), 0, reinterpret_cast<sockaddr *>(&from), &fromSize);
		if (n <= 0)
			break;
		if (from.sll_pkttype != PACKET_OUTGOING)
			seen.emplace_back(buffer, buffer + n);
	}
	::close(listener);
	ASSERT_EQ(seen.size(), 2u);
	EXPECT_EQ(testing::hex(seen[0]), testing::hex(arp));
	EXPECT_EQ(testing::hex(seen[1]), testing::hex(na));

	EXPECT_FALSE(socket->send(std::vector<std::uint8_t>(10)).has_value());
}

TEST_F(GarpSocketTest, OpenOnAMissingInterfaceFails)
{
	auto socket = GarpSocket::open(999'999);
	ASSERT_FALSE(socket.has_value());
	EXPECT_NE(socket.error().find("999999"), std::string::npos) << socket.error();
}

} // namespace
} // namespace vigil::vrrp
