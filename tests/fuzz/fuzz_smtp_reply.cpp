// libFuzzer target: arbitrary bytes as what an SMTP server sends. The
// first byte sets a chunk size; the rest is fed to SmtpReplyReader in
// chunks of that size and, separately, all at once: both must give the
// same replies and the same error, and every reply must respect the
// reader's bounds (codes 200-599, at most 64 lines of at most 512 octets).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "checkers/smtp_reply.h"

namespace {

using vigil::checkers::SmtpReply;
using vigil::checkers::SmtpReplyReader;

[[noreturn]] void fail(const std::string &what)
{
	std::fprintf(stderr, "fuzz_smtp_reply: %s\n", what.c_str());
	std::abort();
}

// Replies in order, then the error if one ended the stream.
struct Transcript {
	std::vector<std::pair<int, std::vector<std::string>>> replies;
	std::string error;
	bool operator==(const Transcript &) const = default;
};

void drain(SmtpReplyReader &reader, std::string_view chunk, Transcript &out)
{
	auto result = reader.feed(chunk);
	while (true) {
		if (!result) {
			out.error = result.error();
			return;
		}
		if (!*result)
			return;
		const SmtpReply &reply = **result;
		if (reply.code < 200 || reply.code > 599)
			fail("reply code out of range");
		if (reply.lines.empty() || reply.lines.size() > SmtpReplyReader::kMaxLines)
			fail("reply line count out of bounds");
		for (const auto &line : reply.lines)
			if (line.size() > SmtpReplyReader::kMaxLine)
				fail("reply line over the cap");
		out.replies.emplace_back(reply.code, reply.lines);
		result = reader.next();
	}
}

Transcript read(std::string_view input, std::size_t chunk)
{
	SmtpReplyReader reader;
	Transcript out;
	for (std::size_t at = 0; at < input.size() && out.error.empty(); at += chunk)
		drain(reader, input.substr(at, chunk), out);
	return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
	if (size == 0)
		return 0;
	const std::size_t chunk = data[0] % 32 + 1;
	std::string_view input(reinterpret_cast<const char *>(data + 1), size - 1);
	auto chunked = read(input, chunk);
	auto whole = read(input, input.size() + 1);
	// A line over the cap may be noticed before its end arrives in one
	// chunking and after it in another; only the "too long" wording may
	// then differ, not the replies before it.
	if (chunked.replies != whole.replies)
		fail("replies depend on how the bytes were chunked");
	if (chunked.error.empty() != whole.error.empty())
		fail("an error depends on how the bytes were chunked");
	return 0;
}
