#pragma once

// The only writer of VIP addresses (virtual_ipaddress, static_ipaddress).
// Each owner (a VRRP instance, "static" for static_ipaddress) says which
// addresses it wants; each sync reads the links and addresses back from
// the kernel, adds only what is missing and deletes only what vigil added.
// An address that was already there when an owner first wanted it (the
// admin's, another program's) is the owner's to use, never to delete.
// Owners share: an address two instances want stays until neither does.

#include <compare>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "netlink/address_client.h"
#include "src/config/vrrp/vrrp.h"

namespace vigil::reconcile {

struct AddressReport {
	enum class Action {
		kRead,    // reading links or addresses back (only ever an error)
		kResolve, // turning the configured address into a request (dev, scope)
		kAdd,
		kDelete,
		kReplace, // vigil's own address with other attributes: deleted, added again
		kForeign, // already there and not vigil's: used, left in place on release
		kAdopt,   // already there and taken as vigil's (adopt())
		kRestore, // an IPv4 secondary the kernel deleted with the primary vigil deleted, added back
	};
	Action action = Action::kAdd;
	std::string owner;
	std::string object; // "192.168.0.100/32 dev eth0"
	std::optional<netlink::AddressError> error;

	bool ok() const { return !error; }
	// "[VI_1] added 192.168.0.100/32 dev eth0", or on failure
	// "[VI_1] cannot add 192.168.0.100/32 dev eth0: File exists".
	std::string str() const;
};

class AddressReconciler
{
public:
	explicit AddressReconciler(netlink::AddressClient &client) : client_(client) {}

	// Makes `owner` hold exactly `desired`: adds what is missing, deletes
	// the addresses vigil added for this owner that are no longer desired
	// (and that no other owner wants), and adds again vigil's own addresses
	// someone removed or changed. Empty `desired` releases the owner.
	// Reports what was done and what failed; a desired address that could
	// not be added is tried again by the next sync.
	std::vector<AddressReport> sync(const std::string &owner, const std::vector<config::VirtualAddress> &desired);
	// As sync(), but desired addresses already in the kernel are taken as
	// vigil's (so deleted when no longer wanted): for addresses a previous
	// vigil left behind when it died without releasing them.
	std::vector<AddressReport> adopt(const std::string &owner, const std::vector<config::VirtualAddress> &desired);
	// Every owner released (stop).
	std::vector<AddressReport> releaseAll();

	// The addresses `owner` wants that vigil put in the kernel, as they
	// were requested, with the ones whose deletion failed.
	std::vector<netlink::InterfaceAddress> ownedBy(const std::string &owner) const;
	// Owners with something desired, or something left to delete.
	std::vector<std::string> owners() const;

	// The identity of an address as the kernel has it: link, local
	// address, prefix length, peer.
	struct Key {
		int ifindex = 0;
		config::IpPrefix prefix;
		std::optional<config::IpAddress> peer;
		auto operator<=>(const Key &) const = default;
	};

private:
	struct Claim {
		netlink::InterfaceAddress address; // the request
		std::string object;                // for reports
		bool desired = true;               // false: released, its deletion failed
	};
	using Claims = std::map<Key, Claim>;

	struct Pass; // one sync: what was read back, the reports so far

	std::vector<AddressReport> apply(const std::string &owner, const std::vector<config::VirtualAddress> &desired,
	                                 bool adopt);
	bool read(Pass &pass);
	Claims resolve(Pass &pass, const std::vector<config::VirtualAddress> &desired);
	bool claimedByOther(const std::string &owner, const Key &key) const;
	// Deletes the claim's address. Without promote_secondaries the kernel
	// deletes an IPv4 primary's secondaries with it: those still wanted
	// (anyone's) are added back as they were, and the kernel read again.
	std::optional<netlink::AddressError> remove(Pass &pass, const Claim &claim);

	netlink::AddressClient &client_;
	std::map<std::string, Claims> claims_;
	// Addresses vigil added (or adopted) and has not deleted yet.
	std::set<Key> ours_;
};

// RT_SCOPE_* for a scope as the config keeps it: "global", "site", "link",
// "host", "nowhere" or a number 0-255.
std::optional<int> scopeNumber(std::string_view scope);

} // namespace vigil::reconcile
