#!/bin/bash
# tests/netns/vrrp/groups.sh VIGIL KEEPALIVED IMPL_A IMPL_B
#
# Two instances per node in one vrrp_sync_group, VRRPv3 advert_int 0.1:
# VI_1 (VRID 61, 192.0.2.101) and VI_2 (VRID 62, 192.0.2.102), A at 150 and
# B at 100. Only VI_2 tracks A's second interface `uplink`. Asserts with
# `ip addr`: taking `uplink` down puts VI_2 in FAULT (its notify_fault runs)
# and the group moves VI_1 with it, so both VIPs go to B; `uplink` up brings
# both back to A.
set -euo pipefail

(($# == 4)) || { echo "usage: $0 VIGIL KEEPALIVED IMPL_A IMPL_B" >&2; exit 2; }
VIGIL=$1
KEEPALIVED=$2
impl_a=$3
impl_b=$4
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"
[[ -x $VIGIL ]] || fail "no vigil at $VIGIL"
[[ -x $KEEPALIVED ]] || fail "no keepalived at $KEEPALIVED"

write_config() { # node priority
	cat >"$VRRP_TMP/$1.conf" <<EOF
global_defs {
    vrrp_version 3
    vrrp_garp_master_delay 0
}
vrrp_sync_group G {
    group {
        VI_1
        VI_2
    }
}
vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    virtual_router_id 61
    priority $2
    advert_int 0.1
    virtual_ipaddress {
        192.0.2.101/24 dev eth0
    }
}
vrrp_instance VI_2 {
    state BACKUP
    interface eth0
    virtual_router_id 62
    priority $2
    advert_int 0.1
    track_interface {
        $3
    }
    notify_fault "$VRRP_TMP/fault.sh VI_2"

    virtual_ipaddress {
        192.0.2.102/24 dev eth0
    }
}
EOF
}

vrrp_setup a b
printf '#!/bin/sh\necho "$1" >>"%s/faults"\n' "$VRRP_TMP" >"$VRRP_TMP/fault.sh"
chmod 755 "$VRRP_TMP/fault.sh" "$VRRP_TMP"
# A's uplink: one end of a veth pair inside A's namespace; B tracks its
# own eth0 (always up).
ip -n "$(ns a)" link add uplink type veth peer name uplink-peer
ip -n "$(ns a)" link set uplink-peer up
ip -n "$(ns a)" link set uplink up
write_config a 150 uplink
write_config b 100 eth0

start_node a "$impl_a" "$VRRP_TMP/a.conf"
wait_vip a 192.0.2.101 yes 5000 >/dev/null
wait_vip a 192.0.2.102 yes 5000 >/dev/null
start_node b "$impl_b" "$VRRP_TMP/b.conf"
sleep 1
only_on a 192.0.2.101 b
only_on a 192.0.2.102 b
ok "A is MASTER of both instances"

ip -n "$(ns a)" link set uplink down
wait_vip b 192.0.2.102 yes 5000 >/dev/null
wait_vip b 192.0.2.101 yes 5000 >/dev/null
wait_vip a 192.0.2.102 no 2000 >/dev/null
wait_vip a 192.0.2.101 no 2000 >/dev/null
ok "uplink down: VI_2 in FAULT, the group takes VI_1 along: both VIPs on B"
for ((i = 0; i < 100; i++)); do
	[[ -s $VRRP_TMP/faults ]] && break
	sleep 0.05
done
grep -qx "VI_2" "$VRRP_TMP/faults" 2>/dev/null || fail "notify_fault did not run for VI_2"
ok "notify_fault ran"

ip -n "$(ns a)" link set uplink up
wait_vip a 192.0.2.101 yes 5000 >/dev/null
wait_vip a 192.0.2.102 yes 5000 >/dev/null
wait_vip b 192.0.2.101 no 2000 >/dev/null
wait_vip b 192.0.2.102 no 2000 >/dev/null
ok "uplink up: both back on A"

stop_node a TERM
stop_node b TERM
no_invalid_packets a b
ok "no packet logged as invalid"
