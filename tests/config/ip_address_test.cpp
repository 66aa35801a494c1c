#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <random>
#include <string>

#include "src/config/ip_address.h"

namespace vigil::config {
namespace {

// IpAddress::parse must say exactly what inet_pton says about IPv4 text,
// fast path or not.
void expectSameAsInetPton(const std::string &text)
{
	std::uint8_t want[4] = {};
	bool valid = ::inet_pton(AF_INET, text.c_str(), want) == 1;
	std::optional<IpAddress> got = IpAddress::parse(text);
	if (text.find(':') != std::string::npos)
		return; // IPv6 text: not this test's business
	ASSERT_EQ(got.has_value(), valid) << '"' << text << '"';
	if (valid) {
		EXPECT_EQ(got->family, AF_INET);
		for (int i = 0; i < 4; ++i)
			EXPECT_EQ(got->bytes[i], want[i]) << text;
	}
}

TEST(IpAddress, Ipv4LikeInetPton)
{
	for (const char *t : {"10.0.0.1",   "0.0.0.0",       "255.255.255.255", "256.1.1.1", "01.2.3.4", "1.2.3",
	                      "1.2.3.4.",   "1.2.3.4.5",     ".1.2.3",          "1..2.3",    "1.2.3.04", "1.2.3.0",
	                      "1.2.3.1000", "1.2.3.-1",      "1.2.3.4 ",        " 1.2.3.4",  "1.2.3.a",  "",
	                      "0x1.2.3.4",  "192.168.001.1", "1.2.3.255",       "1.2.3.256", "999.1.1.1"})
		expectSameAsInetPton(t);
	std::mt19937 random(11);
	const std::string alphabet = "0123456789..a ";
	for (int i = 0; i < 50000; ++i) {
		std::string t(random() % 17, ' ');
		for (char &c : t)
			c = alphabet[random() % alphabet.size()];
		expectSameAsInetPton(t);
	}
}

TEST(IpAddress, Ipv6StillParses)
{
	auto a = IpAddress::parse("2001:db8::1");
	ASSERT_TRUE(a);
	EXPECT_EQ(a->family, AF_INET6);
	EXPECT_FALSE(IpAddress::parse("2001:db8::1::2"));
}

} // namespace
} // namespace vigil::config
