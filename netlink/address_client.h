#pragma once

// The narrow interface to the kernel's links and interface addresses
// (rtnetlink). NetlinkAddressClient talks to the kernel; FakeAddressClient
// keeps links and addresses in memory with the kernel's semantics (the same
// errno for the same mistake), so the address reconciler is tested without a
// kernel and one contract test suite runs against both.

#include <array>
#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <vector>

#include "src/config/ip_address.h"

namespace vigil::netlink {

struct Link {
	int index = 0;
	std::string name;
	std::array<std::uint8_t, 6> mac{}; // zero when the link has no 6-byte hardware address
	bool up = false;                   // IFF_UP: administratively up
	bool running = false;              // IFF_RUNNING: up and the carrier is there (operationally up)

	bool operator==(const Link &) const = default;
};

// One address of an interface as rtnetlink describes it. Read back, an
// IPv4 address without a label carries the interface's name (the kernel's
// default); an IPv6 address has no label, no broadcast and the scope the
// kernel derives from the address itself, whatever was asked for.
struct InterfaceAddress {
	int ifindex = 0;
	config::IpPrefix prefix;                    // the local address and the prefix length
	std::optional<config::IpAddress> broadcast; // IPv4 only
	std::optional<config::IpAddress> peer;      // point-to-point: the remote end
	int scope = 0;                              // RT_SCOPE_* (0: universe, "global")
	std::string label;                          // IPv4 only, at most 15 characters
	std::uint32_t flags = 0;                    // IFA_F_*; reads also show the kernel's own (PERMANENT...)

	int family() const { return prefix.address.family; }
	// "192.0.2.1/24 brd 192.0.2.255 scope link label eth0:1 nodad (ifindex 2)",
	// for messages and test failures.
	std::string str() const;
	bool operator==(const InterfaceAddress &) const = default;
};

// The flags of a request the kernel keeps for `family` (AF_INET: only
// NOPREFIXROUTE and MCAUTOJOIN; AF_INET6: NODAD, HOMEADDRESS,
// MANAGETEMPADDR, NOPREFIXROUTE, MCAUTOJOIN). It drops the others; the
// rest of what it reports is its own (PERMANENT, SECONDARY, TENTATIVE...).
std::uint32_t keptAddressFlags(int family);

struct AddressError {
	int errnum = 0;   // the kernel's errno
	std::string text; // strerror, and the kernel's own words when it gave some

	static AddressError fromErrno(int errnum);
};

class AddressClient
{
public:
	virtual ~AddressClient() = default;

	virtual std::expected<std::vector<Link>, AddressError> links() = 0;
	// Addresses of `family` (AF_INET, AF_INET6, or 0 for both) on every link.
	virtual std::expected<std::vector<InterfaceAddress>, AddressError> addresses(int family = 0) = 0;
	// Fails as the kernel does: EEXIST when the link already has that
	// address (IPv4: same local address, prefix length and peer subnet;
	// IPv6: same address, whatever the prefix length), ENODEV for an
	// unknown ifindex, EINVAL for a prefix length too long, a peer or
	// broadcast of the other family, an IPv4 scope differing from that of
	// another address in the same subnet, or flags the family refuses.
	// Adding IPv4 0.0.0.0 succeeds and adds nothing.
	virtual std::expected<void, AddressError> addAddress(const InterfaceAddress &address) = 0;
	// Deletes the address with this local address and prefix length (and,
	// IPv4, the peer's subnet); label, scope, broadcast and flags are not
	// compared. EADDRNOTAVAIL when there is none, ENODEV for an unknown
	// ifindex.
	virtual std::expected<void, AddressError> deleteAddress(const InterfaceAddress &address) = 0;
};

} // namespace vigil::netlink
