// Golden advertisements and round trips. The "keepalived" packets were sent
// by keepalived 2.2.7 (Debian) and captured by tests/vrrp/capture-keepalived.sh:
// keepalived -n -l -P in one network namespace, a veth pair to a second
// one where an AF_PACKET socket recorded every frame. The instance: MASTER,
// interface va (192.168.51.1, fe80::ff:fe00:5101), virtual_router_id 51,
// priority 150, VIPs 192.168.51.10 and .11 (fd00:51::10 and ::11 for IPv6).
// Stored from the IP header on (the Ethernet header dropped).
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "tests/vrrp/packet_bytes.h"
#include "vrrp/vrrp_packet.h"

namespace vigil::vrrp {
namespace {

using config::AuthType;
using testing::bytes;
using testing::hex;
using testing::ip;

struct Golden {
	const char *name;
	const char *datagram; // hex, IPv4 or IPv6 header included
	V3Checksum v3Checksum;
	Advertisement expected;
};

Advertisement adv(int version, std::uint8_t priority, std::uint16_t intervalCs, AuthType auth = AuthType::kNone,
                  std::string password = {}, bool v6 = false)
{
	Advertisement a;
	a.version = version;
	a.vrid = 51;
	a.priority = priority;
	a.intervalCs = intervalCs;
	a.auth = auth;
	a.password = std::move(password);
	if (v6)
		a.addresses = {ip("fd00:51::10"), ip("fd00:51::11")};
	else
		a.addresses = {ip("192.168.51.10"), ip("192.168.51.11")};
	return a;
}

const Golden kGolden[] = {
        // vrrp_version 2 (default), advert_int 1, no authentication.
        {"keepalived v2 none",
         "45c0002c00010000ff70e6e4c0a83301e0000012"
         "21339602 00016162 c0a8330a c0a8330b 0000000000000000",
         V3Checksum::kPseudoHeader, adv(2, 150, 100)},
        // The same on SIGTERM: priority 0.
        {"keepalived v2 none leaving",
         "45c0002c00020000ff70e6e3c0a83301e0000012"
         "21330002 0001f762 c0a8330a c0a8330b 0000000000000000",
         V3Checksum::kPseudoHeader, adv(2, 0, 100)},
        // authentication { auth_type PASS auth_pass secret1 }.
        {"keepalived v2 PASS",
         "45c0002c00010000ff70e6e4c0a83301e0000012"
         "21339602 0101f315 c0a8330a c0a8330b 7365637265743100",
         V3Checksum::kPseudoHeader, adv(2, 150, 100, AuthType::kPass, "secret1")},
        {"keepalived v2 PASS leaving",
         "45c0002c00030000ff70e6e2c0a83301e0000012"
         "21330002 01018916 c0a8330a c0a8330b 7365637265743100",
         V3Checksum::kPseudoHeader, adv(2, 0, 100, AuthType::kPass, "secret1")},
        // vrrp_version 3, advert_int 0.1: IPv4 pseudo-header included.
        {"keepalived v3 IPv4",
         "45c0002400010000ff70e6ecc0a83301e0000012"
         "31339602 000a7d1c c0a8330a c0a8330b",
         V3Checksum::kPseudoHeader, adv(3, 150, 10)},
        {"keepalived v3 IPv4 leaving",
         "45c0002400270000ff70e6c6c0a83301e0000012"
         "31330002 000a131d c0a8330a c0a8330b",
         V3Checksum::kPseudoHeader, adv(3, 0, 10)},
        // vrrp_version 3, advert_int 1, unicast_peer 192.168.51.2 and
        // old_unicast_checksum: the pseudo-header has 224.0.0.18 in place
        // of the real destination.
        {"keepalived v3 IPv4 unicast old_unicast_checksum",
         "45c0002400010000ff70d354c0a83301c0a83302"
         "31339602 00647cc2 c0a8330a c0a8330b",
         V3Checksum::kPseudoHeaderMulticastDst, adv(3, 150, 100)},
        {"keepalived v3 IPv4 unicast old_unicast_checksum leaving",
         "45c0002400030000ff70d352c0a83301c0a83302"
         "31330002 006412c3 c0a8330a c0a8330b",
         V3Checksum::kPseudoHeaderMulticastDst, adv(3, 0, 100)},
        // vrrp_version 3, advert_int 1, IPv6 VIPs: from the link-local
        // address to ff02::12 (traffic class 0xc0, the kernel's flow label).
        {"keepalived v3 IPv6",
         "6c0bb2c5002870fffe80000000000000000000fffe005101ff020000000000000000000000000012"
         "31339602 0064ef71 fd000051000000000000000000000010 fd000051000000000000000000000011",
         V3Checksum::kPseudoHeader, adv(3, 150, 100, AuthType::kNone, {}, true)},
        {"keepalived v3 IPv6 leaving",
         "6c0bb2c5002870fffe80000000000000000000fffe005101ff020000000000000000000000000012"
         "31330002 00648572 fd000051000000000000000000000010 fd000051000000000000000000000011",
         V3Checksum::kPseudoHeader, adv(3, 0, 100, AuthType::kNone, {}, true)},
        // Not from keepalived: the same unicast packet with the checksum
        // over the VRRP message alone, and with the RFC's pseudo-header
        // (computed independently with a few lines of Python).
        {"v3 IPv4 unicast without pseudo-header",
         "45c0002400010000ff70d354c0a83301c0a83302"
         "31339602 006450ff c0a8330a c0a8330b",
         V3Checksum::kNoPseudoHeader, adv(3, 150, 100)},
        {"v3 IPv4 unicast with pseudo-header",
         "45c0002400010000ff70d354c0a83301c0a83302"
         "31339602 0064692a c0a8330a c0a8330b",
         V3Checksum::kPseudoHeader, adv(3, 150, 100)},
};

// The IP layer's view of a datagram: splitIpv4 for IPv4; for IPv6 what a
// raw socket would report beside the payload.
struct Split {
	PacketMeta meta;
	std::vector<std::uint8_t> payload;
	int family;
};

Split split(const std::vector<std::uint8_t> &datagram)
{
	if (datagram[0] >> 4 == 4) {
		auto d = splitIpv4(datagram);
		EXPECT_TRUE(d.has_value());
		return {d->meta, {d->payload.begin(), d->payload.end()}, AF_INET};
	}
	Split s;
	s.family = AF_INET6;
	s.meta.ttl = datagram[7];
	s.meta.source.family = s.meta.destination.family = AF_INET6;
	std::copy_n(datagram.begin() + 8, 16, s.meta.source.bytes.begin());
	std::copy_n(datagram.begin() + 24, 16, s.meta.destination.bytes.begin());
	s.payload.assign(datagram.begin() + 40, datagram.end());
	return s;
}

class GoldenTest : public ::testing::TestWithParam<Golden>
{
};

TEST_P(GoldenTest, DecodesAndReencodesToTheSameBytes)
{
	const Golden &g = GetParam();
	Split s = split(bytes(g.datagram));
	EXPECT_EQ(s.meta.ttl, 255);

	auto decoded = decodeAdvertisement(s.payload, s.meta, s.family, g.v3Checksum);
	ASSERT_TRUE(decoded.has_value()) << dropReasonText(decoded.error());
	EXPECT_EQ(*decoded, g.expected);

	EXPECT_EQ(hex(encodeAdvertisement(*decoded, s.meta.source, s.meta.destination, g.v3Checksum)), hex(s.payload));
}

TEST_P(GoldenTest, OnlyVersion3OverIpv4HasChecksumVariants)
{
	const Golden &g = GetParam();
	Split s = split(bytes(g.datagram));
	for (V3Checksum other :
	     {V3Checksum::kPseudoHeader, V3Checksum::kPseudoHeaderMulticastDst, V3Checksum::kNoPseudoHeader}) {
		bool accepted = other == g.v3Checksum;
		if (g.expected.version == 2 || s.family == AF_INET6)
			accepted = true; // a single checksum whatever the variant
		// To the multicast group the two pseudo-headers coincide.
		if (s.meta.destination == ip("224.0.0.18") && other != V3Checksum::kNoPseudoHeader &&
		    g.v3Checksum != V3Checksum::kNoPseudoHeader)
			accepted = true;
		auto decoded = decodeAdvertisement(s.payload, s.meta, s.family, other);
		EXPECT_EQ(decoded.has_value(), accepted) << static_cast<int>(other);
	}
}

INSTANTIATE_TEST_SUITE_P(VrrpPacket, GoldenTest, ::testing::ValuesIn(kGolden), [](const auto &info) {
	std::string name;
	for (const char *c = info.param.name; *c; ++c)
		name += std::isalnum(static_cast<unsigned char>(*c)) ? *c : '_';
	return name;
});

TEST(VrrpPacket, SplitIpv4ReadsTheHeaderFields)
{
	auto d = splitIpv4(bytes(kGolden[0].datagram));
	ASSERT_TRUE(d.has_value());
	EXPECT_EQ(d->meta.source, ip("192.168.51.1"));
	EXPECT_EQ(d->meta.destination, ip("224.0.0.18"));
	EXPECT_EQ(d->meta.ttl, 255);
	EXPECT_EQ(d->payload.size(), 24u);
}

TEST(VrrpPacket, SplitIpv4SkipsOptionsAndDropsLinkPadding)
{
	// IHL 6 (a 4-byte option, router alert) and 4 bytes of padding after
	// the total length.
	auto datagram = bytes("46c0002800000000ff700000c0a83301e000001294040000"
	                      "31339602000a7d1cc0a8330ac0a8330b"
	                      "00000000");
	auto d = splitIpv4(datagram);
	ASSERT_TRUE(d.has_value());
	EXPECT_EQ(hex({d->payload.begin(), d->payload.end()}), "31339602000a7d1cc0a8330ac0a8330b");
	EXPECT_TRUE(decodeAdvertisement(d->payload, d->meta, AF_INET).has_value());
}

struct RoundTrip {
	const char *name;
	Advertisement adv;
	const char *src;
	const char *dst;
};

std::vector<RoundTrip> roundTrips()
{
	std::vector<RoundTrip> out;
	Advertisement a = adv(2, 255, 25500, AuthType::kPass, "12345678");
	out.push_back({"v2 longest password, longest interval", a, "10.0.0.1", "224.0.0.18"});
	a = adv(2, 1, 100, AuthType::kPass, std::string("a\0b", 3));
	out.push_back({"v2 password with an inner zero", a, "10.0.0.1", "224.0.0.18"});
	a = adv(3, 100, kV3MaxIntervalCs);
	a.addresses.clear();
	out.push_back({"v3 without addresses", a, "10.0.0.1", "10.0.0.2"});
	a = adv(3, 200, 1, AuthType::kNone, {}, true);
	out.push_back({"v3 IPv6 unicast", a, "fe80::1", "fe80::2"});
	a = adv(3, 7, 300);
	a.addresses.clear();
	for (std::uint32_t i = 0; i < 255; ++i)
		a.addresses.push_back(config::IpAddress::v4(0x0a000000 + i));
	out.push_back({"v3 255 addresses", a, "10.0.0.1", "224.0.0.18"});
	return out;
}

TEST(VrrpPacket, RoundTrips)
{
	for (const auto &r : roundTrips()) {
		SCOPED_TRACE(r.name);
		for (V3Checksum c :
		     {V3Checksum::kPseudoHeader, V3Checksum::kPseudoHeaderMulticastDst, V3Checksum::kNoPseudoHeader}) {
			PacketMeta meta{ip(r.src), ip(r.dst), 255};
			auto wire = encodeAdvertisement(r.adv, meta.source, meta.destination, c);
			auto back = decodeAdvertisement(wire, meta, meta.source.family, c);
			ASSERT_TRUE(back.has_value()) << dropReasonText(back.error());
			EXPECT_EQ(*back, r.adv);
		}
	}
}

TEST(VrrpPacket, EncodeKeepsToWhatTheWireCarries)
{
	Advertisement a = adv(2, 100, 150, AuthType::kPass, "secret1-and-more");
	a.addresses.push_back(ip("fd00::1")); // another family: left out
	auto wire = encodeAdvertisement(a, ip("10.0.0.1"), ip("224.0.0.18"));
	// One second, two addresses, the password cut at 8 bytes.
	EXPECT_EQ(hex(wire).substr(0, 12), "213364020101");
	EXPECT_EQ(hex(wire).substr(32), "736563726574312d");

	a.intervalCs = 50; // under a second: still one
	EXPECT_EQ(encodeAdvertisement(a, ip("10.0.0.1"), ip("224.0.0.18"))[5], 1);
	a.intervalCs = 60000; // over 255 s
	EXPECT_EQ(encodeAdvertisement(a, ip("10.0.0.1"), ip("224.0.0.18"))[5], 255);

	// v3: 12 bits of centiseconds; the password is never sent.
	a.version = 3;
	a.intervalCs = 5000;
	wire = encodeAdvertisement(a, ip("10.0.0.1"), ip("224.0.0.18"));
	EXPECT_EQ(hex(wire).substr(8, 4), "0fff");
	EXPECT_EQ(wire.size(), 16u);

	// More than 255 addresses: the first 255.
	a.addresses.clear();
	for (std::uint32_t i = 0; i < 300; ++i)
		a.addresses.push_back(config::IpAddress::v4(0x0a000000 + i));
	wire = encodeAdvertisement(a, ip("10.0.0.1"), ip("224.0.0.18"));
	EXPECT_EQ(wire[3], 255);
	EXPECT_EQ(wire.size(), 8u + 255 * 4);
}

TEST(VrrpPacket, Version2PassDecodesWithoutThePadding)
{
	// auth_pass of 8 characters fills the field with no zero at all.
	Advertisement a = adv(2, 150, 100, AuthType::kPass, "abcdefgh");
	PacketMeta meta{ip("192.168.51.1"), ip("224.0.0.18"), 255};
	auto wire = encodeAdvertisement(a, meta.source, meta.destination);
	EXPECT_EQ(hex(wire).substr(32), "6162636465666768");
	EXPECT_EQ(decodeAdvertisement(wire, meta, AF_INET)->password, "abcdefgh");

	// Auth type none: whatever the auth data hold is ignored.
	a = adv(2, 150, 100);
	wire = encodeAdvertisement(a, meta.source, meta.destination);
	wire.back() = 0x01;
	testing::refreshChecksum(wire);
	auto decoded = decodeAdvertisement(wire, meta, AF_INET);
	ASSERT_TRUE(decoded.has_value()) << dropReasonText(decoded.error());
	EXPECT_EQ(decoded->password, "");
}

TEST(VrrpPacket, Version3IgnoresTheReservedBits)
{
	PacketMeta meta{ip("192.168.51.1"), ip("224.0.0.18"), 255};
	auto wire = encodeAdvertisement(adv(3, 150, 10), meta.source, meta.destination, V3Checksum::kNoPseudoHeader);
	wire[4] |= 0xf0;
	testing::refreshChecksum(wire);
	auto decoded = decodeAdvertisement(wire, meta, AF_INET, V3Checksum::kNoPseudoHeader);
	ASSERT_TRUE(decoded.has_value()) << dropReasonText(decoded.error());
	EXPECT_EQ(decoded->intervalCs, 10);
}

} // namespace
} // namespace vigil::vrrp
