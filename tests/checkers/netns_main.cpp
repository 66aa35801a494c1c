// main() of the checker tests that need a network namespace of their own
// (root; the netns suite): PING_CHECK's ping and raw sockets and the
// sysctls they turn, and half_open's raw TCP sockets, which see every TCP
// segment of their namespace. The host's are not ours to touch.

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sched.h>

int main(int argc, char **argv)
{
	// Before any thread exists: unshare() moves only the calling thread.
	if (::unshare(CLONE_NEWNET) != 0) {
		fmt::print(stderr, "unshare(CLONE_NEWNET): {}: this test needs root\n", std::strerror(errno));
		return 1;
	}
	if (std::system("ip link set lo up") != 0) {
		fmt::print(stderr, "`ip link set lo up` failed: this test needs ip (iproute2)\n");
		return 1;
	}
	::testing::InitGoogleTest(&argc, argv);
	return RUN_ALL_TESTS();
}
