// The top-level SSL block (built directly: the loader's top-level table is
// not this folder's).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "src/config/config_writer.h"
#include "tests/config/lvs/lvs_test_helpers.h"

namespace vigil::testing {
namespace {

using ::testing::ElementsAre;

// Hand-built nodes live in this forest for the whole test program.
parser::Forest &forest()
{
	static parser::Forest f;
	return f;
}

parser::Node statement(std::string_view keyword, std::initializer_list<std::string_view> args, std::uint32_t line)
{
	return forest().make(keyword, args, {parser::internFileName("keepalived.conf"), line});
}

parser::Node sslBlock(std::initializer_list<parser::Node> children, std::uint32_t line = 1)
{
	parser::Node n = statement("SSL", {}, line);
	n.hasBlock = true;
	for (const parser::Node &c : children)
		forest().adopt(n, c);
	return n;
}

struct Built {
	config::Config config;
	parser::Diagnostics diagnostics;
};

std::vector<std::string> lines(const parser::Diagnostics &d)
{
	std::vector<std::string> out;
	for (const auto &x : d.all())
		out.push_back(std::to_string(x.where.line) + ": " + x.message);
	return out;
}

TEST(SslConfig, AllFields)
{
	Built b;
	config::BuildContext ctx{b.diagnostics, lvsHost(), b.config};
	config::buildSslConfig(
	        b.config,
	        sslBlock({statement("password", {"secret"}, 2), statement("ca", {"/etc/ssl/ca.pem"}, 3),
	                  statement("certificate", {"/etc/ssl/c.pem"}, 4), statement("key", {"/etc/ssl/k.pem"}, 5)}),
	        ctx);
	EXPECT_TRUE(b.diagnostics.empty());
	ASSERT_TRUE(b.config.lvs.ssl);
	EXPECT_EQ(b.config.lvs.ssl->password, "secret");
	EXPECT_EQ(b.config.lvs.ssl->ca, "/etc/ssl/ca.pem");
	EXPECT_EQ(b.config.lvs.ssl->certificate, "/etc/ssl/c.pem");
	EXPECT_EQ(b.config.lvs.ssl->key, "/etc/ssl/k.pem");
	config::ConfigWriter out;
	config::dumpLvs(b.config, out);
	EXPECT_EQ(out.str(),
	          "SSL {\n    password secret\n    ca /etc/ssl/ca.pem\n    certificate /etc/ssl/c.pem\n    key "
	          "/etc/ssl/k.pem\n}\n");
}

TEST(SslConfig, KeepalivedMessages)
{
	Built b;
	config::BuildContext ctx{b.diagnostics, lvsHost(), b.config};
	config::buildSslConfig(b.config,
	                       sslBlock({statement("foo", {}, 2), statement("password", {}, 3), statement("ca", {}, 4),
	                                 statement("certificate", {}, 5), statement("key", {}, 6)}),
	                       ctx);
	config::buildSslConfig(b.config, sslBlock({statement("ca", {"/etc/ssl/ca.pem"}, 9)}, 8), ctx);
	EXPECT_THAT(lines(b.diagnostics),
	            ElementsAre("2: Unknown keyword 'foo'", "3: SSL password missing", "4: SSL cafile missing",
	                        "5: SSL certfile missing", "6: SSL keyfile missing",
	                        "8: SSL context already specified - replacing"));
	EXPECT_EQ(b.diagnostics.exitStatus(), 5);
	EXPECT_EQ(b.config.lvs.ssl->ca, "/etc/ssl/ca.pem");
	EXPECT_EQ(b.config.lvs.ssl->where.line, 8u);
}

TEST(SslConfig, BareKeywordIsIgnored)
{
	Built b;
	config::BuildContext ctx{b.diagnostics, lvsHost(), b.config};
	config::buildSslConfig(b.config, statement("SSL", {}, 1), ctx);
	EXPECT_TRUE(b.diagnostics.empty());
	EXPECT_FALSE(b.config.lvs.ssl);
}

} // namespace
} // namespace vigil::testing
