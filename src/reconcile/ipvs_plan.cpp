#include "src/reconcile/ipvs_plan.h"

#include <algorithm>
#include <unordered_map>

namespace vigil::reconcile {
namespace {

using Kind = ipvs::Operation::Kind;

struct ServiceKeyHash {
	std::size_t operator()(const ipvs::ServiceKey &k) const noexcept
	{
		std::size_t h = std::hash<std::uint32_t>{}(k.fwmark);
		auto mix = [&h](std::uint64_t v) { h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2); };
		mix(static_cast<std::uint64_t>(k.family) << 32 | k.protocol << 16 | k.port);
		for (std::size_t i = 0; i < k.address.bytes.size(); i += 8) {
			std::uint64_t word = 0;
			for (std::size_t j = 0; j < 8; ++j)
				word = word << 8 | k.address.bytes[i + j];
			mix(word);
		}
		return h;
	}
};

void planDestinations(const DesiredService &want, const ipvs::ServiceTable &have, std::vector<ipvs::Operation> &out)
{
	// Both sorted by key: one merge pass.
	auto current = have.destinations;
	std::sort(current.begin(), current.end(), [](const auto &a, const auto &b) { return a.key < b.key; });
	auto w = want.destinations.begin();
	auto h = current.begin();
	std::vector<ipvs::Operation> additions;
	while (w != want.destinations.end() || h != current.end()) {
		if (h == current.end() || (w != want.destinations.end() && w->key < h->key)) {
			additions.push_back({Kind::kAddDestination, want.service, *w});
			++w;
		} else if (w == want.destinations.end() || h->key < w->key) {
			out.push_back({Kind::kDeleteDestination, want.service, *h});
			++h;
		} else {
			if (!(*w == *h))
				out.push_back({Kind::kEditDestination, want.service, *w});
			++w;
			++h;
		}
	}
	out.insert(out.end(), additions.begin(), additions.end());
}

} // namespace

std::vector<ipvs::Operation> planIpvs(const DesiredIpvs &desired, const std::vector<ipvs::ServiceTable> &observed,
                                      const std::set<ipvs::ServiceKey> &owned)
{
	std::vector<ipvs::Operation> out;
	// Room for a first pass (every service and destination added) at once:
	// growing by doubling copied 110,000 operations about twice over.
	if (observed.empty())
		out.reserve(desired.services.size() + desired.destinationCount());
	std::unordered_map<ipvs::ServiceKey, const ipvs::ServiceTable *, ServiceKeyHash> live;
	live.reserve(observed.size());
	for (const auto &t : observed) {
		live.emplace(t.service.key, &t);
		if (owned.contains(t.service.key) && !desired.services.contains(t.service.key))
			out.push_back({Kind::kDeleteService, t.service, {}});
	}
	std::vector<const DesiredService *> fresh;
	for (const auto &[key, want] : desired.services) {
		auto it = live.find(key);
		if (it == live.end()) {
			fresh.push_back(&want);
			continue;
		}
		if (!(it->second->service == want.service))
			out.push_back({Kind::kEditService, want.service, {}});
		planDestinations(want, *it->second, out);
	}
	for (const auto *want : fresh) {
		out.push_back({Kind::kAddService, want->service, {}});
		for (const auto &d : want->destinations)
			out.push_back({Kind::kAddDestination, want->service, d});
	}
	return out;
}

} // namespace vigil::reconcile
