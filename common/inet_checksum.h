#pragma once

// The Internet checksum (RFC 1071): the ones' complement of the ones'
// complement sum of 16-bit big-endian words. VRRP, ICMPv6 and TCP (the
// half-open check's SYN) use it, over a pseudo-header followed by the
// message.

#include <cstddef>
#include <cstdint>
#include <span>

namespace vigil {

class InternetChecksum
{
public:
	// Pieces may have odd lengths: a byte left over from one piece pairs
	// with the first byte of the next, as if the pieces were contiguous.
	void add(std::span<const std::uint8_t> bytes)
	{
		for (std::uint8_t b : bytes) {
			sum_ += odd_ ? b : static_cast<std::uint32_t>(b) << 8;
			odd_ = !odd_;
		}
	}

	// The value to write into the checksum field (computed with that field
	// zero), or 0 when verifying a message whose checksum is correct.
	std::uint16_t finish() const
	{
		std::uint32_t s = sum_;
		while (s >> 16)
			s = (s & 0xffff) + (s >> 16);
		return static_cast<std::uint16_t>(~s & 0xffff);
	}

private:
	// 64 KiB of 0xffff words cannot overflow 32 bits before the fold.
	std::uint32_t sum_ = 0;
	bool odd_ = false;
};

} // namespace vigil
