// settingsNotActedOn(): the warnings an operator gets for what vigil reads
// but does not do.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "src/config/not_acted_on.h"
#include "tests/fakes/load_snippet.h"

namespace vigil::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::vector<std::string> notActedOn(const std::string &text)
{
	auto loaded = loadSnippet(text);
	EXPECT_FALSE(loaded.fatal()) << ::testing::PrintToString(messages(loaded));
	return config::settingsNotActedOn(loaded.config);
}

TEST(NotActedOn, TheSeedsNeedNothingVigilLacks)
{
	EXPECT_THAT(notActedOn("global_defs {\n router_id LVS_01\n}\n"
	                       "vrrp_instance VI_1 {\n state MASTER\n interface eth0\n virtual_router_id 51\n"
	                       " priority 100\n advert_int 1\n virtual_ipaddress {\n  10.0.0.100\n }\n}\n"
	                       "virtual_server 10.0.0.100 6379 {\n delay_loop 6\n lb_algo rr\n lb_kind DR\n"
	                       " protocol TCP\n real_server 10.0.0.11 6379 {\n  weight 1\n"
	                       "  TCP_CHECK {\n   connect_timeout 3\n  }\n }\n}\n"),
	            IsEmpty());
}

TEST(NotActedOn, EachSettingIsNamedWithItsBlockAndLine)
{
	EXPECT_THAT(notActedOn("track_file F {\n file /tmp/f\n}\n"                        // 1-3
	                       "global_defs {\n vrrp_strict\n smtp_server 127.0.0.1\n}\n" // 4-7
	                       "vrrp_instance VI_1 {\n"                                   // 8
	                       " interface eth0\n virtual_router_id 51\n use_vmac\n"
	                       " virtual_ipaddress {\n  10.0.0.100\n }\n}\n"
	                       "bfd_instance BFD_1 {\n neighbor_ip 10.0.0.2\n}\n" // 16
	                       "virtual_server 10.0.0.100 80 {\n"                 // 19
	                       " real_server 10.0.0.11 80 {\n"
	                       "  FILE_CHECK {\n   track_file F\n  }\n }\n}\n" // 21
	                       "track_file F {\n file /tmp/f\n}\n"),
	            ElementsAre("global_defs: vrrp_strict is not acted on by vigil (no firewall rules are written)",
	                        "global_defs: e-mail alerting is not acted on by vigil (no e-mail is sent)",
	                        "(/etc/keepalived/keepalived.conf: Line 8) vrrp_instance VI_1: use_vmac is not acted "
	                        "on by vigil (no VMAC interface is made; the VIPs go on the interface)",
	                        "(/etc/keepalived/keepalived.conf: Line 16) bfd_instance: the block is not acted on "
	                        "by vigil (accepted for compatibility)",
	                        "(/etc/keepalived/keepalived.conf: Line 21) real_server 10.0.0.11: FILE_CHECK is not "
	                        "acted on by vigil (it does not run; the server's other checkers decide)"));
}

TEST(NotActedOn, HalfOpenWithASocketOptionConnects)
{
	EXPECT_THAT(notActedOn("virtual_server 10.0.0.100 80 {\n"
	                       " real_server 10.0.0.11 80 {\n"
	                       "  TCP_CHECK {\n   half_open\n  }\n"                              // 3
	                       "  TCP_CHECK {\n   half_open\n   bindto 10.0.0.1\n  }\n }\n}\n"), // 6
	            ElementsAre("(/etc/keepalived/keepalived.conf: Line 6) real_server 10.0.0.11: half_open is not "
	                        "acted on by vigil (not with bindto, bind_port, bind_if or fwmark: this TCP_CHECK "
	                        "connects)"));
}

} // namespace
} // namespace vigil::testing
