// SMTP_CHECK's reply reader, UDP_CHECK's reply matcher and PING_CHECK's
// ICMP echo codec, table-driven over bytes.

#include <gtest/gtest.h>

#include "checkers/icmp_echo.h"
#include "checkers/smtp_reply.h"
#include "checkers/udp_reply.h"

namespace vigil::checkers {
namespace {

using Bytes = std::vector<std::uint8_t>;

// ---- SMTP replies ---------------------------------------------------------

struct SmtpCase {
	const char *name;
	std::vector<std::string> chunks; // fed one after the other
	int code;                        // 0: no reply yet; -1: error
	std::vector<std::string> lines;
	std::string error; // a part of it
};

TEST(SmtpReplyReader, Table)
{
	const std::vector<SmtpCase> cases = {
	        {"single line", {"220 mail.example ESMTP\r\n"}, 220, {"mail.example ESMTP"}, ""},
	        {"code only", {"250\r\n"}, 250, {""}, ""},
	        {"multi-line", {"220-first\r\n220-second\r\n220 last\r\n"}, 220, {"first", "second", "last"}, ""},
	        {"byte by byte", {"2", "5", "0", " ", "o", "k", "\r", "\n"}, 250, {"ok"}, ""},
	        {"split in CRLF", {"250 ok\r", "\n"}, 250, {"ok"}, ""},
	        {"bare LF", {"554 no\n"}, 554, {"no"}, ""},
	        {"incomplete", {"220 wait"}, 0, {}, ""},
	        {"incomplete multi-line", {"220-one\r\n"}, 0, {}, ""},
	        {"HTTP instead", {"HTTP/1.1 400 Bad Request\r\n"}, -1, {}, "not an SMTP reply line"},
	        {"letters", {"abc def\r\n"}, -1, {}, "not an SMTP reply line"},
	        {"short", {"22\r\n"}, -1, {}, "not an SMTP reply line"},
	        {"bad separator", {"220_x\r\n"}, -1, {}, "not an SMTP reply line"},
	        {"binary", {std::string("\x00\xff\x01\r\n", 5)}, -1, {}, "\\x00\\xff"},
	        {"code 100", {"100 x\r\n"}, -1, {}, "out of range"},
	        {"code changes", {"220-a\r\n250 b\r\n"}, -1, {}, "changes code from 220 to 250"},
	        {"line too long", {std::string(600, 'x')}, -1, {}, "longer than 512"},
	        {"terminated line too long", {"220 " + std::string(600, 'x') + "\r\n"}, -1, {}, "longer than 512"},
	};
	for (const auto &c : cases) {
		SmtpReplyReader reader;
		std::expected<std::optional<SmtpReply>, std::string> last = std::nullopt;
		for (const auto &chunk : c.chunks) {
			last = reader.feed(chunk);
			if (!last || *last)
				break;
		}
		if (c.code == -1) {
			ASSERT_FALSE(last.has_value()) << c.name;
			EXPECT_NE(last.error().find(c.error), std::string::npos) << c.name << ": " << last.error();
		} else if (c.code == 0) {
			ASSERT_TRUE(last.has_value()) << c.name << ": " << last.error();
			EXPECT_FALSE(last->has_value()) << c.name;
		} else {
			ASSERT_TRUE(last.has_value()) << c.name << ": " << last.error();
			ASSERT_TRUE(last->has_value()) << c.name;
			EXPECT_EQ((*last)->code, c.code) << c.name;
			EXPECT_EQ((*last)->lines, c.lines) << c.name;
		}
	}
}

TEST(SmtpReplyReader, TooManyLines)
{
	SmtpReplyReader reader;
	std::string many;
	for (int i = 0; i < 100; ++i)
		many += "220-x\r\n";
	auto result = reader.feed(many);
	ASSERT_FALSE(result.has_value());
	EXPECT_NE(result.error().find("64 lines"), std::string::npos);
}

TEST(SmtpReplyReader, KeepsTheNextReplyBuffered)
{
	SmtpReplyReader reader;
	auto first = reader.feed("220 hi\r\n250 ok\r\n");
	ASSERT_TRUE(first && *first);
	EXPECT_EQ((*first)->code, 220);
	auto second = reader.next();
	ASSERT_TRUE(second && *second);
	EXPECT_EQ((*second)->code, 250);
	auto none = reader.next();
	ASSERT_TRUE(none);
	EXPECT_FALSE(none->has_value());
}

// ---- UDP reply matching ---------------------------------------------------

struct UdpCase {
	const char *name;
	Bytes pattern;
	Bytes mask;
	std::uint32_t min;
	std::uint32_t max;
	Bytes reply;
	bool ok;
	std::string error;
};

TEST(UdpReply, Table)
{
	const std::vector<UdpCase> cases = {
	        {"any content", {}, {}, 0, 255, {1, 2, 3}, true, ""},
	        {"empty reply, min 0", {}, {}, 0, 255, {}, true, ""},
	        {"below min", {}, {}, 4, 255, {1, 2, 3}, false, "reply length 3 below min_reply_length 4"},
	        {"above max", {}, {}, 0, 2, {1, 2, 3}, false, "reply length 3 above max_reply_length 2"},
	        {"at both bounds", {}, {}, 3, 3, {1, 2, 3}, true, ""},
	        {"exact match", {0xab, 0x12}, {0xff, 0xff}, 0, 255, {0xab, 0x12}, true, ""},
	        {"mismatch",
	         {0xab, 0x12},
	         {0xff, 0xff},
	         0,
	         255,
	         {0xab, 0x13},
	         false,
	         "reply byte 1 is 0x13, expected 0x12"},
	        {"high nibble don't care", {0x0b}, {0x0f}, 0, 255, {0x7b}, true, ""},
	        {"low nibble don't care, high differs", {0xa0}, {0xf0}, 0, 255, {0xb5}, false, "byte 0"},
	        {"whole byte don't care", {0x00, 0x42}, {0x00, 0xff}, 0, 255, {0x99, 0x42}, true, ""},
	        {"reply shorter than pattern", {1, 2, 3, 4}, {0xff, 0xff, 0xff, 0xff}, 0, 255, {1, 2}, true, ""},
	        {"reply longer than pattern", {1, 2}, {0xff, 0xff}, 0, 255, {1, 2, 9, 9}, true, ""},
	        {"mask shorter than pattern: all bits count", {1, 2}, {0xff}, 0, 255, {1, 3}, false, "byte 1"},
	};
	for (const auto &c : cases) {
		UdpReplyRule rule{c.pattern, c.mask, c.min, c.max};
		auto result = matchUdpReply(rule, c.reply);
		EXPECT_EQ(result.has_value(), c.ok) << c.name;
		if (!c.ok && !result) {
			EXPECT_NE(result.error().find(c.error), std::string::npos) << c.name << ": " << result.error();
		}
	}
}

// ---- ICMP echo ------------------------------------------------------------

TEST(IcmpEcho, ChecksumOfKnownWords)
{
	// RFC 1071's example words 0001 f203 f4f5 f6f7 sum to ddf2 (with the
	// carry folded); the checksum is its complement.
	EXPECT_EQ(internetChecksum(Bytes{0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7}), 0x220d);
	EXPECT_EQ(internetChecksum(Bytes{}), 0xffff);
	// An odd byte is padded with zero on the right.
	EXPECT_EQ(internetChecksum(Bytes{0x01}), static_cast<std::uint16_t>(~0x0100));
}

TEST(IcmpEcho, EncodesRequests)
{
	const Bytes payload{'h', 'i'};
	auto v4 = encodeEchoRequest(false, 0x1234, 0x0001, payload);
	ASSERT_EQ(v4.size(), 10u);
	EXPECT_EQ(v4[0], 8);
	EXPECT_EQ(v4[1], 0);
	EXPECT_EQ((Bytes(v4.begin() + 4, v4.end())), (Bytes{0x12, 0x34, 0x00, 0x01, 'h', 'i'}));
	EXPECT_EQ(internetChecksum(v4), 0) << "a correct checksum sums to zero";
	auto v6 = encodeEchoRequest(true, 0x1234, 2, payload);
	EXPECT_EQ(v6[0], 128);
	EXPECT_EQ(v6[2], 0);
	EXPECT_EQ(v6[3], 0);
}

Bytes replyOf(Bytes request, bool v6)
{
	request[0] = v6 ? 129 : 0;
	request[2] = request[3] = 0;
	if (!v6) {
		auto sum = internetChecksum(request);
		request[2] = static_cast<std::uint8_t>(sum >> 8);
		request[3] = static_cast<std::uint8_t>(sum);
	}
	return request;
}

TEST(IcmpEcho, DecodesReplies)
{
	const Bytes payload{1, 2, 3};
	auto reply = replyOf(encodeEchoRequest(false, 0xabcd, 7, payload), false);
	auto decoded = decodeEchoReply(false, false, reply);
	ASSERT_TRUE(decoded.has_value());
	EXPECT_EQ(decoded->identifier, 0xabcd);
	EXPECT_EQ(decoded->sequence, 7);
	EXPECT_TRUE(std::ranges::equal(decoded->payload, payload));

	// A raw socket's datagram starts with the IPv4 header (IHL 5 here).
	Bytes ip{0x45, 0, 0, 0, 0, 0, 0, 0, 64, 1, 0, 0, 127, 0, 0, 1, 127, 0, 0, 1};
	Bytes withIp = ip;
	withIp.insert(withIp.end(), reply.begin(), reply.end());
	decoded = decodeEchoReply(false, true, withIp);
	ASSERT_TRUE(decoded.has_value());
	EXPECT_EQ(decoded->sequence, 7);

	auto v6 = replyOf(encodeEchoRequest(true, 1, 2, payload), true);
	decoded = decodeEchoReply(true, false, v6);
	ASSERT_TRUE(decoded.has_value());
	EXPECT_EQ(decoded->identifier, 1);
}

TEST(IcmpEcho, RejectsWhatIsNotAReply)
{
	const Bytes payload{1, 2, 3};
	auto request = encodeEchoRequest(false, 1, 1, payload);
	EXPECT_FALSE(decodeEchoReply(false, false, request)) << "our own request, looped back to a raw socket";
	auto reply = replyOf(request, false);
	auto corrupt = reply;
	corrupt.back() ^= 1;
	EXPECT_FALSE(decodeEchoReply(false, false, corrupt)) << "bad checksum";
	EXPECT_FALSE(decodeEchoReply(false, false, Bytes(reply.begin(), reply.begin() + 7))) << "short";
	EXPECT_FALSE(decodeEchoReply(false, true, Bytes{0x4f, 0, 0})) << "IHL past the end";
	EXPECT_FALSE(decodeEchoReply(false, true, Bytes{0x44, 0, 0, 0})) << "IHL below 5";
	EXPECT_FALSE(decodeEchoReply(false, true, Bytes{})) << "empty";
	auto unreachable = reply;
	unreachable[0] = 3;
	EXPECT_FALSE(decodeEchoReply(false, false, unreachable)) << "another ICMP type";
	EXPECT_FALSE(decodeEchoReply(true, false, replyOf(request, false))) << "ICMP in place of ICMPv6";
}

} // namespace
} // namespace vigil::checkers
