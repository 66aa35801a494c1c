#pragma once

// keepalived -t's messages for VRRP configurations, line for line. Every
// expectation in these tables was produced by keepalived 2.2.7 on the same
// snippet, on a host with interfaces lo and eth0 (the FakeSystemView's).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <string>
#include <vector>

#include "tests/fakes/load_snippet.h"

namespace vigil::testing {

struct DiagnosticCase {
	const char *name;
	const char *config;
	std::vector<std::string> messages;
	int exitStatus;
};

inline void expectKeepalivedDiagnostics(const DiagnosticCase &c)
{
	FakeSystemView system;
	system.addScript("/bin/true");
	auto r = loadSnippet(c.config, system);
	EXPECT_EQ(messages(r), c.messages);
	EXPECT_EQ(r.diagnostics.exitStatus(), c.exitStatus);
}

inline std::string caseName(const ::testing::TestParamInfo<DiagnosticCase> &info)
{
	return info.param.name;
}

} // namespace vigil::testing
