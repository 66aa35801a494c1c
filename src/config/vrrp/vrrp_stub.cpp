// Placeholder until the VRRP model lands.
#include "src/config/config.h"

namespace vigil::config {
void buildVrrpScript(Config &, const parser::Node &, BuildContext &)
{
}
void buildTrackFile(Config &, const parser::Node &, BuildContext &)
{
}
void buildVrrpSyncGroup(Config &, const parser::Node &, BuildContext &)
{
}
void buildVrrpInstance(Config &, const parser::Node &, BuildContext &)
{
}
void buildStaticAddresses(Config &, const parser::Node &, BuildContext &)
{
}
void buildStaticRoutes(Config &, const parser::Node &, BuildContext &)
{
}
void buildStaticRules(Config &, const parser::Node &, BuildContext &)
{
}
void validateVrrp(Config &, BuildContext &)
{
}
void dumpVrrp(const Config &, ConfigWriter &)
{
}
void collectVrrpScripts(const Config &, std::vector<const Script *> &)
{
}
} // namespace vigil::config
