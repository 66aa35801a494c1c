#include "checkers/tcp_segment.h"

#include "common/inet_checksum.h"

namespace vigil::checkers {
namespace {

constexpr std::uint8_t kSyn = 0x02;
constexpr std::uint8_t kRst = 0x04;
constexpr std::uint8_t kAck = 0x10;
constexpr std::uint8_t kProtocolTcp = 6;

std::uint16_t read16(std::span<const std::uint8_t> b, std::size_t at)
{
	return static_cast<std::uint16_t>(b[at] << 8 | b[at + 1]);
}

std::uint32_t read32(std::span<const std::uint8_t> b, std::size_t at)
{
	return static_cast<std::uint32_t>(b[at]) << 24 | static_cast<std::uint32_t>(b[at + 1]) << 16 |
	       static_cast<std::uint32_t>(b[at + 2]) << 8 | b[at + 3];
}

void write16(std::span<std::uint8_t> b, std::size_t at, std::uint16_t v)
{
	b[at] = static_cast<std::uint8_t>(v >> 8);
	b[at + 1] = static_cast<std::uint8_t>(v);
}

void write32(std::span<std::uint8_t> b, std::size_t at, std::uint32_t v)
{
	for (int i = 0; i < 4; ++i)
		b[at + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v >> (24 - 8 * i));
}

} // namespace

std::uint16_t tcpChecksum(std::span<const std::uint8_t> source, std::span<const std::uint8_t> destination,
                          std::span<const std::uint8_t> segment)
{
	InternetChecksum sum;
	sum.add(source);
	sum.add(destination);
	// IPv4's pseudo-header has a 16-bit length after a zero byte and the
	// protocol, IPv6's a 32-bit length before three zero bytes and the
	// protocol: the same sum for segments under 64 KB.
	const std::uint8_t tail[4] = {0, kProtocolTcp, static_cast<std::uint8_t>(segment.size() >> 8),
	                              static_cast<std::uint8_t>(segment.size())};
	sum.add(tail);
	sum.add(segment);
	return sum.finish();
}

std::array<std::uint8_t, kSynLength> encodeSyn(std::span<const std::uint8_t> source,
                                               std::span<const std::uint8_t> destination, std::uint16_t sourcePort,
                                               std::uint16_t destinationPort, std::uint32_t sequence, std::uint16_t mss)
{
	std::array<std::uint8_t, kSynLength> s{};
	write16(s, 0, sourcePort);
	write16(s, 2, destinationPort);
	write32(s, 4, sequence);
	// acknowledgment 0
	s[12] = (kSynLength / 4) << 4; // data offset in words
	s[13] = kSyn;
	write16(s, 14, 65535); // window
	// checksum at 16, urgent pointer 0
	s[20] = 2; // MSS option: kind 2, length 4
	s[21] = 4;
	write16(s, 22, mss);
	write16(s, 16, tcpChecksum(source, destination, s));
	return s;
}

std::optional<TcpAnswer> decodeTcpHeader(std::span<const std::uint8_t> segment)
{
	if (segment.size() < 20)
		return std::nullopt;
	const std::size_t offset = static_cast<std::size_t>(segment[12] >> 4) * 4;
	if (offset < 20 || offset > segment.size())
		return std::nullopt;
	TcpAnswer a;
	a.sourcePort = read16(segment, 0);
	a.destinationPort = read16(segment, 2);
	a.sequence = read32(segment, 4);
	a.acknowledgment = read32(segment, 8);
	const std::uint8_t flags = segment[13];
	a.syn = flags & kSyn;
	a.ack = flags & kAck;
	a.rst = flags & kRst;
	return a;
}

std::optional<TcpAnswer> decodeIpv4Tcp(std::span<const std::uint8_t> packet, std::array<std::uint8_t, 4> &source)
{
	if (packet.size() < 20 || packet[0] >> 4 != 4)
		return std::nullopt;
	const std::size_t headerLength = static_cast<std::size_t>(packet[0] & 0x0f) * 4;
	const std::size_t totalLength = read16(packet, 2);
	if (headerLength < 20 || totalLength < headerLength || totalLength > packet.size() || packet[9] != kProtocolTcp)
		return std::nullopt;
	// A fragment (more fragments, or an offset) is not a whole segment.
	if ((read16(packet, 6) & 0x3fff) != 0)
		return std::nullopt;
	// The TCP checksum is not verified: on loopback (and with transmit
	// offload within a host) segments carry only the pseudo-header's sum.
	// An answer counts only when it acknowledges our SYN's 32-bit number
	// on our flow, which a damaged segment will not do by chance.
	auto answer = decodeTcpHeader(packet.subspan(headerLength, totalLength - headerLength));
	if (answer)
		for (std::size_t i = 0; i < 4; ++i)
			source[i] = packet[12 + i];
	return answer;
}

Verdict judge(const TcpAnswer &answer, std::uint32_t sequence)
{
	if (!answer.ack || answer.acknowledgment != sequence + 1)
		return Verdict::kNotOurs;
	if (answer.rst)
		return Verdict::kRefused;
	if (answer.syn)
		return Verdict::kListening;
	return Verdict::kNotOurs;
}

} // namespace vigil::checkers
