// Times the netlink client on a keepalived-sized table: 10,000 services of
// 10 destinations shaped like bench/gen-config.py's (TCP port 80, rr,
// persistence_timeout 50, direct routing, weight 1, every address
// distinct), applied in one pipelined call (an ACK for the last request of
// each sendmsg only; "acked": for each request), then one operation per
// call (a request and its ACK at a time, as keepalived does), and dumped.
// Run inside the test VM: bench/vm/measure.sh. Each mode wants a fresh
// kernel: after a flush the kernel keeps the deleted destinations in its
// trash list for a minute or more and walks that list on every add, which
// would slow whichever mode came second.
//
// "encode" builds the same requests without a socket or IPVS, for the
// user-space share of an apply. "fill" only applies the table and leaves it
// in the kernel: bench/bench-ipvs.sh times it from the exec as the floor of
// any client, the kernel's own work with no file to read.
//
//   ipvs-measure [SERVICES [DESTINATIONS [pipelined|acked|single|encode|fill]]]

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fmt/format.h>
#include <linux/ip_vs.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <sys/resource.h>

#include "ipvs/ipvs_netlink_codec.h"
#include "ipvs/netlink_ipvs_client.h"
#include "tests/ipvs/libnl_request_builder.h"

using namespace vigil::ipvs;

namespace {

double seconds(std::chrono::steady_clock::time_point since)
{
	return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

// The host address `index` of 10.<second>.0.0 onwards, in network order.
Address tenNet(std::uint8_t second, std::uint32_t index)
{
	Address a;
	a.family = AF_INET;
	a.bytes[0] = 10;
	a.bytes[1] = static_cast<std::uint8_t>(second + index / 65536);
	a.bytes[2] = static_cast<std::uint8_t>(index / 256);
	a.bytes[3] = static_cast<std::uint8_t>(index);
	return a;
}

std::vector<Operation> table(int services, int destinations)
{
	std::vector<Operation> ops;
	ops.reserve(static_cast<std::size_t>(services) * static_cast<std::size_t>(destinations + 1));
	for (int i = 0; i < services; ++i) {
		Service s;
		s.key.address = tenNet(1, static_cast<std::uint32_t>(i));
		s.key.family = AF_INET;
		s.key.protocol = IPPROTO_TCP;
		s.key.port = 80;
		s.scheduler = "rr";
		s.flags = IP_VS_SVC_F_PERSISTENT;
		s.timeout = 50;
		s.netmask = ~0u;
		ops.push_back({Operation::Kind::kAddService, s, {}});
		for (int j = 0; j < destinations; ++j) {
			Destination d;
			d.key.address = tenNet(64, static_cast<std::uint32_t>(i * destinations + j));
			d.key.port = 80;
			d.forwarding = Forwarding::kDirect;
			d.weight = 1;
			ops.push_back({Operation::Kind::kAddDestination, s, d});
		}
	}
	return ops;
}

// User and system CPU of this process since `since`, for the split between
// building messages and the kernel's work (done in sendmsg, as system time).
struct Cpu {
	double user = 0, system = 0;
	static Cpu now()
	{
		rusage ru{};
		getrusage(RUSAGE_SELF, &ru);
		auto s = [](timeval tv) {
			return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6;
		};
		return {s(ru.ru_utime), s(ru.ru_stime)};
	}
	std::string since(const Cpu &start) const
	{
		return fmt::format("user {:.3f} s, system {:.3f} s", user - start.user, system - start.system);
	}
};

int failures(const std::vector<int> &results)
{
	int n = 0;
	for (int r : results)
		n += r != 0;
	return n;
}

// Builds the requests apply() would send into one buffer, without sending:
// the user-space share of an apply. `libnl` builds each as the client did
// before (tests/ipvs/libnl_request_builder.cpp: a message allocated per
// request, an nla_put per attribute, plus a copy the client did not make).
int encodeOnly(const std::vector<Operation> &ops, bool libnl)
{
	std::vector<std::uint8_t> buffer;
	codec::RequestHeader h{0x20, NLM_F_REQUEST | NLM_F_ACK, 1, 0};
	const Cpu c0 = Cpu::now();
	auto t0 = std::chrono::steady_clock::now();
	int failed = 0;
	for (const Operation &op : ops) {
		if (libnl) {
			std::vector<std::uint8_t> one = libnl_reference::operation(h, op);
			failed += one.empty();
			buffer.insert(buffer.end(), one.begin(), one.end());
		} else {
			failed += codec::appendOperation(buffer, h, op) != 0;
		}
		++h.seq;
		if (buffer.size() > (4 << 20))
			buffer.clear(); // apply() sends at most a few MB at once
	}
	fmt::print("encode only, {}: {:8.3f} s  ({} failed; {})\n", libnl ? "libnl   " : "in place", seconds(t0),
	           failed, Cpu::now().since(c0));
	return 0;
}

} // namespace

int main(int argc, char **argv)
{
	int services = argc > 1 ? std::atoi(argv[1]) : 10000;
	int destinations = argc > 2 ? std::atoi(argv[2]) : 10;
	const char *mode = argc > 3 ? argv[3] : "pipelined";
	const bool single = std::strcmp(mode, "single") == 0;
	const bool acked = std::strcmp(mode, "acked") == 0;
	if (std::strcmp(mode, "encode") == 0) {
		const std::vector<Operation> ops = table(services, destinations);
		fmt::print("{} services x {} destinations = {} operations\n", services, destinations, ops.size());
		encodeOnly(ops, true);
		return encodeOnly(ops, false);
	}
	auto opened = NetlinkIpvsClient::open();
	if (!opened) {
		fmt::print(stderr, "open: {}\n", std::strerror(opened.error()));
		return 1;
	}
	NetlinkIpvsClient &client = **opened;
	client.setAckEach(acked);
	const std::vector<Operation> ops = table(services, destinations);
	fmt::print("{} services x {} destinations = {} operations, window {}\n", services, destinations, ops.size(),
	           client.maxInFlight());

	if (std::strcmp(mode, "fill") == 0) {
		auto results = client.apply(ops);
		fmt::print("fill: {} failed\n", failures(results));
		return failures(results) ? 1 : 0;
	}
	client.flush();
	Cpu c0 = Cpu::now();
	auto t0 = std::chrono::steady_clock::now();
	if (single) {
		int failed = 0;
		for (const Operation &op : ops)
			failed += client.apply(std::span<const Operation>(&op, 1))[0] != 0;
		fmt::print("apply, one op per call:    {:8.3f} s  ({} failed; {})\n", seconds(t0), failed,
		           Cpu::now().since(c0));
		fmt::print("requests sent: {}\n", client.requestsSent());
		return 0;
	}
	auto results = client.apply(ops);
	fmt::print("apply, pipelined{}: {:8.3f} s  ({} failed; {})\n", acked ? ", ACK each" : "          ", seconds(t0),
	           failures(results), Cpu::now().since(c0));

	c0 = Cpu::now();
	t0 = std::chrono::steady_clock::now();
	auto dumped = client.dump();
	std::size_t dests = 0;
	for (const ServiceTable &t : dumped.value_or(std::vector<ServiceTable>{}))
		dests += t.destinations.size();
	fmt::print("dump:                      {:8.3f} s  ({} services, {} destinations; {})\n", seconds(t0),
	           dumped ? dumped->size() : 0, dests, Cpu::now().since(c0));

	t0 = std::chrono::steady_clock::now();
	client.flush();
	fmt::print("flush:                     {:8.3f} s\n", seconds(t0));

	fmt::print("requests sent: {}\n", client.requestsSent());
	return 0;
}
