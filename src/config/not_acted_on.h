#pragma once

// The settings of a configuration that vigil reads, checks and prints (-d)
// as keepalived does, but does not act on (vigil.conf(5), READ BUT NOT
// ACTED ON). An operator who swaps keepalived for vigil gets a warning
// for each at start and on each reload, instead of finding out from the
// network.

#include <string>
#include <vector>

#include "src/config/config.h"

namespace vigil::config {

// One line per setting, in the order of the file where the model knows it:
// "(FILE: Line N) vrrp_instance VI_1: use_vmac is not acted on by vigil
// (no VMAC interface is made)".
std::vector<std::string> settingsNotActedOn(const Config &config);

} // namespace vigil::config
