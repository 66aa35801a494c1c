#!/bin/bash
# tests/vm/daemon.sh VIGIL: vigil's daemon behaviour against real kernel IPVS,
# in one test VM (guest/daemon.sh has the checks): lvs_flush; start matches a
# golden table; drift repaired within delay_loop, a foreign service left
# alone; SIGHUP with the same config writes nothing, with one weight changed
# writes once; an invalid config on SIGHUP changes nothing; a restart after
# kill -9 or after a stop with -I adopts the table (0 writes, counters
# kept); SIGTERM removes vigil's rules and only those, exit status 0.
# Configs and golden tables are in configs/daemon/.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

(($# == 1)) || { echo "usage: $0 VIGIL" >&2; exit 2; }
vigil=$1
[[ -x $vigil ]] || { echo "FAIL: no vigil binary at $vigil"; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vigil-vmdaemon.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
echo "${vigil##*/}" >"$tmp/name"

export VM_TIMEOUT=${VM_TIMEOUT:-400}
status=0
"$here/vm.sh" run --bin "$vigil" \
	--file "$here/guest/lib.sh:/vm-tests/lib.sh" \
	--file "$here/configs/daemon:/daemon" \
	--file "$tmp/name:/daemon/name" \
	--module dummy \
	"$here/guest/daemon.sh" || status=$?
exit "$status"
