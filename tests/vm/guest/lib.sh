# Shared by the guest scripts of the vm suite (run by dash inside the test VM,
# sourced from /vm-tests/lib.sh). Every wait is bounded in count and time.

# The kernel's defaults, restored between daemons so that a daemon setting
# lvs_timeouts cannot pass for the next one.
IPVS_DEFAULT_TIMEOUTS="900 120 300"

log() { echo "$*"; }

# Runs a command in the network namespace IN_NS names (each namespace has
# an IPVS table of its own), or in the guest's own when IN_NS is empty.
in_ns() { # command...
	if [ -n "${IN_NS:-}" ]; then
		ip netns exec "$IN_NS" "$@"
	else
		"$@"
	fi
}

# Prints the IPVS table as ipvsadm -Sn shows it, sorted: the kernel lists
# services by hash bucket and destinations in insertion order, neither of
# which is part of what a daemon must reproduce.
ipvs_table() { in_ns ipvsadm -Sn | LC_ALL=C sort; }

ipvs_timeouts() { in_ns ipvsadm -L --timeout; }

# Empties the table and restores the default timeouts.
ipvs_reset() {
	in_ns ipvsadm -C
	# shellcheck disable=SC2086 # three words on purpose
	in_ns ipvsadm --set $IPVS_DEFAULT_TIMEOUTS
}

# Is PID still running? A zombie (exited, not yet reaped) counts as gone.
alive() { # pid
	[ -r "/proc/$1/stat" ] || return 1
	# The third field is the state; our daemons' names have no spaces.
	[ "$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null)" != Z ]
}

# Waits until a line of FILE matches an extended regular expression; fails
# after SECONDS.
wait_for_line() { # file ere seconds
	_n=$(($3 * 5))
	while [ "$_n" -gt 0 ]; do
		grep -qE -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.2
		_n=$((_n - 1))
	done
	return 1
}

# Counts the lines of FILE containing a fixed string.
count_lines() { # file string
	grep -cF -- "$2" "$1" 2>/dev/null || true
}

# Waits until two reads of the table 1 s apart agree; fails after about
# SECONDS. Prints the table.
wait_stable() { # seconds
	_prev=$(ipvs_table)
	_n=$1
	while [ "$_n" -gt 0 ]; do
		sleep 1
		_cur=$(ipvs_table)
		if [ "$_cur" = "$_prev" ]; then
			printf '%s\n' "$_cur"
			return 0
		fi
		_prev=$_cur
		_n=$((_n - 1))
	done
	return 1
}

# Waits for PID (a child of this shell) to exit, at most SECONDS, then reaps
# it. Sets STOP_STATUS to its exit status, or to "timeout" (and kills it).
wait_exit() { # pid seconds
	_n=$(($2 * 5))
	while alive "$1" && [ "$_n" -gt 0 ]; do
		sleep 0.2
		_n=$((_n - 1))
	done
	if alive "$1"; then
		kill -KILL "$1" 2>/dev/null
		wait "$1" 2>/dev/null
		STOP_STATUS=timeout
		return 1
	fi
	STOP_STATUS=0
	wait "$1" || STOP_STATUS=$?
	return 0
}

# What a daemon logs once its first pass over IPVS is done (an extended
# regular expression). keepalived says nothing more when it finds no virtual
# server to run.
ready_line() { # daemon name
	case $1 in
	keepalived) echo 'Startup complete|has no configuration to run' ;;
	*) echo 'IPVS sync \(start\)' ;;
	esac
}

# The same, for messages.
ready_text() { ready_line "$1" | sed 's/\\//g'; }
