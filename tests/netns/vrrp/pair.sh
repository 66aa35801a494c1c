#!/bin/bash
# tests/netns/vrrp/pair.sh VIGIL KEEPALIVED IMPL_A IMPL_B MODE
#
# Two VRRP nodes on one link, A (priority 150, state MASTER) and B (100,
# BACKUP), each vigil or keepalived, in MODE:
#   v2-pass          VRRPv2, PASS authentication, advert_int 1, multicast
#   v2-pass-unicast  the seeds' LB pair: v2, PASS, unicast_src_ip / unicast_peer
#   v3               VRRPv3, advert_int 0.1, multicast
#   v3-unicast       VRRPv3, advert_int 0.1, unicast
#   v3-ipv6          VRRPv3 over IPv6 (ff02::12), advert_int 0.1
# Asserts, with `ip addr`: one MASTER and the VIP on it only, steady; kill -9
# of the master gives a takeover within 3 x interval + skew; the restarted
# node preempts back; SIGTERM hands over after the skew only (priority 0);
# SIGTERM removes the VIP; neither node logged its peer's packets as invalid.
set -euo pipefail

(($# == 5)) || { echo "usage: $0 VIGIL KEEPALIVED IMPL_A IMPL_B MODE" >&2; exit 2; }
VIGIL=$1
KEEPALIVED=$2
impl_a=$3
impl_b=$4
mode=$5
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

[[ -x $VIGIL ]] || fail "no vigil at $VIGIL"
[[ -x $KEEPALIVED ]] || fail "no keepalived at $KEEPALIVED (apt-get install keepalived)"

version=2 interval=1 auth=yes unicast=no vip=192.0.2.100 vip_len=24
case $mode in
v2-pass) ;;
v2-pass-unicast) unicast=yes ;;
v3) version=3 interval=0.1 auth=no ;;
v3-unicast) version=3 interval=0.1 auth=no unicast=yes ;;
v3-ipv6) version=3 interval=0.1 auth=no vip=2001:db8::100 vip_len=64 ;;
*) fail "unknown mode $mode" ;;
esac

# Protocol bounds in ms for the backup (priority 100): master-down and skew.
if ((version == 2)); then
	down_ms=3609 skew_ms=609
else
	down_ms=$((3 * 100 + 156 * 100 / 256)) skew_ms=$((156 * 100 / 256))
fi

write_config() { # node priority state self peer
	local file=$VRRP_TMP/$1.conf
	{
		echo "global_defs {"
		echo "    router_id node_$1"
		echo "    vrrp_version $version"
		echo "    vrrp_garp_master_delay 0"
		echo "}"
		echo "vrrp_instance VI_1 {"
		echo "    state $3"
		echo "    interface eth0"
		echo "    virtual_router_id 51"
		echo "    priority $2"
		echo "    advert_int $interval"
		if [[ $auth == yes ]]; then
			echo "    authentication {"
			echo "        auth_type PASS"
			echo "        auth_pass s3cret!"
			echo "    }"
		fi
		if [[ $unicast == yes ]]; then
			echo "    unicast_src_ip $4"
			echo "    unicast_peer {"
			echo "        $5"
			echo "    }"
		fi
		echo "    virtual_ipaddress {"
		echo "        $vip/$vip_len dev eth0"
		echo "    }"
		echo "}"
	} >"$file"
	echo "$file"
}

vrrp_setup a b
conf_a=$(write_config a 150 MASTER 192.0.2.1 192.0.2.2)
conf_b=$(write_config b 100 BACKUP 192.0.2.2 192.0.2.1)
echo "mode $mode: A=$impl_a (150) B=$impl_b (100)"

start_node a "$impl_a" "$conf_a"
start_node b "$impl_b" "$conf_b"
t=$(wait_vip a "$vip" yes $((down_ms + 3000)))
ok "A is MASTER ${t} ms after start"
# Steady: B never takes the VIP (three 1 s or ten 0.1 s intervals).
for ((i = 0; i < (version == 2 ? 3 : 10); i++)); do
	sleep "$interval"
	only_on a "$vip" b
done
ok "the VIP stays on A only"

kill_time=$(now_ms)
stop_node a KILL
t=$(wait_vip b "$vip" yes $((down_ms + 2000)))
took=$(($(now_ms) - kill_time))
((took <= down_ms + 300)) || fail "B took over ${took} ms after kill -9 of A; bound ${down_ms} ms"
ok "kill -9 of A: B is MASTER after ${took} ms (bound ${down_ms} ms)"

# A node killed with -9 leaves its VIP behind, as keepalived's does. Its pid
# files are left too: the restart must see through them.
has_vip a "$vip" || fail "A's VIP went away with A killed by -9: its VRRP process did not die at once"
# vigil adopts what its killed run left (features.sh checks the BACKUP
# case); keepalived is given a clean interface.
[[ $impl_a == vigil ]] || ip -n "$(ns a)" addr del "$vip/$vip_len" dev eth0
start_node a "$impl_a" "$conf_a"
# B yielding is the sign: a restarted vigil still holds the old VIP until
# it enters BACKUP.
wait_vip b "$vip" no $((down_ms + 3000)) >/dev/null
wait_vip a "$vip" yes 2000 >/dev/null
only_on a "$vip" b
ok "restarted A preempts B back"

term_time=$(now_ms)
signal_node a TERM
wait_vip b "$vip" yes $((down_ms + 2000)) >/dev/null
took=$(($(now_ms) - term_time))
reap_node a TERM
limit=$((skew_ms + (version == 2 ? 500 : 200)))
((took <= limit)) || fail "B took over ${took} ms after SIGTERM to A; priority 0 allows ${skew_ms} ms (+ slack: ${limit})"
has_vip a "$vip" && fail "A kept the VIP after SIGTERM"
ok "SIGTERM to A: B is MASTER after ${took} ms (skew ${skew_ms} ms); A removed its VIP"

stop_node b TERM
has_vip b "$vip" && fail "B kept the VIP after SIGTERM"
ok "SIGTERM to B removes its VIP"
no_invalid_packets a b
ok "no packet logged as invalid"
