// keepalived's findings about virtual_server blocks and their validation
// (other tables: real_server_, checker_, group_diagnostics_test.cpp).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/config/lvs/diagnostic_case.h"
#include "tests/config/lvs/lvs_test_helpers.h"

namespace vigil::testing {

TEST_P(LvsDiagnostic, MatchesKeepalived)
{
	auto r = loadLvs(GetParam().config);
	EXPECT_EQ(keepalivedView(r), GetParam().expected) << GetParam().config;
	EXPECT_EQ(r.diagnostics.exitStatus(), GetParam().exitStatus);
}

namespace {

// clang-format off
INSTANTIATE_TEST_SUITE_P(VirtualServer, LvsDiagnostic, ::testing::Values(
        DiagCase{"vs_invalid_address_skips", R"(virtual_server 192.0.2.300 80 {
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
                 {"1: Invalid virtual server IP address/port 192.0.2.300/80 - skipping"}, 5},
        DiagCase{"vs_invalid_address_no_port", R"(virtual_server foo {
    protocol TCP
}
)",
                 {"1: Invalid virtual server IP address foo - skipping"}, 5},
        DiagCase{"vs_invalid_port", R"(virtual_server 192.0.2.1 70000 {
    protocol TCP
}
)",
                 {"1: number '70000' outside range [1, 65535]", "1: Invalid virtual server IP address/port 192.0.2.1/70000 - skipping"}, 5},
        DiagCase{"vs_service_name_port", R"(virtual_server 192.0.2.1 http {
    protocol TCP
}
)",
                 {"1: invalid number 'http'", "1: Invalid virtual server IP address/port 192.0.2.1/http - skipping"}, 5},
        DiagCase{"vs_bracketed_ipv6", R"(virtual_server [2001:db8::1] 80 {
    protocol TCP
}
)",
                 {"1: Invalid virtual server IP address/port [2001:db8::1]/80 - skipping"}, 5},
        DiagCase{"vs_fwmark_invalid", R"(virtual_server fwmark abc {
    lvs_sched rr
}
)",
                 {"1: invalid number 'abc'", "1: virtual server fwmark 'abc' must be in [0, 4294967295] - ignoring"}, 5},
        DiagCase{"vs_fwmark_too_large", R"(virtual_server fwmark 4294967296 {
    lvs_sched rr
}
)",
                 {"1: number '4294967296' outside unsigned integer range", "1: virtual server fwmark '4294967296' must be in [0, 4294967295] - ignoring"}, 5},
        DiagCase{"vs_missing_parameter", R"(virtual_server
{
}
)",
                 {"1: *** Configuration line starting `virtual_server` is missing a parameter after keyword `virtual_server` at word position 2"}, 2},
        DiagCase{"vs_no_real_servers", R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method NAT
}
)",
                 {"Virtual server [192.0.2.1]:tcp:80 has no real servers - ignoring"}, 5},
        DiagCase{"vs_nothing_set", R"(virtual_server 192.0.2.1 80 {
}
)",
                 {"Virtual server [192.0.2.1]:none:80 has no real servers - ignoring"}, 5},
        DiagCase{"vs_fwmark_no_real_servers", R"(virtual_server fwmark 5 {
    lvs_sched rr
    lvs_method DR
}
)",
                 {"Virtual server FWM 5 has no real servers - ignoring"}, 5},
        DiagCase{"vs_fwmark_protocol_ignored", R"(virtual_server fwmark 1 {
    protocol TCP
    lvs_sched rr
    lvs_method NAT
    real_server 192.0.2.10 {
    }
}
)",
                 {"Warning: Virtual server FWM 1: protocol specified for fwmark - protocol will be ignored"}, 5},
        DiagCase{"vs_fwmark_dr_port_cleared", R"(virtual_server fwmark 1 {
    lvs_sched rr
    lvs_method DR
    sorry_server 192.0.2.99 80
    real_server 192.0.2.10 80 {
    }
}
)",
                 {"WARNING - fwmark virtual server FWM 1, real server [192.0.2.10]:none:80 has port specified - clearing", "WARNING - virtual server FWM 1, sorry server has port specified - clearing"}, 5},
        DiagCase{"vs_fwmark_defaults", R"(virtual_server fwmark 5 {
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
                 {"Warning: Virtual server FWM 5: protocol specified for fwmark - protocol will be ignored", "Virtual server FWM 5: no scheduler set, setting default 'wlc'", "Virtual server FWM 5: no forwarding method set, setting default NAT", "VS FWM 5: real server [192.0.2.10]:none:8080 is duplicated - removing second rs", "Warning - quorum 5 for FWM 5 exceeds total weight of real servers 2, reducing quorum to 2", "Virtual server FWM 5: hysteresis 9 >= quorum 2; setting hysteresis to 1"}, 5},
        DiagCase{"vs_validation_order", R"(virtual_server 192.0.2.1 {
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
                 {"Virtual server [192.0.2.1]:tcp:0: one packet scheduling requires UDP - resetting", "Virtual server [192.0.2.1]:tcp:0: zero port only valid for persistent services - setting", "Virtual server [192.0.2.1]:tcp:0: no scheduler set, setting default 'wlc'", "VS [192.0.2.1]:tcp:0: real server [192.0.2.10]:tcp:8080 is duplicated - removing second rs", "Warning - quorum 5 for [192.0.2.1]:tcp:0 exceeds total weight of real servers 1, reducing quorum to 1", "Virtual server [192.0.2.1]:tcp:0: hysteresis 9 >= quorum 1; setting hysteresis to 0", "WARNING - virtual server [192.0.2.1]:tcp:0 and real server [192.0.2.10]:tcp:8080 ports don't match - resetting"}, 5},
        DiagCase{"vs_forwarding_default_once", R"(virtual_server 192.0.2.1 80 {
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
                 {"Virtual server [192.0.2.1]:tcp:80: no forwarding method set, setting default NAT"}, 5},
        DiagCase{"vs_sorry_server_needs_default_method", R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    sorry_server 192.0.2.99 80
    real_server 192.0.2.10 80 {
        lvs_method DR
    }
}
)",
                 {"Virtual server [192.0.2.1]:tcp:80: no forwarding method set, setting default NAT"}, 5},
        DiagCase{"vs_ports_dont_match", R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method TUN
    sorry_server 192.0.2.99 8080
    real_server 192.0.2.10 8080 {
    }
}
)",
                 {"WARNING - virtual server [192.0.2.1]:tcp:80 and real server [192.0.2.10]:tcp:8080 ports don't match - resetting", "WARNING - virtual server [192.0.2.1]:tcp:80 and sorry server ports don't match - resetting"}, 5},
        DiagCase{"vs_family_mismatch_real", R"(virtual_server 2001:db8::1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
    }
}
)",
                 {"6: Address family of virtual server and real server 192.0.2.10 don't match - skipping real server.", "Virtual server [2001:db8::1]:tcp:80 has no real servers - ignoring"}, 5},
        DiagCase{"vs_family_mismatch_sorry", R"(virtual_server fwmark 3 {
    lvs_sched rr
    lvs_method DR
    real_server 2001:db8::10 {
    }
    sorry_server 192.0.2.99 80
}
)",
                 {"7: Address family of virtual server and sorry server 192.0.2.99 don't match - skipping sorry server."}, 5},
        DiagCase{"vs_fwmark_family_from_ip_family", R"(virtual_server fwmark 3 {
    lvs_sched rr
    lvs_method DR
    ip_family inet6
    real_server 192.0.2.10 {
    }
}
)",
                 {"6: Address family of virtual server and real server 192.0.2.10 don't match - skipping real server.", "Virtual server FWM 3 has no real servers - ignoring"}, 5},
        DiagCase{"vs_ip_family_conflict", R"(virtual_server fwmark 3 {
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 {
    }
    ip_family inet6
}
)",
                 {"6: Virtual server specified family inet6 conflicts with server family"}, 5},
        DiagCase{"vs_quorum_reduced", R"(virtual_server 192.0.2.1 80 {
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
                 {"Virtual server [192.0.2.1]:tcp:80: hysteresis 2 >= quorum 2; setting hysteresis to 1"}, 5},
        DiagCase{"persistence_timeout_zero", virtualServerWith("    persistence_timeout 0"),
                 {"5: number '0' outside range [1, 2678400]", "5: persistence_timeout invalid"}, 5},
        DiagCase{"persistence_timeout_too_large", virtualServerWith("    persistence_timeout 2678401"),
                 {"5: number '2678401' outside range [1, 2678400]", "5: persistence_timeout invalid"}, 5},
        DiagCase{"persistence_timeout_fraction", virtualServerWith("    persistence_timeout 360.5"),
                 {"5: invalid number '360.5'", "5: persistence_timeout invalid"}, 5},
        DiagCase{"persistence_granularity_invalid", virtualServerWith("    persistence_granularity foo"),
                 {"5: Invalid IPv4 persistence_granularity specified - foo"}, 5},
        DiagCase{"persistence_granularity_ipv6_range", R"(virtual_server 2001:db8::1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    persistence_granularity 129
    real_server 2001:db8::10 80 {
    }
}
)",
                 {"5: number '129' outside range [1, 128]", "5: Invalid IPv6 persistence_granularity specified - 129"}, 5},
        DiagCase{"persistence_granularity_missing", virtualServerWith("    persistence_granularity"),
                 {"5: *** Configuration line starting `persistence_granularity` is missing a parameter after keyword `persistence_granularity` at word position 2"}, 2},
        DiagCase{"delay_loop_zero", virtualServerWith("    delay_loop 0"),
                 {"5: number '0' outside range [0.000001, 18446744073709.551614]", "5: virtual server delay loop '0' invalid - ignoring"}, 5},
        DiagCase{"delay_loop_negative", virtualServerWith("    delay_loop -1"),
                 {"5: negative number '-1'", "5: virtual server delay loop '-1' invalid - ignoring"}, 5},
        DiagCase{"delay_loop_word", virtualServerWith("    delay_loop abc"),
                 {"5: invalid number 'abc'", "5: virtual server delay loop 'abc' invalid - ignoring"}, 5},
        DiagCase{"delay_loop_trailing_garbage_uses_number", virtualServerWith("    delay_loop 5x"),
                 {"5: invalid number '5x'"}, 5},
        DiagCase{"delay_loop_too_many_places", virtualServerWith("    delay_loop 1.0000001"),
                 {"5: number '1.0000001' has too many decimal places"}, 5},
        DiagCase{"delay_loop_rounds_to_zero", virtualServerWith("    delay_loop 0.0000001"),
                 {"5: number '0.0000001' has too many decimal places", "5: number '0.0000001' outside range [0.000001, 18446744073709.551614]", "5: virtual server delay loop '0.0000001' invalid - ignoring"}, 5},
        DiagCase{"delay_loop_overflow", virtualServerWith("    delay_loop 99999999999999999999"),
                 {"5: number '99999999999999999999' outside unsigned decimal range", "5: virtual server delay loop '99999999999999999999' invalid - ignoring"}, 5},
        DiagCase{"delay_loop_missing", virtualServerWith("    delay_loop\n    persistence_timeout 0"),
                 {"5: *** Configuration line starting `delay_loop` is missing a parameter after keyword `delay_loop` at word position 2"}, 2},
        DiagCase{"lb_algo_invalid", virtualServerWith("    lb_algo RR"),
                 {"5: Invalid lvs_scheduler 'RR' - ignoring"}, 5},
        DiagCase{"lb_algo_missing", virtualServerWith("    lb_algo"),
                 {"5: *** Configuration line starting `lb_algo` is missing a parameter after keyword `lb_algo` at word position 2"}, 2},
        DiagCase{"lb_kind_invalid", virtualServerWith("    lb_kind nat"),
                 {"5: PARSER : unknown [nat] routing method for virtual server."}, 5},
        DiagCase{"lb_kind_invalid_leaves_default", R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lb_kind foo
    real_server 192.0.2.10 80 {
    }
}
)",
                 {"4: PARSER : unknown [foo] routing method for virtual server.", "Virtual server [192.0.2.1]:tcp:80: no forwarding method set, setting default NAT"}, 5},
        DiagCase{"tunnel_gue_without_port", virtualServerWith("    lvs_method TUN type gue"),
                 {"5: gue tunnels require port, otherwise cannot have port."}, 5},
        DiagCase{"tunnel_gue_port_zero", virtualServerWith("    lvs_method TUN type gue port 0"),
                 {"5: number '0' outside range [1, 65535]", "5: Invalid gue tunnel port 0 for virtual server."}, 5},
        DiagCase{"tunnel_gue_port_missing", virtualServerWith("    lvs_method TUN type gue port"),
                 {"5: Missing port for virtual server gue tunnel."}, 5},
        DiagCase{"tunnel_type_missing", virtualServerWith("    lvs_method TUN type"),
                 {"5: Missing tunnel type for virtual server."}, 5},
        DiagCase{"tunnel_type_unknown", virtualServerWith("    lvs_method TUN type foo"),
                 {"5: Unknown tunnel type foo for virtual server."}, 5},
        DiagCase{"tunnel_ipip_port", virtualServerWith("    lvs_method TUN type ipip port 5"),
                 {"5: gue tunnels require port, otherwise cannot have port."}, 5},
        DiagCase{"tunnel_ipip_csum", virtualServerWith("    lvs_method TUN csum"),
                 {"5: ipip tunnels do not support checksum option."}, 5},
        DiagCase{"tunnel_gre_remcsum", virtualServerWith("    lvs_method TUN type gre remcsum"),
                 {"5: gre tunnels do not support remote checksum option."}, 5},
        DiagCase{"tunnel_bad_option", virtualServerWith("    lvs_method DR extra"),
                 {"5: Invalid tunnel option extra for virtual server."}, 5},
        DiagCase{"protocol_unknown", virtualServerWith("    protocol ICMP"),
                 {"5: Unknown protocol ICMP - ignoring"}, 5},
        DiagCase{"ops_needs_udp", virtualServerWith("    ops"),
                 {"Virtual server [192.0.2.1]:tcp:80: one packet scheduling requires UDP - resetting"}, 5},
        DiagCase{"sh_port_needs_sh", virtualServerWith("    sh-port\n    sh-fallback\n    mh-port\n    mh-fallback"),
                 {"5: sh-port only applies to sh scheduler - ignoring", "6: sh-fallback only applies to sh scheduler - ignoring", "7: mh-port only applies to sh scheduler - ignoring", "8: mh-fallback only applies to sh scheduler - ignoring"}, 5},
        DiagCase{"sh_port_before_lb_algo", virtualServerWith("    sh-port\n    lvs_sched sh"),
                 {"5: sh-port only applies to sh scheduler - ignoring"}, 5},
        DiagCase{"quorum_zero", virtualServerWith("    quorum 0"),
                 {"5: number '0' outside range [1, 4294967295]", "5: Quorum 0 must be in [1, 4294967295]. Setting to 1."}, 5},
        DiagCase{"quorum_word", virtualServerWith("    quorum abc"),
                 {"5: invalid number 'abc'", "5: Quorum abc must be in [1, 4294967295]. Setting to 1."}, 5},
        DiagCase{"quorum_too_large", virtualServerWith("    quorum 4294967296"),
                 {"5: number '4294967296' outside unsigned integer range", "5: Quorum 4294967296 must be in [1, 4294967295]. Setting to 1."}, 5},
        DiagCase{"quorum_above_weight", virtualServerWith("    quorum 5"),
                 {"Warning - quorum 5 for [192.0.2.1]:tcp:80 exceeds total weight of real servers 1, reducing quorum to 1"}, 5},
        DiagCase{"hysteresis_negative", virtualServerWith("    hysteresis -1"),
                 {"5: negative number '-1'", "5: Hysteresis -1 must be in [0, 4294967295] - ignoring"}, 5},
        DiagCase{"hysteresis_above_quorum", virtualServerWith("    hysteresis 3"),
                 {"Virtual server [192.0.2.1]:tcp:80: hysteresis 3 >= quorum 1; setting hysteresis to 0"}, 5},
        DiagCase{"retry_zero", virtualServerWith("    retry 0"),
                 {"5: number '0' outside range [1, 4294967295]", "5: retry value invalid - 0"}, 5},
        DiagCase{"delay_before_retry_negative", virtualServerWith("    delay_before_retry -1"),
                 {"5: negative number '-1'", "5: virtual server delay before retry '-1' invalid - ignoring"}, 5},
        DiagCase{"delay_before_retry_word_is_zero", virtualServerWith("    delay_before_retry abc"),
                 {"5: invalid number 'abc'"}, 5},
        DiagCase{"connect_timeout_zero", virtualServerWith("    connect_timeout 0"),
                 {"5: number '0' outside range [0.000001, 4294.967295]", "5: virtual server connect_timeout 0 invalid - ignoring"}, 5},
        DiagCase{"connect_timeout_too_large", virtualServerWith("    connect_timeout 4294.967296"),
                 {"5: number '4294.967296' outside range [0.000001, 4294.967295]", "5: virtual server connect_timeout 4294.967296 invalid - ignoring"}, 5},
        DiagCase{"warmup_negative", virtualServerWith("    warmup -1"),
                 {"5: negative number '-1'", "5: virtual server warmup '-1' invalid - ignoring"}, 5},
        DiagCase{"ip_family_unknown", virtualServerWith("    ip_family foo"),
                 {"5: unknown address family foo"}, 5},
        DiagCase{"ip_family_conflict", virtualServerWith("    ip_family inet6"),
                 {"5: Virtual server specified family inet6 conflicts with server family"}, 5},
        DiagCase{"smtp_alert_invalid", virtualServerWith("    smtp_alert foo"),
                 {"5: Invalid virtual_server smtp_alert parameter foo"}, 5},
        DiagCase{"virtualhost_missing", virtualServerWith("    virtualhost"),
                 {"5: virtual server virtualhost missing"}, 5},
        DiagCase{"snmp_name_missing", virtualServerWith("    snmp_name"),
                 {"5: virtual server snmp_name missing or extra parameters"}, 5},
        DiagCase{"sorry_server_invalid", virtualServerWith("    sorry_server foo 80"),
                 {"5: Invalid sorry server IP address foo - skipping"}, 5},
        DiagCase{"sorry_server_bad_port", virtualServerWith("    sorry_server 192.0.2.99 70000"),
                 {"5: number '70000' outside range [1, 65535]", "5: Invalid sorry server IP address 192.0.2.99 - skipping"}, 5},
        DiagCase{"sorry_server_method_without_server", virtualServerWith("    sorry_server_lvs_method NAT"),
                 {"5: sorry_server forwarding used without sorry_server"}, 5},
        DiagCase{"sorry_server_method_invalid", virtualServerWith("    sorry_server 192.0.2.99 80\n    sorry_server_lvs_method foo"),
                 {"6: PARSER : unknown [foo] routing method for sorry server."}, 5},
        DiagCase{"sorry_server_inhibit_without_server", virtualServerWith("    sorry_server_inhibit"),
                 {"5: Ignoring sorry_server inhibit used before or without sorry_server"}, 5},
        DiagCase{"quorum_up_missing", virtualServerWith("    quorum_up"),
                 {"5: *** Configuration line starting `quorum_up` is missing a parameter after keyword `quorum_up` at word position 2"}, 2},
        DiagCase{"vs_unknown_keyword", virtualServerWith("    nb_get_retry 3\n    delay 1"),
                 {"5: Unknown keyword 'nb_get_retry'", "6: Unknown keyword 'delay'"}, 5},
        DiagCase{"vs_weight_invalid", virtualServerWith("    weight 0"),
                 {"5: number '0' outside range [1, 2147483647]", "5: Virtual server weight 0 is outside range 1-2147483647"}, 5},
        DiagCase{"vs_weight_is_real_server_default", R"(virtual_server 192.0.2.1 80 {
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
                 {"Warning - quorum 10 for [192.0.2.1]:tcp:80 exceeds total weight of real servers 7, reducing quorum to 7"}, 5},
        DiagCase{"file_track_file_defined_later", R"(virtual_server 192.0.2.1 80 {
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
                 {"7: track_file tf not found", "8: FILE_CHECK has no track_file specified - ignoring"}, 5}),
        diagCaseName);
// clang-format on

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
