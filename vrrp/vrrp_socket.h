#pragma once

// The VRRP transport: raw IP protocol 112 sockets, one per (family,
// interface), shared by every instance on that interface as the VRID
// demultiplexes. `VrrpSocket` is the seam; `RawVrrpSocket` the kernel one.

#include <cstdint>
#include <expected>
#include <span>
#include <string>
#include <vector>

#include "src/config/ip_address.h"
#include "vrrp/vrrp_packet.h"

namespace vigil::vrrp {

struct ReceivedPacket {
	PacketMeta meta;                // source, destination, TTL / hop limit
	std::vector<std::uint8_t> vrrp; // the VRRP message (IPv4 header removed)
};

class VrrpSocket
{
public:
	virtual ~VrrpSocket() = default;
	// Sends one VRRP message from `source` to `destination` (a multicast
	// group or a unicast peer) with the given TTL / hop limit.
	virtual std::expected<void, std::string> send(const config::IpAddress &source,
	                                              const config::IpAddress &destination,
	                                              std::span<const std::uint8_t> vrrp, int ttl) = 0;
};

class RawVrrpSocket : public VrrpSocket
{
public:
	// Opens the socket bound to `interface` (empty: any, for unicast
	// without an interface) and joins the group when given.
	static std::expected<std::unique_ptr<RawVrrpSocket>, std::string>
	open(int family, const std::string &interface, int ifindex, const std::vector<config::IpAddress> &groups);
	~RawVrrpSocket() override;
	RawVrrpSocket(const RawVrrpSocket &) = delete;
	RawVrrpSocket &operator=(const RawVrrpSocket &) = delete;

	int fd() const { return fd_; }
	int family() const { return family_; }
	const std::string &interface() const { return interface_; }

	std::expected<void, std::string> send(const config::IpAddress &source, const config::IpAddress &destination,
	                                      std::span<const std::uint8_t> vrrp, int ttl) override;
	// Reads every datagram waiting (the socket is non-blocking). Datagrams
	// whose IP header is malformed come back as errors for the caller to
	// count, one per datagram.
	std::vector<std::expected<ReceivedPacket, DropReason>> receiveAll(std::size_t max = 256);

private:
	RawVrrpSocket(int fd, int family, std::string interface, int ifindex);

	int fd_;
	int family_;
	std::string interface_;
	int ifindex_;
};

} // namespace vigil::vrrp
