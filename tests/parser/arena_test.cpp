#include <cstdint>
#include <gtest/gtest.h>
#include <string>

#include "parser/arena.h"
#include "parser/keyword_tree.h"

namespace vigil::parser {
namespace {

TEST(Arena, CopiesAndAligns)
{
	Arena arena(64);
	std::string_view a = arena.copy("keyword");
	auto *n = arena.make<std::uint64_t>(42);
	std::string_view b = arena.copy("x");
	EXPECT_EQ(a, "keyword");
	EXPECT_EQ(*n, 42u);
	EXPECT_EQ(reinterpret_cast<std::uintptr_t>(n) % alignof(std::uint64_t), 0u);
	EXPECT_EQ(b, "x");
	EXPECT_TRUE(arena.copy("").empty());
}

TEST(Arena, LargerThanAChunk)
{
	Arena arena(16);
	std::string big(1000, 'b');
	std::string_view small = arena.copy("small");
	std::string_view copy = arena.copy(big);
	EXPECT_EQ(copy, big);
	EXPECT_EQ(small, "small"); // an earlier chunk stays where it was
}

TEST(Arena, ResetReusesTheMemory)
{
	Arena arena(256);
	const char *first = arena.copy("abc").data();
	for (int i = 0; i < 100; ++i)
		arena.copy("some text that spills over several chunks");
	arena.reset();
	EXPECT_EQ(arena.copy("xyz").data(), first);
	// After a reset, a request larger than the first chunks skips them.
	std::string big(1000, 'q');
	EXPECT_EQ(arena.copy(big), big);
}

TEST(Arena, ArraysAreValueInitialized)
{
	Arena arena;
	auto a = arena.array<std::string_view>(3);
	ASSERT_EQ(a.size(), 3u);
	for (auto v : a)
		EXPECT_TRUE(v.empty());
	EXPECT_TRUE(arena.array<int>(0).empty());
}

TEST(Forest, CopyTreeIsDeep)
{
	Forest source;
	Node root = source.make("blk", {"a", "b"}, {});
	source.adopt(root, source.make("child", {"1"}, {}));
	Forest kept;
	{
		Arena scratch;
		Node temp = copyTree(root, scratch);
		kept.add(temp);
	} // the scratch arena is gone; the forest's copy is not
	ASSERT_EQ(kept.size(), 1u);
	const Node &n = kept[0];
	EXPECT_EQ(n.keyword, "blk");
	ASSERT_EQ(n.args.size(), 2u);
	EXPECT_EQ(n.arg(1), "b");
	EXPECT_EQ(n.arg(2), "");
	ASSERT_EQ(n.children.size(), 1u);
	EXPECT_EQ(n.children.front().keyword, "child");
	EXPECT_EQ(n.children.front().arg(0), "1");
	EXPECT_TRUE(n.hasBlock);
}

} // namespace
} // namespace vigil::parser
