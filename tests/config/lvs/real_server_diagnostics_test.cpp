// keepalived's findings about real_server blocks.

#include "tests/config/lvs/diagnostic_case.h"
#include "tests/config/lvs/lvs_test_helpers.h"

namespace vigil::testing {
namespace {

// clang-format off
INSTANTIATE_TEST_SUITE_P(RealServer, LvsDiagnostic, ::testing::Values(
        DiagCase{"rs_invalid_address", R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method NAT
    real_server foo {
    }
}
)",
                 {"5: Invalid real server ip address/port foo/(null) - skipping", "Virtual server [192.0.2.1]:tcp:80 has no real servers - ignoring"}, 5},
        DiagCase{"rs_invalid_port", R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method NAT
    real_server 192.0.2.10 -1 {
    }
    real_server 192.0.2.11 80 {
    }
}
)",
                 {"5: negative number '-1'", "5: Invalid real server ip address/port 192.0.2.10/-1 - skipping"}, 5},
        DiagCase{"rs_missing_address", R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_sched rr
    lvs_method NAT
    real_server
    persistence_timeout 0
}
)",
                 {"5: *** Configuration line starting `real_server` is missing a parameter after keyword `real_server` at word position 2"}, 2},
        DiagCase{"rs_weight_negative", realServerWith("        weight -1"),
                 {"6: negative number '-1'", "6: Real server weight -1 is outside range 0-2147483647"}, 5},
        DiagCase{"rs_weight_too_large", realServerWith("        weight 2147483648"),
                 {"6: number '2147483648' outside range [0, 2147483647]", "6: Real server weight 2147483648 is outside range 0-2147483647"}, 5},
        DiagCase{"rs_weight_hex", realServerWith("        weight 0x10"),
                 {"6: invalid number '0x10'", "6: Real server weight 0x10 is outside range 0-2147483647"}, 5},
        DiagCase{"rs_weight_zero_quorum", realServerWith("        weight 0"),
                 {"Warning - quorum 1 for [192.0.2.1]:tcp:80 exceeds total weight of real servers 0, reducing quorum to 0", "Virtual server [192.0.2.1]:tcp:80: hysteresis 0 >= quorum 0; setting hysteresis to 4294967295"}, 5},
        DiagCase{"rs_inhibit_invalid", realServerWith("        inhibit_on_failure foo"),
                 {"6: Invalid inhibit_on_failure parameter foo"}, 5},
        DiagCase{"rs_threshold_invalid", realServerWith("        uthreshold -1\n        lthreshold 4294967296"),
                 {"6: negative number '-1'", "6: Invalid real_server uthreshold '-1' - ignoring", "7: number '4294967296' outside unsigned integer range", "7: Invalid real_server lthreshold '4294967296' - ignoring"}, 5},
        DiagCase{"rs_method_invalid", realServerWith("        lvs_method foo"),
                 {"6: PARSER : unknown [foo] routing method for real server."}, 5},
        DiagCase{"rs_tunnel_type_invalid", realServerWith("        lvs_method TUN type foo"),
                 {"6: Unknown tunnel type foo for real server."}, 5},
        DiagCase{"rs_lb_kind_unknown", realServerWith("        lb_kind NAT"),
                 {"6: Unknown keyword 'lb_kind'"}, 5},
        DiagCase{"rs_smtp_alert_invalid", realServerWith("        smtp_alert foo"),
                 {"6: Invalid real_server smtp_alert parameter foo"}, 5},
        DiagCase{"rs_timers_invalid", realServerWith("        delay_loop 0\n        delay_before_retry -1\n        warmup -1\n        connect_timeout 0\n        retry 0"),
                 {"6: number '0' outside range [0.000001, 18446744073709.551614]", "6: real server delay_loop '0' invalid - ignoring", "7: negative number '-1'", "7: real server delay_before_retry '-1' invalid - ignoring", "8: negative number '-1'", "8: real server warmup '-1' invalid - ignoring", "9: number '0' outside range [0.000001, 4294.967295]", "9: real server connect_timeout 0 invalid - ignoring", "10: number '0' outside range [1, 4294967295]", "10: retry value invalid - 0"}, 5},
        DiagCase{"rs_virtualhost_missing", realServerWith("        virtualhost"),
                 {"6: real server virtualhost missing"}, 5},
        DiagCase{"rs_alpha_invalid", realServerWith("        alpha foo"),
                 {"6: Invalid alpha parameter foo"}, 5},
        DiagCase{"rs_snmp_name_extra", realServerWith("        snmp_name a b"),
                 {"6: real server snmp_name missing or extra parameters"}, 5},
        DiagCase{"rs_vs_only_keywords", realServerWith("        omega\n        quorum 1\n        persistence_timeout 5"),
                 {"6: Unknown keyword 'omega'", "7: Unknown keyword 'quorum'", "8: Unknown keyword 'persistence_timeout'"}, 5},
        DiagCase{"rs_notify_up_missing", realServerWith("        notify_up"),
                 {"6: *** Configuration line starting `notify_up` is missing a parameter after keyword `notify_up` at word position 2"}, 2},
        DiagCase{"checker_without_block", realServerWith("        TCP_CHECK\n        {\n        }"),
                 {}, 0}),
        diagCaseName);
// clang-format on

} // namespace
} // namespace vigil::testing
