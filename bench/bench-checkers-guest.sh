#!/bin/sh
# shellcheck disable=SC2154 # the s_* and e_* samples are set by sample()
# The guest half of bench/bench-checkers.sh: runs inside the test VM
# (tests/vm/vm.sh). Starts bench/tcp-sink.c on PORT, then each daemon in turn
# on the same configuration (N_SERVERS real servers on 127.x.y.z:PORT, a
# TCP_CHECK each every second), lets it warm up, and measures one window of
# WINDOW seconds: CPU time and memory of its processes, connections the sink
# accepted, the kernel's TCP counters and the VM's idle time. Prints one
# "RESULT <daemon> <key> <value...>" line per figure for the host half to
# tabulate. Not meant to be run by hand.
#
# Reads /bench/env (DAEMONS, N_SERVERS, N_RS, LAST_VS, PORT, WARMUP, WINDOW,
# POLL_MS, FILL_TIMEOUT, STOP_TIMEOUT, SINK_SECS, NOFILE (empty: the VM's
# default limit on open files), STRACE and STRACE_SECS, NAME_BIN per
# daemon) and
# the configuration /bench/bench.conf.
#
# vm.sh runs this file with dash; bash has $EPOCHREALTIME, so switch to it.
[ -n "${BASH_VERSION:-}" ] || exec /bin/bash "$0" "$@"
set -u

# shellcheck disable=SC1091 # written by the host half
. /bench/env
conf=/bench/bench.conf

# A sleep without a fork: read with a timeout from a FIFO nobody writes to.
mkfifo /tmp/nap.fifo
exec 9<>/tmp/nap.fifo
nap() { read -r -t "$1" -u 9 _ || true; }
stamp() { printf -v "$1" '%s' "${EPOCHREALTIME/./}"; }
sec() { printf '%d.%03d' $(($1 / 1000000)) $(($1 % 1000000 / 1000)); }

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
children() {
	local d p
	for d in /proc/[0-9]*; do
		p=${d#/proc/}
		[ "$(proc_field "$p" 2)" = "$1" ] && printf '%s ' "$p"
	done
}
# stat_to VAR PID N: proc_field without the subshell of $(...).
stat_to() {
	local line rest
	printf -v "$1" '%s' 0
	read -r line 2>/dev/null </proc/"$2"/stat || return 0
	rest=${line##*) }
	local -a f
	read -r -a f <<<"$rest"
	printf -v "$1" '%s' "${f[$3 - 1]:-0}"
}
# status_to VAR PID FIELD: VmRSS, VmHWM... of /proc/PID/status in kB, 0 if gone.
status_to() {
	local k v
	printf -v "$1" '%s' 0
	while read -r k v _; do
		[ "$k" = "$3:" ] && { printf -v "$1" '%s' "$v"; return; }
	done </proc/"$2"/status 2>/dev/null
	return 0
}
# The kernel's counters of section SECTION (Tcp, TcpExt) in FILE
# (/proc/net/snmp, /proc/net/netstat: a header line of names, then a line of
# values), into the associative array counter[NAME]. No fork: a sample
# is taken inside the window and the VM has one slow CPU.
declare -A counter
read_counters() { # file section
	local tag names values i
	local -a n v
	while read -r tag names; do
		[ "$tag" = "$2:" ] || continue
		read -r tag values
		read -r -a n <<<"$names"
		read -r -a v <<<"$values"
		for i in "${!n[@]}"; do counter[${n[$i]}]=${v[$i]}; done
		break
	done <"$1"
}

# The sink's counter: SIGUSR1 makes it print "accepted N errors E"; the
# reply is read without a fork, into sink_acc and sink_err ("?" if none).
sink_count() {
	local -a lines f
	local before i
	mapfile -t lines </tmp/sink.out
	before=${#lines[@]}
	sink_acc="?" sink_err="?"
	kill -USR1 "$sink"
	for ((i = 0; i < 300; i++)); do
		mapfile -t lines </tmp/sink.out
		[ "${#lines[@]}" -gt "$before" ] && break
		nap 0.01
	done
	[ "${#lines[@]}" -gt "$before" ] || return 0
	read -r -a f <<<"${lines[-1]}"
	[ "${f[0]}" = accepted ] && sink_acc=${f[1]} sink_err=${f[3]}
	return 0
}

result() { echo "RESULT $name $*"; }

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

# One sample of everything, into variables with the prefix $1: the clock
# and the CPU times first, then the counters. No fork (the VM has one slow
# CPU, and the sample is taken inside the window).
sample() {
	local p=$1 t c proc user nice sys idle iowait irq softirq steal
	stamp t
	printf -v "${p}_t" '%s' "$t"
	for c in chk par sink; do
		eval "proc=\$${c}_pid"
		stat_to "${p}_${c}_u" "$proc" 12
		stat_to "${p}_${c}_s" "$proc" 13
	done
	read -r _ user nice sys idle iowait irq softirq steal _ </proc/stat
	printf -v "${p}_all" '%s' $((user + nice + sys + idle + iowait + irq + softirq + steal))
	printf -v "${p}_idle" '%s' $((idle + iowait))
	printf -v "${p}_irq" '%s' $((irq + softirq))
	read_counters /proc/net/snmp Tcp
	read_counters /proc/net/netstat TcpExt
	printf -v "${p}_active" '%s' "${counter[ActiveOpens]:-0}"
	printf -v "${p}_passive" '%s' "${counter[PassiveOpens]:-0}"
	printf -v "${p}_fails" '%s' "${counter[AttemptFails]:-0}"
	printf -v "${p}_rsts" '%s' "${counter[OutRsts]:-0}"
	printf -v "${p}_overflows" '%s' "${counter[ListenOverflows]:-0}"
	printf -v "${p}_drops" '%s' "${counter[ListenDrops]:-0}"
	sink_count
	printf -v "${p}_acc" '%s' "$sink_acc"
	printf -v "${p}_accerr" '%s' "$sink_err"
	for c in chk par sink; do
		eval "proc=\$${c}_pid"
		status_to "${p}_${c}_rss" "$proc" VmRSS
		status_to "${p}_${c}_hwm" "$proc" VmHWM
	done
}

# Waits (at most 90 s) until fewer than 50 TCP sockets are in TIME_WAIT.
settle_time_wait() {
	local i k tw
	for ((i = 0; i < 90; i++)); do
		tw=0
		while read -r k _ _ _ _ tw_key tw_val _; do
			[ "$k" = "TCP:" ] && [ "$tw_key" = tw ] && tw=$tw_val
		done </proc/net/sockstat
		[ "$tw" -lt 50 ] && { echo "guest: TIME_WAIT settled ($tw) after $i s"; return 0; }
		nap 1
	done
	echo "guest: TIME_WAIT still $tw after 90 s"
}

# d VAR: the end sample's VAR minus the start sample's.
d() { eval "echo \$((e_$1 - s_$1))"; }
ticks_s() { printf '%d.%02d' $(($1 / 100)) $(($1 % 100)); }

run_one() {
	local bin=$1 log=/tmp/$name.log t0 t n f pid_c
	reset_ipvs || { result error "could not reload the ip_vs modules"; return 1; }
	rm -f "/run/$name.pid" "/run/${name}_checkers.pid"
	stamp t0
	"$bin" -n -l -C -f "$conf" -p "/run/$name.pid" -c "/run/${name}_checkers.pid" >"$log" 2>&1 &
	pid=$!
	# The table complete: the last virtual server has all its real
	# servers (both daemons add a server with a checker as alive at start).
	if ipvs-count -w "$N_RS" "$LAST_VS" "$pid" "$POLL_MS" "$FILL_TIMEOUT" >/tmp/fill.out; then
		read -r t n < /tmp/fill.out
		result fill_s "$(sec $((t - t0)))"
	else
		result error "table not complete after ${FILL_TIMEOUT} s or daemon gone: $(tail -n 3 "$log" | tr '\n' ' ')"
	fi
	# The checker process: keepalived's -c pid file names its checker
	# child; vigil is one process (its pid file or none: its own pid).
	pid_c=""
	for _ in $(seq 1 100); do
		f=$(cat "/run/${name}_checkers.pid" 2>/dev/null || true)
		if [ -n "$f" ] && alive "$f"; then pid_c=$f; break; fi
		[ -n "$(children "$pid")" ] || { [ "$name" = vigil ] && break; }
		nap 0.1
	done
	chk_pid=${pid_c:-$pid}
	par_pid=$pid
	[ "$chk_pid" != "$par_pid" ] || par_pid=none
	result pids "daemon $pid checker $chk_pid children: $(children "$pid")"
	nap "$WARMUP"
	alive "$pid" || { result error "exited during the warm-up: $(tail -n 3 "$log" | tr '\n' ' ')"; return 1; }

	sample s
	nap "$WINDOW"
	sample e
	alive "$pid" || result error "exited during the window"

	local wall=$((e_t - s_t))
	result window_s "$(sec "$wall")"
	result chk_cpu_s "$(ticks_s $(($(d chk_u) + $(d chk_s))))"
	result chk_user_s "$(ticks_s "$(d chk_u)")"
	result chk_sys_s "$(ticks_s "$(d chk_s)")"
	# CPU % of one core: ticks (1/100 s) over the window in microseconds.
	result chk_cpu_pct "$(awk -v t=$(($(d chk_u) + $(d chk_s))) -v w="$wall" 'BEGIN { printf "%.1f", t * 1e6 / w }')"
	if [ "$par_pid" != none ]; then
		result par_cpu_s "$(ticks_s $(($(d par_u) + $(d par_s))))"
		result par_rss_kb "$e_par_rss"
		result par_hwm_kb "$e_par_hwm"
	fi
	result chk_rss_start_kb "$s_chk_rss"
	result chk_rss_kb "$e_chk_rss"
	result chk_hwm_kb "$e_chk_hwm"
	# A check: a connection the listener accepted or, with half_open (none
	# accepted), a SYN-ACK our kernel reset (Tcp OutRsts).
	local checks
	checks=$(d acc)
	if [ "$checks" = 0 ]; then
		checks=$(d rsts)
		result counted "SYN-ACKs reset (half_open)"
	else
		result counted "connections accepted"
	fi
	result checks_per_s "$(awk -v n="$checks" -v w="$wall" 'BEGIN { printf "%.0f", n * 1e6 / w }')"
	result accepted "$(d acc)"
	result accept_errors "$(d accerr)"
	result accepted_per_s "$(awk -v n="$(d acc)" -v w="$wall" 'BEGIN { printf "%.0f", n * 1e6 / w }')"
	result connects_per_s "$(awk -v n="$(d active)" -v w="$wall" 'BEGIN { printf "%.0f", n * 1e6 / w }')"
	result handshakes_per_s "$(awk -v n="$(d passive)" -v w="$wall" 'BEGIN { printf "%.0f", n * 1e6 / w }')"
	# CPU per check: what compares when the VM cannot run all the checks.
	result chk_cpu_ms_per_check "$(awk -v t=$(($(d chk_u) + $(d chk_s))) -v n="$checks" 'BEGIN { if (n > 0) printf "%.3f", t * 10 / n; else print "-" }')"
	result chk_user_ms_per_check "$(awk -v t="$(d chk_u)" -v n="$checks" 'BEGIN { if (n > 0) printf "%.3f", t * 10 / n; else print "-" }')"
	result chk_sys_ms_per_check "$(awk -v t="$(d chk_s)" -v n="$checks" 'BEGIN { if (n > 0) printf "%.3f", t * 10 / n; else print "-" }')"
	result attempt_fails "$(d fails)"
	result listen_overflows "$(d overflows)"
	result listen_drops "$(d drops)"
	result sink_cpu_s "$(ticks_s $(($(d sink_u) + $(d sink_s))))"
	result vm_busy_pct "$(awk -v a="$(d all)" -v i="$(d idle)" 'BEGIN { if (a > 0) printf "%.1f", 100 * (a - i) / a; else print "?" }')"
	result vm_irq_pct "$(awk -v a="$(d all)" -v i="$(d irq)" 'BEGIN { if (a > 0) printf "%.1f", 100 * i / a; else print "?" }')"
	read -r n f < <(ipvs-count || echo "? ?")
	result dests_end "$f"
	# Who closes first: sockets in TIME_WAIT (state 06) at the end of the
	# window, on the listener's side (local port PORT) and on the
	# checker's (the active closer keeps the TIME_WAIT).
	result time_wait "$(awk -v p="$(printf ':%04X' "$PORT")" '$4 == "06" { if (substr($2, length($2) - 4) == p) l++; else c++ } END { printf "listener %d checker %d\n", l, c }' /proc/net/tcp)"
	# Open descriptors and the limit on them, at the end of the window.
	local -a fds
	fds=(/proc/"$chk_pid"/fd/*)
	result chk_fds "${#fds[@]}"
	result chk_nofile "$(awk '/^Max open files/ { print $4 "/" $5; exit }' /proc/"$chk_pid"/limits)"
	# Checks that failed or servers taken out, as each daemon logs them.
	result fail_lines "$(grep -c -i -e 'fail' -e 'timeout' -e 'timed out' -e 'Removing service' "$log" || true)"
	grep -i -m 3 -e 'fail' -e 'timeout' -e 'timed out' -e 'Removing service' "$log" | sed "s/^/LOG $name: /"

	# STRACE=1: after the window (outside every figure above), count the
	# checker process's system calls for STRACE_SECS, against the checks
	# the listener accepted meanwhile (strace slows the daemon down; the
	# calls per check are what it shows).
	if [ "${STRACE:-0}" = 1 ]; then
		local a0
		sink_count
		a0=$sink_acc
		timeout -s INT "$STRACE_SECS" strace -c -f -p "$chk_pid" -o "/tmp/strace.$name" >/dev/null 2>&1 || true
		sink_count
		result strace_checks "$((sink_acc - a0))"
		sed "s/^/STRACE $name: /" "/tmp/strace.$name" 2>/dev/null || true
	fi

	# Stop it, bounded: SIGTERM, then SIGKILL after STOP_TIMEOUT.
	kill -TERM "$pid" 2>/dev/null
	stamp t0
	while alive "$pid"; do
		stamp t
		[ $((t - t0)) -lt $((STOP_TIMEOUT * 1000000)) ] || break
		nap 0.1
	done
	if alive "$pid"; then
		result note "still running ${STOP_TIMEOUT} s after SIGTERM: killed"
		for f in $(children "$pid") "$pid"; do kill -KILL "$f" 2>/dev/null || true; done
	fi
	wait "$pid" 2>/dev/null || true
	ipvsadm -C
	tail -n 5 "$log" | sed "s/^/LOG $name: /"
	return 0
}

echo "guest: $(uname -r), $(grep -c ^processor /proc/cpuinfo) CPU, $(awk '/MemTotal/ { print int($2 / 1024) }' /proc/meminfo) MB"
mkdir -p /run /var/run
[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd
# A syslog daemon, as on any host (see bench-ipvs-guest.sh).
syslogd -O /tmp/syslog.log || echo "guest: no syslogd"
echo "guest: somaxconn $(cat /proc/sys/net/core/somaxconn), tw buckets $(cat /proc/sys/net/ipv4/tcp_max_tw_buckets), ports $(tr '\t' ' ' </proc/sys/net/ipv4/ip_local_port_range)"

tcp-sink "$PORT" "$SINK_SECS" >/tmp/sink.out 2>&1 &
sink_pid=$!
sink=$sink_pid
for _ in $(seq 1 100); do
	grep -q listening /tmp/sink.out 2>/dev/null && break
	nap 0.05
done
grep -q listening /tmp/sink.out || { echo "RESULT all error tcp-sink did not start: $(cat /tmp/sink.out)"; exit 1; }

if [ -n "${NOFILE:-}" ]; then
	ulimit -n "$NOFILE" || echo "guest: ulimit -n $NOFILE failed"
fi
echo "guest: daemons start with ulimit -n $(ulimit -Sn) (soft) / $(ulimit -Hn) (hard)"
for name in $DAEMONS; do
	bin_var=${name}_BIN
	echo "guest: $name, load $(cut -d' ' -f1-3 /proc/loadavg)"
	run_one "${!bin_var}" || true
	# Let the sockets the last run left in TIME_WAIT (60 s on Linux) go
	# before the next one starts: thousands of them lengthen every
	# connect's search for a free 4-tuple, and the second daemon's window
	# measured 15-30% more system time, the listener's too, whichever
	# daemon ran second.
	settle_time_wait
	nap "$WARMUP"
done
kill -TERM "$sink" 2>/dev/null
wait "$sink" 2>/dev/null || true
echo "guest: sink $(tail -n 1 /tmp/sink.out)"
echo "guest: done"
