#!/bin/bash
# SIGHUP with the VIPs of a MASTER instance edited (on both nodes, as an
# operator does: a peer drops adverts whose address list is not its own):
# added and removed addresses follow at once, the instance keeps MASTER
# without a new election, and the peer stays BACKUP.
#
#   reload-vips.sh VIGIL KEEPALIVED PEER_IMPL
set -uo pipefail
VIGIL=$1
KEEPALIVED=$2
peer_impl=$3
here=$(dirname "$0")
# shellcheck source=lib.sh
. "$here/lib.sh"

vrrp_setup a b
conf() { # PRIORITY VIP...
	local priority=$1 vip
	shift
	printf 'vrrp_instance VI_1 {\n    state BACKUP\n    interface eth0\n    virtual_router_id 65\n'
	printf '    priority %s\n    advert_int 1\n    virtual_ipaddress {\n' "$priority"
	for vip; do printf '        %s/24\n' "$vip"; done
	printf '    }\n}\n'
}
conf 150 192.0.2.100 >"$VRRP_TMP/a.conf"
conf 100 192.0.2.100 >"$VRRP_TMP/b.conf"
start_node b "$peer_impl" "$VRRP_TMP/b.conf"
start_node a vigil "$VRRP_TMP/a.conf"
wait_vip a 192.0.2.100 yes 8000 >/dev/null
sleep 1.5
a_before=$(grep -c "Entering" "$VRRP_TMP/a.log")
b_before=$(grep -c "Entering" "$VRRP_TMP/b.log")

# edit VIP...: both files, both nodes reloaded.
edit() {
	conf 150 "$@" >"$VRRP_TMP/a.conf"
	conf 100 "$@" >"$VRRP_TMP/b.conf"
	kill -HUP "${VRRP_PID[b]}"
	kill -HUP "${VRRP_PID[a]}"
}
edit 192.0.2.100 192.0.2.101
took=$(wait_vip a 192.0.2.101 yes 2000)
has_vip a 192.0.2.100 || fail "192.0.2.100 left a when .101 was added"
ok "an added VIP is on a ${took} ms after SIGHUP"

edit 192.0.2.101
took=$(wait_vip a 192.0.2.100 no 2000)
has_vip a 192.0.2.101 || fail "192.0.2.101 left a when .100 was removed"
ok "a removed VIP is gone ${took} ms after SIGHUP"

sleep 4 # more than the peer's down timer
(($(grep -c "Entering" "$VRRP_TMP/a.log") == a_before)) || fail "a changed state: $(grep Entering "$VRRP_TMP/a.log" | tail -n 2)"
(($(grep -c "Entering" "$VRRP_TMP/b.log") == b_before)) || fail "the peer changed state: $(grep Entering "$VRRP_TMP/b.log" | tail -n 2)"
has_vip b 192.0.2.101 && fail "the peer took 192.0.2.101"
ok "no new election: a stayed MASTER, the peer ($peer_impl) BACKUP"
echo "PASS"
