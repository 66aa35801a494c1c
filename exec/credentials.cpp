#include "exec/credentials.h"

#include <cerrno>
#include <grp.h>
#include <pwd.h>
#include <unistd.h>
#include <vector>

namespace vigil::exec {

namespace {

// The reentrant lookups want a caller buffer; ERANGE asks for a larger one.
template <typename Entry, typename Lookup> int lookUp(Lookup &&lookup, Entry &entry, Entry *&found)
{
	long hint = ::sysconf(_SC_GETPW_R_SIZE_MAX);
	std::vector<char> buffer(hint > 0 ? static_cast<std::size_t>(hint) : 1024);
	for (;;) {
		int rc = lookup(&entry, buffer.data(), buffer.size(), &found);
		if (rc != ERANGE || buffer.size() > (1u << 20))
			return rc;
		buffer.resize(buffer.size() * 2);
	}
}

} // namespace

std::expected<Credentials, Error> resolveCredentials(const std::string &user, const std::string &group)
{
	passwd pw{};
	passwd *pwFound = nullptr;
	int rc = lookUp(
	        [&](passwd *e, char *b, std::size_t n, passwd **r) { return ::getpwnam_r(user.c_str(), e, b, n, r); },
	        pw, pwFound);
	if (rc != 0)
		return std::unexpected(systemError(rc, "looking up user " + user));
	if (!pwFound)
		return std::unexpected(Error{ENOENT, "user " + user + " does not exist"});
	Credentials c{pw.pw_uid, pw.pw_gid};
	if (group.empty())
		return c;

	struct group gr {
	};
	struct group *grFound = nullptr;
	rc = lookUp([&](struct group *e, char *b, std::size_t n,
	                struct group **r) { return ::getgrnam_r(group.c_str(), e, b, n, r); },
	            gr, grFound);
	if (rc != 0)
		return std::unexpected(systemError(rc, "looking up group " + group));
	if (!grFound)
		return std::unexpected(Error{ENOENT, "group " + group + " does not exist"});
	c.gid = gr.gr_gid;
	return c;
}

} // namespace vigil::exec
