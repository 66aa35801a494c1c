/*
 * Counts IPVS destinations over generic netlink, for bench/bench-ipvs.sh:
 * a small static program, so that one poll costs one cheap exec in the TCG
 * guest instead of ipvsadm's dynamic loading of libnl, and no text
 * formatting of the whole table as /proc/net/ip_vs does.
 *
 *   ipvs-count               prints "SERVICES DESTINATIONS" of the table
 *   ipvs-count ADDR:PORT     prints the destinations of TCP service
 *                            ADDR:PORT (IPv4), 0 if there is no such service
 *   ipvs-count -w N ADDR:PORT PID MS SECS
 *                            polls every MS ms until ADDR:PORT has N or more
 *                            destinations and prints the wall clock then
 *                            (microseconds since the epoch), the wall time
 *                            of that last poll and the CPU time of all the
 *                            polls (microseconds), and the number of polls;
 *                            exits 3 after
 *                            SECS s or as soon as process PID is gone
 *   ipvs-count -e PID MS SECS
 *                            polls /proc/net/ip_vs (its first page only)
 *                            every MS ms until it lists no service; prints
 *                            the wall clock then; exits 3 after SECS s, or
 *                            1 s after process PID is gone
 *
 * The polling modes run in one process, so a poll costs no fork or exec.
 * Exits 1 on a netlink error. Written for the benchmark; not part of vigil.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/genetlink.h>
#include <linux/ip_vs.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct service {
	uint16_t af;
	uint16_t protocol;
	uint16_t port; /* network order, as the kernel gives it */
	uint32_t fwmark;
	unsigned char addr[16];
	uint16_t addr_len;
};

static int sock = -1;
static uint32_t seq;
static uint16_t family;
static char rbuf[1 << 17];

struct request {
	struct nlmsghdr n;
	struct genlmsghdr g;
	char attrs[256];
};

static void die(const char *what, int err)
{
	fprintf(stderr, "ipvs-count: %s: %s\n", what, strerror(err));
	exit(1);
}

static struct nlattr *put(struct nlmsghdr *n, uint16_t type, const void *data, size_t len)
{
	struct nlattr *a = (struct nlattr *)((char *)n + NLMSG_ALIGN(n->nlmsg_len));
	a->nla_type = type;
	a->nla_len = (uint16_t)(NLA_HDRLEN + len);
	if (len)
		memcpy((char *)a + NLA_HDRLEN, data, len);
	n->nlmsg_len = NLMSG_ALIGN(n->nlmsg_len) + NLA_ALIGN(a->nla_len);
	return a;
}

static void end_nest(struct nlmsghdr *n, struct nlattr *nest)
{
	nest->nla_len = (uint16_t)((char *)n + n->nlmsg_len - (char *)nest);
}

static void start(struct request *r, uint16_t type, uint8_t cmd, uint16_t flags)
{
	memset(r, 0, sizeof(*r));
	r->n.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	r->n.nlmsg_type = type;
	r->n.nlmsg_flags = NLM_F_REQUEST | flags;
	r->n.nlmsg_seq = ++seq;
	r->g.cmd = cmd;
	r->g.version = 1;
}

static void send_request(struct request *r)
{
	struct sockaddr_nl to = {.nl_family = AF_NETLINK};
	if (sendto(sock, r, r->n.nlmsg_len, 0, (struct sockaddr *)&to, sizeof(to)) < 0)
		die("sendto", errno);
}

/* Reads the replies to the last request until its DONE or ACK/error, calling
 * fn on each data message. Returns 0 or the kernel's negative errno. */
static int receive(void (*fn)(struct nlmsghdr *, void *), void *arg)
{
	for (;;) {
		ssize_t len = recv(sock, rbuf, sizeof(rbuf), 0);
		if (len < 0) {
			if (errno == EINTR)
				continue;
			die("recv", errno);
		}
		for (struct nlmsghdr *h = (struct nlmsghdr *)rbuf; NLMSG_OK(h, (size_t)len); h = NLMSG_NEXT(h, len)) {
			if (h->nlmsg_seq != seq)
				continue;
			if (h->nlmsg_type == NLMSG_DONE)
				return 0;
			if (h->nlmsg_type == NLMSG_ERROR)
				return ((struct nlmsgerr *)NLMSG_DATA(h))->error;
			fn(h, arg);
		}
	}
}

/* Calls fn on each attribute of the area [data, data + len). */
#define FOR_ATTRS(a, data, len)                                                                                        \
	for (struct nlattr *a = (struct nlattr *)(data);                                                               \
	     (char *)a + NLA_HDRLEN <= (char *)(data) + (len) && a->nla_len >= NLA_HDRLEN &&                           \
	     (char *)a + a->nla_len <= (char *)(data) + (len);                                                         \
	     a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len)))
#define PAYLOAD(a) ((void *)((char *)(a) + NLA_HDRLEN))

static void *genl_attrs(struct nlmsghdr *h, int *len)
{
	*len = (int)(h->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN));
	return (char *)NLMSG_DATA(h) + GENL_HDRLEN;
}

static void on_family(struct nlmsghdr *h, void *arg)
{
	(void)arg;
	int len;
	void *data = genl_attrs(h, &len);
	FOR_ATTRS(a, data, len)
	{
		if ((a->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_FAMILY_ID)
			memcpy(&family, PAYLOAD(a), sizeof(family));
	}
}

struct service_list {
	struct service *v;
	size_t n, cap;
};

static void on_service(struct nlmsghdr *h, void *arg)
{
	struct service_list *l = arg;
	struct service s = {0};
	int len;
	void *data = genl_attrs(h, &len);
	FOR_ATTRS(a, data, len)
	{
		if ((a->nla_type & NLA_TYPE_MASK) != IPVS_CMD_ATTR_SERVICE)
			continue;
		FOR_ATTRS(b, PAYLOAD(a), a->nla_len - NLA_HDRLEN)
		{
			void *p = PAYLOAD(b);
			switch (b->nla_type & NLA_TYPE_MASK) {
			case IPVS_SVC_ATTR_AF:
				memcpy(&s.af, p, 2);
				break;
			case IPVS_SVC_ATTR_PROTOCOL:
				memcpy(&s.protocol, p, 2);
				break;
			case IPVS_SVC_ATTR_PORT:
				memcpy(&s.port, p, 2);
				break;
			case IPVS_SVC_ATTR_FWMARK:
				memcpy(&s.fwmark, p, 4);
				break;
			case IPVS_SVC_ATTR_ADDR:
				s.addr_len = (uint16_t)(b->nla_len - NLA_HDRLEN);
				if (s.addr_len > sizeof(s.addr))
					s.addr_len = sizeof(s.addr);
				memcpy(s.addr, p, s.addr_len);
				break;
			}
		}
	}
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 1024;
		l->v = realloc(l->v, l->cap * sizeof(*l->v));
		if (!l->v)
			die("realloc", ENOMEM);
	}
	l->v[l->n++] = s;
}

static void on_dest(struct nlmsghdr *h, void *arg)
{
	(void)h;
	++*(long *)arg;
}

/* The destinations of one service; 0 if it does not exist. */
static long count_dests(const struct service *s)
{
	struct request r;
	start(&r, family, IPVS_CMD_GET_DEST, NLM_F_DUMP);
	struct nlattr *nest = put(&r.n, IPVS_CMD_ATTR_SERVICE | NLA_F_NESTED, NULL, 0);
	put(&r.n, IPVS_SVC_ATTR_AF, &s->af, 2);
	if (s->fwmark) {
		put(&r.n, IPVS_SVC_ATTR_FWMARK, &s->fwmark, 4);
	} else {
		put(&r.n, IPVS_SVC_ATTR_PROTOCOL, &s->protocol, 2);
		put(&r.n, IPVS_SVC_ATTR_ADDR, s->addr, s->addr_len);
		put(&r.n, IPVS_SVC_ATTR_PORT, &s->port, 2);
	}
	end_nest(&r.n, nest);
	send_request(&r);
	long n = 0;
	int err = receive(on_dest, &n);
	if (err == -ESRCH || err == -ENOENT)
		return 0;
	if (err)
		die("IPVS_CMD_GET_DEST", -err);
	return n;
}

static long long now_us(void)
{
	struct timespec t;
	clock_gettime(CLOCK_REALTIME, &t);
	return (long long)t.tv_sec * 1000000 + t.tv_nsec / 1000;
}

static void nap_ms(long ms)
{
	struct timespec t = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
	while (nanosleep(&t, &t) < 0 && errno == EINTR) {
	}
}

/* Whether PID still runs (a zombie counts as gone). */
static int running(pid_t pid)
{
	char path[64], buf[512];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	const char *p = strrchr(buf, ')');
	return p && p[1] == ' ' && p[2] != 'Z' && p[2] != 'X';
}

/* Whether /proc/net/ip_vs lists no service: its first read (one page) has
 * only the three header lines. */
static int table_empty(void)
{
	char buf[4096];
	int fd = open("/proc/net/ip_vs", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die("/proc/net/ip_vs", errno);
	ssize_t n = read(fd, buf, sizeof(buf));
	close(fd);
	int lines = 0;
	for (ssize_t i = 0; i < n; i++)
		lines += buf[i] == '\n';
	return lines <= 3;
}

static int parse_service(const char *arg, struct service *s)
{
	char host[64];
	const char *colon = strrchr(arg, ':');
	*s = (struct service){.af = AF_INET, .protocol = IPPROTO_TCP, .addr_len = 4};
	if (!colon || (size_t)(colon - arg) >= sizeof(host)) {
		fprintf(stderr, "ipvs-count: want ADDR:PORT, got %s\n", arg);
		return -1;
	}
	memcpy(host, arg, (size_t)(colon - arg));
	host[colon - arg] = '\0';
	if (inet_pton(AF_INET, host, s->addr) != 1) {
		fprintf(stderr, "ipvs-count: not an IPv4 address: %s\n", host);
		return -1;
	}
	s->port = htons((uint16_t)atoi(colon + 1));
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: ipvs-count [ADDR:PORT]\n"
	                "       ipvs-count -w N ADDR:PORT PID MS SECS\n"
	                "       ipvs-count -e PID MS SECS\n");
	return 2;
}

int main(int argc, char **argv)
{
	int wait_full = argc == 7 && strcmp(argv[1], "-w") == 0;
	int wait_empty = argc == 5 && strcmp(argv[1], "-e") == 0;
	if (!wait_full && !wait_empty && (argc > 2 || (argc == 2 && argv[1][0] == '-')))
		return usage();
	if (wait_empty) {
		pid_t pid = (pid_t)atoi(argv[2]);
		long ms = atol(argv[3]);
		long long end = now_us() + atoll(argv[4]) * 1000000LL, gone = 0;
		for (;;) {
			if (table_empty()) {
				printf("%lld\n", now_us());
				return 0;
			}
			long long t = now_us();
			if (!gone && !running(pid))
				gone = t;
			if (t > end || (gone && t > gone + 1000000))
				return 3;
			nap_ms(ms);
		}
	}
	sock = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (sock < 0)
		die("socket", errno);

	struct request r;
	start(&r, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, NLM_F_ACK);
	put(&r.n, CTRL_ATTR_FAMILY_NAME, IPVS_GENL_NAME, sizeof(IPVS_GENL_NAME));
	send_request(&r);
	int err = receive(on_family, NULL);
	if (err || !family)
		die("IPVS generic netlink family", err ? -err : ENOENT);

	if (wait_full) {
		struct service s;
		long want = atol(argv[2]);
		if (parse_service(argv[3], &s) < 0)
			return 2;
		pid_t pid = (pid_t)atoi(argv[4]);
		long ms = atol(argv[5]);
		long long end = now_us() + atoll(argv[6]) * 1000000LL;
		for (long polls = 1;; polls++) {
			long long before = now_us();
			long n = count_dests(&s);
			long long after = now_us();
			if (n >= want) {
				struct rusage ru;
				getrusage(RUSAGE_SELF, &ru);
				long long cpu = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000LL +
				                ru.ru_utime.tv_usec + ru.ru_stime.tv_usec;
				printf("%lld %lld %lld %ld\n", after, after - before, cpu, polls);
				return 0;
			}
			if (now_us() > end || !running(pid))
				return 3;
			nap_ms(ms);
		}
	}
	if (argc == 2) {
		struct service s;
		if (parse_service(argv[1], &s) < 0)
			return 2;
		printf("%ld\n", count_dests(&s));
		return 0;
	}

	struct service_list l = {0};
	start(&r, family, IPVS_CMD_GET_SERVICE, NLM_F_DUMP);
	send_request(&r);
	err = receive(on_service, &l);
	if (err)
		die("IPVS_CMD_GET_SERVICE", -err);
	long total = 0;
	for (size_t i = 0; i < l.n; i++)
		total += count_dests(&l.v[i]);
	printf("%zu %ld\n", l.n, total);
	return 0;
}
