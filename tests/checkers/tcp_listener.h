#pragma once

// A listening TCP socket for the probers' tests that never accepts unless
// told: its queue shows what a probe left on the server's side.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace vigil::checkers::testing {

class TcpListener
{
public:
	enum class Bind { kLoopback, kWildcard };

	TcpListener(int backlog, bool v6 = false, Bind bind = Bind::kLoopback) { open(backlog, v6, bind); }
	~TcpListener() { close(); }
	TcpListener(const TcpListener &) = delete;
	TcpListener &operator=(const TcpListener &) = delete;

	// A new listener on a new port (127.0.0.1 / ::1, or every address).
	void open(int backlog, bool v6 = false, Bind bind = Bind::kLoopback)
	{
		close();
		fd_ = ::socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		sockaddr_storage a{};
		socklen_t length;
		if (v6) {
			auto &in6 = reinterpret_cast<sockaddr_in6 &>(a);
			in6.sin6_family = AF_INET6;
			if (bind == Bind::kLoopback)
				in6.sin6_addr = in6addr_loopback;
			length = sizeof in6;
		} else {
			auto &in4 = reinterpret_cast<sockaddr_in &>(a);
			in4.sin_family = AF_INET;
			if (bind == Bind::kLoopback)
				in4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
			length = sizeof in4;
		}
		EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr *>(&a), length), 0);
		EXPECT_EQ(::listen(fd_, backlog), 0);
		::getsockname(fd_, reinterpret_cast<sockaddr *>(&a), &length);
		port_ = ntohs(v6 ? reinterpret_cast<sockaddr_in6 &>(a).sin6_port
		                 : reinterpret_cast<sockaddr_in &>(a).sin_port);
	}
	void close()
	{
		if (fd_ >= 0)
			::close(fd_);
		fd_ = -1;
	}
	std::uint16_t port() const { return port_; }
	// Whether a connection waits to be accepted (looks for 100 ms).
	bool pending() const
	{
		pollfd p{fd_, POLLIN, 0};
		return ::poll(&p, 1, 100) == 1;
	}
	void acceptOne()
	{
		int fd = ::accept(fd_, nullptr, nullptr);
		if (fd >= 0)
			::close(fd);
	}

private:
	int fd_ = -1;
	std::uint16_t port_ = 0;
};

// A port nothing listens on: bound by a listener that is then closed.
inline std::uint16_t closedPort()
{
	TcpListener gone(1);
	return gone.port();
}

} // namespace vigil::checkers::testing
