#!/bin/bash
# A MASTER vigil killed with -9 and started again before its peer's
# master-down timer fires: the VIPs it left are adopted and it resumes
# MASTER at once, so the address never leaves the node (polled every 10 ms)
# and the peer never becomes MASTER. Then the same after the peer took
# over: the restarted node preempts back (priority 150 > 100) and the VIP is
# on one node at the end.
#
#   restart.sh VIGIL KEEPALIVED PEER_IMPL
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
vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    virtual_router_id 62
    priority $1
    advert_int 1
    virtual_ipaddress {
        192.0.2.100/24
    }
}
CONF
}
conf 150 >"$VRRP_TMP/a.conf"
conf 100 >"$VRRP_TMP/b.conf"
start_node b "$peer_impl" "$VRRP_TMP/b.conf"
start_node a vigil "$VRRP_TMP/a.conf"
wait_vip a 192.0.2.100 yes 8000 >/dev/null
sleep 1.5
only_on a 192.0.2.100 b

# Watch a's VIP every 10 ms while it is killed and restarted.
(
	for ((i = 0; i < 600; i++)); do
		has_vip a 192.0.2.100 || echo "gone at $i"
		sleep 0.01
	done
) >"$VRRP_TMP/watch" &
watcher=$!
sleep 0.3
signal_node a KILL
reap_node a KILL
start_node a vigil "$VRRP_TMP/a.conf"
sleep 5
kill "$watcher" 2>/dev/null
wait "$watcher" 2>/dev/null
[[ ! -s $VRRP_TMP/watch ]] && ok "the VIP never left a during the restart" ||
	fail "the VIP left a during the restart: $(head -3 "$VRRP_TMP/watch")"
grep -q "resuming MASTER" "$VRRP_TMP/a.log" || fail "a did not log that it resumed MASTER"
grep -q "Entering MASTER STATE" "$VRRP_TMP/b.log" && fail "the peer became MASTER during a's restart"
only_on a 192.0.2.100 b
ok "the peer ($peer_impl) stayed BACKUP"

# A longer outage: the peer takes over; a's restart preempts back.
signal_node a KILL
reap_node a KILL
wait_vip b 192.0.2.100 yes 6000 >/dev/null
start_node a vigil "$VRRP_TMP/a.conf"
wait_vip b 192.0.2.100 no 6000 >/dev/null
sleep 1
only_on a 192.0.2.100 b
ok "after the peer took over, a preempts back and the VIP is on a only"
no_invalid_packets a b
echo "PASS"
