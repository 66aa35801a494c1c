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

// The LVS tests' host. Their scripts do not exist on it, so script
// security (tests/config/script_security_test.cpp) stays out of the way.
inline const FakeSystemView &lvsHost()
{
	static const FakeSystemView host;
	return host;
}

// loadSnippet on a host where the LVS tests' scripts exist.
inline config::LoadResult loadLvs(const std::string &text)
{
	return loadSnippet(text, lvsHost());
}

// The findings as keepalived -t prints them: vigil's own notes left out.
inline std::vector<std::string> keepalivedView(const config::LoadResult &r)
{
	std::vector<std::string> out;
	for (const auto &d : r.diagnostics.all()) {
		if (d.severity == parser::Severity::kNote)
			continue;
		out.push_back(d.where.known() ? std::to_string(d.where.line) + ": " + d.message : d.message);
	}
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
