#!/bin/bash
# A reload must never let the peer's down timer fire: a MASTER whose
# configuration has 100,000 real servers (10,000 virtual servers x 10, read
# in about a tenth of a second here) reloads it three times while its peer
# waits with a down timer of 3 x 50 ms + skew. The peer must stay BACKUP and
# the MASTER must not change state.
#
#   reload-big.sh VIGIL KEEPALIVED PEER_IMPL
set -uo pipefail
VIGIL=$1
KEEPALIVED=$2
peer_impl=$3
here=$(dirname "$0")
# shellcheck source=lib.sh
. "$here/lib.sh"

vrrp_setup a b
conf() { # PRIORITY
	cat <<CONF
global_defs {
    vrrp_version 3
}
vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    virtual_router_id 64
    priority $1
    advert_int 0.05
    virtual_ipaddress {
        192.0.2.100/24
    }
}
CONF
}
conf 150 >"$VRRP_TMP/a.conf"
python3 - >>"$VRRP_TMP/a.conf" <<'PY'
for v in range(10000):
    vs = f"10.{v // 65536 % 256}.{v // 256 % 256}.{v % 256}"
    print(f"virtual_server {vs} 80 {{\n    lb_algo rr\n    lb_kind NAT\n    protocol TCP")
    for r in range(10):
        print(f"    real_server 172.16.{v % 250}.{r + 1} 80 {{\n        weight 1\n    }}")
    print("}")
PY
conf 100 >"$VRRP_TMP/b.conf"
start_node b "$peer_impl" "$VRRP_TMP/b.conf"
# Both sides: the reload also rebuilds the IPVS side's table (the host has
# no IPVS: nothing is written, everything is computed).
ip netns exec "$(ns a)" "$VIGIL" -n -l -G -D -f "$VRRP_TMP/a.conf" -p "$VRRP_TMP/a.pid" -r "$VRRP_TMP/a.vrrp.pid" \
	-c "$VRRP_TMP/a.chk.pid" >>"$VRRP_TMP/a.log" 2>&1 &
VRRP_PID[a]=$!
VRRP_IMPL[a]=vigil
wait_vip a 192.0.2.100 yes 10000 >/dev/null
sleep 2
only_on a 192.0.2.100 b
a_before=$(grep -c "Entering" "$VRRP_TMP/a.log")
b_before=$(grep -c "Entering" "$VRRP_TMP/b.log")
for i in 1 2 3; do
	kill -HUP "${VRRP_PID[a]}"
	sleep 2
done
grep -E "Read .* in .* ms|Reload finished" "$VRRP_TMP/a.log" | tail -n 2 | sed "s/^/  a: /"
(($(grep -c "Reload finished" "$VRRP_TMP/a.log") == 3)) || fail "a did not finish three reloads"
(($(grep -c "Entering" "$VRRP_TMP/b.log") == b_before)) || fail "the peer changed state during a's reloads: $(tail -n 3 "$VRRP_TMP/b.log")"
(($(grep -c "Entering" "$VRRP_TMP/a.log") == a_before)) || fail "a changed state during its reloads"
only_on a 192.0.2.100 b
ok "three reloads of 100,000 real servers at advert_int 0.05: the peer ($peer_impl) stayed BACKUP"
echo "PASS"
