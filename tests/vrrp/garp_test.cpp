// Gratuitous ARP and unsolicited NA frames against what keepalived 2.2.7
// sent on becoming master (captured as described in vrrp_packet_test.cpp;
// interface MAC 02:00:00:00:51:01). keepalived sends each frame 5 times
// (garp_master_repeat) and again after garp_master_delay.
#include <gtest/gtest.h>

#include "common/inet_checksum.h"
#include "tests/vrrp/packet_bytes.h"
#include "vrrp/garp.h"

namespace vigil::vrrp {
namespace {

using testing::bytes;
using testing::hex;
using testing::ip;

constexpr MacAddress kMac{0x02, 0x00, 0x00, 0x00, 0x51, 0x01};

TEST(Garp, GratuitousArpMatchesKeepalived)
{
	// Broadcast; ARP request (op 1); sender = target = the VIP; target MAC
	// ff:ff:ff:ff:ff:ff; 42 bytes, no padding.
	const char *captured[][2] = {
	        {"192.168.51.10", "ffffffffffff 020000005101 0806 0001 0800 06 04 0001"
	                          "020000005101 c0a8330a ffffffffffff c0a8330a"},
	        {"192.168.51.11", "ffffffffffff 020000005101 0806 0001 0800 06 04 0001"
	                          "020000005101 c0a8330b ffffffffffff c0a8330b"},
	};
	for (const auto &[vip, frame] : captured) {
		auto out = encodeGratuitousArp(kMac, ip(vip));
		EXPECT_EQ(hex(out), hex(bytes(frame))) << vip;
		EXPECT_EQ(out.size(), kGratuitousArpSize);
	}
}

struct NaCase {
	const char *target;
	bool router;
	const char *frame;
};

TEST(Garp, UnsolicitedNeighbourAdvertMatchesKeepalived)
{
	// From the VIP itself to ff02::1, hop limit 255; flags Override (0x20),
	// and Router too (0xa0) when net.ipv6.conf.va.forwarding was 1.
	const NaCase captured[] = {
	        {"fd00:51::10", false,
	         "333300000001 020000005101 86dd 60000000 0020 3a ff fd000051000000000000000000000010"
	         "ff020000000000000000000000000001 88 00 08db 20000000 fd000051000000000000000000000010"
	         "0201 020000005101"},
	        {"fd00:51::11", false,
	         "333300000001 020000005101 86dd 60000000 0020 3a ff fd000051000000000000000000000011"
	         "ff020000000000000000000000000001 88 00 08d9 20000000 fd000051000000000000000000000011"
	         "0201 020000005101"},
	        {"fd00:51::10", true,
	         "333300000001 020000005101 86dd 60000000 0020 3a ff fd000051000000000000000000000010"
	         "ff020000000000000000000000000001 88 00 88da a0000000 fd000051000000000000000000000010"
	         "0201 020000005101"},
	        {"fd00:51::11", true,
	         "333300000001 020000005101 86dd 60000000 0020 3a ff fd000051000000000000000000000011"
	         "ff020000000000000000000000000001 88 00 88d8 a0000000 fd000051000000000000000000000011"
	         "0201 020000005101"},
	};
	for (const auto &c : captured) {
		auto out = encodeUnsolicitedNeighbourAdvert(kMac, ip(c.target), ip(c.target), c.router);
		EXPECT_EQ(hex(out), hex(bytes(c.frame))) << c.target << (c.router ? " router" : "");
		EXPECT_EQ(out.size(), kUnsolicitedNeighbourAdvertSize);
	}
}

TEST(Garp, NeighbourAdvertChecksumCoversTheSourceAddress)
{
	// A link-local source instead of the VIP: the checksum still verifies
	// over the pseudo-header (sums to zero).
	auto out = encodeUnsolicitedNeighbourAdvert(kMac, ip("2001:db8::1"), ip("fe80::ff:fe00:5101"));
	InternetChecksum sum;
	sum.add(std::span(out).subspan(14 + 8, 32)); // source and destination
	const std::uint8_t tail[] = {0, 0, 0, 32, 0, 0, 0, 58};
	sum.add(tail);
	sum.add(std::span(out).subspan(14 + 40));
	EXPECT_EQ(sum.finish(), 0);
	EXPECT_EQ(hex(out).substr(std::size_t{2} * (14 + 8), 32), "fe80000000000000000000fffe005101");
}

} // namespace
} // namespace vigil::vrrp
