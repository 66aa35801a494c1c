#pragma once

// The LVS half of the model: virtual_server_group, virtual_server,
// real_server and the health checkers, with keepalived 2.2.7's defaults
// resolved once the whole file is read (validateLvs).
//
// Inheritance follows keepalived.conf(5): a virtual server's checker
// options (connect_timeout, retry, delay_before_retry, warmup, delay_loop,
// alpha, virtualhost, inhibit_on_failure, lvs_method) are the defaults of its
// real servers, whose settings are the defaults of their checkers. The
// virtual and real servers keep what was written (optional); checkers,
// urls and real servers hold the resolved values.

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "parser/block_schema.h"
#include "parser/keyword_tree.h"
#include "parser/location.h"
#include "src/config/boxed_optional.h"
#include "src/config/build_context.h"
#include "src/config/ip_address.h"
#include "src/config/script.h"

namespace vigil::config {

struct Config;
class ConfigWriter;

// Build bookkeeping that is not part of an object's value: which settings the
// configuration gave explicitly, so that validation can apply keepalived's
// defaults (and its messages about them). Always compares equal.
class ExplicitSettings
{
public:
	void set(unsigned bit) { bits_ |= 1u << bit; }
	bool has(unsigned bit) const { return (bits_ >> bit) & 1u; }
	bool operator==(const ExplicitSettings &) const { return true; }

private:
	std::uint32_t bits_ = 0;
};

enum class LvsProtocol : std::uint8_t { kNone, kTcp, kUdp, kSctp };
enum class ForwardingKind : std::uint8_t { kNat, kDr, kTun };
enum class TunnelType : std::uint8_t { kIpip, kGue, kGre };
enum class TunnelChecksum : std::uint8_t { kNoCsum, kCsum, kRemCsum };

// "TCP", "UDP", "SCTP" (config syntax) and "tcp", "udp", "sctp", "none"
// (keepalived's messages).
std::string_view protocolKeyword(LvsProtocol protocol);
std::string_view protocolLower(LvsProtocol protocol);

// lvs_method / lb_kind: NAT, DR or TUN with its tunnel options. The tunnel
// options are kept only for TUN.
struct ForwardingMethod {
	ForwardingKind kind = ForwardingKind::kNat;
	TunnelType tunnelType = TunnelType::kIpip;
	std::uint16_t tunnelPort = 0; // gue only
	TunnelChecksum checksum = TunnelChecksum::kNoCsum;

	bool operator==(const ForwardingMethod &) const = default;
	// The arguments of lvs_method, e.g. {"TUN", "type", "gue", "port", "6080", "csum"}.
	std::vector<std::string> args() const;
};

// One line of a virtual_server_group: an address or address range with a
// port, or a fwmark.
struct VsgEntry {
	parser::Location where;
	bool isFwmark = false;
	IpAddress first; // the range as written: first..last inclusive
	IpAddress last;  // == first for a single address
	std::uint16_t port = 0;
	std::uint32_t fwmark = 0;
	int family = 0; // fwmark's "inet"/"inet6", 0 when not given

	bool operator==(const VsgEntry &o) const
	{
		return isFwmark == o.isFwmark && first == o.first && last == o.last && port == o.port &&
		       fwmark == o.fwmark && family == o.family;
	}
	bool isRange() const { return !isFwmark && first != last; }
	// Number of addresses (1 for a fwmark), saturating at SIZE_MAX.
	std::size_t size() const;
	// The addresses of the range, first to last; at most `limit` of them.
	std::vector<IpAddress> expand(std::size_t limit = 65536) const;
};

struct VirtualServerGroup {
	std::string name;
	parser::Location where;
	std::vector<VsgEntry> entries;

	bool operator==(const VirtualServerGroup &o) const { return name == o.name && entries == o.entries; }
	bool hasFwmark() const;
	bool hasFamily(int family) const;
};

// ---- health checkers ------------------------------------------------------

enum class CheckerType : std::uint8_t { kTcp, kHttp, kSsl, kMisc, kDns, kSmtp, kUdp, kPing, kFile, kBfd };
std::string_view checkerKeyword(CheckerType type);

// The generic connection options (connect_ip... fwmark). An unset connect_ip
// / connect_port resolves to the real server's address / port.
struct CheckerEndpoint {
	parser::Location where; // the SMTP_CHECK host block, else the checker's
	IpAddress connectIp;
	std::uint16_t connectPort = 0;
	std::optional<IpAddress> bindTo;
	std::uint16_t bindPort = 0; // 0: any
	std::string bindIf;
	std::optional<std::uint32_t> fwmark;

	bool operator==(const CheckerEndpoint &o) const
	{
		return connectIp == o.connectIp && connectPort == o.connectPort && bindTo == o.bindTo &&
		       bindPort == o.bindPort && bindIf == o.bindIf && fwmark == o.fwmark;
	}
	ExplicitSettings given; // kConnectIp, kConnectPort
};

struct StatusRange {
	int low = 200;
	int high = 299;
	bool operator==(const StatusRange &) const = default;
};

struct HttpUrl {
	parser::Location where;
	std::string path;
	std::string digest; // 32 lower-case hex digits, empty: none
	// Normalized (sorted, merged); keepalived's default 200-299 when none given.
	std::vector<StatusRange> statusCodes;
	std::string virtualhost; // resolved: url, checker, real server, virtual server; empty: none
	// regex options are checked by keepalived only when the checker starts;
	// they are kept as written.
	std::string regex;
	bool regexNoMatch = false;
	std::vector<std::string> regexOptions;
	std::vector<std::string> regexStack;
	std::string regexMinOffset;
	std::string regexMaxOffset;

	bool operator==(const HttpUrl &o) const
	{
		return path == o.path && digest == o.digest && statusCodes == o.statusCodes &&
		       virtualhost == o.virtualhost && regex == o.regex && regexNoMatch == o.regexNoMatch &&
		       regexOptions == o.regexOptions && regexStack == o.regexStack &&
		       regexMinOffset == o.regexMinOffset && regexMaxOffset == o.regexMaxOffset;
	}
	ExplicitSettings given; // kVirtualhost
};

// HTTP_GET and SSL_GET.
struct HttpCheck {
	std::string httpProtocol = "1.0"; // 1.0, 1.0C or 1.1
	bool fastRecovery = false;
	bool enableSni = false;
	std::string virtualhost; // resolved: checker, real server, virtual server
	std::vector<HttpUrl> urls;
	bool operator==(const HttpCheck &o) const
	{
		return httpProtocol == o.httpProtocol && fastRecovery == o.fastRecovery && enableSni == o.enableSni &&
		       virtualhost == o.virtualhost && urls == o.urls;
	}
	ExplicitSettings given; // kVirtualhost
};

struct TcpCheck {
	// vigil's half_open: a SYN from a raw socket, up on a SYN-ACK, down on
	// a RST; the server's application never sees the check. Not a
	// keepalived keyword (keepalived logs it as unknown and connects).
	bool halfOpen = false;
	bool operator==(const TcpCheck &) const = default;
};

struct PingCheck {
	bool operator==(const PingCheck &) const = default;
};

struct MiscCheck {
	Script script;                        // misc_path, with `user` USER [GROUP]
	std::optional<std::uint32_t> timeout; // misc_timeout; unset: keepalived uses delay_loop
	bool dynamic = false;
	bool operator==(const MiscCheck &o) const
	{
		return script == o.script && timeout == o.timeout && dynamic == o.dynamic;
	}
};

struct DnsCheck {
	std::string type = "SOA"; // A NS CNAME SOA MX TXT AAAA
	std::string name = ".";
	bool operator==(const DnsCheck &) const = default;
};

struct SmtpCheck {
	std::string heloName; // empty: keepalived's default
	// host { } blocks, each with its own connection options; none: the
	// checker's own connection options are the one host.
	std::vector<CheckerEndpoint> hosts;
	bool operator==(const SmtpCheck &) const = default;
};

// A hex string as UDP_CHECK reads it; `mask` has 0 nibbles where the reply
// pattern said x/X (don't care).
struct HexPattern {
	std::vector<std::uint8_t> bytes;
	std::vector<std::uint8_t> mask;
	bool operator==(const HexPattern &) const = default;
	std::vector<std::string> words() const;
};

struct UdpCheck {
	std::optional<HexPattern> payload; // unset: random payload
	bool requireReply = false;
	std::optional<HexPattern> reply;
	std::uint32_t minReplyLength = 0;
	std::uint32_t maxReplyLength = 255;
	bool operator==(const UdpCheck &) const = default;
};

struct FileCheck {
	std::string trackFile;
	std::optional<std::int32_t> weight; // unset: keepalived's default
	bool reverse = false;
	bool operator==(const FileCheck &) const = default;
};

struct BfdCheck {
	std::string name;
	bool operator==(const BfdCheck &) const = default;
};

using CheckerDetail =
        std::variant<TcpCheck, HttpCheck, MiscCheck, DnsCheck, SmtpCheck, UdpCheck, PingCheck, FileCheck, BfdCheck>;

struct Checker {
	CheckerType type = CheckerType::kTcp;
	parser::Location where;
	parser::Location end;     // the block's closing line
	CheckerEndpoint endpoint; // unused by MISC_CHECK, FILE_CHECK, BFD_CHECK
	// Resolved timing: checker, else real server, else virtual server, else
	// keepalived's default for the checker type.
	double connectTimeout = 5;
	std::uint32_t retry = 1;     // DNS_CHECK 3, MISC_CHECK 0
	double delayBeforeRetry = 1; // HTTP/SSL 3, DNS delay_loop
	double warmup = 60;          // default: delay_loop
	double delayLoop = 60;
	bool alpha = false;
	bool logAllFailures = false;
	CheckerDetail detail;

	bool operator==(const Checker &o) const
	{
		return type == o.type && endpoint == o.endpoint && connectTimeout == o.connectTimeout &&
		       retry == o.retry && delayBeforeRetry == o.delayBeforeRetry && warmup == o.warmup &&
		       delayLoop == o.delayLoop && alpha == o.alpha && logAllFailures == o.logAllFailures &&
		       detail == o.detail;
	}
	ExplicitSettings given; // CheckerField bits
};

// Whether a TCP_CHECK runs half-open: it asks for half_open and sets none
// of bindto, bind_port, bind_if and fwmark, which only a connecting socket
// applies (with one of them, it connects).
bool runsHalfOpen(const Checker &checker);

// What a virtual or real server hands down to its checkers, as written.
struct CheckerDefaults {
	std::optional<double> connectTimeout;
	std::optional<std::uint32_t> retry;
	std::optional<double> delayBeforeRetry;
	std::optional<double> warmup;
	std::optional<double> delayLoop; // always set on a virtual server (default 60)
	std::optional<bool> alpha;
	std::optional<std::string> virtualhost;
	bool operator==(const CheckerDefaults &) const = default;
};

// ---- servers --------------------------------------------------------------

struct RealServerKey {
	IpAddress address;
	std::uint16_t port = 0;
	auto operator<=>(const RealServerKey &) const = default;
};

struct RealServer {
	parser::Location where;
	IpAddress address;
	std::uint16_t port = 0;
	std::uint32_t weight = 1;       // 0..2147483647; default: the virtual server's weight, else 1
	ForwardingMethod forwarding;    // resolved: real server, else virtual server
	bool inhibitOnFailure = false;  // resolved: real server, else virtual server
	BoxedOptional<Script> notifyUp; // boxed: most servers have none
	BoxedOptional<Script> notifyDown;
	std::uint32_t upperThreshold = 0; // uthreshold; 0: none
	std::uint32_t lowerThreshold = 0; // lthreshold
	std::optional<bool> smtpAlert;    // unset: global smtp_alert(_checker), else on
	std::string snmpName;
	LazyBox<CheckerDefaults> defaults; // as written in the real_server block; boxed: usually empty
	std::vector<Checker> checkers;

	RealServerKey key() const { return {address, port}; }
	bool operator==(const RealServer &o) const
	{
		return address == o.address && port == o.port && weight == o.weight && forwarding == o.forwarding &&
		       inhibitOnFailure == o.inhibitOnFailure && notifyUp == o.notifyUp && notifyDown == o.notifyDown &&
		       upperThreshold == o.upperThreshold && lowerThreshold == o.lowerThreshold &&
		       smtpAlert == o.smtpAlert && snmpName == o.snmpName && defaults == o.defaults &&
		       checkers == o.checkers;
	}
	ExplicitSettings given; // kRsForwarding, kRsInhibit, kRsWeight
};

struct SorryServer {
	parser::Location where;
	IpAddress address;
	std::uint16_t port = 0;
	ForwardingMethod forwarding; // resolved: sorry_server_lvs_method, else the virtual server's
	bool inhibit = false;        // sorry_server_inhibit
	bool operator==(const SorryServer &o) const
	{
		return address == o.address && port == o.port && forwarding == o.forwarding && inhibit == o.inhibit;
	}
	ExplicitSettings given; // kSorryForwarding
};

enum class VirtualServerKind : std::uint8_t { kAddress, kFwmark, kGroup };

// The identity of a virtual server for diffs: address+port+protocol,
// fwmark+family, or group name+protocol.
struct VirtualServerKey {
	VirtualServerKind kind = VirtualServerKind::kAddress;
	IpAddress address;
	std::uint16_t port = 0;
	LvsProtocol protocol = LvsProtocol::kNone;
	std::uint32_t fwmark = 0;
	int family = 0;
	std::string group;
	auto operator<=>(const VirtualServerKey &) const = default;
};

struct VirtualServer {
	parser::Location where;
	VirtualServerKind kind = VirtualServerKind::kAddress;
	IpAddress address;      // kAddress
	std::uint16_t port = 0; // kAddress; 0 only with persistence
	std::uint32_t fwmark = 0;
	std::string group;
	int family = 0; // AF_INET / AF_INET6; 0 for a group

	LvsProtocol protocol = LvsProtocol::kUdp; // keepalived 2.2.7 defaults to UDP; kNone for fwmark
	std::string scheduler = "wlc";
	bool ops = false;
	bool flag1 = false; // also sh-fallback / mh-fallback
	bool flag2 = false; // also sh-port / mh-port
	bool flag3 = false;
	ForwardingMethod forwarding; // lb_kind / lvs_method, default NAT

	std::optional<std::uint32_t> persistenceTimeout; // seconds; unset: not persistent
	std::optional<IpAddress> persistenceGranularity; // netmask (IPv6: from a prefix length)
	std::string persistenceEngine;

	bool haSuspend = false;
	bool alpha = false;
	bool omega = false;
	std::uint32_t quorum = 1;
	std::uint32_t hysteresis = 0;
	BoxedOptional<Script> quorumUp; // boxed: most virtual servers have none
	BoxedOptional<Script> quorumDown;
	std::optional<bool> smtpAlert;
	bool inhibitOnFailure = false;
	std::optional<std::uint32_t> weight; // undocumented: its real servers' default weight
	std::string snmpName;
	CheckerDefaults defaults; // delay_loop always resolved (60)

	std::optional<SorryServer> sorryServer;
	std::vector<RealServer> realServers;

	VirtualServerKey key() const;
	// keepalived's name for it in messages: "[192.0.2.1]:tcp:80", "FWM 1", "[G]:0".
	std::string name() const;
	double delayLoop() const { return defaults.delayLoop.value_or(60); }

	bool operator==(const VirtualServer &o) const
	{
		return kind == o.kind && address == o.address && port == o.port && fwmark == o.fwmark &&
		       group == o.group && family == o.family && protocol == o.protocol && scheduler == o.scheduler &&
		       ops == o.ops && flag1 == o.flag1 && flag2 == o.flag2 && flag3 == o.flag3 &&
		       forwarding == o.forwarding && persistenceTimeout == o.persistenceTimeout &&
		       persistenceGranularity == o.persistenceGranularity && persistenceEngine == o.persistenceEngine &&
		       haSuspend == o.haSuspend && alpha == o.alpha && omega == o.omega && quorum == o.quorum &&
		       hysteresis == o.hysteresis && quorumUp == o.quorumUp && quorumDown == o.quorumDown &&
		       smtpAlert == o.smtpAlert && inhibitOnFailure == o.inhibitOnFailure && weight == o.weight &&
		       snmpName == o.snmpName && defaults == o.defaults && sorryServer == o.sorryServer &&
		       realServers == o.realServers;
	}
	ExplicitSettings given; // VsField bits
};

// The top-level SSL block: the client context of SSL_GET checkers; keepalived
// generates one when none (or nothing in it) is given.
struct SslConfig {
	parser::Location where;
	std::string password;
	std::string ca;
	std::string certificate;
	std::string key;
	bool operator==(const SslConfig &o) const
	{
		return password == o.password && ca == o.ca && certificate == o.certificate && key == o.key;
	}
};

struct LvsModel {
	std::optional<SslConfig> ssl;
	std::vector<VirtualServerGroup> groups;
	std::deque<VirtualServer> virtualServers; // a deque: no copying as a large configuration grows

	bool operator==(const LvsModel &) const = default;
	const VirtualServerGroup *findGroup(std::string_view name) const;
};

// What the tree builder must know of each top-level LVS block (which
// keywords exist, which take a block), for the loader's top-level table.
const parser::BlockSchema &sslSchema();
const parser::BlockSchema &virtualServerGroupSchema();
const parser::BlockSchema &virtualServerSchema();

void buildSslConfig(Config &config, const parser::Node &node, BuildContext &ctx);
void buildVirtualServerGroup(Config &config, const parser::Node &node, BuildContext &ctx);
void buildVirtualServer(Config &config, const parser::Node &node, BuildContext &ctx);
// Applies keepalived's end-of-configuration checks and resolves inherited
// values and defaults.
void validateLvs(Config &config, BuildContext &ctx);
void dumpLvs(const Config &config, ConfigWriter &out);
// Every script the checker side would run (quorum_up/down, notify_up/down,
// MISC_CHECK), for the script security check.
void collectLvsScripts(const Config &config, std::vector<const Script *> &out);

} // namespace vigil::config
