#include "vrrp/garp.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fmt/format.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <sys/socket.h>
#include <unistd.h>
#include <utility>

#include "common/inet_checksum.h"

namespace vigil::vrrp {

namespace {

constexpr std::uint16_t kEtherTypeIpv4 = 0x0800;
constexpr std::uint16_t kEtherTypeArp = 0x0806;
constexpr std::uint16_t kEtherTypeIpv6 = 0x86dd;
constexpr std::uint8_t kIpProtoIcmpv6 = 58;
constexpr std::uint8_t kIcmpv6NeighbourAdvert = 136;
constexpr std::uint8_t kNaFlagRouter = 0x80;
constexpr std::uint8_t kNaFlagOverride = 0x20;
constexpr std::uint8_t kOptionTargetLinkLayer = 2;
constexpr std::size_t kIcmpv6NaSize = 32; // 24 + one 8-byte option

constexpr MacAddress kBroadcast{0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
// RFC 2464 7: 33:33 and the group's low 32 bits; ff02::1 here.
constexpr MacAddress kAllNodesMac{0x33, 0x33, 0x00, 0x00, 0x00, 0x01};
constexpr std::array<std::uint8_t, 16> kAllNodes{0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};

void put16(std::vector<std::uint8_t> &out, std::uint16_t v)
{
	out.push_back(static_cast<std::uint8_t>(v >> 8));
	out.push_back(static_cast<std::uint8_t>(v));
}

void putBytes(std::vector<std::uint8_t> &out, std::span<const std::uint8_t> bytes)
{
	out.insert(out.end(), bytes.begin(), bytes.end());
}

void putEthernet(std::vector<std::uint8_t> &out, const MacAddress &dst, const MacAddress &src, std::uint16_t type)
{
	putBytes(out, dst);
	putBytes(out, src);
	put16(out, type);
}

} // namespace

std::vector<std::uint8_t> encodeGratuitousArp(const MacAddress &mac, const config::IpAddress &ipv4)
{
	const auto ip = std::span(ipv4.bytes).first(4);
	std::vector<std::uint8_t> out;
	out.reserve(kGratuitousArpSize);
	putEthernet(out, kBroadcast, mac, kEtherTypeArp);
	put16(out, 1); // hardware type: Ethernet
	put16(out, kEtherTypeIpv4);
	out.push_back(6); // hardware address length
	out.push_back(4); // protocol address length
	put16(out, 1);    // request: every host on the link processes it
	putBytes(out, mac);
	putBytes(out, ip);
	putBytes(out, kBroadcast);
	putBytes(out, ip);
	return out;
}

std::vector<std::uint8_t> encodeUnsolicitedNeighbourAdvert(const MacAddress &mac, const config::IpAddress &target,
                                                           const config::IpAddress &source, bool router)
{
	std::vector<std::uint8_t> out;
	out.reserve(kUnsolicitedNeighbourAdvertSize);
	putEthernet(out, kAllNodesMac, mac, kEtherTypeIpv6);

	// IPv6 header: version 6, traffic class and flow label 0.
	put16(out, 0x6000);
	put16(out, 0);
	put16(out, kIcmpv6NaSize);
	out.push_back(kIpProtoIcmpv6);
	out.push_back(255); // RFC 4861 7.1.2: receivers drop any other hop limit
	putBytes(out, source.bytes);
	putBytes(out, kAllNodes);

	const std::size_t icmp = out.size();
	out.push_back(kIcmpv6NeighbourAdvert);
	out.push_back(0); // code
	put16(out, 0);    // checksum, below
	// Unsolicited: Solicited clear (RFC 4861 7.2.6); Override so that
	// caches replace the old master's address.
	out.push_back(static_cast<std::uint8_t>(kNaFlagOverride | (router ? kNaFlagRouter : 0)));
	out.push_back(0);
	put16(out, 0);
	putBytes(out, target.bytes);
	out.push_back(kOptionTargetLinkLayer);
	out.push_back(1); // length in units of 8 bytes
	putBytes(out, mac);

	// RFC 4443 2.3: over the IPv6 pseudo-header and the message.
	InternetChecksum sum;
	sum.add(source.bytes);
	sum.add(kAllNodes);
	const std::array<std::uint8_t, 8> tail{0, 0, 0, kIcmpv6NaSize, 0, 0, 0, kIpProtoIcmpv6};
	sum.add(tail);
	sum.add(std::span(out).subspan(icmp));
	const std::uint16_t checksum = sum.finish();
	out[icmp + 2] = static_cast<std::uint8_t>(checksum >> 8);
	out[icmp + 3] = static_cast<std::uint8_t>(checksum);
	return out;
}

std::expected<GarpSocket, std::string> GarpSocket::open(int ifindex)
{
	// Protocol 0: the socket receives nothing, it only sends.
	int fd = ::socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return std::unexpected(fmt::format("AF_PACKET socket: {}", std::strerror(errno)));
	sockaddr_ll addr{};
	addr.sll_family = AF_PACKET;
	addr.sll_ifindex = ifindex;
	if (::bind(fd, reinterpret_cast<const sockaddr *>(&addr), sizeof(addr)) < 0) {
		std::string error =
		        fmt::format("bind AF_PACKET socket to ifindex {}: {}", ifindex, std::strerror(errno));
		::close(fd);
		return std::unexpected(std::move(error));
	}
	return GarpSocket(fd, ifindex);
}

GarpSocket::GarpSocket(GarpSocket &&other) noexcept : fd_(std::exchange(other.fd_, -1)), ifindex_(other.ifindex_)
{
}

GarpSocket &GarpSocket::operator=(GarpSocket &&other) noexcept
{
	if (this != &other) {
		if (fd_ >= 0)
			::close(fd_);
		fd_ = std::exchange(other.fd_, -1);
		ifindex_ = other.ifindex_;
	}
	return *this;
}

GarpSocket::~GarpSocket()
{
	if (fd_ >= 0)
		::close(fd_);
}

std::expected<void, std::string> GarpSocket::send(std::span<const std::uint8_t> frame)
{
	if (frame.size() < ETH_HLEN)
		return std::unexpected(fmt::format("frame of {} bytes has no Ethernet header", frame.size()));
	// The address names the frame's own destination and EtherType, so that
	// the kernel sets the skb protocol as for a frame it built itself.
	sockaddr_ll addr{};
	addr.sll_family = AF_PACKET;
	addr.sll_ifindex = ifindex_;
	std::memcpy(&addr.sll_protocol, frame.data() + 12, sizeof(addr.sll_protocol));
	addr.sll_halen = ETH_ALEN;
	std::copy_n(frame.begin(), ETH_ALEN, addr.sll_addr);
	ssize_t n =
	        ::sendto(fd_, frame.data(), frame.size(), 0, reinterpret_cast<const sockaddr *>(&addr), sizeof(addr));
	if (n < 0)
		return std::unexpected(
		        fmt::format("send {} bytes on ifindex {}: {}", frame.size(), ifindex_, std::strerror(errno)));
	if (static_cast<std::size_t>(n) != frame.size())
		return std::unexpected(fmt::format("sent {} of {} bytes on ifindex {}", n, frame.size(), ifindex_));
	return {};
}

} // namespace vigil::vrrp
