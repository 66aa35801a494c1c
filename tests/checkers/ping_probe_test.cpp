// PING_CHECK against the loopback of a network namespace this binary makes
// for itself (root needed; the netns suite): ping sockets and, with
// ping_group_range closed in that namespace, the raw socket fallback.

#include <cerrno>
#include <cstring>
#include <fmt/format.h>
#include <fstream>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tests/checkers/probe_harness.h"

namespace vigil::checkers {
namespace {

using namespace std::chrono_literals;
using testing::ProbeHarness;

void writeSysctl(const std::string &path, const std::string &value)
{
	std::ofstream out(path);
	out << value << "\n";
	ASSERT_TRUE(out.good()) << path;
}

config::Checker pingChecker()
{
	config::Checker checker;
	checker.type = config::CheckerType::kPing;
	checker.detail = config::PingCheck{};
	return checker;
}

bool pingSocketAllowed(int family)
{
	const int protocol = family == AF_INET6 ? static_cast<int>(IPPROTO_ICMPV6) : static_cast<int>(IPPROTO_ICMP);
	int fd = ::socket(family, SOCK_DGRAM, protocol);
	if (fd < 0)
		return false;
	::close(fd);
	return true;
}

class PingProbe : public ::testing::Test
{
protected:
	// Each test starts from the namespace's open range and answered echoes.
	void SetUp() override
	{
		writeSysctl("/proc/sys/net/ipv4/ping_group_range", "0 2147483647");
		writeSysctl("/proc/sys/net/ipv4/icmp_echo_ignore_all", "0");
	}
};

TEST_F(PingProbe, PingSocketIpv4AndIpv6)
{
	ASSERT_TRUE(pingSocketAllowed(AF_INET));
	ProbeHarness h;
	auto checker = pingChecker();
	for (auto address : {testing::loopback4(), testing::loopback6()}) {
		auto out = h.run(makePingSession, checker, address, 0, 400ms);
		ASSERT_TRUE(out.result) << address.str();
		EXPECT_TRUE(out.result->ok) << address.str() << ": " << out.result->detail;
		EXPECT_LT(out.elapsed, 300ms);
	}
}

TEST_F(PingProbe, RawSocketWhenThePingGroupRangeExcludesUs)
{
	// "1 0" is an empty range: the kernel refuses ping sockets to all.
	writeSysctl("/proc/sys/net/ipv4/ping_group_range", "1 0");
	ASSERT_FALSE(pingSocketAllowed(AF_INET));
	ASSERT_FALSE(pingSocketAllowed(AF_INET6));
	ProbeHarness h;
	auto checker = pingChecker();
	for (auto address : {testing::loopback4(), testing::loopback6()}) {
		auto out = h.run(makePingSession, checker, address, 0, 400ms);
		ASSERT_TRUE(out.result) << address.str();
		EXPECT_TRUE(out.result->ok) << address.str() << ": " << out.result->detail;
	}
}

TEST_F(PingProbe, NoReplyTimesOut)
{
	writeSysctl("/proc/sys/net/ipv4/icmp_echo_ignore_all", "1");
	for (const char *range : {"0 2147483647", "1 0"}) {
		writeSysctl("/proc/sys/net/ipv4/ping_group_range", range);
		ProbeHarness h;
		auto checker = pingChecker();
		auto out = h.run(makePingSession, checker, testing::loopback4(), 0, 300ms);
		ASSERT_TRUE(out.result) << range;
		EXPECT_FALSE(out.result->ok) << range;
		EXPECT_EQ(out.result->detail, "timeout after 300 ms (echo reply)") << range;
		EXPECT_GE(out.elapsed, 290ms) << range;
	}
}

TEST_F(PingProbe, NoRouteFailsAtOnce)
{
	ProbeHarness h;
	auto checker = pingChecker();
	// TEST-NET-1: the namespace has no route but loopback's.
	auto out = h.run(makePingSession, checker, *config::IpAddress::parse("192.0.2.1"), 0, 400ms);
	ASSERT_TRUE(out.result);
	EXPECT_FALSE(out.result->ok);
	EXPECT_NE(out.result->detail.find("Network is unreachable"), std::string::npos) << out.result->detail;
	EXPECT_LT(out.elapsed, 200ms);
}

TEST_F(PingProbe, NoDescriptorGrowthOver200Probes)
{
	ProbeHarness h;
	auto checker = pingChecker();
	h.run(makePingSession, checker, testing::loopback4(), 0, 300ms);
	const auto before = testing::openDescriptors();
	int passed = 0;
	for (int i = 0; i < 200; ++i) {
		auto out =
		        h.run(makePingSession, checker, i % 2 ? testing::loopback6() : testing::loopback4(), 0, 300ms);
		passed += out.result && out.result->ok;
	}
	EXPECT_EQ(passed, 200);
	EXPECT_EQ(testing::openDescriptors(), before);
}

} // namespace
} // namespace vigil::checkers
