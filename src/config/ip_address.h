#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vigil::config {

// An IPv4 or IPv6 address as a plain comparable value.
struct IpAddress {
	int family = 0; // AF_INET, AF_INET6, or 0 when unset
	std::array<std::uint8_t, 16> bytes{};

	static std::optional<IpAddress> parse(std::string_view text);
	static IpAddress v4(std::uint32_t hostOrder);
	bool isV4() const;
	bool isV6() const;
	bool empty() const { return family == 0; }
	std::string str() const;
	// The last octet (IPv4) or last 16-bit group (IPv6) for range arithmetic.
	std::uint32_t low() const;
	IpAddress withLow(std::uint32_t value) const;

	auto operator<=>(const IpAddress &) const = default;
};

// "ADDR[/LEN]"; len defaults to the full width.
struct IpPrefix {
	IpAddress address;
	int length = 0;

	static std::optional<IpPrefix> parse(std::string_view text);
	std::string str() const;
	auto operator<=>(const IpPrefix &) const = default;
};

} // namespace vigil::config
