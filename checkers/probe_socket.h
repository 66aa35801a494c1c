#pragma once

// Sockets for probes with the checker's generic connection options:
// bindto / bind_port (source address and port), bind_if (SO_BINDTODEVICE,
// needed for an IPv6 link-local bindto) and fwmark (SO_MARK on every
// packet the checker sends).

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <expected>
#include <string>
#include <sys/socket.h>
#include <vector>

#include "src/config/ip_address.h"
#include "src/config/lvs/lvs.h"

namespace vigil::checkers {

boost::asio::ip::address toAsio(const config::IpAddress &address);

// A socket address to hand to bind() or connect().
struct SocketAddress {
	sockaddr_storage storage{};
	socklen_t length = 0;
	const sockaddr *get() const { return reinterpret_cast<const sockaddr *>(&storage); }
};
// `scope`: the interface index of an IPv6 link-local address, else 0.
SocketAddress socketAddress(const config::IpAddress &address, std::uint16_t port, std::uint32_t scope = 0);

// Applies the endpoint's options to an open socket of `family` (AF_INET,
// AF_INET6): bind_if, fwmark, then bindto / bind_port.
std::expected<void, std::string> applyEndpointOptions(int fd, int family, const config::CheckerEndpoint &options);

// Opens `socket` for `remote`'s family and applies the endpoint's options;
// a readable reason when one cannot be applied ("bind_if eth9: No such
// device").
std::expected<void, std::string> openProbeSocket(boost::asio::ip::tcp::socket &socket,
                                                 const boost::asio::ip::tcp::endpoint &remote,
                                                 const config::CheckerEndpoint &options);
std::expected<void, std::string> openProbeSocket(boost::asio::ip::udp::socket &socket,
                                                 const boost::asio::ip::udp::endpoint &remote,
                                                 const config::CheckerEndpoint &options);

// Unpredictable values for DNS ids, UDP_CHECK payloads and ICMP echo
// identifiers, so that a stale or forged reply rarely matches.
std::uint16_t randomU16();
std::vector<std::uint8_t> randomBytes(std::size_t count);

// "[192.0.2.10]:tcp:80", keepalived's name of a checked endpoint.
std::string endpointName(const config::IpAddress &address, std::uint16_t port, std::string_view protocol);

} // namespace vigil::checkers
