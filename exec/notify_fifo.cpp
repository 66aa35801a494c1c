#include "exec/notify_fifo.h"

#include <cerrno>
#include <climits>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

namespace vigil::exec {

std::expected<NotifyFifo, Error> NotifyFifo::open(const std::string &path, const std::optional<Credentials> &owner)
{
	bool created = false;
	if (::mkfifo(path.c_str(), 0600) == 0)
		created = true;
	else if (errno != EEXIST)
		return std::unexpected(systemError(errno, "creating FIFO " + path));

	// O_RDWR: see the class comment; opening never waits for a reader.
	int fd = ::open(path.c_str(), O_RDWR | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return std::unexpected(systemError(errno, "opening FIFO " + path));
	NotifyFifo fifo(path, fd, created);
	struct stat st {
	};
	if (::fstat(fd, &st) < 0)
		return std::unexpected(systemError(errno, "opening FIFO " + path));
	if (!S_ISFIFO(st.st_mode))
		return std::unexpected(Error{ENOTSUP, path + " exists and is not a FIFO"});
	if (created && owner && ::fchown(fd, owner->uid, owner->gid) < 0)
		return std::unexpected(
		        systemError(errno, fmt::format("chown {} to {}:{}", path, owner->uid, owner->gid)));
	return fifo;
}

NotifyFifo::NotifyFifo(NotifyFifo &&other) noexcept
        : path_(std::move(other.path_)), fd_(std::exchange(other.fd_, -1)), created_(other.created_),
          dropped_(other.dropped_)
{
}

NotifyFifo &NotifyFifo::operator=(NotifyFifo &&other) noexcept
{
	if (this != &other) {
		if (fd_ >= 0)
			::close(fd_);
		path_ = std::move(other.path_);
		fd_ = std::exchange(other.fd_, -1);
		created_ = other.created_;
		dropped_ = other.dropped_;
	}
	return *this;
}

NotifyFifo::~NotifyFifo()
{
	if (fd_ >= 0)
		::close(fd_);
}

std::expected<void, Error> NotifyFifo::write(std::string_view line)
{
	std::string buffer(line);
	buffer.push_back('\n');
	// POSIX: a write of at most PIPE_BUF bytes to a pipe is atomic, and
	// with O_NONBLOCK it is all written or nothing (EAGAIN).
	if (buffer.size() > PIPE_BUF)
		return std::unexpected(Error{EMSGSIZE, fmt::format("{}: a line of {} bytes is over PIPE_BUF ({})",
		                                                   path_, buffer.size(), PIPE_BUF)});
	ssize_t n;
	do
		n = ::write(fd_, buffer.data(), buffer.size());
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		int e = errno;
		if (e == EAGAIN)
			++dropped_;
		return std::unexpected(systemError(e, e == EAGAIN ? path_ + " is full (no reader?), line dropped"
		                                                  : "writing " + path_));
	}
	return {};
}

std::string instanceLine(std::string_view instance, std::string_view state, int priority)
{
	return fmt::format("INSTANCE \"{}\" {} {}", instance, state, priority);
}

RunRequest fifoScriptRequest(std::vector<std::string> argv, const std::string &fifoPath,
                             const std::optional<Credentials> &credentials)
{
	RunRequest r;
	r.argv = std::move(argv);
	r.argv.push_back(fifoPath);
	r.credentials = credentials;
	return r;
}

} // namespace vigil::exec
