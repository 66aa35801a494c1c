#pragma once

// Table-driven LVS diagnostics: a configuration and what keepalived 2.2.7
// prints for it. The expectations were recorded by running `keepalived -t -f`
// on each snippet (black box); "LINE: message" is a finding at a line, a bare
// message one keepalived prints without location.

#include <gtest/gtest.h>
#include <ostream>
#include <string>
#include <vector>

namespace vigil::testing {

struct DiagCase {
	const char *name;
	std::string config;
	std::vector<std::string> expected;
	int exitStatus;
};

inline void PrintTo(const DiagCase &c, std::ostream *os)
{
	*os << c.name;
}

class LvsDiagnostic : public ::testing::TestWithParam<DiagCase>
{
};

inline std::string diagCaseName(const ::testing::TestParamInfo<DiagCase> &info)
{
	return info.param.name;
}

} // namespace vigil::testing
