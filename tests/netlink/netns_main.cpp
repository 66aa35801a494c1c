// main() of the netns suite's binaries: before anything else, the process
// moves into a new network namespace, so the links the tests create and
// the addresses they add are gone when it exits and the host's are never
// seen. Without root (CAP_SYS_ADMIN) the binary fails rather than skips.

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sched.h>

#include "tests/netlink/netns.h"

namespace vigil::netlink::testing {

void run(const std::string &command)
{
	int status = std::system(command.c_str());
	if (status != 0) {
		fmt::print(stderr, "`{}` failed (status {})\n", command, status);
		std::abort();
	}
}

void runQuietly(const std::string &command)
{
	std::string quiet = command + " >/dev/null 2>&1";
	[[maybe_unused]] int status = std::system(quiet.c_str());
}

} // namespace vigil::netlink::testing

int main(int argc, char **argv)
{
	// Before any thread exists: unshare(CLONE_NEWNET) applies to the
	// calling thread, and children (ip) inherit it.
	if (::unshare(CLONE_NEWNET) != 0) {
		fmt::print(stderr, "unshare(CLONE_NEWNET): {}: this test needs root (a network namespace of its own)\n",
		           std::strerror(errno));
		return 1;
	}
	if (std::system("ip -V >/dev/null 2>&1") != 0) {
		fmt::print(stderr, "this test needs ip (iproute2)\n");
		return 1;
	}
	::testing::InitGoogleTest(&argc, argv);
	return RUN_ALL_TESTS();
}
