#!/bin/bash
# tests/netns/checkers/policy.sh VIGIL: checker policies seen from outside,
# vigil (-C) in one namespace and a TCP server in another:
# - ha_suspend: while the virtual address is not on vigil's host no check
#   runs (the alpha server stays down, the server sees no connection);
#   once the address is added the checks resume and the server comes up;
# - omega: on SIGTERM the alive server's notify_down and the virtual
#   server's quorum_down run, and the FIFO gets their DOWN lines; without
#   omega (the second virtual server) nothing runs.
# Needs root.
set -euo pipefail

(($# == 1)) || { echo "usage: $0 VIGIL" >&2; exit 2; }
vigil=$1
here=$(cd "$(dirname "$0")" && pwd)

# shellcheck source=lib.sh
. "$here/lib.sh"
checker_setup po

ip netns exec "$srv" python3 "$here/servers.py" tcp 10.0.0.2 6379 &
server_pid=$!
for ((i = 0; i < 100; i++)); do
	ip netns exec "$srv" ss -Hlt "sport = :6379" | grep -q . && break
	sleep 0.05
done

cat >"$tmp/keepalived.conf" <<CONF
global_defs {
  lvs_notify_fifo $tmp/fifo
}
virtual_server 192.0.2.100 6379 {
  protocol TCP
  delay_loop 1
  alpha
  ha_suspend
  omega
  quorum_down "/bin/sh -c 'echo quorum_down >> $tmp/scripts'"
  real_server 10.0.0.2 6379 {
    notify_down "/bin/sh -c 'echo notify_down >> $tmp/scripts'"
    TCP_CHECK {
      connect_timeout 1
      warmup 0
    }
  }
}
virtual_server 192.0.2.101 6379 {
  protocol TCP
  delay_loop 1
  quorum_down "/bin/sh -c 'echo other_quorum_down >> $tmp/scripts'"
  real_server 10.0.0.2 6379 {
    notify_down "/bin/sh -c 'echo other_notify_down >> $tmp/scripts'"
    TCP_CHECK {
      connect_timeout 1
      warmup 0
    }
  }
}
CONF

mkfifo "$tmp/fifo"
(cat "$tmp/fifo" >"$tmp/fifo.out") &

ip netns exec "$lb" "$vigil" -n -l -C -f "$tmp/keepalived.conf" -p "$tmp/vigil.pid" -c "$tmp/checkers.pid" \
	>"$tmp/vigil.log" 2>&1 &
vigil_pid=$!

rs='RS [10.0.0.2]:tcp:6379 [192.0.2.100]:tcp:6379'
# The other virtual server's checks run; this one's must not.
sleep 3
kill -0 "$vigil_pid" 2>/dev/null || fail "vigil exited"
grep -qF "$rs" "$tmp/fifo.out" && fail "a suspended virtual server's server came up"
grep -q 'VS \[192.0.2.100\]:tcp:6379: virtual address not on this host, checks suspended' "$tmp/vigil.log" ||
	fail "no suspension logged"
ok "ha_suspend: no check while 192.0.2.100 is not on the host"

ip -n "$lb" addr add 192.0.2.100/32 dev lo
for ((i = 0; i < 60; i++)); do
	grep -qF "$rs UP" "$tmp/fifo.out" && break
	sleep 0.05
done
grep -qF "$rs UP" "$tmp/fifo.out" || fail "no UP within 3 s of the address arriving"
ok "ha_suspend: checks resumed once the address is on the host"

kill -TERM "$vigil_pid"
status=0
wait "$vigil_pid" || status=$?
vigil_pid=
((status == 0)) || fail "vigil exited $status on SIGTERM"
for ((i = 0; i < 40; i++)); do
	[[ $(sort "$tmp/scripts" 2>/dev/null | xargs) == "notify_down quorum_down" ]] && break
	sleep 0.05
done
[[ $(sort "$tmp/scripts" 2>/dev/null | xargs) == "notify_down quorum_down" ]] ||
	fail "scripts at stop: $(sort "$tmp/scripts" 2>/dev/null | xargs), want notify_down quorum_down"
grep -qF "$rs DOWN" "$tmp/fifo.out" || fail "no RS DOWN line at stop"
grep -qF 'VS [192.0.2.100]:tcp:6379 DOWN' "$tmp/fifo.out" || fail "no VS DOWN line at stop"
grep -qF '192.0.2.101' "$tmp/fifo.out" && fail "the virtual server without omega notified at stop"
ok "omega: down notifiers ran at stop, only for the omega virtual server"
