#include "ipvs/netlink_ipvs_client.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <linux/genetlink.h>
#include <linux/ip_vs.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>
#include <sys/socket.h>

#include "ipvs/ipvs_netlink_codec.h"

namespace vigil::ipvs {

namespace {

// Socket buffers asked for. Only root gets past net.core.[rw]mem_max (the
// kernel doubles what it grants), which is fine: the window follows what
// the kernel actually granted.
constexpr int kSocketBuffer = 8 << 20;
// What one queued ACK costs in the receive buffer: the skb's truesize, not
// the 36 bytes of a capped ACK (estimated well under 1 KB on 6.1, not
// measured; an overrun is detected as ENOBUFS and halves the window).
constexpr std::size_t kAckTruesize = 1024;
constexpr std::size_t kMaxInFlight = 4096;
// recvmmsg slots: ACKs are 36 bytes with NETLINK_CAP_ACK; dump datagrams
// are at most 32 KB (the kernel's cap on a dump skb).
constexpr std::size_t kAckSlot = 256;
constexpr std::size_t kDumpSlot = 64 << 10;
constexpr std::size_t kReceiveBuffer = 256 << 10;
constexpr std::size_t kMaxSlots = kReceiveBuffer / kAckSlot;
int socketBuffer(int fd, int option)
{
	int value = 0;
	socklen_t len = sizeof value;
	if (::getsockopt(fd, SOL_SOCKET, option, &value, &len) < 0)
		return 0;
	return value;
}

void growBuffer(int fd, int force, int plain)
{
	if (::setsockopt(fd, SOL_SOCKET, force, &kSocketBuffer, sizeof kSocketBuffer) < 0)
		::setsockopt(fd, SOL_SOCKET, plain, &kSocketBuffer, sizeof kSocketBuffer);
}

} // namespace

std::expected<std::unique_ptr<NetlinkIpvsClient>, int> NetlinkIpvsClient::open()
{
	nl_sock *sock = nl_socket_alloc();
	if (!sock)
		return std::unexpected(ENOMEM);
	if (int rc = genl_connect(sock); rc < 0) {
		nl_socket_free(sock);
		return std::unexpected(codec::nleToErrno(rc));
	}
	int family = genl_ctrl_resolve(sock, IPVS_GENL_NAME);
	if (family < 0) {
		nl_socket_free(sock);
		return std::unexpected(ENOPROTOOPT);
	}
	int fd = nl_socket_get_fd(sock);
	// Error ACKs without a copy of the failed request: smaller, and the
	// window below stays honest.
	int one = 1;
	::setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof one);
	growBuffer(fd, SO_SNDBUFFORCE, SO_SNDBUF);
	growBuffer(fd, SO_RCVBUFFORCE, SO_RCVBUF);
	auto client = std::unique_ptr<NetlinkIpvsClient>(new NetlinkIpvsClient(sock, family));
	// Every ACK of a batch is queued before sendmsg returns (the kernel
	// handles the requests in the sender's context), so a batch's ACKs must
	// all fit in the receive buffer; a dropped ACK is a lost result.
	client->maxInFlight_ = std::clamp<std::size_t>(socketBuffer(fd, SO_RCVBUF) / kAckTruesize, 1, kMaxInFlight);
	// netlink_sendmsg refuses more than sk_sndbuf - 32 bytes.
	client->maxSendBytes_ = std::max<std::size_t>(socketBuffer(fd, SO_SNDBUF) - 32, 16 << 10) - 1024;
	return client;
}

NetlinkIpvsClient::NetlinkIpvsClient(nl_sock *sock, int family)
        : sock_(sock), family_(family), port_(nl_socket_get_local_port(sock)), nextSeq_(nl_socket_use_seq(sock)),
          receiveBuffer_(kReceiveBuffer)
{
}

NetlinkIpvsClient::~NetlinkIpvsClient()
{
	nl_socket_free(sock_);
}

void NetlinkIpvsClient::setMaxInFlight(std::size_t n)
{
	maxInFlight_ = std::clamp<std::size_t>(n, 1, kMaxInFlight);
}

codec::RequestHeader NetlinkIpvsClient::nextHeader(int flags) const
{
	return {static_cast<std::uint16_t>(family_), static_cast<std::uint16_t>(NLM_F_REQUEST | flags), nextSeq_,
	        port_};
}

int NetlinkIpvsClient::sendBuffered(std::size_t bytes)
{
	int rc = nl_sendto(sock_, sendBuffer_.data(), bytes);
	sendBuffer_.erase(sendBuffer_.begin(), sendBuffer_.begin() + static_cast<std::ptrdiff_t>(bytes));
	return rc < 0 ? codec::nleToErrno(rc) : 0;
}

template <typename Fn> int NetlinkIpvsClient::receive(std::size_t slotSize, std::size_t expected, Fn &&onMessage)
{
	// Only as many slots as datagrams are expected: setting up a thousand
	// for the one ACK of a lone request costs more than the request.
	const std::size_t slots = std::clamp<std::size_t>(expected, 1, receiveBuffer_.size() / slotSize);
	mmsghdr msgs[kMaxSlots];
	iovec iov[kMaxSlots];
	for (;;) {
		for (std::size_t i = 0; i < slots; ++i) {
			iov[i] = {receiveBuffer_.data() + i * slotSize, slotSize};
			msgs[i] = {};
			msgs[i].msg_hdr.msg_iov = &iov[i];
			msgs[i].msg_hdr.msg_iovlen = 1;
		}
		int n = ::recvmmsg(nl_socket_get_fd(sock_), msgs, static_cast<unsigned>(slots), MSG_WAITFORONE,
		                   nullptr);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return errno;
		}
		bool more = true;
		for (int i = 0; i < n; ++i) {
			auto *nlh = static_cast<nlmsghdr *>(iov[i].iov_base);
			int len = static_cast<int>(msgs[i].msg_len);
			if (msgs[i].msg_hdr.msg_flags & MSG_TRUNC) {
				// An ACK's header and errno are enough even when cut.
				if (len < static_cast<int>(NLMSG_HDRLEN + sizeof(int)) ||
				    nlh->nlmsg_type != NLMSG_ERROR)
					return EMSGSIZE;
				more = onMessage(nlh) && more;
				continue;
			}
			for (; NLMSG_OK(nlh, len); nlh = NLMSG_NEXT(nlh, len))
				more = onMessage(nlh) && more;
		}
		if (!more)
			return 0;
	}
}

namespace {

int ackError(const nlmsghdr *nlh)
{
	return -static_cast<const nlmsgerr *>(NLMSG_DATA(nlh))->error;
}

// The encoder of a request with no attributes.
auto plainRequest(int cmd)
{
	return [cmd](std::vector<std::uint8_t> &out, const codec::RequestHeader &h) {
		return codec::appendCommand(out, h, cmd);
	};
}

} // namespace

template <typename Encode, typename Fn> int NetlinkIpvsClient::transact(bool dump, Encode &&encode, Fn &&onReply)
{
	// A dump ends with NLMSG_DONE, anything else with its ACK.
	const std::uint32_t seq = nextSeq_;
	sendBuffer_.clear();
	if (int rc = encode(sendBuffer_, nextHeader(dump ? NLM_F_DUMP : NLM_F_ACK)))
		return rc;
	++nextSeq_;
	if (int rc = sendBuffered(sendBuffer_.size()))
		return rc;
	int result = 0;
	// A reply and its ACK; a dump's first datagram and, often, its DONE.
	int rc = receive(dump ? kDumpSlot : kAckSlot, dump ? 4 : 2, [&](const nlmsghdr *nlh) {
		if (nlh->nlmsg_seq != seq)
			return true; // a late ACK of an earlier, abandoned request
		if (nlh->nlmsg_type == NLMSG_ERROR) {
			result = ackError(nlh);
			return false;
		}
		if (nlh->nlmsg_type == NLMSG_DONE) {
			if (nlh->nlmsg_len >= NLMSG_LENGTH(sizeof(int)))
				result = -*static_cast<const int *>(NLMSG_DATA(nlh));
			return false;
		}
		if (result == 0)
			result = onReply(nlh);
		return true;
	});
	return rc ? rc : result;
}

int NetlinkIpvsClient::simpleRequest(int cmd)
{
	++requestsSent_;
	return transact(false, plainRequest(cmd), [](const nlmsghdr *) { return 0; });
}

std::expected<Info, int> NetlinkIpvsClient::info()
{
	Info info;
	int rc = transact(false, plainRequest(IPVS_CMD_GET_INFO), [&](const nlmsghdr *nlh) {
		auto decoded = codec::decodeInfo(nlh);
		info = decoded.value_or(Info{});
		return decoded ? 0 : decoded.error();
	});
	if (rc)
		return std::unexpected(rc);
	return info;
}

std::expected<Timeouts, int> NetlinkIpvsClient::timeouts()
{
	Timeouts t;
	int rc = transact(false, plainRequest(IPVS_CMD_GET_CONFIG), [&](const nlmsghdr *nlh) {
		auto decoded = codec::decodeTimeouts(nlh);
		t = decoded.value_or(Timeouts{});
		return decoded ? 0 : decoded.error();
	});
	if (rc)
		return std::unexpected(rc);
	return t;
}

int NetlinkIpvsClient::setTimeouts(const Timeouts &t)
{
	if (t == Timeouts{})
		return 0; // nothing to change: no write
	++requestsSent_;
	return transact(
	        false,
	        [&](std::vector<std::uint8_t> &out, const codec::RequestHeader &h) {
		        return codec::appendTimeouts(out, h, t);
	        },
	        [](const nlmsghdr *) { return 0; });
}

int NetlinkIpvsClient::flush()
{
	return simpleRequest(IPVS_CMD_FLUSH);
}

std::expected<std::vector<ServiceTable>, int> NetlinkIpvsClient::dump()
{
	std::vector<ServiceTable> tables;
	int rc = transact(true, plainRequest(IPVS_CMD_GET_SERVICE), [&](const nlmsghdr *nlh) {
		auto s = codec::decodeService(nlh);
		if (!s)
			return s.error();
		tables.push_back(ServiceTable{std::move(*s), {}});
		return 0;
	});
	if (rc)
		return std::unexpected(rc);
	// One dump per service: the kernel runs one dump at a time per socket,
	// so these cannot be pipelined on it.
	for (ServiceTable &t : tables) {
		const ServiceKey &key = t.service.key;
		const int family = key.family;
		auto encode = [&](std::vector<std::uint8_t> &out, const codec::RequestHeader &h) {
			return codec::appendDestinationDump(out, h, key);
		};
		rc = transact(true, encode, [&](const nlmsghdr *nlh) {
			auto d = codec::decodeDestination(nlh, family);
			if (!d)
				return d.error();
			t.destinations.push_back(*d);
			return 0;
		});
		if (rc)
			return std::unexpected(rc);
		std::sort(t.destinations.begin(), t.destinations.end(),
		          [](const Destination &a, const Destination &b) { return a.key < b.key; });
	}
	std::sort(tables.begin(), tables.end(),
	          [](const ServiceTable &a, const ServiceTable &b) { return a.service.key < b.service.key; });
	return tables;
}

std::vector<int> NetlinkIpvsClient::apply(std::span<const Operation> operations)
{
	std::vector<int> results(operations.size(), 0);
	std::size_t done = 0;
	while (done < operations.size()) {
		std::size_t n = std::min(maxInFlight_, operations.size() - done);
		applyBatch(operations.subspan(done, n), std::span<int>(results).subspan(done, n));
		done += n;
	}
	return results;
}

// Sends `ops` in as few sendmsg calls as the send buffer allows and
// collects the answers. Only the last request of each sendmsg asks for an
// ACK (unless ackEach_): the kernel answers a failed request with an error
// message whether or not it asked for an ACK, and a socket's messages are
// handled and answered in order, so once the last request's ACK is in,
// every earlier failure is too and the silent requests succeeded. That
// spares the kernel an ACK to build and queue per request, and us one to
// read. The window (maxInFlight_) still bounds what one batch can have
// queued, should every request fail.
void NetlinkIpvsClient::applyBatch(std::span<const Operation> ops, std::span<int> results)
{
	constexpr int kUnanswered = -1;
	constexpr int kSilent = -2; // no ACK asked: succeeded unless an error comes
	// seq - firstSeq -> index in ops: requests are numbered consecutively.
	std::vector<std::size_t> indexOf;
	indexOf.reserve(ops.size());
	std::size_t buffered = 0;   // requests in sendBuffer_, the last of indexOf
	std::size_t lastOffset = 0; // where the last buffered request starts
	std::size_t pending = 0;    // ACKs asked for and not yet read
	std::uint32_t firstSeq = 0;
	// Sends the first `bytes` of sendBuffer_: every request buffered but
	// the last `keep`. The last one sent (at `lastSent`) asks for the ACK.
	auto send = [&](std::size_t bytes, std::size_t keep, std::size_t lastSent) {
		const std::size_t sent = buffered - keep;
		const std::size_t end = indexOf.size() - keep;
		auto *last = reinterpret_cast<nlmsghdr *>(sendBuffer_.data() + lastSent);
		if (!(last->nlmsg_flags & NLM_F_ACK)) {
			last->nlmsg_flags |= NLM_F_ACK;
			results[indexOf[end - 1]] = kUnanswered;
			++pending;
		}
		if (int rc = sendBuffered(bytes)) {
			for (std::size_t i = end - sent; i < end; ++i) {
				if (results[indexOf[i]] == kUnanswered)
					--pending;
				results[indexOf[i]] = rc;
			}
		}
		buffered = keep;
	};
	sendBuffer_.clear();
	for (std::size_t i = 0; i < ops.size(); ++i) {
		const std::size_t before = sendBuffer_.size();
		if (int rc = codec::appendOperation(sendBuffer_, nextHeader(ackEach_ ? NLM_F_ACK : 0), ops[i])) {
			results[i] = rc;
			continue;
		}
		if (indexOf.empty())
			firstSeq = nextSeq_;
		++nextSeq_;
		indexOf.push_back(i);
		results[i] = ackEach_ ? kUnanswered : kSilent;
		pending += ackEach_;
		++buffered;
		++requestsSent_;
		// Over what one sendmsg takes: send those before this one.
		if (buffered > 1 && sendBuffer_.size() > maxSendBytes_) {
			send(before, 1, lastOffset);
			lastOffset = 0;
		} else {
			lastOffset = before;
		}
	}
	if (buffered)
		send(sendBuffer_.size(), 0, lastOffset);
	if (pending) {
		const std::uint32_t lastSeq = firstSeq + static_cast<std::uint32_t>(indexOf.size()) - 1;
		std::size_t acked = 0;
		int rc = receive(kAckSlot, pending, [&](const nlmsghdr *nlh) {
			if (nlh->nlmsg_type != NLMSG_ERROR || nlh->nlmsg_seq < firstSeq || nlh->nlmsg_seq > lastSeq)
				return true; // not one of ours: a late ACK of an earlier call
			int &result = results[indexOf[nlh->nlmsg_seq - firstSeq]];
			if (result == kUnanswered)
				++acked;
			if (result == kUnanswered || result == kSilent)
				result = ackError(nlh);
			return acked < pending;
		});
		if (rc) {
			// ENOBUFS: answers were dropped, so neither the ACKed
			// requests nor the silent ones are known; ask for fewer at
			// once from now on.
			for (int &r : results)
				if (r == kUnanswered || r == kSilent)
					r = rc;
			if (rc == ENOBUFS)
				maxInFlight_ = std::max<std::size_t>(maxInFlight_ / 2, 1);
		}
	}
	for (int &r : results)
		if (r == kSilent)
			r = 0;
}

} // namespace vigil::ipvs
