/*
 * A TCP listener for bench/bench-checkers.sh: accepts connections on
 * 0.0.0.0:PORT and closes each at once, as fast as they come, so that the
 * real servers of a TCP_CHECK benchmark (distinct 127.x.y.z addresses, all
 * local) have something to connect to. One epoll loop, one process.
 *
 *   tcp-sink PORT SECS
 *
 * Listens on PORT and exits after SECS seconds (a bound, so a forgotten
 * sink does not outlive the run). Prints "listening" once the socket
 * listens; on SIGUSR1 prints "accepted N errors E" (N connections accepted
 * so far, E accept() failures other than EAGAIN) and flushes, so the
 * caller can read a counter at an exact moment; on SIGTERM or at the
 * deadline prints the same and exits 0. Written for the benchmark; not part
 * of vigil.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: tcp-sink PORT SECS\n");
		return 2;
	}
	int port = atoi(argv[1]);
	long secs = atol(argv[2]);
	if (port <= 0 || port > 65535 || secs <= 0) {
		fprintf(stderr, "tcp-sink: bad PORT or SECS\n");
		return 2;
	}

	int lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (lfd < 0) {
		perror("tcp-sink: socket");
		return 1;
	}
	int one = 1;
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	struct sockaddr_in sin;
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons((unsigned short)port);
	sin.sin_addr.s_addr = htonl(INADDR_ANY);
	if (bind(lfd, (struct sockaddr *)&sin, sizeof sin) != 0) {
		perror("tcp-sink: bind");
		return 1;
	}
	/* The kernel caps the backlog at net.core.somaxconn (4096 on 6.1). */
	if (listen(lfd, 65535) != 0) {
		perror("tcp-sink: listen");
		return 1;
	}

	sigset_t mask;
	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR1);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	int sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	int ep = epoll_create1(EPOLL_CLOEXEC);
	if (sfd < 0 || ep < 0) {
		perror("tcp-sink: signalfd/epoll");
		return 1;
	}
	struct epoll_event ev = {.events = EPOLLIN, .data.fd = lfd};
	epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev);
	ev.data.fd = sfd;
	epoll_ctl(ep, EPOLL_CTL_ADD, sfd, &ev);

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("listening\n");

	unsigned long long accepted = 0, errors = 0;
	const long long deadline = now_ms() + secs * 1000;
	int running = 1;
	while (running) {
		long long left = deadline - now_ms();
		if (left <= 0)
			break;
		struct epoll_event events[2];
		int n = epoll_wait(ep, events, 2, left > 1000 ? 1000 : (int)left);
		if (n < 0 && errno != EINTR) {
			perror("tcp-sink: epoll_wait");
			return 1;
		}
		for (int i = 0; i < n; ++i) {
			if (events[i].data.fd == lfd) {
				/* Drain the queue, at most a bounded batch per wakeup. */
				for (int k = 0; k < 4096; ++k) {
					int c = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
					if (c < 0) {
						if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR &&
						    errno != ECONNABORTED)
							++errors;
						break;
					}
					++accepted;
					close(c);
				}
			} else {
				struct signalfd_siginfo si;
				while (read(sfd, &si, sizeof si) == (ssize_t)sizeof si) {
					printf("accepted %llu errors %llu\n", accepted, errors);
					if (si.ssi_signo != SIGUSR1)
						running = 0;
				}
			}
		}
	}
	printf("accepted %llu errors %llu\n", accepted, errors);
	return 0;
}
