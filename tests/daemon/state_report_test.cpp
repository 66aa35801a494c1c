// The signal dumps' formats: keepalived.stats byte for byte as keepalived
// 2.2.7 writes it (captured from Debian's keepalived, SIGUSR2), the lines
// of keepalived.data that monitoring tools parse, and both JSON files.
#include <gtest/gtest.h>

#include "src/daemon/state_report.h"

namespace vigil::daemon {
namespace {

StateReport sample()
{
	StateReport r;
	r.version = "1.2.3";
	r.pid = 42;
	r.time = 1796122891.5;
	r.configFile = "/etc/keepalived/keepalived.conf";
	r.routerId = "LB01";
	VrrpInstanceReport vi;
	vi.name = "VI_1";
	vi.state = vi.wantState = "MASTER";
	vi.interface = "eth0";
	vi.sourceAddress = "192.0.2.54";
	vi.unicastPeers = {"192.0.2.64"};
	vi.vrid = 51;
	vi.basePriority = vi.effectivePriority = 100;
	vi.passwordAuth = true;
	vi.password = "1111";
	vi.vips = {"192.0.2.93 dev eth0 scope global", "192.0.2.94/24 dev eth0 scope global label \"x\""};
	vi.vipsSet = true;
	vi.trackScripts = {{"chk", -20}};
	vi.lastTransition = 1796122891.40156;
	vi.counters.advertsSent = 3;
	vi.counters.becameMaster = 1;
	vi.counters.authFailure = 2;
	vi.counters.drops = {{"bad password", 2}};
	r.instances.push_back(vi);
	VrrpScriptReport s;
	s.name = "chk";
	s.command = "/usr/bin/true";
	s.weight = -20;
	s.status = "GOOD";
	s.instances = {{"VI_1", -20}};
	r.scripts.push_back(s);
	VirtualServerReport vs;
	vs.name = "[192.0.2.93]:tcp:6379";
	vs.scheduler = "rr";
	vs.forwarding = "DR";
	vs.delayLoop = 6;
	vs.aliveWeight = 1;
	vs.sorryServer = "192.0.2.200:6379";
	RealServerReport up{"192.0.2.72", 6379, 1, true, 1, {{"TCP_CHECK", "192.0.2.72:6379", true, 5, 0, "ok"}}};
	RealServerReport down{
	        "192.0.2.80", 6379,         1,
	        false,        std::nullopt, {{"TCP_CHECK", "192.0.2.80:6379", false, 5, 5, "connection refused"}}};
	vs.realServers = {up, down};
	r.virtualServers.push_back(vs);
	r.ipvsAvailable = true;
	return r;
}

TEST(StateReport, StatsAreKeepalivedsTextByteForByte)
{
	EXPECT_EQ(statsText(sample()), "VRRP Instance: VI_1\n"
	                               "  Advertisements:\n"
	                               "    Received: 0\n"
	                               "    Sent: 3\n"
	                               "  Became master: 1\n"
	                               "  Released master: 0\n"
	                               "  Packet Errors:\n"
	                               "    Length: 0\n"
	                               "    TTL: 0\n"
	                               "    Invalid Type: 0\n"
	                               "    Advertisement Interval: 0\n"
	                               "    Address List: 0\n"
	                               "  Authentication Errors:\n"
	                               "    Invalid Type: 0\n"
	                               "    Type Mismatch: 0\n"
	                               "    Failure: 2\n"
	                               "  Priority Zero:\n"
	                               "    Received: 0\n"
	                               "    Sent: 0\n");
}

TEST(StateReport, DataHasTheLinesExportersParse)
{
	const auto text = dataText(sample());
	for (const char *line :
	     {"------< VRRP Topology >------\n", " VRRP Instance = VI_1\n", "   State = MASTER\n",
	      "   Wantstate = MASTER\n", "   Interface = eth0\n", "   Virtual Router ID = 51\n", "   Virtual IP (2):\n",
	      "     192.0.2.93 dev eth0 scope global set\n", " VRRP Script = chk\n", "   Status = GOOD\n",
	      "   State = idle\n", "------< LVS Topology >------\n", " Virtual Server = [192.0.2.93]:tcp:6379\n",
	      "   Real Server = 192.0.2.80:6379\n", "     weight = 1, dead, not in IPVS\n",
	      "     TCP_CHECK 192.0.2.80:6379 down: 5 checks, 5 failed, last: connection refused\n"})
		EXPECT_NE(text.find(line), std::string::npos) << line << "\nin:\n" << text;
	EXPECT_NE(text.find("   Last transition = 1796122891.401560 ("), std::string::npos);
}

TEST(StateReport, KeepalivedJsonHasItsKeysAndStateNumbers)
{
	const auto json = keepalivedJson(sample());
	EXPECT_EQ(json.front(), '[');
	for (const char *piece :
	     {"{\"data\":{\"iname\":\"VI_1\",", "\"ifp_ifname\":\"eth0\"", "\"vrid\":51", "\"state\":2",
	      "\"wantstate\":2",
	      "\"vips\":[\"192.0.2.93 dev eth0 scope global set\",\"192.0.2.94/24 dev eth0 scope global label "
	      "\\\"x\\\" set\"]",
	      "\"track_script\":[\"'/usr/bin/true'\"]", "\"auth_type\":1,\"auth_data\":\"1111\"",
	      "\"stats\":{\"advert_rcvd\":0,\"advert_sent\":3,\"become_master\":1,", "\"auth_failure\":2,"})
		EXPECT_NE(json.find(piece), std::string::npos) << piece << "\nin:\n" << json;
	EXPECT_EQ(keepalivedJson(StateReport{}), "[]\n");
}

TEST(StateReport, VigilJsonHasServersAndCheckers)
{
	const auto json = vigilJson(sample());
	for (const char *piece :
	     {"{\"schema\":1,\"program\":\"vigil\",\"version\":\"1.2.3\",\"pid\":42,", "\"drops\":{\"bad password\":2}",
	      "\"virtual_servers\":[{\"name\":\"[192.0.2.93]:tcp:6379\",\"scheduler\":\"rr\",\"forwarding\":\"DR\"",
	      "\"sorry_server\":{\"address\":\"192.0.2.200:6379\",\"in_use\":false}",
	      "{\"address\":\"192.0.2.80\",\"port\":6379,\"weight\":1,\"alive\":false,\"ipvs_weight\":null,",
	      "{\"type\":\"TCP_CHECK\",\"target\":\"192.0.2.80:6379\",\"up\":false,\"checks\":5,\"failures\":5,"
	      "\"last_result\":\"connection refused\"}"})
		EXPECT_NE(json.find(piece), std::string::npos) << piece << "\nin:\n" << json;
	EXPECT_EQ(keepalivedStateNumber("BACKUP"), 1);
	EXPECT_EQ(keepalivedStateNumber("FAULT"), 3);
	EXPECT_EQ(keepalivedStateNumber("INIT"), 0);
}

} // namespace
} // namespace vigil::daemon
