#include "netlink/link_watcher.h"

#include <algorithm>
#include <cerrno>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>
#include <sys/socket.h>

namespace vigil::netlink {

namespace {

// Notifications come one per datagram, well under a page each; a link
// message with every attribute is a few KB.
constexpr std::size_t kLinkReceiveBuffer = 32 << 10;
// A burst (an interface flapping, dozens of addresses going at once) must
// not overflow the queue; root may go past net.core.rmem_max.
constexpr int kSocketBuffer = 1 << 20;

void sortUnique(std::vector<int> &v)
{
	std::sort(v.begin(), v.end());
	v.erase(std::unique(v.begin(), v.end()), v.end());
}

} // namespace

std::expected<std::unique_ptr<LinkWatcher>, AddressError> LinkWatcher::open()
{
	nl_sock *sock = nl_socket_alloc();
	if (!sock)
		return std::unexpected(AddressError::fromErrno(ENOMEM));
	// Notifications carry no sequence number of ours.
	nl_socket_disable_seq_check(sock);
	int rc = nl_connect(sock, NETLINK_ROUTE);
	if (rc == 0)
		rc = nl_socket_add_memberships(sock, RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR, 0);
	if (rc == 0)
		rc = nl_socket_set_nonblocking(sock);
	if (rc < 0) {
		nl_socket_free(sock);
		return std::unexpected(AddressError{EPROTONOSUPPORT, nl_geterror(rc)});
	}
	int fd = nl_socket_get_fd(sock);
	if (::setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &kSocketBuffer, sizeof kSocketBuffer) < 0)
		::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &kSocketBuffer, sizeof kSocketBuffer);
	return std::unique_ptr<LinkWatcher>(new LinkWatcher(sock));
}

LinkWatcher::LinkWatcher(nl_sock *sock) : sock_(sock), receiveBuffer_(kLinkReceiveBuffer)
{
}

LinkWatcher::~LinkWatcher()
{
	nl_socket_free(sock_);
}

int LinkWatcher::fd() const
{
	return nl_socket_get_fd(sock_);
}

std::expected<LinkChanges, AddressError> LinkWatcher::drain()
{
	LinkChanges changes;
	for (;;) {
		// MSG_TRUNC: the datagram's real length even when it did not fit.
		ssize_t n = ::recv(fd(), receiveBuffer_.data(), receiveBuffer_.size(), MSG_DONTWAIT | MSG_TRUNC);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			if (errno == ENOBUFS) {
				// The kernel dropped notifications; the socket stays usable.
				changes.overrun = true;
				continue;
			}
			return std::unexpected(AddressError::fromErrno(errno));
		}
		if (static_cast<std::size_t>(n) > receiveBuffer_.size()) {
			// Too large to read whole: which link it was is lost, so
			// everything is to be read again.
			changes.overrun = true;
			continue;
		}
		int len = static_cast<int>(n);
		for (auto *nlh = reinterpret_cast<const nlmsghdr *>(receiveBuffer_.data()); NLMSG_OK(nlh, len);
		     nlh = NLMSG_NEXT(nlh, len)) {
			switch (nlh->nlmsg_type) {
			case RTM_NEWLINK:
			case RTM_DELLINK:
				if (nlh->nlmsg_len >= NLMSG_LENGTH(sizeof(ifinfomsg)))
					changes.links.push_back(
					        static_cast<const ifinfomsg *>(NLMSG_DATA(nlh))->ifi_index);
				break;
			case RTM_NEWADDR:
			case RTM_DELADDR:
				if (nlh->nlmsg_len >= NLMSG_LENGTH(sizeof(ifaddrmsg)))
					changes.addresses.push_back(static_cast<int>(
					        static_cast<const ifaddrmsg *>(NLMSG_DATA(nlh))->ifa_index));
				break;
			default:
				break;
			}
		}
	}
	sortUnique(changes.links);
	sortUnique(changes.addresses);
	return changes;
}

} // namespace vigil::netlink
