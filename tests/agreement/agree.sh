#!/bin/bash
# agree.sh VIGIL CONFIG: `vigil -t` and `keepalived -t` must exit with the
# same status on CONFIG. Both outputs are shown when they differ.
set -u
vigil=$1
config=$2
if ! command -v keepalived >/dev/null; then
	echo "keepalived is not installed: this test cannot run (scripts/install-deps.sh installs it)"
	exit 1
fi
if [ ! -r "$config" ]; then
	echo "config $config is missing"
	exit 1
fi
k_out=$(timeout 30 keepalived -t -f "$config" 2>&1)
k=$?
v_out=$(timeout 30 "$vigil" -t -f "$config" 2>&1)
v=$?
echo "keepalived -t: $k"
echo "$k_out"
echo "vigil -t: $v"
echo "$v_out"
[ "$k" -eq "$v" ]
