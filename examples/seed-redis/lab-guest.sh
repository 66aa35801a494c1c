#!/bin/sh
# The seeds' Redis HA lab, inside the test VM (real kernel IPVS), run by
# examples/seed-redis/lab.sh. Network namespaces on one bridge reproduce the
# seed deployment on one network, 192.0.2.0/24:
#   lb1 .54, lb2 .64   vigil with examples/redis-lvs-dr/lb01.conf / lb02.conf
#                      unchanged: unicast VRRP owning the read VIP .93,
#                      virtual_server .93:6379 rr DR with TCP_CHECKs
#   redis1 .72, redis2 .166, redis3 .80
#                      redis-server (redis1 master, the others replicas),
#                      the read VIP on lo with arp_ignore=1 / arp_announce=2,
#                      redis-sentinel with the seed's reconfig_master.sh,
#                      which moves the write VIP .94 to the new master
#   client .10         redis-cli
# Narrates each step with real output and checks it; any failed check prints
# the logs and exits 1. Every wait is bounded.
[ -n "${BASH_VERSION:-}" ] || exec /bin/bash "$0" "$@"
set -u

L=/tmp/lab
mkdir -p "$L"
export REDISCLI_AUTH=123456
READ_VIP=192.0.2.93
WRITE_VIP=192.0.2.94
declare -A ADDR=([lb1]=192.0.2.54 [lb2]=192.0.2.64 [redis1]=192.0.2.72 [redis2]=192.0.2.166
	[redis3]=192.0.2.80 [client]=192.0.2.10)

say() { printf '\n== %s\n' "$*"; }
ok() { printf 'ok: %s\n' "$*"; }
fail() {
	printf 'FAIL: %s\n' "$*"
	local f
	for f in "$L"/*/*.log; do
		printf -- '--- %s\n' "$f"
		tail -n 30 "$f" | sed 's/^/    /'
	done
	exit 1
}
# on NODE CMD...: runs CMD in NODE's namespace.
on() {
	local node=$1
	shift
	ip netns exec "$node" "$@"
}
# show NODE CMD...: prints the command as typed on NODE, then its output.
show() {
	local node=$1
	shift
	printf '[%s]$ %s\n' "$node" "$*"
	on "$node" "$@" 2>&1 | sed 's/^/  /'
}
# wait_until SECONDS WHAT CMD...: polls CMD every 0.2 s.
wait_until() {
	local limit=$1 what=$2 i
	shift 2
	for ((i = 0; i < limit * 5; i++)); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.2
	done
	fail "$what: not within $limit s"
}
has_addr() { # NODE DEV ADDR
	local out
	out=$(ip -n "$1" -o addr show dev "$2")
	[[ $out == *" $3/"* ]]
}
in_ipvs() { # NODE ADDR
	local out
	out=$(on "$1" ipvsadm -Ln)
	[[ $out == *"$2:6379"* ]]
}
not_in_ipvs() { ! in_ipvs "$@"; }
# Which Redis server answered a new connection to ADDR: its data directory.
who() { on client redis-cli -h "$1" CONFIG GET dir 2>/dev/null | tail -n 1 | sed 's|.*/||'; }
vip_owner() { # ADDR DEV NODES...: the node that has it
	local addr=$1 dev=$2 n
	shift 2
	for n; do has_addr "$n" "$dev" "$addr" && { echo "$n"; return 0; }; done
	return 1
}

say "the network: one bridge, a namespace per machine of the seed"
ip link add br0 type bridge && ip link set br0 up || fail "bridge"
for n in lb1 lb2 redis1 redis2 redis3 client; do
	ip netns add "$n" || fail "netns $n"
	ip link add "v-$n" type veth peer name eth0 netns "$n" || fail "veth $n"
	ip link set "v-$n" master br0 up
	on "$n" ip link set lo up
	on "$n" ip addr add "${ADDR[$n]}/24" dev eth0
	on "$n" ip link set eth0 up
	mkdir -p "$L/$n"
	printf '  %-7s %s\n' "$n" "${ADDR[$n]}"
done

say "Redis: redis1 master, redis2 and redis3 replicas; the read VIP on lo (LVS-DR real servers)"
for n in redis1 redis2 redis3; do
	on "$n" ip addr add "$READ_VIP/32" dev lo
	for c in all lo; do
		on "$n" sh -c "echo 1 >/proc/sys/net/ipv4/conf/$c/arp_ignore; echo 2 >/proc/sys/net/ipv4/conf/$c/arp_announce"
	done
done
declare -A REDIS_PID
start_redis() { # NODE [MASTER_ADDR]: a replica of MASTER_ADDR if given
	local extra=()
	[[ -z ${2:-} ]] || extra=(--replicaof "$2" 6379)
	# ip netns exec execs the program: $! is redis-server's pid (not so
	# through a shell function, whose subshell would be $!).
	ip netns exec "$1" redis-server /lab/redis.conf --dir "$L/$1" --logfile "$L/$1/redis.log" "${extra[@]}" &
	REDIS_PID[$1]=$!
}
start_redis redis1
start_redis redis2 192.0.2.72
start_redis redis3 192.0.2.72
for n in redis1 redis2 redis3; do
	wait_until 20 "redis on $n" on client redis-cli -h "${ADDR[$n]}" PING
done
show client redis-cli -h 192.0.2.72 INFO replication
on client redis-cli -h 192.0.2.72 INFO replication | grep -q connected_slaves:2 ||
	wait_until 20 "two replicas connected" sh -c \
		"ip netns exec client redis-cli -h 192.0.2.72 INFO replication | grep -q connected_slaves:2"

say "Sentinel on each Redis machine; the write VIP on the master, as the seed sets it by hand"
on redis1 ip addr add "$WRITE_VIP/24" dev eth0
for n in redis1 redis2 redis3; do
	cp /lab/sentinel.conf "$L/$n/sentinel.conf"
	# The reconfig script's complaints (every sentinel but the new
	# master's drops a VIP it may not have) go to the sentinel's log too.
	on "$n" env LOCAL_IP="${ADDR[$n]}" redis-server "$L/$n/sentinel.conf" --sentinel \
		--logfile "$L/$n/sentinel.log" --dir "$L/$n" 2>>"$L/$n/sentinel.log" &
done
for n in redis1 redis2 redis3; do
	wait_until 20 "sentinel on $n" on client redis-cli -h "${ADDR[$n]}" -p 26379 PING
done
show client redis-cli -h 192.0.2.72 -p 26379 SENTINEL get-master-addr-by-name master1

say "the load balancers: vigil with the seed's lb01.conf and lb02.conf, unchanged"
start_vigil() { # NODE CONF
	on "$1" vigil -n -l -G -f "$2" -p "$L/$1/vigil.pid" -r "$L/$1/vrrp.pid" -c "$L/$1/checkers.pid" \
		>>"$L/$1/vigil.log" 2>&1 &
}
start_vigil lb1 /lab/lb01.conf
start_vigil lb2 /lab/lb02.conf
wait_until 20 "read VIP on lb1" has_addr lb1 eth0 "$READ_VIP"
for n in redis1 redis2 redis3; do wait_until 30 "${ADDR[$n]} in lb1's IPVS" in_ipvs lb1 "${ADDR[$n]}"; done
show lb1 ipvsadm -Ln
show lb1 ip -4 -o addr show dev eth0
has_addr lb2 eth0 "$READ_VIP" && fail "the read VIP is on both load balancers"
ok "lb1 is MASTER with the read VIP; IPVS has the three Redis servers"

say "a write through the write VIP, reads through the read VIP"
show client redis-cli -h "$WRITE_VIP" SET seed:greeting "hello from the master"
[[ $(on client redis-cli -h "$WRITE_VIP" GET seed:greeting) == "hello from the master" ]] || fail "write VIP"
declare -A seen=()
for i in 1 2 3 4 5 6; do
	w=$(who "$READ_VIP")
	v=$(on client redis-cli -h "$READ_VIP" GET seed:greeting)
	printf '  read %d via %s: answered by %-6s GET seed:greeting = %s\n' "$i" "$READ_VIP" "$w" "$v"
	[[ -n $w ]] && seen[$w]=1
	[[ $v == "hello from the master" ]] || fail "read $i through the read VIP: '$v'"
done
((${#seen[@]} == 3)) || fail "reads reached ${!seen[*]}, not all three servers"
ok "reads spread round-robin over redis1, redis2 and redis3"

say "reloads under load: one client connection through the read VIP while lb1 reloads"
# redis-cli -r/-i repeats a command on one connection: 50 PINGs over 5 s.
on client redis-cli -h "$READ_VIP" -r 50 -i 0.1 PING >"$L/client/pings.out" 2>&1 &
pinger=$!
sleep 0.5
sed 's/^\( *\)weight 1$/\1weight 1/; /real_server 192.0.2.166/,/}/ s/weight 1/weight 2/' /lab/lb01.conf >"$L/lb1/edited.conf"
cp /lab/lb01.conf "$L/lb1/running.conf"
lb1=$(cat "$L/lb1/vigil.pid")
# Transitions so far (two nodes started together may both announce MASTER
# for a moment: 100 and 90 are 39 ms apart in the first election's skew).
lb1_transitions=$(grep -c "Entering" "$L/lb1/vigil.log")
lb2_transitions=$(grep -c "Entering" "$L/lb2/vigil.log")
# The edited file (one weight changed), then back, then an invalid one.
cp "$L/lb1/edited.conf" /lab/lb01.conf && kill -HUP "$lb1"
sleep 1
cp "$L/lb1/running.conf" /lab/lb01.conf && kill -HUP "$lb1"
sleep 1
printf 'vrrp_instance VI_1 {\n    virtual_router_id\n}\n' >/lab/lb01.conf && kill -HUP "$lb1"
sleep 1
cp "$L/lb1/running.conf" /lab/lb01.conf
wait "$pinger"
pongs=$(grep -c PONG "$L/client/pings.out")
echo "  $pongs of 50 PINGs on one connection answered during three reloads"
grep -E "IPVS sync \(reload\)|not usable|Line 2" "$L/lb1/vigil.log" | tail -n 4 | sed 's/^/  lb1: /'
((pongs == 50)) || fail "the client's connection lost PINGs: $(sort "$L/client/pings.out" | uniq -c | tr '\n' ' ')"
(($(grep -c "IPVS sync (reload): 1 writes" "$L/lb1/vigil.log") >= 2)) || fail "the weight change was not one write each way"
grep -q "(/lab/lb01.conf: Line 2)" "$L/lb1/vigil.log" || fail "the invalid file's error does not name its line"
grep -q "configuration not usable, keeping the running one" "$L/lb1/vigil.log" || fail "the invalid reload was not refused"
(($(grep -c "Entering" "$L/lb1/vigil.log") == lb1_transitions)) || fail "lb1 changed VRRP state during the reloads"
(($(grep -c "Entering" "$L/lb2/vigil.log") == lb2_transitions)) || fail "lb2 changed VRRP state during lb1's reloads"
has_addr lb1 eth0 "$READ_VIP" || fail "lb1 lost the read VIP"
show lb1 ipvsadm -Ln
ok "the connection never noticed; each weight change was one write; the invalid file was refused with its line; no VRRP transition"

say "lb1 fails: its vigil killed with -9 and its link down"
kill -9 "$(cat "$L/lb1/vigil.pid")"
on lb1 ip link set eth0 down
wait_until 15 "read VIP on lb2" has_addr lb2 eth0 "$READ_VIP"
show lb2 ip -4 -o addr show dev eth0
for i in 1 2 3; do
	v=$(on client redis-cli -h "$READ_VIP" GET seed:greeting)
	printf '  read %d via %s: %s\n' "$i" "$READ_VIP" "$v"
	[[ $v == "hello from the master" ]] || fail "read through lb2: '$v'"
done
# The kernel folds its per-CPU counters into what ipvsadm reads every 2 s.
lb2_conns() { (($(on lb2 ipvsadm -Ln --stats | awk '$1 == "TCP" {print $3}') >= 3)); }
wait_until 10 "lb2's IPVS counting the reads" lb2_conns
show lb2 ipvsadm -Ln --stats
ok "reads continue through lb2"

say "lb1 comes back: vigil adopts the VIP and rules it left, and takes over again (priority 100 > 90)"
on lb1 ip link set eth0 up
rm -f "$L/lb1/"*.pid
start_vigil lb1 /lab/lb01.conf
wait_until 20 "lb2 gives the read VIP back" sh -c "! ip -n lb2 -o addr show dev eth0 | grep -q ' $READ_VIP/'"
wait_until 5 "read VIP on lb1" has_addr lb1 eth0 "$READ_VIP"
grep -E "IPVS sync \(start\)" "$L/lb1/vigil.log" | tail -n 1 | sed 's/^/  lb1: /'
[[ $(on client redis-cli -h "$READ_VIP" GET seed:greeting) == "hello from the master" ]] || fail "read after lb1's return"
ok "lb1 is MASTER again"

say "redis2 stops: the checkers take it out of the pool"
printf '[redis2]$ kill %s   # redis-server\n' "${REDIS_PID[redis2]}"
kill "${REDIS_PID[redis2]}"
started=$SECONDS
wait_until 60 "redis2 out of lb1's IPVS" not_in_ipvs lb1 192.0.2.166
echo "  gone from IPVS after $((SECONDS - started)) s (delay_loop 6, retry 3, delay_before_retry 3)"
show lb1 ipvsadm -Ln
grep -E "192.0.2.166" "$L/lb1/vigil.log" | tail -n 2 | sed 's/^/  lb1: /'
for i in 1 2 3; do
	w=$(who "$READ_VIP")
	[[ $w == redis1 || $w == redis3 ]] || fail "read $i answered by '$w'"
done
ok "redis2 left the pool; reads go to redis1 and redis3"

say "redis2 starts again: back in the pool"
start_redis redis2 192.0.2.72
started=$SECONDS
wait_until 60 "redis2 back in lb1's IPVS" in_ipvs lb1 192.0.2.166
echo "  back in IPVS after $((SECONDS - started)) s"
show lb1 ipvsadm -Ln
ok "redis2 returned"

say "the master redis1 shuts down: Sentinel promotes a replica, the write VIP follows"
show client redis-cli -h 192.0.2.72 SHUTDOWN NOSAVE
started=$SECONDS
wait_until 120 "the write VIP on a new master" sh -c \
	"ip -n redis2 -o addr show dev eth0 | grep -q ' $WRITE_VIP/' || ip -n redis3 -o addr show dev eth0 | grep -q ' $WRITE_VIP/'"
new=$(vip_owner "$WRITE_VIP" eth0 redis2 redis3)
echo "  the write VIP moved to $new after $((SECONDS - started)) s"
has_addr redis1 eth0 "$WRITE_VIP" && fail "the write VIP is still on redis1 too"
show client redis-cli -h "$WRITE_VIP" ROLE
wait_until 30 "a write through the write VIP" sh -c \
	"ip netns exec client redis-cli -h $WRITE_VIP SET seed:after-failover yes | grep -q OK"
show client redis-cli -h "$WRITE_VIP" GET seed:after-failover
[[ $(who "$WRITE_VIP") == "$new" ]] || fail "the write VIP does not reach $new"
wait_until 60 "redis1 out of lb1's IPVS" not_in_ipvs lb1 192.0.2.72
show lb1 ipvsadm -Ln
grep "switch-master" "$L/$new/sentinel.log" | tail -n 1 | sed "s/^/  $new sentinel: /"
ok "Sentinel failed over to $new; the write VIP followed; redis1 left the read pool"

say "the lab is done"
for n in lb1 lb2; do kill "$(cat "$L/$n/vigil.pid")" 2>/dev/null; done
sleep 1
echo "PASS"
