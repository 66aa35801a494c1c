#!/usr/bin/env bash
# Captures what keepalived sends as a VRRP master, to refresh the golden
# packets in vrrp_packet_test.cpp and garp_test.cpp. Needs root, keepalived
# and python3. Everything stays inside two network namespaces joined by a
# veth pair (va in vigil-cap-a runs keepalived, vb in vigil-cap-b records
# every frame with an AF_PACKET socket); both are deleted on exit.
#
#   tests/vrrp/capture-keepalived.sh [KEEPALIVED]
#
# Prints, for each configuration, every distinct frame received (hex,
# Ethernet header included), VRRP advertisements, gratuitous ARPs and
# unsolicited neighbour advertisements alike; IGMP/MLD reports are left out.
set -euo pipefail

keepalived=${1:-/usr/sbin/keepalived}
work=$(mktemp -d)
a=vigil-cap-a
b=vigil-cap-b
kpid=

cleanup() {
	if [[ -n $kpid ]]; then
		kill "$kpid" 2>/dev/null || true
		wait "$kpid" 2>/dev/null || true
	fi
	ip netns del $a 2>/dev/null || true
	ip netns del $b 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

ip netns add $a
ip netns add $b
ip link add va netns $a type veth peer name vb netns $b
ip -n $a link set va address 02:00:00:00:51:01
ip -n $b link set vb address 02:00:00:00:51:02
for ns in $a:va $b:vb; do
	ip netns exec "${ns%%:*}" sysctl -qw "net.ipv6.conf.${ns##*:}.accept_dad=0"
	ip -n "${ns%%:*}" link set lo up
	ip -n "${ns%%:*}" link set "${ns##*:}" up
done
ip -n $a addr add 192.168.51.1/24 dev va
ip -n $b addr add 192.168.51.2/24 dev vb

cat >"$work/capture.py" <<'PY'
import socket, sys, time
ifname, seconds, out = sys.argv[1], float(sys.argv[2]), sys.argv[3]
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))  # ETH_P_ALL
s.bind((ifname, 0))
s.settimeout(0.2)
end = time.time() + seconds
with open(out, 'w') as f:
    while time.time() < end:
        try:
            data, addr = s.recvfrom(65535)
        except socket.timeout:
            continue
        if addr[2] != socket.PACKET_OUTGOING:
            f.write(data.hex() + '\n')
PY

# NAME GLOBAL_DEFS INSTANCE_LINES: one instance, MASTER, VRID 51, priority
# 150, run for 4.8 s (it becomes master after about 3 s; SIGTERM then makes
# it send priority 0).
run() {
	local name=$1 globals=$2 instance=$3
	cat >"$work/$name.conf" <<-CONF
	global_defs {
	  router_id capture
	  $globals
	}
	vrrp_instance VI_1 {
	  state MASTER
	  interface va
	  virtual_router_id 51
	  priority 150
	  $instance
	}
	CONF
	ip netns exec $b python3 "$work/capture.py" vb 6 "$work/$name.cap" &
	local cpid=$!
	sleep 0.3
	ip netns exec $a "$keepalived" -n -l -P -f "$work/$name.conf" -p "$work/$name.pid" \
		-r "$work/$name.vrrp.pid" >"$work/$name.log" 2>&1 &
	kpid=$!
	sleep 4.8
	kill -TERM "$kpid"
	wait "$kpid" || true
	kpid=
	wait "$cpid"
	echo "== $name"
	# Leave out IGMP (01:00:5e:00:00:16) and MLD (33:33:00:00:00:16) reports.
	grep -v -e '^01005e000016' -e '^333300000016' "$work/$name.cap" | sort -u
}

vips4='virtual_ipaddress {
    192.168.51.10/24
    192.168.51.11/24
  }'
vips6='virtual_ipaddress {
    fd00:51::10/64
    fd00:51::11/64
  }'

run v2-none '' "advert_int 1
  $vips4"
run v2-pass '' "advert_int 1
  authentication {
    auth_type PASS
    auth_pass secret1
  }
  $vips4"
run v3-ipv4 'vrrp_version 3' "advert_int 0.1
  $vips4"
run v3-ipv4-unicast-old-checksum 'vrrp_version 3' "advert_int 1
  old_unicast_checksum
  unicast_src_ip 192.168.51.1
  unicast_peer {
    192.168.51.2
  }
  $vips4"
run v3-ipv6 'vrrp_version 3' "advert_int 1
  $vips6"
ip netns exec $a sysctl -qw net.ipv6.conf.va.forwarding=1
run v3-ipv6-forwarding 'vrrp_version 3' "advert_int 1
  $vips6"
