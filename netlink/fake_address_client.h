#pragma once

#include <map>

#include "netlink/address_client.h"

namespace vigil::netlink {

// Links and addresses in memory, answering as the kernel's rtnetlink does
// (checked by tests/netlink/address_contract_test.cpp against a real
// kernel): EEXIST, EADDRNOTAVAIL, ENODEV and EINVAL for the same mistakes;
// read back as the kernel shows them (IPv4 labels default to the link's
// name; IPv6 drops label and broadcast and derives its scope; each family
// keeps only some flags; IPv4 marks later addresses of a subnet SECONDARY
// and, without promote_secondaries, deletes them with their primary;
// taking a link down removes its IPv6 addresses, keep_addr_on_down being
// 0). Starts like a fresh network namespace: only "lo", index 1, down.
//
// Not modelled: the link-local IPv6 address a link gets when it comes up,
// and duplicate address detection (nothing is ever TENTATIVE).
class FakeAddressClient final : public AddressClient
{
public:
	FakeAddressClient();

	std::expected<std::vector<Link>, AddressError> links() override;
	std::expected<std::vector<InterfaceAddress>, AddressError> addresses(int family = 0) override;
	std::expected<void, AddressError> addAddress(const InterfaceAddress &address) override;
	std::expected<void, AddressError> deleteAddress(const InterfaceAddress &address) override;

	// A new link, down, with its carrier (as a dummy link has); returns its
	// index. Indexes are never reused, as the kernel's.
	int addLink(const std::string &name, std::array<std::uint8_t, 6> mac = {});
	// Removes the link and every address on it. False when there is none.
	bool removeLink(int index);
	// ip link set up/down. Down removes the link's IPv6 addresses.
	bool setUp(int index, bool up);
	// The carrier (a cable, a veth peer being up): running = up && carrier.
	bool setCarrier(int index, bool carrier);
	// 0 when there is no link of that name.
	int indexOf(const std::string &name) const;

	// The next add or delete fails with `errnum` and changes nothing.
	void failNextWrite(int errnum) { failNext_ = errnum; }
	// Writes asked for so far, whether they succeeded or not.
	std::size_t writes() const { return writes_; }

private:
	struct FakeLink {
		Link link;
		bool carrier = true;
	};

	std::expected<void, AddressError> check(const InterfaceAddress &address, bool adding) const;

	std::map<int, FakeLink> links_;
	// In the order added, per family as the kernel lists them.
	std::vector<InterfaceAddress> addresses_;
	int nextIndex_ = 1;
	int failNext_ = 0;
	std::size_t writes_ = 0;
};

} // namespace vigil::netlink
