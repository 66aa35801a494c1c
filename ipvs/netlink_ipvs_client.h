#pragma once

// The kernel's IPVS table over generic netlink (family "IPVS"), through
// libnl-3. Table changes are pipelined: apply() packs many requests into
// one sendmsg, asks for an ACK of each and matches the ACKs to the requests
// by sequence number, so 100,000 destinations cost a few hundred round
// trips instead of 100,000.

#include <cstdint>
#include <memory>
#include <vector>

#include "ipvs/ipvs_client.h"

struct nl_sock;
struct nl_msg;
struct nlmsghdr;

namespace vigil::ipvs {

class NetlinkIpvsClient final : public IpvsClient
{
public:
	// Connects a generic netlink socket and resolves the IPVS family.
	// ENOPROTOOPT when the kernel has no IPVS (no family of that name);
	// another errno when netlink itself is unavailable.
	static std::expected<std::unique_ptr<NetlinkIpvsClient>, int> open();
	~NetlinkIpvsClient() override;
	NetlinkIpvsClient(const NetlinkIpvsClient &) = delete;
	NetlinkIpvsClient &operator=(const NetlinkIpvsClient &) = delete;

	std::expected<Info, int> info() override;
	std::expected<std::vector<ServiceTable>, int> dump() override;
	std::vector<int> apply(std::span<const Operation> operations) override;
	int flush() override;
	std::expected<Timeouts, int> timeouts() override;
	int setTimeouts(const Timeouts &timeouts) override;

	// Requests that change the table, sent so far by apply() (one per
	// operation), flush() and setTimeouts(), whether the kernel accepted
	// them or not. Reads are not counted.
	std::uint64_t requestsSent() const { return requestsSent_; }

	// The most requests apply() keeps unacknowledged; set from the socket's
	// receive buffer so that no ACK is dropped. 1 is keepalived's way: one
	// request, wait for its ACK, the next (for measurements).
	std::size_t maxInFlight() const { return maxInFlight_; }
	void setMaxInFlight(std::size_t n);

private:
	NetlinkIpvsClient(nl_sock *sock, int family);

	struct Batch;
	// Completes `msg` (port, next sequence number, `flags`) and appends it
	// to sendBuffer_. Returns its sequence number.
	std::uint32_t append(nl_msg *msg, int flags);
	int sendBuffered();
	// Reads what the kernel has queued, up to `expected` datagrams per
	// call and waiting for the first, and passes every netlink message to
	// `onMessage`, which returns false once it has all it needs. 0 or an
	// errno.
	template <typename Fn> int receive(std::size_t slotSize, std::size_t expected, Fn &&onMessage);
	// One request: its replies go to `onReply`; 0 or the kernel's errno.
	template <typename Fn> int transact(nl_msg *msg, bool dump, Fn &&onReply);
	int simpleRequest(int cmd);
	void applyBatch(std::span<const Operation> ops, std::span<int> results);

	nl_sock *sock_;
	int family_;
	std::size_t maxInFlight_ = 1;
	std::size_t maxSendBytes_ = 0;
	std::uint64_t requestsSent_ = 0;
	std::vector<std::uint8_t> sendBuffer_;
	std::vector<std::uint8_t> receiveBuffer_;
};

} // namespace vigil::ipvs
