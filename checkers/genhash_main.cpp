// vigil-genhash: keepalived's genhash on vigil's HTTP_GET / SSL_GET code.
// It fetches one url as the checker would (same request, same reader) and
// prints the digest to put in a url block's `digest`, or with -v the
// header, body and digest in genhash's verbose layout.

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdio>
#include <fmt/format.h>
#include <getopt.h>
#include <string>

#include "checkers/http_response.h"
#include "checkers/probe_context.h"
#include "checkers/ssl_context.h"

namespace {

using namespace vigil;

// The probe context wants a script runner; HTTP sessions never use it.
class NoScripts final : public exec::ScriptRunner
{
public:
	exec::RunId run(const exec::RunRequest &, Done) override { return exec::kNoRun; }
	void cancel(exec::RunId) override {}
	bool signal(exec::RunId, int) override { return false; }
	std::size_t running() const override { return 0; }
};

void usage(std::FILE *out)
{
	std::fputs("Usage: vigil-genhash COMMAND [OPTIONS]\n"
	           "Commands:\n"
	           "   -s server-address -p port -u url\n"
	           "   -S -s server-address -p port -u url\n"
	           "   -h\n"
	           "\n"
	           "Options:\n"
	           "   --use-ssl         -S       Use SSL connection to remote server.\n"
	           "   --use-sni         -I       Use SNI during SSL handshake (uses virtualhost setting; see -V).\n"
	           "   --server          -s       Use the specified remote server address.\n"
	           "   --port            -p       Use the specified remote server port (default 80, 443 with -S).\n"
	           "   --url             -u       Use the specified remote server url (default /).\n"
	           "   --use-virtualhost -V       Use the specified virtualhost in GET query.\n"
	           "   --verbose         -v       Use verbose mode output.\n"
	           "   --help            -h       Display this short inlined help screen.\n"
	           "   --fwmark          -m       Use the specified FW mark.\n"
	           "   --protocol        -P       Use the specified HTTP protocol - '1.0', 1.0c', '1.1'.\n"
	           "                                1.0c means 1.0 with 'Connection: close'\n"
	           "   --timeout         -t       Timeout in seconds (default 5).\n",
	           out);
}

// genhash's dump: decimal offset, 16 bytes as hex in two groups, printable
// characters.
void dump(std::string_view data)
{
	for (std::size_t line = 0; line < data.size(); line += 16) {
		std::string text = fmt::format("{:04}  ", line);
		std::string ascii;
		for (std::size_t i = 0; i < 16; ++i) {
			if (i == 8)
				text += "- ";
			if (line + i < data.size()) {
				const auto c = static_cast<unsigned char>(data[line + i]);
				text += fmt::format("{:02x} ", c);
				ascii += (c >= 0x20 && c < 0x7f) ? static_cast<char>(c) : '.';
			} else {
				text += "   ";
			}
		}
		fmt::print("{}  {:<16}\n", text, ascii);
	}
}

std::string fromHex(std::string_view hex)
{
	std::string bytes;
	for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
		bytes += static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16));
	return bytes;
}

// genhash's section titles, as it prints them.
constexpr const char *kHeaderBanner = "-----------------------[    HTTP Header Buffer    ]-----------------------";
constexpr const char *kAsciiBanner = "-----------------------[ HTTP Header Ascii Buffer ]-----------------------";
constexpr const char *kBodyBanner = "-----------------------[        HTML Buffer        ]-----------------------";
constexpr const char *kHashBanner = "-----------------------[    HTML hash resulting    ]-----------------------";
constexpr const char *kFinalBanner = "-----------------------[ HTML hash final resulting ]-----------------------";

int run(int argc, char **argv)
{
	static const option kOptions[] = {
	        {"use-ssl", no_argument, nullptr, 'S'},       {"use-sni", no_argument, nullptr, 'I'},
	        {"server", required_argument, nullptr, 's'},  {"port", required_argument, nullptr, 'p'},
	        {"url", required_argument, nullptr, 'u'},     {"use-virtualhost", required_argument, nullptr, 'V'},
	        {"verbose", no_argument, nullptr, 'v'},       {"help", no_argument, nullptr, 'h'},
	        {"fwmark", required_argument, nullptr, 'm'},  {"protocol", required_argument, nullptr, 'P'},
	        {"timeout", required_argument, nullptr, 't'}, {nullptr, 0, nullptr, 0},
	};
	bool tls = false, sni = false, verbose = false;
	std::string server, path = "/", virtualhost, protocol = "1.0";
	long port = 0;
	double timeout = 5;
	std::optional<std::uint32_t> fwmark;
	int c;
	try {
		while ((c = getopt_long(argc, argv, "SIs:p:u:V:vhm:P:t:", kOptions, nullptr)) != -1) {
			switch (c) {
			case 'S':
				tls = true;
				break;
			case 'I':
				sni = true;
				break;
			case 's':
				server = optarg;
				break;
			case 'p':
				port = std::stol(optarg);
				break;
			case 'u':
				path = optarg;
				break;
			case 'V':
				virtualhost = optarg;
				break;
			case 'v':
				verbose = true;
				break;
			case 'h':
				usage(stdout);
				return 0;
			case 'm':
				fwmark = static_cast<std::uint32_t>(std::stoul(optarg, nullptr, 0));
				break;
			case 'P':
				protocol = optarg;
				break;
			case 't':
				timeout = std::stod(optarg);
				break;
			default:
				usage(stderr);
				return 1;
			}
		}
	} catch (const std::exception &) {
		fmt::print(stderr, "vigil-genhash: invalid number in option -{}\n", static_cast<char>(c));
		return 1;
	}
	if (protocol == "1.0c")
		protocol = "1.0C";
	if (protocol != "1.0" && protocol != "1.0C" && protocol != "1.1") {
		fmt::print(stderr, "vigil-genhash: invalid protocol {} (1.0, 1.0c or 1.1)\n", protocol);
		return 1;
	}
	const auto address = config::IpAddress::parse(server);
	if (!address) {
		fmt::print(stderr, "vigil-genhash: -s needs a server IP address{}\n",
		           server.empty() ? "" : ", not " + server);
		usage(stderr);
		return 1;
	}
	if (port == 0)
		port = tls ? 443 : 80;
	if (port < 1 || port > 65535 || timeout <= 0 || timeout > 3600) {
		fmt::print(stderr, "vigil-genhash: port or timeout out of range\n");
		return 1;
	}

	config::Checker checker;
	checker.type = tls ? config::CheckerType::kSsl : config::CheckerType::kHttp;
	checker.endpoint.fwmark = fwmark;
	config::HttpCheck check;
	check.httpProtocol = protocol;
	check.enableSni = sni;
	check.virtualhost = virtualhost;
	config::HttpUrl url;
	url.path = path;
	// Any status: genhash reports the digest of whatever page comes back.
	url.statusCodes = {config::StatusRange{100, 999}};
	check.urls.push_back(url);
	checker.detail = check;

	auto ssl = checkers::makeSslContext(std::nullopt);
	if (!ssl) {
		fmt::print(stderr, "vigil-genhash: {}\n", ssl.error());
		return 1;
	}
	boost::asio::io_context io;
	NoScripts scripts;
	checkers::ProbeContext context{io, scripts, {}, *ssl};
	const auto limit = std::chrono::milliseconds(static_cast<long>(timeout * 1000));
	checkers::ProbeRequest request{checker, *address, static_cast<std::uint16_t>(port), limit, 0};

	const auto start = std::chrono::steady_clock::now();
	std::string header, body, digest;
	auto session = checkers::makeHttpSession(context, request,
	                                         [&](const config::HttpUrl &, const checkers::HttpResponseReader &r) {
		                                         header = r.rawHeader();
		                                         body = r.body();
		                                         digest = r.digest();
	                                         });
	std::optional<checkers::ProbeResult> result;
	session->start([&](checkers::ProbeResult r) { result = std::move(r); });
	io.run();
	const auto elapsed = std::chrono::steady_clock::now() - start;

	if (!result || !result->ok) {
		fmt::print(stderr, "vigil-genhash: {}\n", result ? result->detail : "no result");
		return 1;
	}
	if (!verbose) {
		fmt::print("{}\n", digest);
		return 0;
	}
	std::puts(kHeaderBanner);
	dump(header);
	std::puts(kAsciiBanner);
	fmt::print("{}\n", header);
	std::puts(kBodyBanner);
	dump(body);
	fmt::print("\n");
	std::puts(kHashBanner);
	dump(fromHex(digest));
	std::puts(kFinalBanner);
	fmt::print("{}\n\n", digest);
	fmt::print("Global response time for [{}] = {} usecs\n", path,
	           std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count());
	return 0;
}

} // namespace

int main(int argc, char **argv)
{
	try {
		return run(argc, argv);
	} catch (const std::exception &error) {
		// Out of memory or a broken stdout: reported, not std::terminate.
		std::fprintf(stderr, "vigil-genhash: %s\n", error.what());
		return 1;
	}
}
