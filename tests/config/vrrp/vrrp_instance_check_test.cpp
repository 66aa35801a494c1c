// The checks keepalived 2.2.7 makes on a whole vrrp_instance (strict mode,
// versions, families, VIPs), in its order and words.
#include "tests/config/vrrp/diagnostic_case.h"

namespace vigil::testing {
namespace {

class VrrpInstanceCheckDiagnostics : public ::testing::TestWithParam<DiagnosticCase>
{
};

TEST_P(VrrpInstanceCheckDiagnostics, MatchesKeepalived)
{
	expectKeepalivedDiagnostics(GetParam());
}

// clang-format off
const DiagnosticCase kInstanceCheckCases[] = {
        {"StrictMode",
         R"(vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 5
  strict_mode
  advert_int 0.5
  authentication {
    auth_type PASS
    auth_pass abc
  }
  unicast_peer {
    192.0.2.9
  }
  accept
  virtual_ipaddress {
    192.0.2.1
  }
}
vrrp_instance VI_2 {
  interface eth0
  virtual_router_id 6
  strict_mode
  nopreempt
  virtual_ipaddress {
    192.0.2.2
  }
}
global_defs {
  enable_script_security
  script_user root
}
)",
         {"(VI_1) Strict mode does not support authentication. Ignoring.", "(VI_1) warning - accept mode for VRRP version 2 does not comply with RFC3768 - resetting", "(VI_1) VRRPv2 advertisement interval 0.500000s must be an integer. rounding"},
         5},
        {"AdvertIntRounding",
         R"(vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 5
  advert_int 0.5
  virtual_ipaddress {
    192.0.2.1
  }
}
vrrp_instance VI_2 {
  interface eth0
  virtual_router_id 6
  advert_int 1.7
  virtual_ipaddress {
    2001:db8::1
  }
}
vrrp_instance VI_3 {
  interface eth0
  virtual_router_id 7
  version 2
  advert_int 2.5
  virtual_ipaddress {
    2001:db8::2
  }
}
vrrp_instance VI_4 {
  interface eth0
  virtual_router_id 8
  version 3
  advert_int 0.001
  virtual_ipaddress {
    192.0.2.4
  }
}
vrrp_instance VI_5 {
  interface eth0
  virtual_router_id 9
  version 3
  advert_int 41
  virtual_ipaddress {
    192.0.2.5
  }
}
vrrp_instance VI_6 {
  interface eth0
  virtual_router_id 10
  version 3
  advert_int 1.005
  virtual_ipaddress {
    192.0.2.6
  }
}
global_defs {
  enable_script_security
  script_user root
}
)",
         {"30: number '0.001' outside range [0.010000, 255.000000]", "30: (VI_4) Advert interval (0.001) not valid! Must be > 0 - ignoring", "(VI_1) VRRPv2 advertisement interval 0.500000s must be an integer. rounding", "(VI_3) VRRPv2 advertisement interval 2.500000s must be an integer. rounding", "(VI_5) VRRPv3 advertisement interval 41.00s is out of range. Must be less than 40.96s. Setting to 40.95s", "(VI_6) VRRPv3 advertisement interval 1.005000s must be in units of 10ms - rounding"},
         5},
        {"AddressFamilies",
         R"(vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 5
  virtual_ipaddress {
    2001:db8::1
  }
  virtual_ipaddress {
    192.0.2.1
  }
}
vrrp_instance VI_2 {
  interface eth0
  virtual_router_id 6
  virtual_ipaddress_excluded {
    192.0.2.2
  }
  virtual_ipaddress {
    2001:db8::2
  }
}
vrrp_instance VI_4 {
  interface eth0
  virtual_router_id 8
  unicast_src_ip 2001:db8::9
  unicast_peer {
    192.0.2.7
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
         {"8: (VI_1): address family must match VRRP instance [192.0.2.1] - ignoring", "26: Configuration error: VRRP instance[VI_4] and unicast peer address[192.0.2.7] MUST be of the same family !!! Skipping...", "29: (VI_4): address family must match VRRP instance [192.0.2.1] - ignoring", "(VI_4) No VIP specified; at least one is required"},
         5},
        {"NoVipSensible",
         R"(vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 51
}
global_defs {
  enable_script_security
  script_user root
}
)",
         {"(VI_1) No VIP specified; at least one is sensible", "(VI_1) No VIP specified; at least one is sensible"},
         5},
        {"NoVipRequiredStopsChecks",
         R"(vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 5
  version 3
}
vrrp_instance VI_2 {
  interface eth0
  virtual_router_id 6
  version 3
}
global_defs {
  enable_script_security
  script_user root
}
)",
         {"(VI_1) No VIP specified; at least one is required"},
         5},
        {"DeprecatedAndConflicts",
         R"(vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 51
  virtual_ipaddress {
    2001:db8::1
  }
  version 2
  lvs_sync_daemon_interface eth0
  garp_interval 0.25
  gna_interval 0.5
  linkbeat_use_polling
  unicast_ttl 10
  use_vmac
  promote_secondaries
}
global_defs {
  enable_script_security
  script_user root
}
)",
         {"7: (VI_1) vrrp_version 2 conflicts with configured or deduced version 0; ignoring.", "8: (VI_1) Specifying lvs_sync_daemon_interface against a vrrp is deprecated.", "8:         Please use global lvs_sync_daemon", "9: Unknown keyword 'garp_interval'", "10: Unknown keyword 'gna_interval'", "11: (VI_1) 'linkbeat_use_polling' in vrrp instance deprecated - use linkbeat_interfaces block", "15: (VI_1): Cannot use unicast_ttl without unicast peers - resetting", "(VI_1) promote_secondaries is automatically set for vmacs - ignoring"},
         5},
        {"NativeIpv6ThenVersion2",
         R"(vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 51
  native_ipv6
  version 2
}
global_defs {
  enable_script_security
  script_user root
}
)",
         {"5: (VI_1) vrrp_version 2 conflicts with configured or deduced version 3; ignoring.", "(VI_1) No VIP specified; at least one is required"},
         5},
        {"VmacXmitBaseWithoutVmac",
         R"(vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 51
  vmac_xmit_base
  virtual_ipaddress {
    192.0.2.1
  }
}
global_defs {
  enable_script_security
  script_user root
}
)",
         {"(VI_1) vmac_xmit_base is only valid with a vmac"},
         5},
        {"CheckOrderStrictMode",
         R"(vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 5
  strict_mode
  advert_int 0.5
  authentication {
    auth_type PASS
    auth_pass x
  }
  accept
  mcast_dst_ip 224.0.0.50
  unicast_peer {
    192.0.2.9
  }
  use_vmac
  promote_secondaries
  state MASTER
  priority 50
  nopreempt
  virtual_ipaddress {
    192.0.2.1
  }
}
global_defs {
  enable_script_security
  script_user root
}
)",
         {"23: (VI_1) unicast with use_vmac requires vmac_xmit_base - setting", "(VI_1) State MASTER must match being address owner", "(VI_1) Strict mode does not support authentication. Ignoring.", "(VI_1) warning - accept mode for VRRP version 2 does not comply with RFC3768 - resetting", "(VI_1) multicast destination specified with unicast - ignoring", "(VI_1) VRRPv2 advertisement interval 0.500000s must be an integer. rounding", "(VI_1) xmit_base is incompatible with strict mode - resetting", "(VI_1) promote_secondaries is automatically set for vmacs - ignoring"},
         5},
        {"CheckOrderNoVipReportedTwice",
         R"(vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 5
  authentication {
    auth_type PASS
  }
  state MASTER
  priority 50
  nopreempt
  advert_int 1.5
  accept
  mcast_dst_ip 224.0.0.50
  unicast_peer {
    192.0.2.9
  }
  use_vmac
  vmac_xmit_base
  promote_secondaries
}
global_defs {
  enable_script_security
  script_user root
}
)",
         {"(VI_1) No VIP specified; at least one is sensible", "(VI_1) Authentication specified but no password given. Ignoring", "(VI_1) Warning - nopreempt will not work with initial state MASTER - clearing", "(VI_1) multicast destination specified with unicast - ignoring", "(VI_1) VRRPv2 advertisement interval 1.500000s must be an integer. rounding", "(VI_1) promote_secondaries is automatically set for vmacs - ignoring", "(VI_1) No VIP specified; at least one is sensible"},
         5},
        {"CheckOrderAhClearsMasterBeforeNopreempt",
         R"(vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 5
  authentication {
    auth_type AH
    auth_pass x
  }
  state MASTER
  priority 50
  nopreempt
  virtual_ipaddress {
    192.0.2.1
  }
}
global_defs {
  enable_script_security
  script_user root
}
)",
         {"(VI_1) Initial state master is incompatible with AH authentication - clearing"},
         5},
        {"NoVipRequiredComesFirst",
         R"(vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 5
  version 3
  authentication {
    auth_type AH
  }
  state MASTER
  priority 50
  nopreempt
  unicast_src_ip 192.0.2.4
}
global_defs {
  enable_script_security
  script_user root
}
)",
         {"(VI_1) No VIP specified; at least one is required"},
         5},
        {"UnicastKeywordsWithoutPeers",
         R"(vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 5
  check_unicast_src
  unicast_src_ip 192.0.2.3
  virtual_ipaddress {
    192.0.2.1
  }
}
vrrp_instance VI_2 {
  interface eth0
  virtual_router_id 6
  unicast_src_ip 192.0.2.3
  unicast_fault_no_peer
  unicast_ttl 5
  virtual_ipaddress {
    192.0.2.2
  }
}
global_defs {
  enable_script_security
  script_user root
}
)",
         {"19: (VI_2): Cannot use unicast_ttl without unicast peers - resetting", "(VI_1) A unicast keyword has been specified without any unicast peers. Defaulting to multicast. This usage is deprecated - please update your configuration."},
         5},
        {"StrictIpv6AndPreemptDelay",
         R"(vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 5
  strict_mode
  advert_int 0.555
  state MASTER
  priority 50
  preempt_delay 5
  nopreempt
  accept
  use_vmac
  vmac_xmit_base
  promote_secondaries
  virtual_ipaddress {
    2001:db8::1
    fe80::1
  }
}
global_defs {
  enable_script_security
  script_user root
}
)",
         {"(VI_1) State MASTER must match being address owner", "(VI_1) the first IPv6 VIP address must be link local", "(VI_1) preempt_delay is incompatible with strict mode - resetting", "(VI_1) preempt_delay is incompatible with nopreempt mode - resetting", "(VI_1) VRRPv3 advertisement interval 0.555000s must be in units of 10ms - rounding", "(VI_1) xmit_base is incompatible with strict mode - resetting", "(VI_1) promote_secondaries is automatically set for vmacs - ignoring"},
         5},
        {"PreemptDelayWithMaster",
         R"(vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 5
  version 3
  preempt_delay 5
  state MASTER
  priority 50
  virtual_ipaddress {
    2001:db8::1
  }
}
global_defs {
  enable_script_security
  script_user root
}
)",
         {"(VI_1) Warning - preempt delay will not work with initial state MASTER - clearing"},
         5},
};
// clang-format on

INSTANTIATE_TEST_SUITE_P(Oracle, VrrpInstanceCheckDiagnostics, ::testing::ValuesIn(kInstanceCheckCases), caseName);

} // namespace
} // namespace vigil::testing
