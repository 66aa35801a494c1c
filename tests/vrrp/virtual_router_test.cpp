#include <gtest/gtest.h>
#include <netinet/in.h>

#include "vrrp/virtual_router.h"

namespace vigil::vrrp {
namespace {

using namespace std::chrono_literals;

config::IpAddress ip(const char *text)
{
	return *config::IpAddress::parse(text);
}

struct Sent {
	config::IpAddress source, destination;
	std::vector<std::uint8_t> bytes;
	int ttl;
};

class FakeSocket : public VrrpSocket
{
public:
	std::expected<void, std::string> send(const config::IpAddress &source, const config::IpAddress &destination,
	                                      std::span<const std::uint8_t> vrrp, int ttl) override
	{
		sent.push_back({source, destination, {vrrp.begin(), vrrp.end()}, ttl});
		return {};
	}
	std::vector<Sent> sent;
};

class Recorder : public RouterListener
{
public:
	void stateChanged(VirtualRouter &, State, State to) override { states.push_back(to); }
	void sendGarp(VirtualRouter &, int count) override { garps += count; }
	void dropped(VirtualRouter &, DropReason reason, const PacketMeta &) override { drops.push_back(reason); }
	void sendFailed(VirtualRouter &, const std::string &) override {}
	std::vector<State> states;
	int garps = 0;
	std::vector<DropReason> drops;
};

RouterSettings pass(int priority)
{
	RouterSettings s;
	s.name = "VI_1";
	s.family = AF_INET;
	s.version = 2;
	s.vrid = 51;
	s.basePriority = priority;
	s.auth = config::AuthType::kPass;
	s.password = "s3cret!";
	s.advertised = {ip("192.0.2.100")};
	s.source = ip("192.0.2.1");
	s.group = ip("224.0.0.18");
	s.machine.primaryAddress = s.source;
	return s;
}

// A peer's advertisement as it arrives: bytes and what the socket saw.
ReceivedPacket from(const Advertisement &advert, const char *source, const char *destination = "224.0.0.18")
{
	ReceivedPacket packet;
	packet.meta = {ip(source), ip(destination), 255};
	packet.vrrp = encodeAdvertisement(advert, packet.meta.source, packet.meta.destination);
	return packet;
}

Advertisement peerAdvert(int priority, const std::string &password = "s3cret!")
{
	Advertisement a;
	a.version = 2;
	a.vrid = 51;
	a.priority = static_cast<std::uint8_t>(priority);
	a.intervalCs = 100;
	a.auth = config::AuthType::kPass;
	a.password = password;
	a.addresses = {ip("192.0.2.100")};
	return a;
}

TEST(VirtualRouter, OwnerAdvertisesToTheGroupWithItsPassword)
{
	FakeSocket socket;
	Recorder listener;
	VirtualRouter router(pass(255), socket, listener);
	router.start(TimePoint{});
	ASSERT_EQ(socket.sent.size(), 1u);
	const auto &sent = socket.sent[0];
	EXPECT_EQ(sent.destination, ip("224.0.0.18"));
	EXPECT_EQ(sent.source, ip("192.0.2.1"));
	EXPECT_EQ(sent.ttl, 255);
	auto decoded = decodeAdvertisement(sent.bytes, {sent.source, sent.destination, 255}, AF_INET);
	ASSERT_TRUE(decoded);
	EXPECT_EQ(*decoded, peerAdvert(255));
	EXPECT_EQ(listener.states, std::vector<State>{State::kMaster});
	EXPECT_EQ(listener.garps, 5);
}

TEST(VirtualRouter, UnicastSendsOneCopyPerPeerWithTheUnicastTtl)
{
	auto settings = pass(255);
	settings.peers = {ip("192.0.2.2"), ip("192.0.2.3")};
	settings.unicastTtl = 10;
	FakeSocket socket;
	Recorder listener;
	VirtualRouter router(settings, socket, listener);
	router.start(TimePoint{});
	ASSERT_EQ(socket.sent.size(), 2u);
	EXPECT_EQ(socket.sent[0].destination, ip("192.0.2.2"));
	EXPECT_EQ(socket.sent[1].destination, ip("192.0.2.3"));
	EXPECT_EQ(socket.sent[1].ttl, 10);
}

TEST(VirtualRouter, AHigherPriorityPeerKeepsItBackup)
{
	FakeSocket socket;
	Recorder listener;
	VirtualRouter router(pass(100), socket, listener);
	TimePoint now{};
	router.start(now);
	for (int i = 0; i < 20; ++i) {
		now += 1s;
		router.onPacket(now, from(peerAdvert(150), "192.0.2.2"));
		router.onTimer(now);
	}
	EXPECT_EQ(router.state(), State::kBackup);
	EXPECT_EQ(router.advertsReceived(), 20u);
	EXPECT_TRUE(socket.sent.empty());
	EXPECT_TRUE(listener.drops.empty());
}

TEST(VirtualRouter, WrongPasswordIsDroppedAndCounted)
{
	FakeSocket socket;
	Recorder listener;
	VirtualRouter router(pass(100), socket, listener);
	TimePoint now{};
	router.start(now);
	router.onPacket(now, from(peerAdvert(150, "wrong"), "192.0.2.2"));
	EXPECT_EQ(listener.drops, std::vector<DropReason>{DropReason::kBadPassword});
	EXPECT_EQ(router.drops().at(DropReason::kBadPassword), 1u);
	EXPECT_EQ(router.advertsReceived(), 0u);
	// Its timer was not reset: it takes over as if nothing came.
	router.onTimer(now + 3'609'375us);
	EXPECT_EQ(router.state(), State::kMaster);
}

TEST(VirtualRouter, CheckUnicastSrcAcceptsOnlyThePeers)
{
	auto settings = pass(100);
	settings.peers = {ip("192.0.2.2")};
	settings.checkUnicastSource = true;
	FakeSocket socket;
	Recorder listener;
	VirtualRouter router(settings, socket, listener);
	router.start(TimePoint{});
	router.onPacket(TimePoint{}, from(peerAdvert(150), "192.0.2.3", "192.0.2.1"));
	EXPECT_EQ(listener.drops, std::vector<DropReason>{DropReason::kUnknownPeer});
	router.onPacket(TimePoint{}, from(peerAdvert(150), "192.0.2.2", "192.0.2.1"));
	EXPECT_EQ(router.advertsReceived(), 1u);
}

TEST(VirtualRouter, AnotherVridIsIgnoredSilently)
{
	FakeSocket socket;
	Recorder listener;
	VirtualRouter router(pass(100), socket, listener);
	router.start(TimePoint{});
	auto other = peerAdvert(150);
	other.vrid = 52;
	router.onPacket(TimePoint{}, from(other, "192.0.2.2"));
	EXPECT_TRUE(listener.drops.empty());
	EXPECT_EQ(router.advertsReceived(), 0u);
}

TEST(VirtualRouter, TrackingLowersThePriorityWithinBounds)
{
	FakeSocket socket;
	Recorder listener;
	VirtualRouter router(pass(150), socket, listener);
	router.start(TimePoint{});
	router.setTracking(TimePoint{}, -60, false);
	EXPECT_EQ(router.priority(), 90);
	router.setTracking(TimePoint{}, -500, false);
	EXPECT_EQ(router.priority(), 1);
	router.setTracking(TimePoint{}, 500, false);
	EXPECT_EQ(router.priority(), 254);
	router.setTracking(TimePoint{}, 0, true);
	EXPECT_EQ(router.state(), State::kFault);
}

TEST(VirtualRouter, StoppingMasterResignsWithPriorityZero)
{
	FakeSocket socket;
	Recorder listener;
	VirtualRouter router(pass(255), socket, listener);
	router.start(TimePoint{});
	router.stop(TimePoint{});
	ASSERT_EQ(socket.sent.size(), 2u);
	auto decoded = decodeAdvertisement(socket.sent[1].bytes,
	                                   {socket.sent[1].source, socket.sent[1].destination, 255}, AF_INET);
	ASSERT_TRUE(decoded);
	EXPECT_EQ(decoded->priority, 0);
	EXPECT_EQ(listener.states.back(), State::kStopped);
}

// A reload that changes the addresses and the password in place: still
// MASTER, the next advert carries the new ones, and a peer's packet is
// checked against them.
TEST(VirtualRouter, UpdateInPlaceKeepsTheStateAndAdvertisesTheNewSettings)
{
	FakeSocket socket;
	Recorder listener;
	VirtualRouter router(pass(255), socket, listener);
	router.start(TimePoint{});
	auto settings = pass(255);
	settings.advertised = {ip("192.0.2.100"), ip("192.0.2.101")};
	settings.password = "n3w";
	router.updateInPlace(settings);
	EXPECT_EQ(router.state(), State::kMaster);
	router.onTimer(TimePoint{} + 1s);
	auto decoded = decodeAdvertisement(socket.sent.back().bytes,
	                                   {socket.sent.back().source, socket.sent.back().destination, 255}, AF_INET);
	ASSERT_TRUE(decoded);
	EXPECT_EQ(decoded->addresses, settings.advertised);
	EXPECT_EQ(decoded->password, "n3w");
	EXPECT_EQ(listener.states, std::vector<State>{State::kMaster});
	router.onPacket(TimePoint{} + 1s, from(peerAdvert(100), "192.0.2.2")); // old password
	EXPECT_EQ(router.drops().at(DropReason::kBadPassword), 1u);
}

// keepalived's statistics: Became master, Released master, Priority Zero
// sent and received, adverts per packet.
TEST(VirtualRouter, CountsTransitionsAndPriorityZero)
{
	FakeSocket socket;
	Recorder listener;
	VirtualRouter router(pass(100), socket, listener);
	TimePoint now{};
	router.start(now);
	now += 3'609'375us;
	router.onTimer(now); // no master heard: takes over
	ASSERT_EQ(router.state(), State::kMaster);
	router.onPacket(now, from(peerAdvert(0), "192.0.2.2")); // a master resigning
	router.onPacket(now, from(peerAdvert(150), "192.0.2.2"));
	ASSERT_EQ(router.state(), State::kBackup);
	now += 3'609'375us;
	router.onTimer(now);
	ASSERT_EQ(router.state(), State::kMaster);
	router.stop(now);

	const auto &c = router.counters();
	EXPECT_EQ(c.becameMaster, 2u);
	EXPECT_EQ(c.releasedMaster, 2u); // to BACKUP, then stopped
	EXPECT_EQ(c.priorityZeroReceived, 1u);
	EXPECT_EQ(c.priorityZeroSent, 1u);
	EXPECT_EQ(c.advertsReceived, 2u);
	EXPECT_EQ(c.advertsSent, socket.sent.size());
	router.clearCounters();
	EXPECT_EQ(router.counters().becameMaster, 0u);
	EXPECT_EQ(router.counters().advertsSent, 0u);
}

} // namespace
} // namespace vigil::vrrp
