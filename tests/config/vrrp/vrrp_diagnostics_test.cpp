// vrrp_instance diagnostics as keepalived 2.2.7 prints them.
#include "tests/config/vrrp/diagnostic_case.h"

namespace vigil::testing {
namespace {

class VrrpInstanceDiagnostics : public ::testing::TestWithParam<DiagnosticCase>
{
};

TEST_P(VrrpInstanceDiagnostics, MatchesKeepalived)
{
	expectKeepalivedDiagnostics(GetParam());
}

// clang-format off
const DiagnosticCase kInstanceCases[] = {
        {"MissingVirtualRouterId",
         R"(vrrp_instance VI_1 {
  interface eth0
  virtual_ipaddress {
    192.0.2.1
  }
}
global_defs {
  enable_script_security
  script_user root
}
)",
         {"(VI_1) the virtual router id must be set"},
         5},
        {"VridPriorityAdvertOutOfRange",
         R"(vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 0
  priority 0
  advert_int 0
  virtual_ipaddress {
    192.0.2.1
  }
}
global_defs {
  enable_script_security
  script_user root
}
)",
         {"3: number '0' outside range [1, 255]", "3: (VI_1): VRID '0' not valid - must be between 1 & 255", "4: number '0' outside range [1, 255]", "4: (VI_1) Priority not valid! must be between 1 & 255. Using default 100", "5: number '0' outside range [0.010000, 255.000000]", "5: (VI_1) Advert interval (0) not valid! Must be > 0 - ignoring", "(VI_1) the virtual router id must be set"},
         5},
        {"VridPriorityAdvertTooLarge",
         R"(vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 256
  priority 256
  advert_int 256
  virtual_ipaddress {
    192.0.2.1
  }
}
global_defs {
  enable_script_security
  script_user root
}
)",
         {"3: number '256' outside range [1, 255]", "3: (VI_1): VRID '256' not valid - must be between 1 & 255", "4: number '256' outside range [1, 255]", "4: (VI_1) Priority not valid! must be between 1 & 255. Using default 100", "5: number '256' outside range [0.010000, 255.000000]", "5: (VI_1) Advert interval (256) not valid! Must be > 0 - ignoring", "(VI_1) the virtual router id must be set"},
         5},
        {"InvalidNumbersStateAndUnknownKeyword",
         R"(vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 51
  priority 1x
  state FOO
  advert_int abc
  foo bar
  virtual_ipaddress {
    192.0.2.1
  }
}
global_defs {
  enable_script_security
  script_user root
}
)",
         {"4: invalid number '1x'", "4: (VI_1) Priority not valid! must be between 1 & 255. Using default 100", "5: (VI_1) unknown state 'FOO', defaulting to BACKUP", "6: invalid number 'abc'", "6: (VI_1) Advert interval (abc) not valid! Must be > 0 - ignoring", "7: Unknown keyword 'foo'"},
         5},
        {"NegativeAndHexNumbers",
         R"(vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 51
  priority -0
  debug 0x1
  virtual_ipaddress {
    192.0.2.1
  }
}
global_defs {
  enable_script_security
  script_user root
}
)",
         {"4: negative number '-0'", "4: (VI_1) Priority not valid! must be between 1 & 255. Using default 100", "5: invalid number '0x1'", "5: (VI_1) Debug value '0x1' not valid; must be between 0-4"},
         5},
        {"MissingInterfaces",
         R"(vrrp_instance VI_3 {
  interface eth1
  virtual_router_id 5
  track_interface {
    eth2
    eth0 weight 10
  }
  virtual_ipaddress {
    192.0.2.1 dev eth3
  }
  virtual_routes {
    198.51.100.0/24 via 192.0.2.254 dev eth4
  }
}
global_defs {
  enable_script_security
  script_user root
}
)",
         {"2: WARNING - interface eth1 for vrrp_instance VI_3 doesn't exist", "5: (VI_3) tracked interface eth2 doesn't exist", "9: WARNING - interface eth3 for ip address 192.0.2.1 doesn't exist", "12: WARNING - interface eth4 for VROUTE nexthop doesn't exist", "Non-existent interface specified in configuration"},
         5},
        {"LoopbackInterface",
         R"(vrrp_instance VI_1 {
  interface lo
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
         {"2: (VI_1) cannot use a loopback interface (lo) for vrrp - ignoring", "(VI_1) Unknown interface!"},
         5},
        {"NoInterfaceAtAll",
         R"(vrrp_instance VI_1 {
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
         {"(VI_1) Unknown interface!"},
         5},
        {"DuplicateVridAndName",
         R"(vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 5
  virtual_ipaddress {
    192.0.2.1
  }
}
vrrp_instance VI_2 {
  interface eth0
  virtual_router_id 5
  virtual_ipaddress {
    192.0.2.2
  }
}
vrrp_instance VI_3 {
  interface eth0
  virtual_router_id 5
  virtual_ipaddress {
    2001:db8::1
  }
}
vrrp_instance VI_1 {
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
         {"22: vrrp instance VI_1 already defined", "VI_1 and VI_2 both use VRID 5 with IPv4 on interface eth0"},
         5},
        {"DuplicateVridUnicastDisjointPeersIsFine",
         R"(vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 5
  unicast_peer {
    192.0.2.7
  }
  virtual_ipaddress {
    192.0.2.1
  }
}
vrrp_instance VI_2 {
  interface eth0
  virtual_router_id 5
  unicast_peer {
    192.0.2.8
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
         {},
         0},
        {"Authentication",
         R"(vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 5
  state MASTER
  priority 100
  authentication {
    auth_type AH
    auth_pass secret
  }
  virtual_ipaddress {
    192.0.2.1
  }
}
vrrp_instance VI_2 {
  interface eth0
  virtual_router_id 6
  authentication {
    auth_type FOO
  }
  virtual_ipaddress {
    192.0.2.2
  }
}
vrrp_instance VI_3 {
  interface eth0
  virtual_router_id 7
  authentication {
    auth_type PASS
  }
  virtual_ipaddress {
    192.0.2.3
  }
}
vrrp_instance VI_4 {
  interface eth0
  virtual_router_id 8
  version 3
  authentication {
    auth_type PASS
    auth_pass x
  }
  virtual_ipaddress {
    192.0.2.4
  }
}
vrrp_instance VI_5 {
  interface eth0
  virtual_router_id 9
  authentication {
    auth_type PASS
    auth_pass 123456789abc
  }
  virtual_ipaddress {
    192.0.2.5
  }
}
vrrp_instance VI_6 {
  interface eth0
  virtual_router_id 10
  state MASTER
  authentication {
    auth_type AH
    auth_pass secret
  }
  virtual_ipaddress {
    192.0.2.6
  }
}
global_defs {
  enable_script_security
  script_user root
}
)",
         {"18: (VI_2) unknown authentication type 'FOO'", "51: Truncating auth_pass to 8 characters", "(VI_1) Initial state master is incompatible with AH authentication - clearing", "(VI_3) Authentication specified but no password given. Ignoring", "(VI_4) VRRP version 3 does not support authentication. Ignoring."},
         5},
        {"NopreemptWithMaster",
         R"(vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 51
  state MASTER
  priority 100
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
         {"(VI_1) Warning - nopreempt will not work with initial state MASTER - clearing"},
         5},
        {"UnicastPeerOptions",
         R"(vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 51
  unicast_peer {
    192.0.2.7 min_ttl 5 max_ttl 200
    192.0.2.8 max_ttl 300
    192.0.2.9 foo
    192.0.2.10 foo 1
    abc
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
         {"6: number '300' outside range [0, 255]", "7: (VI_1) foo is missing a value", "8: (VI_1) unknown unicast_peer option foo", "9: Configuration error: VRRP instance[VI_1] malformed unicast peer address[abc]. Skipping..."},
         5},
        {"KeywordValueErrors",
         R"(vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 5
  version 4
  debug 5
  preempt_delay 1001
  garp_master_delay abc
  garp_master_repeat -1
  garp_master_refresh 0.5
  down_timer_adverts 0
  mcast_dst_ip 192.0.2.5
  unicast_src_ip abc
  lower_prio_no_advert maybe
  strict_mode maybe
  unicast_ttl 300
  smtp_alert maybe
  kernel_rx_buf_size abc
  virtual_ipaddress {
    192.0.2.1
  }
}
vrrp_instance VI_2 {
  interface eth0
  virtual_router_id 6
  mcast_dst_ip abc
  use_vmac vrrp5 00:00:5e:00:01:05
  unicast_peer {
    192.0.2.7
  }
  vrf blue
  virtual_ipaddress {
    192.0.2.2
  }
}
global_defs {
  enable_script_security
  script_user root
}
)",
         {"4: number '4' outside range [2, 3]", "4: (VI_1): Version must be either 2 or 3", "5: number '5' outside range [0, 4]", "5: (VI_1) Debug value '5' not valid; must be between 0-4", "6: number '1001' outside range [0.000000, 1000.000000]", "6: (VI_1) Preempt_delay not valid! must be between 0-1000", "7: invalid number 'abc'", "7: (VI_1): garp_master_delay 'abc' invalid - ignoring", "8: negative number '-1'", "8: (VI_1): garp_master_repeat '-1' invalid - ignoring", "9: invalid number '0.5'", "9: (VI_1): Invalid garp_master_refresh '0.5' - ignoring", "10: number '0' outside range [1, 100]", "10: (VI_1): Invalid down_timer_adverts [1:100] '0'", "11: (VI_1) mcast_dst_ip 192.0.2.5 not multicast. Skipping...", "12: Configuration error: VRRP instance[VI_1] malformed src address[abc]. Skipping...", "13: (VI_1) invalid lower_prio_no_advert maybe specified", "14: (VI_1) invalid strict_mode maybe specified", "15: number '300' outside range [0, 255]", "15: (VI_1): TTL '300' not valid - must be between 0 & 255", "16: Invalid vrrp_instance smtp_alert parameter maybe", "17: invalid number 'abc'", "17: (VI_1) invalid kernel_rx_buf_size specified", "25: (VI_2) malformed mcast dest address abc. Skipping...", "26: VMAC MAC address not allowed to be RFC5798 address (00:00:5e:00:01:05) - ignoring", "30: (VI_2) Cannot specify VRF interface and interface - ignoring", "34: (VI_2) unicast with use_vmac requires vmac_xmit_base - setting", "(VI_1) A unicast keyword has been specified without any unicast peers. Defaulting to multicast. This usage is deprecated - please update your configuration."},
         5},
        {"SeedUnicastPair",
         R"(vrrp_instance VI_1 {
    state MASTER
    interface eth0
    virtual_router_id 51
    priority 100
    advert_int 1
    authentication {
        auth_type PASS
        auth_pass 1111
    }
    virtual_ipaddress {
        192.0.2.93
    }
    unicast_src_ip 192.0.2.54
    unicast_peer {
        192.0.2.64
    }
}
global_defs {
  enable_script_security
  script_user root
}
)",
         {},
         0},
};
// clang-format on

INSTANTIATE_TEST_SUITE_P(Oracle, VrrpInstanceDiagnostics, ::testing::ValuesIn(kInstanceCases), caseName);

} // namespace
} // namespace vigil::testing
