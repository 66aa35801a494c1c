#include "checkers/probe_socket.h"

#include <cstring>
#include <fmt/format.h>
#include <net/if.h>
#include <random>
#include <sys/socket.h>

namespace vigil::checkers {
namespace {

template <typename Socket, typename Endpoint>
std::expected<void, std::string> open(Socket &socket, const Endpoint &remote, const config::CheckerEndpoint &options)
{
	boost::system::error_code error;
	socket.open(remote.protocol(), error);
	if (error)
		return std::unexpected(fmt::format("socket: {}", error.message()));
	const int fd = socket.native_handle();
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
		socket.set_option(typename Socket::reuse_address(true), error);
		boost::asio::ip::address local = options.bindTo ? toAsio(*options.bindTo)
		                                 : remote.address().is_v6()
		                                         ? boost::asio::ip::address(boost::asio::ip::address_v6::any())
		                                         : boost::asio::ip::address(boost::asio::ip::address_v4::any());
		if (local.is_v6() && !options.bindIf.empty() && local.to_v6().is_link_local()) {
			auto v6 = local.to_v6();
			v6.scope_id(::if_nametoindex(options.bindIf.c_str()));
			local = v6;
		}
		socket.bind(Endpoint(local, options.bindPort), error);
		if (error)
			return std::unexpected(fmt::format("bind to [{}]:{}: {}", local.to_string(), options.bindPort,
			                                   error.message()));
	}
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
	// One engine per thread, seeded once from the kernel's entropy.
	thread_local std::mt19937 engine{std::random_device{}()};
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
