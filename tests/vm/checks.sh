#!/bin/bash
# tests/vm/checks.sh VIGIL: the IPVS table follows the health checks, in one
# test VM, for keepalived 2.2.7 (the oracle, first) and then VIGIL, against
# the same golden tables (guest/checks.sh, configs/checks/). Passing
# keepalived as VIGIL tests the harness.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
keepalived=${KEEPALIVED:-/usr/sbin/keepalived}

(($# == 1)) || { echo "usage: $0 VIGIL" >&2; exit 2; }
vigil=$1
[[ -x $keepalived ]] || { echo "FAIL: $keepalived is not installed (scripts/install-deps.sh installs it)"; exit 1; }
[[ -x $vigil ]] || { echo "FAIL: no vigil binary at $vigil"; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vigil-vmchecks.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
echo "${keepalived##*/} ${vigil##*/}" >"$tmp/daemons"
bins=(--bin "$keepalived")
[[ ${vigil##*/} == "${keepalived##*/}" ]] || bins+=(--bin "$vigil")

export VM_TIMEOUT=${VM_TIMEOUT:-300}
status=0
"$here/vm.sh" run "${bins[@]}" \
	--file "$here/guest/lib.sh:/vm-tests/lib.sh" \
	--file "$here/configs/checks:/checks" \
	--file "$tmp/daemons:/checks/daemons" \
	"$here/guest/checks.sh" || status=$?
exit "$status"
