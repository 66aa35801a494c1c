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
	if [ -f "$dir/build.ninja" ]; then
		# (meson 1.0's setup --reconfigure drops new compiler arguments)
		meson configure "$dir" "$@" >/dev/null
	else
		meson setup "$dir" "$@" >/dev/null
	fi
}

# The trees: the main one at -O2 (the vm and netns suites time things),
# the sanitizer ones at -O0/-O1 (a third of the build time of -O2 under
# ASan, and the unit suite still runs in seconds); all with line tables only
# (-g1: file and line in every report and backtrace, a quarter less build
# time than full debug information).
#
# The sanitizer and fuzzing trees also compile the libraries a few files to
# a unit (-Dunity=on; the test executables always are): they build the
# libraries three more times after the main tree, on the CI machine's two
# cores, and that was their longest part. The main tree, whose vigil the vm
# and netns suites run, and the release build compile one file at a time.
side_unity=(-Dunity=on -Dunity_size=6)
configure_asan() { configure build-asan -Dsanitize=true -Db_lundef=false -Doptimization=0 -Ddebug=false -Dcpp_args=-g1 "${side_unity[@]}"; }
# The configuration reader (src/config/config_loader.cpp) runs on two
# threads: its tests run under ThreadSanitizer too. Only their two
# executables are built in this tree: everything else runs on one event loop
# (the daemon's SIGHUP thread only calls the reader and posts its result to
# the loop).
configure_tsan() { configure build-tsan -Db_sanitize=thread -Doptimization=1 -Ddebug=false -Dcpp_args=-g1 "${side_unity[@]}"; }

# The sanitizer and fuzzing builds, at the lowest priority, while the main
# tree's suites run: the vm suite keeps one core busy with qemu and the
# netns suite mostly waits, so a core would otherwise idle for ten minutes.
# Each build's output goes to build-logs/BUILD.log, its status to
# build-logs/BUILD.status.
side_builds() {
	{
		# shellcheck disable=SC2046 # one target per word
		configure_asan && ninja -C build-asan $(scripts/suite-targets.py build-asan unit)
		echo $? >build-logs/build-asan.status
	} >build-logs/build-asan.log 2>&1
	{
		configure_tsan && ninja -C build-tsan tests/parser/parser_test tests/config/config_test
		echo $? >build-logs/build-tsan.status
	} >build-logs/build-tsan.log 2>&1
	if [ -x tests/fuzz/run-fuzz.sh ]; then
		FUZZ_STEP=build FUZZ_MESON_OPTIONS="${side_unity[*]}" tests/fuzz/run-fuzz.sh >build-logs/build-fuzz.log 2>&1
		echo $? >build-logs/build-fuzz.status
	fi
}
side_ok() { # name: says why when the side build failed
	if [ "$(cat "build-logs/$1.status" 2>/dev/null)" = 0 ]; then
		return 0
	fi
	tail -n 60 "build-logs/$1.log" 2>/dev/null
	return 1
}

# vm: real kernel IPVS in a qemu VM (tests/vm/vm.sh, a few minutes);
# netns: root on this machine, whose kernel has no IPVS.
rm -rf build-logs
mkdir -p build-logs
if configure build -Dcpp_args=-g1 && ninja -C build; then
	(
		renice -n 19 -p "$BASHPID" >/dev/null
		side_builds
	) &
	side=$!
	meson_tests build --suite unit --suite agreement --suite vm --suite netns
else
	echo "=== FAILED: build"
	failed=$((failed + 1))
	side_builds
	side=
fi
[ -z "$side" ] || wait "$side"

if side_ok build-asan; then
	meson_tests build-asan --no-rebuild --suite unit
else
	echo "=== FAILED: sanitizer build"
	failed=$((failed + 1))
fi

if side_ok build-tsan; then
	meson_tests build-tsan --no-rebuild parser config
else
	echo "=== FAILED: thread sanitizer build"
	failed=$((failed + 1))
fi

if [ -x tests/fuzz/run-fuzz.sh ]; then
	if side_ok build-fuzz; then
		step "fuzz (30 s per target)" env FUZZ_STEP=run tests/fuzz/run-fuzz.sh 30
	else
		echo "=== FAILED: fuzz build"
		failed=$((failed + 1))
	fi
fi

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
