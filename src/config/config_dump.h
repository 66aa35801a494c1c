#pragma once

#include <string>

#include "src/config/config.h"

namespace vigil::config {

// The normalized configuration as keepalived.conf text (`vigil -d`):
// defaults made explicit, one statement a line, stable order. Reading it
// back gives the same model.
std::string dumpConfig(const Config &config);

} // namespace vigil::config
