#!/bin/bash
# tests/netns/no-ipvs.sh VIGIL CONFIG: on a kernel without IPVS (this
# machine's), `vigil -n -l -C` must say once that IPVS is not available, keep
# running, and exit 0 on SIGTERM. Needs root; runs vigil in a network
# namespace of its own so nothing of the host's network is touched.
set -euo pipefail

(($# == 2)) || { echo "usage: $0 VIGIL CONFIG" >&2; exit 2; }
vigil=$1
config=$2
# keepalived's wording would differ; this is vigil's.
want='IP Virtual Server is not available: load the ip_vs module'

fail() { echo "FAIL: $*"; exit 1; }
[[ -x $vigil ]] || fail "no vigil binary at $vigil"
[[ -r $config ]] || fail "no config $config"
((EUID == 0)) || fail "needs root (a network namespace of its own)"
command -v unshare >/dev/null || fail "needs unshare (util-linux)"
# The point is a kernel without IPVS: on one with it, this test means nothing.
[[ ! -e /proc/net/ip_vs ]] || fail "this kernel has IPVS (/proc/net/ip_vs): the test needs one without"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vigil-noipvs.XXXXXX")
pid=
cleanup() {
	[[ -z $pid ]] || kill -KILL "$pid" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT

# unshare execs vigil in the new namespace: $! is vigil itself.
unshare --net "$vigil" -n -l -C -f "$config" -p "$tmp/vigil.pid" >"$tmp/log" 2>&1 &
pid=$!
show_log() { echo "vigil's output:"; sed 's/^/    /' "$tmp/log"; }

for ((i = 0; i < 50; i++)); do
	grep -qF -- "$want" "$tmp/log" && break
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.2
done
grep -qF -- "$want" "$tmp/log" || { show_log; fail "no '$want' line within 10 s"; }
echo "ok: '$want' logged"
sleep 2
kill -0 "$pid" 2>/dev/null || { show_log; fail "vigil exited (it must keep running without IPVS)"; }
echo "ok: still running 2 s later"
n=$(grep -cF -- "$want" "$tmp/log")
((n == 1)) || { show_log; fail "the line was logged $n times, want once"; }
echo "ok: logged once"

kill -TERM "$pid"
status=
for ((i = 0; i < 50; i++)); do
	if ! kill -0 "$pid" 2>/dev/null; then
		status=0
		wait "$pid" || status=$?
		break
	fi
	sleep 0.2
done
if [[ -z $status ]]; then
	show_log
	fail "still running 10 s after SIGTERM"
fi
pid=
[[ $status == 0 ]] || { show_log; fail "exit status $status after SIGTERM, want 0"; }
echo "ok: SIGTERM, exit status 0"
