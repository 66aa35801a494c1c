#pragma once

// Link and address changes as the kernel announces them: a netlink socket
// subscribed to RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR and RTNLGRP_IPV6_IFADDR.
// The event loop waits on fd() (Boost.Asio posix::stream_descriptor,
// async_wait for reading) and calls drain() when it is readable; the VRRP
// runtime then reads links() and the reconciler the addresses again. The
// watcher only says which links to look at, never what changed: reading
// back is the one source of truth.

#include <expected>
#include <memory>
#include <vector>

#include "netlink/address_client.h"

struct nl_sock;

namespace vigil::netlink {

struct LinkChanges {
	std::vector<int> links;     // ifindexes whose link changed (flags, carrier, name, added, removed)
	std::vector<int> addresses; // ifindexes that gained or lost an address
	// Notifications were dropped (the socket's buffer overflowed): anything
	// may have changed, read everything again.
	bool overrun = false;

	bool empty() const { return links.empty() && addresses.empty() && !overrun; }
};

class LinkWatcher
{
public:
	static std::expected<std::unique_ptr<LinkWatcher>, AddressError> open();
	~LinkWatcher();
	LinkWatcher(const LinkWatcher &) = delete;
	LinkWatcher &operator=(const LinkWatcher &) = delete;

	// Non-blocking; readable when notifications are queued.
	int fd() const;
	// Reads every queued notification without waiting. Each ifindex is
	// listed once, in ascending order.
	std::expected<LinkChanges, AddressError> drain();

private:
	explicit LinkWatcher(nl_sock *sock);

	nl_sock *sock_;
	std::vector<std::uint8_t> receiveBuffer_;
};

} // namespace vigil::netlink
