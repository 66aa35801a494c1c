#include "src/daemon/daemon.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <expected>
#include <fcntl.h>
#include <fmt/format.h>
#include <malloc.h>
#include <memory>
#include <optional>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/sinks/syslog_sink.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <thread>
#include <unistd.h>
#include <utility>
#include <vector>

#include "exec/asio_script_runner.h"
#include "netlink/netlink_address_client.h"
#include "src/config/not_acted_on.h"
#include "src/config/system_view.h"
#include "src/daemon/checker_side.h"
#include "src/daemon/pid_file.h"
#include "src/daemon/signal_functions.h"
#include "src/daemon/state_report.h"
#include "src/daemon/systemd_notify.h"
#include "src/daemon/vrrp_side.h"

namespace vigil::daemon {
namespace {

namespace asio = boost::asio;

std::vector<spdlog::sink_ptr> logSinks(const DaemonOptions &options)
{
	std::vector<spdlog::sink_ptr> sinks;
	if (options.logConsole) {
		auto console = std::make_shared<spdlog::sinks::stderr_sink_mt>();
		console->set_pattern("%Y-%m-%d %H:%M:%S.%e vigil[%P]: %v");
		sinks.push_back(console);
	}
	if (!options.noSyslog) {
		auto syslog = std::make_shared<spdlog::sinks::syslog_sink_mt>("vigil", LOG_PID, options.syslogFacility,
		                                                              false);
		syslog->set_pattern("%v");
		sinks.push_back(syslog);
	}
	if (!options.logFile.empty()) {
		try {
			auto file = std::make_shared<spdlog::sinks::basic_file_sink_mt>(options.logFile);
			file->set_pattern("%Y-%m-%d %H:%M:%S.%e vigil[%P]: %v");
			sinks.push_back(file);
		} catch (const spdlog::spdlog_ex &e) {
			std::fprintf(stderr, "vigil: cannot log to %s: %s\n", options.logFile.c_str(), e.what());
		}
	}
	return sinks;
}

std::shared_ptr<spdlog::logger> makeLogger(const std::string &name, const std::vector<spdlog::sink_ptr> &sinks,
                                           bool detail)
{
	auto logger = std::make_shared<spdlog::logger>(name, sinks.begin(), sinks.end());
	logger->set_level(detail ? spdlog::level::debug : spdlog::level::info);
	logger->flush_on(spdlog::level::info);
	return logger;
}

// The model, the table read back and the plan of a large configuration are
// gone once it is applied; glibc keeps their pages unless asked.
void releaseFreedMemory()
{
	::malloc_trim(0);
}

// keepalived's detach: the parent returns at once, the daemon has no
// terminal and its own session.
bool detach()
{
	pid_t pid = ::fork();
	if (pid < 0)
		return false;
	if (pid > 0)
		std::_Exit(0);
	::setsid();
	if (::chdir("/") != 0)
		return false;
	int null = ::open("/dev/null", O_RDWR);
	if (null >= 0) {
		::dup2(null, 0);
		::dup2(null, 1);
		::dup2(null, 2);
		if (null > 2)
			::close(null);
	}
	return true;
}

// Thousands of health checks in flight need as many descriptors: the soft
// limit goes up to the hard one (keepalived sizes its own too).
void raiseDescriptorLimit()
{
	rlimit limit{};
	if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= limit.rlim_max)
		return;
	limit.rlim_cur = limit.rlim_max == RLIM_INFINITY ? 1048576 : limit.rlim_max;
	::setrlimit(RLIMIT_NOFILE, &limit);
}

// Writes `text` to `path` through a temporary file renamed over it, so a
// reader never sees half a dump; mode 0600 as keepalived's.
std::expected<void, std::string> writeWhole(const std::string &path, const std::string &text)
{
	const std::string temporary = path + ".tmp";
	int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return std::unexpected(std::strerror(errno));
	std::size_t done = 0;
	while (done < text.size()) {
		ssize_t n = ::write(fd, text.data() + done, text.size() - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			std::string error = std::strerror(errno);
			::close(fd);
			::unlink(temporary.c_str());
			return std::unexpected(error);
		}
		done += static_cast<std::size_t>(n);
	}
	::close(fd);
	if (::rename(temporary.c_str(), path.c_str()) != 0) {
		std::string error = std::strerror(errno);
		::unlink(temporary.c_str());
		return std::unexpected(error);
	}
	return {};
}

long millisecondsSince(std::chrono::steady_clock::time_point start)
{
	return static_cast<long>(
	        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start)
	                .count());
}

// Loads the configuration and logs its findings; nothing when it cannot be
// used (missing file, a missing parameter): the caller keeps what it has.
std::optional<config::Config> load(const DaemonOptions &options, spdlog::logger &log)
{
	auto started = std::chrono::steady_clock::now();
	parser::RealFileSource files;
	config::HostSystemView system;
	auto result = config::loadConfig(options.load, files, system);
	log.debug("Read {} in {} ms: {} virtual servers", options.load.path, millisecondsSince(started),
	          result.config.lvs.virtualServers.size());
	for (const auto &d : result.diagnostics.all()) {
		switch (d.severity) {
		case parser::Severity::kNote:
			log.info("{}", d.str());
			break;
		case parser::Severity::kWarning:
			log.warn("{}", d.str());
			break;
		default:
			log.error("{}", d.str());
			break;
		}
	}
	if (result.fatal() || result.diagnostics.aborted())
		return std::nullopt;
	for (const std::string &line : config::settingsNotActedOn(result.config))
		log.warn("{}", line);
	return std::move(result.config);
}

class Daemon
{
public:
	Daemon(const DaemonOptions &options, IpvsSide::ClientFactory ipvsClients, std::shared_ptr<spdlog::logger> log,
	       std::shared_ptr<spdlog::logger> ipvsLog, std::shared_ptr<spdlog::logger> vrrpLog,
	       std::shared_ptr<spdlog::logger> checkerLog)
	        : options_(options), log_(std::move(log)), signals_(io_, SIGTERM, SIGINT, SIGHUP), driftTimer_(io_),
	          ipvs_(std::move(ipvsClients), std::move(ipvsLog)), runner_(io_), vrrpLog_(std::move(vrrpLog)),
	          checkerLog_(std::move(checkerLog))
	{
	}
	~Daemon()
	{
		if (loader_.joinable())
			loader_.join();
	}
	Daemon(const Daemon &) = delete;
	Daemon &operator=(const Daemon &) = delete;

	int run()
	{
		for (int signal : {SIGUSR1, SIGUSR2, jsonSignal(), statsClearSignal()})
			signals_.add(signal);
		{
			auto config = load(options_, *log_);
			if (!config) {
				log_->critical("{}: configuration not usable, not starting", options_.load.path);
				return 4;
			}
			routerId_ = config->global.routerId;
			if (runsVrrp())
				startVrrp(*config);
			if (runsChecker()) {
				checkers_.emplace(io_, runner_, ipvs_, checkerLog_);
				checkers_->configure(*config, !runsVrrp());
				ipvs_.start(std::move(*config));
				armDriftTimer();
			}
		}
		releaseFreedMemory();
		waitForSignal();
		systemd_.send(fmt::format("READY=1\nMAINPID={}", ::getpid()));
		io_.run();
		finishScripts();
		return 0;
	}

private:
	// The IPVS side belongs to the checker process in keepalived: -P (VRRP
	// only) leaves it out.
	bool runsChecker() const { return !options_.vrrpOnly; }
	// notify_stop and notify scripts started while stopping get a few
	// seconds to finish; the runner kills what is left when it goes.
	void finishScripts()
	{
		const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
		io_.restart();
		while (runner_.running() > 0 && std::chrono::steady_clock::now() < deadline)
			io_.run_one_for(std::chrono::milliseconds(50));
	}

	// And the VRRP side to its VRRP process: -C leaves it out.
	bool runsVrrp() const { return !options_.checkerOnly; }

	void startVrrp(const config::Config &config)
	{
		auto addresses = netlink::NetlinkAddressClient::open();
		if (!addresses) {
			vrrpLog_->error("Cannot open rtnetlink: {}; VRRP is not running", addresses.error().text);
			return;
		}
		vrrp_.emplace(io_, std::move(*addresses), runner_, vrrpLog_);
		vrrp_->start(config);
	}

	void waitForSignal()
	{
		signals_.async_wait([this](const boost::system::error_code &error, int signal) {
			if (error)
				return;
			if (signal == SIGHUP) {
				reload();
				waitForSignal();
				return;
			}
			if (signal != SIGTERM && signal != SIGINT) {
				dump(signal);
				waitForSignal();
				return;
			}
			log_->info("Stopping on signal {}", signal);
			systemd_.send("STOPPING=1");
			stopping_ = true;
			// A read in progress is waited for and dropped.
			if (loader_.joinable())
				loader_.join();
			driftTimer_.cancel();
			if (vrrp_)
				vrrp_->stop(options_.keepVipsOnStop);
			if (checkers_)
				checkers_->stop();
			if (runsChecker())
				ipvs_.stop(options_.keepIpvsOnStop);
			io_.stop();
		});
	}

	// keepalived's DATA, STATS, STATS_CLEAR and JSON signals: the state
	// written where keepalived writes it (and vigil.json beside it), each
	// file whole or not at all.
	void dump(int signal)
	{
		StateReport report;
		report.version = VIGIL_VERSION;
		report.pid = ::getpid();
		report.time =
		        std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
		report.configFile = options_.load.path;
		report.routerId = routerId_;
		if (vrrp_)
			vrrp_->report(report);
		if (checkers_)
			checkers_->report(report);
		auto write = [this](const std::string &path, const std::string &text) {
			if (auto written = writeWhole(path, text); !written)
				log_->error("Cannot write {}: {}", path, written.error());
		};
		if (signal == SIGUSR1) {
			write(options_.dumpDirectory + "/keepalived.data", dataText(report));
		} else if (signal == SIGUSR2 || signal == statsClearSignal()) {
			write(options_.dumpDirectory + "/keepalived.stats", statsText(report));
			if (signal == statsClearSignal() && vrrp_)
				vrrp_->clearCounters();
		} else if (signal == jsonSignal()) {
			write(options_.dumpDirectory + "/keepalived.json", keepalivedJson(report));
			write(options_.dumpDirectory + "/vigil.json", vigilJson(report));
		}
	}

	// SIGHUP. The file is read on a thread of its own, so that the loop
	// keeps advertising while a large configuration is parsed (a peer's
	// down timer can be 3 x 50 ms); only applying it runs on the loop. A
	// SIGHUP during a read is served by one more read after it.
	void reload()
	{
		if (loader_.joinable()) {
			reloadAgain_ = true;
			return;
		}
		systemd_.send("RELOADING=1");
		log_->info("Reloading {}", options_.load.path);
		const auto started = std::chrono::steady_clock::now();
		loader_ = std::thread([this, started] {
			auto config = std::make_shared<std::optional<config::Config>>(load(options_, *log_));
			asio::post(io_, [this, config, started] {
				// A stop joined the thread already; the loop may still
				// run this handler while scripts finish.
				if (stopping_)
					return;
				loader_.join();
				apply(std::move(*config));
				log_->info("Reload finished in {} ms", millisecondsSince(started));
				systemd_.send("READY=1");
				if (std::exchange(reloadAgain_, false))
					reload();
			});
		});
	}

	void apply(std::optional<config::Config> config)
	{
		if (!config) {
			log_->error("{}: configuration not usable, keeping the running one", options_.load.path);
			return;
		}
		routerId_ = config->global.routerId;
		if (vrrp_)
			vrrp_->reload(*config);
		else if (runsVrrp())
			startVrrp(*config);
		if (runsChecker()) {
			checkers_->configure(*config, !runsVrrp());
			ipvs_.reload(std::move(*config)); // last: it takes the LVS half
			armDriftTimer();
		}
		config.reset();
		releaseFreedMemory();
	}

	void armDriftTimer()
	{
		driftTimer_.expires_after(ipvs_.driftInterval());
		driftTimer_.async_wait([this](const boost::system::error_code &error) {
			if (error)
				return;
			ipvs_.checkDrift();
			releaseFreedMemory();
			armDriftTimer();
		});
	}

	const DaemonOptions &options_;
	std::shared_ptr<spdlog::logger> log_;
	asio::io_context io_;
	asio::signal_set signals_;
	asio::steady_timer driftTimer_;
	IpvsSide ipvs_;
	exec::AsioScriptRunner runner_;
	std::shared_ptr<spdlog::logger> vrrpLog_;
	std::shared_ptr<spdlog::logger> checkerLog_;
	std::optional<VrrpSide> vrrp_;
	// After the IPVS side and the runner, which it uses.
	std::optional<CheckerSide> checkers_;
	std::string routerId_;
	SystemdNotifier systemd_;
	std::thread loader_; // a SIGHUP's read of the file
	bool reloadAgain_ = false;
	bool stopping_ = false;
};

} // namespace

int runDaemon(const DaemonOptions &options, IpvsSide::ClientFactory ipvsClients)
{
	if (!options.foreground && !detach()) {
		std::perror("vigil: cannot detach");
		return 1;
	}
	raiseDescriptorLimit();
	auto sinks = logSinks(options);
	auto log = makeLogger("vigil", sinks, options.logDetail);
	auto ipvsLog = makeLogger("ipvs", sinks, options.logDetail);
	auto vrrpLog = makeLogger("vrrp", sinks, options.logDetail);
	auto checkerLog = makeLogger("checkers", sinks, options.logDetail);

	// One process does the work of keepalived's parent and children: its pid
	// goes in each pid file scripts may read.
	std::vector<PidFile> pidFiles;
	std::vector<std::string> paths{options.pidFile};
	if (!options.vrrpOnly)
		paths.push_back(options.checkersPidFile);
	if (!options.checkerOnly)
		paths.push_back(options.vrrpPidFile);
	for (const auto &path : paths) {
		auto pid = PidFile::create(path);
		if (!pid) {
			log->critical("{}", pid.error());
			return 1;
		}
		pidFiles.push_back(std::move(*pid));
	}
	log->info("Starting vigil " VIGIL_VERSION " with {}", options.load.path);
	Daemon daemon(options, std::move(ipvsClients), log, ipvsLog, vrrpLog, checkerLog);
	int status = daemon.run();
	log->info("Stopped");
	return status;
}

} // namespace vigil::daemon
