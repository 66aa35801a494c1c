#!/bin/bash
# The demo's part inside the test VM (scripts/demo.sh): the seed load
# balancer's IPVS table as keepalived and vigil program it, then what vigil
# does beyond keepalived. Every wait is bounded.
set -u
conf=/demo/lb01.conf
stripped=/demo/lb01-no-checks.conf

wait_for() { # file regex seconds
	local n=$(($3 * 10))
	while ((n-- > 0)); do
		grep -qE -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	echo "(gave up waiting for /$2/ in $1)"
	return 1
}
stop() { # pid
	kill -TERM "$1" 2>/dev/null
	local n=100
	while ((n-- > 0)) && kill -0 "$1" 2>/dev/null; do sleep 0.1; done
}
show() { echo; echo "\$ $*"; "$@"; }

echo "== keepalived 2.2.7 -C with the seed config (checkers stripped: no Redis in this VM)"
keepalived -n -l -C -f "$stripped" -p /run/k.pid >/tmp/k.log 2>&1 &
kpid=$!
sleep 3
ipvsadm -Sn | sort >/tmp/keepalived.rules
show ipvsadm -Ln
stop "$kpid"
ipvsadm -C

echo
echo "== vigil with the same file"
vigil -n -l -G -C -f "$stripped" -p /run/v.pid >/tmp/v.log 2>&1 &
vpid=$!
wait_for /tmp/v.log 'IPVS sync \(start\)' 20
ipvsadm -Sn | sort >/tmp/vigil.rules
show ipvsadm -Ln
if cmp -s /tmp/keepalived.rules /tmp/vigil.rules; then
	echo "-> identical to keepalived's table (ipvsadm -Sn)"
else
	echo "-> DIFFERENT from keepalived's table:"
	diff /tmp/keepalived.rules /tmp/vigil.rules
fi

echo
echo "== someone deletes a real server and edits a weight by hand"
show ipvsadm -d -t 192.0.2.93:6379 -r 192.0.2.72:6379
show ipvsadm -e -t 192.0.2.93:6379 -r 192.0.2.80:6379 -g -w 9
echo "... vigil reads the table back every delay_loop (6 s) and repairs it:"
wait_for /tmp/v.log 'IPVS sync \(drift\)' 15
grep -E 'drift' /tmp/v.log | sed 's/^[^]]*\]: /   /'
show ipvsadm -Ln

echo
echo "== SIGHUP after raising one weight in the file: one netlink write"
awk '!done && sub(/weight 1/, "weight 5") { done = 1 } { print }' "$stripped" >/tmp/edited.conf
cp /tmp/edited.conf "$stripped"
kill -HUP "$vpid"
wait_for /tmp/v.log 'IPVS sync \(reload\)' 20
grep 'IPVS sync (reload)' /tmp/v.log | tail -1 | sed 's/^[^]]*\]: /   /'
echo "== SIGHUP again, nothing changed: no write"
kill -HUP "$vpid"
n=50
while ((n-- > 0)) && [ "$(grep -c 'IPVS sync (reload)' /tmp/v.log)" -lt 2 ]; do sleep 0.1; done
grep 'IPVS sync (reload)' /tmp/v.log | tail -1 | sed 's/^[^]]*\]: /   /'

echo
echo "== a service of someone else's, then SIGTERM: vigil removes its own rules only"
show ipvsadm -A -t 198.51.100.1:25 -s rr
stop "$vpid"
show ipvsadm -Ln

echo
echo "== the seed config as written (with its TCP_CHECKs) starts the same way"
ipvsadm -C
vigil -n -l -G -C -f "$conf" -p /run/v.pid >/tmp/v2.log 2>&1 &
vpid=$!
wait_for /tmp/v2.log 'IPVS sync \(start\)' 20
sed 's/^[^]]*\]: /   /' /tmp/v2.log
stop "$vpid"
