#pragma once

// What fuzz_vrrp_packet checks, shared with tests/vrrp/vrrp_fuzz_regression_test.cpp
// so that every seed and every input the fuzzer found is replayed by the
// unit suite with the same checks.

#include <array>
#include <cstdint>
#include <netinet/in.h>
#include <span>
#include <string>
#include <sys/socket.h>
#include <vector>

#include "common/inet_checksum.h"
#include "vrrp/vrrp_packet.h"

namespace vigil::fuzz {

// The addresses keepalived's IPv6 advertisements in the seed corpus came
// from and went to, so that their checksums verify.
inline vrrp::PacketMeta ipv6Meta()
{
	vrrp::PacketMeta meta;
	meta.source.family = meta.destination.family = AF_INET6;
	meta.source.bytes = {0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xfe, 0x00, 0x51, 0x01};
	meta.destination.bytes = {0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x12};
	meta.ttl = 255;
	return meta;
}

// An instance that expects exactly `adv`, as its own configuration would.
inline vrrp::Expectation expectationOf(const vrrp::Advertisement &adv, int family, bool multicast)
{
	vrrp::Expectation e;
	e.family = family;
	e.version = adv.version;
	e.vrid = adv.vrid;
	e.auth = adv.auth;
	e.password = adv.password;
	e.intervalCs = adv.intervalCs;
	e.addresses = adv.addresses;
	e.multicast = multicast;
	return e;
}

// One decoded advertisement: it must survive encode/decode unchanged with
// every checksum variant, and an instance configured as the packet says
// must accept it (a v3 interval of zero excepted).
inline std::string checkDecoded(const vrrp::Advertisement &adv, const vrrp::PacketMeta &meta, int family)
{
	for (vrrp::V3Checksum c : {vrrp::V3Checksum::kPseudoHeader, vrrp::V3Checksum::kPseudoHeaderMulticastDst,
	                           vrrp::V3Checksum::kNoPseudoHeader}) {
		auto wire = vrrp::encodeAdvertisement(adv, meta.source, meta.destination, c);
		auto back = vrrp::decodeAdvertisement(wire, meta, family, c);
		if (!back)
			return "re-encoded advertisement does not decode: " +
			       std::string(vrrp::dropReasonText(back.error()));
		if (*back != adv)
			return "re-encoded advertisement decodes differently";
	}

	vrrp::PacketMeta at255 = meta;
	at255.ttl = vrrp::kVrrpTtl;
	auto verdict = vrrp::checkAgainst(adv, at255, expectationOf(adv, family, true));
	const bool zeroV3Interval = adv.version == 3 && adv.intervalCs == 0;
	if (zeroV3Interval != (verdict == vrrp::DropReason::kIntervalMismatch) ||
	    (!zeroV3Interval && verdict.has_value()))
		return "an instance configured as the packet says refuses it: " +
		       std::string(verdict ? vrrp::dropReasonText(*verdict) : "accepted");
	return {};
}

// `message` with its checksum field rewritten, so that mutated inputs get
// past the checksum to the checks after it. Computed here independently of
// vrrp_packet.cpp: over the message alone for IPv4 (v2, and v3 read with
// kNoPseudoHeader), with the IPv6 pseudo-header of `meta` for IPv6.
inline std::vector<std::uint8_t> withChecksum(std::span<const std::uint8_t> message, const vrrp::PacketMeta &meta,
                                              int family)
{
	std::vector<std::uint8_t> out(message.begin(), message.end());
	if (out.size() < vrrp::kVrrpHeaderSize)
		return out;
	out[6] = out[7] = 0;
	InternetChecksum sum;
	if (family == AF_INET6) {
		const auto n = static_cast<std::uint32_t>(out.size());
		const std::array<std::uint8_t, 8> tail{static_cast<std::uint8_t>(n >> 24),
		                                       static_cast<std::uint8_t>(n >> 16),
		                                       static_cast<std::uint8_t>(n >> 8),
		                                       static_cast<std::uint8_t>(n),
		                                       0,
		                                       0,
		                                       0,
		                                       vrrp::kIpProtoVrrp};
		sum.add(meta.source.bytes);
		sum.add(meta.destination.bytes);
		sum.add(tail);
	}
	sum.add(out);
	const std::uint16_t c = sum.finish();
	out[6] = static_cast<std::uint8_t>(c >> 8);
	out[7] = static_cast<std::uint8_t>(c);
	return out;
}

// Decodes `message` as it is and with its checksum made right: the latter
// must never fail on the checksum. Runs checkAgainst on what decodes, and
// checkDecoded.
inline std::string checkMessage(std::span<const std::uint8_t> message, const vrrp::PacketMeta &meta, int family,
                                const vrrp::Expectation &fixed)
{
	const auto variants = family == AF_INET6
	                              ? std::vector<vrrp::V3Checksum>{vrrp::V3Checksum::kPseudoHeader}
	                              : std::vector<vrrp::V3Checksum>{vrrp::V3Checksum::kPseudoHeader,
	                                                              vrrp::V3Checksum::kPseudoHeaderMulticastDst,
	                                                              vrrp::V3Checksum::kNoPseudoHeader};
	const std::string where = family == AF_INET6 ? "IPv6: " : "IPv4: ";
	for (vrrp::V3Checksum c : variants) {
		auto adv = vrrp::decodeAdvertisement(message, meta, family, c);
		if (!adv)
			continue;
		vrrp::checkAgainst(*adv, meta, fixed);
		if (std::string failure = checkDecoded(*adv, meta, family); !failure.empty())
			return where + failure;
	}

	const vrrp::V3Checksum c =
	        family == AF_INET6 ? vrrp::V3Checksum::kPseudoHeader : vrrp::V3Checksum::kNoPseudoHeader;
	auto repaired = withChecksum(message, meta, family);
	auto adv = vrrp::decodeAdvertisement(repaired, meta, family, c);
	if (!adv && adv.error() == vrrp::DropReason::kBadChecksum)
		return where + "a message with a recomputed checksum fails the checksum";
	if (adv) {
		vrrp::checkAgainst(*adv, meta, fixed);
		if (std::string failure = checkDecoded(*adv, meta, family); !failure.empty())
			return where + failure;
	}
	return {};
}

// The whole input as an IPv4 datagram (what an IPv4 raw socket returns)
// and as the VRRP message of an IPv6 packet (what an IPv6 raw socket
// returns). Returns "" or what went wrong.
inline std::string checkVrrpPacket(std::span<const std::uint8_t> data)
{
	// A fixed instance, to run checkAgainst on whatever decodes.
	vrrp::Expectation fixed;
	fixed.family = AF_INET;
	fixed.version = 2;
	fixed.vrid = 51;
	fixed.auth = config::AuthType::kPass;
	fixed.password = "secret1";

	if (auto d = vrrp::splitIpv4(data)) {
		if (d->payload.data() < data.data() ||
		    d->payload.data() + d->payload.size() > data.data() + data.size())
			return "splitIpv4 payload outside the datagram";
		if (std::string failure = checkMessage(d->payload, d->meta, AF_INET, fixed); !failure.empty())
			return failure;
	}

	fixed.family = AF_INET6;
	fixed.version = 3;
	if (std::string failure = checkMessage(data, ipv6Meta(), AF_INET6, fixed); !failure.empty())
		return failure;
	return {};
}

} // namespace vigil::fuzz
