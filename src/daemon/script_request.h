#pragma once

// A configured script as a run request: its argv, and the user and group it
// runs as (the script's own, else global_defs script_user, else
// keepalived_script when that user exists, else root, as keepalived does).

#include <string>
#include <vector>

#include "exec/script_runner.h"
#include "src/config/config.h"

namespace vigil::daemon {

exec::RunRequest scriptRequest(const config::Script &script, const config::GlobalDefs &global,
                               std::vector<std::string> extraArgs = {});

} // namespace vigil::daemon
