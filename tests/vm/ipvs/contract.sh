#!/bin/sh
# Guest script (tests/vm/vm.sh): the IPVS contract cases against the kernel,
# then the table one case leaves behind, as ipvsadm reads it: what our client
# wrote must be what ipvsadm would have written.
set -e
ipvs_contract_netlink_test --gtest_brief=1
ipvs_contract_netlink_test --gtest_brief=1 --gtest_filter=IpvsContract.TableForIpvsadm
ipvsadm -Sn >/tmp/saved
cat >/tmp/expected <<'END'
-A -t 192.0.2.1:80 -s wlc
-a -t 192.0.2.1:80 -r 198.51.100.1:80 -g -w 1
-a -t 192.0.2.1:80 -r 198.51.100.2:8080 -m -w 2
-a -t 192.0.2.1:80 -r 198.51.100.3:80 -i -w 3 --tun-type gue --tun-port 6080 --tun-csum
-a -t 192.0.2.1:80 -r 198.51.100.4:80 -m -w 4
-A -t 192.0.2.1:443 -s rr -p 300 -M 255.255.255.0
-a -t 192.0.2.1:443 -r 198.51.100.1:443 -g -w 0
-A -u 192.0.2.1:5060 -s rr -p 60 --pe sip
-a -u 192.0.2.1:5060 -r 198.51.100.1:5060 -i -w 1 --tun-type ipip
-A --sctp-service 192.0.2.2:3868 -s mh
-a --sctp-service 192.0.2.2:3868 -r 198.51.100.1:3868 -g -w 1
-A -u [2001:db8::1]:53 -s sh -o -b sh-fallback,sh-port
-a -u [2001:db8::1]:53 -r [2001:db8::10]:53 -g -w 1
-A -f 5 -s wlc
-a -f 5 -r 198.51.100.1:0 -g -w 1
END
if ! diff -u /tmp/expected /tmp/saved; then
	echo "ipvsadm -Sn differs from what the client was asked to write"
	exit 1
fi
# -S leaves thresholds out; --thresholds shows them.
ipvsadm -Ln --thresholds -t 192.0.2.1:80 | grep -q '198.51.100.4:80 *100 *50' || {
	ipvsadm -Ln --thresholds
	echo "thresholds 100/50 not set on 198.51.100.4:80"
	exit 1
}
echo "ipvsadm agrees"
