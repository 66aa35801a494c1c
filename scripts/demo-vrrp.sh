#!/bin/bash
# The seed load balancer pair's VRRP, unchanged (examples/redis-lvs-dr:
# unicast, PASS, lb01 priority 100 and lb02 90, VIP 192.0.2.93), in two
# network namespaces on a bridge with the seeds' addresses: lb01 runs vigil,
# lb02 runs keepalived 2.2.7. Shows where the VIP is, a kill -9 of lb01 and
# lb02's takeover, lb01 coming back, and a clean stop. Needs root; run by
# scripts/demo.sh with VIGIL set.
set -euo pipefail
cd "$(dirname "$0")/.."
VIGIL=${VIGIL:-build/src/vigil}
KEEPALIVED=/usr/sbin/keepalived
# shellcheck source=../tests/netns/vrrp/lib.sh
. tests/netns/vrrp/lib.sh
vip=192.0.2.93

vrrp_setup lb01 lb02
ip -n "$(ns lb01)" addr flush dev eth0 scope global
ip -n "$(ns lb01)" addr add 192.0.2.54/24 dev eth0
ip -n "$(ns lb02)" addr flush dev eth0 scope global
ip -n "$(ns lb02)" addr add 192.0.2.64/24 dev eth0

where() {
	local node
	for node in lb01 lb02; do
		if has_vip "$node" "$vip"; then
			echo "   $node: $(ip -n "$(ns "$node")" -o -4 addr show dev eth0 | awk '{print $4}' | tr '\n' ' ')"
		else
			echo "   $node: $(ip -n "$(ns "$node")" -o -4 addr show dev eth0 | awk '{print $4}' | tr '\n' ' ')(no VIP)"
		fi
	done
}

echo "-- lb01: vigil -P -f examples/redis-lvs-dr/lb01.conf; lb02: keepalived -P -f .../lb02.conf"
start_node lb01 vigil examples/redis-lvs-dr/lb01.conf
start_node lb02 keepalived "$PWD/examples/redis-lvs-dr/lb02.conf"
t=$(wait_vip lb01 "$vip" yes 10000)
echo "   lb01 owns $vip after ${t} ms"
sleep 2
where

echo "-- kill -9 lb01 (vigil)"
start=$(now_ms)
stop_node lb01 KILL
wait_vip lb02 "$vip" yes 10000 >/dev/null
echo "   keepalived on lb02 took $vip over after $(($(now_ms) - start)) ms (bound: 3 x 1 s + (256 - 90) / 256 s = 3648 ms)"
ip -n "$(ns lb01)" addr del "$vip/32" dev eth0
where

echo "-- lb01 restarted: priority 100 preempts 90"
start_node lb01 vigil examples/redis-lvs-dr/lb01.conf
wait_vip lb01 "$vip" yes 10000 >/dev/null
wait_vip lb02 "$vip" no 5000 >/dev/null
where

echo "-- SIGTERM to lb01: it resigns with priority 0"
start=$(now_ms)
signal_node lb01 TERM
wait_vip lb02 "$vip" yes 10000 >/dev/null
echo "   lb02 is MASTER $(($(now_ms) - start)) ms later (its skew: (256 - 90) / 256 s = 648 ms)"
reap_node lb01 TERM
stop_node lb02 TERM
where
echo "-- vigil's log on lb01"
sed 's/^/   /' "$VRRP_TMP/lb01.log"
