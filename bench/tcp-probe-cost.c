// The kernel's cost of one TCP health check, two ways, on loopback:
//
//   full       what TCP_CHECK does in keepalived and vigil: a non-blocking
//              socket, connect, wait for the handshake, close (FIN both
//              ways, TIME_WAIT on our side); the listener accepts and
//              closes, as a server would.
//   half-open  a SYN from a raw socket; the listener's kernel answers
//              SYN-ACK (the server is up) or RST (it is not); ours, having
//              no socket for that port, answers the SYN-ACK with a RST. No
//              socket on our side, no accepted connection on the server's.
//
// One check at a time, N of each; prints the CPU time (user + system) of
// the prober and of the listener process. Root (a raw socket); run it in a
// namespace of its own so no TIME_WAIT of an earlier run is left around:
//
//   gcc -O2 -o /tmp/tcp-probe-cost bench/tcp-probe-cost.c
//   for m in full half-open; do
//     ip netns add cost && ip -n cost link set lo up
//     ip netns exec cost /tmp/tcp-probe-cost $m 20000
//     ip netns del cost
//   done
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { kPortsReserved = 64 };

static double cpuSeconds(int who, int systemOnly)
{
	struct rusage r;
	getrusage(who, &r);
	double s = r.ru_stime.tv_sec + r.ru_stime.tv_usec / 1e6;
	return systemOnly ? s : s + r.ru_utime.tv_sec + r.ru_utime.tv_usec / 1e6;
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

// The Internet checksum over the pseudo-header and the TCP header.
static unsigned short tcpChecksum(struct in_addr src, struct in_addr dst, const struct tcphdr *th)
{
	unsigned sum = 0;
	const unsigned short *w = (const unsigned short *)&src;
	sum += w[0] + w[1];
	w = (const unsigned short *)&dst;
	sum += w[0] + w[1];
	sum += htons(IPPROTO_TCP) + htons(sizeof *th);
	w = (const unsigned short *)th;
	for (size_t i = 0; i < sizeof *th / 2; ++i)
		sum += w[i];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (unsigned short)~sum;
}

static int fullCheck(const struct sockaddr_in *server)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return 0;
	int up = 0;
	if (connect(fd, (const struct sockaddr *)server, sizeof *server) == 0 || errno == EINPROGRESS) {
		struct pollfd p = {fd, POLLOUT, 0};
		int error = 1;
		socklen_t length = sizeof error;
		if (poll(&p, 1, 1000) == 1 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) == 0)
			up = error == 0;
	}
	close(fd);
	return up;
}

// Source ports are reserved by binding TCP sockets to them (never
// listening): nothing else on the host can use them, and the kernel still
// has no socket to match the SYN-ACK to, so it resets the server's
// half-open connection.
static int halfOpenCheck(int raw, struct in_addr self, unsigned short port, const struct sockaddr_in *server)
{
	struct tcphdr th;
	memset(&th, 0, sizeof th);
	th.source = htons(port);
	th.dest = server->sin_port;
	th.seq = htonl((unsigned)random());
	th.doff = sizeof th / 4;
	th.syn = 1;
	th.window = htons(65535);
	th.check = tcpChecksum(self, server->sin_addr, &th);
	if (sendto(raw, &th, sizeof th, 0, (const struct sockaddr *)server, sizeof *server) < 0)
		return 0;
	// A raw socket gets a copy of every TCP segment for this host: skip
	// those that are not the answer to this SYN (on loopback, our own SYN
	// and the kernel's RST among them).
	unsigned char buffer[128];
	for (int budget = 16; budget > 0; --budget) {
		struct pollfd p = {raw, POLLIN, 0};
		if (poll(&p, 1, 1000) != 1)
			return 0;
		ssize_t n = recv(raw, buffer, sizeof buffer, 0);
		if (n < (ssize_t)sizeof(struct iphdr))
			continue;
		const struct iphdr *ip = (const struct iphdr *)buffer;
		if (n < ip->ihl * 4 + (ssize_t)sizeof(struct tcphdr))
			continue;
		const struct tcphdr *reply = (const struct tcphdr *)(buffer + ip->ihl * 4);
		if (ip->saddr != server->sin_addr.s_addr || reply->source != th.dest || reply->dest != th.source)
			continue;
		return reply->syn && reply->ack && ntohl(reply->ack_seq) == ntohl(th.seq) + 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 3 || (strcmp(argv[1], "full") && strcmp(argv[1], "half-open"))) {
		fprintf(stderr, "usage: %s full|half-open N\n", argv[0]);
		return 2;
	}
	const int full = strcmp(argv[1], "full") == 0;
	const int n = atoi(argv[2]);
	struct sockaddr_in server = {.sin_family = AF_INET, .sin_port = htons(9999)};
	inet_pton(AF_INET, "127.0.0.2", &server.sin_addr);
	int one = 1;
	int listener = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(listener, (struct sockaddr *)&server, sizeof server) < 0 || listen(listener, 4096) < 0) {
		perror("listener");
		return 1;
	}
	pid_t child = fork();
	if (child == 0) {
		for (;;) {
			int c = accept(listener, NULL, NULL);
			if (c >= 0)
				close(c);
		}
	}
	close(listener);

	int raw = -1;
	unsigned short ports[kPortsReserved];
	struct in_addr self;
	inet_pton(AF_INET, "127.0.0.1", &self);
	if (!full) {
		raw = socket(AF_INET, SOCK_RAW, IPPROTO_TCP);
		if (raw < 0) {
			perror("raw socket (root?)");
			kill(child, SIGKILL);
			return 1;
		}
		for (int i = 0; i < kPortsReserved; ++i) {
			struct sockaddr_in local = {.sin_family = AF_INET, .sin_addr = self};
			socklen_t length = sizeof local;
			int r = socket(AF_INET, SOCK_STREAM, 0);
			if (r < 0 || bind(r, (struct sockaddr *)&local, sizeof local) < 0 ||
			    getsockname(r, (struct sockaddr *)&local, &length) < 0) {
				perror("reserving a port");
				kill(child, SIGKILL);
				return 1;
			}
			ports[i] = ntohs(local.sin_port);
		}
	}

	const double cpu0 = cpuSeconds(RUSAGE_SELF, 0), sys0 = cpuSeconds(RUSAGE_SELF, 1), t0 = now();
	int up = 0;
	for (int i = 0; i < n; ++i)
		up += full ? fullCheck(&server) : halfOpenCheck(raw, self, ports[i % kPortsReserved], &server);
	const double wall = now() - t0;
	const double cpu = cpuSeconds(RUSAGE_SELF, 0) - cpu0, sys = cpuSeconds(RUSAGE_SELF, 1) - sys0;
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	const double listenerCpu = cpuSeconds(RUSAGE_CHILDREN, 0);
	printf("%-9s %d of %d up, %.3f s; prober CPU %.3f s (system %.3f), listener CPU %.3f s; "
	       "%.1f us of CPU per check in all\n",
	       argv[1], up, n, wall, cpu, sys, listenerCpu, 1e6 * (cpu + listenerCpu) / n);
	return up == n ? 0 : 1;
}
