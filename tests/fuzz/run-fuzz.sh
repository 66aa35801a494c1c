#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) and runs each for
# SECONDS (default 60) over a copy of the seed corpus. Exits non-zero if any
# target crashed, leaked, hung or ran out of memory; the reproducer is left
# in $BUILD/fuzz-run/TARGET/ with the target's log.
#
#   tests/fuzz/run-fuzz.sh [SECONDS]
#
# Environment: CXX (default clang++-14), FUZZ_BUILD_DIR (default build-fuzz),
# FUZZ_TARGETS (default "fuzz_config fuzz_preprocessor fuzz_vrrp_packet
# fuzz_dns_reply fuzz_smtp_reply fuzz_http_response fuzz_tcp_answer"),
# FUZZ_JOBS (targets run at once, default: number of CPUs), FUZZ_MESON_OPTIONS
# (more options for setting up a new fuzz tree), FUZZ_FRESH=1 to
# forget the corpus grown by earlier runs, FUZZ_STEP=build to only build the
# targets (scripts/test.sh builds them while other tests run) or run to
# only run them.
set -euo pipefail

seconds=${1:-60}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${FUZZ_BUILD_DIR:-$root/build-fuzz}
case $build in /*) ;; *) build=$root/$build ;; esac
targets=${FUZZ_TARGETS:-fuzz_config fuzz_preprocessor fuzz_vrrp_packet fuzz_dns_reply fuzz_smtp_reply fuzz_http_response fuzz_tcp_answer}
jobs=${FUZZ_JOBS:-$(nproc)}

step=${FUZZ_STEP:-all}
if [[ $step != run ]]; then
	if [[ ! -f $build/build.ninja ]]; then
		# Line tables only: enough for the reports, much cheaper to build.
		# shellcheck disable=SC2086 # options, one per word
		CXX=${CXX:-clang++-14} meson setup "$build" "$root" -Dfuzz=true -Dtests=false -Dcpp_args=-g1 \
			${FUZZ_MESON_OPTIONS:-}
	fi
	ninja_targets=()
	for t in $targets; do
		ninja_targets+=("tests/fuzz/$t")
	done
	ninja -C "$build" "${ninja_targets[@]}"
fi
[[ $step != build ]] || exit 0

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# keepalived's own samples, when installed, are read as extra seeds of the
# configuration targets (not copied: libFuzzer only adds new inputs to the
# first corpus directory).
samples=()
if [[ -d /usr/share/doc/keepalived/samples ]]; then
	samples+=(/usr/share/doc/keepalived/samples)
fi

run_one() {
	local t=$1 work=$build/fuzz-run/$1
	if [[ ${FUZZ_FRESH:-0} == 1 ]]; then
		rm -rf "$work"
	fi
	mkdir -p "$work/corpus"
	rm -f "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-* "$work"/slow-unit-*
	# A target with a folder of its own under corpus/ reads binary input:
	# its seeds only, no keyword dictionary. The others read configuration
	# text: the files at the top of corpus/ and keepalived's samples.
	local options=() extra=()
	if [[ -d $here/corpus/$t ]]; then
		cp -n "$here/corpus/$t"/* "$work/corpus/"
	else
		find "$here/corpus" -maxdepth 1 -type f -exec cp -n {} "$work/corpus/" \;
		options+=(-dict="$here/keepalived.dict")
		extra+=("${samples[@]}")
	fi
	local rc=0
	"$build/tests/fuzz/$t" -max_total_time="$seconds" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
		"${options[@]}" -artifact_prefix="$work/" -print_final_stats=1 \
		"$work/corpus" "${extra[@]}" >"$work/log" 2>&1 || rc=$?
	echo "$rc" >"$work/rc"
}

echo "fuzzing $targets for ${seconds}s each, $jobs at a time; logs in $build/fuzz-run/"
running=0
for t in $targets; do
	run_one "$t" &
	running=$((running + 1))
	if ((running >= jobs)); then
		wait -n || true
		running=$((running - 1))
	fi
done
wait

status=0
for t in $targets; do
	work=$build/fuzz-run/$t
	rc=$(cat "$work/rc")
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log" | tail -1)
	cov=$(grep -o 'cov: [0-9]*' "$work/log" | tail -1)
	artifacts=$(find "$work" -maxdepth 1 \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | sort)
	if [[ $rc != 0 || -n $artifacts ]]; then
		status=1
		echo "FAIL $t: exit $rc, ${execs:-?} runs, $cov"
		grep -m1 -E 'ERROR: (libFuzzer|AddressSanitizer|LeakSanitizer)|runtime error|^fuzz_' "$work/log" || true
		for a in $artifacts; do
			echo "  reproducer: $a"
		done
		echo "  log: $work/log"
	else
		echo "ok   $t: ${execs:-?} runs in ${seconds}s, $cov, corpus $(find "$work/corpus" -type f | wc -l) files"
	fi
done
exit $status
