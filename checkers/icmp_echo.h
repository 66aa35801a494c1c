#pragma once

// ICMP echo (RFC 792) and ICMPv6 echo (RFC 4443) for PING_CHECK: the
// request to send and the test that a received datagram is the reply to
// it. Received bytes are untrusted and only read within their length.

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace vigil::checkers {

// The Internet checksum (RFC 1071): ones' complement of the ones'
// complement sum of 16-bit words, an odd last byte padded with zero.
std::uint16_t internetChecksum(std::span<const std::uint8_t> bytes);

// Type 8 (ICMP) or 128 (ICMPv6), code 0. The ICMP checksum is filled in;
// for ICMPv6 it stays 0, since it covers a pseudo-header the kernel fills
// in on send (RFC 3542 3.1).
std::vector<std::uint8_t> encodeEchoRequest(bool v6, std::uint16_t identifier, std::uint16_t sequence,
                                            std::span<const std::uint8_t> payload);

struct EchoReply {
	std::uint16_t identifier = 0;
	std::uint16_t sequence = 0;
	std::span<const std::uint8_t> payload;
};

// An echo reply (type 0, or 129 for ICMPv6), else nothing. `withIpHeader`:
// a raw IPv4 socket hands over the IP header first; its IHL says how long.
// The ICMPv4 checksum is verified; an ICMPv6 one was already by the kernel.
std::optional<EchoReply> decodeEchoReply(bool v6, bool withIpHeader, std::span<const std::uint8_t> bytes);

} // namespace vigil::checkers
