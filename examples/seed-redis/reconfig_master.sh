#!/bin/bash
# The seed's Sentinel client-reconfig-script: Sentinel runs it on every
# sentinel after a failover with <master-name> <role> <state> <from-ip>
# <from-port> <to-ip> <to-port>; the host the new master runs on takes the
# write VIP, the others drop it. As the seed wrote it, with the lab's
# addresses (one network, 192.0.2.0/24, instead of the seed's two) and
# LOCAL_IP from the environment instead of edited per host.
MASTER_IP=$6
LOCAL_IP=${LOCAL_IP:?}
VIP='192.0.2.94'
NETMASK='24'
INTERFACE='eth0'
if [ "${MASTER_IP}" = "${LOCAL_IP}" ]; then
  ip addr add ${VIP}/${NETMASK} dev ${INTERFACE}
  arping -q -c 3 -A -I ${INTERFACE} ${VIP}
  exit 0
else
  ip addr del ${VIP}/${NETMASK} dev ${INTERFACE}
  exit 0
fi
exit 1
