// libFuzzer target: arbitrary bytes as a real server's HTTP response, read
// whole, byte by byte and in pseudo-random pieces (http_response_checks.h).
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "tests/fuzz/http_response_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
	if (std::string failure = vigil::fuzz::checkHttpResponse({data, size}); !failure.empty()) {
		std::fprintf(stderr, "fuzz_http_response: %s\n", failure.c_str());
		std::abort();
	}
	return 0;
}
