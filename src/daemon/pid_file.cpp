#include "src/daemon/pid_file.h"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fmt/format.h>
#include <fstream>
#include <unistd.h>

namespace vigil::daemon {

std::expected<PidFile, std::string> PidFile::create(const std::string &path)
{
	{
		std::ifstream in(path);
		long pid = 0;
		// EPERM still means the process exists (as another user).
		if (in >> pid && pid > 0 && pid != ::getpid() &&
		    (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM))
			return std::unexpected(fmt::format("{}: process {} is running, not starting", path, pid));
	}
	// Written beside the target and renamed, so a reader never sees half a
	// number.
	std::string tmp = path + ".tmp";
	std::FILE *f = std::fopen(tmp.c_str(), "w");
	if (!f)
		return std::unexpected(fmt::format("{}: {}", tmp, std::strerror(errno)));
	std::fprintf(f, "%ld\n", static_cast<long>(::getpid()));
	if (std::fclose(f) != 0 || std::rename(tmp.c_str(), path.c_str()) != 0) {
		std::string error = fmt::format("{}: {}", path, std::strerror(errno));
		std::remove(tmp.c_str());
		return std::unexpected(error);
	}
	return PidFile(path);
}

PidFile::~PidFile()
{
	if (!path_.empty())
		std::remove(path_.c_str());
}

} // namespace vigil::daemon
