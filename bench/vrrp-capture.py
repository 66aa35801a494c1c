#!/usr/bin/env python3
"""Records every VRRP advertisement seen on an interface, for a bounded time.

    vrrp-capture.py IFACE SECONDS OUT

One line per packet to OUT: "<CLOCK_REALTIME seconds> <source> <vrid>
<priority>" (IPv4 only). Writes OUT.ready once the socket is bound. A packet
socket in the caller's network namespace; needs root."""
import socket
import sys
import time

ETH_P_IP = 0x0800


def main():
    iface, seconds, out = sys.argv[1], float(sys.argv[2]), sys.argv[3]
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_IP))
    s.bind((iface, 0))
    s.settimeout(0.05)
    open(out + ".ready", "w").close()
    end = time.monotonic() + seconds
    with open(out, "w") as f:
        while time.monotonic() < end:
            try:
                frame = s.recv(2048)
            except socket.timeout:
                continue
            now = time.time()
            ip = frame[14:]
            if len(ip) < 28 or ip[9] != 112:
                continue
            ihl = (ip[0] & 0x0F) * 4
            vrrp = ip[ihl:]
            src = socket.inet_ntoa(ip[12:16])
            f.write(f"{now:.6f} {src} {vrrp[1]} {vrrp[2]}\n")


if __name__ == "__main__":
    main()
