// The IPVS side as the daemon drives it, against the fake kernel, asserting
// on its log lines and on the table.

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <spdlog/sinks/ostream_sink.h>
#include <sstream>

#include "ipvs/fake_ipvs_client.h"
#include "src/daemon/ipvs_side.h"
#include "tests/fakes/load_snippet.h"

namespace vigil::daemon {
namespace {

// Hands the side a client that talks to a fake the test keeps.
class BorrowedClient final : public ipvs::IpvsClient
{
public:
	explicit BorrowedClient(ipvs::FakeIpvsClient &kernel) : kernel_(kernel) {}
	std::expected<ipvs::Info, int> info() override { return kernel_.info(); }
	std::expected<std::vector<ipvs::ServiceTable>, int> dump() override { return kernel_.dump(); }
	std::vector<int> apply(std::span<const ipvs::Operation> ops) override { return kernel_.apply(ops); }
	int flush() override { return kernel_.flush(); }
	std::expected<ipvs::Timeouts, int> timeouts() override { return kernel_.timeouts(); }
	int setTimeouts(const ipvs::Timeouts &t) override { return kernel_.setTimeouts(t); }

private:
	ipvs::FakeIpvsClient &kernel_;
};

class IpvsSideTest : public ::testing::Test
{
protected:
	IpvsSideTest()
	{
		auto sink = std::make_shared<spdlog::sinks::ostream_sink_st>(logText_);
		sink->set_pattern("%v");
		log_ = std::make_shared<spdlog::logger>("ipvs", sink);
	}

	IpvsSide makeSide()
	{
		return IpvsSide(
		        [this]() -> std::expected<std::unique_ptr<ipvs::IpvsClient>, int> {
			        if (!kernelHasIpvs_)
				        return std::unexpected(ENOPROTOOPT);
			        return std::make_unique<BorrowedClient>(kernel_);
		        },
		        log_);
	}

	static config::Config load(const std::string &text)
	{
		static const testing::FakeSystemView host;
		return testing::loadSnippet(text, host).config;
	}

	// The log so far, and forget it.
	std::string takeLog()
	{
		std::string text = logText_.str();
		logText_.str("");
		return text;
	}

	std::ostringstream logText_;
	std::shared_ptr<spdlog::logger> log_;
	ipvs::FakeIpvsClient kernel_;
	bool kernelHasIpvs_ = true;
};

std::string pool(int weight)
{
	return "virtual_server 192.0.2.1 80 {\n delay_loop 3\n protocol TCP\n lvs_method DR\n"
	       " real_server 192.0.2.10 80 { weight " +
	       std::to_string(weight) +
	       " }\n"
	       " real_server 192.0.2.11 80 { }\n}\n"
	       "virtual_server 192.0.2.2 80 {\n delay_loop 20\n protocol TCP\n"
	       " real_server 192.0.2.20 80 { }\n}\n";
}

TEST_F(IpvsSideTest, StartReloadStop)
{
	auto side = makeSide();
	side.start(load(pool(1)));
	EXPECT_EQ(takeLog(), "IPVS sync (start): 5 writes, 2 services, 3 destinations\n");
	EXPECT_EQ(side.driftInterval(), std::chrono::seconds(3));

	side.reload(load(pool(1)));
	EXPECT_EQ(takeLog(), "IPVS sync (reload): 0 writes, 2 services, 3 destinations\n");
	side.reload(load(pool(4)));
	EXPECT_EQ(takeLog(), "IPVS sync (reload): 1 writes, 2 services, 3 destinations\n");

	side.stop(false);
	EXPECT_EQ(takeLog(), "IPVS released: 2 writes\n");
	EXPECT_TRUE(kernel_.dump()->empty());
}

TEST_F(IpvsSideTest, DriftIsLoggedOnlyWhenRepaired)
{
	auto side = makeSide();
	side.start(load(pool(1)));
	takeLog();
	side.checkDrift();
	EXPECT_EQ(takeLog(), "");
	auto table = *kernel_.dump();
	ASSERT_EQ(kernel_.apply(std::vector<ipvs::Operation>{
	                  {ipvs::Operation::Kind::kDeleteDestination, table[0].service, table[0].destinations[0]}}),
	          std::vector<int>{0});
	side.checkDrift();
	EXPECT_EQ(takeLog(), "IPVS sync (drift): 1 writes, 2 services, 3 destinations\n"
	                     "IPVS drift repaired: add destination 192.0.2.10:80 to -t 192.0.2.1:80\n");
}

TEST_F(IpvsSideTest, KeepRulesOnStop)
{
	auto side = makeSide();
	side.start(load(pool(1)));
	side.stop(true);
	EXPECT_EQ(kernel_.dump()->size(), 2u);
}

TEST_F(IpvsSideTest, FlushAtStartAndOnStop)
{
	ipvs::Service foreign;
	foreign.key.family = AF_INET;
	foreign.key.fwmark = 3;
	ASSERT_EQ(kernel_.apply(std::vector<ipvs::Operation>{{ipvs::Operation::Kind::kAddService, foreign, {}}}),
	          std::vector<int>{0});
	auto side = makeSide();
	side.start(load("global_defs {\n lvs_flush\n}\n" + pool(1)));
	EXPECT_EQ(kernel_.dump()->size(), 2u); // the fwmark service is gone
	ASSERT_EQ(kernel_.apply(std::vector<ipvs::Operation>{{ipvs::Operation::Kind::kAddService, foreign, {}}}),
	          std::vector<int>{0});
	side.reload(load("global_defs {\n lvs_flush_on_stop\n}\n" + pool(1)));
	side.stop(false);
	EXPECT_TRUE(kernel_.dump()->empty());
}

TEST_F(IpvsSideTest, TimeoutsFromGlobalDefs)
{
	auto side = makeSide();
	side.start(load("global_defs {\n lvs_timeouts tcp 600 udp 30\n}\n" + pool(1)));
	EXPECT_EQ(*kernel_.timeouts(), (ipvs::Timeouts{600, 120, 30}));
	EXPECT_EQ(takeLog(), "IPVS: set timeouts tcp 600 tcpfin 120 udp 30\n"
	                     "IPVS sync (start): 5 writes, 2 services, 3 destinations\n");
}

TEST_F(IpvsSideTest, KernelWithoutIpvsIsReportedOnceAndRetriedOnReload)
{
	kernelHasIpvs_ = false;
	auto side = makeSide();
	side.start(load(pool(1)));
	EXPECT_EQ(takeLog(), "IP Virtual Server is not available: load the ip_vs module\n");
	EXPECT_FALSE(side.available());
	side.checkDrift();
	side.reload(load(pool(1)));
	EXPECT_EQ(takeLog(), "");
	kernelHasIpvs_ = true; // the operator loaded the module
	side.reload(load(pool(1)));
	EXPECT_EQ(takeLog(), "IPVS sync (reload): 5 writes, 2 services, 3 destinations\n");
	side.stop(false);
	EXPECT_TRUE(kernel_.dump()->empty());
}

// The checkers' findings through applyHealth(): servers leave and return,
// the quorum is lost below quorum - hysteresis and gained at quorum +
// hysteresis, and the sorry server comes and goes with it.
TEST_F(IpvsSideTest, HealthChangesFollowTheQuorumWithHysteresis)
{
	auto side = makeSide();
	auto config = load("virtual_server 192.0.2.1 80 {\n protocol TCP\n lvs_method DR\n quorum 3\n hysteresis 1\n"
	                   " sorry_server 192.0.2.99 80\n"
	                   " real_server 192.0.2.10 80 { weight 1 }\n"
	                   " real_server 192.0.2.11 80 { weight 1 }\n"
	                   " real_server 192.0.2.12 80 { weight 2 }\n}\n");
	side.start(config);
	const auto vs = config.lvs.virtualServers[0].key();
	auto rs = [&](int n) { return config.lvs.virtualServers[0].realServers[static_cast<std::size_t>(n)].key(); };
	auto table = [&] { return reconcile::formatRules(*kernel_.dump()); };
	const std::string head = "-A -t 192.0.2.1:80 -s wlc\n";

	// 3 alive of 4: above quorum - hysteresis, the quorum holds.
	side.health().setAlive(vs, rs(0), false);
	EXPECT_TRUE(side.applyHealth().empty());
	EXPECT_EQ(table(), head + "-a -t 192.0.2.1:80 -r 192.0.2.11:80 -g -w 1\n"
	                          "-a -t 192.0.2.1:80 -r 192.0.2.12:80 -g -w 2\n");

	// 1 alive: lost; the sorry server replaces the pool.
	side.health().setAlive(vs, rs(2), false);
	auto changes = side.applyHealth();
	ASSERT_EQ(changes.size(), 1u);
	EXPECT_FALSE(changes[0].up);
	EXPECT_EQ(changes[0].aliveWeight, 1u);
	EXPECT_EQ(table(), head + "-a -t 192.0.2.1:80 -r 192.0.2.99:80 -g -w 1\n");

	// 3 alive: below quorum + hysteresis, still lost.
	side.health().setAlive(vs, rs(2), true);
	EXPECT_TRUE(side.applyHealth().empty());
	EXPECT_EQ(table(), head + "-a -t 192.0.2.1:80 -r 192.0.2.99:80 -g -w 1\n");

	// 4 alive: gained; the pool is back, the sorry server gone.
	side.health().setAlive(vs, rs(0), true);
	changes = side.applyHealth();
	ASSERT_EQ(changes.size(), 1u);
	EXPECT_TRUE(changes[0].up);
	EXPECT_EQ(changes[0].aliveWeight, 4u);
	EXPECT_EQ(table(), head + "-a -t 192.0.2.1:80 -r 192.0.2.10:80 -g -w 1\n"
	                          "-a -t 192.0.2.1:80 -r 192.0.2.11:80 -g -w 1\n"
	                          "-a -t 192.0.2.1:80 -r 192.0.2.12:80 -g -w 2\n");

	// A misc_dynamic weight counts in the table and the quorum.
	side.health().setWeight(vs, rs(2), 7);
	EXPECT_TRUE(side.applyHealth().empty());
	EXPECT_NE(table().find("-r 192.0.2.12:80 -g -w 7"), std::string::npos);
}

// Without a kernel IPVS the quorum is still followed (scripts and FIFO
// lines depend on it); nothing is written.
TEST_F(IpvsSideTest, QuorumIsFollowedWithoutIpvs)
{
	kernelHasIpvs_ = false;
	auto side = makeSide();
	auto config = load("virtual_server 192.0.2.1 80 {\n protocol TCP\n real_server 192.0.2.10 80 { }\n}\n");
	side.start(config);
	const auto vs = config.lvs.virtualServers[0].key();
	side.health().setAlive(vs, config.lvs.virtualServers[0].realServers[0].key(), false);
	auto changes = side.applyHealth();
	ASSERT_EQ(changes.size(), 1u);
	EXPECT_FALSE(changes[0].up);
}

} // namespace
} // namespace vigil::daemon
