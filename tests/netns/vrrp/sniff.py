#!/usr/bin/env python3
"""Counts gratuitous ARPs and unsolicited neighbour advertisements for one
address seen on an interface, for a bounded time.

    sniff.py IFACE SECONDS ADDRESS OUT

Writes "<count> <sender mac>..." to OUT when done (a packet socket in the
caller's network namespace; needs root)."""
import ipaddress
import socket
import sys
import time

ETH_P_ALL = 0x0003


def main():
    iface, seconds, address, out = sys.argv[1], float(sys.argv[2]), sys.argv[3], sys.argv[4]
    ip = ipaddress.ip_address(address)
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.bind((iface, 0))
    s.settimeout(0.05)
    # Ready: the caller waits for this file before starting the node.
    open(out + ".ready", "w").close()
    seen = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            frame = s.recv(2048)
        except socket.timeout:
            continue
        ethertype = int.from_bytes(frame[12:14], "big")
        src_mac = frame[6:12].hex(":")
        if ip.version == 4 and ethertype == 0x0806 and len(frame) >= 42:
            # ARP: sender IP at 28, target IP at 38; gratuitous when equal.
            if frame[28:32] == ip.packed and frame[38:42] == ip.packed:
                seen.append(src_mac)
        elif ip.version == 6 and ethertype == 0x86DD and len(frame) >= 78:
            # ICMPv6 (next header 58) type 136, target at 62.
            if frame[20] == 58 and frame[54] == 136 and frame[62:78] == ip.packed:
                seen.append(src_mac)
    with open(out, "w") as f:
        f.write(" ".join([str(len(seen))] + sorted(set(seen))) + "\n")


if __name__ == "__main__":
    main()
