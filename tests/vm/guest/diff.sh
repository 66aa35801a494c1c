# Guest side of tests/vm/diff.sh (run by dash in the test VM). For each config
# in /diff/configs, runs each daemon named in /diff/daemons (the oracle,
# keepalived, and the candidate) as `DAEMON -n -l -C -f CONFIG`, and records
# what it did to IPVS: the stable table, the timeouts, its exit status on
# SIGTERM and the table it leaves behind. The records must be identical.
# Exits 1 if any config differs or a run goes wrong.
#
# The two daemons run at the same time, each in a network namespace of its
# own (so an IPVS table of its own), made alike: lo up and a dummy eth0 (-C
# ignores VRRP, but the configs' vrrp_instances name eth0). Most of a run
# is waiting for the checks to settle and the table to stay still; side by
# side, that wait is paid once per config, not twice. For the same reason
# several configs run at once (/diff/parallel of them, each pair of daemons
# in namespaces of its own: oracleN and candidateN); the reports are
# printed in the configs' order once all are done.
. /vm-tests/lib.sh

parallel=1
[ ! -r /diff/parallel ] || parallel=$(cat /diff/parallel)
case $parallel in '' | *[!0-9]* | 0) echo "FAIL: /diff/parallel is not a positive number"; exit 1 ;; esac
for slot in $(seq 1 "$parallel"); do
	for role in oracle candidate; do
		ns=$role$slot
		ip netns add "$ns" &&
			ip -n "$ns" link set lo up &&
			ip -n "$ns" link add eth0 type dummy &&
			ip -n "$ns" link set eth0 up || { echo "FAIL: cannot make namespace $ns"; exit 1; }
	done
done
mkdir -p /etc/keepalived /var/run

read -r oracle candidate </diff/daemons
problem() { # config message
	echo "FAIL $1: $2"
}

# Runs one daemon on one config in the namespace IN_NS; writes its record to
# OUT and its log to OUT.log. Returns 1 (after saying why) when the run
# itself went wrong.
record() { # daemon config out
	_d=$1 _c=$2 _o=$3 _ok=0
	ipvs_reset
	# ip netns exec execs the daemon: $! is the daemon's pid.
	ip netns exec "$IN_NS" "$_d" -n -l -C -f "$_c" -p "/run/$IN_NS.pid" -c "/run/$IN_NS.checkers.pid" \
		-r "/run/$IN_NS.vrrp.pid" >"$_o.log" 2>&1 &
	_pid=$!
	if ! wait_for_line "$_o.log" "$(ready_line "$_d")" 20; then
		echo "  $_d: no '$(ready_text "$_d")' line within 20 s"
		_ok=1
	fi
	# With checkers: their first round (warmup 0, delay_loop 1) and the
	# removals it brings.
	[ ! -e /diff/configs/settle ] || sleep "$(cat /diff/configs/settle)"
	{
		echo "== ipvsadm -Sn (sorted)"
		if ! wait_stable 20; then
			echo "(not stable within 20 s)"
			_ok=1
		fi
		echo "== ipvsadm -L --timeout"
		ipvs_timeouts
	} >"$_o"
	if ! alive "$_pid"; then
		echo "  $_d: exited on its own before SIGTERM"
		_ok=1
	fi
	kill -TERM "$_pid" 2>/dev/null
	wait_exit "$_pid" 20 || { echo "  $_d: still running 20 s after SIGTERM (killed)"; _ok=1; }
	_left=$(ipvs_table)
	{
		echo "== exit status after SIGTERM: $STOP_STATUS"
		echo "== ipvsadm -Sn after exit"
		[ -z "$_left" ] || printf '%s\n' "$_left"
	} >>"$_o"
	if [ -n "$_left" ]; then
		echo "  $_d: left rules behind after SIGTERM"
		_ok=1
	fi
	return $_ok
}

# Runs both daemons on one config in the namespaces of SLOT and compares
# their records; prints what it found. Returns 1 if they differ or a run
# went wrong.
compare() { # config slot
	conf=$1 slot=$2
	name=${conf##*/}
	name=${name%.conf}
	echo "--- $name (uptime $(cut -d' ' -f1 /proc/uptime) s)"
	ok=1 reported=0
	IN_NS=oracle$slot record "$oracle" "$conf" "/tmp/$name.oracle" &
	oracle_run=$!
	IN_NS=candidate$slot record "$candidate" "$conf" "/tmp/$name.candidate" &
	candidate_run=$!
	wait "$oracle_run" || ok=0
	wait "$candidate_run" || ok=0
	if ! diff -u --label "$oracle" --label "$candidate" "/tmp/$name.oracle" "/tmp/$name.candidate" >"/tmp/$name.diff"; then
		problem "$name" "$oracle and $candidate program IPVS differently:"
		cat "/tmp/$name.diff"
		ok=0 reported=1
	elif [ "$ok" = 1 ]; then
		echo "ok $name: same table ($(grep -c '^-[Aa] ' "/tmp/$name.oracle") rules)"
	fi
	if [ "$ok" = 0 ] || [ -e /diff/configs/verbose ]; then
		[ "$ok" = 1 ] || [ "$reported" = 1 ] || problem "$name" "a run went wrong (see above)"
		for who in oracle candidate; do
			echo "  $who record:"
			sed 's/^/    /' "/tmp/$name.$who"
			echo "  $who log (last 25 lines):"
			tail -n 25 "/tmp/$name.$who.log" | sed 's/^/    /'
		done
	fi
	[ "$ok" = 1 ]
}

# The K-th config (from 0) goes to slot K mod parallel + 1; each slot takes
# its configs in turn.
for slot in $(seq 1 "$parallel"); do
	(
		k=0
		for conf in /diff/configs/*.conf; do
			if [ $((k % parallel + 1)) = "$slot" ]; then
				name=${conf##*/}
				compare "$conf" "$slot" >"/tmp/${name%.conf}.report" 2>&1 ||
					touch "/tmp/${name%.conf}.failed"
			fi
			k=$((k + 1))
		done
	) &
done
wait
failed=0
for conf in /diff/configs/*.conf; do
	name=${conf##*/}
	name=${name%.conf}
	if [ -r "/tmp/$name.report" ]; then
		cat "/tmp/$name.report"
	else
		echo "FAIL $name: no report (its slot stopped early)"
		failed=1
	fi
	[ ! -e "/tmp/$name.failed" ] || failed=1
done
echo "--- done (uptime $(cut -d' ' -f1 /proc/uptime) s)"
for slot in $(seq 1 "$parallel"); do
	for role in oracle candidate; do
		IN_NS=$role$slot ipvs_reset
		ip netns del "$role$slot"
	done
done
exit $failed
