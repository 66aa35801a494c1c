// Diagnostics of vrrp_script, sync groups, tracking, addresses, routes and rules,
// as keepalived 2.2.7 prints them.
#include "tests/config/vrrp/diagnostic_case.h"

namespace vigil::testing {
namespace {

class VrrpBlockDiagnostics : public ::testing::TestWithParam<DiagnosticCase>
{
};

TEST_P(VrrpBlockDiagnostics, MatchesKeepalived)
{
	expectKeepalivedDiagnostics(GetParam());
}

// clang-format off
const DiagnosticCase kBlockCases[] = {
        {"VrrpScriptProblems",
         R"(vrrp_script chk0 {
  interval 2
}
vrrp_script chk1 {
  script /bin/true
  interval 0
  timeout 0
  weight 254
  rise 0
  fall 0
}
vrrp_script chk2 {
  script /bin/true
  user nosuchuser
}
vrrp_instance VI_0 {
  interface eth0
  virtual_router_id 51
  track_script {
    check_VI_0
    chk0
    chk1
    chk2
  }
  virtual_ipaddress {
    192.0.2.1
  }
}
global_defs {
  enable_script_security
  script_user root
}
)",
         {"3: No script set for vrrp_script chk0 - removing", "6: (chk1): vrrp script interval must be greater than 0, setting to 1", "7: (chk1): vrrp script timeout must be greater than 0, setting to 1", "8: number '254' outside range [-253, 253]", "8: vrrp_script chk1 weight 254 must be in [-253, 253]", "9: number '0' outside range [1, 2147483647]", "9: (chk1): vrrp script rise value '0' invalid, defaulting to 1", "10: number '0' outside range [1, 2147483647]", "10: (chk1): vrrp script fall value '0' invalid, defaulting to 1", "14: Unable to set uid/gid for script '/bin/true'", "20: (VI_0) track script check_VI_0 not found, ignoring...", "21: (VI_0) track script chk0 not found, ignoring...", "23: (VI_0) track script chk2 not found, ignoring..."},
         5},
        {"VrrpScriptValueErrors",
         R"(vrrp_script a {
  script /bin/true
  interval 1.5
  timeout 2.5
  weight abc
  rise abc
  fall -1
}
vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 51
  track_script {
    a
  }
  virtual_ipaddress {
    192.0.2.1
  }
}
global_defs {
  enable_script_security
  script_user root
}
)",
         {"3: invalid number '1.5'", "3: (a): vrrp script interval '1.5' must be between 1 and 4294 - ignoring", "4: invalid number '2.5'", "4: (a): vrrp script timeout '2.5' invalid - ignoring", "5: invalid number 'abc'", "5: vrrp_script a weight abc must be in [-253, 253]", "6: invalid number 'abc'", "6: (a): vrrp script rise value 'abc' invalid, defaulting to 1", "7: negative number '-1'", "7: (a): vrrp script fall value '-1' invalid, defaulting to 1"},
         5},
        {"TrackScriptDefinedLaterIsNotFound",
         R"(vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 51
  track_script {
    later
  }
  virtual_ipaddress {
    192.0.2.1
  }
}
vrrp_script later {
  script /bin/true
}
global_defs {
  enable_script_security
  script_user root
}
)",
         {"5: (VI_1) track script later not found, ignoring..."},
         5},
        {"SyncGroupProblems",
         R"(vrrp_sync_group G1 {
  group {
    VI_1
    VI_9
  }
  foo
}
vrrp_sync_group G2 {
  group {
    VI_1
  }
}
vrrp_sync_group G3 {
}
vrrp_sync_group G1 {
  group {
    VI_1
  }
}
vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 51
  virtual_ipaddress {
    192.0.2.1
  }
}
global_defs {
  enable_script_security
  script_user root
}
)",
         {"6: Unknown keyword 'foo'", "15: vrrp sync group G1 already defined", "Virtual router VI_9 specified in sync group G1 doesn't exist - ignoring", "Sync group G1 has only 1 virtual router(s) - this probably isn't what you want", "Virtual router VI_1 cannot exist in more than one sync group; ignoring G2", "Sync group G2, no matching virtual router found in group declaration - removing", "Sync group G3 has no virtual router(s). removing"},
         5},
        {"SyncGroupTracking",
         R"(vrrp_script s1 {
  script /bin/true
  weight 5
}
vrrp_sync_group SG {
  group {
    VI_1
    VI_2
  }
  global_tracking
  notify_deleted
  track_interface {
    eth0 weight 5
  }
}
vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 5
  track_script {
    s1
  }
  virtual_ipaddress {
    192.0.2.1
  }
}
vrrp_instance VI_2 {
  interface eth0
  virtual_router_id 6
  virtual_ipaddress {
    192.0.2.2
  }
}
global_defs {
  enable_script_security
  script_user root
}
)",
         {"10: (SG) global_tracking is deprecated. Use track_interface/script/file on the sync group", "11: Unknown keyword 'notify_deleted'", "(VI_1) track_interface eth0 is configured on VRRP instance and sync group. Remove vrrp instance or sync group config", "(VI_2) track_interface eth0 is configured on VRRP instance and sync group. Remove vrrp instance or sync group config"},
         5},
        {"SyncGroupDropsWeightedTracking",
         R"(vrrp_script s1 {
  script /bin/true
  weight 5
}
vrrp_sync_group SG {
  group {
    VI_1
    VI_2
  }
}
vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 5
  track_script {
    s1
    s1 weight 3
  }
  track_interface {
    eth0 weight 4
  }
  virtual_ipaddress {
    192.0.2.1
  }
}
vrrp_instance VI_2 {
  interface eth0
  virtual_router_id 6
  virtual_ipaddress {
    192.0.2.2
  }
}
vrrp_instance VI_3 {
  interface eth0
  virtual_router_id 7
  virtual_ipaddress {
    192.0.2.3
  }
}
vrrp_sync_group SG2 {
  group {
    VI_3
    VI_1
    VI_3
  }
}
global_defs {
  enable_script_security
  script_user root
}
)",
         {"16: (VI_1) duplicate track_script s1 - ignoring", "Virtual router VI_1 cannot exist in more than one sync group; ignoring SG2", "Virtual router VI_3 cannot exist in more than one sync group; ignoring SG2", "Sync group SG2 has only 1 virtual router(s) - this probably isn't what you want", "(VI_1) Ignoring track_interface eth0 since own interface", "(VI_1) ignoring tracked script s1 with weights due to SYNC group"},
         5},
        {"VirtualAddressErrors",
         R"(vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 51
  virtual_ipaddress {
    192.0.2.4 peer 192.0.2.44/32
    192.0.2.5/33
    192.0.2.256
    192.0.2.6 scope foo
    192.0.2.7 bogus
    192.0.2.8 dev
    192.0.2.11 track_group G
    192.0.2.12 brd
    192.0.2.13 preferred_lft abc
    192.0.2.14 brd 2001:db8::1
    192.0.2.15 peer 2001:db8::1
    192.0.2.16/abc
    2001:db8::1/64 brd +
    192.0.2.17 label eth0:averyveryverylonglabel
  }
}
global_defs {
  enable_script_security
  script_user root
}
)",
         {"5: VRRP parsed invalid IP 192.0.2.44/32. skipping IP...", "5: Invalid peer address 192.0.2.44/32", "6: number '33' outside range [0, 32]", "6: Invalid address prefix len 33 for address 192.0.2.5/33 - using 32", "7: VRRP parsed invalid IP 192.0.2.256. skipping IP...", "8: Invalid scope 'foo' specified for 192.0.2.6 - ignoring", "9: Unknown configuration entry 'bogus' for ip address - ignoring", "10: No dev parameter specified for 192.0.2.8", "11: Unknown configuration entry 'track_group' for ip address - ignoring", "11: Unknown configuration entry 'G' for ip address - ignoring", "12: No brd parameter specified for 192.0.2.12", "13: invalid number 'abc'", "13: preferred_lft abc is invalid", "14: VRRP is trying to assign invalid broadcast 2001:db8::1. skipping VIP...", "15: Peer address 2001:db8::1 does not match address family", "16: invalid number 'abc'", "16: Invalid address prefix len abc for address 192.0.2.16/abc - using 32", "17: VRRP is trying to assign a broadcast brd to the IPv6 address 2001:db8::1/64 !!?? WTF... skipping VIP...", "18: Address label eth0:averyveryverylonglabel is longer than maximum length 15 - removing address"},
         5},
        {"RoutesAndRules",
         R"(static_ipaddress {
  192.0.2.100/24 dev eth0 track_group G
}
static_routes {
  198.51.100.0/24 via 192.0.2.1 dev eth0
  198.51.101.0/24 via 192.0.2.1 dev eth0 proto static
  blackhole 198.51.102.0/24
  198.51.103.0/24 via 192.0.2.1 or 192.0.2.2 dev eth0
  198.51.105.0/24 via 2001:db8::1
  198.51.106.0/24 bogus 5
}
static_rules {
  from 192.0.2.0/24 table 1
  to 198.51.100.0/24 table 2 priority 100
  from 192.0.2.0/24 table small
  from 2001:db8::/32 table 3
  bogus 1
  from all fwmark 0x10 lookup 5
}
vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 51
  virtual_routes {
    198.51.110.0/24 via 192.0.2.254
    198.51.111.0/24 dev eth0 no_track
  }
  virtual_rules {
    from 192.0.2.0/24 table 7
  }
  virtual_ipaddress {
    192.0.2.1
  }
}
global_defs {
  enable_script_security
  script_user root
}
)",
         {"2: track_group G not found", "6: VRRP parsed invalid IP proto. skipping IP...", "6: unknown route keyword proto", "7: Warning - cannot track route 198.51.102.0/24 with no interface specified, not tracking", "8: \"or\" for routes is deprecated. Please use \"nexthop\"", "9: Cannot mix IPv4 and IPv6 addresses for route", "10: VRRP parsed invalid IP bogus. skipping IP...", "10: unknown route keyword bogus", "13: Rule has no preference specified - setting to 16384. This is probably not what you want.", "15: Routing table small not found for rule", "16: Rule has no preference specified - setting to 16384. This is probably not what you want.", "17: Unknown rule option bogus", "18: Rule has no preference specified - setting to 16383. This is probably not what you want.", "24: Warning - cannot track route 198.51.110.0/24 with no interface specified, not tracking", "28: Rule has no preference specified - setting to 16382. This is probably not what you want."},
         5},
        {"TrackedWeights",
         R"(vrrp_script s1 {
  script /bin/true
  weight 7
}
vrrp_script s2 {
  script /bin/true
}
vrrp_script s3 {
  script /bin/true
}
vrrp_script s4 {
  script /bin/true
}
vrrp_script s5 {
  script /bin/true
}
vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 51
  track_script {
    s1 weight 300
    s2 weight 5 foo
    s3 weight abc
    s4 weight
    s5 foo
    s1
    s2 weight -254
  }
  track_interface {
    eth0 bogus
  }
  virtual_ipaddress {
    192.0.2.1
  }
}
global_defs {
  enable_script_security
  script_user root
}
)",
         {"21: number '300' outside range [-254, 254]", "21: (VI_1) track script s1: weight must be between [-253..253] inclusive, ignoring...", "22: (VI_1) unknown track_script s2 weight option foo - ignoring", "23: invalid number 'abc'", "23: (VI_1) track script s3: weight must be between [-253..253] inclusive, ignoring...", "24: (VI_1) weight without value specified for track script s4 - ignoring", "25: (VI_1) unknown track script option foo - ignoring", "26: (VI_1) duplicate track_script s1 - ignoring", "27: (VI_1) duplicate track_script s2 - ignoring", "30: (VI_1) unknown track_interface eth0 option bogus - ignoring"},
         5},
        {"TrackInterfaceWeights",
         R"(vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 5
  track_interface {
    eth0 weight 254
  }
  virtual_ipaddress {
    192.0.2.1
  }
}
vrrp_instance VI_2 {
  interface eth0
  virtual_router_id 6
  track_interface {
    eth0 weight 300
    eth0
  }
  virtual_ipaddress {
    192.0.2.2
  }
}
global_defs {
  enable_script_security
  script_user root
}
)",
         {"5: (VI_1) weight for eth0 cannot be +/-254. Setting to +/-253", "15: number '300' outside range [-254, 254]", "15: (VI_2) weight 300 for eth0 must be between [-253..253] inclusive. Ignoring...", "16: (VI_2) duplicate track_interface eth0 - ignoring", "(VI_1) Ignoring track_interface eth0 since own interface", "(VI_2) Ignoring track_interface eth0 since own interface"},
         5},
        {"StaticAddressWithoutUsableDefaultInterface",
         R"(static_ipaddress {
  192.0.2.9
}
global_defs {
  default_interface eth7
}
global_defs {
  enable_script_security
  script_user root
}
)",
         {"2: Static address 192.0.2.9 requires either an interface or default interface must exist", "Non-existent interface specified in configuration"},
         4},
        {"TrackedObjectsNotFound",
         R"(bfd_instance B1 {
  neighbor_ip 192.0.2.50
}
vrrp_sync_group SG {
  group {
    VI_1
    VI_2
  }
  track_script {
    nosuch
  }
  track_interface {
    eth5
  }
  track_file {
    nofile
  }
}
vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 5
  track_bfd {
    B1 weight 10
    B2
  }
  virtual_ipaddress {
    192.0.2.1
    192.0.2.1
  }
}
vrrp_instance VI_2 {
  interface eth0
  virtual_router_id 6
  virtual_ipaddress {
    192.0.2.1
  }
}
global_defs {
  enable_script_security
  script_user root
}
)",
         {"10: (SG) track script nosuch not found, ignoring...", "13: (SG) tracked interface eth5 doesn't exist", "16: (SG) track file nofile not found, ignoring...", "24: (VI_1) track bfd B2 not found, ignoring...", "Non-existent interface specified in configuration"},
         5},
        {"TrackProcessWithoutDefinition",
         R"(vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 5
  track_process {
    haproxy weight 5
  }
  virtual_ipaddress {
    192.0.2.1
  }
}
global_defs {
  enable_script_security
  script_user root
}
)",
         {"5: (VI_1) track process haproxy not found, ignoring..."},
         5},
        {"DeprecatedGwAndBadRuleAddress",
         R"(static_routes {
  198.51.100.0/24 gw 192.0.2.1 dev eth0
}
static_rules {
  to 198.51.100./24 table 1
  from 2001:db8::/32 to 192.0.2.0/24 table 2 preference 5
  from 192.0.2.0/24 table 2 preference 6
}
global_defs {
  enable_script_security
  script_user root
}
)",
         {"2: \"gw\" for routes is deprecated. Please use \"via\"", "5: VRRP parsed invalid IP 198.51.100./24. skipping IP...", "5: Invalid rule to address 198.51.100./24", "6: rule specification has mixed IPv4 and IPv6"},
         5},
};
// clang-format on

INSTANTIATE_TEST_SUITE_P(Oracle, VrrpBlockDiagnostics, ::testing::ValuesIn(kBlockCases), caseName);

} // namespace
} // namespace vigil::testing
