#!/bin/bash
# The whole test suite, as CI runs it: installs what it needs, builds, then
# runs the unit suite (plain and under ASan+UBSan; the threaded config reader's tests under TSan), the keepalived agreement
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

# Runs `meson test -C DIR ARGS...` and counts its per-test results into the
# totals.
meson_tests() { # build dir, meson test arguments...
	local dir=$1
	shift
	meson test -C "$dir" "$@" --print-errorlogs --num-processes 2
	local rc=$?
	local ok fail
	ok=$(grep -Eo '^Ok: +[0-9]+' "$dir/meson-logs/testlog.txt" | grep -Eo '[0-9]+' | tail -1)
	fail=$(grep -Eo '^Fail: +[0-9]+' "$dir/meson-logs/testlog.txt" | grep -Eo '[0-9]+' | tail -1)
	passed=$((passed + ${ok:-0}))
	failed=$((failed + ${fail:-0}))
	[ "$rc" -eq 0 ] || { [ "${fail:-0}" -gt 0 ] || failed=$((failed + 1)); }
	return 0
}

configure() { # dir, options...
	local dir=$1
	shift
	if [ -d "$dir" ]; then
		meson setup --reconfigure "$dir" "$@" >/dev/null
	else
		meson setup "$dir" "$@" >/dev/null
	fi
}

# vm: real kernel IPVS in a qemu VM (tests/vm/vm.sh, a few minutes);
# netns: root on this machine, whose kernel has no IPVS.
if configure build && ninja -C build; then
	meson_tests build --suite unit --suite agreement --suite vm --suite netns
else
	echo "=== FAILED: build"
	failed=$((failed + 1))
fi

if configure build-asan -Dsanitize=true -Db_lundef=false && ninja -C build-asan; then
	meson_tests build-asan --suite unit
else
	echo "=== FAILED: sanitizer build"
	failed=$((failed + 1))
fi

# The configuration reader (src/config/config_loader.cpp) runs on two
# threads: its tests run under ThreadSanitizer too. Only their two
# executables are built in this tree: everything else runs on one event loop
# (the daemon's SIGHUP thread only calls the reader and posts its result to
# the loop), and building it all a third time cost CI minutes.
if configure build-tsan -Db_sanitize=thread --buildtype=debugoptimized &&
	ninja -C build-tsan tests/parser/parser_test tests/config/config_test; then
	meson_tests build-tsan --no-rebuild parser config
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
