#include "netlink/fake_address_client.h"

#include <algorithm>
#include <cerrno>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>
#include <utility>

namespace vigil::netlink {

namespace {

using config::IpAddress;

// Whether `a` and `b` agree on the first `length` bits.
bool samePrefix(const IpAddress &a, const IpAddress &b, int length)
{
	for (int bit = 0; bit < length; ++bit) {
		auto i = static_cast<std::size_t>(bit / 8);
		auto mask = static_cast<std::uint8_t>(0x80 >> (bit % 8));
		if ((a.bytes[i] & mask) != (b.bytes[i] & mask))
			return false;
	}
	return true;
}

// IFA_ADDRESS as the kernel keeps it: the peer, or the local address.
const IpAddress &remote(const InterfaceAddress &a)
{
	return a.peer ? *a.peer : a.prefix.address;
}

// ipv6_addr_scope() as rtnetlink reports it.
int ipv6Scope(const IpAddress &a)
{
	const auto &b = a.bytes;
	if (b[0] == 0xff) // multicast: the scope nibble
		switch (b[1] & 0x0f) {
		case 0x1:
			return RT_SCOPE_HOST;
		case 0x2:
			return RT_SCOPE_LINK;
		case 0x5:
			return RT_SCOPE_SITE;
		default:
			return RT_SCOPE_UNIVERSE;
		}
	if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80)
		return RT_SCOPE_LINK;
	if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0)
		return RT_SCOPE_SITE;
	IpAddress loopback;
	loopback.family = AF_INET6;
	loopback.bytes[15] = 1;
	if (a == loopback)
		return RT_SCOPE_HOST;
	return RT_SCOPE_UNIVERSE;
}

std::unexpected<AddressError> fail(int errnum)
{
	return std::unexpected(AddressError::fromErrno(errnum));
}

} // namespace

FakeAddressClient::FakeAddressClient()
{
	addLink("lo");
}

int FakeAddressClient::addLink(const std::string &name, std::array<std::uint8_t, 6> mac)
{
	int index = nextIndex_++;
	FakeLink l;
	l.link.index = index;
	l.link.name = name;
	l.link.mac = mac;
	links_[index] = l;
	return index;
}

bool FakeAddressClient::removeLink(int index)
{
	if (!links_.erase(index))
		return false;
	std::erase_if(addresses_, [index](const InterfaceAddress &a) { return a.ifindex == index; });
	return true;
}

bool FakeAddressClient::setUp(int index, bool up)
{
	auto it = links_.find(index);
	if (it == links_.end())
		return false;
	auto &l = it->second;
	if (l.link.up && !up)
		std::erase_if(addresses_, [index](const InterfaceAddress &a) {
			return a.ifindex == index && a.family() == AF_INET6;
		});
	l.link.up = up;
	l.link.running = up && l.carrier;
	return true;
}

bool FakeAddressClient::setCarrier(int index, bool carrier)
{
	auto it = links_.find(index);
	if (it == links_.end())
		return false;
	it->second.carrier = carrier;
	it->second.link.running = it->second.link.up && carrier;
	return true;
}

int FakeAddressClient::indexOf(const std::string &name) const
{
	for (const auto &[index, l] : links_)
		if (l.link.name == name)
			return index;
	return 0;
}

std::expected<std::vector<Link>, AddressError> FakeAddressClient::links()
{
	std::vector<Link> out;
	for (const auto &[index, l] : links_)
		out.push_back(l.link);
	return out;
}

std::expected<std::vector<InterfaceAddress>, AddressError> FakeAddressClient::addresses(int family)
{
	// A dump goes family by family (IPv4 first), link by link.
	std::vector<InterfaceAddress> out;
	for (int f : {AF_INET, AF_INET6}) {
		if (family != 0 && family != f)
			continue;
		for (const auto &[index, l] : links_)
			for (const auto &a : addresses_)
				if (a.ifindex == index && a.family() == f)
					out.push_back(a);
	}
	return out;
}

std::expected<void, AddressError> FakeAddressClient::check(const InterfaceAddress &address, bool adding) const
{
	const int family = address.family();
	if (family != AF_INET && family != AF_INET6)
		return fail(EAFNOSUPPORT);
	// (The netlink client refuses these before asking the kernel.)
	if ((address.peer && address.peer->family != family) ||
	    (address.broadcast && address.broadcast->family != family))
		return fail(EINVAL);
	// IPv4 checks the length only when adding; IPv6 both times.
	if (address.prefix.length < 0 || address.prefix.length > (family == AF_INET ? 32 : 128)) {
		if (adding || family == AF_INET6)
			return fail(EINVAL);
	}
	if (!links_.contains(address.ifindex))
		return fail(ENODEV);
	return {};
}

std::expected<void, AddressError> FakeAddressClient::addAddress(const InterfaceAddress &address)
{
	++writes_;
	if (int e = std::exchange(failNext_, 0))
		return fail(e);
	if (auto ok = check(address, true); !ok)
		return ok;
	InterfaceAddress a = address;
	if (a.family() == AF_INET6) {
		if (a.prefix.address == IpAddress{AF_INET6, {}})
			return fail(EADDRNOTAVAIL);
		if ((a.flags & IFA_F_MANAGETEMPADDR) && a.prefix.length != 64)
			return fail(EINVAL);
		for (const auto &b : addresses_)
			if (b.ifindex == a.ifindex && b.prefix.address == a.prefix.address)
				return fail(EEXIST);
		a.flags &= keptAddressFlags(AF_INET6);
		a.label.clear();
		a.broadcast.reset();
		a.scope = ipv6Scope(a.prefix.address);
	} else {
		const bool multicast = (a.prefix.address.bytes[0] & 0xf0) == 0xe0;
		if ((a.flags & IFA_F_MCAUTOJOIN) && !multicast)
			return fail(EINVAL);
		// 0.0.0.0 is accepted and not kept.
		if (a.prefix.address == IpAddress{AF_INET, {}})
			return {};
		std::uint32_t secondary = 0;
		for (const auto &b : addresses_) {
			if (b.ifindex != a.ifindex || b.family() != AF_INET || b.prefix.length != a.prefix.length ||
			    !samePrefix(remote(b), remote(a), a.prefix.length))
				continue;
			if (b.prefix.address == a.prefix.address)
				return fail(EEXIST);
			if (b.scope != a.scope)
				return fail(EINVAL);
			secondary = IFA_F_SECONDARY;
		}
		a.flags = (a.flags & keptAddressFlags(AF_INET)) | secondary;
		if (a.label.empty())
			a.label = links_.at(a.ifindex).link.name;
	}
	a.flags |= IFA_F_PERMANENT;
	addresses_.push_back(std::move(a));
	return {};
}

std::expected<void, AddressError> FakeAddressClient::deleteAddress(const InterfaceAddress &address)
{
	++writes_;
	if (int e = std::exchange(failNext_, 0))
		return fail(e);
	if (auto ok = check(address, false); !ok)
		return ok;
	auto it = std::find_if(addresses_.begin(), addresses_.end(), [&](const InterfaceAddress &b) {
		if (b.ifindex != address.ifindex || b.family() != address.family() ||
		    b.prefix.address != address.prefix.address || b.prefix.length != address.prefix.length)
			return false;
		// IPv4 compares the peer as a subnet; IPv6 ignores it.
		return address.family() == AF_INET6 || samePrefix(remote(b), remote(address), b.prefix.length);
	});
	if (it == addresses_.end())
		return fail(EADDRNOTAVAIL);
	InterfaceAddress gone = *it;
	addresses_.erase(it);
	// Without net.ipv4.conf.*.promote_secondaries (0 in a new namespace),
	// a primary IPv4 address takes its subnet's secondaries with it.
	if (gone.family() == AF_INET && !(gone.flags & IFA_F_SECONDARY))
		std::erase_if(addresses_, [&](const InterfaceAddress &b) {
			return b.ifindex == gone.ifindex && b.family() == AF_INET && (b.flags & IFA_F_SECONDARY) &&
			       b.prefix.length == gone.prefix.length &&
			       samePrefix(remote(b), remote(gone), gone.prefix.length);
		});
	return {};
}

} // namespace vigil::netlink
