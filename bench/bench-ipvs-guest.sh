#!/bin/sh
# The guest half of bench/bench-ipvs.sh: runs inside the test VM
# (tests/vm/vm.sh), starts each daemon in turn on the same configuration and
# prints one "RESULT <daemon> <round> <key> <value...>" line per figure, for
# the host half to tabulate. Not meant to be run by hand.
#
# Reads /bench/env (DAEMONS, ROUNDS, N_DESTS, N_RS, LAST_VS, POLL_MS,
# INTERVAL, RELOAD_INTERVAL, FILL_TIMEOUT, RELOAD_TIMEOUT, DRAIN_TIMEOUT, and for each
# daemon NAME_BIN and NAME_RELOAD_DONE, a grep pattern of the log line that
# says a reload is finished) and the configuration /bench/bench.conf.
#
# vm.sh runs this file with dash; bash has $EPOCHREALTIME (busybox date has
# no %N), so switch to it at once.
[ -n "${BASH_VERSION:-}" ] || exec /bin/bash "$0" "$@"
set -u

. /bench/env
conf=/bench/bench.conf
clk_tck=100 # USER_HZ, what /proc/PID/stat counts in; 100 on x86

# A sleep without a fork: read with a timeout from a FIFO nobody writes to.
mkfifo /tmp/nap.fifo
exec 9<>/tmp/nap.fifo
nap() { read -r -t "$1" -u 9 _ || true; }

# stamp VAR: the wall clock in microseconds, without a fork.
stamp() { printf -v "$1" '%s' "${EPOCHREALTIME/./}"; }
# sec MICROSECONDS: as seconds with three decimals.
sec() { printf '%d.%03d' $(($1 / 1000000)) $(($1 % 1000000 / 1000)); }

# The destinations in the whole table, counted over netlink by
# bench/ipvs-count.c (one dump of the services, one of each service's
# destinations): "SERVICES DESTINATIONS".
full_count() { ipvs-count || echo "? ?"; }
# The same from /proc/net/ip_vs: every "  -> ADDR" line except the column
# header. The kernel formats the whole table as text for this, slow at
# 100,000 entries in TCG: only timed, for the record, never polled.
proc_count() { grep -c '^  -> [^R]' /proc/net/ip_vs || true; }
# No virtual server at all: /proc/net/ip_vs has only its three header lines.
is_empty() { [ "$(head -n 4 /proc/net/ip_vs | wc -l)" -le 3 ]; }
# Whether process PID runs (a zombie does not), without a fork.
alive() {
	local line
	read -r line 2>/dev/null </proc/"$1"/stat || return 1
	case ${line##*) } in Z* | X*) return 1 ;; esac
	return 0
}

# proc_field PID N: the Nth field of /proc/PID/stat after the command name
# (1 = state, 2 = ppid, 12 = utime, 13 = stime); empty if PID is gone.
proc_field() {
	local line rest n=$2
	read -r line 2>/dev/null </proc/"$1"/stat || return 0
	rest=${line##*) }
	# shellcheck disable=SC2086 # split on purpose
	set -- $rest
	shift $((n - 1)) 2>/dev/null || return 0
	printf '%s' "$1"
}
# The daemon's process and its children (keepalived -C forks a checker).
daemon_pids() {
	local d p
	printf '%s' "$1"
	for d in /proc/[0-9]*; do
		p=${d#/proc/}
		[ "$(proc_field "$p" 2)" = "$1" ] && printf ' %s' "$p"
	done
	echo
}
rss_kb() {
	local k v u
	while read -r k v u; do
		[ "$k" = VmRSS: ] && { echo "$v"; return; }
	done </proc/"$1"/status 2>/dev/null
	echo 0
}
# CPU time, user + system, of the given processes, in clock ticks.
cpu_ticks() {
	local p total=0 u s
	for p; do
		u=$(proc_field "$p" 12)
		s=$(proc_field "$p" 13)
		total=$((total + ${u:-0} + ${s:-0}))
	done
	echo "$total"
}

result() { echo "RESULT $name $round $*"; }

# An empty table and a fresh IPVS: flush, then unload and load the ip_vs
# modules again. Flushing alone is not enough: the kernel keeps deleted
# destinations in a trash list for two minutes or more, and every destination
# added meanwhile is first looked up in it, one by one, so a run right
# after a flush of 100,000 destinations took minutes instead of seconds
# (whoever ran second would pay for the first).
reset_ipvs() {
	local m mods
	ipvsadm -C
	mods=$(grep '/ip_vs' /etc/vigil-vm/modules)
	for m in $(printf '%s\n' "$mods" | sed -n '1!G;h;$p'); do
		m=${m##*/}
		rmmod "${m%.ko}" || { echo "guest: rmmod ${m%.ko} failed"; return 1; }
	done
	for m in $mods; do
		insmod "$m" || { echo "guest: insmod $m failed"; return 1; }
	done
}

# Kills what is left of a daemon (its processes by pid) and empties the table.
cleanup() {
	local p
	for p in $pids; do kill -KILL "$p" 2>/dev/null || true; done
	wait "$pid" 2>/dev/null || true
	ipvsadm -C
}

run_one() {
	local bin=$1 done_pat=$2 log=/tmp/$name.$round.log
	local t0 t tv deadline n c cpu polls full="" how="" p list="" total=0 size th t_done="" cpu0 line epid
	local ts exit_at="" empty_at="" left5="" status

	reset_ipvs || { result error "could not reload the ip_vs modules"; return 1; }
	is_empty || { result error "the table is not empty before the start"; return 1; }
	: >/tmp/syslog.log

	# 1. Start to all destinations in the kernel. ipvs-count polls the
	# last virtual server of the file over netlink from one process (no
	# fork per poll) until it has all its real servers; then the whole
	# table is counted once. Both daemons write in the order of the file,
	# so the last virtual server complete means the table is complete, and
	# the count checks it: if it falls short, whole-table counts follow
	# and the time of the one that saw them all is reported.
	stamp t0
	"$bin" -n -l -C -f "$conf" -p "/run/$name.pid" >"$log" 2>&1 &
	pid=$!
	pids=$pid
	deadline=$((t0 + FILL_TIMEOUT * 1000000))
	if ! ipvs-count -w "$N_RS" "$LAST_VS" "$pid" "$POLL_MS" "$FILL_TIMEOUT" >/tmp/fill.out; then
		if alive "$pid"; then
			result error "table incomplete after ${FILL_TIMEOUT} s: $(full_count) of $N_DESTS"
		else
			result error "exited during start-up: $(tail -n 3 "$log" | tr '\n' ' ')"
		fi
		pids=$(daemon_pids "$pid")
		cleanup
		return 1
	fi
	read -r t n cpu polls </tmp/fill.out
	read -r n c < <(full_count)
	stamp tv
	# The poller's own cost: its CPU time over the whole wait, per poll
	# and as a share of the wait.
	result poll_cpu_ms "$((cpu / polls / 1000)).$((cpu / polls % 1000 / 100))"
	result poll_cpu_share "$((cpu * 1000 / (t - t0) / 10)).$((cpu * 1000 / (t - t0) % 10))"
	result polls "$polls"
	result count_s "$(sec $((tv - t)))"
	if [ "$c" = "$N_DESTS" ]; then
		full=$t how=last-vs
	else
		result note "last virtual server complete, whole table $c of $N_DESTS: whole-table counts from now on"
		while [ "$tv" -lt "$deadline" ]; do
			nap "$INTERVAL"
			read -r n c < <(full_count)
			stamp tv
			if [ "$c" = "$N_DESTS" ]; then
				full=$tv how=full-count
				break
			fi
		done
	fi
	if [ -z "$full" ]; then
		result error "table incomplete after ${FILL_TIMEOUT} s: $c of $N_DESTS"
		pids=$(daemon_pids "$pid")
		cleanup
		return 1
	fi
	result fill_s "$(sec $((full - t0)))"
	result fill_verified_s "$(sec $((tv - t0)))"
	result fill_how "$how"
	stamp t
	c=$(proc_count)
	stamp tv
	result proc_count_s "$(sec $((tv - t)))"
	[ "$c" = "$N_DESTS" ] || result error "/proc/net/ip_vs lists $c destinations, not $N_DESTS"

	# 3. RSS of every process of the daemon, table complete.
	pids=$(daemon_pids "$pid")
	for p in $pids; do
		n=$(rss_kb "$p")
		total=$((total + n))
		list="$list${list:+ + }$((n / 1024))"
	done
	result rss_kb "$total"
	result rss_detail "$list MB (pids $pids)"

	# 4. The no-op reload: SIGHUP with the same file, until the daemon logs
	# that it is done; the CPU time all its processes used meanwhile.
	size=$(wc -c <"$log")
	# shellcheck disable=SC2086 # a list of pids
	cpu0=$(cpu_ticks $pids)
	stamp th
	kill -HUP "$pid"
	deadline=$((th + RELOAD_TIMEOUT * 1000000))
	while :; do
		nap "$RELOAD_INTERVAL"
		line=$(tail -c +$((size + 1)) "$log" | grep -m 1 -e "$done_pat")
		stamp t
		if [ -n "$line" ]; then
			t_done=$t
			break
		fi
		[ "$t" -lt "$deadline" ] || break
	done
	pids=$(daemon_pids "$pid")
	if [ -n "$t_done" ]; then
		result reload_s "$(sec $((t_done - th)))"
		# shellcheck disable=SC2086 # a list of pids
		result reload_cpu_s "$(sec $((($(cpu_ticks $pids) - cpu0) * 1000000 / clk_tck)))"
		result reload_line "$line"
	else
		result reload_s "timeout"
		result note "no '$done_pat' within ${RELOAD_TIMEOUT} s of SIGHUP"
	fi
	read -r n c < <(full_count)
	result after_reload_dests "$c"

	# 2. SIGTERM until the table is empty (ipvs-count -e polls the first
	# page of /proc/net/ip_vs from one process) and until the process has
	# exited; what is left 5 s after the signal (a whole-table count).
	stamp ts
	kill -TERM "$pid"
	ipvs-count -e "$pid" "$POLL_MS" "$DRAIN_TIMEOUT" >/tmp/empty.out &
	epid=$!
	deadline=$((ts + DRAIN_TIMEOUT * 1000000))
	while :; do
		stamp t
		if [ -z "$exit_at" ] && ! alive "$pid"; then exit_at=$t; fi
		if [ -z "$empty_at" ] && ! alive "$epid"; then
			wait "$epid" && read -r empty_at </tmp/empty.out || empty_at=never
		fi
		if [ -z "$left5" ]; then
			if [ -n "$empty_at" ] && [ "$empty_at" != never ]; then
				left5=0
			elif [ "$t" -ge $((ts + 5000000)) ] || [ -n "$exit_at" ]; then
				# Once the process is gone the table no longer
				# changes: what is left at its exit is what is
				# left at 5 s.
				read -r n left5 < <(full_count)
			fi
		fi
		if [ -n "$exit_at" ] && [ -n "$empty_at" ] && [ -n "$left5" ]; then break; fi
		[ "$t" -lt "$deadline" ] || break
		nap "$INTERVAL"
	done
	result left_5s "${left5:-unknown}"
	if [ -n "$empty_at" ] && [ "$empty_at" != never ]; then
		result empty_s "$(sec $((empty_at - ts)))"
	else
		result empty_s "never"
		read -r n c < <(full_count)
		result left_at_end "$c"
	fi
	if [ -n "$exit_at" ]; then
		status=0
		wait "$pid" || status=$?
		result exit_s "$(sec $((exit_at - ts)))"
		result exit_status "$status"
	else
		result exit_s "timeout"
		result note "still running ${DRAIN_TIMEOUT} s after SIGTERM: killed"
	fi
	kill "$epid" 2>/dev/null || true
	cleanup
	is_empty || result error "ipvsadm -C left the table non-empty"
	grep -v -e 'Gained quorum' -e 'Shutting down service' -e 'Removing service' "$log" | tail -n 12 | sed "s/^/LOG $name $round: /"
	return 0
}

# The floor of any client: bench/ipvs-measure.cpp applies a table of the
# same shape (N_VS services of N_RS destinations, rr, persistent, direct
# routing) from requests it builds in memory, with vigil's netlink client:
# no file to read, nothing but the kernel's own work and an exec. Timed
# from the exec to its exit, which comes after the last ACK.
run_floor() {
	local t0 t n c status=0
	name=floor
	reset_ipvs || { result error "could not reload the ip_vs modules"; return 1; }
	stamp t0
	ipvs-measure "$((N_DESTS / N_RS))" "$N_RS" fill >/tmp/floor.out 2>&1 || status=$?
	stamp t
	if [ "$status" != 0 ]; then
		result error "ipvs-measure fill: $(tr '\n' ' ' </tmp/floor.out)"
	else
		result fill_s "$(sec $((t - t0)))"
	fi
	read -r n c < <(full_count)
	[ "$c" = "$N_DESTS" ] || result error "floor: $c of $N_DESTS destinations"
	ipvsadm -C
}

echo "guest: $(uname -r), $(grep -c ^processor /proc/cpuinfo) CPU, $(awk '/MemTotal/ { print int($2 / 1024) }' /proc/meminfo) MB"
# A syslog daemon, as on any host: without one, glibc's syslog() falls back
# to /dev/console, the emulated serial port, and every log line would cost
# the daemon a slow console write.
mkdir -p /run /var/run
# bash's <(...) needs /dev/fd, which devtmpfs lacks.
[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd
syslogd -O /tmp/syslog.log || echo "guest: no syslogd"

for round in $(seq 1 "$ROUNDS"); do
	for name in $DAEMONS; do
		bin_var=${name}_BIN pat_var=${name}_RELOAD_DONE
		echo "guest: round $round, $name, load $(cut -d' ' -f1-3 /proc/loadavg)"
		run_one "${!bin_var}" "${!pat_var}" || true
	done
	[ "${FLOOR:-0}" != 1 ] || run_floor || true
done
echo "guest: done"
