# Guest side of tests/vm/daemon.sh (run by dash in the test VM): vigil's daemon
# behaviour against real kernel IPVS. The checks run in order on one VM and
# share state (a foreign service, the running daemon); each prints what it
# checked. Exits 1 if any check fails.
. /vm-tests/lib.sh

D=$(cat /daemon/name)
READY=$(ready_line "$D") # keepalived's when the harness is being worked on
CONF=/run/vigil.conf # the file the daemon reads; replaced before SIGHUPs
PIDFILE=/run/vigil.pid
LOG=/tmp/daemon.log # every daemon run appends here: line counts only grow
FOREIGN_TABLE="-A -t 198.51.100.250:8080 -s rr
-a -t 198.51.100.250:8080 -r 198.51.100.251:8080 -m -w 4"
failed=0
pid=

pass() { echo "ok   $*"; }
fail() {
	echo "FAIL $*"
	failed=1
}
# Ends the run at a failure the later checks depend on.
abort() {
	fail "$*"
	echo "  daemon log (last 30 lines):"
	tail -n 30 "$LOG" | sed 's/^/    /'
	[ -z "$pid" ] || kill -KILL "$pid" 2>/dev/null
	exit 1
}

# The table without the foreign service, and the foreign service alone.
own_table() { ipvs_table | grep -v '198\.51\.100\.250:8080' || true; }
foreign_table() { ipvs_table | grep '198\.51\.100\.250:8080' || true; }
add_foreign() {
	ipvsadm -A -t 198.51.100.250:8080 -s rr
	ipvsadm -a -t 198.51.100.250:8080 -r 198.51.100.251:8080 -m -w 4
}
check_foreign() { # when
	_f=$(foreign_table)
	if [ "$_f" = "$FOREIGN_TABLE" ]; then
		pass "foreign service untouched $1"
	else
		fail "foreign service changed $1; now:"
		printf '%s\n' "$_f" | sed 's/^/    /'
	fi
}
# Compares the daemon's part of the table with a golden file.
check_table() { # golden what
	own_table >/tmp/table.now
	if diff -u --label "expected ($1)" --label "ipvsadm -Sn" "$1" /tmp/table.now >/tmp/table.diff; then
		pass "$2: table matches ${1##*/}"
	else
		fail "$2: table differs from ${1##*/}:"
		sed 's/^/    /' /tmp/table.diff
	fi
}
# Polls until the daemon's part of the table matches a golden file.
wait_table() { # golden seconds
	_n=$(($2 * 5))
	while [ "$_n" -gt 0 ]; do
		own_table | cmp -s - "$1" && return 0
		sleep 0.2
		_n=$((_n - 1))
	done
	return 1
}

# Lines of the log matching an ERE, and waiting for their number to grow.
lines() { grep -E -- "$1" "$LOG" 2>/dev/null || true; }
nlines() { grep -cE -- "$1" "$LOG" 2>/dev/null || true; }
wait_more() { # ere count-before seconds
	_n=$(($3 * 5))
	while [ "$_n" -gt 0 ]; do
		[ "$(nlines "$1")" -gt "$2" ] && return 0
		sleep 0.2
		_n=$((_n - 1))
	done
	return 1
}
# The W of the last "IPVS sync (KIND): W writes" line.
last_writes() { # kind
	lines "IPVS sync \\($1\\)" | tail -n 1 | sed -n 's/.*IPVS sync ([a-z]*): \([0-9]*\) write.*/\1/p'
}

# Starts the daemon on a config; waits for its start line. Extra options
# (-I) go after the config.
start() { # config what [options]
	_c=$1 _w=$2
	shift 2
	cp "$_c" "$CONF"
	_before=$(nlines "$READY")
	echo "  (starting: $D -n -l -C -f $CONF -p $PIDFILE $*)"
	"$D" -n -l -C -f "$CONF" -p "$PIDFILE" "$@" >>"$LOG" 2>&1 &
	pid=$!
	wait_more "$READY" "$_before" 20 ||
		abort "$_w: no '$(ready_text "$D")' line within 20 s"
	alive "$pid" || abort "$_w: $D exited after starting"
	pass "$_w: started: $(lines "$READY" | tail -n 1 | sed 's/^.*: \([A-Z]\)/\1/')"
}
# SIGTERM and the exit status; the daemon must be gone within 20 s.
stop() { # what
	kill -TERM "$pid"
	wait_exit "$pid" 20 || abort "$1: still running 20 s after SIGTERM"
	pid=
	if [ "$STOP_STATUS" = 0 ]; then
		pass "$1: SIGTERM, exit status 0"
	else
		fail "$1: SIGTERM, exit status $STOP_STATUS (want 0)"
	fi
}

# The Conns counter of each destination of 192.0.2.100:80, "RS CONNS" lines.
conns() {
	ipvsadm -Ln --stats -t 192.0.2.100:80 | awk '$1 == "->" && $2 ~ /^[0-9]/ { print $2, $3 }'
}

ip link add vip0 type dummy
ip link set vip0 up
# The VIP is local, so connections from the VM itself go through IPVS; the
# real servers are routed to vip0, where packets vanish: the SYNs never
# get answers, but IPVS has counted each new connection by then.
ip addr add 192.0.2.100/32 dev vip0
ip route add 203.0.113.0/24 dev vip0
mkdir -p /etc/keepalived /var/run
ipvs_reset
: >"$LOG"

echo "--- fixture: bad.conf is fatal for $D -t"
st=0
"$D" -t -f /daemon/bad.conf >/dev/null 2>&1 || st=$?
# (keepalived, which runs this script when the harness is being worked on,
# says 5.)
[ "$st" = 4 ] || [ "$D" = keepalived ] || abort "$D -t -f bad.conf exits $st, not 4: the fixture is wrong"
pass "$D -t -f bad.conf exits $st"

echo "--- lvs_flush"
add_foreign
start /daemon/flush.conf "lvs_flush"
if [ -z "$(foreign_table)" ]; then
	pass "lvs_flush: the foreign service present before start is gone"
else
	fail "lvs_flush: the foreign service survived the start:"
	foreign_table | sed 's/^/    /'
fi
check_table /daemon/flush.expected "lvs_flush"
stop "lvs_flush"
left=$(ipvs_table)
[ -z "$left" ] && pass "lvs_flush: table empty after stop" ||
	{ fail "lvs_flush: rules left after stop:"; printf '%s\n' "$left" | sed 's/^/    /'; }

echo "--- start"
ipvs_reset
add_foreign
start /daemon/daemon.conf "start"
check_table /daemon/daemon.expected "start"
check_foreign "by the start"

echo "--- drift repair (delay_loop 2)"
# Two delay_loops with nothing to repair: the foreign service is no drift.
sleep 4.5
n=$(nlines 'IPVS sync \(drift\)')
[ "$n" = 0 ] && pass "no drift reported in 4.5 s with a foreign service present" ||
	fail "drift reported with nothing changed: $(lines 'IPVS sync \(drift\)' | tail -n 1)"
check_foreign "by the periodic checks"
ipvsadm -d -t 192.0.2.100:80 -r 203.0.113.101:80
ipvsadm -e -t 192.0.2.100:80 -r 203.0.113.103:80 -m -w 7
echo "  (deleted 203.0.113.101:80, set 203.0.113.103:80 to weight 7)"
if wait_table /daemon/daemon.expected 6; then
	pass "drift: deleted destination and changed weight repaired within 3 x delay_loop"
else
	fail "drift: not repaired within 6 s"
	check_table /daemon/daemon.expected "drift"
fi
# Both changes may be found by one pass or by two: 2 writes in all.
sleep 0.5
w=$(lines 'IPVS sync \(drift\)' | sed -n 's/.*IPVS sync (drift): \([0-9]*\) write.*/\1/p' | awk '{ s += $1 } END { print s + 0 }')
[ "$w" = 2 ] && pass "drift: 2 writes reported ($(nlines 'IPVS sync \(drift\)') drift line(s))" ||
	fail "drift: $w writes reported, want 2: $(lines 'IPVS sync \(drift\)')"
check_foreign "by the repair"

echo "--- SIGHUP, config unchanged"
n=$(nlines 'IPVS sync \(reload\)')
kill -HUP "$pid"
if wait_more 'IPVS sync \(reload\)' "$n" 20; then
	w=$(last_writes reload)
	[ "$w" = 0 ] && pass "reload unchanged: $(lines 'IPVS sync \(reload\)' | tail -n 1 | sed 's/.*IPVS sync/IPVS sync/')" ||
		fail "reload unchanged: $w writes, want 0"
else
	fail "reload unchanged: no 'IPVS sync (reload)' line within 20 s"
fi
check_table /daemon/daemon.expected "reload unchanged"

echo "--- SIGHUP, one weight changed"
cp /daemon/weight.conf "$CONF"
n=$(nlines 'IPVS sync \(reload\)')
kill -HUP "$pid"
if wait_more 'IPVS sync \(reload\)' "$n" 20; then
	w=$(last_writes reload)
	[ "$w" = 1 ] && pass "reload one weight: $(lines 'IPVS sync \(reload\)' | tail -n 1 | sed 's/.*IPVS sync/IPVS sync/')" ||
		fail "reload one weight: $w writes, want 1"
else
	fail "reload one weight: no 'IPVS sync (reload)' line within 20 s"
fi
check_table /daemon/weight.expected "reload one weight"
check_foreign "by the reloads"

echo "--- SIGHUP, invalid config"
cp /daemon/bad.conf "$CONF"
n=$(wc -l <"$LOG")
kill -HUP "$pid"
# Whatever the daemon says about it, it must carry on: wait for a new log
# line (at most 10 s), then two delay_loops more.
k=20
while [ "$(wc -l <"$LOG")" -le "$n" ] && [ "$k" -gt 0 ]; do
	sleep 0.5
	k=$((k - 1))
done
sleep 4
if alive "$pid"; then
	pass "invalid config: still running 4 s after the SIGHUP"
else
	abort "invalid config: $D exited on SIGHUP with an invalid config"
fi
check_table /daemon/weight.expected "invalid config"
check_foreign "by the invalid reload"
echo "  (what $D logged:)"
tail -n "+$((n + 1))" "$LOG" | head -n 5 | sed 's/^/    /'
cp /daemon/weight.conf "$CONF"

echo "--- adoption after kill -9"
# Six connections from the VM to the VIP: IPVS schedules each (wrr 1:4:3)
# and counts it on its destination.
i=0
while [ "$i" -lt 6 ]; do
	nc -w 1 192.0.2.100 80 </dev/null >/dev/null 2>&1 &
	i=$((i + 1))
done
wait_nc=0
while pidof nc >/dev/null && [ "$wait_nc" -lt 25 ]; do
	sleep 0.2
	wait_nc=$((wait_nc + 1))
done
# The kernel folds its per-CPU counters into what ipvsadm shows every 2 s:
# wait (at most 10 s) until all six connections are counted.
k=50
while [ "$(conns | awk '{ s += $2 } END { print s + 0 }')" -lt 6 ] && [ "$k" -gt 0 ]; do
	sleep 0.2
	k=$((k - 1))
done
conns >/tmp/conns.before
if [ "$(awk '{ s += $2 } END { print s + 0 }' /tmp/conns.before)" = 6 ]; then
	pass "adoption: connections counted: $(tr '\n' ' ' </tmp/conns.before)"
else
	fail "adoption: not the six connections counted within 10 s: $(tr '\n' ' ' </tmp/conns.before)"
fi
kill -KILL "$pid"
wait "$pid" 2>/dev/null
pid=
check_table /daemon/weight.expected "after kill -9 (rules stay)"
start /daemon/weight.conf "restart after kill -9" -I
w=$(last_writes start)
[ "$w" = 0 ] && pass "restart after kill -9: 0 writes (table adopted)" ||
	fail "restart after kill -9: $w writes, want 0"
conns >/tmp/conns.after
if cmp -s /tmp/conns.before /tmp/conns.after; then
	pass "restart after kill -9: connection counters kept"
else
	fail "restart after kill -9: counters changed (destinations re-created?): before $(tr '\n' ' ' </tmp/conns.before), after $(tr '\n' ' ' </tmp/conns.after)"
fi
check_table /daemon/weight.expected "restart after kill -9"

echo "--- stop with -I, restart"
stop "stop with -I"
check_table /daemon/weight.expected "after stop with -I (rules stay)"
start /daemon/weight.conf "restart after -I stop"
w=$(last_writes start)
[ "$w" = 0 ] && pass "restart after -I stop: 0 writes (table adopted)" ||
	fail "restart after -I stop: $w writes, want 0"
conns >/tmp/conns.after
cmp -s /tmp/conns.before /tmp/conns.after && pass "restart after -I stop: connection counters kept" ||
	fail "restart after -I stop: counters changed: before $(tr '\n' ' ' </tmp/conns.before), after $(tr '\n' ' ' </tmp/conns.after)"
check_foreign "by the restarts"

echo "--- SIGTERM"
stop "final stop"
own=$(own_table)
[ -z "$own" ] && pass "final stop: every rule of $D removed" ||
	{ fail "final stop: rules left:"; printf '%s\n' "$own" | sed 's/^/    /'; }
check_foreign "by the final stop"

if [ "$failed" = 1 ]; then
	echo "--- daemon log"
	sed 's/^/    /' "$LOG"
fi
exit $failed
