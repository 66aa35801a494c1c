// libFuzzer target: arbitrary bytes as a received VRRP packet, both as an
// IPv4 datagram (splitIpv4, decodeAdvertisement with each v3 checksum
// variant, checkAgainst) and as the VRRP message of an IPv6 packet; every
// advertisement that decodes must survive encode/decode unchanged.
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "tests/fuzz/vrrp_packet_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
	if (std::string failure = vigil::fuzz::checkVrrpPacket({data, size}); !failure.empty()) {
		std::fprintf(stderr, "fuzz_vrrp_packet: %s\n", failure.c_str());
		std::abort();
	}
	return 0;
}
