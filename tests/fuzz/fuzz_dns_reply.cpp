// libFuzzer target: arbitrary bytes as a DNS_CHECK reply. decodeDnsMessage
// must stay within the bytes and bounds (names of at most 255 octets, as
// many records as the bytes can hold); checkDnsReply may pass only a
// decodable response with an answer of the asked type; every decoded
// question name must survive encodeDnsQuery / decode unchanged.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "checkers/dns_message.h"

namespace {

[[noreturn]] void fail(const std::string &what)
{
	std::fprintf(stderr, "fuzz_dns_reply: %s\n", what.c_str());
	std::abort();
}

void checkDecode(std::span<const std::uint8_t> bytes)
{
	auto message = vigil::checkers::decodeDnsMessage(bytes);
	if (!message)
		return;
	// A question takes at least 5 bytes, an answer 11.
	if (message->questions.size() * 5 + message->answers.size() * 11 + 12 > bytes.size())
		fail("more records than the bytes can hold");
	for (const auto &q : message->questions) {
		if (q.name.size() > 254)
			fail("question name over 255 octets");
		// A label holding dots reads back as a different name ("a." is
		// one label, re-encoded as "a"); the encoder refuses most such.
		if (q.name != "." && q.name.back() == '.')
			continue;
		auto query = vigil::checkers::encodeDnsQuery({message->id, q.type, q.name});
		if (!query)
			continue;
		auto back = vigil::checkers::decodeDnsMessage(*query);
		if (!back || back->questions.size() != 1 || back->questions[0].name != q.name ||
		    back->questions[0].type != q.type)
			fail("question does not survive encode/decode: " + q.name);
	}
	for (const auto &a : message->answers)
		if (a.name.size() > 254)
			fail("answer name over 255 octets");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
	std::span<const std::uint8_t> bytes(data, size);
	checkDecode(bytes);
	// The id taken from the input, so that most inputs get past it.
	const std::uint16_t id = size >= 2 ? static_cast<std::uint16_t>(data[0] << 8 | data[1]) : 0;
	for (const auto &query :
	     {vigil::checkers::DnsQuery{id, 1, "example.com"}, vigil::checkers::DnsQuery{id, 6, "."}}) {
		auto verdict = vigil::checkers::checkDnsReply(query, bytes);
		if (verdict.kind == vigil::checkers::DnsVerdict::Kind::kPass) {
			auto message = vigil::checkers::decodeDnsMessage(bytes);
			if (!message || !message->response() || message->rcode() != 0 || message->answers.empty())
				fail("passed a reply that is not a good answer");
		}
	}
	return 0;
}
