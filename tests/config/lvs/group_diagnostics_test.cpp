// keepalived's findings about virtual_server_group and group services.

#include "tests/config/lvs/diagnostic_case.h"
#include "tests/config/lvs/lvs_test_helpers.h"

namespace vigil::testing {
namespace {

// clang-format off
INSTANTIATE_TEST_SUITE_P(Group, LvsDiagnostic, ::testing::Values(
        DiagCase{"vsg_ok_forms", R"(virtual_server_group G {
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
                 {"WARNING - fwmark virtual server [G]:0, real server [192.0.2.10]:tcp:80 has port specified - port will be ignored"}, 5},
        DiagCase{"vsg_fwmark_only", R"(virtual_server_group G {
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
                 {"Warning: Virtual server [G]:0: protocol specified for fwmark - protocol will be ignored", "WARNING - fwmark virtual server [G]:0, real server [192.0.2.10]:none:80 has port specified - port will be ignored"}, 5},
        DiagCase{"vsg_fwmark_inet6_only", R"(virtual_server_group G {
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
                 {}, 0},
        DiagCase{"vsg_ports_dont_match", R"(virtual_server_group G {
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
                 {"WARNING - fwmark virtual server [G]:0, real server [192.0.2.10]:tcp:80 has port specified - port will be ignored", "virtual server [G]:0:[192.0.2.1,8080] and real server [192.0.2.10]:tcp:80 ports don't match", "virtual server [G]:0:[192.0.2.3-192.0.2.5,8081] and real server [192.0.2.10]:tcp:80 ports don't match"}, 5},
        DiagCase{"vsg_zero_port", R"(virtual_server_group G {
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
                 {"Virtual server [G]:0: zero port only valid for persistent services - setting", "virtual server [G]:0:[192.0.2.1,0] and real server [192.0.2.10]:tcp:80 ports don't match"}, 5},
        DiagCase{"vsg_no_entries", R"(virtual_server_group G {

}
virtual_server group G {
    protocol TCP
    lvs_sched rr
    lvs_method DR
    real_server 192.0.2.10 80 {
    }
}
)",
                 {"3: virtual server group G has no entries - removing"}, 5},
        DiagCase{"vsg_all_entries_invalid", R"(virtual_server_group G {
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
                 {"2: Invalid virtual server group IP address foo /port/80 - skipping", "3: Invalid virtual server group IP address foo  - skipping", "4: number '70000' outside range [1, 65535]", "4: Invalid virtual server group IP address 192.0.2.1 /port/70000 - skipping", "5: invalid number 'abc'", "5: Invalid virtual server group IP address 192.0.2.1 /port/abc - skipping", "6: virtual server group G has no entries - removing"}, 5},
        DiagCase{"vsg_range_errors", R"(virtual_server_group G {
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
                 {"2: Address range end is not greater than address range start - 192.0.2.10-1 - skipping", "3: Virtual server group range '192.0.2.1-256' end '256' too large", "4: Virtual server group range '192.0.2.1-x' has extra characters at end 'x'", "5: Address range end is less than address range start - 192.0.2.1-192.0.2.0 - skipping", "6: Invalid virtual server group IP address 192.0.2.1-2001:db8::1 /port/80 - skipping", "7: Virtual server group range '2001:db8::1-10000' end '10000' too large", "8: virtual server group G has no entries - removing"}, 5},
        DiagCase{"vsg_prefix_errors", R"(virtual_server_group G {
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
                 {"2: Invalid netmask - 192.0.2.8/33 - skipping", "3: Address mask bits not empty - 192.0.2.9/29 - skipping", "4: Invalid netmask - 0.0.0.0/0 - skipping", "5: virtual server group G has no entries - removing"}, 5},
        DiagCase{"vsg_fwmark_errors", R"(virtual_server_group G {
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
                 {"2: negative number '-1'", "2: (G): fwmark '-1' must be in [0, 4294967295] - ignoring", "3: invalid number 'abc'", "3: (G): fwmark 'abc' must be in [0, 4294967295] - ignoring", "4: (G): fwmark '7' family foo unknown - ignoring", "5: virtual server group G has no entries - removing"}, 5},
        DiagCase{"vsg_mixed_families_with_bare_fwmark", R"(virtual_server_group G {
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
                 {"5: virtual server group G cannot have IPv4, IPv6 and fwmark without family - removing"}, 5},
        DiagCase{"vsg_mixed_families_with_family_fwmark", R"(virtual_server_group G {
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
                 {}, 0},
        DiagCase{"vsg_first_definition_wins", R"(virtual_server_group G {
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
                 {"virtual server [G]:0:[192.0.2.1,8080] and real server [192.0.2.10]:tcp:80 ports don't match"}, 5},
        DiagCase{"vsg_missing_name", R"(virtual_server_group
{
    192.0.2.1 80
}
)",
                 {"1: *** Configuration line starting `virtual_server_group` is missing a parameter after keyword `virtual_server_group` at word position 2"}, 2},
        DiagCase{"vsg_two_names", R"(virtual_server_group G H {
    192.0.2.1 80
}
)",
                 {"1: *** Configuration line starting `***MISSING ***` is missing a parameter at word position 1"}, 2},
        DiagCase{"vs_group_undefined_is_silent", R"(virtual_server group G {
    protocol TCP
    lvs_sched rr
    lvs_method DR
}
)",
                 {}, 0},
        DiagCase{"vs_group_defaults", R"(virtual_server_group G {
    192.0.2.1 80
}
virtual_server group G {
    real_server 192.0.2.10 80 {
    }
}
)",
                 {"Virtual server [G]:0: no protocol set - defaulting to UDP", "Virtual server [G]:0: no scheduler set, setting default 'wlc'", "Virtual server [G]:0: no forwarding method set, setting default NAT"}, 5},
        DiagCase{"vs_group_no_real_servers", R"(virtual_server_group G {
    192.0.2.1 80
}
virtual_server group G {
    lvs_sched rr
    lvs_method DR
}
)",
                 {"Virtual server [G]:0 has no real servers - ignoring"}, 5}),
        diagCaseName);
// clang-format on

} // namespace
} // namespace vigil::testing
