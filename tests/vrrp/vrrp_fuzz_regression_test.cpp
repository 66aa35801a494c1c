// The fuzz_vrrp_packet seeds (keepalived's captured packets) and every input
// the fuzzer found, replayed through the target's checks in the ordinary
// build, plus inputs built to reach each branch of those checks.
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <iterator>

#include "tests/fuzz/vrrp_packet_checks.h"

namespace vigil::fuzz {
namespace {

std::vector<std::uint8_t> readFile(const std::filesystem::path &path)
{
	std::ifstream in(path, std::ios::binary);
	return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(VrrpFuzzRegression, Corpus)
{
	std::size_t seen = 0;
	for (const auto &entry : std::filesystem::directory_iterator(VIGIL_VRRP_FUZZ_CORPUS)) {
		SCOPED_TRACE(entry.path().filename().string());
		auto data = readFile(entry.path());
		EXPECT_EQ(checkVrrpPacket(data), "");
		++seen;
	}
	EXPECT_GE(seen, 9u);
}

TEST(VrrpFuzzRegression, SeedsDecode)
{
	// The seeds are worth having only if they get past the checksum.
	for (const auto &entry : std::filesystem::directory_iterator(VIGIL_VRRP_FUZZ_CORPUS)) {
		const std::string name = entry.path().filename().string();
		if (!name.starts_with("keepalived-"))
			continue;
		SCOPED_TRACE(name);
		auto data = readFile(entry.path());
		if (name.find("ipv6") != std::string::npos) {
			EXPECT_TRUE(vrrp::decodeAdvertisement(data, ipv6Meta(), AF_INET6).has_value());
			continue;
		}
		auto d = vrrp::splitIpv4(data);
		ASSERT_TRUE(d.has_value());
		auto c = name.find("old-checksum") != std::string::npos ? vrrp::V3Checksum::kPseudoHeaderMulticastDst
		                                                        : vrrp::V3Checksum::kPseudoHeader;
		EXPECT_TRUE(vrrp::decodeAdvertisement(d->payload, d->meta, AF_INET, c).has_value());
	}
}

TEST(VrrpFuzzRegression, ZeroVersion3IntervalIsTheOnlySelfRefusal)
{
	// v3 IPv6 with a zero interval: decodes, and an instance configured
	// from it refuses it, which checkDecoded expects.
	vrrp::Advertisement adv;
	adv.version = 3;
	adv.vrid = 51;
	adv.priority = 150;
	adv.intervalCs = 0;
	auto wire = vrrp::encodeAdvertisement(adv, ipv6Meta().source, ipv6Meta().destination);
	EXPECT_EQ(checkVrrpPacket(wire), "");
	EXPECT_EQ(checkDecoded(adv, ipv6Meta(), AF_INET6), "");
}

} // namespace
} // namespace vigil::fuzz
