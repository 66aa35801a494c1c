// The half-open check's segments: the SYN byte for byte against vectors
// computed independently (Python, RFC 9293's checksum), the answers a
// raw socket hands over, and which of them answer our SYN.

#include <gtest/gtest.h>
#include <vector>

#include "checkers/tcp_segment.h"

namespace vigil::checkers {
namespace {

const std::array<std::uint8_t, 4> kV4Source{192, 0, 2, 1};
const std::array<std::uint8_t, 4> kV4Server{192, 0, 2, 10};

std::array<std::uint8_t, 16> v6(std::uint8_t last)
{
	std::array<std::uint8_t, 16> a{0x20, 0x01, 0x0d, 0xb8};
	a[15] = last;
	return a;
}

TEST(TcpSegment, SynMatchesAnIndependentlyComputedVector)
{
	const std::vector<std::uint8_t> want{0x9c, 0x40, 0x18, 0xeb, 0x01, 0x02, 0x03, 0x04, 0x00, 0x00, 0x00, 0x00,
	                                     0x60, 0x02, 0xff, 0xff, 0x5a, 0xe9, 0x00, 0x00, 0x02, 0x04, 0x05, 0xb4};
	auto syn = encodeSyn(kV4Source, kV4Server, 40000, 6379, 0x01020304, 1460);
	EXPECT_EQ(std::vector<std::uint8_t>(syn.begin(), syn.end()), want);
	EXPECT_EQ(tcpChecksum(kV4Source, kV4Server, syn), 0);

	const std::vector<std::uint8_t> want6{0x9c, 0x40, 0x00, 0x50, 0xff, 0xff, 0xff, 0xfe, 0x00, 0x00, 0x00, 0x00,
	                                      0x60, 0x02, 0xff, 0xff, 0xa0, 0x36, 0x00, 0x00, 0x02, 0x04, 0x05, 0xa0};
	auto syn6 = encodeSyn(v6(1), v6(2), 40000, 80, 0xfffffffe, 1440);
	EXPECT_EQ(std::vector<std::uint8_t>(syn6.begin(), syn6.end()), want6);
}

// An IPv4 packet from the server: header (20 bytes) and a TCP header with
// `flags`, acknowledging `ack`, checksummed.
std::vector<std::uint8_t> answer(std::uint8_t flags, std::uint32_t ack, std::uint16_t toPort = 40000)
{
	std::vector<std::uint8_t> p{0x45, 0, 0, 40, 0, 0, 0x40, 0, 64, 6, 0, 0};
	p.insert(p.end(), kV4Server.begin(), kV4Server.end());
	p.insert(p.end(), kV4Source.begin(), kV4Source.end());
	std::vector<std::uint8_t> t{0x18,
	                            0xeb,
	                            static_cast<std::uint8_t>(toPort >> 8),
	                            static_cast<std::uint8_t>(toPort),
	                            0xaa,
	                            0xbb,
	                            0xcc,
	                            0xdd,
	                            static_cast<std::uint8_t>(ack >> 24),
	                            static_cast<std::uint8_t>(ack >> 16),
	                            static_cast<std::uint8_t>(ack >> 8),
	                            static_cast<std::uint8_t>(ack),
	                            0x50,
	                            flags,
	                            0x10,
	                            0x00,
	                            0,
	                            0,
	                            0,
	                            0};
	const auto sum = tcpChecksum(kV4Server, kV4Source, t);
	t[16] = static_cast<std::uint8_t>(sum >> 8);
	t[17] = static_cast<std::uint8_t>(sum);
	p.insert(p.end(), t.begin(), t.end());
	return p;
}

TEST(TcpSegment, DecodesAnIpv4SynAckAndJudgesIt)
{
	std::array<std::uint8_t, 4> from{};
	auto a = decodeIpv4Tcp(answer(0x12, 0x01020305), from);
	ASSERT_TRUE(a);
	EXPECT_EQ(from, kV4Server);
	EXPECT_EQ(a->sourcePort, 6379);
	EXPECT_EQ(a->destinationPort, 40000);
	EXPECT_EQ(a->sequence, 0xaabbccddu);
	EXPECT_TRUE(a->syn && a->ack && !a->rst);
	EXPECT_EQ(judge(*a, 0x01020304), Verdict::kListening);
	EXPECT_EQ(judge(*a, 0x01020305), Verdict::kNotOurs); // another SYN's answer
}

TEST(TcpSegment, ARstCountsOnlyWithTheRightAcknowledgment)
{
	std::array<std::uint8_t, 4> from{};
	auto refused = decodeIpv4Tcp(answer(0x14, 0x01020305), from);
	ASSERT_TRUE(refused);
	EXPECT_EQ(judge(*refused, 0x01020304), Verdict::kRefused);
	auto blind = decodeIpv4Tcp(answer(0x04, 0x01020305), from); // RST without ACK
	ASSERT_TRUE(blind);
	EXPECT_EQ(judge(*blind, 0x01020304), Verdict::kNotOurs);
	auto plainAck = decodeIpv4Tcp(answer(0x10, 0x01020305), from);
	ASSERT_TRUE(plainAck);
	EXPECT_EQ(judge(*plainAck, 0x01020304), Verdict::kNotOurs);
}

TEST(TcpSegment, RejectsDamagedPackets)
{
	std::array<std::uint8_t, 4> from{};
	auto good = answer(0x12, 1);
	ASSERT_TRUE(decodeIpv4Tcp(good, from));
	auto fragment = good;
	fragment[6] = 0x20; // more fragments
	EXPECT_FALSE(decodeIpv4Tcp(fragment, from));
	auto udp = good;
	udp[9] = 17;
	EXPECT_FALSE(decodeIpv4Tcp(udp, from));
	auto longer = good;
	longer[3] = 60; // total length beyond the bytes
	EXPECT_FALSE(decodeIpv4Tcp(longer, from));
	auto offset = good;
	offset[32] = 0xf0; // data offset 60 bytes in a 20-byte segment
	EXPECT_FALSE(decodeIpv4Tcp(offset, from));
	for (std::size_t n = 0; n < good.size(); ++n)
		EXPECT_FALSE(decodeIpv4Tcp(std::span(good).first(n), from)) << n;
	EXPECT_FALSE(decodeTcpHeader(std::span(good).subspan(20, 19)));
	EXPECT_TRUE(decodeTcpHeader(std::span(good).subspan(20)));
}

} // namespace
} // namespace vigil::checkers
