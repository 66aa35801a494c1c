#pragma once

// UDP_CHECK's reply test: the length must lie within min/max_reply_length
// and the bytes must match require_reply's pattern under its mask, up to
// the shorter of the reply and the pattern (keepalived.conf(5)).

#include <cstdint>
#include <expected>
#include <span>
#include <string>

namespace vigil::checkers {

struct UdpReplyRule {
	std::span<const std::uint8_t> pattern; // empty: any content
	std::span<const std::uint8_t> mask;    // per byte; a 0 nibble is "don't care"; shorter than pattern: all care
	std::uint32_t minLength = 0;
	std::uint32_t maxLength = 255;
};

// Nothing when the reply passes, else why ("reply length 3 below
// min_reply_length 4", "reply byte 2 is 0x41, expected 0x42").
std::expected<void, std::string> matchUdpReply(const UdpReplyRule &rule, std::span<const std::uint8_t> reply);

} // namespace vigil::checkers
