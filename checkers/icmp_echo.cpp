#include "checkers/icmp_echo.h"

#include <algorithm>

namespace vigil::checkers {
namespace {

constexpr std::size_t kEchoHeader = 8;

} // namespace

std::uint16_t internetChecksum(std::span<const std::uint8_t> bytes)
{
	std::uint32_t sum = 0;
	std::size_t i = 0;
	for (; i + 1 < bytes.size(); i += 2)
		sum += std::uint32_t{bytes[i]} << 8 | bytes[i + 1];
	if (i < bytes.size())
		sum += std::uint32_t{bytes[i]} << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return static_cast<std::uint16_t>(~sum & 0xffff);
}

std::vector<std::uint8_t> encodeEchoRequest(bool v6, std::uint16_t identifier, std::uint16_t sequence,
                                            std::span<const std::uint8_t> payload)
{
	// Sized once and filled in place: g++ 12 misreads an insert after a
	// braced initializer as out of bounds (-Warray-bounds).
	std::vector<std::uint8_t> out(kEchoHeader + payload.size(), 0);
	out[0] = v6 ? 128 : 8;
	out[4] = static_cast<std::uint8_t>(identifier >> 8);
	out[5] = static_cast<std::uint8_t>(identifier & 0xff);
	out[6] = static_cast<std::uint8_t>(sequence >> 8);
	out[7] = static_cast<std::uint8_t>(sequence & 0xff);
	std::copy(payload.begin(), payload.end(), out.begin() + kEchoHeader);
	if (!v6) {
		const std::uint16_t sum = internetChecksum(out);
		out[2] = static_cast<std::uint8_t>(sum >> 8);
		out[3] = static_cast<std::uint8_t>(sum & 0xff);
	}
	return out;
}

std::optional<EchoReply> decodeEchoReply(bool v6, bool withIpHeader, std::span<const std::uint8_t> bytes)
{
	if (withIpHeader && !v6) {
		if (bytes.empty() || (bytes[0] >> 4) != 4)
			return std::nullopt;
		const std::size_t ihl = std::size_t{bytes[0] & 0x0fu} * 4;
		if (ihl < 20 || ihl > bytes.size())
			return std::nullopt;
		bytes = bytes.subspan(ihl);
	}
	if (bytes.size() < kEchoHeader)
		return std::nullopt;
	if (bytes[0] != (v6 ? 129 : 0) || bytes[1] != 0)
		return std::nullopt;
	if (!v6 && internetChecksum(bytes) != 0)
		return std::nullopt;
	EchoReply reply;
	reply.identifier = static_cast<std::uint16_t>(bytes[4] << 8 | bytes[5]);
	reply.sequence = static_cast<std::uint16_t>(bytes[6] << 8 | bytes[7]);
	reply.payload = bytes.subspan(kEchoHeader);
	return reply;
}

} // namespace vigil::checkers
