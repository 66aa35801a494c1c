// dumpLvs: normalized keepalived.conf text that reads back to the same model;
// collectLvsScripts.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "src/config/config_writer.h"
#include "tests/config/lvs/lvs_test_helpers.h"

namespace vigil::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Every LVS feature at least once.
const char *const kRich = R"(global_defs {
    router_id lb01
    script_user root
    enable_script_security
}
track_file tf1 {
    file /run/vigil-test-tf1
}
bfd_instance bfd1 {
    neighbor_ip 192.0.2.30
}
virtual_server_group WEB {
    192.0.2.100 80
    192.0.2.101-110 80
    203.0.113.0/30 8080
    fwmark 5
    fwmark 6 inet
}
virtual_server_group V6 {
    2001:db8::1-ff 443
    2001:db8:1::-2001:db8:1::1:0 443
}
virtual_server 192.0.2.1 80 {
    delay_loop 2.5
    lvs_sched sh
    sh-port
    sh-fallback
    flag-3
    lvs_method DR
    protocol TCP
    persistence_timeout
    persistence_granularity 255.255.255.0
    persistence_engine sip
    ha_suspend
    alpha
    omega
    quorum 2
    hysteresis 1
    quorum_up "/bin/echo up" root
    quorum_down /bin/true
    smtp_alert no
    virtualhost www.example.com
    snmp_name web
    inhibit_on_failure
    retry 2
    delay_before_retry 0.5
    connect_timeout 4
    warmup 1
    sorry_server 192.0.2.99 80
    sorry_server_lvs_method TUN type gue port 6080 remcsum
    sorry_server_inhibit
    real_server 192.0.2.10 80 {
        weight 3
        uthreshold 1000
        lthreshold 100
        notify_up /bin/true
        notify_down "/bin/echo down" root root
        smtp_alert
        snmp_name rs10
        delay_loop 3
        alpha no
        virtualhost rs.example.com
        HTTP_GET {
            url {
                path /health
                digest 640205b7b0fc66c1ea91c463fac6334d
                status_code 200-204 404
                virtualhost url.example.com
                regex "^ok"
                regex_no_match
                regex_options caseless
                regex_stack 1000 2000
                regex_min_offset 1
                regex_max_offset 200
            }
            url {
                path "/a path"
            }
            http_protocol 1.0C
            fast_recovery
            enable_sni
            connect_ip 192.0.2.11
            connect_port 8080
            bindto 192.0.2.2
            bind_port 5000
            bind_if eth0
            fwmark 42
            log_all_failures
        }
        SSL_GET {
            url {
                path /
            }
        }
        MISC_CHECK {
            misc_path "/usr/local/bin/check.sh --port 80"
            misc_timeout 4
            misc_dynamic
            user root
        }
        BFD_CHECK {
            name bfd1
        }
    }
    real_server 192.0.2.12 80 {
        lvs_method TUN type gre csum
        inhibit_on_failure no
        DNS_CHECK {
            type AAAA
            name example.com
        }
        SMTP_CHECK {
            helo_name mail.example.com
            host {
                connect_ip 192.0.2.60
                connect_port 25
            }
            host {
                connect_ip 2001:db8::60
            }
        }
        UDP_CHECK {
            payload 0102 ab
            require_reply 01xX
            min_reply_length 2
            max_reply_length 512
        }
        PING_CHECK {
            warmup 0
        }
        FILE_CHECK {
            track_file tf1
            weight -3 reverse
        }
    }
}
virtual_server 2001:db8::1 443 {
    protocol SCTP
    lvs_sched mh
    mh-port
    lvs_method NAT
    persistence_timeout 600
    persistence_granularity 64
    real_server 2001:db8::10 8443 {
        TCP_CHECK {
            half_open
        }
    }
}
virtual_server fwmark 9 {
    lvs_sched wlc
    lvs_method DR
    ip_family inet6
    persistence_granularity 48
    real_server 2001:db8::20 {
        PING_CHECK {
        }
    }
}
virtual_server fwmark 10 {
    lvs_sched lc
    lvs_method TUN
    persistence_granularity 0.0.0.24
    real_server 2001:db8::21 {
    }
    real_server 192.0.2.21 {
    }
}
virtual_server group WEB {
    protocol UDP
    ops
    lvs_sched rr
    lvs_method NAT
    real_server 192.0.2.30 80 {
        UDP_CHECK {
        }
    }
}
virtual_server group V6 {
    protocol TCP
    lvs_sched wrr
    lvs_method NAT
    real_server 2001:db8::30 443 {
        TCP_CHECK {
        }
    }
}
)";

TEST(LvsDump, RichConfigRoundTrips)
{
	auto r = loadLvs(kRich);
	EXPECT_THAT(messages(r), ElementsAre());
	ASSERT_EQ(r.config.lvs.virtualServers.size(), 6u);
	expectRoundTrip(kRich);
}

TEST(LvsDump, ConfigsWithFindingsRoundTripToCleanOnes)
{
	// What validation changed (defaults, reset ports, reduced quorum) is
	// written explicitly, so the dump reads back without a finding.
	for (const char *text : {R"(virtual_server 192.0.2.1 {
    ops
    quorum 5
    hysteresis 9
    lvs_method DR
    sorry_server 192.0.2.99 8080
    real_server 192.0.2.10 8080 {
        HTTP_GET {
            url {
                path /
            }
            nb_get_retry 2
        }
    }
    real_server 192.0.2.10 8080 {
    }
}
)",
	                         R"(virtual_server fwmark 1 {
    protocol TCP
    lvs_method DR
    sorry_server 192.0.2.99 80
    real_server 192.0.2.10 80 {
        TCP_CHECK {
            connect_port 80
        }
    }
}
virtual_server_group G {
    192.0.2.1
}
virtual_server group G {
    real_server 192.0.2.10 80 {
    }
}
)"}) {
		auto r = loadLvs(text);
		EXPECT_EQ(r.diagnostics.exitStatus(), 5);
		expectRoundTrip(text);
	}
}

TEST(LvsDump, NormalizedText)
{
	auto r = loadLvs(R"(virtual_server 192.0.2.1 80 {
    lb_kind DR
    protocol tcp
    lb_algo rr
    real_server 192.0.2.10 80 {
        TCP_CHECK {
            connect_port 6379
            nb_get_retry 3
        }
    }
}
)");
	config::ConfigWriter out;
	config::dumpLvs(r.config, out);
	EXPECT_EQ(out.str(), R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    delay_loop 60
    quorum 1
    hysteresis 0
    real_server 192.0.2.10 80 {
        weight 1
        lvs_method DR
        inhibit_on_failure no
        TCP_CHECK {
            connect_ip 192.0.2.10
            connect_port 6379
            connect_timeout 5
            retry 1
            delay_before_retry 1
            warmup 60
            delay_loop 60
            alpha no
        }
    }
}
)");
}

TEST(LvsDump, GroupsAndTimers)
{
	auto r = loadLvs(R"(virtual_server_group G {
    192.0.2.3-10 80
    2001:db8::/126 443
    fwmark 7 inet6
}
virtual_server fwmark 3 {
    lvs_sched rr
    lvs_method TUN type gue port 6080
    delay_loop 0.000001
    warmup 100000000
    real_server 192.0.2.10 {
    }
}
)");
	config::ConfigWriter out;
	config::dumpLvs(r.config, out);
	EXPECT_THAT(out.str(), HasSubstr("virtual_server_group G {\n"
	                                 "    192.0.2.3-192.0.2.10 80\n"
	                                 "    2001:db8::-2001:db8::3 443\n"
	                                 "    fwmark 7 inet6\n"
	                                 "}\n"));
	EXPECT_THAT(out.str(), HasSubstr("    lvs_method TUN type gue port 6080\n    ip_family inet\n"));
	EXPECT_THAT(out.str(), HasSubstr("    delay_loop 0.000001\n    warmup 100000000\n"));
	EXPECT_THAT(out.str(), HasSubstr("    real_server 192.0.2.10 {\n"));
}

TEST(LvsDump, SeedsAndSamplesRoundTrip)
{
	for (const char *text : {
	             R"(virtual_server 10.18.14.93 6379 {
    delay_loop 6
    lb_algo rr
    lb_kind DR
    persistence_timeout 0
    protocol TCP
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
)",
	             R"(virtual_server 10.10.10.2 1358 {
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
)"})
		expectRoundTrip(text);
}

TEST(LvsScripts, CollectsEveryScript)
{
	auto r = loadLvs(kRich);
	std::vector<const config::Script *> scripts;
	config::collectLvsScripts(r.config, scripts);
	std::vector<std::string> commands;
	for (const auto *s : scripts)
		commands.push_back(s->command + "|" + s->user + "|" + s->group);
	EXPECT_THAT(commands, ElementsAre("/bin/echo up|root|", "/bin/true||", "/bin/true||",
	                                  "/bin/echo down|root|root", "/usr/local/bin/check.sh --port 80|root|"));
	EXPECT_EQ(scripts[4]->argv.size(), 3u);
	EXPECT_EQ(scripts[0]->where.line, 39u);
}

} // namespace
} // namespace vigil::testing
