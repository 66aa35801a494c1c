# Shared by the checker netns tests: vigil in namespace $lb (10.0.0.1),
# real servers in $srv (10.0.0.2), one veth between them. Source it after
# setting `vigil`; call checker_setup NAME. Needs root. Everything made
# here is removed by the EXIT trap; `vigil_pid` and `server_pid` are
# killed there too.

vigil_pid=
server_pid=

fail() {
	{
		echo "FAIL: $*"
		[[ ! -e $tmp/vigil.log ]] || echo "(now $(date +%s.%N))"
		echo "--- vigil's log"
		tail -n 40 "$tmp/vigil.log" 2>/dev/null | sed 's/^/    /'
		echo "--- FIFO lines"
		sed 's/^/    /' "$tmp/fifo.out" 2>/dev/null
	} >&2
	exit 1
}
ok() { echo "ok: $*"; }

checker_cleanup() {
	[[ -z $vigil_pid ]] || kill -KILL "$vigil_pid" 2>/dev/null || true
	[[ -z $server_pid ]] || kill -KILL "$server_pid" 2>/dev/null || true
	pkill -KILL -f "$tmp" 2>/dev/null || true
	wait 2>/dev/null || true
	ip netns del "$lb" 2>/dev/null || true
	ip netns del "$srv" 2>/dev/null || true
	rm -rf "$tmp"
}

# checker_setup NAME: the scratch directory $tmp and the two namespaces.
checker_setup() {
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/vigil-$1.XXXXXX")
	lb="vgl$1$$lb"
	srv="vgl$1$$srv"
	trap checker_cleanup EXIT
	[[ -x $vigil ]] || fail "no vigil binary at $vigil"
	((EUID == 0)) || fail "needs root (network namespaces)"
	ip netns add "$lb" || fail "ip netns add"
	ip netns add "$srv" || fail "ip netns add"
	ip -n "$lb" link add eth0 type veth peer name eth0 netns "$srv" || fail "veth"
	ip -n "$lb" addr add 10.0.0.1/24 dev eth0
	ip -n "$srv" addr add 10.0.0.2/24 dev eth0
	local n
	for n in "$lb" "$srv"; do
		ip -n "$n" link set lo up
		ip -n "$n" link set eth0 up
	done
}
