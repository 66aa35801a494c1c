#include "checkers/dns_message.h"

#include <algorithm>
#include <array>
#include <fmt/format.h>
#include <utility>

namespace vigil::checkers {
namespace {

constexpr std::size_t kMaxName = 255; // RFC 1035 2.3.4, in wire octets
constexpr std::size_t kMaxLabel = 63;
constexpr std::uint16_t kClassIn = 1;

constexpr std::array<std::pair<std::string_view, std::uint16_t>, 7> kTypes{{
        {"A", 1},
        {"NS", 2},
        {"CNAME", 5},
        {"SOA", 6},
        {"MX", 15},
        {"TXT", 16},
        {"AAAA", 28},
}};

char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string lowerName(std::string_view name)
{
	std::string out;
	for (char c : name)
		out += lower(c);
	if (out.size() > 1 && out.back() == '.')
		out.pop_back();
	if (out.empty())
		out.push_back('.'); // not `out = "."`: g++ 12 -O3 warns falsely (-Wrestrict)
	return out;
}

void put16(std::vector<std::uint8_t> &out, std::uint16_t value)
{
	out.push_back(static_cast<std::uint8_t>(value >> 8));
	out.push_back(static_cast<std::uint8_t>(value & 0xff));
}

// Reads through a span without ever reading past it; every accessor
// reports whether the bytes were there.
class Reader
{
public:
	explicit Reader(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}

	bool u16(std::uint16_t &value)
	{
		if (bytes_.size() - pos_ < 2)
			return false;
		value = static_cast<std::uint16_t>(bytes_[pos_] << 8 | bytes_[pos_ + 1]);
		pos_ += 2;
		return true;
	}
	bool u32(std::uint32_t &value)
	{
		std::uint16_t high = 0, low = 0;
		if (!u16(high) || !u16(low))
			return false;
		value = std::uint32_t{high} << 16 | low;
		return true;
	}
	bool skip(std::size_t count)
	{
		if (bytes_.size() - pos_ < count)
			return false;
		pos_ += count;
		return true;
	}

	// A possibly compressed name (RFC 1035 4.1.4). Each pointer must aim
	// below the place the previous jump landed (or the name's start), so
	// the targets strictly decrease and any loop is cut off.
	std::expected<std::string, std::string> name()
	{
		std::string out;
		std::size_t at = pos_;
		std::size_t limit = pos_;
		std::size_t octets = 1; // the root label
		bool jumped = false;
		while (true) {
			if (at >= bytes_.size())
				return std::unexpected("name runs past the end");
			const std::uint8_t length = bytes_[at];
			if ((length & 0xc0) == 0xc0) {
				if (at + 1 >= bytes_.size())
					return std::unexpected("compression pointer runs past the end");
				const std::size_t target = (std::size_t{length & 0x3fu} << 8) | bytes_[at + 1];
				if (target >= limit)
					return std::unexpected("compression pointer does not point backwards");
				if (!jumped)
					pos_ = at + 2;
				jumped = true;
				limit = target;
				at = target;
				continue;
			}
			if ((length & 0xc0) != 0)
				return std::unexpected("unknown label type");
			if (length == 0) {
				if (!jumped)
					pos_ = at + 1;
				break;
			}
			if (bytes_.size() - at - 1 < length)
				return std::unexpected("label runs past the end");
			octets += 1u + length;
			if (octets > kMaxName)
				return std::unexpected("name longer than 255 octets");
			if (!out.empty())
				out += '.';
			for (std::size_t i = 0; i < length; ++i)
				out += lower(static_cast<char>(bytes_[at + 1 + i]));
			at += 1u + length;
		}
		if (out.empty())
			out.push_back('.'); // not `out = "."`: g++ 12 -O3 warns falsely (-Wrestrict)
		return out;
	}

private:
	std::span<const std::uint8_t> bytes_;
	std::size_t pos_ = 0;
};

std::string_view rcodeName(unsigned rcode)
{
	switch (rcode) {
	case 1:
		return "FORMERR";
	case 2:
		return "SERVFAIL";
	case 3:
		return "NXDOMAIN";
	case 4:
		return "NOTIMP";
	case 5:
		return "REFUSED";
	default:
		return "?";
	}
}

std::string typeName(std::uint16_t code)
{
	for (const auto &[name, value] : kTypes)
		if (value == code)
			return std::string(name);
	return fmt::format("TYPE{}", code);
}

} // namespace

std::optional<std::uint16_t> dnsTypeCode(std::string_view type)
{
	for (const auto &[name, value] : kTypes) {
		if (name.size() == type.size() &&
		    std::equal(name.begin(), name.end(), type.begin(),
		               [](char a, char b) { return a == (b >= 'a' && b <= 'z' ? b - 'a' + 'A' : b); }))
			return value;
	}
	return std::nullopt;
}

std::expected<std::vector<std::uint8_t>, std::string> encodeDnsQuery(const DnsQuery &query)
{
	std::vector<std::uint8_t> out;
	put16(out, query.id);
	put16(out, 0x0100); // RD
	put16(out, 1);      // QDCOUNT
	put16(out, 0);
	put16(out, 0);
	put16(out, 0);
	std::string_view name = query.name;
	if (!name.empty() && name.back() == '.')
		name.remove_suffix(1);
	std::size_t octets = 1;
	while (!name.empty()) {
		const auto dot = name.find('.');
		const std::string_view label = name.substr(0, dot);
		if (label.empty())
			return std::unexpected(fmt::format("name '{}' has an empty label", query.name));
		if (label.size() > kMaxLabel)
			return std::unexpected(fmt::format("name '{}' has a label over 63 octets", query.name));
		octets += 1 + label.size();
		if (octets > kMaxName)
			return std::unexpected(fmt::format("name '{}' is over 255 octets", query.name));
		out.push_back(static_cast<std::uint8_t>(label.size()));
		out.insert(out.end(), label.begin(), label.end());
		if (dot == std::string_view::npos)
			break;
		name.remove_prefix(dot + 1);
		if (name.empty())
			return std::unexpected(fmt::format("name '{}' has an empty label", query.name));
	}
	out.push_back(0);
	put16(out, query.type);
	put16(out, kClassIn);
	return out;
}

std::expected<DnsMessage, std::string> decodeDnsMessage(std::span<const std::uint8_t> bytes)
{
	Reader reader(bytes);
	DnsMessage message;
	std::uint16_t qdcount = 0, ancount = 0, nscount = 0, arcount = 0;
	if (!reader.u16(message.id) || !reader.u16(message.flags) || !reader.u16(qdcount) || !reader.u16(ancount) ||
	    !reader.u16(nscount) || !reader.u16(arcount))
		return std::unexpected("shorter than a header");
	// Counts are not trusted for allocation: each entry is read before it
	// is stored, so a count of 65535 over a short buffer fails early.
	for (unsigned i = 0; i < qdcount; ++i) {
		DnsQuestion question;
		auto name = reader.name();
		if (!name)
			return std::unexpected(fmt::format("question {}: {}", i + 1, name.error()));
		question.name = std::move(*name);
		if (!reader.u16(question.type) || !reader.u16(question.klass))
			return std::unexpected(fmt::format("question {}: truncated", i + 1));
		message.questions.push_back(std::move(question));
	}
	for (unsigned i = 0; i < ancount; ++i) {
		DnsRecord record;
		auto name = reader.name();
		if (!name)
			return std::unexpected(fmt::format("answer {}: {}", i + 1, name.error()));
		record.name = std::move(*name);
		if (!reader.u16(record.type) || !reader.u16(record.klass) || !reader.u32(record.ttl) ||
		    !reader.u16(record.rdlength) || !reader.skip(record.rdlength))
			return std::unexpected(fmt::format("answer {}: truncated", i + 1));
		message.answers.push_back(std::move(record));
	}
	return message;
}

DnsVerdict checkDnsReply(const DnsQuery &query, std::span<const std::uint8_t> reply)
{
	using Kind = DnsVerdict::Kind;
	if (reply.size() < 2 || static_cast<std::uint16_t>(reply[0] << 8 | reply[1]) != query.id)
		return {Kind::kIgnore, "reply with another id"};
	auto message = decodeDnsMessage(reply);
	if (!message)
		return {Kind::kFail, fmt::format("malformed reply: {}", message.error())};
	if (!message->response())
		return {Kind::kIgnore, "not a response"};
	const std::string want = lowerName(query.name);
	if (message->questions.size() != 1 || message->questions[0].name != want ||
	    message->questions[0].type != query.type || message->questions[0].klass != kClassIn)
		return {Kind::kIgnore, "reply to another question"};
	if (message->rcode() != 0)
		return {Kind::kFail, fmt::format("read error occurred. (rcode = {}, {})", message->rcode(),
		                                 rcodeName(message->rcode()))};
	const bool answered = std::any_of(message->answers.begin(), message->answers.end(),
	                                  [&](const DnsRecord &r) { return r.type == query.type; });
	if (!answered)
		return {Kind::kFail, fmt::format("no {} record in the answer section ({} answers)",
		                                 typeName(query.type), message->answers.size())};
	return {Kind::kPass, {}};
}

} // namespace vigil::checkers
