#pragma once

// DNS_CHECK's wire format (RFC 1035 section 4): one query out, one reply
// in. The decoder reads untrusted bytes: every length, count and
// compression pointer is checked against the buffer, names are bounded to
// 255 octets and pointers may only point backwards, so loops end.

#include <cstdint>
#include <expected>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::checkers {

// A, NS, CNAME, SOA, MX, TXT, AAAA (case-insensitive) to its RR type code.
std::optional<std::uint16_t> dnsTypeCode(std::string_view type);

struct DnsQuery {
	std::uint16_t id = 0;
	std::uint16_t type = 6; // SOA
	std::string name = "."; // as configured; a trailing dot is optional
};

// The query datagram: header with RD set (a checked resolver recurses;
// an authoritative server ignores the bit), one question of class IN.
// Fails on an empty label, a label over 63 octets or a name over 255.
std::expected<std::vector<std::uint8_t>, std::string> encodeDnsQuery(const DnsQuery &query);

struct DnsQuestion {
	std::string name; // lower case, dotted, "." for the root
	std::uint16_t type = 0;
	std::uint16_t klass = 0;
};

struct DnsRecord {
	std::string name;
	std::uint16_t type = 0;
	std::uint16_t klass = 0;
	std::uint32_t ttl = 0;
	std::uint16_t rdlength = 0;
};

struct DnsMessage {
	std::uint16_t id = 0;
	std::uint16_t flags = 0;
	std::vector<DnsQuestion> questions;
	std::vector<DnsRecord> answers; // the authority and additional sections are not read

	bool response() const { return (flags & 0x8000) != 0; }
	unsigned rcode() const { return flags & 0x000f; }
	bool truncated() const { return (flags & 0x0200) != 0; }
};

// Decodes the header, the question section and the answer section; a
// reason when the bytes are not a well-formed message.
std::expected<DnsMessage, std::string> decodeDnsMessage(std::span<const std::uint8_t> bytes);

// What a reply means for the query that was sent.
struct DnsVerdict {
	enum class Kind {
		kPass,
		kIgnore, // not a reply to our query (another id, not a response, another question): keep waiting
		kFail,
	};
	Kind kind = Kind::kIgnore;
	std::string detail;
};

// Pass: our id, QR set, RCODE NOERROR, the question echoed (name compared
// case-insensitively, type, class IN) and at least one answer record of
// the asked type. A reply with our id that fails to decode is a failure,
// not noise.
DnsVerdict checkDnsReply(const DnsQuery &query, std::span<const std::uint8_t> reply);

} // namespace vigil::checkers
