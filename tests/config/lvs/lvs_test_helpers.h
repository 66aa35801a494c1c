#pragma once

#include <algorithm>
#include <gtest/gtest.h>
#include <string>
#include <variant>

#include "parser/block_schema.h"
#include "parser/file_source.h"
#include "parser/keyword_tree.h"
#include "parser/preprocessor.h"
#include "tests/fakes/load_snippet.h"

namespace vigil::testing {

// A host where the scripts the LVS tests name exist, root-owned.
inline const FakeSystemView &lvsHost()
{
	static const FakeSystemView host = [] {
		FakeSystemView h;
		for (const char *s : {"/bin/true", "/bin/false", "/bin/echo", "/usr/local/bin/check.sh"})
			h.addScript(s);
		return h;
	}();
	return host;
}

// The loader's top-level schema, with the LVS blocks read through their own
// schemas (as keepalived reads them) rather than as opaque blocks.
// TODO: drop once config_loader.cpp's top-level table points at
// config::virtualServerSchema() / sslSchema() itself.
class LvsTopLevelSchema final : public parser::BlockSchema
{
public:
	Entry lookup(std::string_view keyword) const override
	{
		if (keyword == "virtual_server")
			return {Kind::kBlock, &config::virtualServerSchema()};
		if (keyword == "virtual_server_group")
			return {Kind::kBlock, &config::virtualServerGroupSchema()};
		return config::configSchema().lookup(keyword);
	}
};

// loadSnippet, with the LVS schemas.
inline config::LoadResult loadLvs(const std::string &text)
{
	static const LvsTopLevelSchema schema;
	config::LoadResult result;
	parser::MemoryFileSource files;
	parser::PreprocessorOptions options;
	options.configId = "test";
	parser::Preprocessor pre(files, result.diagnostics, options);
	auto lines = pre.runText("/etc/keepalived/keepalived.conf", text);
	auto tree = parser::buildTree(lines, schema, result.diagnostics);
	config::BuildContext ctx{result.diagnostics, lvsHost(), result.config};
	config::buildConfig(result.config, tree, ctx);
	return result;
}

// The findings as keepalived -t prints them: in reading order (by line;
// findings without a line, from validation, last), nothing after a missing
// parameter abort, and without vigil's own notes. vigil's tree builder
// reports unknown keywords and brace errors for the whole file before the
// builders run, so its raw order differs when both kinds occur.
// TODO: drop once parser::Diagnostics orders findings itself.
inline std::vector<std::string> keepalivedView(const config::LoadResult &r)
{
	std::vector<parser::Diagnostic> located, unlocated;
	std::uint32_t abortLine = UINT32_MAX;
	for (const auto &d : r.diagnostics.all()) {
		if (d.severity == parser::Severity::kNote)
			continue;
		(d.where.known() ? located : unlocated).push_back(d);
		if (d.severity == parser::Severity::kAbort)
			abortLine = d.where.line;
	}
	std::stable_sort(located.begin(), located.end(),
	                 [](const auto &a, const auto &b) { return a.where.line < b.where.line; });
	std::vector<std::string> out;
	for (const auto &d : located)
		if (d.where.line <= abortLine) // the tree builder read on past it
			out.push_back(std::to_string(d.where.line) + ": " + d.message);
	if (abortLine == UINT32_MAX)
		for (const auto &d : unlocated)
			out.push_back(d.message);
	return out;
}

// One virtual server with one real server and a TCP_CHECK; `body` starts on
// line 5, after protocol TCP, lvs_sched rr and lvs_method DR.
inline std::string virtualServerWith(const std::string &body)
{
	return "virtual_server 192.0.2.1 80 {\n"
	       "    protocol TCP\n"
	       "    lvs_sched rr\n"
	       "    lvs_method DR\n" +
	       body +
	       "\n"
	       "    real_server 192.0.2.10 80 {\n"
	       "        TCP_CHECK {\n"
	       "        }\n"
	       "    }\n"
	       "}\n";
}

// The same with `body` inside the real server (line 6 on).
inline std::string realServerWith(const std::string &body)
{
	return "virtual_server 192.0.2.1 80 {\n"
	       "    protocol TCP\n"
	       "    lvs_sched rr\n"
	       "    lvs_method DR\n"
	       "    real_server 192.0.2.10 80 {\n" +
	       body +
	       "\n"
	       "    }\n"
	       "}\n";
}

// The same with `body` inside a checker block (line 7 on).
inline std::string checkerWith(const std::string &checker, const std::string &body)
{
	return "virtual_server 192.0.2.1 80 {\n"
	       "    protocol TCP\n"
	       "    lvs_sched rr\n"
	       "    lvs_method DR\n"
	       "    real_server 192.0.2.10 80 {\n"
	       "        " +
	       checker + " {\n" + body +
	       "\n"
	       "        }\n"
	       "    }\n"
	       "}\n";
}

// The first virtual server / real server / checker, or a failed assertion.
inline const config::VirtualServer &firstVs(const config::LoadResult &r)
{
	static const config::VirtualServer none;
	EXPECT_FALSE(r.config.lvs.virtualServers.empty());
	return r.config.lvs.virtualServers.empty() ? none : r.config.lvs.virtualServers.front();
}

inline const config::RealServer &firstRs(const config::LoadResult &r)
{
	static const config::RealServer none;
	const auto &vs = firstVs(r);
	EXPECT_FALSE(vs.realServers.empty());
	return vs.realServers.empty() ? none : vs.realServers.front();
}

inline const config::Checker &firstChecker(const config::LoadResult &r)
{
	static const config::Checker none;
	const auto &rs = firstRs(r);
	EXPECT_FALSE(rs.checkers.empty());
	return rs.checkers.empty() ? none : rs.checkers.front();
}

template <class D> const D &detailOf(const config::Checker &c)
{
	static const D none;
	const D *d = std::get_if<D>(&c.detail);
	EXPECT_NE(d, nullptr);
	return d ? *d : none;
}

// Loads, dumps, loads the dump and dumps again: both dumps and both models
// must be equal, and the dump must load without any finding.
inline void expectRoundTrip(const std::string &text)
{
	auto first = loadLvs(text);
	std::string dump = config::dumpConfig(first.config);
	auto second = loadLvs(dump);
	EXPECT_EQ(second.diagnostics.exitStatus(), 0) << dump;
	for (const auto &d : second.diagnostics.all())
		ADD_FAILURE() << "reloading the dump: " << d.str() << "\n" << dump;
	EXPECT_TRUE(first.config.lvs == second.config.lvs) << dump;
	EXPECT_EQ(dump, config::dumpConfig(second.config));
}

} // namespace vigil::testing
