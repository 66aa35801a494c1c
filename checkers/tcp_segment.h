#pragma once

// The two segments of a half-open TCP check, as bytes (RFC 9293): the SYN
// vigil sends from a raw socket, and the server's answer, a SYN-ACK when
// something listens there or a RST when nothing does. Pure: no sockets,
// so the decoder is fuzzed on its own.

#include <array>
#include <cstdint>
#include <optional>
#include <span>

namespace vigil::checkers {

// A SYN with an MSS option (as every real client sends one), the checksum
// filled in over the pseudo-header of `source` and `destination` (4 or 16
// bytes each, network order).
constexpr std::size_t kSynLength = 24;
std::array<std::uint8_t, kSynLength> encodeSyn(std::span<const std::uint8_t> source,
                                               std::span<const std::uint8_t> destination, std::uint16_t sourcePort,
                                               std::uint16_t destinationPort, std::uint32_t sequence,
                                               std::uint16_t mss);

// The Internet checksum of a TCP segment with its pseudo-header (RFC 9293
// 3.1, RFC 8200 8.1). Over a segment whose checksum field is filled in,
// a correct one gives 0.
std::uint16_t tcpChecksum(std::span<const std::uint8_t> source, std::span<const std::uint8_t> destination,
                          std::span<const std::uint8_t> segment);

// What matters of an answer.
struct TcpAnswer {
	std::uint16_t sourcePort = 0;
	std::uint16_t destinationPort = 0;
	std::uint32_t sequence = 0;
	std::uint32_t acknowledgment = 0;
	bool syn = false;
	bool ack = false;
	bool rst = false;
};

// A TCP header as an IPv6 raw socket hands it over (no IP header); null
// when too short or its data offset is impossible.
std::optional<TcpAnswer> decodeTcpHeader(std::span<const std::uint8_t> segment);

// An IPv4 packet as an IPv4 raw socket hands it over (IP header first);
// null unless it is a whole, unfragmented TCP segment. Its checksum is not
// checked (segments within a host carry a partial one). `source` gets the
// sender's address.
std::optional<TcpAnswer> decodeIpv4Tcp(std::span<const std::uint8_t> packet, std::array<std::uint8_t, 4> &source);

// Whether `answer` answers the SYN sent with `sequence`: a SYN-ACK or a
// RST acknowledging sequence + 1 (RFC 9293 3.10.7.3: a RST in SYN-SENT
// counts only with that acknowledgment).
enum class Verdict { kNotOurs, kListening, kRefused };
Verdict judge(const TcpAnswer &answer, std::uint32_t sequence);

} // namespace vigil::checkers
