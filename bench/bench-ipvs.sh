#!/usr/bin/env bash
# keepalived against vigil programming a large IPVS table, side by side in
# one boot of the test VM (tests/vm/vm.sh: Debian's kernel under qemu TCG,
# one CPU): start to all destinations in the kernel, SIGTERM to an empty
# table and to exit, RSS, and a no-op reload. Prints a markdown table and
# exits non-zero unless vigil fills the table at least MIN_SPEEDUP times
# faster (median against median).
#
#   bench/bench-ipvs.sh [N_VS [N_RS]]     (default 10000 x 10)
#
# Environment: ROUNDS (default 3; each round runs keepalived, then vigil),
# MIN_SPEEDUP (default 10), ONLY=keepalived or ONLY=vigil to run one side,
# POLL_MS (the in-guest poller's interval, default 50 ms), BUILD_DIR (default
# build-release), KEEPALIVED (default keepalived), VM_MEM (default 2560),
# VM_TIMEOUT (default from ROUNDS), KEEP_WORK=1 to keep the configuration
# and the guest's raw output. Not part of any test suite: run it by hand.
set -euo pipefail

n_vs=${1:-10000}
n_rs=${2:-10}
rounds=${ROUNDS:-3}
min_speedup=${MIN_SPEEDUP:-10}
poll_ms=${POLL_MS:-50}
only=${ONLY:-}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
build=${BUILD_DIR:-$root/build-release}
case $build in /*) ;; *) build=$root/$build ;; esac
keepalived=${KEEPALIVED:-keepalived}

die() {
	echo "bench-ipvs.sh: $*" >&2
	exit 2
}
[[ $rounds =~ ^[1-9][0-9]*$ ]] || die "ROUNDS must be a positive number"
case $only in "" | keepalived | vigil) ;; *) die "ONLY must be keepalived or vigil" ;; esac
daemons=${only:-keepalived vigil}

work=$(mktemp -d "${TMPDIR:-/tmp}/vigil-bench-ipvs.XXXXXX")
if [[ ${KEEP_WORK:-0} != 1 ]]; then
	trap 'rm -rf "$work"' EXIT
else
	echo "bench-ipvs.sh: keeping $work" >&2
fi

command -v gcc >/dev/null || die "no gcc (apt-get install gcc libc6-dev)"
# The in-guest poller: static, so that it costs one cheap exec.
gcc -O2 -Wall -Wextra -static -o "$work/ipvs-count" "$here/ipvs-count.c" 2>"$work/cc.log" ||
	{ cat "$work/cc.log" >&2; die "building bench/ipvs-count.c failed"; }
bins=(--bin "$work/ipvs-count")
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
floor=0
if [[ $daemons == "keepalived vigil" ]]; then
	# The floor (bench/ipvs-measure.cpp): vigil's netlink client alone.
	ninja -C "$build" bench/ipvs-measure >>"$work/build.log" 2>&1 ||
		{ tail -30 "$work/build.log" >&2; die "building bench/ipvs-measure failed"; }
	bins+=(--bin "$build/bench/ipvs-measure")
	floor=1
fi

conf=$work/bench.conf
python3 "$here/gen-config.py" "$n_vs" "$n_rs" >"$conf"
n_dests=$((n_vs * n_rs))
# The last virtual server of the file, the one the cheap poll looks at.
last_vs=$(awk '$1 == "virtual_server" { a = $2 ":" $3 } END { print a }' "$conf")
[[ -n $last_vs ]] || die "no virtual_server in the generated configuration"

cat >"$work/env" <<EOF
DAEMONS='$daemons'
FLOOR=$floor
ROUNDS=$rounds
N_DESTS=$n_dests
N_RS=$n_rs
LAST_VS=$last_vs
POLL_MS=$poll_ms
INTERVAL=0.1
RELOAD_INTERVAL=0.05
FILL_TIMEOUT=${FILL_TIMEOUT:-300}
RELOAD_TIMEOUT=${RELOAD_TIMEOUT:-120}
DRAIN_TIMEOUT=${DRAIN_TIMEOUT:-300}
keepalived_BIN=/usr/local/bin/keepalived
keepalived_RELOAD_DONE='Reload complete'
vigil_BIN=/usr/local/bin/vigil
vigil_RELOAD_DONE='IPVS sync (reload)'
EOF

n_daemons=$(wc -w <<<"$daemons")
export VM_MEM=${VM_MEM:-2560}
export VM_TIMEOUT=${VM_TIMEOUT:-$((120 + rounds * n_daemons * 600))}
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(date '+%Y-%m-%d %H:%M')
rc=0
"$root/tests/vm/vm.sh" run "${bins[@]}" --file "$conf:/bench/bench.conf" --file "$work/env:/bench/env" \
	"$here/bench-ipvs-guest.sh" >"$work/guest.out" 2>"$work/vm.err" || rc=$?
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
if ((rc != 0)); then
	cat "$work/guest.out" "$work/vm.err" >&2
	die "the VM run failed (status $rc)"
fi

# All values of KEY for DAEMON, one a line; only ROUND's if given.
values() { # daemon key [round]
	awk -v d="$1" -v k="$2" -v r="${3:-}" '$1 == "RESULT" && $2 == d && (r == "" || $3 == r) && $4 == k { print $5 }' "$work/guest.out"
}
# The median of the numeric values of KEY for DAEMON; "-" if it never ran
# or had no value; the non-numeric value (never, timeout) if any run had one.
median() {
	values "$1" "$2" | sort -n | awk '
		$1 !~ /^[0-9.]+$/ { odd = $1; next }
		{ v[++n] = $1 }
		END {
			if (odd != "") print odd
			else if (n == 0) print "-"
			else if (n % 2) print v[(n + 1) / 2]
			else if (v[n / 2] ~ /^[0-9]+$/ && v[n / 2 + 1] ~ /^[0-9]+$/) printf "%d\n", (v[n / 2] + v[n / 2 + 1]) / 2
			else printf "%.3f\n", (v[n / 2] + v[n / 2 + 1]) / 2
		}'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a ~ /^[0-9.]+$/ && b ~ /^[0-9.]+$/ && b > 0) printf "%.1fx", a / b; else print "-" }'; }
mb() { awk -v k="$1" 'BEGIN { if (k ~ /^[0-9.]+$/) printf "%.1f", k / 1024; else print k }'; }
row() { # label key [transform [other, default vigil]]
	local k v
	k=$(median keepalived "$2")
	v=$(median "${4:-vigil}" "$2")
	if [[ ${3:-} == mb ]]; then
		echo "| $1 | $(mb "$k") | $(mb "$v") | $(ratio "$k" "$v") |"
	else
		echo "| $1 | $k | $v | $(ratio "$k" "$v") |"
	fi
}
first() { values "$1" "$2" | head -n 1; }
detail() { awk -v d="$1" -v k="$2" '$1 == "RESULT" && $2 == d && $4 == k { $1 = $2 = $3 = $4 = ""; sub(/^ +/, ""); print; exit }' "$work/guest.out"; }

k_version=$("$keepalived" -v 2>&1 | awk 'NR == 1 { print $2 }') || k_version=""
v_version=$(git -C "$root" describe --always --dirty 2>/dev/null || true)
echo "### IPVS: $n_vs virtual servers x $n_rs real servers ($n_dests destinations), $rounds round(s), one VM boot"
echo
echo "qemu TCG, 1 CPU, $VM_MEM MB; $started; host load before / after: $load_before / $load_after"
echo
echo "| median of the rounds | keepalived ${k_version} | vigil${v_version:+ $v_version} | keepalived / vigil |"
echo "| --- | ---: | ---: | ---: |"
row "start to all destinations in the kernel (s)" fill_s
row "same, upper bound: end of the verifying full count (s)" fill_verified_s
row "SIGTERM to an empty table (s)" empty_s
row "destinations left 5 s after SIGTERM" left_5s
row "SIGTERM to process exit (s)" exit_s
row "RSS, all processes, table complete (MB)" rss_kb mb
row "no-op reload: SIGHUP to done logged (s)" reload_s
row "no-op reload: CPU time, all processes (s)" reload_cpu_s
((floor == 0)) || row "the floor: vigil's netlink client alone, the same table built in memory, exec to exit (s)" fill_s "" floor
echo "| no-op reload: IPVS writes | not logged | $(detail vigil reload_line | sed -n 's/.*IPVS sync (reload): \([0-9]*\) writes.*/\1/p' | grep . || echo -) | |"
echo
# Each round's keepalived against that round's vigil (and floor): the host's
# load moves whole rounds, and the medians above mix them.
per_round() { # other
	local r out=""
	for r in $(seq 1 "$rounds"); do
		out+="${out:+, }$(ratio "$(values keepalived fill_s "$r")" "$(values "$1" fill_s "$r")")"
	done
	echo "$out"
}
if [[ $daemons == "keepalived vigil" ]]; then
	echo "Start to all destinations, round by round: keepalived / vigil $(per_round vigil)$( ((floor)) && echo "; keepalived / floor $(per_round floor)")."
	echo
fi
echo "RSS per process (first round): keepalived $(detail keepalived rss_detail || true); vigil $(detail vigil rss_detail || true)."
echo "Poll cost, medians, keepalived / vigil runs: polling the last virtual server ($last_vs) over netlink" \
	"every $poll_ms ms from one process took $(median keepalived poll_cpu_ms) / $(median vigil poll_cpu_ms) ms of CPU per poll," \
	"$(median keepalived poll_cpu_share) / $(median vigil poll_cpu_share) % of the time to fill;" \
	"the verifying whole-table count over netlink $(median keepalived count_s) / $(median vigil count_s) s;" \
	"for comparison, counting the lines of /proc/net/ip_vs $(median keepalived proc_count_s) / $(median vigil proc_count_s) s."
echo
echo "<details><summary>per run</summary>"
echo
echo '```'
grep -E '^(RESULT|guest:|LOG)' "$work/guest.out" || true
echo '```'
echo "</details>"
echo

errors=$(awk '$1 == "RESULT" && $4 == "error"' "$work/guest.out")
if [[ -n $errors ]]; then
	echo "could not measure everything:"
	echo "$errors"
	exit 2
fi
[[ $daemons == "keepalived vigil" ]] || exit 0
k=$(median keepalived fill_s)
v=$(median vigil fill_s)
if awk -v k="$k" -v v="$v" -v m="$min_speedup" 'BEGIN { exit !(v > 0 && k / v >= m) }'; then
	echo "ok: vigil fills the table at least ${min_speedup}x faster (median)"
else
	echo "FAIL: vigil does not fill the table ${min_speedup}x faster than keepalived (median $v s against $k s)"
	exit 1
fi
