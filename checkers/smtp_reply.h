#pragma once

// SMTP replies as SMTP_CHECK reads them (RFC 5321 4.2): "220 text" or a
// multi-line "220-first", "220-more", "220 last". Bytes arrive in any
// chunking from an untrusted peer; lines are capped (RFC 5321 4.5.3.1.5
// gives 512 octets with CRLF) and so is the number of lines, so a peer
// cannot make the reader grow without bound.

#include <cstddef>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::checkers {

struct SmtpReply {
	int code = 0;
	std::vector<std::string> lines; // the text after "NNN-" / "NNN "
};

class SmtpReplyReader
{
public:
	static constexpr std::size_t kMaxLine = 512;
	static constexpr std::size_t kMaxLines = 64;

	// Adds received bytes. Returns a reply once its last line is in (the
	// bytes after it stay buffered for next()), nothing while more is
	// needed, or the reason the peer's bytes are not an SMTP reply.
	std::expected<std::optional<SmtpReply>, std::string> feed(std::string_view bytes);
	// A reply already complete in the buffered bytes, without new input.
	std::expected<std::optional<SmtpReply>, std::string> next() { return feed({}); }

private:
	std::string buffer_;
	SmtpReply partial_;
};

} // namespace vigil::checkers
