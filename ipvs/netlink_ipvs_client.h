#pragma once

// The kernel's IPVS table over generic netlink (family "IPVS"): libnl-3
// for the socket and for parsing replies; the codec writes requests in
// place into one send buffer, without a libnl message each. Table changes
// are pipelined: apply() packs many requests into one sendmsg, asks for an
// ACK of the last only, and matches the kernel's error messages to the
// requests by sequence number, so 100,000 destinations cost a few dozen
// round trips and a few dozen ACKs instead of 100,000 of each.

#include <cstdint>
#include <memory>
#include <vector>

#include "ipvs/ipvs_client.h"
#include "ipvs/ipvs_netlink_codec.h"

struct nl_sock;
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
	// Whether every request asks for an ACK (as keepalived's do), not only
	// the last of each sendmsg; for measurements.
	void setAckEach(bool on) { ackEach_ = on; }

private:
	NetlinkIpvsClient(nl_sock *sock, int family);

	// The header of the next request: NLM_F_REQUEST | `flags`, nextSeq_.
	codec::RequestHeader nextHeader(int flags) const;
	// Sends the first `bytes` of sendBuffer_ and drops them from it.
	int sendBuffered(std::size_t bytes);
	// Reads what the kernel has queued, up to `expected` datagrams per
	// call and waiting for the first, and passes every netlink message to
	// `onMessage`, which returns false once it has all it needs. 0 or an
	// errno.
	template <typename Fn> int receive(std::size_t slotSize, std::size_t expected, Fn &&onMessage);
	// One request, which `encode` (an appendX of the codec, bound to its
	// arguments) writes; its replies go to `onReply`. 0 or the kernel's
	// errno.
	template <typename Encode, typename Fn> int transact(bool dump, Encode &&encode, Fn &&onReply);
	int simpleRequest(int cmd);
	void applyBatch(std::span<const Operation> ops, std::span<int> results);

	nl_sock *sock_;
	int family_;
	std::uint32_t port_;
	// Requests are numbered consecutively; applyBatch() relies on it.
	std::uint32_t nextSeq_;
	std::size_t maxInFlight_ = 1;
	std::size_t maxSendBytes_ = 0;
	bool ackEach_ = false;
	std::uint64_t requestsSent_ = 0;
	std::vector<std::uint8_t> sendBuffer_;
	std::vector<std::uint8_t> receiveBuffer_;
};

} // namespace vigil::ipvs
