#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <map>

#include "parser/keyword_tree.h"

namespace vigil::parser {
namespace {

using ::testing::ElementsAre;

std::vector<std::string> words(const std::string &line, bool *unmatched = nullptr)
{
	std::vector<std::string> out;
	for (const auto &t : tokenize(line, unmatched))
		out.push_back(t.kind == TokenKind::kWord ? "[" + t.text + "]" : t.text);
	return out;
}

// Each expectation is what keepalived 2.2.7 made of the line (seen through
// its configuration dump).
TEST(Tokenize, AsKeepalived)
{
	EXPECT_THAT(words("a  b\tc"), ElementsAre("[a]", "[b]", "[c]"));
	EXPECT_THAT(words("global_defs{"), ElementsAre("[global_defs]", "{"));
	EXPECT_THAT(words("a}b{c"), ElementsAre("[a]", "}", "[b]", "{", "[c]"));
	EXPECT_THAT(words("\"sp ace@x\" c"), ElementsAre("[sp ace@x]", "[c]"));
	// Quotes never join text.
	EXPECT_THAT(words("abcd\" efg h \"ijk"), ElementsAre("[abcd]", "[ efg h ]", "[ijk]"));
	EXPECT_THAT(words("a\"b\"c"), ElementsAre("[a]", "[b]", "[c]"));
	EXPECT_THAT(words("x\"\"y"), ElementsAre("[x]", "[]", "[y]"));
	EXPECT_THAT(words("\"\""), ElementsAre("[]"));
	// Braces inside quotes are words.
	EXPECT_THAT(words("\"{\" \"}\""), ElementsAre("[{]", "[}]"));
	// Single quotes and backslashes are ordinary characters.
	EXPECT_THAT(words("'p q'"), ElementsAre("['p]", "[q']"));
	EXPECT_THAT(words(R"("a\tb" \x41)"), ElementsAre("[a\\tb]", "[\\x41]"));
}

TEST(Tokenize, UnmatchedQuoteDropsTheRest)
{
	bool unmatched = false;
	EXPECT_THAT(words("a \"b c", &unmatched), ElementsAre("[a]"));
	EXPECT_TRUE(unmatched);
	EXPECT_THAT(words("a \"b\" c", &unmatched), ElementsAre("[a]", "[b]", "[c]"));
	EXPECT_FALSE(unmatched);
}

// top: blk { a, b { ... } }, leaf, vals { values }
class TestSchema final : public BlockSchema
{
public:
	explicit TestSchema(std::map<std::string, const BlockSchema *, std::less<>> blocks,
	                    std::vector<std::string> leaves)
	        : blocks_(std::move(blocks)), leaves_(std::move(leaves))
	{
	}
	Entry lookup(std::string_view k) const override
	{
		if (auto it = blocks_.find(k); it != blocks_.end())
			return {Kind::kBlock, it->second ? it->second : this};
		for (const auto &l : leaves_)
			if (l == k)
				return {Kind::kLeaf, nullptr};
		return {};
	}

private:
	std::map<std::string, const BlockSchema *, std::less<>> blocks_;
	std::vector<std::string> leaves_;
};

const BlockSchema &inner()
{
	static const TestSchema s({{"b", nullptr}, {"vals", &valueListSchema()}}, {"a"});
	return s;
}

const BlockSchema &top()
{
	static const TestSchema s({{"blk", &inner()}, {"vals", &valueListSchema()}}, {"leaf"});
	return s;
}

std::vector<Line> lines(std::initializer_list<const char *> texts)
{
	std::vector<Line> out;
	std::uint32_t n = 0;
	for (const char *t : texts)
		out.push_back({Location{internFileName("t.conf"), ++n}, t});
	return out;
}

// "keyword@line args{children}" to compare shapes compactly.
template <class Nodes> std::string shape(const Nodes &nodes)
{
	std::string s;
	for (const auto &n : nodes) {
		if (!s.empty())
			s += ' ';
		s += std::string(n.keyword) + "@" + std::to_string(n.where.line);
		for (const auto &a : n.args)
			s += " " + std::string(a);
		if (n.hasBlock)
			s += "{" + shape(n.children) + "}";
	}
	return s;
}

struct Built {
	std::string shape;
	std::vector<std::string> diagnostics;
	Forest tree;
};

Built build(std::initializer_list<const char *> texts)
{
	Diagnostics d;
	Built b;
	b.tree = buildTree(lines(texts), top(), d);
	b.shape = shape(b.tree);
	for (const auto &x : d.all())
		b.diagnostics.push_back(x.str());
	return b;
}

TEST(BuildTree, BlockForms)
{
	auto b = build({"blk {", "a 1", "}", "blk x", "{", "a 2 }", "blk { a 3 } leaf", "blk { b { a } }", "blk{}"});
	EXPECT_EQ(b.shape, "blk@1{a@2 1} blk@4 x{a@6 2} blk@7{a@7 3} leaf@7 blk@8{b@8{a@8}} blk@9{}");
	EXPECT_THAT(b.diagnostics, ElementsAre());
	EXPECT_EQ(b.tree[0].end.line, 3u); // where the block closed
	EXPECT_EQ(b.tree[1].end.line, 6u);
	EXPECT_EQ(b.tree[0].children.front().end.line, 0u);
}

TEST(BuildTree, StatementsSharingLines)
{
	// A statement that ends mid-line hands over its nodes while the rest
	// of the line is still to be read; one that starts there lives on.
	auto b = build({"blk { a 1 } blk { a 2", "} leaf x", "blk { a 3 } blk", "{ a 4 }"});
	EXPECT_EQ(b.shape, "blk@1{a@1 1} blk@1{a@1 2} leaf@2 x blk@3{a@3 3} blk@3{a@4 4}");
	EXPECT_THAT(b.diagnostics, ElementsAre());
}

TEST(BuildTree, ExtraWordsStayArguments)
{
	// One keyword per line: "a 1 b 2" is a with three arguments.
	auto b = build({"blk { a 1 b 2 }"});
	EXPECT_EQ(b.shape, "blk@1{a@1 1 b 2}");
}

TEST(BuildTree, UnknownKeywordBlockIsNotSkipped)
{
	// keepalived reads the unknown block's contents as part of the
	// enclosing block, whose '}' the unknown block's '}' then is.
	auto b = build({"blk {", "a 1", "bogus {", "a 2", "}", "leaf", "}"});
	EXPECT_EQ(b.shape, "blk@1{a@2 1 a@4 2} leaf@6");
	EXPECT_THAT(b.diagnostics,
	            ElementsAre("(t.conf: Line 3) Unknown keyword 'bogus'",
	                        "(t.conf: Line 3) Unexpected '{' - ignoring", "(t.conf: Line 7) Unknown keyword '}'"));
}

TEST(BuildTree, LeafFollowedByBrace)
{
	auto b = build({"blk {", "a 50 {", "a 77", "}", "}"});
	EXPECT_EQ(b.shape, "blk@1{a@2 50 a@3 77}");
	EXPECT_THAT(b.diagnostics,
	            ElementsAre("(t.conf: Line 2) Unexpected '{' - ignoring", "(t.conf: Line 5) Unknown keyword '}'"));
}

TEST(BuildTree, BlockKeywordWithoutBrace)
{
	auto b = build({"blk", "a 1", "}", "leaf"});
	EXPECT_EQ(b.shape, "blk@1{a@2 1} leaf@4");
	EXPECT_THAT(b.diagnostics, ElementsAre("(t.conf: Line 2) Missing '{' at beginning of configuration block",
	                                       "(t.conf: Line 3) Extra '}' found"));
}

TEST(BuildTree, ValueLists)
{
	auto b = build({"vals {", "192.0.2.1/24 dev eth0", "leaf", "{", "}", "vals", "x", "}"});
	EXPECT_EQ(b.shape, "vals@1{192.0.2.1/24@2 dev eth0 leaf@3 {@4} vals@6{x@7}");
	// No "Missing '{'" for a value list, and a '{' value still counts as
	// a brace for the file's balance, as keepalived.
	EXPECT_THAT(b.diagnostics, ElementsAre());
}

TEST(BuildTree, TopLevelBraces)
{
	auto b = build({"leaf", "}", "blk {", "a"});
	EXPECT_EQ(b.shape, "leaf@1 blk@3{a@4}");
	EXPECT_THAT(b.diagnostics,
	            ElementsAre("(t.conf: Line 2) Extra '}' found", "(t.conf: Line 2) Unknown keyword '}'",
	                        "There are 1 missing '}'s or extra '{'s"));
}

TEST(BuildTree, QuoteDiagnostics)
{
	auto b = build({"blk {", "a \"x y", "a \"z\"", "}"});
	EXPECT_EQ(b.shape, "blk@1{a@2 a@3 z}");
	EXPECT_THAT(b.diagnostics, ElementsAre("(t.conf: Line 2) Unterminated quote 'a \"x y'",
	                                       "(t.conf: Line 2) Unmatched quote: 'a \"x y'"));
}

TEST(BuildTree, NestingIsBounded)
{
	Diagnostics d;
	std::vector<Line> deep;
	for (std::uint32_t i = 0; i < 100; ++i)
		deep.push_back({Location{internFileName("t.conf"), i + 1}, "b {"});
	deep.insert(deep.begin(), Line{Location{internFileName("t.conf"), 0}, "blk {"});
	buildTree(deep, top(), d);
	EXPECT_EQ(d.exitStatus(), 4);
}

TEST(BuildTree, OpaqueBlocksNest)
{
	Diagnostics d;
	auto tree = buildTree(lines({"x {", "y 1 {", "z", "}", "}"}), opaqueSchema(), d);
	EXPECT_EQ(shape(tree), "x@1{y@2 1{z@3}}");
	EXPECT_TRUE(d.empty());
}

} // namespace
} // namespace vigil::parser
