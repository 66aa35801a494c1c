#pragma once

#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "exec/credentials.h"
#include "exec/error.h"
#include "exec/script_runner.h"

namespace vigil::exec {

// The writer side of keepalived's notify_fifo (and vrrp_/lvs_notify_fifo).
// What keepalived 2.2.7 does, measured here, and vigil with it:
// - a missing FIFO is created with mode 0600 (less the umask), owned by the
//   user and group given after its name; an existing FIFO keeps its mode
//   and owner, and is left in place when vigil stops;
// - it is opened O_RDWR | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC. Holding a
//   read side of its own, the writer never fails to open for want of a
//   reader (ENXIO), never gets SIGPIPE/EPIPE when the reader goes, and
//   never blocks: lines written with no reader wait in the pipe (64 KiB on
//   Linux) and a reader opening later reads them, oldest first.
// - once the pipe is full (no reader, or one not keeping up) a line is
//   dropped whole: write() returns EAGAIN, counted in dropped(). vigil
//   refuses a path that is not a FIFO (keepalived writes into a regular
//   file).
class NotifyFifo
{
public:
	// Opens `path`, creating it when missing (owned by `owner` if given).
	static std::expected<NotifyFifo, Error> open(const std::string &path,
	                                             const std::optional<Credentials> &owner = std::nullopt);
	NotifyFifo(NotifyFifo &&other) noexcept;
	NotifyFifo &operator=(NotifyFifo &&other) noexcept;
	~NotifyFifo();

	// Writes `line` and a '\n' in one write(): up to PIPE_BUF (4096) bytes
	// a line reaches the reader whole, never interleaved with another
	// writer's. Longer lines are refused (EMSGSIZE); a full pipe drops the
	// line (EAGAIN).
	std::expected<void, Error> write(std::string_view line);

	const std::string &path() const { return path_; }
	bool created() const { return created_; }
	std::size_t dropped() const { return dropped_; }

private:
	NotifyFifo(std::string path, int fd, bool created) : path_(std::move(path)), fd_(fd), created_(created) {}

	std::string path_;
	int fd_ = -1;
	bool created_ = false;
	std::size_t dropped_ = 0;
};

// `INSTANCE "VI_1" MASTER 150`: a VRRP instance's line, the last four
// arguments of its notify script. `state` is keepalived's word (MASTER,
// BACKUP, FAULT, STOP, MASTER_RX_LOWER_PRI, ...).
std::string instanceLine(std::string_view instance, std::string_view state, int priority);

// notify_fifo_script: its command with the FIFO's name as last argument,
// as keepalived runs it, and no timeout (it reads for as long as vigil
// runs; keepalived sends it SIGTERM when stopping: ScriptRunner::signal).
RunRequest fifoScriptRequest(std::vector<std::string> argv, const std::string &fifoPath,
                             const std::optional<Credentials> &credentials);

} // namespace vigil::exec
