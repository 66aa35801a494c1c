#include "src/config/ip_address.h"

#include <arpa/inet.h>
#include <charconv>
#include <cstring>

namespace vigil::config {

namespace {

// The dotted quad inet_pton(AF_INET) accepts: four decimal parts of 0-255
// without leading zeros. Anything else goes to inet_pton itself, so the
// result is always what inet_pton gives; this only saves the common case
// the copy and the call (a large configuration has a hundred thousand).
bool parseDottedQuad(std::string_view text, std::uint8_t *out)
{
	std::size_t i = 0;
	for (int part = 0; part < 4; ++part) {
		if (part > 0) {
			if (i >= text.size() || text[i] != '.')
				return false;
			++i;
		}
		std::size_t start = i;
		unsigned value = 0;
		while (i < text.size() && text[i] >= '0' && text[i] <= '9' && i - start < 3)
			value = value * 10 + static_cast<unsigned>(text[i++] - '0');
		std::size_t digits = i - start;
		if (digits == 0 || value > 255 || (digits > 1 && text[start] == '0'))
			return false;
		out[part] = static_cast<std::uint8_t>(value);
	}
	return i == text.size();
}

} // namespace

std::optional<IpAddress> IpAddress::parse(std::string_view text)
{
	IpAddress fast;
	if (parseDottedQuad(text, fast.bytes.data())) {
		fast.family = AF_INET;
		return fast;
	}
	if (text.empty() || text.size() > INET6_ADDRSTRLEN)
		return std::nullopt;
	char buf[INET6_ADDRSTRLEN + 1];
	std::memcpy(buf, text.data(), text.size());
	buf[text.size()] = 0;
	IpAddress a;
	if (text.find(':') == std::string_view::npos) {
		if (::inet_pton(AF_INET, buf, a.bytes.data()) != 1)
			return std::nullopt;
		a.family = AF_INET;
	} else {
		if (::inet_pton(AF_INET6, buf, a.bytes.data()) != 1)
			return std::nullopt;
		a.family = AF_INET6;
	}
	return a;
}

IpAddress IpAddress::v4(std::uint32_t hostOrder)
{
	IpAddress a;
	a.family = AF_INET;
	a.bytes[0] = static_cast<std::uint8_t>(hostOrder >> 24);
	a.bytes[1] = static_cast<std::uint8_t>(hostOrder >> 16);
	a.bytes[2] = static_cast<std::uint8_t>(hostOrder >> 8);
	a.bytes[3] = static_cast<std::uint8_t>(hostOrder);
	return a;
}

bool IpAddress::isV4() const
{
	return family == AF_INET;
}
bool IpAddress::isV6() const
{
	return family == AF_INET6;
}

std::string IpAddress::str() const
{
	if (family == 0)
		return "(none)";
	char buf[INET6_ADDRSTRLEN];
	::inet_ntop(family, bytes.data(), buf, sizeof buf);
	return buf;
}

std::uint32_t IpAddress::low() const
{
	if (isV4())
		return bytes[3];
	return static_cast<std::uint32_t>(bytes[14]) << 8 | bytes[15];
}

IpAddress IpAddress::withLow(std::uint32_t value) const
{
	IpAddress a = *this;
	if (isV4()) {
		a.bytes[3] = static_cast<std::uint8_t>(value);
	} else {
		a.bytes[14] = static_cast<std::uint8_t>(value >> 8);
		a.bytes[15] = static_cast<std::uint8_t>(value);
	}
	return a;
}

std::optional<IpPrefix> IpPrefix::parse(std::string_view text)
{
	std::size_t slash = text.find('/');
	auto address = IpAddress::parse(text.substr(0, slash));
	if (!address)
		return std::nullopt;
	int width = address->isV4() ? 32 : 128;
	int length = width;
	if (slash != std::string_view::npos) {
		std::string_view len = text.substr(slash + 1);
		auto [ptr, ec] = std::from_chars(len.data(), len.data() + len.size(), length);
		if (len.empty() || ec != std::errc() || ptr != len.data() + len.size() || length < 0 || length > width)
			return std::nullopt;
	}
	return IpPrefix{*address, length};
}

std::string IpPrefix::str() const
{
	return address.str() + "/" + std::to_string(length);
}

} // namespace vigil::config
