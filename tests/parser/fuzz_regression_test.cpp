// Inputs the fuzzers (tests/fuzz/) found, replayed with the same checks the
// fuzz targets make, and the whole seed corpus replayed the same way, so a
// regression shows up in the unit suite without clang or libFuzzer.
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <iterator>

#include "src/config/config_writer.h"
#include "tests/fuzz/fuzz_checks.h"

namespace vigil::fuzz {
namespace {

struct Case {
	const char *name;
	std::string input;
};

std::string caseName(const ::testing::TestParamInfo<Case> &info)
{
	return info.param.name;
}

// fuzz_config: the dump of a clean load must load back cleanly and dump the
// same.
class ConfigRoundTrip : public ::testing::TestWithParam<Case>
{
};

TEST_P(ConfigRoundTrip, DumpReloadsIdentically)
{
	EXPECT_EQ(checkConfig(GetParam().input), "");
}

INSTANTIATE_TEST_SUITE_P(FuzzRegression, ConfigRoundTrip,
                         ::testing::Values(
                                 // '#' and '!' were written as "\x23" and "\x21": a hex escape
                                 // takes every hex digit after it, so "\x23b" read back as ';'.
                                 Case{"HexEscapeFollowedByHexDigit",
                                      "global_defs {\n notification_email_from \"a#b!c@example.com\"\n}\n"},
                                 Case{"DollarAndControlCharacters",
                                      "global_defs {\n router_id \"$a\\tb\\x7fc\\x01d\"\n smtp_helo_name 'x!1'\n}\n"},
                                 // A timer of 0.000001 was written as "1e-06", which a timer
                                 // does not accept.
                                 Case{"SmallTimerWithoutExponent", "global_defs {\n vrrp_gna_interval 0.000001\n}\n"}),
                         caseName);

// fuzz_preprocessor and fuzz_config: a byte of 0x80 or more inside a
// ~SEQ/~LST argument list failed Spirit's <cctype> assertion.
TEST(FuzzRegression, GeneratorArgumentsWithHighBytes)
{
	// (String literals split where a hex digit follows a "\x" escape.)
	const std::string input = "~SEQ(i, 1, 3\xc3) x\n"
	                          "~LST(\xe9, a) x\n"
	                          "~LST(a, \xe9\xa0, b) x$a\n"
	                          "~SEQ(\xa0i,\xa0"
	                          "2) y\n"
	                          "~LST(v,\xa0"
	                          "a\xa0"
	                          "b) z$v\n";
	EXPECT_EQ(checkPreprocessor(input), "");
	EXPECT_EQ(checkConfig(input), "");

	parser::MemoryFileSource files;
	parser::Diagnostics d;
	parser::Preprocessor pre(files, d, fuzzOptions());
	auto lines = pre.runText(kMainFile, input);
	// The ~LST lines whose values hold high bytes are well formed; the
	// others are reported.
	ASSERT_EQ(lines.size(), 3u);
	EXPECT_EQ(lines[0].text, "x\xe9\xa0");
	EXPECT_EQ(lines[1].text, "xb");
	EXPECT_EQ(lines[2].text, "z\xa0"
	                         "a\xa0"
	                         "b");
	EXPECT_EQ(d.count(parser::Severity::kError), 3u);
}

TEST(FuzzRegression, WriterEscapesReadBackUnambiguously)
{
	EXPECT_EQ(config::ConfigWriter::quote("a#b!c$d"), "\"a\\043b\\041c\\044d\"");
	EXPECT_EQ(config::ConfigWriter::quote("\x01"
	                                      "7"),
	          "\"\\0017\"");
	EXPECT_EQ(config::ConfigWriter::formatNumber(0.000001), "0.000001");
	EXPECT_EQ(config::ConfigWriter::formatNumber(0.5), "0.5");
	EXPECT_EQ(config::ConfigWriter::formatNumber(3), "3");
}

// Every seed in tests/fuzz/corpus through both fuzz checks.
TEST(FuzzRegression, SeedCorpus)
{
	std::size_t seen = 0;
	for (const auto &entry : std::filesystem::directory_iterator(VIGIL_FUZZ_CORPUS)) {
		std::ifstream in(entry.path(), std::ios::binary);
		std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
		SCOPED_TRACE(entry.path().filename().string());
		EXPECT_EQ(checkConfig(data), "");
		EXPECT_EQ(checkPreprocessor(data), "");
		++seen;
	}
	EXPECT_GT(seen, 10u);
}

} // namespace
} // namespace vigil::fuzz
