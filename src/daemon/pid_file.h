#pragma once

#include <expected>
#include <string>

namespace vigil::daemon {

// A pid file held for the life of the process. A file naming a live process
// other than this one refuses the start; a stale one (its process is gone)
// is replaced, as keepalived does.
class PidFile
{
public:
	static std::expected<PidFile, std::string> create(const std::string &path);
	PidFile(PidFile &&other) noexcept : path_(std::move(other.path_)) { other.path_.clear(); }
	PidFile &operator=(PidFile &&) = delete;
	~PidFile();

	const std::string &path() const { return path_; }

private:
	explicit PidFile(std::string path) : path_(std::move(path)) {}
	std::string path_;
};

} // namespace vigil::daemon
