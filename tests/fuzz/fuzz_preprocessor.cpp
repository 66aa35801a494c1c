// libFuzzer target: the preprocessor over two in-memory files (main.conf,
// and inc.conf after the input's first NUL byte) so includes are exercised.
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "tests/fuzz/fuzz_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
	std::string_view input(reinterpret_cast<const char *>(data), size);
	if (std::string failure = vigil::fuzz::checkPreprocessor(input); !failure.empty()) {
		std::fprintf(stderr, "fuzz_preprocessor: %s\n", failure.c_str());
		std::abort();
	}
	return 0;
}
