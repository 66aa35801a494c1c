// Every LVS diagnostic, with keepalived 2.2.7's words, line and exit status.
// The expectations were recorded by running `keepalived -t -f` on each
// snippet (black box); "LINE: message" is a finding at a line, a bare message
// one keepalived prints without location.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/config/lvs/lvs_test_helpers.h"

namespace vigil::testing {
namespace {

struct DiagCase {
	const char *name;
	std::string config;
	std::vector<std::string> expected;
	int exitStatus;
};

class LvsDiagnostic : public ::testing::TestWithParam<DiagCase>
{
};

TEST_P(LvsDiagnostic, MatchesKeepalived)
{
	auto r = loadLvs(GetParam().config);
	EXPECT_EQ(keepalivedView(r), GetParam().expected) << GetParam().config;
	EXPECT_EQ(r.diagnostics.exitStatus(), GetParam().exitStatus);
}

INSTANTIATE_TEST_SUITE_P(
        Lvs, LvsDiagnostic,
        ::testing::Values(
                DiagCase{"vs_invalid_address_skips",
                         R"(virtual_server 192.0.2.300 80 {
    protocol TCP
    real_server 192.0.2.10 80 {
    }
}
virtual_server 192.0.2.2 80 {
    protocol TCP
    lvs_sched rr
    lvs_method NAT
    real_server 192.0.2.10 80 {
    }
}
)",
                         {"1: Invalid virtual server IP address/port 192.0.2.300/80 - skipping"},
                         5},
                DiagCase{"vs_invalid_address_no_port",
                         R"(virtual_server foo {
    protocol TCP
}
)",
                         {"1: Invalid virtual server IP address foo - skipping"},
                         5},
                DiagCase{"vs_invalid_port",
                         R"(virtual_server 192.0.2.1 70000 {
    protocol TCP
}
)",
                         {"1: number '70000' outside range [1, 65535]",
                          "1: Invalid virtual server IP address/port 192.0.2.1/70000 - skipping"},
                         5},
                DiagCase{"vs_service_name_port",
                         R"(virtual_server 192.0.2.1 http {
    protocol TCP
}
)",
                         {"1: invalid number 'http'",
                          "1: Invalid virtual server IP address/port 192.0.2.1/http - skipping"},
                         5},
                DiagCase{"vs_bracketed_ipv6",
                         R"(virtual_server [2001:db8::1] 80 {
    protocol TCP
}
)",
                         {"1: Invalid virtual server IP address/port [2001:db8::1]/80 - skipping"},
                         5},
                DiagCase{"vs_fwmark_invalid",
                         R"(virtual_server fwmark abc {
    lvs_sched rr
}
)",
                         {"1: invalid number 'abc'",
                          "1: virtual server fwmark 'abc' must be in [0, 4294967295] - ignoring"},
                         5},
                DiagCase{"vs_fwmark_too_large",
                         R"(virtual_server fwmark 4294967296 {
    lvs_sched rr
}
)",
                         {"1: number '4294967296' outside unsigned integer range",
                          "1: virtual server fwmark '4294967296' must be in [0, 4294967295] - ignoring"},
                         5},
                DiagCase{"vs_missing_parameter",
                         R"(virtual_server
{
}
)",
                         {"1: *** Configuration line starting `virtual_server` is missing a parameter after keyword "
                          "`virtual_server` at word position 2"},
                         2},
                DiagCase{"vs_no_real_servers",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method NAT
}
)",
                         {"Virtual server [192.0.2.1]:tcp:80 has no real servers - ignoring"},
                         5},
                DiagCase{"vs_nothing_set",
                         R"(virtual_server 192.0.2.1 80 {
}
)",
                         {"Virtual server [192.0.2.1]:none:80 has no real servers - ignoring"},
                         5},
                DiagCase{"vs_fwmark_no_real_servers",
                         R"(virtual_server fwmark 5 {
    lvs_sched rr
    lvs_method DR
}
)",
                         {"Virtual server FWM 5 has no real servers - ignoring"},
                         5},
                DiagCase{"vs_fwmark_protocol_ignored",
                         R"(virtual_server fwmark 1 {
    protocol TCP
    lvs_sched rr
    lvs_method NAT
    real_server 192.0.2.10 {
    }
}
)",
                         {"Warning: Virtual server FWM 1: protocol specified for fwmark - protocol will be ignored"},
                         5},
                DiagCase{"vs_fwmark_dr_port_cleared",
                         R"(virtual_server fwmark 1 {
    lvs_sched rr
    lvs_method DR
    sorry_server 192.0.2.99 80
    real_server 192.0.2.10 80 {
    }
}
)",
                         {"WARNING - fwmark virtual server FWM 1, real server [192.0.2.10]:none:80 has port specified "
                          "- clearing",
                          "WARNING - virtual server FWM 1, sorry server has port specified - clearing"},
                         5},
                DiagCase{"vs_fwmark_defaults",
                         R"(virtual_server fwmark 5 {
    protocol UDP
    ops
    quorum 5
    hysteresis 9
    real_server 192.0.2.10 8080 {
    }
    real_server 192.0.2.11 8080 {
    }
    real_server 192.0.2.10 8080 {
    }
}
)",
                         {"Warning: Virtual server FWM 5: protocol specified for fwmark - protocol will be ignored",
                          "Virtual server FWM 5: no scheduler set, setting default 'wlc'",
                          "Virtual server FWM 5: no forwarding method set, setting default NAT",
                          "VS FWM 5: real server [192.0.2.10]:none:8080 is duplicated - removing second rs",
                          "Warning - quorum 5 for FWM 5 exceeds total weight of real servers 2, reducing quorum to 2",
                          "Virtual server FWM 5: hysteresis 9 >= quorum 2; setting hysteresis to 1"},
                         5},
                DiagCase{"vs_validation_order",
                         R"(virtual_server 192.0.2.1 {
    protocol TCP
    ops
    quorum 5
    hysteresis 9
    lvs_method DR
    real_server 192.0.2.10 8080 {
    }
    real_server 192.0.2.10 8080 {
    }
}
)",
                         {"Virtual server [192.0.2.1]:tcp:0: one packet scheduling requires UDP - resetting",
                          "Virtual server [192.0.2.1]:tcp:0: zero port only valid for persistent services - setting",
                          "Virtual server [192.0.2.1]:tcp:0: no scheduler set, setting default 'wlc'",
                          "VS [192.0.2.1]:tcp:0: real server [192.0.2.10]:tcp:8080 is duplicated - removing second rs",
                          "Warning - quorum 5 for [192.0.2.1]:tcp:0 exceeds total weight of real servers 1, reducing "
                          "quorum to 1",
                          "Virtual server [192.0.2.1]:tcp:0: hysteresis 9 >= quorum 1; setting hysteresis to 0",
                          "WARNING - virtual server [192.0.2.1]:tcp:0 and real server [192.0.2.10]:tcp:8080 ports "
                          "don't match - resetting"},
                         5},
                DiagCase{"vs_forwarding_default_once",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    real_server 192.0.2.10 80 {
        lvs_method DR
    }
    real_server 192.0.2.11 80 {
    }
    real_server 192.0.2.12 80 {
    }
}
)",
                         {"Virtual server [192.0.2.1]:tcp:80: no forwarding method set, setting default NAT"},
                         5},
                DiagCase{"vs_sorry_server_needs_default_method",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    sorry_server 192.0.2.99 80
    real_server 192.0.2.10 80 {
        lvs_method DR
    }
}
)",
                         {"Virtual server [192.0.2.1]:tcp:80: no forwarding method set, setting default NAT"},
                         5},
                DiagCase{"vs_ports_dont_match",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method TUN
    sorry_server 192.0.2.99 8080
    real_server 192.0.2.10 8080 {
    }
}
)",
                         {"WARNING - virtual server [192.0.2.1]:tcp:80 and real server [192.0.2.10]:tcp:8080 ports "
                          "don't match - resetting",
                          "WARNING - virtual server [192.0.2.1]:tcp:80 and sorry server ports don't match - resetting"},
                         5},
                DiagCase{"vs_family_mismatch_real",
                         R"(virtual_server 2001:db8::1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
    }
}
)",
                         {"6: Address family of virtual server and real server 192.0.2.10 don't match - skipping real "
                          "server.",
                          "Virtual server [2001:db8::1]:tcp:80 has no real servers - ignoring"},
                         5},
                DiagCase{"vs_family_mismatch_sorry",
                         R"(virtual_server fwmark 3 {
    lvs_sched rr
    lvs_method DR
    real_server 2001:db8::10 {
    }
    sorry_server 192.0.2.99 80
}
)",
                         {"7: Address family of virtual server and sorry server 192.0.2.99 don't match - skipping "
                          "sorry server."},
                         5},
                DiagCase{"vs_fwmark_family_from_ip_family",
                         R"(virtual_server fwmark 3 {
    lvs_sched rr
    lvs_method DR
    ip_family inet6
    real_server 192.0.2.10 {
    }
}
)",
                         {"6: Address family of virtual server and real server 192.0.2.10 don't match - skipping real "
                          "server.",
                          "Virtual server FWM 3 has no real servers - ignoring"},
                         5},
                DiagCase{"vs_ip_family_conflict",
                         R"(virtual_server fwmark 3 {
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 {
    }
    ip_family inet6
}
)",
                         {"6: Virtual server specified family inet6 conflicts with server family"},
                         5},
                DiagCase{"vs_quorum_reduced",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    quorum 2
    hysteresis 2
    real_server 192.0.2.10 80 {
        weight 3
    }
}
)",
                         {"Virtual server [192.0.2.1]:tcp:80: hysteresis 2 >= quorum 2; setting hysteresis to 1"},
                         5},
                DiagCase{"persistence_timeout_zero",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    persistence_timeout 0
    real_server 192.0.2.10 80 {
        TCP_CHECK {
        }
    }
}
)",
                         {"5: number '0' outside range [1, 2678400]", "5: persistence_timeout invalid"},
                         5},
                DiagCase{"persistence_timeout_too_large",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    persistence_timeout 2678401
    real_server 192.0.2.10 80 {
        TCP_CHECK {
        }
    }
}
)",
                         {"5: number '2678401' outside range [1, 2678400]", "5: persistence_timeout invalid"},
                         5},
                DiagCase{"persistence_timeout_fraction",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    persistence_timeout 360.5
    real_server 192.0.2.10 80 {
        TCP_CHECK {
        }
    }
}
)",
                         {"5: invalid number '360.5'", "5: persistence_timeout invalid"},
                         5},
                DiagCase{"persistence_granularity_invalid",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    persistence_granularity foo
    real_server 192.0.2.10 80 {
        TCP_CHECK {
        }
    }
}
)",
                         {"5: Invalid IPv4 persistence_granularity specified - foo"},
                         5},
                DiagCase{"persistence_granularity_ipv6_range",
                         R"(virtual_server 2001:db8::1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    persistence_granularity 129
    real_server 2001:db8::10 80 {
    }
}
)",
                         {"5: number '129' outside range [1, 128]",
                          "5: Invalid IPv6 persistence_granularity specified - 129"},
                         5},
                DiagCase{"persistence_granularity_missing",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    persistence_granularity
    real_server 192.0.2.10 80 {
        TCP_CHECK {
        }
    }
}
)",
                         {"5: *** Configuration line starting `persistence_granularity` is missing a parameter after "
                          "keyword `persistence_granularity` at word position 2"},
                         2},
                DiagCase{"delay_loop_zero",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    delay_loop 0
    real_server 192.0.2.10 80 {
        TCP_CHECK {
        }
    }
}
)",
                         {"5: number '0' outside range [0.000001, 18446744073709.551614]",
                          "5: virtual server delay loop '0' invalid - ignoring"},
                         5},
                DiagCase{"delay_loop_negative",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    delay_loop -1
    real_server 192.0.2.10 80 {
        TCP_CHECK {
        }
    }
}
)",
                         {"5: negative number '-1'", "5: virtual server delay loop '-1' invalid - ignoring"},
                         5},
                DiagCase{"delay_loop_word",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    delay_loop abc
    real_server 192.0.2.10 80 {
        TCP_CHECK {
        }
    }
}
)",
                         {"5: invalid number 'abc'", "5: virtual server delay loop 'abc' invalid - ignoring"},
                         5},
                DiagCase{"delay_loop_trailing_garbage_uses_number",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    delay_loop 5x
    real_server 192.0.2.10 80 {
        TCP_CHECK {
        }
    }
}
)",
                         {"5: invalid number '5x'"},
                         5},
                DiagCase{"delay_loop_too_many_places",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    delay_loop 1.0000001
    real_server 192.0.2.10 80 {
        TCP_CHECK {
        }
    }
}
)",
                         {"5: number '1.0000001' has too many decimal places"},
                         5},
                DiagCase{"delay_loop_rounds_to_zero",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    delay_loop 0.0000001
    real_server 192.0.2.10 80 {
        TCP_CHECK {
        }
    }
}
)",
                         {"5: number '0.0000001' has too many decimal places",
                          "5: number '0.0000001' outside range [0.000001, 18446744073709.551614]",
                          "5: virtual server delay loop '0.0000001' invalid - ignoring"},
                         5},
                DiagCase{"delay_loop_overflow",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    delay_loop 99999999999999999999
    real_server 192.0.2.10 80 {
        TCP_CHECK {
        }
    }
}
)",
                         {"5: number '99999999999999999999' outside unsigned decimal range",
                          "5: virtual server delay loop '99999999999999999999' invalid - ignoring"},
                         5},
                DiagCase{"delay_loop_missing",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    delay_loop
    persistence_timeout 0
    real_server 192.0.2.10 80 {
        TCP_CHECK {
        }
    }
}
)",
                         {"5: *** Configuration line starting `delay_loop` is missing a parameter after keyword "
                          "`delay_loop` at word position 2"},
                         2},
                DiagCase{"lb_algo_invalid",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    lb_algo RR
    real_server 192.0.2.10 80 {
        TCP_CHECK {
        }
    }
}
)",
                         {"5: Invalid lvs_scheduler 'RR' - ignoring"},
                         5},
                DiagCase{"lb_algo_missing",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    lb_algo
    real_server 192.0.2.10 80 {
        TCP_CHECK {
        }
    }
}
)",
                         {"5: *** Configuration line starting `lb_algo` is missing a parameter after keyword `lb_algo` "
                          "at word position 2"},
                         2},
                DiagCase{"lb_kind_invalid",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    lb_kind nat
    real_server 192.0.2.10 80 {
        TCP_CHECK {
        }
    }
}
)",
                         {"5: PARSER : unknown [nat] routing method for virtual server."},
                         5},
                DiagCase{"lb_kind_invalid_leaves_default",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lb_kind foo
    real_server 192.0.2.10 80 {
    }
}
)",
                         {"4: PARSER : unknown [foo] routing method for virtual server.",
                          "Virtual server [192.0.2.1]:tcp:80: no forwarding method set, setting default NAT"},
                         5},
                DiagCase{"tunnel_gue_without_port",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    lvs_method TUN type gue
    real_server 192.0.2.10 80 {
        TCP_CHECK {
        }
    }
}
)",
                         {"5: gue tunnels require port, otherwise cannot have port."},
                         5},
                DiagCase{"tunnel_gue_port_zero",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    lvs_method TUN type gue port 0
    real_server 192.0.2.10 80 {
        TCP_CHECK {
        }
    }
}
)",
                         {"5: number '0' outside range [1, 65535]", "5: Invalid gue tunnel port 0 for virtual server."},
                         5},
                DiagCase{"tunnel_gue_port_missing",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    lvs_method TUN type gue port
    real_server 192.0.2.10 80 {
        TCP_CHECK {
        }
    }
}
)",
                         {"5: Missing port for virtual server gue tunnel."},
                         5},
                DiagCase{"tunnel_type_missing",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    lvs_method TUN type
    real_server 192.0.2.10 80 {
        TCP_CHECK {
        }
    }
}
)",
                         {"5: Missing tunnel type for virtual server."},
                         5},
                DiagCase{"tunnel_type_unknown",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    lvs_method TUN type foo
    real_server 192.0.2.10 80 {
        TCP_CHECK {
        }
    }
}
)",
                         {"5: Unknown tunnel type foo for virtual server."},
                         5},
                DiagCase{"tunnel_ipip_port",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    lvs_method TUN type ipip port 5
    real_server 192.0.2.10 80 {
        TCP_CHECK {
        }
    }
}
)",
                         {"5: gue tunnels require port, otherwise cannot have port."},
                         5},
                DiagCase{"tunnel_ipip_csum",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    lvs_method TUN csum
    real_server 192.0.2.10 80 {
        TCP_CHECK {
        }
    }
}
)",
                         {"5: ipip tunnels do not support checksum option."},
                         5},
                DiagCase{"tunnel_gre_remcsum",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    lvs_method TUN type gre remcsum
    real_server 192.0.2.10 80 {
        TCP_CHECK {
        }
    }
}
)",
                         {"5: gre tunnels do not support remote checksum option."},
                         5},
                DiagCase{"tunnel_bad_option",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    lvs_method DR extra
    real_server 192.0.2.10 80 {
        TCP_CHECK {
        }
    }
}
)",
                         {"5: Invalid tunnel option extra for virtual server."},
                         5},
                DiagCase{"protocol_unknown",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    protocol ICMP
    real_server 192.0.2.10 80 {
        TCP_CHECK {
        }
    }
}
)",
                         {"5: Unknown protocol ICMP - ignoring"},
                         5},
                DiagCase{"ops_needs_udp",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    ops
    real_server 192.0.2.10 80 {
        TCP_CHECK {
        }
    }
}
)",
                         {"Virtual server [192.0.2.1]:tcp:80: one packet scheduling requires UDP - resetting"},
                         5},
                DiagCase{"sh_port_needs_sh",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    sh-port
    sh-fallback
    mh-port
    mh-fallback
    real_server 192.0.2.10 80 {
        TCP_CHECK {
        }
    }
}
)",
                         {"5: sh-port only applies to sh scheduler - ignoring",
                          "6: sh-fallback only applies to sh scheduler - ignoring",
                          "7: mh-port only applies to sh scheduler - ignoring",
                          "8: mh-fallback only applies to sh scheduler - ignoring"},
                         5},
                DiagCase{"sh_port_before_lb_algo",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    sh-port
    lvs_sched sh
    real_server 192.0.2.10 80 {
        TCP_CHECK {
        }
    }
}
)",
                         {"5: sh-port only applies to sh scheduler - ignoring"},
                         5},
                DiagCase{"quorum_zero",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    quorum 0
    real_server 192.0.2.10 80 {
        TCP_CHECK {
        }
    }
}
)",
                         {"5: number '0' outside range [1, 4294967295]",
                          "5: Quorum 0 must be in [1, 4294967295]. Setting to 1."},
                         5},
                DiagCase{"quorum_word",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    quorum abc
    real_server 192.0.2.10 80 {
        TCP_CHECK {
        }
    }
}
)",
                         {"5: invalid number 'abc'", "5: Quorum abc must be in [1, 4294967295]. Setting to 1."},
                         5},
                DiagCase{"quorum_too_large",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    quorum 4294967296
    real_server 192.0.2.10 80 {
        TCP_CHECK {
        }
    }
}
)",
                         {"5: number '4294967296' outside unsigned integer range",
                          "5: Quorum 4294967296 must be in [1, 4294967295]. Setting to 1."},
                         5},
                DiagCase{"quorum_above_weight",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    quorum 5
    real_server 192.0.2.10 80 {
        TCP_CHECK {
        }
    }
}
)",
                         {"Warning - quorum 5 for [192.0.2.1]:tcp:80 exceeds total weight of real servers 1, reducing "
                          "quorum to 1"},
                         5},
                DiagCase{"hysteresis_negative",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    hysteresis -1
    real_server 192.0.2.10 80 {
        TCP_CHECK {
        }
    }
}
)",
                         {"5: negative number '-1'", "5: Hysteresis -1 must be in [0, 4294967295] - ignoring"},
                         5},
                DiagCase{"hysteresis_above_quorum",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    hysteresis 3
    real_server 192.0.2.10 80 {
        TCP_CHECK {
        }
    }
}
)",
                         {"Virtual server [192.0.2.1]:tcp:80: hysteresis 3 >= quorum 1; setting hysteresis to 0"},
                         5},
                DiagCase{"retry_zero",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    retry 0
    real_server 192.0.2.10 80 {
        TCP_CHECK {
        }
    }
}
)",
                         {"5: number '0' outside range [1, 4294967295]", "5: retry value invalid - 0"},
                         5},
                DiagCase{"delay_before_retry_negative",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    delay_before_retry -1
    real_server 192.0.2.10 80 {
        TCP_CHECK {
        }
    }
}
)",
                         {"5: negative number '-1'", "5: virtual server delay before retry '-1' invalid - ignoring"},
                         5},
                DiagCase{"delay_before_retry_word_is_zero",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    delay_before_retry abc
    real_server 192.0.2.10 80 {
        TCP_CHECK {
        }
    }
}
)",
                         {"5: invalid number 'abc'"},
                         5},
                DiagCase{"connect_timeout_zero",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    connect_timeout 0
    real_server 192.0.2.10 80 {
        TCP_CHECK {
        }
    }
}
)",
                         {"5: number '0' outside range [0.000001, 4294.967295]",
                          "5: virtual server connect_timeout 0 invalid - ignoring"},
                         5},
                DiagCase{"connect_timeout_too_large",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    connect_timeout 4294.967296
    real_server 192.0.2.10 80 {
        TCP_CHECK {
        }
    }
}
)",
                         {"5: number '4294.967296' outside range [0.000001, 4294.967295]",
                          "5: virtual server connect_timeout 4294.967296 invalid - ignoring"},
                         5},
                DiagCase{"warmup_negative",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    warmup -1
    real_server 192.0.2.10 80 {
        TCP_CHECK {
        }
    }
}
)",
                         {"5: negative number '-1'", "5: virtual server warmup '-1' invalid - ignoring"},
                         5},
                DiagCase{"ip_family_unknown",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    ip_family foo
    real_server 192.0.2.10 80 {
        TCP_CHECK {
        }
    }
}
)",
                         {"5: unknown address family foo"},
                         5},
                DiagCase{"ip_family_conflict",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    ip_family inet6
    real_server 192.0.2.10 80 {
        TCP_CHECK {
        }
    }
}
)",
                         {"5: Virtual server specified family inet6 conflicts with server family"},
                         5},
                DiagCase{"smtp_alert_invalid",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    smtp_alert foo
    real_server 192.0.2.10 80 {
        TCP_CHECK {
        }
    }
}
)",
                         {"5: Invalid virtual_server smtp_alert parameter foo"},
                         5},
                DiagCase{"virtualhost_missing",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    virtualhost
    real_server 192.0.2.10 80 {
        TCP_CHECK {
        }
    }
}
)",
                         {"5: virtual server virtualhost missing"},
                         5},
                DiagCase{"snmp_name_missing",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    snmp_name
    real_server 192.0.2.10 80 {
        TCP_CHECK {
        }
    }
}
)",
                         {"5: virtual server snmp_name missing or extra parameters"},
                         5},
                DiagCase{"sorry_server_invalid",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    sorry_server foo 80
    real_server 192.0.2.10 80 {
        TCP_CHECK {
        }
    }
}
)",
                         {"5: Invalid sorry server IP address foo - skipping"},
                         5},
                DiagCase{"sorry_server_bad_port",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    sorry_server 192.0.2.99 70000
    real_server 192.0.2.10 80 {
        TCP_CHECK {
        }
    }
}
)",
                         {"5: number '70000' outside range [1, 65535]",
                          "5: Invalid sorry server IP address 192.0.2.99 - skipping"},
                         5},
                DiagCase{"sorry_server_method_without_server",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    sorry_server_lvs_method NAT
    real_server 192.0.2.10 80 {
        TCP_CHECK {
        }
    }
}
)",
                         {"5: sorry_server forwarding used without sorry_server"},
                         5},
                DiagCase{"sorry_server_method_invalid",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    sorry_server 192.0.2.99 80
    sorry_server_lvs_method foo
    real_server 192.0.2.10 80 {
        TCP_CHECK {
        }
    }
}
)",
                         {"6: PARSER : unknown [foo] routing method for sorry server."},
                         5},
                DiagCase{"sorry_server_inhibit_without_server",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    sorry_server_inhibit
    real_server 192.0.2.10 80 {
        TCP_CHECK {
        }
    }
}
)",
                         {"5: Ignoring sorry_server inhibit used before or without sorry_server"},
                         5},
                DiagCase{"quorum_up_missing",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    quorum_up
    real_server 192.0.2.10 80 {
        TCP_CHECK {
        }
    }
}
)",
                         {"5: *** Configuration line starting `quorum_up` is missing a parameter after keyword "
                          "`quorum_up` at word position 2"},
                         2},
                DiagCase{"vs_unknown_keyword",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    nb_get_retry 3
    delay 1
    real_server 192.0.2.10 80 {
        TCP_CHECK {
        }
    }
}
)",
                         {"5: Unknown keyword 'nb_get_retry'", "6: Unknown keyword 'delay'"},
                         5},
                DiagCase{"vs_weight_invalid",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    weight 0
    real_server 192.0.2.10 80 {
        TCP_CHECK {
        }
    }
}
)",
                         {"5: number '0' outside range [1, 2147483647]",
                          "5: Virtual server weight 0 is outside range 1-2147483647"},
                         5},
                DiagCase{"vs_weight_is_real_server_default",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    quorum 10
    real_server 192.0.2.10 80 {
    }
    real_server 192.0.2.11 80 {
        weight 2
    }
    weight 5
}
)",
                         {"Warning - quorum 10 for [192.0.2.1]:tcp:80 exceeds total weight of real servers 7, reducing "
                          "quorum to 7"},
                         5},
                DiagCase{"rs_invalid_address",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method NAT
    real_server foo {
    }
}
)",
                         {"5: Invalid real server ip address/port foo/(null) - skipping",
                          "Virtual server [192.0.2.1]:tcp:80 has no real servers - ignoring"},
                         5},
                DiagCase{"rs_invalid_port",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method NAT
    real_server 192.0.2.10 -1 {
    }
    real_server 192.0.2.11 80 {
    }
}
)",
                         {"5: negative number '-1'", "5: Invalid real server ip address/port 192.0.2.10/-1 - skipping"},
                         5},
                DiagCase{"rs_missing_address",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method NAT
    real_server
    persistence_timeout 0
}
)",
                         {"5: *** Configuration line starting `real_server` is missing a parameter after keyword "
                          "`real_server` at word position 2"},
                         2},
                DiagCase{"rs_weight_negative",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
        weight -1
    }
}
)",
                         {"6: negative number '-1'", "6: Real server weight -1 is outside range 0-2147483647"},
                         5},
                DiagCase{"rs_weight_too_large",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
        weight 2147483648
    }
}
)",
                         {"6: number '2147483648' outside range [0, 2147483647]",
                          "6: Real server weight 2147483648 is outside range 0-2147483647"},
                         5},
                DiagCase{"rs_weight_hex",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
        weight 0x10
    }
}
)",
                         {"6: invalid number '0x10'", "6: Real server weight 0x10 is outside range 0-2147483647"},
                         5},
                DiagCase{"rs_weight_zero_quorum",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
        weight 0
    }
}
)",
                         {"Warning - quorum 1 for [192.0.2.1]:tcp:80 exceeds total weight of real servers 0, reducing "
                          "quorum to 0",
                          "Virtual server [192.0.2.1]:tcp:80: hysteresis 0 >= quorum 0; setting hysteresis to "
                          "4294967295"},
                         5},
                DiagCase{"rs_inhibit_invalid",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
        inhibit_on_failure foo
    }
}
)",
                         {"6: Invalid inhibit_on_failure parameter foo"},
                         5},
                DiagCase{"rs_threshold_invalid",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
        uthreshold -1
        lthreshold 4294967296
    }
}
)",
                         {"6: negative number '-1'", "6: Invalid real_server uthreshold '-1' - ignoring",
                          "7: number '4294967296' outside unsigned integer range",
                          "7: Invalid real_server lthreshold '4294967296' - ignoring"},
                         5},
                DiagCase{"rs_method_invalid",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
        lvs_method foo
    }
}
)",
                         {"6: PARSER : unknown [foo] routing method for real server."},
                         5},
                DiagCase{"rs_tunnel_type_invalid",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
        lvs_method TUN type foo
    }
}
)",
                         {"6: Unknown tunnel type foo for real server."},
                         5},
                DiagCase{"rs_lb_kind_unknown",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
        lb_kind NAT
    }
}
)",
                         {"6: Unknown keyword 'lb_kind'"},
                         5},
                DiagCase{"rs_smtp_alert_invalid",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
        smtp_alert foo
    }
}
)",
                         {"6: Invalid real_server smtp_alert parameter foo"},
                         5},
                DiagCase{"rs_timers_invalid",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
        delay_loop 0
        delay_before_retry -1
        warmup -1
        connect_timeout 0
        retry 0
    }
}
)",
                         {"6: number '0' outside range [0.000001, 18446744073709.551614]",
                          "6: real server delay_loop '0' invalid - ignoring", "7: negative number '-1'",
                          "7: real server delay_before_retry '-1' invalid - ignoring", "8: negative number '-1'",
                          "8: real server warmup '-1' invalid - ignoring",
                          "9: number '0' outside range [0.000001, 4294.967295]",
                          "9: real server connect_timeout 0 invalid - ignoring",
                          "10: number '0' outside range [1, 4294967295]", "10: retry value invalid - 0"},
                         5},
                DiagCase{"rs_virtualhost_missing",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
        virtualhost
    }
}
)",
                         {"6: real server virtualhost missing"},
                         5},
                DiagCase{"rs_alpha_invalid",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
        alpha foo
    }
}
)",
                         {"6: Invalid alpha parameter foo"},
                         5},
                DiagCase{"rs_snmp_name_extra",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
        snmp_name a b
    }
}
)",
                         {"6: real server snmp_name missing or extra parameters"},
                         5},
                DiagCase{"rs_vs_only_keywords",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
        omega
        quorum 1
        persistence_timeout 5
    }
}
)",
                         {"6: Unknown keyword 'omega'", "7: Unknown keyword 'quorum'",
                          "8: Unknown keyword 'persistence_timeout'"},
                         5},
                DiagCase{"rs_notify_up_missing",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
        notify_up
    }
}
)",
                         {"6: *** Configuration line starting `notify_up` is missing a parameter after keyword "
                          "`notify_up` at word position 2"},
                         2},
                DiagCase{"tcp_nb_get_retry_unknown",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
        TCP_CHECK {
            nb_get_retry 3
        }
    }
}
)",
                         {"7: Unknown keyword 'nb_get_retry'"},
                         5},
                DiagCase{"connect_ip_invalid",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
        TCP_CHECK {
            connect_ip foo
        }
    }
}
)",
                         {"7: Invalid connect_ip address foo - ignoring"},
                         5},
                DiagCase{"connect_port_invalid",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
        TCP_CHECK {
            connect_port 0
            connect_port 65536
            connect_port abc
        }
    }
}
)",
                         {"7: number '0' outside range [1, 65535]", "7: Invalid checker connect_port '0'",
                          "8: number '65536' outside range [1, 65535]", "8: Invalid checker connect_port '65536'",
                          "9: invalid number 'abc'", "9: Invalid checker connect_port 'abc'"},
                         5},
                DiagCase{"bindto_invalid",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
        TCP_CHECK {
            bindto foo
        }
    }
}
)",
                         {"7: Invalid bindto address foo - ignoring"},
                         5},
                DiagCase{"bindto_family",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
        TCP_CHECK {
            bindto 2001:db8::6
        }
    }
}
)",
                         {"7: bindto address 2001:db8::6 does not match address family of connect_ip - skipping"},
                         5},
                DiagCase{"bind_port_invalid",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
        TCP_CHECK {
            bind_port 70000
        }
    }
}
)",
                         {"7: number '70000' outside range [1, 65535]", "7: Invalid checker bind_port '70000'"},
                         5},
                DiagCase{"fwmark_invalid",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
        TCP_CHECK {
            fwmark -1
        }
    }
}
)",
                         {"7: negative number '-1'", "7: Invalid fwmark connection value '-1'"},
                         5},
                DiagCase{"checker_alpha_invalid",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
        TCP_CHECK {
            alpha foo
            log_all_failures foo
        }
    }
}
)",
                         {"7: Invalid alpha parameter foo", "8: Invalid log_all_failures parameter foo"},
                         5},
                DiagCase{"checker_connect_timeout_invalid",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
        TCP_CHECK {
            connect_timeout 5000
        }
    }
}
)",
                         {"7: number '5000' outside range [0.000001, 4294.967295]",
                          "7: connect_timeout 5000 invalid - ignoring"},
                         5},
                DiagCase{"checker_retry_invalid",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
        TCP_CHECK {
            retry -1
            retry 4294967296
        }
    }
}
)",
                         {"7: negative number '-1'", "7: Invalid retry connection value '-1'",
                          "8: number '4294967296' outside unsigned integer range",
                          "8: Invalid retry connection value '4294967296'"},
                         5},
                DiagCase{"checker_delays_invalid",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
        TCP_CHECK {
            delay_before_retry -1
            warmup -1
            delay_loop 0
        }
    }
}
)",
                         {"7: negative number '-1'", "7: Invalid delay_before_retry connection value '-1'",
                          "8: negative number '-1'", "8: Invalid warmup connection value '-1'",
                          "9: number '0' outside range [0.000001, 18446744073709.551614]",
                          "9: delay_loop '0' is invalid - ignoring"},
                         5},
                DiagCase{"checker_rs_keywords_unknown",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
        TCP_CHECK {
            weight 2
            inhibit_on_failure
        }
    }
}
)",
                         {"7: Unknown keyword 'weight'", "8: Unknown keyword 'inhibit_on_failure'"},
                         5},
                DiagCase{"checker_missing_parameter",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
        TCP_CHECK {
            connect_port
            connect_ip foo
        }
    }
}
)",
                         {"7: *** Configuration line starting `connect_port` is missing a parameter after keyword "
                          "`connect_port` at word position 2"},
                         2},
                DiagCase{"checker_without_block",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
        TCP_CHECK
        {
        }
    }
}
)",
                         {},
                         0},
                DiagCase{"http_nb_get_retry_deprecated",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
        HTTP_GET {
            url {
                path /
            }
            nb_get_retry 3
        }
    }
}
)",
                         {"10: nb_get_retry is deprecated - please use 'retry'"},
                         5},
                DiagCase{"http_url_without_path",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
        HTTP_GET {
            url {
                status_code 200
            }
            url {
                path /
            }
        }
    }
}
)",
                         {"9: HTTP/SSL_GET checker url has no path - ignoring"},
                         5},
                DiagCase{"http_digest_length",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
        HTTP_GET {
            url {
                path /
                digest 640205b7
            }
        }
    }
}
)",
                         {"9: digest '640205b7' character length should be 32 rather than 8"},
                         5},
                DiagCase{"http_digest_hex",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
        HTTP_GET {
            url {
                path /
                digest 6402g5b7b0fc66c1ea91c463fac63311
            }
        }
    }
}
)",
                         {"9: Unable to interpret hex digit in '6402g5' at offset 4/5"},
                         5},
                DiagCase{"http_digest_duplicate",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
        HTTP_GET {
            url {
                path /
                digest 640205b7b0fc66c1ea91c463fac6334d
                digest 640205b7b0fc66c1ea91c463fac6334e
            }
        }
    }
}
)",
                         {"10: Digest '640205b7b0fc66c1ea91c463fac6334e' is a duplicate"},
                         5},
                DiagCase{"http_status_code_invalid",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
        HTTP_GET {
            url {
                path /
                status_code 99 600 300-200 abc 200- -200 404
            }
        }
    }
}
)",
                         {"9: Invalid HTTP_GET status code '99'", "9: Invalid HTTP_GET status code '600'",
                          "9: Invalid HTTP_GET status code '300-200'", "9: Invalid HTTP_GET status code 'abc'",
                          "9: Invalid HTTP_GET status code '200-'", "9: Invalid HTTP_GET status code '-200'"},
                         5},
                DiagCase{"http_url_virtualhost_missing",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
        HTTP_GET {
            url {
                path /
                virtualhost
            }
        }
    }
}
)",
                         {"9: Missing HTTP_GET virtualhost name"},
                         5},
                DiagCase{"http_url_unknown",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
        HTTP_GET {
            url {
                path /
                foo
            }
        }
    }
}
)",
                         {"9: Unknown keyword 'foo'"},
                         5},
                DiagCase{"http_protocol_invalid",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
        HTTP_GET {
            url {
                path /
            }
            http_protocol 2
            http_protocol
        }
    }
}
)",
                         {"10: Invalid http_protocol version 2", "11: Missing http_protocol version"},
                         5},
                DiagCase{"http_flags_invalid",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
        HTTP_GET {
            url {
                path /
            }
            fast_recovery foo
            enable_sni foo
        }
    }
}
)",
                         {"10: Invalid fast_recovery parameter foo", "11: Invalid enable_sni parameter foo"},
                         5},
                DiagCase{"http_virtualhost_missing",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
        HTTP_GET {
            url {
                path /
            }
            virtualhost
        }
    }
}
)",
                         {"10: HTTP_GET virtualhost name missing"},
                         5},
                DiagCase{"ssl_tls_compliant_unknown",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
        SSL_GET {
            url {
                path /
            }
            tls_compliant
        }
    }
}
)",
                         {"10: Unknown keyword 'tls_compliant'"},
                         5},
                DiagCase{"http_url_path_missing",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
        HTTP_GET {
            url {
                path
            }
        }
    }
}
)",
                         {"8: *** Configuration line starting `path` is missing a parameter after keyword `path` at "
                          "word position 2"},
                         2},
                DiagCase{"misc_without_path",
                         R"(global_defs {
    script_user root
    enable_script_security
}
virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
        MISC_CHECK {
            misc_timeout 5
        }
    }
}
)",
                         {"12: No script path has been specified for MISC_CHECKER - skipping"},
                         5},
                DiagCase{"misc_timeout_invalid",
                         R"(global_defs {
    script_user root
    enable_script_security
}
virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
        MISC_CHECK {
            misc_path /bin/true
            misc_timeout 1.5
        }
    }
}
)",
                         {"12: invalid number '1.5'", "12: Invalid misc_timeout value '1.5'"},
                         5},
                DiagCase{"misc_user_missing",
                         R"(global_defs {
    script_user root
    enable_script_security
}
virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
        MISC_CHECK {
            misc_path /bin/true
            user
        }
    }
}
)",
                         {"12: No user specified for misc checker script '/bin/true'"},
                         5},
                DiagCase{"misc_user_unknown",
                         R"(global_defs {
    script_user root
    enable_script_security
}
virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
        MISC_CHECK {
            misc_path "/bin/echo hi"
            user nosuchuser
        }
    }
}
)",
                         {"12: Failed to set uid/gid for misc checker script '/bin/echo' 'hi' - removing"},
                         5},
                DiagCase{"misc_user_before_path",
                         R"(global_defs {
    script_user root
    enable_script_security
}
virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
        MISC_CHECK {
            user nosuchuser
            misc_path /bin/true
        }
    }
}
)",
                         {"11: Failed to set uid/gid for misc checker script  - removing"},
                         5},
                DiagCase{"misc_connection_options_unknown",
                         R"(global_defs {
    script_user root
    enable_script_security
}
virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
        MISC_CHECK {
            misc_path /bin/true
            connect_ip 192.0.2.5
            connect_timeout 5
            fwmark 3
        }
    }
}
)",
                         {"12: Unknown keyword 'connect_ip'", "13: Unknown keyword 'connect_timeout'",
                          "14: Unknown keyword 'fwmark'"},
                         5},
                DiagCase{"dns_type_unknown",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
        DNS_CHECK {
            type PTR
        }
    }
}
)",
                         {"7: Unknown DNS check type PTR - ignoring"},
                         5},
                DiagCase{"dns_name_empty_label",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
        DNS_CHECK {
            name a..b
            name a.
            name .a
        }
    }
}
)",
                         {"7: DNS_CHECK name 'a..b' has empty label - ignoring",
                          "8: DNS_CHECK name 'a.' has empty label - ignoring",
                          "9: DNS_CHECK name '.a' has empty label - ignoring"},
                         5},
                DiagCase{"smtp_helo_missing",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
        SMTP_CHECK {
            helo_name
        }
    }
}
)",
                         {"7: SMTP_CHECK helo name missing"},
                         5},
                DiagCase{"smtp_host_unknown",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
        SMTP_CHECK {
            host {
                helo_name x
                foo
            }
        }
    }
}
)",
                         {"8: Unknown keyword 'helo_name'", "9: Unknown keyword 'foo'"},
                         5},
                DiagCase{"udp_payload_invalid",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
        UDP_CHECK {
            payload zz
            payload
            require_reply zz
        }
    }
}
)",
                         {"7: Invalid hex string for UDP_CHECK payload", "8: UDP_CHECK payload requires a payload",
                          "9: Invalid hex string for UDP_CHECK reply"},
                         5},
                DiagCase{"udp_lengths_invalid",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
        UDP_CHECK {
            min_reply_length -1
            max_reply_length 70000
        }
    }
}
)",
                         {"7: negative number '-1'", "7: UDP_CHECK min length -1 not valid - must be between 0 & 65535",
                          "8: number '70000' outside range [0, 65535]",
                          "8: UDP_CHECK max length 70000 not valid - must be between 0 & 65535"},
                         5},
                DiagCase{"udp_min_above_max",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
        UDP_CHECK {
            min_reply_length 10
            max_reply_length 5
        }
    }
}
)",
                         {"9: UDP_CHECK min_reply length 10 > max_reply_length 5 - will always fail"},
                         5},
                DiagCase{"file_without_track_file",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
        FILE_CHECK {
            weight 3
        }
    }
}
)",
                         {"8: FILE_CHECK has no track_file specified - ignoring"},
                         5},
                DiagCase{"file_weight_invalid",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
        FILE_CHECK {
            weight
            weight abc
            weight 2147483648
            weight 3 foo
        }
    }
}
)",
                         {"7: track file weight missing", "8: invalid number 'abc'",
                          "8: weight for track file must be in [-2147483647..2147483647] inclusive. Ignoring...",
                          "9: number '2147483648' outside integer range",
                          "9: weight for track file must be in [-2147483647..2147483647] inclusive. Ignoring...",
                          "10: unknown track file weight option foo - ignoring",
                          "11: FILE_CHECK has no track_file specified - ignoring"},
                         5},
                DiagCase{"file_track_file_not_found",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
        FILE_CHECK {
            track_file tf
        }
    }
}
)",
                         {"7: track_file tf not found", "8: FILE_CHECK has no track_file specified - ignoring"},
                         5},
                DiagCase{"file_track_file_defined_later",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
        FILE_CHECK {
            track_file tf
        }
    }
}
track_file tf {
    file /run/vigil-test-tf
}
)",
                         {"7: track_file tf not found", "8: FILE_CHECK has no track_file specified - ignoring"},
                         5},
                DiagCase{"file_generic_options_unknown",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
        FILE_CHECK {
            alpha
            retry 3
            dynamic
        }
    }
}
)",
                         {"7: Unknown keyword 'alpha'", "8: Unknown keyword 'retry'", "9: Unknown keyword 'dynamic'",
                          "10: FILE_CHECK has no track_file specified - ignoring"},
                         5},
                DiagCase{"bfd_without_name",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
        BFD_CHECK {
            delay_loop 3
        }
    }
}
)",
                         {"7: Unknown keyword 'delay_loop'",
                          "8: ([192.0.2.10]:tcp:80) No name has been specified for BFD_CHECKER - skipping"},
                         5},
                DiagCase{"bfd_not_configured",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
        BFD_CHECK {
            name b1
        }
    }
}
)",
                         {"7: ([192.0.2.10]:tcp:80) BFD_CHECK - BFD b1 not configured"},
                         5},
                DiagCase{"bfd_no_or_many_names",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
        BFD_CHECK {
            name
        }
    }
}
)",
                         {"7: ([192.0.2.10]:tcp:80) BFD_CHECK - No or too many names specified - skipping checker"},
                         5},
                DiagCase{"checker_kinds_unknown",
                         R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
        PING_CHECK {
            foo bar
        }
    }
}
)",
                         {"7: Unknown keyword 'foo'"},
                         5},
                DiagCase{"vsg_ok_forms",
                         R"(virtual_server_group G {
    192.0.2.1 80
    192.0.2.2-10 80
    192.0.2.250-192.0.3.10 80
    192.0.2.16/29 80
    fwmark 7
}
virtual_server group G {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
    }
}
)",
                         {"WARNING - fwmark virtual server [G]:0, real server [192.0.2.10]:tcp:80 has port specified - "
                          "port will be ignored"},
                         5},
                DiagCase{"vsg_fwmark_only",
                         R"(virtual_server_group G {
    fwmark 7
    fwmark 8 inet
}
virtual_server group G {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
    }
}
)",
                         {"Warning: Virtual server [G]:0: protocol specified for fwmark - protocol will be ignored",
                          "WARNING - fwmark virtual server [G]:0, real server [192.0.2.10]:none:80 has port specified "
                          "- port will be ignored"},
                         5},
                DiagCase{"vsg_fwmark_inet6_only",
                         R"(virtual_server_group G {
    fwmark 7 inet6
}
virtual_server group G {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
    }
}
)",
                         {},
                         0},
                DiagCase{"vsg_ports_dont_match",
                         R"(virtual_server_group G {
    192.0.2.1 8080
    192.0.2.3-5 8081
    fwmark 3
}
virtual_server group G {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
    }
}
)",
                         {"WARNING - fwmark virtual server [G]:0, real server [192.0.2.10]:tcp:80 has port specified - "
                          "port will be ignored",
                          "virtual server [G]:0:[192.0.2.1,8080] and real server [192.0.2.10]:tcp:80 ports don't match",
                          "virtual server [G]:0:[192.0.2.3-192.0.2.5,8081] and real server [192.0.2.10]:tcp:80 ports "
                          "don't match"},
                         5},
                DiagCase{"vsg_zero_port",
                         R"(virtual_server_group G {
    192.0.2.1
}
virtual_server group G {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
    }
}
)",
                         {"Virtual server [G]:0: zero port only valid for persistent services - setting",
                          "virtual server [G]:0:[192.0.2.1,0] and real server [192.0.2.10]:tcp:80 ports don't match"},
                         5},
                DiagCase{"vsg_no_entries",
                         R"(virtual_server_group G {

}
virtual_server group G {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
    }
}
)",
                         {"3: virtual server group G has no entries - removing"},
                         5},
                DiagCase{"vsg_all_entries_invalid",
                         R"(virtual_server_group G {
    foo 80
    foo
    192.0.2.1 70000
    192.0.2.1 abc
}
virtual_server group G {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
    }
}
)",
                         {"2: Invalid virtual server group IP address foo /port/80 - skipping",
                          "3: Invalid virtual server group IP address foo  - skipping",
                          "4: number '70000' outside range [1, 65535]",
                          "4: Invalid virtual server group IP address 192.0.2.1 /port/70000 - skipping",
                          "5: invalid number 'abc'",
                          "5: Invalid virtual server group IP address 192.0.2.1 /port/abc - skipping",
                          "6: virtual server group G has no entries - removing"},
                         5},
                DiagCase{"vsg_range_errors",
                         R"(virtual_server_group G {
    192.0.2.10-1 80
    192.0.2.1-256 80
    192.0.2.1-x 80
    192.0.2.1-192.0.2.0 80
    192.0.2.1-2001:db8::1 80
    2001:db8::1-10000 80
}
virtual_server group G {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
    }
}
)",
                         {"2: Address range end is not greater than address range start - 192.0.2.10-1 - skipping",
                          "3: Virtual server group range '192.0.2.1-256' end '256' too large",
                          "4: Virtual server group range '192.0.2.1-x' has extra characters at end 'x'",
                          "5: Address range end is less than address range start - 192.0.2.1-192.0.2.0 - skipping",
                          "6: Invalid virtual server group IP address 192.0.2.1-2001:db8::1 /port/80 - skipping",
                          "7: Virtual server group range '2001:db8::1-10000' end '10000' too large",
                          "8: virtual server group G has no entries - removing"},
                         5},
                DiagCase{"vsg_prefix_errors",
                         R"(virtual_server_group G {
    192.0.2.8/33 80
    192.0.2.9/29 80
    0.0.0.0/0 80
}
virtual_server group G {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
    }
}
)",
                         {"2: Invalid netmask - 192.0.2.8/33 - skipping",
                          "3: Address mask bits not empty - 192.0.2.9/29 - skipping",
                          "4: Invalid netmask - 0.0.0.0/0 - skipping",
                          "5: virtual server group G has no entries - removing"},
                         5},
                DiagCase{"vsg_fwmark_errors",
                         R"(virtual_server_group G {
    fwmark -1
    fwmark abc
    fwmark 7 foo
}
virtual_server group G {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
    }
}
)",
                         {"2: negative number '-1'", "2: (G): fwmark '-1' must be in [0, 4294967295] - ignoring",
                          "3: invalid number 'abc'", "3: (G): fwmark 'abc' must be in [0, 4294967295] - ignoring",
                          "4: (G): fwmark '7' family foo unknown - ignoring",
                          "5: virtual server group G has no entries - removing"},
                         5},
                DiagCase{"vsg_mixed_families_with_bare_fwmark",
                         R"(virtual_server_group G {
    192.0.2.1 80
    2001:db8::1 80
    fwmark 3
}
virtual_server group G {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
    }
}
)",
                         {"5: virtual server group G cannot have IPv4, IPv6 and fwmark without family - removing"},
                         5},
                DiagCase{"vsg_mixed_families_with_family_fwmark",
                         R"(virtual_server_group G {
    192.0.2.1 80
    2001:db8::1 80
    fwmark 3 inet
}
virtual_server group G {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
    }
}
)",
                         {},
                         0},
                DiagCase{"vsg_first_definition_wins",
                         R"(virtual_server_group G {
    192.0.2.1 8080
}
virtual_server_group G {
    192.0.2.2 80
}
virtual_server group G {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
    }
}
)",
                         {"virtual server [G]:0:[192.0.2.1,8080] and real server [192.0.2.10]:tcp:80 ports don't "
                          "match"},
                         5},
                DiagCase{"vsg_missing_name",
                         R"(virtual_server_group
{
    192.0.2.1 80
}
)",
                         {"1: *** Configuration line starting `virtual_server_group` is missing a parameter after "
                          "keyword `virtual_server_group` at word position 2"},
                         2},
                DiagCase{"vsg_two_names",
                         R"(virtual_server_group G H {
    192.0.2.1 80
}
)",
                         {"1: *** Configuration line starting `***MISSING ***` is missing a parameter at word position "
                          "1"},
                         2},
                DiagCase{"vs_group_undefined_is_silent",
                         R"(virtual_server group G {
    protocol TCP
    lvs_sched rr
    lvs_method DR
}
)",
                         {},
                         0},
                DiagCase{"vs_group_defaults",
                         R"(virtual_server_group G {
    192.0.2.1 80
}
virtual_server group G {
    real_server 192.0.2.10 80 {
    }
}
)",
                         {"Virtual server [G]:0: no protocol set - defaulting to UDP",
                          "Virtual server [G]:0: no scheduler set, setting default 'wlc'",
                          "Virtual server [G]:0: no forwarding method set, setting default NAT"},
                         5},
                DiagCase{"vs_group_no_real_servers",
                         R"(virtual_server_group G {
    192.0.2.1 80
}
virtual_server group G {
    lvs_sched rr
    lvs_method DR
}
)",
                         {"Virtual server [G]:0 has no real servers - ignoring"},
                         5}),
        [](const ::testing::TestParamInfo<DiagCase> &info) { return std::string(info.param.name); });

TEST(LvsDiagnostic, NotesWhereKeepalivedIsSilent)
{
	auto r = loadLvs(R"(virtual_server_group G {
    192.0.2.1 80
}
virtual_server_group G {
    192.0.2.2 80
}
virtual_server group H {
    protocol TCP
    real_server 192.0.2.10 80 {
    }
}
)");
	EXPECT_THAT(messages(r),
	            ::testing::ElementsAre("4: virtual_server_group G is already defined - ignoring this one",
	                                   "7: virtual_server_group H is not defined - ignoring virtual "
	                                   "server"));
	EXPECT_EQ(r.diagnostics.exitStatus(), 0);
	ASSERT_EQ(r.config.lvs.groups.size(), 1u);
	EXPECT_EQ(r.config.lvs.groups[0].entries.at(0).first.str(), "192.0.2.1");
	EXPECT_TRUE(r.config.lvs.virtualServers.empty());
}

TEST(LvsDiagnostic, NothingAfterAMissingParameter)
{
	// keepalived stops reading at the first missing parameter (exit 2).
	auto r = loadLvs(R"(virtual_server 192.0.2.1 80 {
    persistence_timeout 0
    delay_loop
    quorum 0
}
virtual_server 192.0.2.2 80 {
}
)");
	EXPECT_THAT(messages(r),
	            ::testing::ElementsAre("2: number '0' outside range [1, 2678400]", "2: persistence_timeout invalid",
	                                   "3: *** Configuration line starting `delay_loop` is missing a "
	                                   "parameter after keyword `delay_loop` at word position 2"));
	EXPECT_EQ(r.diagnostics.exitStatus(), 2);
}

} // namespace
} // namespace vigil::testing
