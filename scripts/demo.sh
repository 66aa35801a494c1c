#!/bin/bash
# The main job: check every example config with `vigil -t`, side by side with
# keepalived's verdict, print the normalized configuration of the seed load
# balancer (Redis behind LVS-DR), then boot a throw-away VM with a real IPVS
# kernel (tests/vm/vm.sh) and run the seed load balancer there: keepalived's
# table and vigil's, drift repair, a reload that writes one change, SIGTERM;
# and the same pair's VRRP in network namespaces, lb01 on vigil and lb02 on
# keepalived (scripts/demo-vrrp.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh
[ -d build ] || meson setup build >/dev/null
ninja -C build src/vigil >/dev/null

printf '%-45s %8s %11s\n' "config" "vigil -t" "keepalived"
for f in examples/*/*.conf; do
	v=0; ./build/src/vigil -t -f "$f" 2>/dev/null || v=$?
	k=0; keepalived -t -f "$PWD/$f" 2>/dev/null || k=$?
	printf '%-45s %8s %11s\n' "$f" "$v" "$k"
done
echo
echo "== vigil -t -d -f examples/redis-lvs-dr/lb01.conf"
./build/src/vigil -t -d -f examples/redis-lvs-dr/lb01.conf || true

echo
echo "== the seed pair's VRRP in network namespaces: lb01 vigil, lb02 keepalived"
VIGIL=build/src/vigil scripts/demo-vrrp.sh

echo
echo "== the seed load balancer in a VM with kernel IPVS (about a minute)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tests/vm/strip-checkers.py examples/redis-lvs-dr/lb01.conf "$tmp/lb01-no-checks.conf"
cp examples/redis-lvs-dr/lb01.conf "$tmp/lb01.conf"
VM_TIMEOUT=300 tests/vm/vm.sh run --bin build/src/vigil --bin /usr/sbin/keepalived \
	--file "$tmp:/demo" --file scripts/demo-guest.sh:/demo/guest.sh scripts/demo-vm-init.sh
