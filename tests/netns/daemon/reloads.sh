#!/bin/bash
# 1,000 reloads in a loop: no growth in descriptors or memory. One vigil
# with both sides in a namespace: a VRRP instance (MASTER) and a virtual
# server whose real server answers a TCP_CHECK (a listener in the
# namespace). Each SIGHUP waits for its reload to be logged; the open
# descriptors and VmRSS after 1,000 are compared with those after a warm-up
# of 50. The VIP and the MASTER state must survive every reload.
#
#   reloads.sh VIGIL [COUNT]
set -uo pipefail
VIGIL=$1
count=${2:-1000}
here=$(dirname "$0")
KEEPALIVED=/usr/sbin/keepalived # unused; lib.sh's start_node knows both
# shellcheck source=../vrrp/lib.sh
. "$here/../vrrp/lib.sh"

vrrp_setup a
cat >"$VRRP_TMP/a.conf" <<'CONF'
vrrp_instance VI_1 {
    state MASTER
    interface eth0
    virtual_router_id 63
    priority 150
    advert_int 1
    virtual_ipaddress {
        192.0.2.100/24
    }
}
virtual_server 192.0.2.100 8080 {
    delay_loop 1
    lb_algo rr
    lb_kind DR
    protocol TCP
    real_server 192.0.2.1 8080 {
        TCP_CHECK {
            connect_timeout 1
        }
    }
}
CONF
ip netns exec "$(ns a)" python3 -c '
import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("192.0.2.1", 8080)); s.listen(64); s.settimeout(1)
end = time.time() + 600
while time.time() < end:
    try:
        c, _ = s.accept(); c.close()
    except socket.timeout:
        pass
' &
listener=$!
# Killed by lib.sh's clean-up with the nodes if the test fails: its wait
# would otherwise last the listener's 600 s.
VRRP_PID[listener]=$listener
# The first check must find it listening.
for ((i = 0; i < 100; i++)); do
	ip netns exec "$(ns a)" python3 -c 'import socket; socket.create_connection(("192.0.2.1", 8080), 1)' \
		2>/dev/null && break
	sleep 0.05
done
ip netns exec "$(ns a)" "$VIGIL" -n -l -G -f "$VRRP_TMP/a.conf" -p "$VRRP_TMP/a.pid" -r "$VRRP_TMP/a.vrrp.pid" \
	-c "$VRRP_TMP/a.chk.pid" >>"$VRRP_TMP/a.log" 2>&1 &
VRRP_PID[a]=$!
VRRP_IMPL[a]=vigil
pid=${VRRP_PID[a]}
wait_vip a 192.0.2.100 yes 8000 >/dev/null

# reload N: sends SIGHUP N times, each after the previous one finished.
reloads=0
reload() {
	local n=$1 i j done_count
	for ((i = 0; i < n; i++)); do
		kill -HUP "$pid" || fail "vigil is gone after $reloads reloads"
		reloads=$((reloads + 1))
		for ((j = 0; j < 500; j++)); do
			done_count=$(grep -c "Reload finished" "$VRRP_TMP/a.log")
			((done_count >= reloads)) && break
			sleep 0.01
		done
		((done_count >= reloads)) || fail "reload $reloads not logged within 5 s"
	done
}
usage() { # prints "FDS RSS_KB"
	local fds rss
	fds=$(find "/proc/$pid/fd" -mindepth 1 -maxdepth 1 | wc -l)
	rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")
	echo "$fds $rss"
}
reload 50
sleep 1.5 # checks in flight at the warm-up's end have finished
read -r fds0 rss0 < <(usage)
removals0=$(grep -c "Removing service" "$VRRP_TMP/a.log")
started=$SECONDS
reload "$count"
sleep 1.5
read -r fds1 rss1 < <(usage)
echo "after 50 reloads: $fds0 descriptors, VmRSS $rss0 kB; after $((50 + count)): $fds1, $rss1 kB ($((SECONDS - started)) s)"
((fds1 <= fds0)) || fail "descriptors grew from $fds0 to $fds1 over $count reloads"
# Allocator noise is a few hundred kB; a leak of even 1 kB a reload is 1 MB.
((rss1 - rss0 < 1024)) || fail "VmRSS grew by $((rss1 - rss0)) kB over $count reloads"
ok "$count reloads: descriptors $fds0 -> $fds1, VmRSS $rss0 -> $rss1 kB"
grep -c "Entering" "$VRRP_TMP/a.log" | grep -qx 2 || fail "a VRRP transition during the reloads: $(grep Entering "$VRRP_TMP/a.log")"
has_vip a 192.0.2.100 || fail "the VIP is gone"
if (($(grep -c "Removing service" "$VRRP_TMP/a.log") != removals0)); then
	fail "the real server left during the reloads: $(grep -v Reloading "$VRRP_TMP/a.log" | tail -n 12)"
fi
ok "MASTER throughout, the real server never removed"
kill "$listener" 2>/dev/null
unset "VRRP_PID[listener]"
stop_node a TERM
echo "PASS"
