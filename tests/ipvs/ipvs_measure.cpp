// Times the netlink client on a keepalived-sized table: 10,000 services of
// 10 destinations, applied in one pipelined call, then one operation per
// call (a request and its ACK at a time, as keepalived does), and dumped.
// Run inside the test VM: tests/vm/ipvs/measure.sh. Each mode wants a fresh
// kernel: after a flush the kernel keeps the deleted destinations in its
// trash list for a minute or more and walks that list on every add, which
// would slow whichever mode came second.
//
//   ipvs_measure [SERVICES [DESTINATIONS [pipelined|single]]]

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fmt/format.h>
#include <netinet/in.h>

#include "ipvs/netlink_ipvs_client.h"

using namespace vigil::ipvs;

namespace {

double seconds(std::chrono::steady_clock::time_point since)
{
	return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

std::vector<Operation> table(int services, int destinations)
{
	std::vector<Operation> ops;
	for (int i = 0; i < services; ++i) {
		Service s;
		s.key.address = *Address::parse("192.0.2.1");
		s.key.address.bytes[3] = static_cast<std::uint8_t>(1 + i / 50000);
		s.key.family = AF_INET;
		s.key.protocol = IPPROTO_TCP;
		s.key.port = static_cast<std::uint16_t>(10000 + i % 50000);
		s.scheduler = "wlc";
		s.netmask = ~0u;
		ops.push_back({Operation::Kind::kAddService, s, {}});
		for (int j = 0; j < destinations; ++j) {
			Destination d;
			d.key.address = *Address::parse("198.51.100.0");
			d.key.address.bytes[3] = static_cast<std::uint8_t>(1 + j);
			d.key.port = 80;
			d.forwarding = Forwarding::kDirect;
			ops.push_back({Operation::Kind::kAddDestination, s, d});
		}
	}
	return ops;
}

int failures(const std::vector<int> &results)
{
	int n = 0;
	for (int r : results)
		n += r != 0;
	return n;
}

} // namespace

int main(int argc, char **argv)
{
	int services = argc > 1 ? std::atoi(argv[1]) : 10000;
	int destinations = argc > 2 ? std::atoi(argv[2]) : 10;
	const bool single = argc > 3 && std::strcmp(argv[3], "single") == 0;
	auto opened = NetlinkIpvsClient::open();
	if (!opened) {
		fmt::print(stderr, "open: {}\n", std::strerror(opened.error()));
		return 1;
	}
	NetlinkIpvsClient &client = **opened;
	const std::vector<Operation> ops = table(services, destinations);
	fmt::print("{} services x {} destinations = {} operations, window {}\n", services, destinations, ops.size(),
	           client.maxInFlight());

	client.flush();
	auto t0 = std::chrono::steady_clock::now();
	if (single) {
		int failed = 0;
		for (const Operation &op : ops)
			failed += client.apply(std::span<const Operation>(&op, 1))[0] != 0;
		fmt::print("apply, one op per call:    {:8.3f} s  ({} failed)\n", seconds(t0), failed);
		fmt::print("requests sent: {}\n", client.requestsSent());
		return 0;
	}
	auto results = client.apply(ops);
	fmt::print("apply, pipelined:          {:8.3f} s  ({} failed)\n", seconds(t0), failures(results));

	t0 = std::chrono::steady_clock::now();
	auto dumped = client.dump();
	std::size_t dests = 0;
	for (const ServiceTable &t : dumped.value_or(std::vector<ServiceTable>{}))
		dests += t.destinations.size();
	fmt::print("dump:                      {:8.3f} s  ({} services, {} destinations)\n", seconds(t0),
	           dumped ? dumped->size() : 0, dests);

	t0 = std::chrono::steady_clock::now();
	client.flush();
	fmt::print("flush:                     {:8.3f} s\n", seconds(t0));

	fmt::print("requests sent: {}\n", client.requestsSent());
	return 0;
}
