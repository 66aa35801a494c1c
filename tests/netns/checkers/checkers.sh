#!/bin/bash
# tests/netns/checkers/checkers.sh VIGIL TYPE: one checker type against a
# real server in a namespace of its own, with vigil (-C) in another:
# - alpha: the server starts down, and the first passing check brings it
#   up (an "RS ... UP" line on lvs_notify_fifo, notify_up run);
# - the server stops: after one retry (delay_before_retry 1) it goes down
#   ("RS ... DOWN", notify_down, and the pool's quorum is lost: "VS ...
#   DOWN", quorum_down), not sooner than the retry and within the bound
#   keepalived's timing gives (delay_loop 1, connect_timeout 1);
# - SIGHUP with the same file changes nothing (the server stays down);
# - the server returns: up again within a delay_loop and a check.
# TYPE: TCP_CHECK HTTP_GET SSL_GET MISC_CHECK UDP_CHECK DNS_CHECK SMTP_CHECK
# PING_CHECK, or TCP_CHECK_HALF_OPEN (a TCP_CHECK with vigil's half_open:
# raw SYNs; the same timing). This host has no IPVS, so the checker side's findings are
# observed where operators see them: FIFO lines, scripts, logs. Needs root.
set -euo pipefail

(($# == 2)) || { echo "usage: $0 VIGIL TYPE" >&2; exit 2; }
vigil=$1
type=$2
keyword=$type # the checker's block
if [[ $type == TCP_CHECK_HALF_OPEN ]]; then
	type=TCP_CHECK
	keyword=TCP_CHECK
	half_open=1
fi
here=$(cd "$(dirname "$0")" && pwd)

# shellcheck source=lib.sh
. "$here/lib.sh"
checker_setup ck

port=80
checker_body=""
case $type in
TCP_CHECK)
	port=6379
	[[ -z ${half_open:-} ]] || checker_body=half_open
	;;
HTTP_GET) checker_body="url {
        path /health
        status_code 200
      }" ;;
SSL_GET)
	port=443
	openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=test -keyout "$tmp/key.pem" \
		-out "$tmp/cert.pem" >/dev/null 2>&1 || fail "openssl req"
	checker_body="url {
        path /
        status_code 200
      }" ;;
MISC_CHECK) checker_body="misc_path \"/bin/test -e $tmp/alive\"" ;;
UDP_CHECK)
	port=5000
	checker_body="payload 76 69 67 69 6c
      require_reply 76 69 67 69 6c" ;;
DNS_CHECK)
	port=53
	checker_body="type A
      name example.test" ;;
SMTP_CHECK) port=25 ;;
PING_CHECK) port=0 ;;
*) fail "unknown checker type $type" ;;
esac

# Starts the real server and waits until it listens. Sets listening_after:
# a moment before it began to listen (the start of the last look that found
# nothing, or the launch), so that a check cannot pass before it however
# slowly the looks run on a loaded machine.
start_server() {
	listening_after=$(date +%s.%N)
	case $type in
	TCP_CHECK) ip netns exec "$srv" python3 "$here/servers.py" tcp 10.0.0.2 "$port" & ;;
	HTTP_GET) ip netns exec "$srv" python3 "$here/servers.py" http 10.0.0.2 "$port" & ;;
	UDP_CHECK) ip netns exec "$srv" python3 "$here/servers.py" udp-echo 10.0.0.2 "$port" & ;;
	DNS_CHECK) ip netns exec "$srv" python3 "$here/servers.py" dns 10.0.0.2 "$port" & ;;
	SMTP_CHECK) ip netns exec "$srv" python3 "$here/servers.py" smtp 10.0.0.2 "$port" & ;;
	SSL_GET)
		ip netns exec "$srv" openssl s_server -quiet -www -accept "$port" -cert "$tmp/cert.pem" \
			-key "$tmp/key.pem" </dev/null >/dev/null 2>&1 &
		;;
	MISC_CHECK) touch "$tmp/alive"; return ;;
	PING_CHECK) ip netns exec "$srv" sysctl -qw net.ipv4.icmp_echo_ignore_all=0; return ;;
	esac
	server_pid=$!
	# The clock starts when the server listens, not when its process
	# starts (python's start-up takes a second on a busy machine).
	local i look
	for ((i = 0; i < 100; i++)); do
		look=$(date +%s.%N)
		ip netns exec "$srv" ss -Hltun "sport = :$port" | grep -q . && return 0
		listening_after=$look
		sleep 0.05
	done
	fail "the $type server is not listening on port $port after 5 s"
}
stop_server() {
	case $type in
	MISC_CHECK) rm -f "$tmp/alive" ;;
	PING_CHECK) ip netns exec "$srv" sysctl -qw net.ipv4.icmp_echo_ignore_all=1 ;;
	*)
		kill -KILL "$server_pid"
		wait "$server_pid" 2>/dev/null || true
		server_pid=
		;;
	esac
}

cat >"$tmp/keepalived.conf" <<CONF
global_defs {
  lvs_notify_fifo $tmp/fifo
}
virtual_server 192.0.2.100 $port {
  protocol $([[ $type == UDP_CHECK || $type == DNS_CHECK ]] && echo UDP || echo TCP)
  delay_loop 1
  alpha
  quorum_up "/bin/sh -c 'echo quorum_up >> $tmp/scripts'"
  quorum_down "/bin/sh -c 'echo quorum_down >> $tmp/scripts'"
  real_server 10.0.0.2 $port {
    notify_up "/bin/sh -c 'echo notify_up >> $tmp/scripts'"
    notify_down "/bin/sh -c 'echo notify_down >> $tmp/scripts'"
    $keyword {
      connect_timeout 1
      retry 1
      delay_before_retry 1
      warmup 0
      $checker_body
    }
  }
}
CONF

mkfifo "$tmp/fifo"
# Each line with the time it arrived.
(while IFS= read -r line; do echo "$(date +%s.%N) $line"; done <"$tmp/fifo" >"$tmp/fifo.out") &

start_server
sleep 0.3
ip netns exec "$lb" "$vigil" -n -l -C -f "$tmp/keepalived.conf" -p "$tmp/vigil.pid" -c "$tmp/checkers.pid" \
	>"$tmp/vigil.log" 2>&1 &
vigil_pid=$!

rs="RS [10.0.0.2]:$([[ $type == UDP_CHECK || $type == DNS_CHECK ]] && echo udp || echo tcp):$port"
# wait_line PATTERN COUNT SECONDS: until the FIFO has COUNT lines matching
# PATTERN; prints the time of the last one.
wait_line() {
	local i count
	for ((i = 0; i < $3 * 20; i++)); do
		count=$(grep -cF -- "$1" "$tmp/fifo.out" 2>/dev/null) || count=0
		if ((count >= $2)); then
			grep -F -- "$1" "$tmp/fifo.out" | sed -n "$2p" | cut -d' ' -f1
			return 0
		fi
		kill -0 "$vigil_pid" 2>/dev/null || fail "vigil exited"
		sleep 0.05
	done
	fail "no '$1' (#$2) on the FIFO within $3 s"
}
elapsed() { python3 -c "print(f'{$2 - $1:.2f}')"; }
between() { python3 -c "import sys; sys.exit(0 if $2 <= $1 <= $3 else 1)"; }

started=$(date +%s.%N)
up1=$(wait_line "$rs" 1 5)
grep -F -- "$rs" "$tmp/fifo.out" | head -1 | grep -q ' UP$' || fail "first line is not UP"
ok "$type: alpha server up $(elapsed "$started" "$up1") s after start"
if [[ $type == TCP_CHECK ]]; then
	# What the server's kernel saw: handshakes completed (TcpPassiveOpens).
	# half_open: none, as our kernel reset each SYN-ACK; a connect: some.
	passive=$(ip netns exec "$srv" awk '$1 == "Tcp:" { if (!n) { for (i = 1; i <= NF; i++) if ($i == "PassiveOpens") col = i; n = 1 } else print $col }' /proc/net/snmp)
	if [[ -n ${half_open:-} ]]; then
		((passive == 0)) || fail "half_open: the server completed $passive handshakes"
		ok "$type half_open: the server completed no handshake"
	else
		((passive > 0)) || fail "TCP_CHECK: the server completed no handshake"
	fi
fi
wait_line "VS [192.0.2.100]" 1 2 >/dev/null
grep -q 'VS \[192.0.2.100\]:[a-z]*:[0-9]* UP$' "$tmp/fifo.out" || fail "no VS UP line"
ok "$type: quorum gained"

sleep 0.5
stopped=$(date +%s.%N)
stop_server
down=$(wait_line "$rs" 2 6)
grep -F -- "$rs" "$tmp/fifo.out" | sed -n 2p | grep -q ' DOWN$' || fail "second line is not DOWN"
took=$(elapsed "$stopped" "$down")
# At least the retry's delay_before_retry; at most a delay_loop, two checks
# of connect_timeout and the retry delay, and slack.
between "$took" 0.9 5 || fail "down after $took s, want 0.9..5 s"
ok "$type: down $took s after the server stopped (one retry)"
wait_line "VS [192.0.2.100]" 2 2 >/dev/null
tail -n 1 "$tmp/fifo.out" | grep -q 'VS .* DOWN$' || fail "no VS DOWN line after the last server went"

# A reload with the same file keeps every checker's state: no line, no
# script, the server stays down.
lines=$(wc -l <"$tmp/fifo.out")
kill -HUP "$vigil_pid"
sleep 1.5
(($(wc -l <"$tmp/fifo.out") == lines)) || fail "SIGHUP changed a server's state"
grep -q 'Reloading' "$tmp/vigil.log" || fail "no reload logged"
ok "$type: SIGHUP kept the server down without a flap"

start_server
restarted=$listening_after
up2=$(wait_line "$rs" 3 5)
took=$(elapsed "$restarted" "$up2")
between "$took" 0 3 || fail "up after $took s, want within 3 s"
ok "$type: up again $took s after the server returned"
wait_line "VS [192.0.2.100]" 3 2 >/dev/null

sleep 0.3
# Scripts are processes of their own: a server's and its quorum's run at
# the same moment and may finish in either order, so count them.
got=$(sort "$tmp/scripts" 2>/dev/null | uniq -c | awk '{print $2 "=" $1}' | xargs)
[[ $got == "notify_down=1 notify_up=2 quorum_down=1 quorum_up=2" ]] || fail "scripts ran: $got"
ok "$type: notify_up/down and quorum_up/down ran"

kill -TERM "$vigil_pid"
status=0
wait "$vigil_pid" || status=$?
vigil_pid=
((status == 0)) || fail "vigil exited $status on SIGTERM"
ok "$type: clean stop"
[[ -z ${CHECKERS_VERBOSE:-} ]] || { cat "$tmp/vigil.log"; cat "$tmp/fifo.out"; }
