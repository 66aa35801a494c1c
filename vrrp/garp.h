#pragma once

// The frames a new master sends so that neighbours update their caches:
// gratuitous ARP for IPv4 VIPs (RFC 5227 3: an ARP announcement) and
// unsolicited neighbour advertisements for IPv6 VIPs (RFC 4861 7.2.6).
// Both are whole Ethernet frames, sent on an AF_PACKET socket, laid out as
// keepalived 2.2.7 sends them (captured on a veth; see the tests).

#include <array>
#include <cstdint>
#include <expected>
#include <span>
#include <string>
#include <vector>

#include "src/config/ip_address.h"

namespace vigil::vrrp {

using MacAddress = std::array<std::uint8_t, 6>;

inline constexpr std::size_t kGratuitousArpSize = 42;              // no padding to 60: the NIC pads
inline constexpr std::size_t kUnsolicitedNeighbourAdvertSize = 86; // Ethernet + IPv6 + 32 ICMPv6

// Broadcast ARP request (op 1) from `mac` with sender and target protocol
// address both `ipv4`, and target hardware address ff:ff:ff:ff:ff:ff (what
// keepalived puts there, where RFC 5227 would have zeros).
std::vector<std::uint8_t> encodeGratuitousArp(const MacAddress &mac, const config::IpAddress &ipv4);

// An Ethernet frame to 33:33:00:00:00:01 carrying an IPv6 packet (traffic
// class and flow label 0, hop limit 255) from `source` to ff02::1 with an
// ICMPv6 neighbour advertisement for `target`: Override set, Solicited
// clear, Router set when `router` (keepalived sets it when the interface
// forwards IPv6), and a target link-layer address option with `mac`.
// keepalived uses the VIP itself as `source`.
std::vector<std::uint8_t> encodeUnsolicitedNeighbourAdvert(const MacAddress &mac, const config::IpAddress &target,
                                                           const config::IpAddress &source, bool router = false);

// A send-only AF_PACKET socket bound to one interface: frames go out as
// given, link-layer header included.
class GarpSocket
{
public:
	static std::expected<GarpSocket, std::string> open(int ifindex);

	GarpSocket(GarpSocket &&other) noexcept;
	GarpSocket &operator=(GarpSocket &&other) noexcept;
	GarpSocket(const GarpSocket &) = delete;
	GarpSocket &operator=(const GarpSocket &) = delete;
	~GarpSocket();

	std::expected<void, std::string> send(std::span<const std::uint8_t> frame);
	int ifindex() const { return ifindex_; }

private:
	GarpSocket(int fd, int ifindex) : fd_(fd), ifindex_(ifindex) {}

	int fd_ = -1;
	int ifindex_ = 0;
};

} // namespace vigil::vrrp
