#pragma once

#include <expected>
#include <string>
#include <sys/types.h>

#include "exec/error.h"

namespace vigil::exec {

// The user a child runs as. keepalived 2.2.7 drops the supplementary groups
// of a script run as another user (its child's only group is `gid`); vigil
// does the same.
struct Credentials {
	uid_t uid = 0;
	gid_t gid = 0;

	bool operator==(const Credentials &) const = default;
};

// Looks up a script user (script_user, or the user after a script's
// command) and optional group in the password and group databases; the
// user's primary group when `group` is empty. Done when the configuration
// is applied, never in a forked child (the lookups allocate and may talk to
// NSS daemons).
std::expected<Credentials, Error> resolveCredentials(const std::string &user, const std::string &group = {});

} // namespace vigil::exec
