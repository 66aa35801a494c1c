// The top-level SSL { } block: the context SSL_GET checkers use.

#include <fmt/format.h>

#include "src/config/config.h"
#include "src/config/keyword_table.h"
#include "src/config/lvs/lvs_build.h"

namespace vigil::config {

namespace {

using parser::Node;

template <std::string SslConfig::*Field> void setPath(SslConfig &ssl, const Node &n, BuildContext &ctx)
{
	if (!n.args.empty()) {
		ssl.*Field = n.args[0];
		return;
	}
	const char *what = Field == &SslConfig::password      ? "password"
	                   : Field == &SslConfig::ca          ? "cafile"
	                   : Field == &SslConfig::certificate ? "certfile"
	                                                      : "keyfile";
	ctx.diagnostics.error(n.where, fmt::format("SSL {} missing", what));
}

const KeywordTable<SslConfig> &sslTable()
{
	static const KeywordTable<SslConfig> t{
	        {"password", setPath<&SslConfig::password>},
	        {"ca", setPath<&SslConfig::ca>},
	        {"certificate", setPath<&SslConfig::certificate>},
	        {"key", setPath<&SslConfig::key>},
	};
	return t;
}

} // namespace

const parser::BlockSchema &sslSchema()
{
	return sslTable();
}

void buildSslConfig(Config &config, const parser::Node &node, BuildContext &ctx)
{
	if (ctx.stopped() || !node.hasBlock) // keepalived ignores a bare SSL
		return;
	if (config.lvs.ssl)
		ctx.error(node, "SSL context already specified - replacing");
	SslConfig ssl;
	ssl.where = node.where;
	lvs::applyStatements(sslTable(), ssl, node, ctx);
	config.lvs.ssl = ssl;
}

} // namespace vigil::config
