#pragma once

// Links and addresses over rtnetlink (NETLINK_ROUTE): libnl-3 for the socket
// and to build requests and parse attributes; the replies are read straight
// off the socket. One request, one ACK: VIPs come in dozens, not thousands.

#include <cstdint>
#include <memory>
#include <vector>

#include "netlink/address_client.h"

struct nl_msg;
struct nl_sock;
struct nlmsghdr;

namespace vigil::netlink {

class NetlinkAddressClient final : public AddressClient
{
public:
	static std::expected<std::unique_ptr<NetlinkAddressClient>, AddressError> open();
	~NetlinkAddressClient() override;
	NetlinkAddressClient(const NetlinkAddressClient &) = delete;
	NetlinkAddressClient &operator=(const NetlinkAddressClient &) = delete;

	std::expected<std::vector<Link>, AddressError> links() override;
	std::expected<std::vector<InterfaceAddress>, AddressError> addresses(int family = 0) override;
	std::expected<void, AddressError> addAddress(const InterfaceAddress &address) override;
	std::expected<void, AddressError> deleteAddress(const InterfaceAddress &address) override;

private:
	explicit NetlinkAddressClient(nl_sock *sock);

	// Sends `msg` (consumed) and reads until its ACK, or its NLMSG_DONE
	// for a dump, passing each reply to `onReply`. A dump the kernel marks
	// as interrupted (the table changed under it) is reported as EINTR.
	template <typename Fn> std::expected<void, AddressError> transact(nl_msg *msg, Fn &&onReply);
	// A dump made by `request(family)`, repeated when it was interrupted;
	// `reset` is called before each attempt.
	template <typename Reset, typename Fn>
	std::expected<void, AddressError> dump(nl_msg *(*request)(int), int family, Reset &&reset, Fn &&onReply);

	nl_sock *sock_;
	std::vector<std::uint8_t> receiveBuffer_;
};

} // namespace vigil::netlink
