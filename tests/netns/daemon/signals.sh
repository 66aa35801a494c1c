#!/bin/bash
# keepalived's command line and signals on vigil, next to Debian's
# keepalived 2.2.7 in the same VRRP pair: --signum prints keepalived's
# numbers; SIGUSR1, SIGUSR2 and SIGRTMIN+2 write /tmp/keepalived.data,
# .stats and .json in keepalived's layout (what exporters parse) and
# /tmp/vigil.json; STATS_CLEAR clears the counters; -s NAME runs vigil in a
# namespace without `ip netns exec`; -g logs to a file; -V leaves the VIPs
# on stop, a plain SIGTERM removes them.
#
#   signals.sh VIGIL KEEPALIVED
set -uo pipefail
VIGIL=$1
KEEPALIVED=$2
here=$(dirname "$0")
# shellcheck source=../vrrp/lib.sh
. "$here/../vrrp/lib.sh"
[[ -x $KEEPALIVED ]] || fail "keepalived not found at $KEEPALIVED (apt-get install keepalived)"

dumps=(/tmp/keepalived.data /tmp/keepalived_parent.data /tmp/keepalived.stats /tmp/keepalived.json /tmp/vigil.json)
# The dump files are keepalived's fixed paths: set aside what was there.
for f in "${dumps[@]}"; do [[ -e $f ]] && mv "$f" "$f.before-signals-test.$$"; done
restore_dumps() {
	local f
	for f in "${dumps[@]}"; do
		rm -f "$f"
		[[ -e $f.before-signals-test.$$ ]] && mv "$f.before-signals-test.$$" "$f"
	done
	vrrp_cleanup
}
trap restore_dumps EXIT

# --signum: the same numbers as keepalived's, and its refusal.
for name in STOP RELOAD DATA STATS STATS_CLEAR JSON; do
	want=$("$KEEPALIVED" --signum=$name 2>&1)
	got=$("$VIGIL" --signum=$name 2>&1)
	[[ $got == "$want" ]] || fail "--signum=$name: vigil $got, keepalived $want"
done
"$VIGIL" --signum=NOPE >/dev/null 2>&1 && fail "--signum=NOPE succeeded"
ok "--signum gives keepalived's numbers"

vrrp_setup a b
conf() { # PRIORITY STATE
	cat <<CONF
vrrp_script chk {
    script "/bin/true"
    interval 1
    weight -20
}
vrrp_instance VI_1 {
    state $2
    interface eth0
    virtual_router_id 61
    priority $1
    advert_int 1
    authentication {
        auth_type PASS
        auth_pass s3cret
    }
    virtual_ipaddress {
        192.0.2.100
    }
    track_script {
        chk
    }
}
CONF
}
conf 150 MASTER >"$VRRP_TMP/a.conf"
# a's checker side (the first run has both sides): one real server, b's
# address, where nothing listens, so its TCP_CHECK fails.
cat >>"$VRRP_TMP/a.conf" <<'CONF'
virtual_server 192.0.2.100 6379 {
    delay_loop 1
    lb_algo rr
    lb_kind DR
    protocol TCP
    real_server 192.0.2.2 6379 {
        TCP_CHECK {
            connect_timeout 1
        }
    }
}
# Read, not acted on: vigil says so at start (vigil.conf(5)).
bfd_instance BFD_1 {
    neighbor_ip 192.0.2.9
}
CONF
conf 100 BACKUP >"$VRRP_TMP/b.conf"
start_node b keepalived "$VRRP_TMP/b.conf"
# vigil from the host's namespace: -s puts it in a's.
"$VIGIL" -n -l -G -s "$(ns a)" -g "$VRRP_TMP/a.file.log" -f "$VRRP_TMP/a.conf" -p "$VRRP_TMP/a.pid" \
	-r "$VRRP_TMP/a.vrrp.pid" -c "$VRRP_TMP/a.chk.pid" >>"$VRRP_TMP/a.log" 2>&1 &
VRRP_PID[a]=$!
VRRP_IMPL[a]=vigil
wait_vip a 192.0.2.100 yes 6000 >/dev/null
ok "-s: vigil started in the host's namespace runs VRRP in $(ns a)"
sleep 2 # a few adverts each way
grep -q "(VI_1) Entering MASTER STATE" "$VRRP_TMP/a.file.log" || fail "-g: no MASTER line in the log file"
ok "-g: the log file has the state changes"
grep -q "bfd_instance: the block is not acted on by vigil" "$VRRP_TMP/a.file.log" ||
	fail "no warning about the bfd_instance block: $(grep -i warn "$VRRP_TMP/a.file.log" | head -5)"
ok "settings read but not acted on are named at start"

# dump SIGNAL PID FILE: the file appears (or is replaced) within 3 s.
dump() {
	local sig=$1 pid=$2 file=$3 i
	rm -f "$file"
	kill "-$sig" "$pid" || fail "kill -$sig $pid"
	for ((i = 0; i < 60; i++)); do
		[[ -s $file ]] && { sleep 0.1; return 0; }
		sleep 0.05
	done
	fail "no $file 3 s after SIG$sig"
}
json=$("$VIGIL" --signum=JSON)
for impl in keepalived vigil; do
	node=b pid=${VRRP_PID[b]}
	[[ $impl == vigil ]] && node=a pid=${VRRP_PID[a]}
	dump USR1 "$pid" /tmp/keepalived.data
	dump USR2 "$pid" /tmp/keepalived.stats
	dump "$json" "$pid" /tmp/keepalived.json
	for f in data stats json; do mv "/tmp/keepalived.$f" "$VRRP_TMP/$impl.$f"; done
done
[[ -s /tmp/vigil.json ]] || fail "no /tmp/vigil.json after SIGRTMIN+2"
[[ $(stat -c %a "$VRRP_TMP/vigil.stats") == 600 ]] || fail "vigil's stats file is not mode 600"

# The stats files: the same lines with the numbers left out.
diff <(sed 's/[0-9]\+$/N/' "$VRRP_TMP/keepalived.stats") <(sed 's/[0-9]\+$/N/' "$VRRP_TMP/vigil.stats") ||
	fail "keepalived.stats layouts differ"
ok "keepalived.stats: keepalived's layout"

# What keepalived-exporter reads of the data file: instance, State,
# Wantstate, Interface, Virtual Router ID, the VIPs.
exporter_view() {
	awk '/^ VRRP Instance = /{i=$NF; next} /^ ?[^ ]/{i=""}
		i!="" && /^   (State|Wantstate|Interface|Virtual Router ID) = /{sub(/^ +/,""); print i": "$0}
		i!="" && /^   Virtual IP \(/{v=1; next} v && /^     /{sub(/^ +/,""); print i": vip "$0; next} {v=0}' "$1"
}
exporter_view "$VRRP_TMP/keepalived.data" >"$VRRP_TMP/keepalived.view"
exporter_view "$VRRP_TMP/vigil.data" >"$VRRP_TMP/vigil.view"
grep -q "VI_1: State = BACKUP" "$VRRP_TMP/keepalived.view" || fail "keepalived's data: $(cat "$VRRP_TMP/keepalived.view")"
diff <(sed 's/BACKUP/MASTER/; s/ set$//' "$VRRP_TMP/keepalived.view") <(sed 's/ set$//' "$VRRP_TMP/vigil.view") ||
	fail "keepalived.data: what exporters read differs"
grep -q "VI_1: vip 192.0.2.100 dev eth0 scope global set" "$VRRP_TMP/vigil.view" || fail "vigil's VIP line"
grep -q "^   Real Server = 192.0.2.2:6379$" "$VRRP_TMP/vigil.data" || fail "no real server in vigil's data"
ok "keepalived.data: the lines exporters read agree"

python3 - "$VRRP_TMP/keepalived.json" "$VRRP_TMP/vigil.json" /tmp/vigil.json <<'PY' || fail "JSON files"
import json, sys
ka, vi, full = (json.load(open(p)) for p in sys.argv[1:])
assert isinstance(vi, list) and len(vi) == 1, vi
for part in ("data", "stats"):
    missing = set(ka[0][part]) - set(vi[0][part])
    assert not missing, f"{part}: vigil lacks {sorted(missing)}"
assert ka[0]["data"]["state"] == 1 and vi[0]["data"]["state"] == 2, (ka[0]["data"]["state"], vi[0]["data"]["state"])
assert vi[0]["data"]["vrid"] == 61 and vi[0]["data"]["iname"] == "VI_1"
assert vi[0]["stats"]["advert_sent"] >= 2 and ka[0]["stats"]["advert_rcvd"] >= 2
assert vi[0]["stats"]["become_master"] == 1
assert full["schema"] == 1 and full["vrrp_instances"][0]["state"] == "MASTER", full
assert full["vrrp_scripts"][0] == {"name": "chk", "command": "/bin/true", "status": "GOOD", "weight": -20}, full
vs = full["virtual_servers"][0]
assert vs["name"] == "[192.0.2.100]:tcp:6379" and vs["scheduler"] == "rr" and vs["forwarding"] == "DR", vs
assert vs["alive_weight"] == 0 and vs["quorum_up"] is False, vs
rs = vs["real_servers"][0]
assert rs["address"] == "192.0.2.2" and rs["port"] == 6379 and rs["alive"] is False and rs["ipvs_weight"] is None, rs
c = rs["checkers"][0]
assert c["type"] == "TCP_CHECK" and c["target"] == "192.0.2.2:6379" and c["up"] is False, c
assert c["checks"] >= 1 and c["failures"] == c["checks"] and c["last_result"], c
PY
ok "keepalived.json: keepalived's keys; vigil.json: schema 1 with the failing real server"

# STATS_CLEAR: the counters start again.
dump "$("$VIGIL" --signum=STATS_CLEAR)" "${VRRP_PID[a]}" /tmp/keepalived.stats
dump USR2 "${VRRP_PID[a]}" /tmp/keepalived.stats
grep -q "Became master: 0" /tmp/keepalived.stats || fail "STATS_CLEAR: $(cat /tmp/keepalived.stats)"
ok "STATS_CLEAR clears the counters"

# -V: SIGTERM leaves the VIP; without it the VIP goes.
stop_node a TERM
wait_vip a 192.0.2.100 no 2000 >/dev/null
ok "SIGTERM removes the VIP"
wait_vip b 192.0.2.100 yes 6000 >/dev/null
start_node a vigil "$VRRP_TMP/a.conf"
wait_vip a 192.0.2.100 yes 8000 >/dev/null
stop_node a TERM
ip netns exec "$(ns a)" "$VIGIL" -n -l -G -P -V -f "$VRRP_TMP/a.conf" -p "$VRRP_TMP/a.pid" \
	-r "$VRRP_TMP/a.vrrp.pid" >>"$VRRP_TMP/a.log" 2>&1 &
VRRP_PID[a]=$!
wait_vip a 192.0.2.100 yes 8000 >/dev/null
stop_node a TERM
has_vip a 192.0.2.100 || fail "-V: the VIP left with vigil"
ok "-V leaves the VIP in place"

# systemd's readiness protocol, as Debian's keepalived.service (Type=notify)
# expects: READY=1 once running, RELOADING=1 and READY=1 around a SIGHUP,
# STOPPING=1 on SIGTERM.
python3 - "$VRRP_TMP/notify.sock" "$VRRP_TMP/notify.out" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.settimeout(30)
with open(sys.argv[2], "w") as out:
    try:
        while True:
            msg = s.recv(4096).decode()
            out.write(msg.replace("\n", " ") + "\n")
            out.flush()
            if msg.startswith("STOPPING=1"):
                break
    except socket.timeout:
        pass
PY
collector=$!
for ((i = 0; i < 100; i++)); do [[ -S $VRRP_TMP/notify.sock ]] && break; sleep 0.05; done
NOTIFY_SOCKET=$VRRP_TMP/notify.sock ip netns exec "$(ns a)" "$VIGIL" -n -l -G -P -f "$VRRP_TMP/a.conf" \
	-p "$VRRP_TMP/a.pid" -r "$VRRP_TMP/a.vrrp.pid" >>"$VRRP_TMP/a.log" 2>&1 &
VRRP_PID[a]=$!
for ((i = 0; i < 100; i++)); do grep -q READY "$VRRP_TMP/notify.out" 2>/dev/null && break; sleep 0.05; done
pid_in_file=$(cat "$VRRP_TMP/a.pid")
kill -HUP "${VRRP_PID[a]}"
for ((i = 0; i < 100; i++)); do (($(grep -c READY "$VRRP_TMP/notify.out") >= 2)) && break; sleep 0.05; done
stop_node a TERM
wait "$collector"
got=$(cut -d' ' -f1 "$VRRP_TMP/notify.out" | tr '\n' ' ')
[[ $got == "READY=1 RELOADING=1 READY=1 STOPPING=1 " ]] || fail "sd_notify messages: $got"
grep -qE "^READY=1 MAINPID=$pid_in_file( |$)" "$VRRP_TMP/notify.out" || fail "READY=1 without MAINPID=$pid_in_file"
ok "systemd notify: $got"
echo "PASS"
