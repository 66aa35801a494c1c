#include "netlink/netlink_address_client.h"

#include <cerrno>
#include <cstring>
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>
#include <sys/socket.h>

#include "netlink/rtnl_codec.h"

namespace vigil::netlink {

namespace {

// Dump datagrams are at most 32 KB (the kernel sizes them after the
// largest read so far, up to that cap).
constexpr std::size_t kAddressReceiveBuffer = 64 << 10;
// A dump restarts when the table changed under it; give up after this many.
constexpr int kDumpAttempts = 5;

// The kernel's words for a refused request (NETLINK_EXT_ACK), or "".
std::string extackMessage(const nlmsghdr *nlh)
{
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return {};
	const auto *err = static_cast<const nlmsgerr *>(NLMSG_DATA(nlh));
	std::size_t offset = NLMSG_HDRLEN + sizeof(nlmsgerr);
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		offset += err->msg.nlmsg_len - NLMSG_HDRLEN;
	if (offset >= nlh->nlmsg_len)
		return {};
	auto *head = reinterpret_cast<nlattr *>(reinterpret_cast<std::uintptr_t>(nlh) + NLMSG_ALIGN(offset));
	int len = static_cast<int>(nlh->nlmsg_len - NLMSG_ALIGN(offset));
	nlattr *msg = nla_find(head, len, NLMSGERR_ATTR_MSG);
	if (!msg || nla_len(msg) <= 0)
		return {};
	return std::string(static_cast<const char *>(nla_data(msg)),
	                   strnlen(static_cast<const char *>(nla_data(msg)), static_cast<std::size_t>(nla_len(msg))));
}

AddressError kernelError(int errnum, const std::string &detail)
{
	AddressError e = AddressError::fromErrno(errnum);
	if (!detail.empty())
		e.text += " (" + detail + ")";
	return e;
}

} // namespace

std::expected<std::unique_ptr<NetlinkAddressClient>, AddressError> NetlinkAddressClient::open()
{
	nl_sock *sock = nl_socket_alloc();
	if (!sock)
		return std::unexpected(AddressError::fromErrno(ENOMEM));
	if (int rc = nl_connect(sock, NETLINK_ROUTE); rc < 0) {
		nl_socket_free(sock);
		return std::unexpected(AddressError{EPROTONOSUPPORT, nl_geterror(rc)});
	}
	// Requests ask for their ACK themselves; dumps end with NLMSG_DONE.
	nl_socket_disable_auto_ack(sock);
	int fd = nl_socket_get_fd(sock);
	int one = 1;
	// Error ACKs without a copy of the request, with the kernel's reason.
	::setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof one);
	::setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof one);
	return std::unique_ptr<NetlinkAddressClient>(new NetlinkAddressClient(sock));
}

NetlinkAddressClient::NetlinkAddressClient(nl_sock *sock) : sock_(sock), receiveBuffer_(kAddressReceiveBuffer)
{
}

NetlinkAddressClient::~NetlinkAddressClient()
{
	nl_socket_free(sock_);
}

template <typename Fn> std::expected<void, AddressError> NetlinkAddressClient::transact(nl_msg *msg, Fn &&onReply)
{
	const bool isDump = nlmsg_hdr(msg)->nlmsg_flags & NLM_F_DUMP;
	int sent = nl_send_auto(sock_, msg);
	const std::uint32_t seq = nlmsg_hdr(msg)->nlmsg_seq;
	nlmsg_free(msg);
	if (sent < 0)
		return std::unexpected(AddressError{EIO, nl_geterror(sent)});
	const int fd = nl_socket_get_fd(sock_);
	bool interrupted = false;
	for (;;) {
		iovec iov{receiveBuffer_.data(), receiveBuffer_.size()};
		msghdr mh{};
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		ssize_t n = ::recvmsg(fd, &mh, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return std::unexpected(AddressError::fromErrno(errno));
		}
		if (mh.msg_flags & MSG_TRUNC)
			return std::unexpected(AddressError::fromErrno(EMSGSIZE));
		int len = static_cast<int>(n);
		for (auto *nlh = reinterpret_cast<nlmsghdr *>(receiveBuffer_.data()); NLMSG_OK(nlh, len);
		     nlh = NLMSG_NEXT(nlh, len)) {
			if (nlh->nlmsg_seq != seq)
				continue; // a late reply to an earlier request
			if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
				interrupted = true;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(int)))
					return std::unexpected(AddressError::fromErrno(EBADMSG));
				int error = -static_cast<const nlmsgerr *>(NLMSG_DATA(nlh))->error;
				if (error)
					return std::unexpected(kernelError(error, extackMessage(nlh)));
				return {};
			}
			if (nlh->nlmsg_type == NLMSG_DONE) {
				int error = 0;
				if (nlh->nlmsg_len >= NLMSG_LENGTH(sizeof(int)))
					error = -*static_cast<const int *>(NLMSG_DATA(nlh));
				if (error)
					return std::unexpected(kernelError(error, extackMessage(nlh)));
				if (interrupted)
					return std::unexpected(AddressError::fromErrno(EINTR));
				return {};
			}
			if (isDump)
				onReply(nlh);
		}
	}
}

template <typename Reset, typename Fn>
std::expected<void, AddressError> NetlinkAddressClient::dump(nl_msg *(*request)(int), int family, Reset &&reset,
                                                             Fn &&onReply)
{
	std::expected<void, AddressError> result;
	for (int attempt = 0; attempt < kDumpAttempts; ++attempt) {
		nl_msg *msg = request(family);
		if (!msg)
			return std::unexpected(AddressError::fromErrno(ENOMEM));
		reset();
		result = transact(msg, onReply);
		if (result || result.error().errnum != EINTR)
			return result;
	}
	return result;
}

std::expected<std::vector<Link>, AddressError> NetlinkAddressClient::links()
{
	std::vector<Link> out;
	auto rc = dump(
	        codec::linkDumpRequest, AF_UNSPEC, [&] { out.clear(); },
	        [&](const nlmsghdr *nlh) {
		        if (auto link = codec::parseLink(nlh))
			        out.push_back(std::move(*link));
	        });
	if (!rc)
		return std::unexpected(rc.error());
	return out;
}

std::expected<std::vector<InterfaceAddress>, AddressError> NetlinkAddressClient::addresses(int family)
{
	std::vector<InterfaceAddress> out;
	auto rc = dump(
	        codec::addressDumpRequest, family, [&] { out.clear(); },
	        [&](const nlmsghdr *nlh) {
		        if (auto a = codec::parseAddress(nlh); a && (family == 0 || a->family() == family))
			        out.push_back(std::move(*a));
	        });
	if (!rc)
		return std::unexpected(rc.error());
	return out;
}

std::expected<void, AddressError> NetlinkAddressClient::addAddress(const InterfaceAddress &address)
{
	nl_msg *msg = codec::addressRequest(RTM_NEWADDR, address);
	if (!msg)
		return std::unexpected(AddressError::fromErrno(EINVAL));
	return transact(msg, [](const nlmsghdr *) {});
}

std::expected<void, AddressError> NetlinkAddressClient::deleteAddress(const InterfaceAddress &address)
{
	nl_msg *msg = codec::addressRequest(RTM_DELADDR, address);
	if (!msg)
		return std::unexpected(AddressError::fromErrno(EINVAL));
	return transact(msg, [](const nlmsghdr *) {});
}

} // namespace vigil::netlink
