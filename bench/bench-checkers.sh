#!/usr/bin/env bash
# keepalived's checker process against vigil running TCP_CHECKs, side by
# side in one boot of the test VM (tests/vm/vm.sh: Debian's kernel under qemu
# TCG, one CPU; keepalived's checker will not run without kernel IPVS): N
# real servers on distinct loopback addresses, all answered by one
# listener (bench/tcp-sink.c), each checked every second (`delay_loop 1`,
# `TCP_CHECK { connect_timeout 1 }`). Over the same window after a warm-up:
# CPU time and RSS of the daemon's processes and the connections the
# listener accepted. Prints a markdown table; exits non-zero unless vigil
# uses at most MAX_RATIO (default 0.5) of the CPU time of keepalived's
# checker process.
#
#   bench/bench-checkers.sh [--servers N] [--per-vs N_RS]
#                           (default 10000 real servers, 100 per virtual server)
#
# Environment: WARMUP (s after the table is complete, default 10), WINDOW
# (the measured window, default 60 s), ONLY=keepalived or ONLY=vigil,
# FIRST=vigil (run vigil before keepalived), HALF_OPEN=1 (every
# TCP_CHECK gets vigil's half_open; keepalived logs it as an unknown
# keyword and connects),
# MAX_RATIO (default 0.5), PORT (default 8080), NOFILE (the daemons'
# `ulimit -n`; default: the VM's, 1024 soft), STRACE=1 (after the window,
# count the checker process's system calls for STRACE_SECS, default 5 s,
# with `strace -c`: raw output only), BUILD_DIR (default
# build-release), KEEPALIVED (default keepalived), VM_MEM (default 2048),
# VM_TIMEOUT (default from the window), KEEP_WORK=1 to keep the
# configuration and the guest's raw output. Not part of any test suite.
set -euo pipefail

n_servers=10000
n_rs=100
while (($#)); do
	case $1 in
	--servers) n_servers=${2:?--servers needs a number}; shift 2 ;;
	--per-vs) n_rs=${2:?--per-vs needs a number}; shift 2 ;;
	*) echo "usage: bench-checkers.sh [--servers N] [--per-vs N_RS]" >&2; exit 2 ;;
	esac
done
warmup=${WARMUP:-10}
window=${WINDOW:-60}
only=${ONLY:-}
max_ratio=${MAX_RATIO:-0.5}
port=${PORT:-8080}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
build=${BUILD_DIR:-$root/build-release}
case $build in /*) ;; *) build=$root/$build ;; esac
keepalived=${KEEPALIVED:-keepalived}

die() {
	echo "bench-checkers.sh: $*" >&2
	exit 2
}
for v in n_servers n_rs warmup window port; do
	[[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive number"
done
((n_servers % n_rs == 0)) || die "--servers ($n_servers) must be a multiple of --per-vs ($n_rs)"
n_vs=$((n_servers / n_rs))
case $only in "" | keepalived | vigil) ;; *) die "ONLY must be keepalived or vigil" ;; esac
case ${FIRST:-keepalived} in
keepalived) daemons=${only:-keepalived vigil} ;;
vigil) daemons=${only:-vigil keepalived} ;;
*) die "FIRST must be keepalived or vigil" ;;
esac

work=$(mktemp -d "${TMPDIR:-/tmp}/vigil-bench-checkers.XXXXXX")
if [[ ${KEEP_WORK:-0} != 1 ]]; then
	trap 'rm -rf "$work"' EXIT
else
	echo "bench-checkers.sh: keeping $work" >&2
fi

command -v gcc >/dev/null || die "no gcc (apt-get install gcc libc6-dev)"
# The listener and the table poller: static, cheap to start in the guest.
for p in tcp-sink ipvs-count; do
	gcc -O2 -Wall -Wextra -static -o "$work/$p" "$here/$p.c" 2>"$work/cc.log" ||
		{ cat "$work/cc.log" >&2; die "building bench/$p.c failed"; }
done
bins=(--bin "$work/tcp-sink" --bin "$work/ipvs-count")
if [[ ${STRACE:-0} == 1 ]]; then
	command -v strace >/dev/null || die "STRACE=1: no strace (apt-get install strace)"
	bins+=(--bin "$(command -v strace)")
fi
if [[ $daemons == *keepalived* ]]; then
	keepalived=$(command -v "$keepalived") || die "no $keepalived (apt-get install keepalived)"
	bins+=(--bin "$keepalived")
fi
if [[ $daemons == *vigil* ]]; then
	if [[ ! -f $build/build.ninja ]]; then
		meson setup "$build" "$root" --buildtype=release -Dtests=false >"$work/build.log" 2>&1 ||
			{ cat "$work/build.log" >&2; die "meson setup failed"; }
	fi
	ninja -C "$build" src/vigil >"$work/build.log" 2>&1 || { tail -30 "$work/build.log" >&2; die "building vigil failed"; }
	bins+=(--bin "$build/src/vigil")
fi

conf=$work/bench.conf
python3 "$here/gen-config.py" --loopback-checks "$port" ${HALF_OPEN:+--half-open} "$n_vs" "$n_rs" >"$conf"
last_vs=$(awk '$1 == "virtual_server" { a = $2 ":" $3 } END { print a }' "$conf")
[[ -n $last_vs ]] || die "no virtual_server in the generated configuration"

n_daemons=$(wc -w <<<"$daemons")
# Per daemon: the table, the warm-up, the window, the stop, TIME_WAIT
# settling (at most 90 s), the pause after.
per_daemon=$((120 + 2 * warmup + window + 60 + 90 + ${STRACE_SECS:-5} * 3))
cat >"$work/env" <<EOF
DAEMONS='$daemons'
N_SERVERS=$n_servers
N_RS=$n_rs
LAST_VS=$last_vs
PORT=$port
WARMUP=$warmup
WINDOW=$window
POLL_MS=100
FILL_TIMEOUT=120
STOP_TIMEOUT=60
SINK_SECS=$((n_daemons * per_daemon + 60))
NOFILE=${NOFILE:-}
STRACE=${STRACE:-0}
STRACE_SECS=${STRACE_SECS:-5}
keepalived_BIN=/usr/local/bin/keepalived
vigil_BIN=/usr/local/bin/vigil
EOF

export VM_MEM=${VM_MEM:-2048}
export VM_TIMEOUT=${VM_TIMEOUT:-$((120 + n_daemons * per_daemon))}
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(date '+%Y-%m-%d %H:%M')
rc=0
"$root/tests/vm/vm.sh" run "${bins[@]}" --file "$conf:/bench/bench.conf" --file "$work/env:/bench/env" \
	"$here/bench-checkers-guest.sh" >"$work/guest.out" 2>"$work/vm.err" || rc=$?
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
if ((rc != 0)); then
	cat "$work/guest.out" "$work/vm.err" >&2
	die "the VM run failed (status $rc)"
fi

value() { awk -v d="$1" -v k="$2" '$1 == "RESULT" && $2 == d && $3 == k { $1 = $2 = $3 = ""; sub(/^ +/, ""); print; exit }' "$work/guest.out"; }
get() { local v; v=$(value "$1" "$2"); echo "${v:--}"; }
mb() { awk -v k="$1" 'BEGIN { if (k ~ /^[0-9]+$/) printf "%.1f", k / 1024; else print "-" }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a ~ /^[0-9.]+$/ && b ~ /^[0-9.]+$/ && b > 0) printf "%.2f", a / b; else print "-" }'; }
sum() { awk -v a="$1" -v b="$2" 'BEGIN { if (a ~ /^[0-9.]+$/) printf "%.2f", a + (b ~ /^[0-9.]+$/ ? b : 0); else print "-" }'; }
row() { # label keepalived-value vigil-value [no-ratio]
	if [[ ${4:-} == no-ratio ]]; then
		echo "| $1 | $2 | $3 | |"
	else
		echo "| $1 | $2 | $3 | $(ratio "$3" "$2") |"
	fi
}
krow() { row "$1" "$(get keepalived "$2")" "$(get vigil "$2")" "${3:-}"; }
mbrow() { row "$1" "$(mb "$(get keepalived "$2")")" "$(mb "$(get vigil "$2")")"; }

k_version=$("$keepalived" -v 2>&1 | awk 'NR == 1 { print $2 }') || k_version=""
v_version=$(git -C "$root" describe --always --dirty 2>/dev/null || true)
k_all=$(sum "$(get keepalived chk_cpu_s)" "$(get keepalived par_cpu_s)")
v_all=$(sum "$(get vigil chk_cpu_s)" "$(get vigil par_cpu_s)")
echo "### Health checkers: $n_servers real servers ($n_vs x $n_rs), TCP_CHECK, delay_loop 1, one VM boot"
echo
echo "qemu TCG, 1 CPU, $VM_MEM MB; ulimit -n ${NOFILE:-as the VM sets it}; window ${window} s after the table is complete and ${warmup} s of warm-up;" \
	"$started; host load before / after: $load_before / $load_after"
echo
echo "| over the window | keepalived ${k_version} (checker process) | vigil${v_version:+ $v_version} | vigil / keepalived |"
echo "| --- | ---: | ---: | ---: |"
krow "window as measured (s)" window_s no-ratio
krow "CPU time, user + system (s)" chk_cpu_s
krow "  user (s)" chk_user_s
krow "  system (s)" chk_sys_s
krow "CPU, % of one core" chk_cpu_pct
krow "checks per second" checks_per_s
krow "  counted as" counted no-ratio
krow "CPU per check (ms)" chk_cpu_ms_per_check
krow "  user (ms)" chk_user_ms_per_check
krow "  system (ms)" chk_sys_ms_per_check
row "CPU time, all the daemon's processes (s)" "$k_all" "$v_all"
mbrow "RSS at the end (MB)" chk_rss_kb
mbrow "peak RSS, VmHWM (MB)" chk_hwm_kb
krow "connections accepted by the listener per second" accepted_per_s
krow "connections opened per second (Tcp ActiveOpens)" connects_per_s
krow "failed connections (Tcp AttemptFails)" attempt_fails no-ratio
krow "listen queue overflows (TcpExt ListenOverflows)" listen_overflows no-ratio
krow "TCP sockets in TIME_WAIT at the end, by side" time_wait no-ratio
krow "open descriptors of the checker process at the end" chk_fds no-ratio
krow "its limit on open files (soft/hard)" chk_nofile no-ratio
row "destinations in IPVS at the end (of $n_servers)" "$(get keepalived dests_end)" "$(get vigil dests_end)" no-ratio
krow "log lines about failed checks or removed servers" fail_lines no-ratio
krow "listener's CPU time (s)" sink_cpu_s no-ratio
krow "VM CPU busy, % (all processes and the kernel)" vm_busy_pct no-ratio
krow "  of which interrupts and softirqs, %" vm_irq_pct no-ratio
krow "start to all destinations in IPVS (s)" fill_s no-ratio
echo
echo "keepalived's parent process (-C: it only watches its checker child): $(get keepalived par_cpu_s) s of CPU," \
	"RSS $(mb "$(get keepalived par_rss_kb)") MB. vigil runs as one process."
echo
echo "<details><summary>raw</summary>"
echo
echo '```'
grep -E '^(RESULT|guest:|LOG|STRACE)' "$work/guest.out" || true
echo '```'
echo "</details>"
echo

# Whether the VM could run the checks asked for at all: every server is
# checked once a second, so the listener should see about N a second.
for d in $daemons; do
	a=$(get "$d" checks_per_s)
	busy=$(get "$d" vm_busy_pct)
	if awk -v a="$a" -v n="$n_servers" 'BEGIN { exit !(a ~ /^[0-9.]+$/ && a < 0.95 * n) }'; then
		echo "note: $d got $a of the $n_servers checks a second asked for (VM CPU busy $busy %):" \
			"it cannot keep up at this size in this VM; compare at a smaller --servers."
	fi
done

errors=$(awk '$1 == "RESULT" && $3 == "error"' "$work/guest.out")
if [[ -n $errors ]]; then
	echo "could not measure everything:"
	echo "$errors"
	exit 2
fi
[[ $daemons == "keepalived vigil" ]] || exit 0
k=$(get keepalived chk_cpu_s)
v=$(get vigil chk_cpu_s)
if awk -v k="$k" -v v="$v" -v m="$max_ratio" 'BEGIN { exit !(k > 0 && v / k <= m) }'; then
	echo "ok: vigil used at most ${max_ratio} of the CPU time of keepalived's checker process ($v s against $k s)"
else
	echo "FAIL: vigil used more than ${max_ratio} of the CPU time of keepalived's checker process ($v s against $k s)"
	exit 1
fi
