#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "parser/keyword_tree.h"

namespace vigil::parser {
namespace {

using ::testing::ElementsAre;

std::vector<std::string> words(const std::string &line)
{
	std::vector<std::string> out;
	for (const auto &t : tokenize(line))
		out.push_back(t.kind == TokenKind::kWord ? "[" + t.text + "]" : t.text);
	return out;
}

TEST(Tokenize, WordsQuotesAndBraces)
{
	EXPECT_THAT(words("a  b\tc"), ElementsAre("[a]", "[b]", "[c]"));
	EXPECT_THAT(words("global_defs{"), ElementsAre("[global_defs]", "{"));
	EXPECT_THAT(words("x}y{z"), ElementsAre("[x]", "}", "[y]", "{", "[z]"));
	EXPECT_THAT(words("\"a b\" c"), ElementsAre("[a b]", "[c]"));
	EXPECT_THAT(words("abcd\" efg h \"ijk"), ElementsAre("[abcd efg h ijk]"));
	EXPECT_THAT(words("'x \"y\"'"), ElementsAre("[x \"y\"]"));
	EXPECT_THAT(words("\"{\" '}'"), ElementsAre("[{]", "[}]"));
	EXPECT_THAT(words("\"\""), ElementsAre("[]"));
	EXPECT_THAT(words("\"unterminated x"), ElementsAre("[unterminated x]"));
}

TEST(Tokenize, EscapesInQuotes)
{
	EXPECT_THAT(words(R"("a\tb\nc")"), ElementsAre("[a\tb\nc]"));
	EXPECT_THAT(words(R"("\x41\101\\\"")"), ElementsAre("[AA\\\"]"));
	EXPECT_THAT(words(R"("\cA\E\q")"), ElementsAre("[\x01\x1bq]"));
	// Outside quotes a backslash is an ordinary character.
	EXPECT_THAT(words(R"(a\tb)"), ElementsAre("[a\\tb]"));
}

std::vector<Line> lines(std::initializer_list<const char *> texts)
{
	std::vector<Line> out;
	std::uint32_t n = 0;
	for (const char *t : texts)
		out.push_back({Location{internFileName("t.conf"), ++n}, t});
	return out;
}

// "keyword(args){children}" to compare shapes compactly.
std::string shape(const std::vector<Node> &nodes)
{
	std::string s;
	for (const auto &n : nodes) {
		if (!s.empty())
			s += ' ';
		s += n.keyword + "@" + std::to_string(n.where.line);
		for (const auto &a : n.args)
			s += " " + a;
		if (n.hasBlock)
			s += "{" + shape(n.children) + "}";
	}
	return s;
}

TEST(BuildTree, BlockForms)
{
	Diagnostics d;
	auto tree = buildTree(lines({"global_defs {", "router_id r1", "}", "vrrp_instance VI_1", "{", "state MASTER }",
	                             "a { b c } d", "x { y { z } }"}),
	                      d);
	EXPECT_EQ(shape(tree), "global_defs@1{router_id@2 r1} vrrp_instance@4 VI_1{state@6 MASTER} a@7{b@7 c} d@7 "
	                       "x@8{y@8{z@8}}");
	EXPECT_TRUE(d.empty());
}

TEST(BuildTree, EmptyBlockOnKeywordLine)
{
	Diagnostics d;
	auto tree = buildTree(lines({"real_server 192.0.2.1 80 {}", "real_server 192.0.2.2 80 {", "}"}), d);
	EXPECT_EQ(shape(tree), "real_server@1 192.0.2.1 80{} real_server@2 192.0.2.2 80{}");
	EXPECT_TRUE(d.empty());
}

TEST(BuildTree, UnbalancedBraces)
{
	Diagnostics d;
	auto tree = buildTree(lines({"a {", "b", "}", "}", "c {", "d"}), d);
	EXPECT_EQ(shape(tree), "a@1{b@2} c@5{d@6}");
	ASSERT_EQ(d.all().size(), 2u);
	EXPECT_EQ(d.all()[0].str(), "(t.conf: Line 4) Extra '}' found");
	EXPECT_EQ(d.all()[1].where.line, 5u);
}

TEST(BuildTree, StrayOpenBrace)
{
	Diagnostics d;
	auto tree = buildTree(lines({"a {", "}", "{", "x", "}"}), d);
	ASSERT_EQ(d.all().size(), 1u);
	EXPECT_EQ(d.all()[0].where.line, 3u);
}

TEST(BuildTree, NestingIsBounded)
{
	Diagnostics d;
	std::vector<Line> deep;
	for (std::uint32_t i = 0; i < 100; ++i)
		deep.push_back({Location{internFileName("t.conf"), i + 1}, "a {"});
	buildTree(deep, d);
	EXPECT_EQ(d.exitStatus(), 4);
}

} // namespace
} // namespace vigil::parser
