#include "checkers/udp_reply.h"

#include <algorithm>
#include <fmt/format.h>

namespace vigil::checkers {

std::expected<void, std::string> matchUdpReply(const UdpReplyRule &rule, std::span<const std::uint8_t> reply)
{
	if (reply.size() < rule.minLength)
		return std::unexpected(
		        fmt::format("reply length {} below min_reply_length {}", reply.size(), rule.minLength));
	if (reply.size() > rule.maxLength)
		return std::unexpected(
		        fmt::format("reply length {} above max_reply_length {}", reply.size(), rule.maxLength));
	const std::size_t compared = std::min(reply.size(), rule.pattern.size());
	for (std::size_t i = 0; i < compared; ++i) {
		const std::uint8_t mask = i < rule.mask.size() ? rule.mask[i] : 0xff;
		if ((reply[i] & mask) != (rule.pattern[i] & mask))
			return std::unexpected(
			        fmt::format("reply byte {} is 0x{:02x}, expected 0x{:02x} under mask 0x{:02x}", i,
			                    reply[i], rule.pattern[i], mask));
	}
	return {};
}

} // namespace vigil::checkers
