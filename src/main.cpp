// vigil: a keepalived-compatible control plane. This is only the command
// line; everything else lives in the libraries.
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <getopt.h>
#include <optional>
#include <sched.h>
#include <string>
#include <string_view>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>
#include <vector>

#include "ipvs/netlink_ipvs_client.h"
#include "src/config/config_dump.h"
#include "src/config/config_loader.h"
#include "src/daemon/daemon.h"
#include "src/daemon/signal_functions.h"

namespace {

void usage(std::FILE *to)
{
	std::fputs(
	        "Usage: vigil [OPTION...]\n"
	        "  -f, --use-file=FILE          configuration file (default /etc/keepalived/keepalived.conf)\n"
	        "  -P, --vrrp                   run the VRRP side only\n"
	        "  -C, --check                  run the checker side only (IPVS and health checks)\n"
	        "  -l, --log-console            log to standard error too\n"
	        "  -D, --log-detail             log more: timings and each change\n"
	        "  -S, --log-facility=FACILITY  syslog facility: 0-7 (local0-7), local0-7, user, daemon (default)\n"
	        "  -G, --no-syslog              do not log to syslog\n"
	        "  -g, --log-file=FILE          log to FILE too\n"
	        "  -u, --umask=MASK             umask for the files vigil creates (numeric, e.g. 0177)\n"
	        "  -X, --release-vips           accepted (vigil always removes the VIPs of an instance leaving "
	        "MASTER)\n"
	        "  -V, --dont-release-vrrp      leave the VIPs in place on stop\n"
	        "  -I, --dont-release-ipvs      leave the IPVS rules in place on stop\n"
	        "  -R, --dont-respawn           accepted (vigil is one process: nothing to respawn)\n"
	        "  -n, --dont-fork              run in the foreground\n"
	        "  -d, --dump-conf              print the normalized configuration\n"
	        "  -p, --pid=FILE               pid file (default /run/keepalived.pid)\n"
	        "  -r, --vrrp_pid=FILE          VRRP side pid file (default /run/keepalived_vrrp.pid)\n"
	        "  -c, --checkers_pid=FILE      checker side pid file (default /run/keepalived_checkers.pid)\n"
	        "  -T, --genhash                genhash mode (first option): runs vigil-genhash with the rest\n"
	        "  -s, --namespace=NAME         run in the network namespace NAME (/run/netns/NAME)\n"
	        "  -e, --all-config             a configuration file that is missing is an error\n"
	        "  -i, --config-id=ID           id for @ID conditional lines (default: host name up to the first dot)\n"
	        "      --signum=SIGFUNC         print the signal number of STOP, RELOAD, DATA, STATS, STATS_CLEAR, "
	        "JSON\n"
	        "  -t, --config-test[=FILE]     check the configuration and exit: 0 clean, 4 fatal,\n"
	        "                               5 errors or warnings, 6 script security (messages to FILE)\n"
	        "  -v, --version                print the version\n"
	        "  -h, --help                   this text\n"
	        "  -B, --no_bfd, --all, -a, -b FILE, -x, -A FILE, -m, -M PATTERN: accepted for keepalived's\n"
	        "                               command lines; vigil has no BFD, SNMP or core-dump settings\n",
	        to);
}

// keepalived's -S: a number 0-7 is LOG_LOCAL0-7.
std::optional<int> syslogFacility(std::string_view text)
{
	static constexpr int kLocal[] = {LOG_LOCAL0, LOG_LOCAL1, LOG_LOCAL2, LOG_LOCAL3,
	                                 LOG_LOCAL4, LOG_LOCAL5, LOG_LOCAL6, LOG_LOCAL7};
	if (text.starts_with("local"))
		text.remove_prefix(5);
	else if (text == "user")
		return LOG_USER;
	else if (text == "daemon")
		return LOG_DAEMON;
	if (text.size() == 1 && text[0] >= '0' && text[0] <= '7')
		return kLocal[text[0] - '0'];
	return std::nullopt;
}

// -s NAME: the process joins the namespace ip-netns(8) made, before it
// opens any socket.
bool enterNamespace(const std::string &name)
{
	const std::string path = "/run/netns/" + name;
	int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
	if (fd < 0 || ::setns(fd, CLONE_NEWNET) != 0) {
		std::fprintf(stderr, "vigil: cannot enter network namespace %s (%s): %s\n", name.c_str(), path.c_str(),
		             std::strerror(errno));
		if (fd >= 0)
			::close(fd);
		return false;
	}
	::close(fd);
	return true;
}

// -T: keepalived's genhash mode is vigil-genhash, installed beside vigil.
[[noreturn]] void execGenhash(int argc, char **argv)
{
	std::vector<char *> args{const_cast<char *>("vigil-genhash")};
	for (int i = 2; i < argc; ++i)
		args.push_back(argv[i]);
	args.push_back(nullptr);
	char self[4096];
	ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
	if (n > 0) {
		self[n] = '\0';
		std::string beside = std::string(self, std::string_view(self).rfind('/') + 1) + "vigil-genhash";
		::execv(beside.c_str(), args.data());
	}
	::execvp("vigil-genhash", args.data());
	std::fprintf(stderr, "vigil: cannot run vigil-genhash: %s\n", std::strerror(errno));
	std::_Exit(1);
}

enum LongOnly { kSignum = 256, kAll, kFlushLogFile };

} // namespace

int main(int argc, char **argv)
{
	if (argc > 1 && (std::string_view(argv[1]) == "-T" || std::string_view(argv[1]) == "--genhash"))
		execGenhash(argc, argv);
	static const option longOptions[] = {
	        {"use-file", required_argument, nullptr, 'f'},
	        {"vrrp", no_argument, nullptr, 'P'},
	        {"check", no_argument, nullptr, 'C'},
	        {"no_bfd", no_argument, nullptr, 'B'},
	        {"all", no_argument, nullptr, kAll},
	        {"log-console", no_argument, nullptr, 'l'},
	        {"log-detail", no_argument, nullptr, 'D'},
	        {"log-facility", required_argument, nullptr, 'S'},
	        {"no-syslog", no_argument, nullptr, 'G'},
	        {"log-file", required_argument, nullptr, 'g'},
	        {"flush-log-file", no_argument, nullptr, kFlushLogFile},
	        {"umask", required_argument, nullptr, 'u'},
	        {"release-vips", no_argument, nullptr, 'X'},
	        {"dont-release-vrrp", no_argument, nullptr, 'V'},
	        {"dont-release-ipvs", no_argument, nullptr, 'I'},
	        {"dont-respawn", no_argument, nullptr, 'R'},
	        {"dont-fork", no_argument, nullptr, 'n'},
	        {"dump-conf", no_argument, nullptr, 'd'},
	        {"pid", required_argument, nullptr, 'p'},
	        {"vrrp_pid", required_argument, nullptr, 'r'},
	        {"checkers_pid", required_argument, nullptr, 'c'},
	        {"address-monitoring", no_argument, nullptr, 'a'},
	        {"bfd_pid", required_argument, nullptr, 'b'},
	        {"snmp", no_argument, nullptr, 'x'},
	        {"snmp-agent-socket", required_argument, nullptr, 'A'},
	        {"namespace", required_argument, nullptr, 's'},
	        {"core-dump", no_argument, nullptr, 'm'},
	        {"core-dump-pattern", optional_argument, nullptr, 'M'},
	        {"all-config", no_argument, nullptr, 'e'},
	        {"config-id", required_argument, nullptr, 'i'},
	        {"signum", required_argument, nullptr, kSignum},
	        {"config-test", optional_argument, nullptr, 't'},
	        {"version", no_argument, nullptr, 'v'},
	        {"help", no_argument, nullptr, 'h'},
	        {nullptr, 0, nullptr, 0},
	};
	vigil::daemon::DaemonOptions daemon;
	vigil::config::LoadOptions &options = daemon.load;
	bool test = false, dump = false;
	std::string testLog, netns;
	int c;
	while ((c = getopt_long(argc, argv, "f:PCBlDS:Gg:u:XVIRndp:r:c:ab:xA:s:mM::ei:t::vh", longOptions, nullptr)) !=
	       -1) {
		switch (c) {
		case 'f':
			options.path = optarg;
			break;
		case 'i':
			options.configId = optarg;
			break;
		case 'e':
			options.allConfig = true;
			break;
		case 't':
			test = true;
			if (optarg) // -t=FILE as well as -tFILE and --config-test=FILE
				testLog = optarg[0] == '=' ? optarg + 1 : optarg;
			break;
		case 'd':
			dump = true;
			break;
		case 'n':
			daemon.foreground = true;
			break;
		case 'l':
			daemon.logConsole = true;
			break;
		case 'G':
			daemon.noSyslog = true;
			break;
		case 'S':
			if (auto facility = syslogFacility(optarg)) {
				daemon.syslogFacility = *facility;
			} else {
				std::fprintf(stderr, "vigil: invalid log facility '%s'\n", optarg);
				return 1;
			}
			break;
		case 'g':
			daemon.logFile = optarg;
			break;
		case kFlushLogFile:
			daemon.flushLogFile = true;
			break;
		case 'u': {
			char *end = nullptr;
			unsigned long mask = std::strtoul(optarg, &end, 0);
			if (!*optarg || *end || mask > 0777) {
				std::fprintf(stderr, "vigil: invalid umask '%s'\n", optarg);
				return 1;
			}
			::umask(static_cast<mode_t>(mask));
			break;
		}
		case 'C':
			daemon.checkerOnly = true;
			break;
		case 'P':
			daemon.vrrpOnly = true;
			break;
		case 'I':
			daemon.keepIpvsOnStop = true;
			break;
		case 'V':
			daemon.keepVipsOnStop = true;
			break;
		case 'p':
			daemon.pidFile = optarg;
			break;
		case 'c':
			daemon.checkersPidFile = optarg;
			break;
		case 'r':
			daemon.vrrpPidFile = optarg;
			break;
		case 'D':
			daemon.logDetail = true;
			break;
		case 's':
			netns = optarg;
			break;
		case kSignum:
			if (auto number = vigil::daemon::signalNumber(optarg)) {
				std::printf("%d\n", *number);
				return 0;
			}
			std::fprintf(stderr, "Unknown sigfunc %s\n", optarg);
			return 1;
		case 'X': // VIPs always go with MASTER
		case 'R': // one process: nothing to respawn
		case 'B': // no BFD
		case kAll:
		case 'a':
		case 'b':
		case 'x': // no SNMP
		case 'A':
		case 'm':
		case 'M':
			break;
		case 'v':
			std::puts("vigil " VIGIL_VERSION);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	if (optind < argc) {
		std::fprintf(stderr, "vigil: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return 1;
	}
	if (daemon.checkerOnly && daemon.vrrpOnly) {
		std::fputs("vigil: --check and --vrrp exclude each other\n", stderr);
		return 1;
	}
	if (!netns.empty() && !enterNamespace(netns))
		return 1;
	if (!test && !dump) {
		return vigil::daemon::runDaemon(
		        daemon, []() -> std::expected<std::unique_ptr<vigil::ipvs::IpvsClient>, int> {
			        auto client = vigil::ipvs::NetlinkIpvsClient::open();
			        if (!client)
				        return std::unexpected(client.error());
			        return std::unique_ptr<vigil::ipvs::IpvsClient>(std::move(*client));
		        });
	}

	vigil::parser::RealFileSource files;
	vigil::config::HostSystemView system;
	auto result = vigil::config::loadConfig(options, files, system);
	std::FILE *messages = stderr;
	if (!testLog.empty() && !(messages = std::fopen(testLog.c_str(), "w"))) {
		std::fprintf(stderr, "vigil: cannot write %s: %s\n", testLog.c_str(), std::strerror(errno));
		return 1;
	}
	for (const auto &d : result.diagnostics.all())
		std::fprintf(messages, "%s\n", d.str().c_str());
	if (dump && !result.fatal())
		std::fputs(vigil::config::dumpConfig(result.config).c_str(), stdout);
	int status = test ? result.diagnostics.exitStatus() : (result.fatal() ? 4 : 0);
	// Freeing a model of a hundred thousand servers one by one takes longer
	// than the kernel takes to drop the whole address space.
	std::fflush(stdout);
	std::fflush(messages);
	std::_Exit(status);
}
