#!/bin/bash
# The seeds' Redis HA lab in the test VM (Debian's kernel under qemu, real
# IPVS): two vigil load balancers with the seed's configs, three Redis
# servers with Sentinel, a client; narrated with real output and checked
# step by step (lab-guest.sh). Used by scripts/demo.sh and by the vm test
# suite. Needs redis-server and redis-tools on the host (copied into the VM
# with their libraries).
#
#   examples/seed-redis/lab.sh VIGIL
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
(($# == 1)) || { echo "usage: $0 VIGIL" >&2; exit 2; }
vigil=$1
[[ -x $vigil ]] || { echo "FAIL: no vigil binary at $vigil"; exit 1; }
for p in redis-server redis-cli; do
	command -v "$p" >/dev/null || { echo "FAIL: $p missing (apt-get install redis-server redis-tools)"; exit 1; }
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vigil-lab.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cp "$root/examples/redis-lvs-dr/lb01.conf" "$root/examples/redis-lvs-dr/lb02.conf" \
	"$here/redis.conf" "$here/sentinel.conf" "$here/reconfig_master.sh" "$tmp/"

export VM_TIMEOUT=${VM_TIMEOUT:-600}
export VM_MEM=${VM_MEM:-1024}
"$root/tests/vm/vm.sh" run --bin "$vigil" --bin "$(command -v redis-server)" \
	--bin "$(command -v redis-cli)" --file "$tmp:/lab" \
	--module veth --module bridge \
	"$here/lab-guest.sh"
