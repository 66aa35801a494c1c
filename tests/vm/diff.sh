#!/bin/bash
# tests/vm/diff.sh VIGIL CONFIG...: the differential test. In one test VM,
# keepalived 2.2.7 (the oracle, /usr/sbin/keepalived) and VIGIL run each
# CONFIG with `-n -l -C` side by side, several configs at once; the IPVS
# table each programs (`ipvsadm -Sn`, sorted), the IPVS timeouts, the exit
# status on SIGTERM and the table left behind must be identical. A
# difference fails the test and is printed with the config's name. Passing
# keepalived itself as VIGIL tests the harness.
#
# By default health checkers are stripped from the configs first
# (strip-checkers.py), so the table is the configuration's alone (every real
# server alive). With --checkers they stay, with their timing cut to a
# second (fast-checkers.py): in the VM no real server answers, and the
# tables both daemons hold once every check has failed must be the same.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
keepalived=${KEEPALIVED:-/usr/sbin/keepalived}

# --checkers: keep the health checkers (timing cut to a second by
# fast-checkers.py) and compare the tables once the checks have settled:
# the VM has no real servers, so every check fails for both.
checkers=0
if [[ ${1:-} == --checkers ]]; then
	checkers=1
	shift
fi
(($# >= 2)) || { echo "usage: $0 [--checkers] VIGIL CONFIG..." >&2; exit 2; }
vigil=$1
shift
[[ -x $keepalived ]] || { echo "FAIL: $keepalived is not installed (scripts/install-deps.sh installs it)"; exit 1; }
[[ -x $vigil ]] || { echo "FAIL: no vigil binary at $vigil"; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vigil-vmdiff.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/configs"
# One name per config for the guest: its folder and file name, without the
# keepalived.conf. prefix of Debian's samples or the .conf suffix.
for conf; do
	[[ -r $conf ]] || { echo "FAIL: config $conf is missing"; exit 1; }
	base=${conf##*/}
	base=${base%.gz}
	base=${base#keepalived.conf.}
	base=${base%.conf}
	dir=${conf%/*}
	dir=${dir##*/}
	name=$dir-$base
	[[ ! -e $tmp/configs/$name.conf ]] || { echo "FAIL: two configs named $name"; exit 1; }
	if ((checkers)); then
		"$here/fast-checkers.py" "$conf" "$tmp/configs/$name.conf"
	else
		"$here/strip-checkers.py" "$conf" "$tmp/configs/$name.conf"
	fi
	echo "$name: $conf"
done
echo "${keepalived##*/} ${vigil##*/}" >"$tmp/daemons"
# Seconds to let the checks settle before reading the table.
((checkers == 0)) || echo 6 >"$tmp/configs/settle"
# DIFF_VERBOSE=1 prints every record and log, not only those of failures.
[[ -z ${DIFF_VERBOSE:-} ]] || touch "$tmp/configs/verbose"
# Configs run at once in the guest (a pair of daemons each). A run is mostly
# waiting; with checkers, fewer, so that their timers still fire on time
# on the guest's one CPU. DIFF_PARALLEL overrides.
parallel=${DIFF_PARALLEL:-$((checkers ? 2 : 3))}
[[ $parallel =~ ^[1-9][0-9]*$ ]] || { echo "usage: DIFF_PARALLEL must be a positive number" >&2; exit 2; }
echo "$parallel" >"$tmp/parallel"

# Each config takes 5-10 s per daemon under TCG; the bound allows for a
# loaded machine (every wait in the guest is bounded too).
export VM_TIMEOUT=${VM_TIMEOUT:-$((120 + (30 + 20 * checkers) * $#))}
bins=(--bin "$keepalived")
[[ ${vigil##*/} == "${keepalived##*/}" ]] || bins+=(--bin "$vigil")
status=0
"$here/vm.sh" run "${bins[@]}" \
	--file "$here/guest/lib.sh:/vm-tests/lib.sh" \
	--file "$tmp/configs:/diff/configs" \
	--file "$tmp/daemons:/diff/daemons" \
	--file "$tmp/parallel:/diff/parallel" \
	--module dummy --module ip_vs_pe_sip \
	"$here/guest/diff.sh" || status=$?
exit "$status"
