#include "vrrp/vrrp_socket.h"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <fmt/format.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace vigil::vrrp {
namespace {

std::string sysError(const char *what)
{
	return fmt::format("{}: {}", what, std::strerror(errno));
}

template <typename T> bool setOption(int fd, int level, int name, const T &value)
{
	return setsockopt(fd, level, name, &value, sizeof value) == 0;
}

in_addr toIn(const config::IpAddress &a)
{
	in_addr out{};
	std::memcpy(&out, a.bytes.data(), 4);
	return out;
}

in6_addr toIn6(const config::IpAddress &a)
{
	in6_addr out{};
	std::memcpy(&out, a.bytes.data(), 16);
	return out;
}

config::IpAddress fromIn6(const in6_addr &a)
{
	config::IpAddress out;
	out.family = AF_INET6;
	std::memcpy(out.bytes.data(), &a, 16);
	return out;
}

// Options for a fresh socket; false with errno set on the first failure.
bool configure(int fd, int family, const std::string &interface, int ifindex,
               const std::vector<config::IpAddress> &groups, std::string &error)
{
	const int on = 1, off = 0, ttl = 255;
	if (!interface.empty() &&
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, interface.c_str(), interface.size()) != 0) {
		error = sysError("SO_BINDTODEVICE");
		return false;
	}
	if (family == AF_INET) {
		ip_mreqn ifreq{};
		ifreq.imr_ifindex = ifindex;
		// Precedence "internetwork control", as routers send VRRP.
		const int tos = 0xc0;
		if (!setOption(fd, IPPROTO_IP, IP_MULTICAST_LOOP, static_cast<unsigned char>(0)) ||
		    !setOption(fd, IPPROTO_IP, IP_MULTICAST_ALL, off) ||
		    !setOption(fd, IPPROTO_IP, IP_MULTICAST_TTL, ttl) || !setOption(fd, IPPROTO_IP, IP_TTL, ttl) ||
		    !setOption(fd, IPPROTO_IP, IP_TOS, tos) ||
		    (ifindex > 0 && !setOption(fd, IPPROTO_IP, IP_MULTICAST_IF, ifreq))) {
			error = sysError("IPv4 socket options");
			return false;
		}
		for (const auto &group : groups) {
			ip_mreqn join{};
			join.imr_multiaddr = toIn(group);
			join.imr_ifindex = ifindex;
			if (!setOption(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, join)) {
				error = sysError(fmt::format("joining {}", group.str()).c_str());
				return false;
			}
		}
		return true;
	}
	if (!setOption(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, off) ||
	    !setOption(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, ttl) ||
	    !setOption(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, ttl) ||
	    !setOption(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, on) || !setOption(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, on) ||
	    (ifindex > 0 && !setOption(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, ifindex))) {
		error = sysError("IPv6 socket options");
		return false;
	}
	for (const auto &group : groups) {
		ipv6_mreq join{};
		join.ipv6mr_multiaddr = toIn6(group);
		join.ipv6mr_interface = static_cast<unsigned>(ifindex);
		if (!setOption(fd, IPPROTO_IPV6, IPV6_JOIN_GROUP, join)) {
			error = sysError(fmt::format("joining {}", group.str()).c_str());
			return false;
		}
	}
	return true;
}

} // namespace

RawVrrpSocket::RawVrrpSocket(int fd, int family, std::string interface, int ifindex)
        : fd_(fd), family_(family), interface_(std::move(interface)), ifindex_(ifindex)
{
}

RawVrrpSocket::~RawVrrpSocket()
{
	::close(fd_);
}

std::expected<std::unique_ptr<RawVrrpSocket>, std::string>
RawVrrpSocket::open(int family, const std::string &interface, int ifindex, const std::vector<config::IpAddress> &groups)
{
	const int fd = ::socket(family, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, kIpProtoVrrp);
	if (fd < 0)
		return std::unexpected(sysError("socket(SOCK_RAW, 112)"));
	std::unique_ptr<RawVrrpSocket> sock(new RawVrrpSocket(fd, family, interface, ifindex));
	std::string error;
	if (!configure(fd, family, interface, ifindex, groups, error))
		return std::unexpected(error);
	return sock;
}

std::expected<void, std::string> RawVrrpSocket::send(const config::IpAddress &source,
                                                     const config::IpAddress &destination,
                                                     std::span<const std::uint8_t> vrrp, int ttl)
{
	iovec iov{const_cast<std::uint8_t *>(vrrp.data()), vrrp.size()};
	msghdr msg{};
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	alignas(cmsghdr) unsigned char control[CMSG_SPACE(sizeof(in6_pktinfo)) + CMSG_SPACE(sizeof(int))]{};
	msg.msg_control = control;

	sockaddr_in to4{};
	sockaddr_in6 to6{};
	if (family_ == AF_INET) {
		to4.sin_family = AF_INET;
		to4.sin_addr = toIn(destination);
		msg.msg_name = &to4;
		msg.msg_namelen = sizeof to4;
		msg.msg_controllen = CMSG_SPACE(sizeof(in_pktinfo));
		cmsghdr *c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = IPPROTO_IP;
		c->cmsg_type = IP_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(in_pktinfo));
		in_pktinfo info{};
		info.ipi_ifindex = ifindex_;
		info.ipi_spec_dst = toIn(source);
		std::memcpy(CMSG_DATA(c), &info, sizeof info);
		// IPv4 has no per-message TTL for raw sockets; set it when it
		// differs (unicast_ttl) from the multicast 255.
		const bool multicast = (destination.bytes[0] & 0xf0) == 0xe0;
		if (!multicast && !setOption(fd_, IPPROTO_IP, IP_TTL, ttl))
			return std::unexpected(sysError("IP_TTL"));
	} else {
		to6.sin6_family = AF_INET6;
		to6.sin6_addr = toIn6(destination);
		to6.sin6_scope_id = static_cast<std::uint32_t>(ifindex_);
		msg.msg_name = &to6;
		msg.msg_namelen = sizeof to6;
		msg.msg_controllen = CMSG_SPACE(sizeof(in6_pktinfo)) + CMSG_SPACE(sizeof(int));
		cmsghdr *c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = IPPROTO_IPV6;
		c->cmsg_type = IPV6_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(in6_pktinfo));
		in6_pktinfo info{};
		info.ipi6_addr = toIn6(source);
		info.ipi6_ifindex = static_cast<unsigned>(ifindex_);
		std::memcpy(CMSG_DATA(c), &info, sizeof info);
		c = CMSG_NXTHDR(&msg, c);
		c->cmsg_level = IPPROTO_IPV6;
		c->cmsg_type = IPV6_HOPLIMIT;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		std::memcpy(CMSG_DATA(c), &ttl, sizeof ttl);
	}
	if (::sendmsg(fd_, &msg, MSG_DONTWAIT) < 0)
		return std::unexpected(sysError(fmt::format("sending to {}", destination.str()).c_str()));
	return {};
}

std::vector<std::expected<ReceivedPacket, DropReason>> RawVrrpSocket::receiveAll(std::size_t max)
{
	std::vector<std::expected<ReceivedPacket, DropReason>> out;
	std::uint8_t buffer[65536];
	for (std::size_t i = 0; i < max; ++i) {
		iovec iov{buffer, sizeof buffer};
		sockaddr_in6 from{};
		alignas(cmsghdr) unsigned char control[256];
		msghdr msg{};
		msg.msg_name = &from;
		msg.msg_namelen = sizeof from;
		msg.msg_iov = &iov;
		msg.msg_iovlen = 1;
		msg.msg_control = control;
		msg.msg_controllen = sizeof control;
		const ssize_t n = ::recvmsg(fd_, &msg, MSG_DONTWAIT);
		if (n < 0)
			break; // EAGAIN: drained (other errors: retried on the next wakeup)
		if (msg.msg_flags & MSG_TRUNC) {
			out.push_back(std::unexpected(DropReason::kTruncated));
			continue;
		}
		const std::span<const std::uint8_t> data(buffer, static_cast<std::size_t>(n));
		if (family_ == AF_INET) {
			auto datagram = splitIpv4(data);
			if (!datagram) {
				out.push_back(std::unexpected(datagram.error()));
				continue;
			}
			out.push_back(
			        ReceivedPacket{datagram->meta, {datagram->payload.begin(), datagram->payload.end()}});
			continue;
		}
		ReceivedPacket packet;
		packet.meta.source = fromIn6(from.sin6_addr);
		for (cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
			if (c->cmsg_level != IPPROTO_IPV6)
				continue;
			if (c->cmsg_type == IPV6_HOPLIMIT) {
				int hops = 0;
				std::memcpy(&hops, CMSG_DATA(c), sizeof hops);
				packet.meta.ttl = hops;
			} else if (c->cmsg_type == IPV6_PKTINFO) {
				in6_pktinfo info{};
				std::memcpy(&info, CMSG_DATA(c), sizeof info);
				packet.meta.destination = fromIn6(info.ipi6_addr);
			}
		}
		packet.vrrp.assign(data.begin(), data.end());
		out.push_back(std::move(packet));
	}
	return out;
}

} // namespace vigil::vrrp
