#include "src/config/script_security.h"

namespace vigil::config {

void checkScriptSecurity(Config &config, BuildContext &ctx)
{
	std::vector<const Script *> scripts;
	collectVrrpScripts(config, scripts);
	collectLvsScripts(config, scripts);
	(void)ctx;
}

} // namespace vigil::config
