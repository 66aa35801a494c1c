#include "src/reconcile/address_reconciler.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <fmt/format.h>
#include <iterator>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

namespace vigil::reconcile {

namespace {

using netlink::AddressError;
using netlink::InterfaceAddress;
using Key = AddressReconciler::Key;
using Action = AddressReport::Action;

Key keyOf(const InterfaceAddress &a)
{
	return {a.ifindex, a.prefix, a.peer};
}

std::string objectName(const config::IpPrefix &prefix, const std::optional<config::IpAddress> &peer,
                       const std::string &dev)
{
	std::string s = prefix.str();
	if (peer)
		s += " peer " + peer->str();
	return s + " dev " + dev;
}

std::uint32_t requestFlags(const config::VirtualAddress &va)
{
	std::uint32_t flags = 0;
	if (va.noDad)
		flags |= IFA_F_NODAD;
	if (va.home)
		flags |= IFA_F_HOMEADDRESS;
	if (va.mngTmpAddr)
		flags |= IFA_F_MANAGETEMPADDR;
	if (va.noPrefixRoute)
		flags |= IFA_F_NOPREFIXROUTE;
	if (va.autoJoin)
		flags |= IFA_F_MCAUTOJOIN;
	// nodad and home mean nothing to IPv4 (keepalived sends them for
	// IPv6 only, and the kernel would drop them anyway).
	return flags & netlink::keptAddressFlags(va.prefix.address.family);
}

// Whether the kernel's `live` address is what `want` asks for, as far as
// the kernel keeps what is asked: IPv6 keeps no label, broadcast or scope.
bool sameAttributes(const InterfaceAddress &want, const InterfaceAddress &live, const std::string &dev)
{
	const std::uint32_t kept = netlink::keptAddressFlags(want.family());
	if ((want.flags & kept) != (live.flags & kept))
		return false;
	if (want.family() == AF_INET6)
		return true;
	// An IPv4 address without a label reads back with the link's name.
	return want.scope == live.scope && want.broadcast == live.broadcast &&
	       (want.label.empty() ? dev : want.label) == live.label;
}

// Whether `b` is one of the IPv4 primary `primary`'s secondaries: the same
// link, mask and subnet.
bool isSecondaryOf(const InterfaceAddress &b, const InterfaceAddress &primary)
{
	if (b.ifindex != primary.ifindex || b.family() != AF_INET || primary.family() != AF_INET ||
	    !(b.flags & IFA_F_SECONDARY) || b.prefix.length != primary.prefix.length)
		return false;
	const auto &x = (b.peer ? *b.peer : b.prefix.address).bytes;
	const auto &y = (primary.peer ? *primary.peer : primary.prefix.address).bytes;
	std::uint32_t mask = primary.prefix.length == 0 ? 0 : ~std::uint32_t{0} << (32 - primary.prefix.length);
	std::uint32_t a = (std::uint32_t{x[0]} << 24) | (x[1] << 16) | (x[2] << 8) | x[3];
	std::uint32_t c = (std::uint32_t{y[0]} << 24) | (y[1] << 16) | (y[2] << 8) | y[3];
	return ((a ^ c) & mask) == 0;
}

} // namespace

std::string AddressReport::str() const
{
	static const char *const kDone[] = {"read",     "resolved", "added",   "deleted",
	                                    "replaced", "",         "adopted", "added back"};
	static const char *const kVerb[] = {"read", "resolve", "add", "delete", "replace", "use", "adopt", "add back"};
	static_assert(std::size(kVerb) == static_cast<std::size_t>(Action::kRestore) + 1);
	static_assert(std::size(kDone) == std::size(kVerb));
	const auto i = static_cast<std::size_t>(action);
	if (error)
		return fmt::format("[{}] cannot {} {}: {}", owner, kVerb[i], object, error->text);
	switch (action) {
	case Action::kForeign:
		return fmt::format("[{}] {} was already there and is not vigil's: used, never deleted", owner, object);
	case Action::kReplace:
		return fmt::format("[{}] replaced {} (its attributes had changed)", owner, object);
	case Action::kRestore:
		return fmt::format("[{}] added back {}, which the kernel deleted with its subnet's primary", owner,
		                   object);
	default:
		return fmt::format("[{}] {} {}", owner, kDone[i], object);
	}
}

std::optional<int> scopeNumber(std::string_view scope)
{
	static const std::pair<std::string_view, int> kNames[] = {
	        {"global", RT_SCOPE_UNIVERSE}, {"site", RT_SCOPE_SITE},       {"link", RT_SCOPE_LINK},
	        {"host", RT_SCOPE_HOST},       {"nowhere", RT_SCOPE_NOWHERE},
	};
	for (auto [name, value] : kNames)
		if (scope == name)
			return value;
	int value = -1;
	auto [end, ec] = std::from_chars(scope.data(), scope.data() + scope.size(), value);
	if (ec != std::errc() || end != scope.data() + scope.size() || value < 0 || value > 255)
		return std::nullopt;
	return value;
}

struct AddressReconciler::Pass {
	std::string owner;
	std::map<std::string, int> indexes;
	std::map<int, std::string> names;
	std::vector<InterfaceAddress> live;
	std::map<Key, InterfaceAddress> liveByKey;
	Claims wanted;
	// The keys of `wanted` in the order configured: the first IPv4 address
	// of a subnet becomes its primary, as with keepalived.
	std::vector<Key> order;
	std::vector<AddressReport> reports;

	void report(Action action, std::string object, const std::optional<AddressError> &error = std::nullopt)
	{
		reports.push_back({action, owner, std::move(object), error});
	}
	std::string dev(int ifindex) const
	{
		auto it = names.find(ifindex);
		return it != names.end() ? it->second : fmt::format("#{}", ifindex);
	}
};

bool AddressReconciler::read(Pass &pass)
{
	auto links = client_.links();
	if (!links) {
		pass.report(Action::kRead, "links", links.error());
		return false;
	}
	auto live = client_.addresses(0);
	if (!live) {
		pass.report(Action::kRead, "addresses", live.error());
		return false;
	}
	pass.indexes.clear();
	pass.names.clear();
	for (const auto &l : *links) {
		pass.indexes[l.name] = l.index;
		pass.names[l.index] = l.name;
	}
	pass.live = std::move(*live);
	pass.liveByKey.clear();
	for (const auto &a : pass.live)
		pass.liveByKey.emplace(keyOf(a), a);
	return true;
}

AddressReconciler::Claims AddressReconciler::resolve(Pass &pass, const std::vector<config::VirtualAddress> &desired)
{
	Claims wanted;
	for (const auto &va : desired) {
		std::string object = objectName(va.prefix, va.peer, va.dev);
		auto index = pass.indexes.find(va.dev);
		if (index == pass.indexes.end()) {
			pass.report(Action::kResolve, object, AddressError{ENODEV, "no such interface"});
			continue;
		}
		auto scope = scopeNumber(va.scope);
		if (!scope) {
			pass.report(Action::kResolve, object,
			            AddressError{EINVAL, fmt::format("invalid scope '{}'", va.scope)});
			continue;
		}
		InterfaceAddress a;
		a.ifindex = index->second;
		a.prefix = va.prefix;
		a.broadcast = va.broadcast;
		a.peer = va.peer;
		a.scope = *scope;
		a.label = va.label;
		a.flags = requestFlags(va);
		Key key = keyOf(a);
		if (!wanted.contains(key))
			pass.order.push_back(key);
		wanted.insert_or_assign(key, Claim{std::move(a), std::move(object), true});
	}
	return wanted;
}

bool AddressReconciler::claimedByOther(const std::string &owner, const Key &key) const
{
	for (const auto &[other, claims] : claims_) {
		if (other == owner)
			continue;
		auto it = claims.find(key);
		if (it != claims.end() && it->second.desired)
			return true;
	}
	return false;
}

std::optional<AddressError> AddressReconciler::remove(Pass &pass, const Claim &claim)
{
	const Key key = keyOf(claim.address);
	const InterfaceAddress current = pass.liveByKey.at(key);
	auto rc = client_.deleteAddress(claim.address);
	// Gone between the read and the delete: as good as deleted.
	if (!rc && rc.error().errnum != EADDRNOTAVAIL)
		return rc.error();
	std::vector<InterfaceAddress> secondaries;
	if (!(current.flags & IFA_F_SECONDARY))
		for (const auto &b : pass.live)
			if (isSecondaryOf(b, current))
				secondaries.push_back(b);
	pass.liveByKey.erase(key);
	std::erase_if(pass.live, [&](const InterfaceAddress &a) { return keyOf(a) == key; });
	if (secondaries.empty() || !read(pass))
		return std::nullopt;
	bool restored = false;
	for (auto b : secondaries) {
		const Key k = keyOf(b);
		if (pass.liveByKey.contains(k))
			continue; // promote_secondaries is on
		std::string object = objectName(b.prefix, b.peer, pass.dev(b.ifindex));
		if (ours_.contains(k) && !pass.wanted.contains(k) && !claimedByOther(pass.owner, k)) {
			// vigil's, and this owner was letting it go anyway.
			ours_.erase(k);
			pass.report(Action::kDelete, object);
			continue;
		}
		b.flags &= netlink::keptAddressFlags(AF_INET);
		auto added = client_.addAddress(b);
		pass.report(Action::kRestore, object,
		            added ? std::nullopt : std::optional<AddressError>(added.error()));
		restored = true;
	}
	if (restored)
		read(pass);
	return std::nullopt;
}

std::vector<AddressReport> AddressReconciler::apply(const std::string &owner,
                                                    const std::vector<config::VirtualAddress> &desired, bool adopt)
{
	Pass pass;
	pass.owner = owner;
	if (!read(pass))
		return std::move(pass.reports);
	pass.wanted = resolve(pass, desired);

	// Deletions first: a replaced address frees its key before the adds.
	Claims &old = claims_[owner];
	std::set<Key> claimedBefore;
	std::vector<Key> unwanted;
	for (auto it = old.begin(); it != old.end();) {
		const auto &[key, claim] = *it;
		if (claim.desired)
			claimedBefore.insert(key);
		if (pass.wanted.contains(key) || !ours_.contains(key) || claimedByOther(owner, key)) {
			// Still wanted, never vigil's, or another owner's to release.
			it = old.erase(it);
			continue;
		}
		unwanted.push_back(key);
		++it;
	}
	// IPv4 secondaries before their primary, which would take them along.
	std::stable_partition(unwanted.begin(), unwanted.end(), [&](const Key &key) {
		auto current = pass.liveByKey.find(key);
		return current != pass.liveByKey.end() && (current->second.flags & IFA_F_SECONDARY);
	});
	for (const auto &key : unwanted) {
		auto &claim = old.at(key);
		if (!pass.liveByKey.contains(key)) { // already gone
			ours_.erase(key);
			old.erase(key);
			continue;
		}
		if (auto error = remove(pass, claim)) {
			pass.report(Action::kDelete, claim.object, error);
			claim.desired = false; // vigil's still: deleted by a later sync
			continue;
		}
		pass.report(Action::kDelete, claim.object);
		ours_.erase(key);
		old.erase(key);
	}

	for (const auto &key : pass.order) {
		const Claim &claim = pass.wanted.at(key);
		auto current = pass.liveByKey.find(key);
		Action action = Action::kAdd;
		if (current != pass.liveByKey.end() && ours_.contains(key)) {
			// Someone changed vigil's address: made again, unless another
			// owner wants it as it is (the two would undo each other).
			if (sameAttributes(claim.address, current->second, pass.dev(key.ifindex)) ||
			    claimedByOther(owner, key))
				continue;
			if (auto error = remove(pass, claim)) {
				pass.report(Action::kReplace, claim.object, error);
				continue;
			}
			action = Action::kReplace;
		} else if (current != pass.liveByKey.end()) {
			if (adopt) {
				ours_.insert(key);
				pass.report(Action::kAdopt, claim.object);
			} else if (!claimedBefore.contains(key)) {
				pass.report(Action::kForeign, claim.object);
			}
			continue;
		}
		auto added = client_.addAddress(claim.address);
		if (added)
			ours_.insert(key);
		pass.report(action, claim.object, added ? std::nullopt : std::optional<AddressError>(added.error()));
	}

	// What stays: every desired address, and the deletions that failed.
	for (auto &[key, claim] : pass.wanted)
		old.insert_or_assign(key, std::move(claim));
	if (old.empty())
		claims_.erase(owner);
	return std::move(pass.reports);
}

std::vector<AddressReport> AddressReconciler::sync(const std::string &owner,
                                                   const std::vector<config::VirtualAddress> &desired)
{
	return apply(owner, desired, false);
}

std::vector<AddressReport> AddressReconciler::adopt(const std::string &owner,
                                                    const std::vector<config::VirtualAddress> &desired)
{
	return apply(owner, desired, true);
}

std::vector<AddressReport> AddressReconciler::releaseAll()
{
	std::vector<AddressReport> reports;
	for (const auto &owner : owners()) {
		auto r = sync(owner, {});
		reports.insert(reports.end(), r.begin(), r.end());
	}
	return reports;
}

std::vector<InterfaceAddress> AddressReconciler::ownedBy(const std::string &owner) const
{
	std::vector<InterfaceAddress> out;
	auto it = claims_.find(owner);
	if (it == claims_.end())
		return out;
	for (const auto &[key, claim] : it->second)
		if (ours_.contains(key))
			out.push_back(claim.address);
	return out;
}

std::vector<std::string> AddressReconciler::owners() const
{
	std::vector<std::string> out;
	for (const auto &[owner, claims] : claims_)
		out.push_back(owner);
	return out;
}

} // namespace vigil::reconcile
