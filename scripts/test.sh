#!/bin/bash
# The whole test suite, as CI runs it: installs what it needs, builds, then
# runs the unit suite (plain, under ASan+UBSan and under TSan), the keepalived agreement
# suite, the vm suite (real kernel IPVS under qemu: keepalived-vs-vigil tables,
# daemon behaviour), the netns suite, and a short fuzzing pass. Ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh || exit 1

passed=0
failed=0
step() { # name, command...
	local name=$1
	shift
	echo "=== $name"
	if "$@"; then
		passed=$((passed + 1))
	else
		echo "=== FAILED: $name"
		failed=$((failed + 1))
	fi
}

# Counts meson's per-test results into the totals.
meson_suite() { # build dir, suites...
	local dir=$1
	shift
	local args=()
	for s in "$@"; do args+=(--suite "$s"); done
	meson test -C "$dir" "${args[@]}" --print-errorlogs --num-processes 2
	local rc=$?
	local ok fail
	ok=$(grep -Eo '^Ok: +[0-9]+' "$dir/meson-logs/testlog.txt" | grep -Eo '[0-9]+' | tail -1)
	fail=$(grep -Eo '^Fail: +[0-9]+' "$dir/meson-logs/testlog.txt" | grep -Eo '[0-9]+' | tail -1)
	passed=$((passed + ${ok:-0}))
	failed=$((failed + ${fail:-0}))
	[ "$rc" -eq 0 ] || { [ "${fail:-0}" -gt 0 ] || failed=$((failed + 1)); }
	return 0
}

setup() { # dir, options...
	local dir=$1
	shift
	if [ -d "$dir" ]; then
		meson setup --reconfigure "$dir" "$@" >/dev/null
	else
		meson setup "$dir" "$@" >/dev/null
	fi && ninja -C "$dir"
}

# vm: real kernel IPVS in a qemu VM (tests/vm/vm.sh, a few minutes);
# netns: root on this machine, whose kernel has no IPVS.
if setup build; then
	meson_suite build unit agreement vm netns
else
	echo "=== FAILED: build"
	failed=$((failed + 1))
fi

if setup build-asan -Dsanitize=true -Db_lundef=false; then
	meson_suite build-asan unit
else
	echo "=== FAILED: sanitizer build"
	failed=$((failed + 1))
fi

# The configuration reader runs on two threads: the unit suite under
# ThreadSanitizer too.
if setup build-tsan -Db_sanitize=thread --buildtype=debugoptimized; then
	meson_suite build-tsan unit
else
	echo "=== FAILED: thread sanitizer build"
	failed=$((failed + 1))
fi

if [ -x tests/fuzz/run-fuzz.sh ]; then
	step "fuzz (30 s per target)" tests/fuzz/run-fuzz.sh 30
fi

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
