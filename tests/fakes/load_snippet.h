#pragma once

#include <gtest/gtest.h>
#include <string>
#include <vector>

#include "src/config/config_dump.h"
#include "src/config/config_loader.h"
#include "tests/fakes/fake_system_view.h"

namespace vigil::testing {

// Loads a config snippet named "/etc/keepalived/keepalived.conf" with config
// id "test" against `system` (default: FakeSystemView's host).
inline config::LoadResult loadSnippet(const std::string &text, const config::SystemView &system)
{
	return config::loadConfigText("/etc/keepalived/keepalived.conf", text, "test", system);
}

inline config::LoadResult loadSnippet(const std::string &text)
{
	static const FakeSystemView system;
	return loadSnippet(text, system);
}

// "LINE: message" for each diagnostic, for compact table-driven asserts.
inline std::vector<std::string> messages(const config::LoadResult &r)
{
	std::vector<std::string> out;
	for (const auto &d : r.diagnostics.all())
		out.push_back((d.where.known() ? std::to_string(d.where.line) + ": " : std::string()) + d.message);
	return out;
}

// The one vrrp_instance a snippet defines (a failure if it has not exactly
// one).
inline const config::VrrpInstance &onlyInstance(const config::LoadResult &r)
{
	EXPECT_EQ(r.config.vrrp.instances.size(), 1u);
	return r.config.vrrp.instances.front();
}

} // namespace vigil::testing
