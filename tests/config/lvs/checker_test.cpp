// Checker blocks: the generic options, each type's own keywords and defaults.

#include <functional>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/config/lvs/lvs_test_helpers.h"

namespace vigil::testing {
namespace {

using config::Checker;
using config::CheckerType;
using config::IpAddress;
using ::testing::ElementsAre;

struct CheckerCase {
	const char *name;
	const char *type;
	std::string body;
	std::function<void(const Checker &)> check;
};

class CheckerKeyword : public ::testing::TestWithParam<CheckerCase>
{
};

TEST_P(CheckerKeyword, SetsField)
{
	auto r = loadLvs(checkerWith(GetParam().type, GetParam().body));
	EXPECT_THAT(messages(r), ElementsAre()) << GetParam().body;
	EXPECT_EQ(r.diagnostics.exitStatus(), 0);
	GetParam().check(firstChecker(r));
}

INSTANTIATE_TEST_SUITE_P(
        Lvs, CheckerKeyword,
        ::testing::Values(
                CheckerCase{"connection", "TCP_CHECK",
                            "connect_ip 192.0.2.50\n connect_port 6379\n bindto 192.0.2.5\n bind_port 1000\n "
                            "bind_if eth0\n fwmark 9",
                            [](const Checker &c) {
	                            EXPECT_EQ(c.endpoint.connectIp.str(), "192.0.2.50");
	                            EXPECT_EQ(c.endpoint.connectPort, 6379);
	                            ASSERT_TRUE(c.endpoint.bindTo);
	                            EXPECT_EQ(c.endpoint.bindTo->str(), "192.0.2.5");
	                            EXPECT_EQ(c.endpoint.bindPort, 1000);
	                            EXPECT_EQ(c.endpoint.bindIf, "eth0");
	                            EXPECT_EQ(c.endpoint.fwmark, 9u);
                            }},
                CheckerCase{"ipv6_connect_ip_and_bindto", "TCP_CHECK", "connect_ip 2001:db8::5\n bindto 2001:db8::6",
                            [](const Checker &c) { EXPECT_EQ(c.endpoint.bindTo->str(), "2001:db8::6"); }},
                CheckerCase{"half_open", "TCP_CHECK", "half_open",
                            [](const Checker &c) { EXPECT_TRUE(std::get<config::TcpCheck>(c.detail).halfOpen); }},
                CheckerCase{"fwmark_zero", "TCP_CHECK", "fwmark 0",
                            [](const Checker &c) { EXPECT_EQ(c.endpoint.fwmark, 0u); }},
                CheckerCase{"timing", "TCP_CHECK",
                            "connect_timeout 1.5\n retry 0\n delay_before_retry 0\n warmup 100000\n delay_loop 10\n "
                            "alpha no\n log_all_failures",
                            [](const Checker &c) {
	                            EXPECT_EQ(c.connectTimeout, 1.5);
	                            EXPECT_EQ(c.retry, 0u);
	                            EXPECT_EQ(c.delayBeforeRetry, 0);
	                            EXPECT_EQ(c.warmup, 100000);
	                            EXPECT_EQ(c.delayLoop, 10);
	                            EXPECT_FALSE(c.alpha);
	                            EXPECT_TRUE(c.logAllFailures);
                            }},
                CheckerCase{"retry_max", "TCP_CHECK", "retry 4294967295",
                            [](const Checker &c) { EXPECT_EQ(c.retry, 4294967295u); }},
                CheckerCase{"ping", "PING_CHECK", "connect_ip 192.0.2.60\n retry 2",
                            [](const Checker &c) {
	                            EXPECT_EQ(c.type, CheckerType::kPing);
	                            EXPECT_EQ(c.endpoint.connectIp.str(), "192.0.2.60");
	                            EXPECT_EQ(c.retry, 2u);
                            }},
                CheckerCase{"http_defaults", "HTTP_GET", "url {\n path /health\n }",
                            [](const Checker &c) {
	                            const auto &h = detailOf<config::HttpCheck>(c);
	                            EXPECT_EQ(h.httpProtocol, "1.0");
	                            EXPECT_FALSE(h.fastRecovery);
	                            ASSERT_EQ(h.urls.size(), 1u);
	                            EXPECT_EQ(h.urls[0].path, "/health");
	                            EXPECT_EQ(h.urls[0].statusCodes, (std::vector<config::StatusRange>{{200, 299}}));
	                            EXPECT_EQ(h.urls[0].digest, "");
	                            EXPECT_EQ(c.delayBeforeRetry, 3); // HTTP's own default
	                            EXPECT_EQ(c.retry, 1u);
                            }},
                CheckerCase{"http_options", "HTTP_GET",
                            "http_protocol 1.1\n fast_recovery\n enable_sni\n virtualhost www.example.com\n "
                            "url {\n path /\n }\n url {\n path /b\n virtualhost b.example.com\n }",
                            [](const Checker &c) {
	                            const auto &h = detailOf<config::HttpCheck>(c);
	                            EXPECT_EQ(h.httpProtocol, "1.1");
	                            EXPECT_TRUE(h.fastRecovery);
	                            EXPECT_TRUE(h.enableSni);
	                            EXPECT_EQ(h.virtualhost, "www.example.com");
	                            ASSERT_EQ(h.urls.size(), 2u);
	                            EXPECT_EQ(h.urls[0].virtualhost, "www.example.com"); // the checker's
	                            EXPECT_EQ(h.urls[1].virtualhost, "b.example.com");
                            }},
                CheckerCase{"http_protocol_10c", "HTTP_GET", "http_protocol 1.0c\n url {\n path /\n }",
                            [](const Checker &c) { EXPECT_EQ(detailOf<config::HttpCheck>(c).httpProtocol, "1.0C"); }},
                CheckerCase{"url_digest_and_codes", "HTTP_GET",
                            "url {\n path /testurl/test.jsp\n digest 640205B7B0FC66C1EA91C463FAC6334D\n "
                            "status_code 200-299 400-499 503 505\n status_code 201 504\n }",
                            [](const Checker &c) {
	                            const auto &u = detailOf<config::HttpCheck>(c).urls.at(0);
	                            EXPECT_EQ(u.digest, "640205b7b0fc66c1ea91c463fac6334d");
	                            // Sorted and merged; later status_code lines add to it.
	                            EXPECT_EQ(u.statusCodes,
	                                      (std::vector<config::StatusRange>{{200, 299}, {400, 499}, {503, 505}}));
                            }},
                CheckerCase{"url_regex", "HTTP_GET",
                            "url {\n path /\n regex ^ok\n regex_no_match\n regex_options caseless multiline\n "
                            "regex_stack 1000 2000\n regex_min_offset 10\n regex_max_offset 100\n }",
                            [](const Checker &c) {
	                            const auto &u = detailOf<config::HttpCheck>(c).urls.at(0);
	                            EXPECT_EQ(u.regex, "^ok");
	                            EXPECT_TRUE(u.regexNoMatch);
	                            EXPECT_THAT(u.regexOptions, ElementsAre("caseless", "multiline"));
	                            EXPECT_THAT(u.regexStack, ElementsAre("1000", "2000"));
	                            EXPECT_EQ(u.regexMinOffset, "10");
	                            EXPECT_EQ(u.regexMaxOffset, "100");
                            }},
                CheckerCase{"ssl", "SSL_GET", "enable_sni no\n url {\n path /\n }",
                            [](const Checker &c) {
	                            EXPECT_EQ(c.type, CheckerType::kSsl);
	                            EXPECT_FALSE(detailOf<config::HttpCheck>(c).enableSni);
                            }},
                CheckerCase{"misc", "MISC_CHECK",
                            "misc_path \"/usr/local/bin/check.sh arg1\"\n misc_timeout 5\n misc_dynamic\n user root\n "
                            "retry 2\n warmup 3",
                            [](const Checker &c) {
	                            const auto &m = detailOf<config::MiscCheck>(c);
	                            EXPECT_EQ(m.script.command, "/usr/local/bin/check.sh arg1");
	                            EXPECT_THAT(m.script.argv, ElementsAre("/usr/local/bin/check.sh", "arg1"));
	                            EXPECT_EQ(m.script.user, "root");
	                            EXPECT_EQ(m.script.where.line, 7u);
	                            EXPECT_EQ(m.timeout, 5u);
	                            EXPECT_TRUE(m.dynamic);
	                            EXPECT_EQ(c.retry, 2u);
	                            EXPECT_EQ(c.warmup, 3);
                            }},
                CheckerCase{"misc_defaults", "MISC_CHECK", "misc_path /bin/true",
                            [](const Checker &c) {
	                            const auto &m = detailOf<config::MiscCheck>(c);
	                            EXPECT_EQ(m.script.user, "");
	                            EXPECT_FALSE(m.timeout);
	                            EXPECT_FALSE(m.dynamic);
	                            EXPECT_EQ(c.retry, 0u); // MISC_CHECK's default
                            }},
                CheckerCase{"misc_path_first_word_only", "MISC_CHECK", "misc_path /bin/echo hi there",
                            [](const Checker &c) {
	                            EXPECT_EQ(detailOf<config::MiscCheck>(c).script.command, "/bin/echo");
                            }},
                CheckerCase{"dns", "DNS_CHECK", "type mx\n name example.com",
                            [](const Checker &c) {
	                            const auto &d = detailOf<config::DnsCheck>(c);
	                            EXPECT_EQ(d.type, "MX");
	                            EXPECT_EQ(d.name, "example.com");
                            }},
                CheckerCase{"dns_defaults", "DNS_CHECK", "delay_loop 7",
                            [](const Checker &c) {
	                            const auto &d = detailOf<config::DnsCheck>(c);
	                            EXPECT_EQ(d.type, "SOA");
	                            EXPECT_EQ(d.name, ".");
	                            EXPECT_EQ(c.retry, 3u);           // DNS_CHECK's default
	                            EXPECT_EQ(c.delayBeforeRetry, 7); // delay_loop
                            }},
                CheckerCase{"smtp", "SMTP_CHECK",
                            "helo_name \"foo.example.com\"\n connect_timeout 10\n host {\n connect_ip 192.0.2.77\n "
                            "connect_port 2525\n bindto 192.0.2.5\n retry 4\n }\n host {\n connect_ip 192.0.2.78\n }",
                            [](const Checker &c) {
	                            const auto &s = detailOf<config::SmtpCheck>(c);
	                            EXPECT_EQ(s.heloName, "foo.example.com");
	                            ASSERT_EQ(s.hosts.size(), 2u);
	                            EXPECT_EQ(s.hosts[0].connectIp.str(), "192.0.2.77");
	                            EXPECT_EQ(s.hosts[0].connectPort, 2525);
	                            EXPECT_EQ(s.hosts[0].bindTo->str(), "192.0.2.5");
	                            EXPECT_EQ(s.hosts[1].connectIp.str(), "192.0.2.78");
	                            EXPECT_EQ(s.hosts[1].connectPort, 80); // the checker's: the real server's
	                            EXPECT_EQ(c.retry, 4u);                // timing in a host applies to the checker
	                            EXPECT_EQ(c.connectTimeout, 10);
                            }},
                CheckerCase{"udp", "UDP_CHECK",
                            "payload Ab12f 3 456 546443123\n require_reply 01xX\n min_reply_length 5\n "
                            "max_reply_length 10",
                            [](const Checker &c) {
	                            const auto &u = detailOf<config::UdpCheck>(c);
	                            ASSERT_TRUE(u.payload);
	                            // The man page's example: AB 12 0F 03 45 06 54 64 43 12 03.
	                            EXPECT_EQ(u.payload->bytes,
	                                      (std::vector<std::uint8_t>{0xab, 0x12, 0x0f, 0x03, 0x45, 0x06, 0x54, 0x64,
	                                                                 0x43, 0x12, 0x03}));
	                            EXPECT_TRUE(u.requireReply);
	                            ASSERT_TRUE(u.reply);
	                            EXPECT_EQ(u.reply->bytes, (std::vector<std::uint8_t>{0x01, 0x00}));
	                            EXPECT_EQ(u.reply->mask, (std::vector<std::uint8_t>{0xff, 0x00}));
	                            EXPECT_EQ(u.minReplyLength, 5u);
	                            EXPECT_EQ(u.maxReplyLength, 10u);
                            }},
                CheckerCase{"udp_defaults", "UDP_CHECK", "require_reply",
                            [](const Checker &c) {
	                            const auto &u = detailOf<config::UdpCheck>(c);
	                            EXPECT_FALSE(u.payload);
	                            EXPECT_TRUE(u.requireReply);
	                            EXPECT_FALSE(u.reply);
	                            EXPECT_EQ(u.minReplyLength, 0u);
	                            EXPECT_EQ(u.maxReplyLength, 255u);
                            }}),
        [](const ::testing::TestParamInfo<CheckerCase> &info) { return std::string(info.param.name); });

TEST(Checker, BfdCheckFindsEarlierInstance)
{
	auto r = loadLvs(R"(bfd_instance b1 {
    neighbor_ip 192.0.2.10
}
virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
        BFD_CHECK {
            name b1
            alpha
        }
        BFD_CHECK {
            name b1
        }
    }
}
)");
	EXPECT_THAT(messages(r), ElementsAre("14: ([192.0.2.10]:tcp:80) BFD_CHECK - RS already monitoring b1"));
	const auto &c = firstChecker(r);
	EXPECT_EQ(detailOf<config::BfdCheck>(c).name, "b1");
	EXPECT_TRUE(c.alpha);
	EXPECT_EQ(firstRs(r).checkers.size(), 1u);
}

TEST(Checker, FileCheck)
{
	auto r = loadLvs("track_file tf {\n    file /run/vigil-test-tf\n}\n" +
	                 checkerWith("FILE_CHECK", "track_file tf\n weight -5 reverse"));
	EXPECT_THAT(messages(r), ElementsAre());
	const auto &f = detailOf<config::FileCheck>(firstChecker(r));
	EXPECT_EQ(f.trackFile, "tf");
	EXPECT_EQ(f.weight, -5);
	EXPECT_TRUE(f.reverse);
}

TEST(Checker, HttpVirtualhostInheritance)
{
	auto r = loadLvs(R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method NAT
    virtualhost vs.example.com
    real_server 192.0.2.10 80 {
        HTTP_GET {
            url {
                path /
            }
        }
    }
    real_server 192.0.2.11 80 {
        virtualhost rs.example.com
        SSL_GET {
            url {
                path /
            }
        }
    }
}
)");
	EXPECT_THAT(messages(r), ElementsAre());
	const auto &rs = firstVs(r).realServers;
	ASSERT_EQ(rs.size(), 2u);
	EXPECT_EQ(detailOf<config::HttpCheck>(rs[0].checkers.at(0)).urls.at(0).virtualhost, "vs.example.com");
	EXPECT_EQ(detailOf<config::HttpCheck>(rs[1].checkers.at(0)).urls.at(0).virtualhost, "rs.example.com");
}

TEST(Checker, ConnectDefaultsFollowThePortReset)
{
	// A DR real server's port is reset to the service's before its checker
	// takes it as connect_port.
	auto r = loadLvs(R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 8080 {
        TCP_CHECK {
        }
    }
}
)");
	EXPECT_EQ(firstChecker(r).endpoint.connectPort, 80);
}

TEST(Checker, VsgEntryExpansionHelpers)
{
	config::VsgEntry e;
	e.first = *IpAddress::parse("192.0.2.250");
	e.last = *IpAddress::parse("192.0.3.2");
	EXPECT_EQ(e.size(), 9u);
	auto all = e.expand();
	ASSERT_EQ(all.size(), 9u);
	EXPECT_EQ(all[5].str(), "192.0.2.255");
	EXPECT_EQ(all[6].str(), "192.0.3.0");
	EXPECT_EQ(e.expand(2).size(), 2u);
	config::VsgEntry v6;
	v6.first = *IpAddress::parse("2001:db8::");
	v6.last = *IpAddress::parse("2001:db8::ffff:ffff:ffff:ffff");
	EXPECT_EQ(v6.size(), SIZE_MAX); // 2^64 addresses saturate
	EXPECT_EQ(v6.expand(3).back().str(), "2001:db8::2");
}

} // namespace
} // namespace vigil::testing
