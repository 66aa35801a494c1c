// vigil: a keepalived-compatible control plane. This is only the command
// line; everything else lives in the libraries.
#include <cstdio>
#include <cstdlib>
#include <getopt.h>
#include <string>

#include "ipvs/netlink_ipvs_client.h"
#include "src/config/config_dump.h"
#include "src/config/config_loader.h"
#include "src/daemon/daemon.h"

namespace {

void usage(std::FILE *to)
{
	std::fputs("Usage: vigil [OPTION...]\n"
	           "  -f, --use-file=FILE      configuration file (default /etc/keepalived/keepalived.conf)\n"
	           "  -i, --config-id=ID       id for @ID conditional lines (default: host name up to the first dot)\n"
	           "  -t, --config-test        check the configuration and exit: 0 clean, 4 fatal,\n"
	           "                           5 errors or warnings, 6 script security\n"
	           "  -d, --dump-conf          print the normalized configuration\n"
	           "  -n, --dont-fork          run in the foreground\n"
	           "  -l, --log-console        log to standard error too\n"
	           "  -G, --no-syslog          do not log to syslog\n"
	           "  -C, --check              run the checker side only (IPVS and health checks)\n"
	           "  -P, --vrrp               run the VRRP side only\n"
	           "  -I, --dont-release-ipvs  leave the IPVS rules in place on stop\n"
	           "  -p, --pid=FILE           pid file (default /run/keepalived.pid)\n"
	           "  -c, --checkers_pid=FILE  checker side pid file (default /run/keepalived_checkers.pid)\n"
	           "  -r, --vrrp_pid=FILE      VRRP side pid file (default /run/keepalived_vrrp.pid)\n"
	           "  -D, --log-detail         log more: timings and each change\n"
	           "  -R, --dont-respawn       accepted for keepalived's command lines\n"
	           "  -v, --version            print the version\n"
	           "  -h, --help               this text\n",
	           to);
}

} // namespace

int main(int argc, char **argv)
{
	static const option longOptions[] = {
	        {"use-file", required_argument, nullptr, 'f'},
	        {"config-id", required_argument, nullptr, 'i'},
	        {"config-test", optional_argument, nullptr, 't'},
	        {"dump-conf", no_argument, nullptr, 'd'},
	        {"dont-fork", no_argument, nullptr, 'n'},
	        {"log-console", no_argument, nullptr, 'l'},
	        {"no-syslog", no_argument, nullptr, 'G'},
	        {"check", no_argument, nullptr, 'C'},
	        {"vrrp", no_argument, nullptr, 'P'},
	        {"dont-release-ipvs", no_argument, nullptr, 'I'},
	        {"pid", required_argument, nullptr, 'p'},
	        {"checkers_pid", required_argument, nullptr, 'c'},
	        {"vrrp_pid", required_argument, nullptr, 'r'},
	        {"log-detail", no_argument, nullptr, 'D'},
	        {"dont-respawn", no_argument, nullptr, 'R'},
	        {"version", no_argument, nullptr, 'v'},
	        {"help", no_argument, nullptr, 'h'},
	        {nullptr, 0, nullptr, 0},
	};
	vigil::daemon::DaemonOptions daemon;
	vigil::config::LoadOptions &options = daemon.load;
	bool test = false, dump = false;
	int c;
	while ((c = getopt_long(argc, argv, "f:i:t::dnlGCPIp:c:r:DRvh", longOptions, nullptr)) != -1) {
		switch (c) {
		case 'f':
			options.path = optarg;
			break;
		case 'i':
			options.configId = optarg;
			break;
		case 't':
			test = true;
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
		case 'C':
			daemon.checkerOnly = true;
			break;
		case 'P':
			daemon.vrrpOnly = true;
			break;
		case 'I':
			daemon.keepIpvsOnStop = true;
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
		case 'R':
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
	for (const auto &d : result.diagnostics.all())
		std::fprintf(stderr, "%s\n", d.str().c_str());
	if (dump && !result.fatal())
		std::fputs(vigil::config::dumpConfig(result.config).c_str(), stdout);
	int status = test ? result.diagnostics.exitStatus() : (result.fatal() ? 4 : 0);
	// Freeing a model of a hundred thousand servers one by one takes longer
	// than the kernel takes to drop the whole address space.
	std::fflush(stdout);
	std::fflush(stderr);
	std::_Exit(status);
}
