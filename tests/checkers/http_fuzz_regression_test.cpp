// The fuzz_http_response seeds and every input the fuzzer found, replayed
// through the target's checks (tests/fuzz/http_response_checks.h) in the
// ordinary build.
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <iterator>

#include "tests/fuzz/http_response_checks.h"

namespace vigil::fuzz {
namespace {

TEST(HttpFuzzRegression, Corpus)
{
	std::size_t seen = 0;
	for (const auto &entry : std::filesystem::directory_iterator(VIGIL_HTTP_FUZZ_CORPUS)) {
		SCOPED_TRACE(entry.path().filename().string());
		std::ifstream in(entry.path(), std::ios::binary);
		const std::vector<std::uint8_t> data{std::istreambuf_iterator<char>(in),
		                                     std::istreambuf_iterator<char>()};
		EXPECT_EQ(checkHttpResponse(data), "");
		++seen;
	}
	EXPECT_GE(seen, 5u);
}

TEST(HttpFuzzRegression, TruncatedResponseIsAConsistentError)
{
	const std::string truncated = "HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nab";
	const std::vector<std::uint8_t> data(truncated.begin(), truncated.end());
	EXPECT_EQ(checkHttpResponse(data), ""); // an error, consistently, is fine
}

} // namespace
} // namespace vigil::fuzz
