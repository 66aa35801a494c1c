#!/usr/bin/env bash
# `keepalived -t` against `vigil -t` on the same generated configuration,
# side by side in one run: wall time (best and median of RUNS) and maximum
# resident set size. Prints a markdown table and exits non-zero unless vigil
# is at least MIN_SPEEDUP times faster (median against median).
#
#   bench/bench-config-test.sh [N_VS [N_RS]]     (default 10000 x 10)
#
# Environment: RUNS (default 5), MIN_SPEEDUP (default 10), BUILD_DIR
# (default build-release), KEEPALIVED (default keepalived), KEEP_CONF=1 to
# keep the generated file. Not part of any test suite: run it by hand.
set -euo pipefail

n_vs=${1:-10000}
n_rs=${2:-10}
runs=${RUNS:-5}
min_speedup=${MIN_SPEEDUP:-10}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
build=${BUILD_DIR:-$root/build-release}
case $build in /*) ;; *) build=$root/$build ;; esac
keepalived=${KEEPALIVED:-keepalived}

die() {
	echo "bench-config-test.sh: $*" >&2
	exit 2
}
command -v "$keepalived" >/dev/null || die "no $keepalived (apt-get install keepalived)"
[[ -x /usr/bin/time ]] || die "no /usr/bin/time (apt-get install time)"

work=$(mktemp -d "${TMPDIR:-/tmp}/vigil-bench.XXXXXX")
if [[ ${KEEP_CONF:-0} != 1 ]]; then
	trap 'rm -rf "$work"' EXIT
fi

if [[ ! -f $build/build.ninja ]]; then
	meson setup "$build" "$root" --buildtype=release -Dtests=false >"$work/build.log" 2>&1 ||
		{ cat "$work/build.log" >&2; die "meson setup failed"; }
fi
ninja -C "$build" src/vigil >"$work/build.log" 2>&1 || { tail -30 "$work/build.log" >&2; die "building vigil failed"; }
vigil=$build/src/vigil
conf=$work/keepalived.conf
python3 "$here/gen-config.py" "$n_vs" "$n_rs" >"$conf"
size=$(stat -c %s "$conf")

# Both must accept the file, or the timings compare different work.
check() {
	local name=$1
	shift
	local rc=0
	"$@" -t -f "$conf" >"$work/$name.out" 2>&1 || rc=$?
	if ((rc != 0)); then
		echo "$name -t exited $rc on the generated config:" >&2
		head -20 "$work/$name.out" >&2
		exit 2
	fi
}
check keepalived "$keepalived"
check vigil "$vigil"

# One run: wall seconds, bash's microsecond clock around the program alone
# (no wrapper process in the timing); then a separate run under GNU time
# for the maximum RSS in KB (%M) and the CPU time, user + system, of all
# threads (%U %S): vigil reads on one thread and builds the model on
# another, so its CPU time is more than its wall time.
measure() {
	local name=$1
	shift
	local start end
	start=$EPOCHREALTIME
	"$@" -t -f "$conf" >/dev/null 2>&1
	end=$EPOCHREALTIME
	/usr/bin/time -f '%M %U %S' -o "$work/rss" "$@" -t -f "$conf" >/dev/null 2>&1
	echo "$start $end $(tail -1 "$work/rss")" |
		awk '{ printf "%.6f %d %.3f\n", $2 - $1, $3, $4 + $5 }' >>"$work/$name.runs"
}

# Interleaved, so that a slow moment of the machine hits both alike.
for ((i = 0; i < runs; i++)); do
	measure keepalived "$keepalived"
	measure vigil "$vigil"
done

# The median of column $2 of file $1.
median() {
	sort -n -k"$2","$2" "$1" | awk -v k="$2" '
		{ v[NR] = $k }
		END { printf "%.3f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
# best median maxrss cpu-median over the runs of one program
stats() {
	local f=$work/$1.runs
	echo "$(sort -n -k1,1 "$f" | awk 'NR == 1 { printf "%.3f", $1 }') $(median "$f" 1)" \
		"$(sort -n -k2,2 "$f" | awk 'END { print $2 }') $(median "$f" 3)"
}
read -r k_best k_median k_rss k_cpu < <(stats keepalived)
read -r v_best v_median v_rss v_cpu < <(stats vigil)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1fx", a / b; else print "inf" }'; }

k_version=$("$keepalived" -v 2>&1 | awk 'NR == 1 { print $2 }')
echo "### \`-t\` on $n_vs virtual servers x $n_rs real servers ($(awk -v s="$size" 'BEGIN { printf "%.1f", s / 1e6 }') MB), $runs runs each"
echo
v_version=$(git -C "$root" describe --always --dirty 2>/dev/null || true)
echo "| | keepalived $k_version | vigil${v_version:+ $v_version} | keepalived / vigil |"
echo "| --- | ---: | ---: | ---: |"
echo "| wall time, best (s) | $k_best | $v_best | $(ratio "$k_best" "$v_best") |"
echo "| wall time, median (s) | $k_median | $v_median | $(ratio "$k_median" "$v_median") |"
echo "| CPU time, user + system, median (s) | $k_cpu | $v_cpu | $(ratio "$k_cpu" "$v_cpu") |"
echo "| max RSS (KB) | $k_rss | $v_rss | $(ratio "$k_rss" "$v_rss") |"
echo

if awk -v k="$k_median" -v v="$v_median" -v m="$min_speedup" 'BEGIN { exit !(v > 0 && k / v >= m) }'; then
	echo "ok: vigil is at least ${min_speedup}x faster (median)"
else
	echo "FAIL: vigil is not ${min_speedup}x faster than keepalived (median $v_median s against $k_median s)"
	exit 1
fi
