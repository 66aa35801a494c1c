#include "vrrp/vrrp_packet.h"

#include <algorithm>
#include <array>
#include <netinet/in.h>
#include <sys/socket.h>

#include "common/inet_checksum.h"

namespace vigil::vrrp {

namespace {

constexpr std::uint8_t kTypeAdvertisement = 1;
constexpr std::size_t kChecksumOffset = 6;
constexpr std::size_t kMaxAddresses = 255; // the count is one byte
constexpr std::array<std::uint8_t, 4> kVrrpGroupV4{224, 0, 0, 18};

std::size_t addressSize(int family)
{
	return family == AF_INET6 ? 16 : 4;
}

// Version 2's interval field: whole seconds, never rounded down to zero
// unless the interval is zero (which only a malformed packet carries).
std::uint8_t v2Seconds(std::uint16_t intervalCs)
{
	if (intervalCs == 0)
		return 0;
	return static_cast<std::uint8_t>(std::clamp(intervalCs / 100, 1, 255));
}

std::uint8_t authTypeByte(config::AuthType auth)
{
	switch (auth) {
	case config::AuthType::kNone:
		return 0;
	case config::AuthType::kPass:
		return 1;
	case config::AuthType::kAh:
		return 2;
	}
	return 0;
}

// The 8 bytes of v2 authentication data: the password truncated and zero
// padded, as keepalived keeps auth_pass.
std::array<std::uint8_t, kV2AuthDataSize> passwordBytes(std::string_view password)
{
	std::array<std::uint8_t, kV2AuthDataSize> out{};
	std::copy_n(password.begin(), std::min(password.size(), out.size()), out.begin());
	return out;
}

// The checksum of a whole VRRP message as it is (checksum field included):
// the value to store when that field is zero, 0 when the stored one is right.
std::uint16_t messageChecksum(std::span<const std::uint8_t> message, int version, const config::IpAddress &src,
                              const config::IpAddress &dst, V3Checksum v3Checksum)
{
	InternetChecksum sum;
	if (version == 3 && src.isV6()) {
		// RFC 2460 8.1: source, destination, upper-layer length (32
		// bits), three zero bytes, next header.
		const auto length = static_cast<std::uint32_t>(message.size());
		const std::array<std::uint8_t, 8> tail{static_cast<std::uint8_t>(length >> 24),
		                                       static_cast<std::uint8_t>(length >> 16),
		                                       static_cast<std::uint8_t>(length >> 8),
		                                       static_cast<std::uint8_t>(length),
		                                       0,
		                                       0,
		                                       0,
		                                       kIpProtoVrrp};
		sum.add(std::span(src.bytes).first(16));
		sum.add(std::span(dst.bytes).first(16));
		sum.add(tail);
	} else if (version == 3 && v3Checksum != V3Checksum::kNoPseudoHeader) {
		// RFC 768 style: source, destination, zero, protocol, length.
		const auto length = static_cast<std::uint16_t>(message.size());
		const std::array<std::uint8_t, 4> tail{0, kIpProtoVrrp, static_cast<std::uint8_t>(length >> 8),
		                                       static_cast<std::uint8_t>(length)};
		sum.add(std::span(src.bytes).first(4));
		if (v3Checksum == V3Checksum::kPseudoHeaderMulticastDst)
			sum.add(kVrrpGroupV4);
		else
			sum.add(std::span(dst.bytes).first(4));
		sum.add(tail);
	}
	sum.add(message);
	return sum.finish();
}

config::IpAddress addressAt(std::span<const std::uint8_t> bytes, int family)
{
	config::IpAddress a;
	a.family = family;
	std::copy(bytes.begin(), bytes.end(), a.bytes.begin());
	return a;
}

} // namespace

std::vector<std::uint8_t> encodeAdvertisement(const Advertisement &adv, const config::IpAddress &src,
                                              const config::IpAddress &dst, V3Checksum v3Checksum)
{
	const std::size_t size = addressSize(src.family);
	std::vector<const config::IpAddress *> addresses;
	for (const auto &a : adv.addresses)
		if (a.family == src.family && addresses.size() < kMaxAddresses)
			addresses.push_back(&a);

	std::vector<std::uint8_t> out;
	out.reserve(kVrrpHeaderSize + addresses.size() * size + kV2AuthDataSize);
	out.push_back(static_cast<std::uint8_t>((adv.version & 0x0f) << 4 | kTypeAdvertisement));
	out.push_back(adv.vrid);
	out.push_back(adv.priority);
	out.push_back(static_cast<std::uint8_t>(addresses.size()));
	if (adv.version == 2) {
		out.push_back(authTypeByte(adv.auth));
		out.push_back(v2Seconds(adv.intervalCs));
	} else {
		// Four reserved bits, then the 12-bit Max Adver Int.
		const std::uint16_t interval = std::min(adv.intervalCs, kV3MaxIntervalCs);
		out.push_back(static_cast<std::uint8_t>(interval >> 8));
		out.push_back(static_cast<std::uint8_t>(interval));
	}
	out.push_back(0); // checksum, filled in below
	out.push_back(0);
	for (const auto *a : addresses)
		out.insert(out.end(), a->bytes.begin(), a->bytes.begin() + static_cast<std::ptrdiff_t>(size));
	if (adv.version == 2) {
		// RFC 3768 5.3.10: zero unless PASS (keepalived sends zeros too).
		std::array<std::uint8_t, kV2AuthDataSize> auth{};
		if (adv.auth == config::AuthType::kPass)
			auth = passwordBytes(adv.password);
		out.insert(out.end(), auth.begin(), auth.end());
	}

	const std::uint16_t checksum = messageChecksum(out, adv.version, src, dst, v3Checksum);
	out[kChecksumOffset] = static_cast<std::uint8_t>(checksum >> 8);
	out[kChecksumOffset + 1] = static_cast<std::uint8_t>(checksum);
	return out;
}

std::string_view dropReasonText(DropReason reason)
{
	switch (reason) {
	case DropReason::kTruncated:
		return "truncated packet";
	case DropReason::kBadIpHeader:
		return "invalid IPv4 header";
	case DropReason::kNotVrrp:
		return "not a VRRP packet";
	case DropReason::kBadTtl:
		return "TTL/hop limit is not 255";
	case DropReason::kBadVersion:
		return "wrong VRRP version";
	case DropReason::kBadType:
		return "not an advertisement";
	case DropReason::kBadLength:
		return "invalid VRRP message length";
	case DropReason::kBadAddressCount:
		return "address count does not match the length";
	case DropReason::kBadChecksum:
		return "invalid checksum";
	case DropReason::kWrongVrid:
		return "another virtual router's packet";
	case DropReason::kAuthTypeMismatch:
		return "authentication type mismatch";
	case DropReason::kBadPassword:
		return "authentication failure";
	case DropReason::kIntervalMismatch:
		return "advertisement interval mismatch";
	case DropReason::kAddressMismatch:
		return "virtual addresses differ from ours";
	case DropReason::kWrongFamily:
		return "wrong address family";
	case DropReason::kUnknownPeer:
		return "source is not a unicast_peer";
	}
	return "unknown";
}

std::expected<Advertisement, DropReason> decodeAdvertisement(std::span<const std::uint8_t> vrrp, const PacketMeta &meta,
                                                             int family, V3Checksum v3Checksum)
{
	if ((family != AF_INET && family != AF_INET6) || meta.source.family != family ||
	    meta.destination.family != family)
		return std::unexpected(DropReason::kWrongFamily);
	if (vrrp.size() < kVrrpHeaderSize)
		return std::unexpected(DropReason::kTruncated);

	Advertisement adv;
	adv.version = vrrp[0] >> 4;
	if (adv.version != 2 && adv.version != 3)
		return std::unexpected(DropReason::kBadVersion);
	if ((vrrp[0] & 0x0f) != kTypeAdvertisement)
		return std::unexpected(DropReason::kBadType);
	// RFC 3768 is IPv4 only; keepalived runs IPv6 instances as version 3.
	if (adv.version == 2 && family == AF_INET6)
		return std::unexpected(DropReason::kWrongFamily);

	const std::size_t size = addressSize(family);
	const std::size_t fixed = kVrrpHeaderSize + (adv.version == 2 ? kV2AuthDataSize : 0);
	if (vrrp.size() < fixed || (vrrp.size() - fixed) % size != 0)
		return std::unexpected(DropReason::kBadLength);
	const std::size_t count = vrrp[3];
	if ((vrrp.size() - fixed) / size != count)
		return std::unexpected(DropReason::kBadAddressCount);
	if (messageChecksum(vrrp, adv.version, meta.source, meta.destination, v3Checksum) != 0)
		return std::unexpected(DropReason::kBadChecksum);

	adv.vrid = vrrp[1];
	adv.priority = vrrp[2];
	if (adv.version == 2) {
		switch (vrrp[4]) {
		case 0:
			adv.auth = config::AuthType::kNone;
			break;
		case 1: {
			adv.auth = config::AuthType::kPass;
			auto data = vrrp.subspan(kVrrpHeaderSize + count * size, kV2AuthDataSize);
			adv.password.assign(data.begin(), data.end());
			// The wire pads with zeros; a password never ends in one.
			adv.password.erase(adv.password.find_last_not_of('\0') + 1);
			break;
		}
		default:
			// 2 is IP Authentication Header (RFC 2338), which RFC 3768
			// removed; anything else is unknown.
			return std::unexpected(DropReason::kAuthTypeMismatch);
		}
		adv.intervalCs = static_cast<std::uint16_t>(vrrp[5] * 100);
	} else {
		// The four reserved bits are ignored on receipt (RFC 5798 5.2.5).
		adv.intervalCs = static_cast<std::uint16_t>((vrrp[4] & 0x0f) << 8 | vrrp[5]);
	}
	adv.addresses.reserve(count);
	for (std::size_t i = 0; i < count; ++i)
		adv.addresses.push_back(addressAt(vrrp.subspan(kVrrpHeaderSize + i * size, size), family));
	return adv;
}

std::expected<Ipv4Datagram, DropReason> splitIpv4(std::span<const std::uint8_t> datagram)
{
	constexpr std::size_t kMinHeader = 20;
	if (datagram.size() < kMinHeader)
		return std::unexpected(DropReason::kTruncated);
	if (datagram[0] >> 4 != 4)
		return std::unexpected(DropReason::kBadIpHeader);
	const std::size_t headerSize = static_cast<std::size_t>(datagram[0] & 0x0f) * 4;
	if (headerSize < kMinHeader)
		return std::unexpected(DropReason::kBadIpHeader);
	const std::size_t total = static_cast<std::size_t>(datagram[2]) << 8 | datagram[3];
	if (total < headerSize)
		return std::unexpected(DropReason::kBadIpHeader);
	if (headerSize > datagram.size() || total > datagram.size())
		return std::unexpected(DropReason::kTruncated);
	// The kernel reassembles before raw delivery; a fragment here is forged.
	const bool moreFragments = datagram[6] & 0x20;
	const std::size_t fragmentOffset = static_cast<std::size_t>(datagram[6] & 0x1f) << 8 | datagram[7];
	if (moreFragments || fragmentOffset != 0)
		return std::unexpected(DropReason::kBadIpHeader);
	if (datagram[9] != kIpProtoVrrp)
		return std::unexpected(DropReason::kNotVrrp);

	Ipv4Datagram out;
	out.meta.ttl = datagram[8];
	out.meta.source = addressAt(datagram.subspan(12, 4), AF_INET);
	out.meta.destination = addressAt(datagram.subspan(16, 4), AF_INET);
	out.payload = datagram.subspan(headerSize, total - headerSize);
	return out;
}

std::optional<DropReason> checkAgainst(const Advertisement &adv, const PacketMeta &meta, const Expectation &expected)
{
	if (adv.vrid != expected.vrid)
		return DropReason::kWrongVrid;
	if (meta.source.family != expected.family)
		return DropReason::kWrongFamily;
	for (const auto &a : adv.addresses)
		if (a.family != expected.family)
			return DropReason::kWrongFamily;
	// RFC 3768 7.1 / RFC 5798 7.1: a router that forwarded the packet
	// would have decremented the TTL. Unicast peers may sit several hops
	// away (keepalived's unicast_ttl), so only multicast is checked.
	if (expected.multicast && meta.ttl != kVrrpTtl)
		return DropReason::kBadTtl;
	if (adv.version != expected.version)
		return DropReason::kBadVersion;

	if (adv.version == 2) {
		if (adv.auth != expected.auth)
			return DropReason::kAuthTypeMismatch;
		if (adv.auth == config::AuthType::kPass &&
		    passwordBytes(adv.password) != passwordBytes(expected.password))
			return DropReason::kBadPassword;
		// RFC 3768 7.1: a v2 interval that is not ours is a
		// misconfiguration and the packet MUST be dropped. Compared in
		// the wire's whole seconds.
		if (v2Seconds(adv.intervalCs) != v2Seconds(expected.intervalCs))
			return DropReason::kIntervalMismatch;
	} else if (adv.intervalCs == 0) {
		// RFC 5798: a backup adopts the master's interval; zero would
		// make the master down timer expire at once.
		return DropReason::kIntervalMismatch;
	}

	// RFC 3768 7.1 lets an address owner's (priority 255) mismatching
	// packet through after logging; keepalived drops every mismatching
	// packet unless skip_check_adv_addr, and so does vigil: a master
	// announcing other addresses is a misconfiguration either way. A
	// priority 0 packet (a master leaving) is never dropped for it, so that
	// the backup takes over quickly even then.
	if (expected.checkAddresses && adv.priority != 0) {
		auto theirs = adv.addresses;
		auto ours = expected.addresses;
		std::ranges::sort(theirs);
		std::ranges::sort(ours);
		theirs.erase(std::unique(theirs.begin(), theirs.end()), theirs.end());
		ours.erase(std::unique(ours.begin(), ours.end()), ours.end());
		if (theirs != ours)
			return DropReason::kAddressMismatch;
	}
	return std::nullopt;
}

} // namespace vigil::vrrp
