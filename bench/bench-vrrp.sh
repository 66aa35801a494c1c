#!/bin/bash
# VRRP takeover, keepalived against vigil, side by side in one run.
#
#   bench/bench-vrrp.sh [RUNS]        (default 5; needs root)
#
# Two nodes of one implementation on a bridge in namespaces of their own
# (tests/netns/vrrp/lib.sh), A priority 150 and B 100, and a third namespace
# recording every advertisement with its time (bench/vrrp-capture.py). For
# VRRPv2 advert_int 1 and VRRPv3 0.1 / 0.05 / 0.01:
#   - takeover: kill -9 of A's VRRP process, then the time from A's last
#     advertisement to B's first, against the protocol bound (3 x interval
#     + skew for priority 100), and from the kill;
#   - startup: both started together, whether B ever advertised (a flap:
#     B became MASTER before A took over).
# Prints a markdown table; medians over RUNS.
set -euo pipefail

runs=${1:-5}
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$root/build-release}
if [[ ! -x $build/src/vigil ]]; then
	[[ -f $build/build.ninja ]] || meson setup "$build" "$root" --buildtype=release -Dtests=false >/dev/null
	ninja -C "$build" src/vigil >/dev/null
fi
VIGIL=$build/src/vigil
KEEPALIVED=${KEEPALIVED:-/usr/sbin/keepalived}
# shellcheck source=../tests/netns/vrrp/lib.sh
. "$root/tests/netns/vrrp/lib.sh"
capture=$root/bench/vrrp-capture.py
vip=192.0.2.100

vrrp_setup a b c

write_config() { # node priority state version interval
	cat >"$VRRP_TMP/$1.conf" <<EOF
global_defs {
    vrrp_version $4
    vrrp_garp_master_delay 0
}
vrrp_instance VI_1 {
    state $3
    interface eth0
    virtual_router_id 51
    priority $2
    advert_int $5
    virtual_ipaddress {
        $vip/24 dev eth0
    }
}
EOF
}

start_capture() { # seconds out
	rm -f "$2" "$2.ready"
	ip netns exec "$(ns c)" python3 "$capture" eth0 "$1" "$2" &
	capture_pid=$!
	local i
	for ((i = 0; i < 100; i++)); do
		[[ -e $2.ready ]] && return 0
		sleep 0.02
	done
	fail "capture did not start"
}

median() { sort -n | awk '{v[NR] = $1} END {if (NR == 0) print "-"; else print v[int((NR + 1) / 2)]}'; }

# One takeover; prints "FROM_LAST_MS FROM_KILL_MS".
takeover() { # impl version interval
	local impl=$1 version=$2 interval=$3
	write_config a 150 MASTER "$version" "$interval"
	write_config b 100 BACKUP "$version" "$interval"
	start_node a "$impl" "$VRRP_TMP/a.conf"
	wait_vip a "$vip" yes 10000 >/dev/null
	start_node b "$impl" "$VRRP_TMP/b.conf"
	sleep "$(awk -v i="$interval" 'BEGIN {print (10 * i > 1 ? 10 * i : 1)}')"
	start_capture "$(awk -v i="$interval" 'BEGIN {print 6 * i + 2}')" "$VRRP_TMP/cap"
	sleep "$(awk -v i="$interval" 'BEGIN {print 2 * i}')"
	local kill_at=$EPOCHREALTIME
	stop_node a KILL
	wait_vip b "$vip" yes 10000 >/dev/null
	wait "$capture_pid"
	stop_node b TERM
	ip -n "$(ns a)" addr del "$vip/24" dev eth0 2>/dev/null || true
	# A's last advertisement is the last before B's first (the kill takes
	# effect a little after kill_at was read).
	awk -v kill="$kill_at" '
		first == "" && $2 == "192.0.2.1" { last = $1 }
		first == "" && $2 == "192.0.2.2" && $4 == 100 && $1 > kill { first = $1 }
		END { if (first == "" || last == "") print "- -"; else printf "%.1f %.1f\n", (first - last) * 1000, (first - kill) * 1000 }
	' "$VRRP_TMP/cap"
}

# One simultaneous start; prints 1 when B advertised (flapped), else 0.
startup() { # impl version interval
	local impl=$1 version=$2 interval=$3
	write_config a 150 MASTER "$version" "$interval"
	write_config b 100 BACKUP "$version" "$interval"
	start_capture "$(awk -v i="$interval" 'BEGIN {print 3 + 20 * i}')" "$VRRP_TMP/cap"
	start_node a "$impl" "$VRRP_TMP/a.conf"
	start_node b "$impl" "$VRRP_TMP/b.conf"
	wait "$capture_pid"
	stop_node a TERM
	stop_node b TERM
	awk '$2 == "192.0.2.2" && $4 == 100 { flap = 1 } END { print flap + 0 }' "$VRRP_TMP/cap"
}

echo "| implementation | VRRP | advert_int | bound (ms) | takeover from last advert (ms) | from kill -9 (ms) | startup flaps |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
for spec in "2 1" "3 0.1" "3 0.05" "3 0.01"; do
	read -r version interval <<<"$spec"
	bound=$(awk -v v="$version" -v i="$interval" 'BEGIN {
		skew = (v == 2) ? 156 / 256 : 156 * i / 256; printf "%.1f", (3 * i + skew) * 1000 }')
	for impl in keepalived vigil; do
		last=() kill=() flaps=0
		for ((r = 0; r < runs; r++)); do
			read -r l k < <(takeover "$impl" "$version" "$interval")
			last+=("$l")
			kill+=("$k")
			flaps=$((flaps + $(startup "$impl" "$version" "$interval")))
		done
		echo "| $impl | v$version | $interval | $bound | $(printf '%s\n' "${last[@]}" | median) (all: ${last[*]}) | $(printf '%s\n' "${kill[@]}" | median) | $flaps of $runs |"
	done
done
