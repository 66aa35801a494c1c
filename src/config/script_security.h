#pragma once

#include "src/config/build_context.h"
#include "src/config/config.h"

namespace vigil::config {

// keepalived's script security rules, in two steps as keepalived takes them.
//
// Which user runs each script: with enable_script_security and no usable
// default user, scripts without their own user are reported and dropped
// (with the track_script references to a dropped vrrp_script). keepalived
// does this while reading, so it runs before validation.
void settleScriptUsers(Config &config, BuildContext &ctx);
// Whether tracked scripts exist and are safe, and whether any script would
// run as root without enable_script_security (exit status 6). After
// validation: keepalived's VRRP side stops before its scripts when an
// interface is missing.
void checkScriptSecurity(Config &config, BuildContext &ctx);

} // namespace vigil::config
