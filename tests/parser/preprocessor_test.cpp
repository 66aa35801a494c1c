#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "parser/generator.h"
#include "parser/preprocessor.h"

namespace vigil::parser {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;

struct Output {
	std::vector<std::string> lines;       // "LINE text"
	std::vector<std::string> diagnostics; // "LINE message"
};

PreprocessorOptions testOptions()
{
	PreprocessorOptions o;
	o.configId = "main";
	o.getenv = [](const std::string &name) -> std::optional<std::string> {
		if (name == "VIGIL_TEST")
			return "from-env";
		return std::nullopt;
	};
	o.random = [](long lo, long hi) { return lo + (hi - lo) / 2; };
	return o;
}

Output collect(Preprocessor &pre, Diagnostics &d, const std::vector<Line> &lines)
{
	(void)pre;
	Output out;
	for (const auto &l : lines)
		out.lines.push_back(std::to_string(l.where.line) + " " + l.text);
	for (const auto &x : d.all())
		out.diagnostics.push_back(std::to_string(x.where.line) + " " + x.message);
	return out;
}

Output run(const std::string &text, PreprocessorOptions options = testOptions())
{
	MemoryFileSource files;
	Diagnostics d;
	Preprocessor pre(files, d, std::move(options));
	auto lines = pre.runText("/etc/keepalived/keepalived.conf", text);
	return collect(pre, d, lines);
}

Output runFiles(MemoryFileSource &files, const std::string &path)
{
	Diagnostics d;
	Preprocessor pre(files, d, testOptions());
	auto lines = pre.run(path);
	Output out = collect(pre, d, lines);
	for (std::size_t i = 0; i < lines.size(); ++i)
		out.lines[i] = *lines[i].where.file + ":" + out.lines[i];
	return out;
}

struct Case {
	const char *name;
	const char *input;
	std::vector<std::string> lines;
};

class PreprocessorTable : public ::testing::TestWithParam<Case>
{
};

TEST_P(PreprocessorTable, Lines)
{
	const Case &c = GetParam();
	Output out = run(c.input);
	EXPECT_THAT(out.lines, ElementsAreArray(c.lines)) << c.input;
	EXPECT_THAT(out.diagnostics, ElementsAre()) << c.input;
}

// A file arrives in pieces (RealFileSource reads 64 KB at a time): the
// same lines whatever the cuts, a line split across pieces included.
TEST_P(PreprocessorTable, SameLinesReadInPieces)
{
	const Case &c = GetParam();
	for (std::size_t size : {1, 2, 3, 7, 16, 17, 64}) {
		MemoryFileSource files;
		files.setChunkSize(size);
		files.add("/etc/keepalived/keepalived.conf", c.input);
		Output out = runFiles(files, "/etc/keepalived/keepalived.conf");
		std::vector<std::string> lines;
		for (const auto &l : c.lines)
			lines.push_back("/etc/keepalived/keepalived.conf:" + l);
		EXPECT_THAT(out.lines, ElementsAreArray(lines)) << "pieces of " << size << ": " << c.input;
	}
}

INSTANTIATE_TEST_SUITE_P(
        Lexical, PreprocessorTable,
        ::testing::Values(
                Case{"HashComment", "a b # comment\n", {"1 a b"}},
                Case{"BangComment", "a b ! comment\n! whole line\n", {"1 a b"}},
                Case{"CommentInsideQuotesKept", "script \"x # y\" # gone\n", {"1 script \"x # y\""}},
                Case{"SingleQuotesDoNotProtect", "script 'a ! b'\n", {"1 script 'a"}},
                Case{"CommentMidWord", "s#t@u tail\nv!w tail\n", {"1 s", "2 v"}},
                Case{"HashAndBangInQuotes", "a \"${_HASH}1\" \"${_BANG}2\"\n", {"1 a \"#1\" \"!2\""}},
                Case{"HashOutsideQuotesStartsComment", "h${_HASH}h x\n", {"1 h"}},
                Case{"DollarNameAtEndOfLine", "$X=v\na$X\n", {"2 av"}},
                Case{"DefinitionValueTrimmedAndCommentStripped", "$R=  spaced  \n$H=a#b\nx $R $H\n", {"3 x spaced a"}},
                Case{"SpaceBeforeEqualsIsText", "$S1 =spc\n", {"1 $S1 =spc"}},
                Case{"DigitNameIsText", "$1X=digit\n", {"1 $1X=digit"}},
                Case{"SpaceAfterEqualsIsDefinition", "$S2= lead\nx $S2\n", {"2 x lead"}},
                Case{"TrailingBackslashOutsideDefinition", "abc\\\nx\n", {"1 abc\\", "2 x"}},
                Case{"MultiLineWithTextNotExpanded", "$M= \\\na \\\nb\npre $M post\n", {"4 pre $M post"}},
                Case{"MultiLineBracesAlone", "$M= \\\na \\\nb\n  ${M}\n", {"4 a", "4 b"}},
                Case{"MultiLineFirstLineValue", "$M=a \\\nb\n$M\n", {"3 a", "3 b"}},
                Case{"ConditionalEmptyIdNeedsEmptyConfigId", "@ x\n@^ y\n", {"2 y"}},
                Case{"ConditionalPartialIdDoesNotMatch", "@mainx a\n@main@x b\n", {}},
                Case{"SeqAfterTextIsText", "pre ~SEQ(i,1,2) x\n", {"1 pre ~SEQ(i,1,2) x"}},
                Case{"SeqSpaceBeforeParen", "~SEQ (i, 1, 2)x${i}\n", {"1 x1", "1 x2"}},
                Case{"SeqOctalAndHexInputs", "~SEQ(i, 010, 0x9) v${i}\n", {"1 v8", "1 v9"}},
                Case{"SeqNothingAfter", "~SEQ(i, 1, 2)\n", {}},
                Case{"SeqDigitVariableRepeatsLine", "~SEQ(1v, 1, 2) a$1v\n", {"1 a$1v", "1 a$1v"}},
                Case{"SeqSingleStep", "~SEQ(t, 1, 2, 1) v${t}\n", {"1 v1"}},
                Case{"ListEmptyValue", "~LST(v, a, , c) [${v}]\n", {"1 [a]", "1 []", "1 [c]"}},
                Case{"ListShortTuple", "~LST({a,b},{1},{3,4}) ${a}-${b}.\n", {"1 1-.", "1 3-4."}},
                Case{"BlankAndIndentedLines", "\n   \n\t a\t\n", {"3 a"}},
                Case{"CarriageReturns", "a\r\nb\r\n", {"1 a", "2 b"}},
                Case{"LastLineWithoutNewline", "a\nb", {"1 a", "2 b"}},
                Case{"ConditionalMatch", "@main router_id m\n@other router_id o\n", {"1 router_id m"}},
                Case{"ConditionalNegated", "@^main a\n@^other b\n", {"2 b"}}, Case{"ConditionalBare", "@ a\n", {}},
                Case{"DefinitionAndUse", "$X=10\npriority $X\n", {"2 priority 10"}},
                Case{"DefinitionBraces", "$X=10\na 192.0.2.${X}/32\n", {"2 a 192.0.2.10/32"}},
                Case{"DollarNameNeedsWhitespaceAfter", "$X=10\na $X.1\n", {"2 a $X.1"}},
                Case{"UndefinedLeftAlone", "script \"${UNDEF} $ALSO\"\n", {"1 script \"${UNDEF} $ALSO\""}},
                Case{"EmptyValue", "$E=\na${E}b\n", {"2 ab"}},
                Case{"RecursiveAtUseTime",
                     "$B=10.2.${S}\n$S=0\n${B}.1\n$S=10\n${B}.1\n",
                     {"3 10.2.0.1", "5 10.2.10.1"}},
                Case{"ConditionalDefinition", "@main $P=240\n@other $P=200\npriority $P\n", {"3 priority 240"}},
                Case{"DefinitionProducesConditional", "$IF_MAIN=@main\n$IF_MAIN priority 240\n", {"2 priority 240"}},
                Case{"MultiLineDefinition",
                     "$I= \\\nvrrp_instance VI_${N} { \\\n  @main priority 130 \\\n  @other priority 120 "
                     "\\\n}\n$N=0\n$I\n$N=1\n$I\n",
                     {"7 vrrp_instance VI_0 {", "7 priority 130", "7 }", "9 vrrp_instance VI_1 {", "9 priority 130",
                      "9 }"}},
                Case{"MultiLineSkipsBlankLines", "$D= \\\na \\\n\nb\nc\n$D\n", {"5 c", "6 a", "6 b"}},
                Case{"NestedMultiLine",
                     "$RS= \\\nreal_server ${H} {\\\n}\n$VS= \\\nvs { \\\n$H=1 \\\n$RS \\\n}\n$VS\n",
                     {"9 vs {", "9 real_server 1 {", "9 }", "9 }"}},
                Case{"Instance", "router_id ${_INSTANCE}\n", {"1 router_id main"}},
                Case{"Pwd", "x ${_PWD}/s.sh\n", {"1 x /etc/keepalived/s.sh"}},
                Case{"Env", "x ${_ENV VIGIL_TEST} [${_ENV NOT_SET}]\n", {"1 x from-env []"}},
                Case{"Random", "x ${_RANDOM} ${_RANDOM 10 20} ${_RANDOM 7}\n", {"1 x 16383 15 16387"}},
                Case{"Seq", "~SEQ(i, 0, 2) ip 10.0.${i}.1\n", {"1 ip 10.0.0.1", "1 ip 10.0.1.1", "1 ip 10.0.2.1"}},
                Case{"SeqEndOnly", "~SEQ(i,3) v$i\n", {"1 v1", "1 v2", "1 v3"}},
                Case{"SeqEndOnlyUsesBraces", "~SEQ(i,2) v${i}\n", {"1 v1", "1 v2"}},
                Case{"SeqNegativeEnd", "~SEQ(i,-2) v${i}\n", {"1 v-1", "1 v-2"}},
                Case{"SeqDescending", "~SEQ(i,5,-2,1) v${i}\n", {"1 v5", "1 v3", "1 v1"}},
                Case{"SeqStartEnd", "~SEQ(i,3,1) v${i}\n", {"1 v3", "1 v2", "1 v1"}},
                Case{"SeqHex",
                     "~SEQx(s, 0x90, 0x10, 0xc0) fe80::${s}:1\n",
                     {"1 fe80::90:1", "1 fe80::a0:1", "1 fe80::b0:1", "1 fe80::c0:1"}},
                Case{"SeqNested", "~SEQ(a,1,2) ~SEQ(b,1,2) ${a}.${b}\n", {"1 1.1", "1 1.2", "1 2.1", "1 2.2"}},
                Case{"List", "~LST(ip, 1, 2, 3) 10.${ip}\n", {"1 10.1", "1 10.2", "1 10.3"}},
                Case{"ListTuples",
                     "~LST({IP, IP1}, {10,1},{20,4}) 192.168.${IP}.${IP1}\n",
                     {"1 192.168.10.1", "1 192.168.20.4"}},
                Case{"ListThenSeq",
                     "~LST({A,B},{10,1},{20,4}) ~SEQ(C,168,2,170) ${C}.${A}.${B}\n",
                     {"1 168.10.1", "1 170.10.1", "1 168.20.4", "1 170.20.4"}},
                Case{"SeqOfMultiLine",
                     "$V= \\\nvi ${N} { \\\n}\n~SEQ(N,1,2) $V\n",
                     {"4 vi 1 {", "4 }", "4 vi 2 {", "4 }"}}),
        [](const auto &info) { return std::string(info.param.name); });

TEST(Preprocessor, SubstitutionLoopIsBounded)
{
	Output out = run("$A=$A x\nv $A\n");
	EXPECT_THAT(out.lines, ElementsAre());
	EXPECT_THAT(out.diagnostics, ElementsAre("2 Parameter substitution nested too deeply - line skipped"));
}

TEST(Preprocessor, ExponentialExpansionIsBounded)
{
	PreprocessorOptions o = testOptions();
	o.maxLineLength = 1000;
	std::string text = "$A=xxxxxxxxxx\n";
	for (char c = 'B'; c <= 'Z'; ++c)
		text += std::string("$") + c + "=${" + static_cast<char>(c - 1) + "}${" + static_cast<char>(c - 1) +
		        "}\n";
	text += "v ${Z}\n";
	Output out = run(text, o);
	EXPECT_THAT(out.lines, ElementsAre());
	ASSERT_FALSE(out.diagnostics.empty());
}

TEST(Preprocessor, HugeSequenceIsBounded)
{
	PreprocessorOptions o = testOptions();
	o.maxLines = 100;
	Output out = run("~SEQ(i,1,1000000000) v${i}\n", o);
	EXPECT_LE(out.lines.size(), 100u);
	ASSERT_EQ(out.diagnostics.size(), 1u);
}

TEST(Preprocessor, MalformedSequences)
{
	// keepalived 2.2.7's messages; the line is dropped.
	Output out = run("~SEQ(i) x\n~SEQ(i, a, b) x\n~SEQ(i, 1, 2 x\n~SEQ(i,1,0,5) x\n~SEQ(v, 1, -1, 3) x\n"
	                 "~LST({a},{1,2}) x\n~LST(v, a b, c) x\n");
	EXPECT_THAT(out.lines, ElementsAre());
	EXPECT_THAT(
	        out.diagnostics,
	        ElementsAre(
	                "1 Invalid ~SEQ definition '~SEQ(i) x'", "1 Invalid ~SEQ specification '~SEQ(i) x'",
	                "2 Invalid ~SEQ definition '~SEQ(i, a, b) x'", "2 Invalid ~SEQ specification '~SEQ(i, a, b) x'",
	                "3 ~SEQ parameter strings too long '~SEQ(i, 1, 2 x'",
	                "3 Invalid ~SEQ specification '~SEQ(i, 1, 2 x'", "4 Invalid ~SEQ values '~SEQ(i,1,0,5) x'",
	                "4 Invalid ~SEQ specification '~SEQ(i,1,0,5) x'", "5 Invalid ~SEQ values '~SEQ(v, 1, -1, 3) x'",
	                "5 Invalid ~SEQ specification '~SEQ(v, 1, -1, 3) x'",
	                "6 ~LST specification has too many values '~LST({a},{1,2}) x'",
	                "6 Invalid ~LST specification '~LST({a},{1,2}) x'",
	                "7 Invalid ~LST specification '~LST(v, a b, c) x'"));
}

TEST(Generator, ParsesSpecAndRest)
{
	auto g = parseGenerator("~SEQ(v, 1, 2) rest of line", 100);
	ASSERT_TRUE(g);
	EXPECT_THAT(g->variables, ElementsAre("v"));
	EXPECT_EQ(g->rows.size(), 2u);
	EXPECT_EQ(std::string(g->rest), " rest of line");
}

TEST(Includes, RelativeToIncludingFileGlobAndBraces)
{
	MemoryFileSource files;
	files.add("/etc/k/main.conf", "a\ninclude conf.d/*.conf\nincludeb /etc/k/{x,y}.inc\nz\n");
	files.add("/etc/k/conf.d/2.conf", "two\ninclude ../sub/s.conf\n");
	files.add("/etc/k/conf.d/1.conf", "one\n");
	files.add("/etc/k/sub/s.conf", "s ${_PWD}\n");
	files.add("/etc/k/x.inc", "x\n");
	files.add("/etc/k/y.inc", "y\n");
	Output out = runFiles(files, "/etc/k/main.conf");
	// Files are named as the include line wrote them, as keepalived does.
	EXPECT_THAT(out.lines, ElementsAre("/etc/k/main.conf:1 a", "conf.d/1.conf:1 one", "conf.d/2.conf:1 two",
	                                   "../sub/s.conf:1 s /etc/k/sub", "/etc/k/x.inc:1 x", "/etc/k/y.inc:1 y",
	                                   "/etc/k/main.conf:4 z"));
	EXPECT_THAT(out.diagnostics, ElementsAre());
}

TEST(Includes, LoopIsReportedAndBroken)
{
	MemoryFileSource files;
	files.add("/a.conf", "a\ninclude /b.conf\n");
	files.add("/b.conf", "b\ninclude /a.conf\n");
	Output out = runFiles(files, "/a.conf");
	EXPECT_THAT(out.lines, ElementsAre("/a.conf:1 a", "/b.conf:1 b"));
	ASSERT_EQ(out.diagnostics.size(), 1u);
	EXPECT_THAT(out.diagnostics[0], ::testing::StartsWith("2 Configuration file '/a.conf' includes itself"));
}

struct IncludeCase {
	const char *line;
	const char *message; // "" for none
	int exitStatus;
};

class IncludeMatrix : public ::testing::TestWithParam<IncludeCase>
{
};

// keepalived 2.2.7 -t on each include variant x case, from the directory
// /k with inc/br/{a,b}.conf present.
TEST_P(IncludeMatrix, AsKeepalived)
{
	const auto &c = GetParam();
	MemoryFileSource files;
	files.add("/k/inc/br/a.conf", "a\n");
	files.add("/k/inc/br/b.conf", "b\n");
	files.add("/k/m.conf", std::string(c.line) + "\n");
	Diagnostics d;
	Preprocessor pre(files, d, testOptions());
	pre.run("/k/m.conf");
	if (*c.message) {
		ASSERT_EQ(d.all().size(), 1u) << c.line;
		EXPECT_EQ(d.all()[0].str(), std::string("(/k/m.conf: Line 1) ") + c.message) << c.line;
	} else {
		EXPECT_TRUE(d.empty()) << c.line;
	}
	EXPECT_EQ(d.exitStatus(), c.exitStatus) << c.line;
}

INSTANTIATE_TEST_SUITE_P(
        Probed, IncludeMatrix,
        ::testing::Values(
                IncludeCase{"include inc/nothere/*.conf", "Config files missing 'inc/nothere/*.conf'.", 0},
                IncludeCase{"include inc/br/*.zzz", "", 0},
                IncludeCase{"include inc/missing.conf", "Config files missing 'inc/missing.conf'.", 0},
                IncludeCase{"include inc/br/{a,b,c}.conf", "Some config files missing: \"inc/br/{a,b,c}.conf\".", 0},
                IncludeCase{"include inc/br/{x,y}.conf", "Config files missing 'inc/br/{x,y}.conf'.", 0},
                IncludeCase{"include inc/br", "Configuration file 'inc/br/' is a directory - skipping", 0},
                IncludeCase{"include inc/br/*.conf", "", 0},
                IncludeCase{"includer inc/missing.conf", "Config files missing 'inc/missing.conf'.", 0},
                IncludeCase{"includer inc/br", "Configuration file 'inc/br/' is a directory - skipping", 6},
                IncludeCase{"includem inc/nothere/*.conf", "Config files missing 'inc/nothere/*.conf'.", 6},
                IncludeCase{"includem inc/br/*.zzz", "", 0},
                IncludeCase{"includem inc/missing.conf", "Config files missing 'inc/missing.conf'.", 6},
                IncludeCase{"includem inc/br/{a,b,c}.conf", "Some config files missing: \"inc/br/{a,b,c}.conf\".", 0},
                IncludeCase{"includew inc/br/*.zzz", "No config files matched 'inc/br/*.zzz'.", 6},
                IncludeCase{"includew inc/br/{x,y}.conf", "Config files missing 'inc/br/{x,y}.conf'.", 0},
                IncludeCase{"includeb inc/missing.conf", "Config files missing 'inc/missing.conf'.", 0},
                IncludeCase{"includeb inc/br/{a,b,c}.conf", "Some config files missing: \"inc/br/{a,b,c}.conf\".", 6},
                IncludeCase{"includeb inc/br/{x,y}.conf", "Config files missing 'inc/br/{x,y}.conf'.", 6},
                IncludeCase{"includea inc/br/*.zzz", "No config files matched 'inc/br/*.zzz'.", 6},
                IncludeCase{"includea inc/br/{a,b,c}.conf", "Some config files missing: \"inc/br/{a,b,c}.conf\".", 6},
                IncludeCase{"includea inc/br/*.conf", "", 0}));

TEST(Includes, IncludeCheckAppliesToPlainInclude)
{
	MemoryFileSource files;
	files.add("/k/m.conf", "global_defs {\ninclude_check match\n}\ninclude inc/missing.conf\n");
	Diagnostics d;
	Preprocessor pre(files, d, testOptions());
	pre.run("/k/m.conf");
	ASSERT_EQ(d.all().size(), 1u);
	EXPECT_EQ(d.all()[0].str(), "(/k/m.conf: Line 4) Config files missing 'inc/missing.conf'.");
	EXPECT_EQ(d.exitStatus(), 6);
}

TEST(Includes, WholeRestOfLineIsThePattern)
{
	MemoryFileSource files;
	files.add("/k/m.conf", "include \"inc/a.conf\" # c\ninclude inc/a.conf inc/b.conf\ninclude\n");
	files.add("/k/inc/a.conf", "a\n");
	Output out = runFiles(files, "/k/m.conf");
	// Quotes are part of the name; no argument is not an include at all.
	EXPECT_THAT(out.lines, ElementsAre("/k/m.conf:3 include"));
	EXPECT_THAT(out.diagnostics, ElementsAre("1 Config files missing '\"inc/a.conf\"'.",
	                                         "2 Config files missing 'inc/a.conf inc/b.conf'."));
}

TEST(Includes, MissingTopLevelFileIsFatal)
{
	MemoryFileSource files;
	Diagnostics d;
	Preprocessor pre(files, d, testOptions());
	EXPECT_TRUE(pre.run("/nowhere.conf").empty());
	EXPECT_EQ(d.exitStatus(), 4);
}

TEST(BraceExpansion, Csh)
{
	EXPECT_THAT(expandBraces("a{b,c{d,e}}f"), ElementsAre("abf", "acdf", "acef"));
	EXPECT_THAT(expandBraces("{foo/{,cat,dog},bar}"), ElementsAre("foo/", "foo/cat", "foo/dog", "bar"));
	EXPECT_THAT(expandBraces("x{y}z"), ElementsAre("x{y}z"));
	EXPECT_THAT(expandBraces("x{y"), ElementsAre("x{y"));
}

TEST(RealFiles, LinesAcrossReadBuffers)
{
	// Longer than the 64 KB read buffer, with lines of every length
	// crossing it, and no newline at the end.
	std::string text;
	for (int i = 0; text.size() < 300'000; ++i)
		text += "key" + std::to_string(i) + " " + std::string(static_cast<std::size_t>(i % 97), 'v') +
		        (i % 5 ? "\n" : " # comment\n\n");
	text += "last line";
	char path[] = "/tmp/vigil-preprocessor-XXXXXX";
	int fd = ::mkstemp(path);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(::write(fd, text.data(), text.size()), static_cast<ssize_t>(text.size()));
	::close(fd);
	RealFileSource real;
	Diagnostics d1, d2;
	Preprocessor fromFile(real, d1, testOptions());
	std::vector<Line> got = fromFile.run(path);
	::unlink(path);
	MemoryFileSource memory;
	Preprocessor fromText(memory, d2, testOptions());
	std::vector<Line> want = fromText.runText(path, text);
	ASSERT_EQ(got.size(), want.size());
	for (std::size_t i = 0; i < got.size(); ++i) {
		EXPECT_EQ(got[i].text, want[i].text);
		EXPECT_EQ(got[i].where.line, want[i].where.line);
	}
	EXPECT_EQ(got.back().text, "last line");
	EXPECT_TRUE(d1.empty());
}

} // namespace
} // namespace vigil::parser
