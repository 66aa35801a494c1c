#include "src/daemon/script_request.h"

#include <pwd.h>

namespace vigil::daemon {

exec::RunRequest scriptRequest(const config::Script &script, const config::GlobalDefs &global,
                               std::vector<std::string> extraArgs)
{
	exec::RunRequest request;
	request.argv = script.argv;
	for (auto &arg : extraArgs)
		request.argv.push_back(std::move(arg));
	std::string user = script.user, group = script.group;
	if (user.empty()) {
		user = global.scriptUser;
		group = global.scriptGroup;
	}
	if (user.empty() && ::getpwnam("keepalived_script"))
		user = "keepalived_script";
	// An unknown user was reported when the configuration was read; the
	// script then runs as vigil's own user, as keepalived falls back.
	if (!user.empty())
		if (auto credentials = exec::resolveCredentials(user, group))
			request.credentials = *credentials;
	return request;
}

} // namespace vigil::daemon
