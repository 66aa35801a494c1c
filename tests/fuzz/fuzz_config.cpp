// libFuzzer target: arbitrary bytes as a keepalived.conf through the whole
// reader (preprocessor, keyword tree, model, dump) with a dump round trip.
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "tests/fuzz/fuzz_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
	std::string text(reinterpret_cast<const char *>(data), size);
	if (std::string failure = vigil::fuzz::checkConfig(text); !failure.empty()) {
		std::fprintf(stderr, "fuzz_config: %s\n", failure.c_str());
		std::abort();
	}
	return 0;
}
