# Guest side of tests/vm/checks.sh (run by dash in the test VM): the IPVS
# table follows the health checks. For each daemon in /checks/daemons
# (keepalived, the oracle, first): real servers on loopback (busybox httpd)
# are stopped and started and the table must go through the same golden
# tables: all up; a dead server gone; an inhibited one at weight 0 and the
# sorry server once the quorum is lost; the sorry server gone when a
# server returns; all up again. Prints how long each step took per daemon.
. /vm-tests/lib.sh

ip link set lo up
ip addr add 10.0.0.2/32 dev lo
ip addr add 10.0.0.3/32 dev lo
mkdir -p /www /etc/keepalived /var/run
echo "vigil checks page" >/www/index.html
failed=0
G=/checks

start_rs() { # n
	httpd -f -p "10.0.0.$1:80" -h /www &
	eval "RS$1=\$!"
}
stop_rs() { # n
	eval "kill \$RS$1; wait \$RS$1 2>/dev/null"
}

# Hundredths of a second since boot (the guest's date has whole seconds).
now_cs() { cut -d' ' -f1 /proc/uptime | tr -d .; }

# Polls (every 0.1 s, at most SECONDS) until the table is GOLDEN; prints
# the time taken in hundredths of a second, or fails.
wait_golden() { # golden seconds
	_start=$(now_cs)
	_end=$((_start + $2 * 100))
	while [ "$(now_cs)" -lt "$_end" ]; do
		if [ "$(ipvs_table)" = "$(cat "$1")" ]; then
			echo "$(($(now_cs) - _start))"
			return 0
		fi
		sleep 0.1
	done
	return 1
}

step() { # daemon golden seconds what
	if _took=$(wait_golden "$G/$2" "$3"); then
		echo "ok   $1: $4: table is ${2} after $((_took / 100)).$((_took % 100 / 10)) s"
	else
		echo "FAIL $1: $4: table is not $2 within $3 s; ipvsadm -Sn:"
		ipvs_table | sed 's/^/    /'
		echo "  log:"
		tail -n 25 "/tmp/$1.log" | sed 's/^/    /'
		failed=1
	fi
}

for d in $(cat "$G/daemons"); do
	ipvs_reset
	start_rs 2
	start_rs 3
	"$d" -n -l -C -f "$G/keepalived.conf" -p "/run/$d.pid" >"/tmp/$d.log" 2>&1 &
	pid=$!
	step "$d" all-up 20 "start"
	stop_rs 2
	step "$d" a-down 10 "HTTP server stopped"
	stop_rs 3
	step "$d" sorry 10 "TCP server stopped (inhibit_on_failure), quorum lost"
	start_rs 2
	step "$d" a-back 10 "HTTP server back"
	start_rs 3
	step "$d" all-up 10 "TCP server back"
	kill -TERM "$pid"
	wait_exit "$pid" 10 || true
	[ "$STOP_STATUS" = 0 ] || { echo "FAIL $d: exit status $STOP_STATUS on SIGTERM"; failed=1; }
	stop_rs 2
	stop_rs 3
done
exit "$failed"
