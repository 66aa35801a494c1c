// Placeholder until the LVS model lands.
#include "src/config/config.h"

namespace vigil::config {
void buildVirtualServerGroup(Config &, const parser::Node &, BuildContext &)
{
}
void buildVirtualServer(Config &, const parser::Node &, BuildContext &)
{
}
void validateLvs(Config &, BuildContext &)
{
}
void dumpLvs(const Config &, ConfigWriter &)
{
}
void collectLvsScripts(const Config &, std::vector<const Script *> &)
{
}
} // namespace vigil::config
