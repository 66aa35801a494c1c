#include "checkers/probe_socket.h"

#include <cstring>
#include <fmt/format.h>
#include <net/if.h>
#include <netinet/in.h>
#include <random>
#include <sys/socket.h>

#include "common/random_seed.h"

namespace vigil::checkers {
namespace {

template <typename Socket, typename Endpoint>
std::expected<void, std::string> open(Socket &socket, const Endpoint &remote, const config::CheckerEndpoint &options)
{
	boost::system::error_code error;
	socket.open(remote.protocol(), error);
	if (error)
		return std::unexpected(fmt::format("socket: {}", error.message()));
	if (auto applied = applyEndpointOptions(socket.native_handle(), remote.address().is_v6() ? AF_INET6 : AF_INET,
	                                        options);
	    !applied)
		return applied;
	socket.non_blocking(true, error);
	return {};
}

} // namespace

boost::asio::ip::address toAsio(const config::IpAddress &address)
{
	if (address.isV6()) {
		boost::asio::ip::address_v6::bytes_type bytes;
		std::memcpy(bytes.data(), address.bytes.data(), 16);
		return boost::asio::ip::address_v6(bytes);
	}
	boost::asio::ip::address_v4::bytes_type bytes;
	std::memcpy(bytes.data(), address.bytes.data(), 4);
	return boost::asio::ip::address_v4(bytes);
}

SocketAddress socketAddress(const config::IpAddress &address, std::uint16_t port, std::uint32_t scope)
{
	SocketAddress out;
	if (address.isV6()) {
		auto &in6 = reinterpret_cast<sockaddr_in6 &>(out.storage);
		in6.sin6_family = AF_INET6;
		in6.sin6_port = htons(port);
		std::memcpy(&in6.sin6_addr, address.bytes.data(), 16);
		in6.sin6_scope_id = scope;
		out.length = sizeof in6;
	} else {
		auto &in4 = reinterpret_cast<sockaddr_in &>(out.storage);
		in4.sin_family = AF_INET;
		in4.sin_port = htons(port);
		std::memcpy(&in4.sin_addr, address.bytes.data(), 4);
		out.length = sizeof in4;
	}
	return out;
}

std::expected<void, std::string> applyEndpointOptions(int fd, int family, const config::CheckerEndpoint &options)
{
	if (!options.bindIf.empty()) {
		if (::setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, options.bindIf.c_str(),
		                 static_cast<socklen_t>(options.bindIf.size())) != 0)
			return std::unexpected(fmt::format("bind_if {}: {}", options.bindIf, std::strerror(errno)));
	}
	if (options.fwmark) {
		int mark = static_cast<int>(*options.fwmark);
		if (::setsockopt(fd, SOL_SOCKET, SO_MARK, &mark, sizeof mark) != 0)
			return std::unexpected(fmt::format("fwmark {}: {}", *options.fwmark, std::strerror(errno)));
	}
	if (options.bindTo || options.bindPort) {
		int one = 1;
		::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
		config::IpAddress local = options.bindTo.value_or(config::IpAddress{});
		if (!options.bindTo)
			local.family = family; // the wildcard: all zero bytes
		std::uint32_t scope = 0;
		// An IPv6 link-local source needs its interface.
		if (local.isV6() && !options.bindIf.empty() && local.bytes[0] == 0xfe &&
		    (local.bytes[1] & 0xc0) == 0x80)
			scope = ::if_nametoindex(options.bindIf.c_str());
		const SocketAddress address = socketAddress(local, options.bindPort, scope);
		if (::bind(fd, address.get(), address.length) != 0)
			return std::unexpected(fmt::format("bind to [{}]:{}: {}", local.str(), options.bindPort,
			                                   std::strerror(errno)));
	}
	return {};
}

std::expected<void, std::string> openProbeSocket(boost::asio::ip::tcp::socket &socket,
                                                 const boost::asio::ip::tcp::endpoint &remote,
                                                 const config::CheckerEndpoint &options)
{
	return open(socket, remote, options);
}

std::expected<void, std::string> openProbeSocket(boost::asio::ip::udp::socket &socket,
                                                 const boost::asio::ip::udp::endpoint &remote,
                                                 const config::CheckerEndpoint &options)
{
	return open(socket, remote, options);
}

namespace {

std::mt19937 &generator()
{
	// One engine per thread, seeded once (without waiting for entropy).
	thread_local std::mt19937 engine{static_cast<std::mt19937::result_type>(nonBlockingSeed())};
	return engine;
}

} // namespace

std::uint16_t randomU16()
{
	return static_cast<std::uint16_t>(std::uniform_int_distribution<unsigned>(0, 0xffff)(generator()));
}

std::vector<std::uint8_t> randomBytes(std::size_t count)
{
	std::uniform_int_distribution<unsigned> byte(0, 0xff);
	std::vector<std::uint8_t> out(count);
	for (auto &b : out)
		b = static_cast<std::uint8_t>(byte(generator()));
	return out;
}

std::string endpointName(const config::IpAddress &address, std::uint16_t port, std::string_view protocol)
{
	return fmt::format("[{}]:{}:{}", address.str(), protocol, port);
}

} // namespace vigil::checkers
