#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "src/config/script.h"

namespace vigil::config {
namespace {

using ::testing::ElementsAre;

struct SplitCase {
	const char *command;
	std::vector<std::string> argv;
};

class ScriptSplit : public ::testing::TestWithParam<SplitCase>
{
};

// What keepalived 2.2.7 ran for each command string (seen in its dump).
TEST_P(ScriptSplit, AsKeepalived)
{
	EXPECT_THAT(Script::split(GetParam().command), ::testing::ElementsAreArray(GetParam().argv))
	        << GetParam().command;
}

INSTANTIATE_TEST_SUITE_P(Probed, ScriptSplit,
                         ::testing::Values(SplitCase{"/bin/bash /data/scripts/keepalived_check.sh",
                                                     {"/bin/bash", "/data/scripts/keepalived_check.sh"}},
                                           SplitCase{"/bin/echo a 'b c' d#e", {"/bin/echo", "a", "b c", "d#e"}},
                                           SplitCase{"x 'x y'z", {"x", "x yz"}},
                                           SplitCase{"x \\x41 \\x414243 \\101 \\1014", {"x", "A", "C", "A", "A4"}},
                                           SplitCase{"x n[\\n] e\\ f", {"x", "n[", "]", "e", "f"}},
                                           SplitCase{"x c\\\\d \\\\\\\\", {"x", "cd", "\\"}},
                                           SplitCase{"x \\\"s t\\\"", {"x", "s t"}},
                                           SplitCase{"x \\q \\cA", {"x", "q", "\x01"}}));

} // namespace
} // namespace vigil::config
