// vigil: a keepalived-compatible control plane. This is only the command
// line; everything else lives in the libraries.
#include <cstdio>
#include <cstdlib>
#include <getopt.h>
#include <string>

#include "src/config/config_dump.h"
#include "src/config/config_loader.h"

namespace {

void usage(std::FILE *to)
{
	std::fputs("Usage: vigil [OPTION...]\n"
	           "  -f, --use-file=FILE      configuration file (default /etc/keepalived/keepalived.conf)\n"
	           "  -i, --config-id=ID       id for @ID conditional lines (default: host name up to the first dot)\n"
	           "  -t, --config-test        check the configuration and exit: 0 clean, 4 fatal,\n"
	           "                           5 errors or warnings, 6 script security\n"
	           "  -d, --dump-conf          print the normalized configuration\n"
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
	        {"version", no_argument, nullptr, 'v'},
	        {"help", no_argument, nullptr, 'h'},
	        {nullptr, 0, nullptr, 0},
	};
	vigil::config::LoadOptions options;
	bool test = false, dump = false;
	int c;
	while ((c = getopt_long(argc, argv, "f:i:t::dvh", longOptions, nullptr)) != -1) {
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
	if (!test && !dump) {
		std::fputs("vigil: only --config-test and --dump-conf are available in this version\n", stderr);
		return 1;
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
