// The configurations of seeds/ and keepalived's samples: what keepalived -t
// says about them (recorded from keepalived 2.2.7), and the model vigil builds.

#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/config/lvs/lvs_test_helpers.h"

namespace vigil::testing {
namespace {

using config::CheckerType;
using config::ForwardingKind;
using config::LvsProtocol;
using ::testing::ElementsAre;

// Seed 1: the Redis LVS-DR read VIP, verbatim.
const char *const kRedisSeed = R"(virtual_server 10.18.14.93 6379 {
    delay_loop 6
    lb_algo rr
    lb_kind DR
    persistence_timeout 0
    protocol TCP

    real_server 10.18.14.72 6379 {
        weight 1
        TCP_CHECK {
            connect_port 6379
            connect_timeout 2
            retry 3
            delay_before_retry 3
            
        }
    }

    real_server 10.18.13.166 6379 {
        weight 1
        TCP_CHECK {
            connect_port 6379
            connect_timeout 2
            retry 3
            delay_before_retry 3
            
        }
    }

    real_server 10.18.14.80 6379 {
        weight 1
        TCP_CHECK {
            connect_port 6379
            connect_timeout 2
            nb_get_retry 3
            delay_before_retry 3        
        }
    }
}
)";

TEST(LvsSeed, RedisLvsDr)
{
	auto r = loadLvs(kRedisSeed);
	// keepalived -t: persistence_timeout 0 is out of range (the service is
	// not persistent), and nb_get_retry is not a TCP_CHECK keyword.
	EXPECT_THAT(keepalivedView(r),
	            ElementsAre("5: number '0' outside range [1, 2678400]", "5: persistence_timeout invalid",
	                        "35: Unknown keyword 'nb_get_retry'"));
	EXPECT_EQ(r.diagnostics.exitStatus(), 5);
	const auto &vs = firstVs(r);
	EXPECT_EQ(vs.name(), "[10.18.14.93]:tcp:6379");
	EXPECT_EQ(vs.delayLoop(), 6);
	EXPECT_EQ(vs.scheduler, "rr");
	EXPECT_EQ(vs.forwarding.kind, ForwardingKind::kDr);
	EXPECT_FALSE(vs.persistenceTimeout);
	EXPECT_EQ(vs.protocol, LvsProtocol::kTcp);
	ASSERT_EQ(vs.realServers.size(), 3u);
	for (const auto &rs : vs.realServers) {
		EXPECT_EQ(rs.port, 6379);
		EXPECT_EQ(rs.weight, 1u);
		EXPECT_EQ(rs.forwarding.kind, ForwardingKind::kDr);
		ASSERT_EQ(rs.checkers.size(), 1u);
		const auto &c = rs.checkers[0];
		EXPECT_EQ(c.type, CheckerType::kTcp);
		EXPECT_EQ(c.endpoint.connectIp, rs.address);
		EXPECT_EQ(c.endpoint.connectPort, 6379);
		EXPECT_EQ(c.connectTimeout, 2);
		EXPECT_EQ(c.delayBeforeRetry, 3);
		EXPECT_EQ(c.delayLoop, 6);
	}
	EXPECT_EQ(vs.realServers[0].checkers[0].retry, 3u);
	EXPECT_EQ(vs.realServers[1].checkers[0].retry, 3u);
	EXPECT_EQ(vs.realServers[2].checkers[0].retry, 1u); // nb_get_retry ignored: the default
	EXPECT_EQ(vs.realServers[2].address.str(), "10.18.14.80");
}

// Seed 2: the tutorial's HTTP_GET with a sorry server.
const char *const kTutorialSeed = R"(virtual_server 198.51.100.100 80 {
    delay_loop 2
    lb_algo rr
    lb_kind DR
    protocol TCP
    sorry_server 127.0.0.1 80
    real_server 198.51.100.14 80 {
        HTTP_GET {
            url {
                path /
                status_code 200
            }
            connect_timeout 3
            nb_get_retry 3
            delay_before_retry 3
        }
    }
}
)";

TEST(LvsSeed, TutorialHttpGetWithSorryServer)
{
	auto r = loadLvs(kTutorialSeed);
	// nb_get_retry is deprecated in HTTP_GET, but still read as retry.
	EXPECT_THAT(messages(r), ElementsAre("14: nb_get_retry is deprecated - please use 'retry'"));
	EXPECT_EQ(r.diagnostics.exitStatus(), 5);
	const auto &vs = firstVs(r);
	ASSERT_TRUE(vs.sorryServer);
	EXPECT_EQ(vs.sorryServer->address.str(), "127.0.0.1");
	EXPECT_EQ(vs.sorryServer->port, 80);
	EXPECT_EQ(vs.sorryServer->forwarding.kind, ForwardingKind::kDr);
	const auto &c = firstChecker(r);
	EXPECT_EQ(c.type, CheckerType::kHttp);
	EXPECT_EQ(c.retry, 3u);
	EXPECT_EQ(c.connectTimeout, 3);
	EXPECT_EQ(c.delayBeforeRetry, 3);
	EXPECT_EQ(c.delayLoop, 2);
	const auto &http = detailOf<config::HttpCheck>(c);
	ASSERT_EQ(http.urls.size(), 1u);
	EXPECT_EQ(http.urls[0].path, "/");
	EXPECT_EQ(http.urls[0].statusCodes, (std::vector<config::StatusRange>{{200, 200}}));
}

// Seed 3: keepalived.conf.sample's HTTP_GET with a digest.
const char *const kSampleDigest = R"(virtual_server 10.10.10.2 1358 {
    delay_loop 6
    lb_algo rr
    lb_kind NAT
    persistence_timeout 50
    protocol TCP

    sorry_server 192.168.200.200 1358

    real_server 192.168.200.2 1358 {
        weight 1
        HTTP_GET {
            url {
              path /testurl3/test.jsp
              digest 640205b7b0fc66c1ea91c463fac6334d
            }
            connect_timeout 3
            retry 3
            delay_before_retry 3
        }
    }
}
)";

TEST(LvsSeed, SampleHttpGetWithDigest)
{
	auto r = loadLvs(kSampleDigest);
	EXPECT_THAT(messages(r), ElementsAre());
	EXPECT_EQ(r.diagnostics.exitStatus(), 0);
	const auto &vs = firstVs(r);
	EXPECT_EQ(vs.persistenceTimeout, 50u);
	EXPECT_EQ(vs.forwarding.kind, ForwardingKind::kNat);
	EXPECT_EQ(vs.sorryServer->forwarding.kind, ForwardingKind::kNat);
	const auto &u = detailOf<config::HttpCheck>(firstChecker(r)).urls.at(0);
	EXPECT_EQ(u.path, "/testurl3/test.jsp");
	EXPECT_EQ(u.digest, "640205b7b0fc66c1ea91c463fac6334d");
	EXPECT_EQ(u.statusCodes, (std::vector<config::StatusRange>{{200, 299}}));
	EXPECT_EQ(u.where.line, 13u);
}

// keepalived.conf.fwmark: the one LVS sample where keepalived -t warns.
TEST(LvsSeed, SampleFwmark)
{
	auto r = loadLvs(R"(virtual_server fwmark 1 {
  delay_loop 6
  lb_algo rr
  lb_kind NAT
  persistence_timeout 900
  protocol TCP

  real_server 192.168.201.100 {
    weight 1
    TCP_CHECK {
      connect_port    80
      connect_timeout 3
    }
  }

  real_server 192.168.201.101 {
    weight 1
    TCP_CHECK {
      connect_port    80
      connect_timeout 3
    }
  }
}
)");
	EXPECT_THAT(messages(r), ElementsAre("Warning: Virtual server FWM 1: protocol specified for fwmark - protocol "
	                                     "will be ignored"));
	EXPECT_EQ(r.diagnostics.exitStatus(), 5);
	const auto &vs = firstVs(r);
	EXPECT_EQ(vs.protocol, LvsProtocol::kNone);
	EXPECT_EQ(vs.persistenceTimeout, 900u);
	EXPECT_EQ(vs.family, AF_INET);
	ASSERT_EQ(vs.realServers.size(), 2u);
	EXPECT_EQ(vs.realServers[1].port, 0);
	EXPECT_EQ(vs.realServers[1].checkers.at(0).endpoint.connectPort, 80);
}

} // namespace
} // namespace vigil::testing
