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

using parser::Line;
using parser::MemoryFileSource;
using parser::Preprocessor;
using parser::PreprocessorOptions;

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
                                 // took every hex digit after it, so "\x23b" read back as ';'.
                                 // Now that the reader has no escapes, they are just quoted.
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
}

struct Expansion {
	std::vector<Line> lines;
	parser::Diagnostics diagnostics;
};

// The bounds vigil runs with, not the fuzzers' small ones.
PreprocessorOptions productionOptions()
{
	PreprocessorOptions o;
	o.configId = "fuzz";
	return o;
}

Expansion expand(const std::string &text, PreprocessorOptions options)
{
	Expansion e;
	MemoryFileSource files;
	Preprocessor pre(files, e.diagnostics, std::move(options));
	e.lines = pre.runText(kMainFile, text);
	return e;
}

// A multi-line definition made of two copies of itself expanded into a
// binary tree 2^maxDepth leaves wide, one "nested too deeply" error per
// leaf: with the default depth of 64 it never finished (and filled memory
// with diagnostics). The line is now abandoned at the first error.
TEST(FuzzRegression, SelfReplicatingDefinitionFailsOnce)
{
	for (const char *text : {"$A=$A \\\n$A\n$A\n", "$A=$A\\\n$A\\\n$A\n$A\nnext line\n"}) {
		SCOPED_TRACE(text);
		Expansion e = expand(text, productionOptions());
		ASSERT_EQ(e.diagnostics.all().size(), 1u);
		EXPECT_EQ(e.diagnostics.all()[0].message, "Parameter substitution nested too deeply - line skipped");
		EXPECT_EQ(checkPreprocessor(text), "");
		EXPECT_EQ(checkConfig(text), "");
	}
	// Lines after the abandoned one are read as usual.
	Expansion e = expand("$A=$A x\nv $A\nafter\n", productionOptions());
	ASSERT_EQ(e.lines.size(), 1u);
	EXPECT_EQ(e.lines[0].text, "after");
}

// Nested generators whose lines are all dropped (a conditional for another
// host, definitions) emitted nothing, so maxLines never stopped them:
// 20000 x 20000 rows ran for minutes. maxSteps bounds every logical line.
TEST(FuzzRegression, NestedGeneratorsThatEmitNothingAreBounded)
{
	for (const char *text :
	     {"~SEQ(a, 20000) ~SEQ(b, 20000) @nothere y\n", "~SEQ(a, 100000) ~SEQ(b, 100000) $A=$a\n"}) {
		SCOPED_TRACE(text);
		PreprocessorOptions o = productionOptions();
		o.maxSteps = 50'000;
		Expansion e = expand(text, o);
		EXPECT_TRUE(e.lines.empty());
		ASSERT_EQ(e.diagnostics.all().size(), 1u);
		EXPECT_EQ(e.diagnostics.all()[0].severity, parser::Severity::kFatal);
		EXPECT_EQ(e.diagnostics.all()[0].message,
		          "Configuration needs more than 50000 steps to expand - giving up");
		EXPECT_EQ(checkPreprocessor(text), "");
		EXPECT_EQ(checkConfig(text), "");
	}
}

// The reader has no escapes (as keepalived 2.2.7): the writer only wraps
// words in double quotes, which the tokenizer reads back as they were.
TEST(FuzzRegression, WriterQuotesWithoutEscapes)
{
	EXPECT_EQ(config::ConfigWriter::quote("a#b!c$d"), "\"a#b!c$d\"");
	EXPECT_EQ(config::ConfigWriter::quote("two words"), "\"two words\"");
	EXPECT_EQ(config::ConfigWriter::quote("back\\slash'quote"), "back\\slash'quote");
	EXPECT_EQ(config::ConfigWriter::quote(""), "\"\"");
	EXPECT_EQ(config::ConfigWriter::formatNumber(0.000001), "0.000001");
	EXPECT_EQ(config::ConfigWriter::formatNumber(0.5), "0.5");
	EXPECT_EQ(config::ConfigWriter::formatNumber(3), "3");
}

// Every seed in tests/fuzz/corpus through both fuzz checks (the folders
// there are other targets' binary seeds).
TEST(FuzzRegression, SeedCorpus)
{
	std::size_t seen = 0;
	for (const auto &entry : std::filesystem::directory_iterator(VIGIL_FUZZ_CORPUS)) {
		if (!entry.is_regular_file())
			continue;
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
