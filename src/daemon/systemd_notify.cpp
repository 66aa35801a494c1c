#include "src/daemon/systemd_notify.h"

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace vigil::daemon {

SystemdNotifier::SystemdNotifier()
{
	if (const char *path = std::getenv("NOTIFY_SOCKET"))
		socket_ = path;
	::unsetenv("NOTIFY_SOCKET");
}

bool SystemdNotifier::send(std::string_view state) const
{
	sockaddr_un address{};
	// An absolute path, or '@' for the abstract namespace.
	if (socket_.empty() || socket_.size() >= sizeof address.sun_path ||
	    (socket_.front() != '/' && socket_.front() != '@'))
		return false;
	address.sun_family = AF_UNIX;
	std::memcpy(address.sun_path, socket_.data(), socket_.size());
	if (address.sun_path[0] == '@')
		address.sun_path[0] = '\0';
	int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return false;
	const auto length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + socket_.size());
	const bool sent =
	        ::sendto(fd, state.data(), state.size(), MSG_NOSIGNAL, reinterpret_cast<const sockaddr *>(&address),
	                 length) == static_cast<ssize_t>(state.size());
	::close(fd);
	return sent;
}

} // namespace vigil::daemon
