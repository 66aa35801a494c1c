#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "parser/block_schema.h"
#include "parser/keyword_tree.h"
#include "src/config/build_context.h"
#include "src/config/ip_address.h"

namespace vigil::config {

struct NotifyFifo {
	std::string path;
	std::string script; // run with the FIFO's name as argument, if set
	std::string user;
	std::string group;
};

struct LvsSyncDaemon {
	std::string interface;
	std::string instance; // VRRP instance whose state drives master/backup
	std::optional<int> syncId;
	std::optional<int> maxlen;
	std::optional<int> port;
	std::optional<int> ttl;
	std::optional<IpAddress> group;
};

struct LvsTimeouts {
	std::optional<int> tcp;
	std::optional<int> tcpfin;
	std::optional<int> udp;
};

// global_defs, with keepalived's defaults.
struct GlobalDefs {
	std::string routerId; // default: the host name
	std::vector<std::string> notificationEmail;
	std::string notificationEmailFrom; // default keepalived@<host>
	std::optional<IpAddress> smtpServer;
	std::string smtpServerName; // a host name given instead of an address
	int smtpPort = 25;
	std::string smtpHeloName;
	double smtpConnectTimeout = 30;
	bool smtpAlert = false;
	bool smtpAlertVrrp = false;
	bool smtpAlertChecker = false;

	std::string scriptUser; // empty: keepalived_script if it exists, else root
	std::string scriptGroup;
	bool enableScriptSecurity = false;

	int vrrpVersion = 2;
	bool vrrpStrict = false;
	IpAddress vrrpMcastGroup4 = IpAddress::v4(0xe0000012); // 224.0.0.18
	IpAddress vrrpMcastGroup6 = *IpAddress::parse("ff02::12");
	double vrrpGarpMasterDelay = 5;
	int vrrpGarpMasterRepeat = 5;
	double vrrpGarpMasterRefresh = 0;
	int vrrpGarpMasterRefreshRepeat = 1;
	double vrrpGarpLowerPrioDelay = 5;
	int vrrpGarpLowerPrioRepeat = 5;
	double vrrpGarpInterval = 0;
	double vrrpGnaInterval = 0;
	bool vrrpLowerPrioNoAdvert = false;
	bool vrrpHigherPrioSendAdvert = false;
	bool vrrpCheckUnicastSrc = false;
	bool vrrpSkipCheckAdvAddr = false;
	int vrrpDownTimerAdverts = 3;
	int maxAutoPriority = 0;
	std::string defaultInterface;

	bool lvsFlush = false;
	bool lvsFlushOnStop = false;
	LvsTimeouts lvsTimeouts;
	std::optional<LvsSyncDaemon> lvsSyncDaemon;

	std::optional<NotifyFifo> notifyFifo;
	std::optional<NotifyFifo> vrrpNotifyFifo;
	std::optional<NotifyFifo> lvsNotifyFifo;

	// Documented keywords vigil accepts but does not act on (process
	// priorities, SNMP, DBus, nftables...), kept as written for the dump.
	std::map<std::string, std::vector<std::string>> other;
};

void buildGlobalDefs(GlobalDefs &global, const parser::Node &block, BuildContext &ctx);
// The keywords of a global_defs block, for the tree builder.
const parser::BlockSchema &globalDefsSchema();

class ConfigWriter;
void dumpGlobalDefs(const GlobalDefs &global, ConfigWriter &out);

} // namespace vigil::config
