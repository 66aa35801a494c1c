// libFuzzer target: the half-open TCP check's decoders of what a raw
// socket hands over (any TCP segment the host receives that passes the
// socket filter, so anyone on the network can shape it).

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "checkers/tcp_segment.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
	const std::span<const std::uint8_t> bytes(data, size);
	std::array<std::uint8_t, 4> source{};
	if (auto a = vigil::checkers::decodeIpv4Tcp(bytes, source)) {
		// What was decoded must be a whole header inside the packet.
		if (size < 40)
			std::abort();
		(void)vigil::checkers::judge(*a, a->acknowledgment - 1);
	}
	if (auto a = vigil::checkers::decodeTcpHeader(bytes)) {
		if (size < 20)
			std::abort();
		(void)vigil::checkers::judge(*a, 0);
	}
	return 0;
}
