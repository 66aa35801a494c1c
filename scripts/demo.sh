#!/bin/bash
# The main job for now: check every example config with `vigil -t`, side by
# side with keepalived's verdict, then print the normalized configuration of
# the seed load balancer (Redis behind LVS-DR).
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
