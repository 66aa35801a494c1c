// Every DropReason: from splitIpv4, decodeAdvertisement and checkAgainst.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <set>
#include <sys/socket.h>

#include "tests/vrrp/packet_bytes.h"
#include "vrrp/vrrp_packet.h"

namespace vigil::vrrp {
namespace {

using config::AuthType;
using testing::bytes;
using testing::ip;
using testing::refreshChecksum;

// keepalived's v2 PASS advertisement (vrrp_packet_test.cpp) as an IPv4
// datagram, and its VRRP message alone.
constexpr const char *kV2PassDatagram = "45c0002c00010000ff70e6e4c0a83301e0000012"
                                        "213396020101f315c0a8330ac0a8330b7365637265743100";

std::vector<std::uint8_t> v2Message()
{
	return bytes("213396020101f315c0a8330ac0a8330b7365637265743100");
}

const PacketMeta kMeta{ip("192.168.51.1"), ip("224.0.0.18"), 255};

DropReason decodeError(std::vector<std::uint8_t> message, const PacketMeta &meta = kMeta, int family = AF_INET,
                       V3Checksum c = V3Checksum::kNoPseudoHeader)
{
	auto d = decodeAdvertisement(message, meta, family, c);
	EXPECT_FALSE(d.has_value());
	return d ? DropReason::kTruncated : d.error();
}

TEST(VrrpPacketDrop, SplitIpv4)
{
	auto good = bytes(kV2PassDatagram);
	ASSERT_TRUE(splitIpv4(good).has_value());

	EXPECT_EQ(splitIpv4(std::span(good).first(19)).error(), DropReason::kTruncated);
	// Total length 44 but 43 bytes.
	EXPECT_EQ(splitIpv4(std::span(good).first(43)).error(), DropReason::kTruncated);
	// IHL 15 (60 bytes), total length 64, 44 bytes received.
	auto d = good;
	d[0] = 0x4f;
	d[3] = 64;
	EXPECT_EQ(splitIpv4(d).error(), DropReason::kTruncated);

	d = good;
	d[0] = 0x4f; // a 60-byte header in a 44-byte datagram
	EXPECT_EQ(splitIpv4(d).error(), DropReason::kBadIpHeader);
	d = good;
	d[0] = 0x65; // IPv6
	EXPECT_EQ(splitIpv4(d).error(), DropReason::kBadIpHeader);
	d[0] = 0x44; // IHL 4
	EXPECT_EQ(splitIpv4(d).error(), DropReason::kBadIpHeader);
	d = good;
	d[3] = 19; // total length inside the header
	EXPECT_EQ(splitIpv4(d).error(), DropReason::kBadIpHeader);
	d = good;
	d[6] = 0x20; // more fragments
	EXPECT_EQ(splitIpv4(d).error(), DropReason::kBadIpHeader);
	d = good;
	d[7] = 0x01; // fragment offset 8
	EXPECT_EQ(splitIpv4(d).error(), DropReason::kBadIpHeader);
	d = good;
	d[6] = 0x40; // DF alone is fine
	EXPECT_TRUE(splitIpv4(d).has_value());

	d = good;
	d[9] = 17; // UDP
	EXPECT_EQ(splitIpv4(d).error(), DropReason::kNotVrrp);
}

TEST(VrrpPacketDrop, Decode)
{
	auto m = v2Message();
	ASSERT_TRUE(decodeAdvertisement(m, kMeta, AF_INET).has_value());

	EXPECT_EQ(decodeError(std::vector<std::uint8_t>(m.begin(), m.begin() + 7)), DropReason::kTruncated);

	auto x = m;
	x[0] = 0x41;
	refreshChecksum(x);
	EXPECT_EQ(decodeError(x), DropReason::kBadVersion);
	x[0] = 0x11;
	refreshChecksum(x);
	EXPECT_EQ(decodeError(x), DropReason::kBadVersion);

	x = m;
	x[0] = 0x22; // type 2
	refreshChecksum(x);
	EXPECT_EQ(decodeError(x), DropReason::kBadType);

	// Not a whole number of addresses, or shorter than header + auth data.
	x = m;
	x.push_back(0);
	refreshChecksum(x);
	EXPECT_EQ(decodeError(x), DropReason::kBadLength);
	x = std::vector<std::uint8_t>(m.begin(), m.begin() + 12);
	refreshChecksum(x);
	EXPECT_EQ(decodeError(x), DropReason::kBadLength);

	// A count of 3 with room for 2, and of 1.
	x = m;
	x[3] = 3;
	refreshChecksum(x);
	EXPECT_EQ(decodeError(x), DropReason::kBadAddressCount);
	x[3] = 1;
	refreshChecksum(x);
	EXPECT_EQ(decodeError(x), DropReason::kBadAddressCount);

	x = m;
	x[2] = 151; // priority changed, checksum not
	EXPECT_EQ(decodeError(x), DropReason::kBadChecksum);

	// Auth type 2 (AH) and 3 (unknown).
	x = m;
	x[4] = 2;
	refreshChecksum(x);
	EXPECT_EQ(decodeError(x), DropReason::kAuthTypeMismatch);
	x[4] = 3;
	refreshChecksum(x);
	EXPECT_EQ(decodeError(x), DropReason::kAuthTypeMismatch);
	// The encoder writes AH's number when asked; the decoder refuses it.
	Advertisement ah;
	ah.auth = AuthType::kAh;
	EXPECT_EQ(decodeError(encodeAdvertisement(ah, kMeta.source, kMeta.destination)), DropReason::kAuthTypeMismatch);
}

TEST(VrrpPacketDrop, DecodeFamily)
{
	auto m = v2Message();
	PacketMeta v6{ip("fe80::1"), ip("ff02::12"), 255};
	// v2 over IPv6, a family other than the socket's, an unknown family.
	EXPECT_EQ(decodeError(m, v6, AF_INET6), DropReason::kWrongFamily);
	EXPECT_EQ(decodeError(m, v6, AF_INET), DropReason::kWrongFamily);
	EXPECT_EQ(decodeError(m, kMeta, AF_INET6), DropReason::kWrongFamily);
	EXPECT_EQ(decodeError(m, kMeta, AF_UNIX), DropReason::kWrongFamily);

	// An IPv4-sized v3 message read as IPv6: not 16-byte addresses.
	Advertisement a;
	a.version = 3;
	a.addresses = {ip("10.0.0.1")};
	auto x = encodeAdvertisement(a, kMeta.source, kMeta.destination);
	EXPECT_EQ(decodeError(x, v6, AF_INET6, V3Checksum::kPseudoHeader), DropReason::kBadLength);
}

Expectation v2Expectation()
{
	Expectation e;
	e.family = AF_INET;
	e.version = 2;
	e.vrid = 51;
	e.auth = AuthType::kPass;
	e.password = "secret1";
	e.intervalCs = 100;
	e.addresses = {ip("192.168.51.11"), ip("192.168.51.10")};
	e.multicast = true;
	return e;
}

Advertisement v2Advert()
{
	return *decodeAdvertisement(v2Message(), kMeta, AF_INET);
}

TEST(VrrpPacketDrop, CheckAgainstAcceptsKeepalivedsPacket)
{
	EXPECT_EQ(checkAgainst(v2Advert(), kMeta, v2Expectation()), std::nullopt);
}

TEST(VrrpPacketDrop, CheckAgainstVridComesFirst)
{
	Advertisement a = v2Advert();
	a.vrid = 52;
	a.version = 3;
	PacketMeta meta = kMeta;
	meta.ttl = 1;
	EXPECT_EQ(checkAgainst(a, meta, v2Expectation()), DropReason::kWrongVrid);
}

TEST(VrrpPacketDrop, CheckAgainstTtl)
{
	PacketMeta meta = kMeta;
	meta.ttl = 254;
	EXPECT_EQ(checkAgainst(v2Advert(), meta, v2Expectation()), DropReason::kBadTtl);
	Expectation unicast = v2Expectation();
	unicast.multicast = false;
	meta.ttl = 64;
	EXPECT_EQ(checkAgainst(v2Advert(), meta, unicast), std::nullopt);
}

TEST(VrrpPacketDrop, CheckAgainstVersionAndFamily)
{
	Expectation e = v2Expectation();
	e.version = 3;
	EXPECT_EQ(checkAgainst(v2Advert(), kMeta, e), DropReason::kBadVersion);

	e = v2Expectation();
	e.family = AF_INET6;
	EXPECT_EQ(checkAgainst(v2Advert(), kMeta, e), DropReason::kWrongFamily);
	Advertisement a = v2Advert();
	a.addresses.push_back(ip("fd00::1"));
	EXPECT_EQ(checkAgainst(a, kMeta, v2Expectation()), DropReason::kWrongFamily);
}

TEST(VrrpPacketDrop, CheckAgainstVersion2Authentication)
{
	Expectation e = v2Expectation();
	e.auth = AuthType::kNone;
	EXPECT_EQ(checkAgainst(v2Advert(), kMeta, e), DropReason::kAuthTypeMismatch);
	e.auth = AuthType::kAh; // configured, never matched
	EXPECT_EQ(checkAgainst(v2Advert(), kMeta, e), DropReason::kAuthTypeMismatch);

	e = v2Expectation();
	e.password = "secret2";
	EXPECT_EQ(checkAgainst(v2Advert(), kMeta, e), DropReason::kBadPassword);
	e.password = "secret";
	EXPECT_EQ(checkAgainst(v2Advert(), kMeta, e), DropReason::kBadPassword);
	// Compared as the 8 zero-padded bytes on the wire.
	e.password = std::string("secret1\0", 8);
	EXPECT_EQ(checkAgainst(v2Advert(), kMeta, e), std::nullopt);
	Advertisement a = v2Advert();
	a.password = "secret12";
	e.password = "secret12-and-more";
	EXPECT_EQ(checkAgainst(a, kMeta, e), std::nullopt);
}

TEST(VrrpPacketDrop, CheckAgainstInterval)
{
	Expectation e = v2Expectation();
	e.intervalCs = 200;
	EXPECT_EQ(checkAgainst(v2Advert(), kMeta, e), DropReason::kIntervalMismatch);
	e.intervalCs = 150; // one second on the wire, as ours would be
	EXPECT_EQ(checkAgainst(v2Advert(), kMeta, e), std::nullopt);

	// v3: the master's interval is adopted, only zero is refused.
	Advertisement a = v2Advert();
	a.version = 3;
	a.auth = AuthType::kNone;
	a.password.clear();
	a.intervalCs = 37;
	e = v2Expectation();
	e.version = 3;
	e.auth = AuthType::kNone;
	e.password.clear();
	EXPECT_EQ(checkAgainst(a, kMeta, e), std::nullopt);
	a.intervalCs = 0;
	EXPECT_EQ(checkAgainst(a, kMeta, e), DropReason::kIntervalMismatch);
}

TEST(VrrpPacketDrop, CheckAgainstAddresses)
{
	Advertisement a = v2Advert();
	a.addresses = {ip("192.168.51.10")};
	EXPECT_EQ(checkAgainst(a, kMeta, v2Expectation()), DropReason::kAddressMismatch);
	a.addresses = {ip("192.168.51.10"), ip("192.168.51.12")};
	EXPECT_EQ(checkAgainst(a, kMeta, v2Expectation()), DropReason::kAddressMismatch);
	// The owner too (keepalived's behaviour, stricter than the RFC).
	a.priority = 255;
	EXPECT_EQ(checkAgainst(a, kMeta, v2Expectation()), DropReason::kAddressMismatch);
	// A master leaving is heard whatever it announces.
	a.priority = 0;
	EXPECT_EQ(checkAgainst(a, kMeta, v2Expectation()), std::nullopt);
	// skip_check_adv_addr.
	a.priority = 100;
	Expectation e = v2Expectation();
	e.checkAddresses = false;
	EXPECT_EQ(checkAgainst(a, kMeta, e), std::nullopt);
	// A set: order and repeats do not matter.
	a.addresses = {ip("192.168.51.10"), ip("192.168.51.11"), ip("192.168.51.10")};
	EXPECT_EQ(checkAgainst(a, kMeta, v2Expectation()), std::nullopt);
}

TEST(VrrpPacketDrop, EveryReasonHasItsOwnText)
{
	std::set<std::string_view> texts;
	for (int r = 0; r <= static_cast<int>(DropReason::kWrongFamily); ++r) {
		std::string_view t = dropReasonText(static_cast<DropReason>(r));
		EXPECT_FALSE(t.empty());
		EXPECT_NE(t, "unknown");
		texts.insert(t);
	}
	EXPECT_EQ(texts.size(), static_cast<std::size_t>(DropReason::kWrongFamily) + 1);
}

} // namespace
} // namespace vigil::vrrp
