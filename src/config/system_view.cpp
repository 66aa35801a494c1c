#include "src/config/system_view.h"

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <grp.h>
#include <net/if.h>
#include <netdb.h>
#include <pwd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

namespace vigil::config {

bool HostSystemView::interfaceExists(const std::string &name) const
{
	return !name.empty() && name.size() < IFNAMSIZ && ::if_nametoindex(name.c_str()) != 0;
}

bool HostSystemView::interfaceIsLoopback(const std::string &name) const
{
	if (name.empty() || name.size() >= IFNAMSIZ)
		return false;
	int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return name == "lo";
	struct ifreq ifr {
	};
	std::memcpy(ifr.ifr_name, name.c_str(), name.size());
	bool loopback = ::ioctl(fd, SIOCGIFFLAGS, &ifr) == 0 && (ifr.ifr_flags & IFF_LOOPBACK);
	::close(fd);
	return loopback;
}

std::optional<uid_t> HostSystemView::userId(const std::string &user) const
{
	struct passwd *pw = ::getpwnam(user.c_str());
	if (!pw)
		return std::nullopt;
	return pw->pw_uid;
}

std::optional<gid_t> HostSystemView::groupId(const std::string &group) const
{
	struct group *gr = ::getgrnam(group.c_str());
	if (!gr)
		return std::nullopt;
	return gr->gr_gid;
}

SystemView::FileInfo HostSystemView::file(const std::string &path) const
{
	FileInfo info;
	struct stat st {
	};
	if (path.empty() || ::stat(path.c_str(), &st) != 0)
		return info;
	info.exists = true;
	info.regular = S_ISREG(st.st_mode);
	info.executable = (st.st_mode & (S_IXUSR | S_IXGRP | S_IXOTH)) != 0;
	info.owner = st.st_uid;
	// The file and every directory up to / must be owned by root and not
	// writable by group or others, or a non-root user could replace it.
	std::filesystem::path p = std::filesystem::absolute(path).lexically_normal();
	for (;;) {
		struct stat s {
		};
		if (::stat(p.c_str(), &s) == 0 && (s.st_uid != 0 || (s.st_mode & (S_IWGRP | S_IWOTH)) != 0) &&
		    !(S_ISDIR(s.st_mode) && (s.st_mode & S_ISVTX) && p != path)) {
			info.unsafeWrite = true;
			break;
		}
		if (p == p.root_path() || !p.has_parent_path())
			break;
		p = p.parent_path();
	}
	return info;
}

} // namespace vigil::config

namespace vigil::config {

bool HostSystemView::resolves(const std::string &host) const
{
	addrinfo *res = nullptr;
	if (::getaddrinfo(host.c_str(), nullptr, nullptr, &res) != 0)
		return false;
	::freeaddrinfo(res);
	return true;
}

} // namespace vigil::config

namespace vigil::config {

std::vector<std::string> HostSystemView::searchPath() const
{
	const char *path = std::getenv("PATH");
	if (!path || !*path)
		return SystemView::searchPath();
	std::vector<std::string> dirs;
	std::string_view rest = path;
	while (!rest.empty()) {
		std::size_t colon = rest.find(':');
		std::string_view dir = rest.substr(0, colon);
		if (!dir.empty())
			dirs.emplace_back(dir);
		if (colon == std::string_view::npos)
			break;
		rest.remove_prefix(colon + 1);
	}
	return dirs;
}

} // namespace vigil::config
