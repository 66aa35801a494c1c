#include <gtest/gtest.h>

#include "vrrp/vrrp_timing.h"

namespace vigil::vrrp {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(VrrpTiming, Version2SkewIsInSecondsWhateverTheInterval)
{
	// (256 - 100) / 256 s = 0.609375 s.
	EXPECT_EQ(skewTime(2, 100, seconds(1)), Duration(609375));
	EXPECT_EQ(skewTime(2, 100, seconds(3)), Duration(609375));
	EXPECT_EQ(masterDownInterval(2, 100, seconds(1)), Duration(3'609'375));
	EXPECT_EQ(masterDownInterval(2, 255, seconds(1)), Duration(3'003'906));
}

TEST(VrrpTiming, Version3SkewScalesWithTheMastersInterval)
{
	// (256 - 100) x 10 ms / 256 = 6.09375 ms.
	EXPECT_EQ(skewTime(3, 100, milliseconds(10)), Duration(6093));
	EXPECT_EQ(masterDownInterval(3, 100, milliseconds(100)), Duration(300'000 + 60'937));
	EXPECT_EQ(masterDownInterval(3, 200, seconds(1)), Duration(3'000'000 + 218'750));
}

} // namespace
} // namespace vigil::vrrp
