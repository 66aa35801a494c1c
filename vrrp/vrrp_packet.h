#pragma once

// VRRP advertisements on the wire: version 2 (RFC 3768, IPv4 only) and
// version 3 (RFC 5798, IPv4 and IPv6). Pure functions over bytes: the
// sockets that carry them live elsewhere, so every rule here is testable
// with golden packets (including ones captured from keepalived 2.2.7).

#include <cstdint>
#include <expected>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "src/config/ip_address.h"
#include "src/config/vrrp/vrrp.h"

namespace vigil::vrrp {

inline constexpr int kIpProtoVrrp = 112;
inline constexpr std::uint8_t kVrrpTtl = 255;     // RFC 3768 5.2.3 / RFC 5798 5.1.1.3
inline constexpr std::size_t kVrrpHeaderSize = 8; // up to the checksum included
inline constexpr std::size_t kV2AuthDataSize = 8;
inline constexpr std::uint16_t kV3MaxIntervalCs = 0x0fff; // 12 bits

struct Advertisement {
	int version = 2; // 2 or 3
	std::uint8_t vrid = 0;
	std::uint8_t priority = 0;
	// Centiseconds. Version 2 carries whole seconds in one byte, version 3
	// centiseconds in 12 bits.
	std::uint16_t intervalCs = 100;
	// Version 2 only; kAh is never decoded (keepalived dropped AH support,
	// and such packets are dropped here too).
	config::AuthType auth = config::AuthType::kNone;
	// Version 2 PASS: up to 8 bytes, zero padded on the wire; decoded
	// without the padding.
	std::string password;
	// All of the packet's family.
	std::vector<config::IpAddress> addresses;

	bool operator==(const Advertisement &) const = default;
};

// What the IP layer said about a packet: from the IPv4 header, or from
// IPV6_PKTINFO / IPV6_HOPLIMIT for IPv6 raw sockets.
struct PacketMeta {
	config::IpAddress source;
	config::IpAddress destination;
	int ttl = 0; // TTL or hop limit
};

// Which checksum a version 3 IPv4 advertisement carries. Version 2 always
// covers the VRRP message alone; version 3 over IPv6 always includes the
// real pseudo-header (the kernel computes it, IPV6_CHECKSUM).
enum class V3Checksum {
	// RFC 5798 5.2.8: the IPv4 pseudo-header with the packet's real
	// addresses. keepalived's default since 1.3.6.
	kPseudoHeader,
	// keepalived's old_unicast_checksum (before 1.3.6): the pseudo-header
	// with 224.0.0.18 as destination whatever the real one (measured:
	// keepalived 2.2.7 with old_unicast_checksum sends exactly this).
	kPseudoHeaderMulticastDst,
	// The VRRP message alone, as version 2 (some other implementations).
	kNoPseudoHeader,
};

// The VRRP message (what follows the IP header) of `adv` sent from `src` to
// `dst`, whose family is the message's. Addresses of the other family are
// left out; at most 255 addresses are written. The interval is truncated to
// what the version carries (v2: whole seconds, at least 1 when non-zero, at
// most 255; v3: at most 4095 cs). v2 is meant for IPv4 only (the caller's
// configuration guarantees it).
std::vector<std::uint8_t> encodeAdvertisement(const Advertisement &adv, const config::IpAddress &src,
                                              const config::IpAddress &dst,
                                              V3Checksum v3Checksum = V3Checksum::kPseudoHeader);

enum class DropReason {
	kTruncated,        // shorter than its headers say
	kBadIpHeader,      // not IPv4, IHL or total length inconsistent, a fragment
	kNotVrrp,          // IP protocol is not 112
	kBadTtl,           // multicast with TTL / hop limit other than 255
	kBadVersion,       // not 2 or 3, or not the instance's
	kBadType,          // not 1 (ADVERTISEMENT)
	kBadLength,        // not a whole number of addresses after the header
	kBadAddressCount,  // the count field disagrees with the length
	kBadChecksum,      //
	kWrongVrid,        // another router's packet: ignored without a log
	kAuthTypeMismatch, // v2: unknown, AH, or not the instance's
	kBadPassword,      // v2 PASS
	kIntervalMismatch, // v2: not ours; v3: zero
	kAddressMismatch,  // the address set is not ours
	kWrongFamily,      // v2 over IPv6, or a family other than the socket's
	kUnknownPeer,      // unicast with check_unicast_src: not from a unicast_peer
};

std::string_view dropReasonText(DropReason reason);

// Decodes the VRRP message of a packet received on a socket of `family`
// (AF_INET, AF_INET6) and checks what the packet alone can tell: length,
// version 2 or 3, type, count against length, checksum, a known v2 auth
// type. Instance-specific checks are checkAgainst's.
std::expected<Advertisement, DropReason> decodeAdvertisement(std::span<const std::uint8_t> vrrp, const PacketMeta &meta,
                                                             int family,
                                                             V3Checksum v3Checksum = V3Checksum::kPseudoHeader);

// IPv4 raw sockets hand back the IP header; Linux leaves its total length
// as received (network order, header included).
struct Ipv4Datagram {
	PacketMeta meta;
	std::span<const std::uint8_t> payload;
};

// Splits an IPv4 datagram into its header fields and the payload that the
// total length delimits (link-layer padding is dropped). The header checksum
// is the kernel's to verify.
std::expected<Ipv4Datagram, DropReason> splitIpv4(std::span<const std::uint8_t> datagram);

// What an instance expects of its peers' packets.
struct Expectation {
	int family = 0; // AF_INET, AF_INET6
	int version = 2;
	std::uint8_t vrid = 0;
	config::AuthType auth = config::AuthType::kNone;
	std::string password;
	std::uint16_t intervalCs = 100;
	std::vector<config::IpAddress> addresses; // the instance's VIPs of `family`
	bool multicast = true;                    // unicast TTLs are set by unicast_ttl: not checked
	bool checkAddresses = true;               // false: keepalived's skip_check_adv_addr
};

// The checks of RFC 3768 7.1 / RFC 5798 7.1 that depend on the instance;
// nullopt when the packet is acceptable. Order: VRID, family, TTL, version,
// authentication, interval, addresses. kWrongVrid comes first: the packet is
// another router's, which the caller ignores silently, whatever else is
// wrong with it. A v3 interval is the master's to set, so it
// is never a mismatch (except zero, which no timer can use).
std::optional<DropReason> checkAgainst(const Advertisement &adv, const PacketMeta &meta, const Expectation &expected);

} // namespace vigil::vrrp
