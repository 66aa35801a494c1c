// DNS_CHECK's codec: the query bytes for known questions, and replies good,
// foreign, truncated, looping and failing, as bytes.

#include <gtest/gtest.h>

#include "checkers/dns_message.h"

namespace vigil::checkers {
namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes operator+(Bytes a, const Bytes &b)
{
	a.insert(a.end(), b.begin(), b.end());
	return a;
}

Bytes text(std::string_view s)
{
	return Bytes(s.begin(), s.end());
}

// "example.com" as labels.
const Bytes kExampleCom = Bytes{7} + text("example") + Bytes{3} + text("com") + Bytes{0};

TEST(DnsQuery, EncodesHeaderWithRdAndOneQuestion)
{
	auto bytes = encodeDnsQuery({0x1234, 1, "example.com"});
	ASSERT_TRUE(bytes.has_value());
	EXPECT_EQ(*bytes, (Bytes{0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0} + kExampleCom + Bytes{0, 1, 0, 1}));
}

TEST(DnsQuery, RootAndTrailingDot)
{
	EXPECT_EQ(*encodeDnsQuery({0xbeef, 6, "."}), (Bytes{0xbe, 0xef, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 6, 0, 1}));
	EXPECT_EQ(*encodeDnsQuery({1, 28, "example.com."}), *encodeDnsQuery({1, 28, "example.com"}));
}

TEST(DnsQuery, RejectsBadNames)
{
	for (const std::string &name : std::vector<std::string>{"a..b", ".a", std::string(64, 'x') + ".com", "a.."}) {
		EXPECT_FALSE(encodeDnsQuery({1, 1, name}).has_value()) << name;
	}
	std::string longName;
	for (int i = 0; i < 5; ++i)
		longName += std::string(60, 'a') + ".";
	EXPECT_FALSE(encodeDnsQuery({1, 1, longName}).has_value());
}

TEST(DnsQuery, TypeCodes)
{
	EXPECT_EQ(dnsTypeCode("A"), 1);
	EXPECT_EQ(dnsTypeCode("ns"), 2);
	EXPECT_EQ(dnsTypeCode("CNAME"), 5);
	EXPECT_EQ(dnsTypeCode("SOA"), 6);
	EXPECT_EQ(dnsTypeCode("MX"), 15);
	EXPECT_EQ(dnsTypeCode("TXT"), 16);
	EXPECT_EQ(dnsTypeCode("AAAA"), 28);
	EXPECT_FALSE(dnsTypeCode("PTR").has_value());
	EXPECT_FALSE(dnsTypeCode("").has_value());
}

// A reply to {0x1234, A, example.com}: header, the question, then answers.
Bytes header(std::uint16_t id, std::uint16_t flags, std::uint16_t an, std::uint16_t qd = 1)
{
	return Bytes{static_cast<std::uint8_t>(id >> 8),
	             static_cast<std::uint8_t>(id),
	             static_cast<std::uint8_t>(flags >> 8),
	             static_cast<std::uint8_t>(flags),
	             0,
	             static_cast<std::uint8_t>(qd),
	             0,
	             static_cast<std::uint8_t>(an),
	             0,
	             0,
	             0,
	             0};
}

const Bytes kQuestion = kExampleCom + Bytes{0, 1, 0, 1};
// Name by pointer to offset 12 (the question's), A IN, ttl 60, 4 bytes.
const Bytes kAnswerA = Bytes{0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 1};
const Bytes kAnswerCname = Bytes{0xc0, 12, 0, 5, 0, 1, 0, 0, 0, 60, 0, 2, 0xc0, 12};

struct ReplyCase {
	const char *name;
	Bytes reply;
	DnsVerdict::Kind kind;
	std::string detail; // a part of it
};

TEST(DnsReply, Table)
{
	using Kind = DnsVerdict::Kind;
	const DnsQuery query{0x1234, 1, "Example.COM"};
	const std::vector<ReplyCase> cases = {
	        {"good", header(0x1234, 0x8180, 1) + kQuestion + kAnswerA, Kind::kPass, ""},
	        {"good, two answers, CNAME first", header(0x1234, 0x8180, 2) + kQuestion + kAnswerCname + kAnswerA,
	         Kind::kPass, ""},
	        {"question in upper case",
	         header(0x1234, 0x8180, 1) + Bytes{7} + text("EXAMPLE") + Bytes{3} + text("Com") +
	                 Bytes{0, 0, 1, 0, 1} + kAnswerA,
	         Kind::kPass, ""},
	        {"other id", header(0x1235, 0x8180, 1) + kQuestion + kAnswerA, Kind::kIgnore, "another id"},
	        {"one byte", Bytes{0x12}, Kind::kIgnore, "another id"},
	        {"empty", Bytes{}, Kind::kIgnore, "another id"},
	        {"not a response (QR clear)", header(0x1234, 0x0100, 1) + kQuestion + kAnswerA, Kind::kIgnore,
	         "not a response"},
	        {"other question type", header(0x1234, 0x8180, 1) + kExampleCom + Bytes{0, 28, 0, 1} + kAnswerA,
	         Kind::kIgnore, "another question"},
	        {"no question", header(0x1234, 0x8180, 0, 0), Kind::kIgnore, "another question"},
	        {"NXDOMAIN", header(0x1234, 0x8183, 0) + kQuestion, Kind::kFail, "rcode = 3, NXDOMAIN"},
	        {"SERVFAIL", header(0x1234, 0x8182, 0) + kQuestion, Kind::kFail, "rcode = 2, SERVFAIL"},
	        {"REFUSED", header(0x1234, 0x8185, 0) + kQuestion, Kind::kFail, "rcode = 5, REFUSED"},
	        {"no answer (NODATA)", header(0x1234, 0x8180, 0) + kQuestion, Kind::kFail, "no A record"},
	        {"only a CNAME", header(0x1234, 0x8180, 1) + kQuestion + kAnswerCname, Kind::kFail, "no A record"},
	        {"header only", header(0x1234, 0x8180, 1), Kind::kFail, "question 1: name runs past the end"},
	        {"truncated question", header(0x1234, 0x8180, 1) + Bytes{7} + text("exam"), Kind::kFail,
	         "label runs past the end"},
	        {"truncated class", header(0x1234, 0x8180, 0) + kExampleCom + Bytes{0, 1, 0}, Kind::kFail, "truncated"},
	        {"truncated rdata", header(0x1234, 0x8180, 1) + kQuestion + Bytes(kAnswerA.begin(), kAnswerA.end() - 1),
	         Kind::kFail, "answer 1: truncated"},
	        {"counts beyond the data", header(0x1234, 0x8180, 255) + kQuestion + kAnswerA, Kind::kFail, "answer 2"},
	        {"pointer to itself", header(0x1234, 0x8180, 0) + Bytes{0xc0, 12, 0, 1, 0, 1}, Kind::kFail,
	         "does not point backwards"},
	        {"pointer forwards", header(0x1234, 0x8180, 0) + Bytes{0xc0, 14, 0, 0, 1, 0, 1}, Kind::kFail,
	         "does not point backwards"},
	        // "a" then a pointer back to the "a": each pass would land where
	        // the last began.
	        {"pointer loop",
	         header(0x1234, 0x8180, 1) + kQuestion + Bytes{1, 'a', 0xc0, 29, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0},
	         Kind::kFail, "does not point backwards"},
	        {"pointer past the end", header(0x1234, 0x8180, 0) + Bytes{0xc0}, Kind::kFail, "runs past the end"},
	        {"reserved label type", header(0x1234, 0x8180, 0) + Bytes{0x40, 0, 0, 1, 0, 1}, Kind::kFail,
	         "unknown label type"},
	};
	for (const auto &c : cases) {
		auto verdict = checkDnsReply(query, c.reply);
		EXPECT_EQ(verdict.kind, c.kind) << c.name << ": " << verdict.detail;
		EXPECT_NE(verdict.detail.find(c.detail), std::string::npos) << c.name << ": " << verdict.detail;
	}
}

TEST(DnsMessage, DecodesCompressedNames)
{
	auto message = decodeDnsMessage(header(7, 0x8180, 2) + kQuestion + kAnswerCname + kAnswerA);
	ASSERT_TRUE(message.has_value()) << message.error();
	EXPECT_EQ(message->id, 7);
	ASSERT_EQ(message->questions.size(), 1u);
	EXPECT_EQ(message->questions[0].name, "example.com");
	ASSERT_EQ(message->answers.size(), 2u);
	EXPECT_EQ(message->answers[0].type, 5);
	EXPECT_EQ(message->answers[1].name, "example.com");
	EXPECT_EQ(message->answers[1].ttl, 60u);
	EXPECT_EQ(message->answers[1].rdlength, 4);
}

TEST(DnsMessage, NameOver255OctetsFails)
{
	// 5 labels of 60 by chained pointers would pass 255: build them flat.
	Bytes name;
	for (int i = 0; i < 5; ++i)
		name = name + Bytes{60} + Bytes(60, 'a');
	auto message = decodeDnsMessage(header(1, 0x8180, 0) + name + Bytes{0, 0, 1, 0, 1});
	ASSERT_FALSE(message.has_value());
	EXPECT_NE(message.error().find("255"), std::string::npos);
}

} // namespace
} // namespace vigil::checkers
