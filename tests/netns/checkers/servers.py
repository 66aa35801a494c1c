#!/usr/bin/env python3
"""Real servers for the checker tests: `servers.py MODE ADDRESS PORT` serves
until killed. Modes: tcp (accepts and closes), http (GET: 200 and a fixed
body), udp-echo, dns (answers A queries for any name with 192.0.2.99),
smtp (220 greeting, 250 to HELO, 221 to QUIT). Bounded by the caller, which
kills it; nothing here reaches beyond the address it is given."""
import http.server
import socket
import socketserver
import struct
import sys


def tcp(addr, port):
    s = socket.socket(socket.AF_INET6 if ":" in addr else socket.AF_INET)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(64)
    while True:
        c, _ = s.accept()
        c.close()


class Handler(http.server.BaseHTTPRequestHandler):
    body = b"vigil checker test page\n"

    def do_GET(self):
        if self.path not in ("/", "/health"):
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args):
        pass


def http_server(addr, port):
    socketserver.TCPServer.allow_reuse_address = True
    with socketserver.TCPServer((addr, port), Handler) as server:
        server.serve_forever()


def udp_echo(addr, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((addr, port))
    while True:
        data, peer = s.recvfrom(2048)
        s.sendto(data, peer)


def dns(addr, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((addr, port))
    while True:
        data, peer = s.recvfrom(2048)
        if len(data) < 12:
            continue
        qid, flags, qd = struct.unpack("!HHH", data[:6])
        # The question: labels up to the zero byte, then type and class.
        i = 12
        while i < len(data) and data[i] != 0:
            i += data[i] + 1
        question = data[12:i + 5]
        qtype = struct.unpack("!H", data[i + 1:i + 3])[0] if i + 3 <= len(data) else 0
        answers = b""
        count = 0
        if qtype == 1:
            answers = b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 60, 4) + bytes([192, 0, 2, 99])
            count = 1
        header = struct.pack("!HHHHHH", qid, 0x8180 | (flags & 0x0100), 1, count, 0, 0)
        s.sendto(header + question + answers, peer)


def smtp(addr, port):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(16)
    while True:
        c, _ = s.accept()
        c.settimeout(5)
        try:
            c.sendall(b"220 test.example ESMTP ready\r\n")
            f = c.makefile("rb")
            for line in f:
                word = line.split(b" ")[0].strip().upper()
                if word in (b"HELO", b"EHLO"):
                    c.sendall(b"250 test.example\r\n")
                elif word == b"QUIT":
                    c.sendall(b"221 bye\r\n")
                    break
                else:
                    c.sendall(b"500 what\r\n")
        except OSError:
            pass
        c.close()


MODES = {"tcp": tcp, "http": http_server, "udp-echo": udp_echo, "dns": dns, "smtp": smtp}

if __name__ == "__main__":
    mode, addr, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    MODES[mode](addr, port)
