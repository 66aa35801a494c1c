#pragma once

// Hex text to bytes and addresses for the packet tests' golden data.

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "common/inet_checksum.h"
#include "src/config/ip_address.h"

namespace vigil::vrrp::testing {

// Hex digits; spaces are ignored so that fields can be set apart.
inline std::vector<std::uint8_t> bytes(std::string_view hex)
{
	std::string digits;
	for (char c : hex)
		if (c != ' ')
			digits += c;
	std::vector<std::uint8_t> out;
	for (std::size_t i = 0; i + 1 < digits.size(); i += 2)
		out.push_back(static_cast<std::uint8_t>(std::stoul(digits.substr(i, 2), nullptr, 16)));
	return out;
}

inline std::string hex(const std::vector<std::uint8_t> &data)
{
	static constexpr char kDigits[] = "0123456789abcdef";
	std::string out;
	for (std::uint8_t b : data) {
		out += kDigits[b >> 4];
		out += kDigits[b & 0x0f];
	}
	return out;
}

inline config::IpAddress ip(std::string_view text)
{
	auto a = config::IpAddress::parse(text);
	if (!a)
		std::abort();
	return *a;
}

// Rewrites the checksum of a VRRP message as version 2 computes it (over the
// message alone; also version 3 with V3Checksum::kNoPseudoHeader), after a
// test has altered the message. Messages shorter than a header are left.
inline void refreshChecksum(std::vector<std::uint8_t> &message)
{
	if (message.size() < 8)
		return;
	message[6] = message[7] = 0;
	InternetChecksum sum;
	sum.add(message);
	const std::uint16_t c = sum.finish();
	message[6] = static_cast<std::uint8_t>(c >> 8);
	message[7] = static_cast<std::uint8_t>(c);
}

} // namespace vigil::vrrp::testing
