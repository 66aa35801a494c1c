#pragma once

#include "src/config/build_context.h"
#include "src/config/config.h"

namespace vigil::config {

// keepalived's script security rules over every script in the config:
// which user runs it, and whether a non-root user could change it.
void checkScriptSecurity(Config &config, BuildContext &ctx);

} // namespace vigil::config
