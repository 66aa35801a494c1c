#!/bin/bash
# The main job: check every example config with `vigil -t`, side by side with
# keepalived's verdict; then the seeds' Redis HA lab in a throw-away VM with
# a real IPVS kernel (examples/seed-redis/lab.sh: two vigil load balancers
# with the seed's configs, three Redis servers with Sentinel, a client;
# round-robin reads, a load balancer failing, a Redis server leaving and
# returning, a Sentinel failover moving the write VIP); then the normalized
# seed configuration, the same pair's VRRP in network namespaces with lb02
# on keepalived (scripts/demo-vrrp.sh), and the seed load balancer in the VM
# next to keepalived: both tables, drift repair, a reload that writes one
# change, SIGTERM.
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
echo "== the seeds' Redis lab in a VM with kernel IPVS (a few minutes)"
examples/seed-redis/lab.sh build/src/vigil

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
