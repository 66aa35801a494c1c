#pragma once

// What the kernel's IP Virtual Server table holds, as plain values: the
// services (virtual servers) and their destinations (real servers), with
// the identities the kernel knows them by. The words and flag values are
// those of linux/ip_vs.h; nothing here knows keepalived.conf.

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace vigil::ipvs {

// An IPv4 or IPv6 address in network byte order (IPv4 in the first four
// bytes, the rest zero).
struct Address {
	int family = 0; // AF_INET, AF_INET6
	std::array<std::uint8_t, 16> bytes{};

	static std::optional<Address> parse(const std::string &text);
	std::string str() const;
	auto operator<=>(const Address &) const = default;
};

// How the kernel names a service: address + port + protocol, or a
// firewall mark in an address family.
struct ServiceKey {
	int family = 0;             // AF_INET, AF_INET6
	std::uint16_t protocol = 0; // IPPROTO_TCP, _UDP, _SCTP; 0 for a fwmark service
	Address address;            // zero for a fwmark service
	std::uint16_t port = 0;     // host byte order
	std::uint32_t fwmark = 0;   // non-zero: a fwmark service

	// As ipvsadm -Sn writes it: "-t 192.0.2.1:80", "-u [2001:db8::1]:53",
	// "--sctp-service ...", "-f 1".
	std::string str() const;
	auto operator<=>(const ServiceKey &) const = default;
};

struct Service {
	ServiceKey key;
	std::string scheduler = "wlc";
	std::uint32_t flags = 0;       // IP_VS_SVC_F_PERSISTENT, _ONEPACKET, _SCHED1..3
	std::uint32_t timeout = 0;     // persistence, seconds (with IP_VS_SVC_F_PERSISTENT)
	std::uint32_t netmask = 0;     // persistence granularity: IPv4 mask (network order) or IPv6 prefix length
	std::string persistenceEngine; // "sip" or empty

	bool operator==(const Service &) const = default;
};

// A destination is named by its address and port within its service.
struct DestinationKey {
	Address address;
	std::uint16_t port = 0; // host byte order

	auto operator<=>(const DestinationKey &) const = default;
};

enum class Forwarding : std::uint32_t {
	kMasquerade = 0, // IP_VS_CONN_F_MASQ (NAT)
	kLocal = 1,      // IP_VS_CONN_F_LOCALNODE
	kTunnel = 2,     // IP_VS_CONN_F_TUNNEL
	kDirect = 3,     // IP_VS_CONN_F_DROUTE
};

struct Destination {
	DestinationKey key;
	Forwarding forwarding = Forwarding::kMasquerade;
	std::uint32_t weight = 1;
	std::uint32_t upperThreshold = 0;
	std::uint32_t lowerThreshold = 0;
	// Tunnelling (kernel 5.x): IP_VS_CONN_F_TUNNEL_TYPE_*, GUE port, flags.
	std::uint8_t tunnelType = 0;
	std::uint16_t tunnelPort = 0;
	std::uint16_t tunnelFlags = 0;

	bool operator==(const Destination &) const = default;
};

// A service with its destinations, as read back from the kernel.
struct ServiceTable {
	Service service;
	std::vector<Destination> destinations;
};

// Connection timeouts in seconds; 0 leaves a value unchanged (ipvsadm --set).
struct Timeouts {
	std::uint32_t tcp = 0;
	std::uint32_t tcpFin = 0;
	std::uint32_t udp = 0;
	bool operator==(const Timeouts &) const = default;
};

struct Info {
	std::uint32_t version = 0; // e.g. 0x010201 for 1.2.1
	std::uint32_t connectionTableSize = 0;
};

} // namespace vigil::ipvs
