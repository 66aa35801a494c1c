# Shared by the VRRP netns tests: two (or more) network namespaces on one
# veth pair or bridge, nodes running vigil or keepalived, and polls with a
# bound on both count and time. Source it; call `vrrp_setup` first. Needs
# root. Everything made here is removed by the EXIT trap.

VRRP_TMP=$(mktemp -d "${TMPDIR:-/tmp}/vigil-vrrp.XXXXXX")
VRRP_NS_PREFIX="vgl$$"
VRRP_NAMESPACES=()
declare -A VRRP_PID VRRP_IMPL

# To stderr: fail may run where stdout is captured ($(wait_vip ...)).
fail() {
	{
		echo "FAIL: $*"
		for log in "$VRRP_TMP"/*.log; do
			[[ -e $log ]] || continue
			echo "--- $log"
			tail -n 40 "$log" | sed 's/^/    /'
		done
	} >&2
	exit 1
}
ok() { echo "ok: $*"; }

vrrp_cleanup() {
	local node
	for node in "${!VRRP_PID[@]}"; do
		kill -KILL "${VRRP_PID[$node]}" 2>/dev/null || true
	done
	wait 2>/dev/null || true
	for ns in "${VRRP_NAMESPACES[@]}"; do
		ip netns del "$ns" 2>/dev/null || true
	done
	rm -rf "$VRRP_TMP"
}
trap vrrp_cleanup EXIT

ns() { echo "${VRRP_NS_PREFIX}$1"; }

# vrrp_setup NODE...: one namespace per node, each with an interface `eth0`
# on a shared bridge (in a namespace of its own), 192.0.2.N/24 and the
# IPv6 link-local address, DAD off so that addresses are usable at once.
vrrp_setup() {
	((EUID == 0)) || fail "needs root (network namespaces)"
	local hub
	hub=$(ns hub)
	ip netns add "$hub" || fail "ip netns add"
	VRRP_NAMESPACES+=("$hub")
	ip -n "$hub" link add br0 type bridge || fail "bridge"
	ip -n "$hub" link set br0 up
	local n=1 node
	for node in "$@"; do
		local name
		name=$(ns "$node")
		ip netns add "$name" || fail "ip netns add $name"
		VRRP_NAMESPACES+=("$name")
		ip netns exec "$name" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
		ip -n "$hub" link add "p$n" type veth peer name eth0 netns "$name" || fail "veth"
		ip -n "$hub" link set "p$n" master br0 up
		ip -n "$name" link set lo up
		ip -n "$name" link set eth0 address "02:00:00:00:00:0$n"
		ip -n "$name" addr add "192.0.2.$n/24" dev eth0
		ip -n "$name" link set eth0 up
		n=$((n + 1))
	done
	# Link-local addresses appear once the link is up.
	local i
	for ((i = 0; i < 100; i++)); do
		local missing=0
		for node in "$@"; do
			ip -n "$(ns "$node")" -6 addr show dev eth0 scope link | grep -q inet6 || missing=1
		done
		((missing == 0)) && return 0
		sleep 0.05
	done
	fail "no IPv6 link-local addresses after 5 s"
}

# start_node NODE IMPL CONFIG: IMPL is vigil or keepalived, both run in the
# foreground with the VRRP side only, logging to NODE.log.
start_node() {
	local node=$1 impl=$2 config=$3 bin
	case $impl in
	vigil) bin=$VIGIL ;;
	keepalived) bin=$KEEPALIVED ;;
	*) fail "unknown implementation $impl" ;;
	esac
	ip netns exec "$(ns "$node")" "$bin" -n -l -G -P -f "$config" -p "$VRRP_TMP/$node.pid" \
		-r "$VRRP_TMP/$node.vrrp.pid" -c "$VRRP_TMP/$node.chk.pid" >>"$VRRP_TMP/$node.log" 2>&1 &
	VRRP_PID[$node]=$!
	VRRP_IMPL[$node]=$impl
}

# stop_node NODE SIGNAL: signals it and waits (at most 10 s) for it to exit;
# fails unless a SIGTERM'd node exits 0.
stop_node() {
	signal_node "$1" "$2"
	reap_node "$1" "$2"
}

# signal_node NODE SIGNAL: only sends it.
signal_node() {
	local node=$1 sig=$2 pid=${VRRP_PID[$1]}
	# keepalived's VRRP runs in a child process: a kill -9 of "the
	# master" is of that process too (its pid file), or the child would
	# notice its parent's death and resign cleanly.
	local child=
	if [[ $sig == KILL && -s $VRRP_TMP/$node.vrrp.pid ]]; then
		child=$(cat "$VRRP_TMP/$node.vrrp.pid")
	fi
	# The child first: killed after its parent, it could hear of the
	# parent's death in between and resign.
	kill "-$sig" ${child:+"$child"} "$pid" 2>/dev/null || fail "$node is not running"
}

# reap_node NODE SIGNAL: waits for the signalled node to exit.
reap_node() {
	local node=$1 sig=$2 pid=${VRRP_PID[$1]} i
	for ((i = 0; i < 200; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	kill -0 "$pid" 2>/dev/null && fail "$node still running 10 s after SIG$sig"
	# A clean stop removes the pid files; after kill -9 they stay, stale,
	# and the next start of the node must not be stopped by them.
	if [[ $sig == TERM && -e $VRRP_TMP/$node.pid ]]; then
		fail "$node left its pid file behind after SIGTERM"
	fi
	# keepalived's killed VRRP child stays a zombie here (its parent is
	# gone and this machine's init does not reap), which its next start
	# takes for a running instance: its files go.
	if [[ ${VRRP_IMPL[$node]} == keepalived ]]; then
		rm -f "$VRRP_TMP/$node.pid" "$VRRP_TMP/$node.vrrp.pid" "$VRRP_TMP/$node.chk.pid"
	fi
	local status=0
	{ wait "$pid"; } 2>/dev/null || status=$?
	unset "VRRP_PID[$node]"
	if [[ $sig == TERM ]] && ((status != 0)); then
		fail "$node exited $status after SIGTERM"
	fi
	return 0
}

# has_vip NODE ADDR: the address is on NODE's eth0.
has_vip() {
	# Not `ip | grep -q`: with pipefail, grep's early exit can fail ip
	# with SIGPIPE and the pipeline with it.
	local out
	out=$(ip -n "$(ns "$1")" -o addr show dev eth0)
	[[ $out == *" $2/"* ]]
}

now_ms() { echo $((${EPOCHREALTIME/./} / 1000)); }

# wait_vip NODE ADDR yes|no TIMEOUT_MS: polls every 10 ms; prints how long
# it took in ms, or fails.
wait_vip() {
	local node=$1 addr=$2 want=$3 limit=$4 start
	start=$(now_ms)
	local i
	for ((i = 0; i < 100000; i++)); do
		if has_vip "$node" "$addr"; then
			[[ $want == yes ]] && { echo $(($(now_ms) - start)); return 0; }
		else
			[[ $want == no ]] && { echo $(($(now_ms) - start)); return 0; }
		fi
		(($(now_ms) - start > limit)) && break
		sleep 0.01
	done
	fail "$addr on $node: wanted '$want' within $limit ms"
}

# only_on NODE ADDR OTHERS...: the VIP is on NODE and none of the others.
only_on() {
	local node=$1 addr=$2
	shift 2
	has_vip "$node" "$addr" || fail "$addr is not on $node"
	local other
	for other in "$@"; do
		has_vip "$other" "$addr" && fail "$addr is on both $node and $other"
	done
	return 0
}

# no_invalid_packets NODE...: neither implementation logged a peer's
# packet as invalid.
no_invalid_packets() {
	local node
	for node in "$@"; do
		if grep -Ei 'dropped an advertisement|invalid|bogus|mismatch|bad checksum|not present in|wrong|incorrect' \
			"$VRRP_TMP/$node.log"; then
			fail "$node logged a peer's advertisement as invalid"
		fi
	done
	return 0
}
