#include "src/config/config_dump.h"

#include "src/config/config_writer.h"

namespace vigil::config {

namespace {

void dumpNode(const parser::Node &n, ConfigWriter &out)
{
	if (!n.hasBlock) {
		out.line(n.keyword, n.args);
		return;
	}
	// Opaque blocks are written as they were read.
	std::string head(n.keyword);
	for (const auto &a : n.args)
		head += ' ' + ConfigWriter::quote(a);
	out.open(head);
	for (const auto &c : n.children)
		dumpNode(c, out);
	out.close();
}

} // namespace

std::string dumpConfig(const Config &config)
{
	ConfigWriter out;
	dumpGlobalDefs(config.global, out);
	for (const auto &o : config.opaque)
		dumpNode(o.node(), out);
	dumpVrrp(config, out);
	dumpLvs(config, out);
	return out.str();
}

} // namespace vigil::config
