#!/bin/bash
# tests/netns/vrrp/features.sh VIGIL KEEPALIVED IMPL_A IMPL_B
#
# VRRPv3 (advert_int 0.1) on one link, A (150) and B (100), each vigil or
# keepalived; observed with `ip addr`, a packet socket and files the
# scripts write:
#   - the new MASTER sends gratuitous ARPs (garp_master_repeat 3) for its
#     VIPs, from its own MAC, and an unsolicited NA for the IPv6 one;
#   - notify_master / notify_backup / notify_stop / notify (with INSTANCE
#     VI_1 STATE PRIORITY appended) and a notify_fifo line
#     `INSTANCE "VI_1" MASTER 150`;
#   - a failing vrrp_script with weight -60 hands the VIPs to B, and back
#     once it succeeds again;
#   - nopreempt: a higher-priority node that starts later stays BACKUP;
#   - a vigil killed with -9 and restarted as BACKUP removes the VIP its
#     killed run left behind.
set -euo pipefail

(($# == 4)) || { echo "usage: $0 VIGIL KEEPALIVED IMPL_A IMPL_B" >&2; exit 2; }
VIGIL=$1
KEEPALIVED=$2
impl_a=$3
impl_b=$4
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"
[[ -x $VIGIL ]] || fail "no vigil at $VIGIL"
[[ -x $KEEPALIVED ]] || fail "no keepalived at $KEEPALIVED"

vip=192.0.2.100
vip6=2001:db8::100
healthy=$VRRP_TMP/healthy
notes=$VRRP_TMP/notify
fifo=$VRRP_TMP/fifo

cat >"$VRRP_TMP/note.sh" <<EOF
#!/bin/sh
echo "\$*" >>"$notes.\$1"
EOF
cat >"$VRRP_TMP/chk.sh" <<EOF
#!/bin/sh
test -e "$healthy"
EOF
chmod 755 "$VRRP_TMP/note.sh" "$VRRP_TMP/chk.sh"
chmod 755 "$VRRP_TMP"

write_config() { # node priority state extra-instance-lines
	local file=$VRRP_TMP/$1.conf
	cat >"$file" <<EOF
global_defs {
    router_id node_$1
    vrrp_version 3
    vrrp_garp_master_delay 0
    vrrp_garp_master_repeat 3
    script_user root
    vrrp_notify_fifo $fifo.$1
}
vrrp_script chk {
    script "$VRRP_TMP/chk.sh"
    interval 1
    fall 1
    rise 1
}
vrrp_instance VI_1 {
    state $3
    interface eth0
    virtual_router_id 52
    priority $2
    advert_int 0.1
    $4
    virtual_ipaddress {
        $vip/24 dev eth0
    }
    virtual_ipaddress_excluded {
        $vip6/64 dev eth0
    }
}
EOF
	echo "$file"
}

vrrp_setup a b c
touch "$healthy"

# --- GARP / NA and notifications, with the script in good health.
tracking="track_script {
        chk weight -60
    }
    notify_master \"$VRRP_TMP/note.sh master\"
    notify_backup \"$VRRP_TMP/note.sh backup\"
    notify_stop \"$VRRP_TMP/note.sh stop\"
    notify \"$VRRP_TMP/note.sh any\""
conf_a=$(write_config a 150 BACKUP "$tracking")
conf_b=$(write_config b 100 BACKUP "")
mkfifo "$fifo.a"
# The reader holds the FIFO open for the whole test.
cat "$fifo.a" >"$VRRP_TMP/fifo-lines" &
reader=$!

ip netns exec "$(ns c)" python3 "$here/sniff.py" eth0 3 "$vip" "$VRRP_TMP/garp4" &
sniff4=$!
ip netns exec "$(ns c)" python3 "$here/sniff.py" eth0 3 "$vip6" "$VRRP_TMP/garp6" &
sniff6=$!
for ((i = 0; i < 100; i++)); do
	[[ -e $VRRP_TMP/garp4.ready && -e $VRRP_TMP/garp6.ready ]] && break
	sleep 0.05
done
start_node a "$impl_a" "$conf_a"
wait_vip a "$vip" yes 3000 >/dev/null
start_node b "$impl_b" "$conf_b"
wait "$sniff4" "$sniff6"
only_on a "$vip" b
read -r count4 macs4 <"$VRRP_TMP/garp4"
read -r count6 macs6 <"$VRRP_TMP/garp6"
((count4 >= 3)) || fail "saw $count4 gratuitous ARPs for $vip, want at least 3"
[[ $macs4 == 02:00:00:00:00:01 ]] || fail "gratuitous ARPs came from '$macs4', want A's 02:00:00:00:00:01 only"
ok "A sent $count4 gratuitous ARPs for $vip from its MAC"
((count6 >= 3)) || fail "saw $count6 neighbour advertisements for $vip6, want at least 3"
[[ $macs6 == 02:00:00:00:00:01 ]] || fail "neighbour advertisements came from '$macs6'"
ok "A sent $count6 unsolicited neighbour advertisements for $vip6"

for ((i = 0; i < 100; i++)); do
	[[ -s $notes.master && -s $notes.any ]] && break
	sleep 0.05
done
grep -qx "master" "$notes.master" || fail "notify_master did not run (got: $(cat "$notes.master" 2>/dev/null))"
grep -qx "any INSTANCE VI_1 MASTER 150" "$notes.any" ||
	fail "notify got '$(cat "$notes.any" 2>/dev/null)', want 'any INSTANCE VI_1 MASTER 150'"
ok "notify_master ran; notify got 'INSTANCE VI_1 MASTER 150'"
for ((i = 0; i < 100; i++)); do
	grep -q MASTER "$VRRP_TMP/fifo-lines" && break
	sleep 0.05
done
grep -qx 'INSTANCE "VI_1" MASTER 150' "$VRRP_TMP/fifo-lines" ||
	fail "vrrp_notify_fifo got '$(cat "$VRRP_TMP/fifo-lines")', want 'INSTANCE \"VI_1\" MASTER 150'"
ok "vrrp_notify_fifo got 'INSTANCE \"VI_1\" MASTER 150'"

# --- The script fails: 150 - 60 = 90 < 100, B takes over; then back.
rm -f "$healthy"
wait_vip b "$vip" yes 5000 >/dev/null
wait_vip a "$vip" no 2000 >/dev/null
ok "failing vrrp_script (weight -60) hands the VIP to B"
for ((i = 0; i < 100; i++)); do
	grep -q "BACKUP 90" "$notes.any" 2>/dev/null && break
	sleep 0.05
done
grep -qx "any INSTANCE VI_1 BACKUP 90" "$notes.any" || fail "notify got '$(cat "$notes.any")', want a BACKUP 90 line"
grep -qx "backup" "$notes.backup" || fail "notify_backup did not run"
ok "notify_backup ran; notify got 'INSTANCE VI_1 BACKUP 90'"
touch "$healthy"
wait_vip a "$vip" yes 5000 >/dev/null
wait_vip b "$vip" no 2000 >/dev/null
ok "the script recovers: A preempts back"
stop_node a TERM
grep -qx "stop" "$notes.stop" 2>/dev/null || fail "notify_stop did not run on SIGTERM"
grep -qx "any INSTANCE VI_1 STOP 150" "$notes.any" || fail "notify got '$(cat "$notes.any")', want a STOP 150 line"
ok "SIGTERM ran notify_stop; notify got 'INSTANCE VI_1 STOP 150'"
stop_node b TERM
kill "$reader" 2>/dev/null || true

# --- nopreempt: B is MASTER first; A (150) starts later and stays BACKUP.
conf_a=$(write_config a 150 BACKUP nopreempt)
conf_b=$(write_config b 100 BACKUP nopreempt)
start_node b "$impl_b" "$conf_b"
wait_vip b "$vip" yes 3000 >/dev/null
start_node a "$impl_a" "$conf_a"
for ((i = 0; i < 20; i++)); do
	sleep 0.1
	only_on b "$vip" a
done
ok "nopreempt: A (150) stays BACKUP behind B (100) for 20 intervals"
stop_node b KILL
wait_vip a "$vip" yes 2000 >/dev/null
has_vip b "$vip" || fail "B's VIP went with B killed by -9"
ok "B killed with -9: A takes over; B's VIP is left behind on B"
if [[ $impl_b == vigil ]]; then
	# vigil takes the addresses an earlier run left as its own: as BACKUP
	# it removes them, so that only the MASTER answers for the VIP.
	start_node b "$impl_b" "$conf_b"
	wait_vip b "$vip" no 3000 >/dev/null
	for ((i = 0; i < 10; i++)); do
		sleep 0.1
		only_on a "$vip" b
	done
	ok "B restarted as BACKUP removes the VIP its killed run left behind"
	stop_node b TERM
fi
stop_node a TERM
no_invalid_packets a b
ok "no packet logged as invalid"
