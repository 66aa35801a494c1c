#pragma once

// What the fuzz targets check, shared with the regression tests in
// tests/parser/fuzz_regression_test.cpp so that every input the fuzzer found
// is replayed by the unit suite with the same checks.

#include <algorithm>
#include <string>
#include <string_view>

#include "parser/diagnostics.h"
#include "parser/file_source.h"
#include "parser/keyword_tree.h"
#include "parser/preprocessor.h"
#include "src/config/config_dump.h"
#include "src/config/config_loader.h"
#include "tests/fakes/fake_system_view.h"

namespace vigil::fuzz {

inline constexpr const char *kMainFile = "/etc/keepalived/keepalived.conf";

// Small bounds so that a run never exhausts memory or time, and a fixed
// environment so that every run of an input does the same thing.
inline parser::PreprocessorOptions fuzzOptions()
{
	parser::PreprocessorOptions o;
	o.configId = "fuzz";
	o.getenv = [](const std::string &name) -> std::optional<std::string> {
		if (name == "FUZZ")
			return "from-env";
		return std::nullopt;
	};
	o.random = [](long lo, long hi) { return lo + (hi - lo) / 2; };
	// 4000 lines: a ~SEQ of 20000 real servers took a second a run under
	// ASan, and cost the fuzzer most of its executions for no new paths.
	o.maxLines = 4'000;
	o.maxLineLength = 64 * 1024;
	o.maxDepth = 16;
	o.maxSteps = 40'000;
	return o;
}

inline std::string describe(const parser::Diagnostics &d)
{
	std::string s;
	for (const auto &x : d.all())
		s += "  " + x.str() + "\n";
	return s;
}

// The whole reader on `text`: preprocessor, keyword tree, model and dump.
// When that load reported nothing at all, the dump must load back without a
// diagnostic and dump identically. Returns "" or what went wrong.
inline std::string checkConfig(const std::string &text)
{
	static const testing::FakeSystemView system;
	config::LoadResult first = config::loadConfigText(kMainFile, text, fuzzOptions(), system);
	std::string dump = config::dumpConfig(first.config);
	if (!first.diagnostics.empty())
		return {};

	// The dump may be longer than the input (defaults made explicit, one
	// value a line): bounds that fit it, so only a real difference fails.
	parser::PreprocessorOptions again = fuzzOptions();
	again.maxLines = std::max(again.maxLines, static_cast<std::size_t>(std::ranges::count(dump, '\n')) + 1);
	again.maxLineLength = std::max(again.maxLineLength, dump.size());
	config::LoadResult second = config::loadConfigText(kMainFile, dump, std::move(again), system);
	std::string redump = config::dumpConfig(second.config);
	if (!second.diagnostics.empty())
		return "reloading the dump of a clean config gave diagnostics:\n" + describe(second.diagnostics) +
		       "--- dump ---\n" + dump;
	if (redump != dump)
		return "dump of the reloaded dump differs:\n--- first dump ---\n" + dump + "--- second dump ---\n" +
		       redump;
	return {};
}

// Two in-memory files split at the first NUL byte: main.conf before it,
// inc.conf after it (absent without a NUL), so "include inc.conf" works.
inline std::string checkPreprocessor(std::string_view data)
{
	parser::MemoryFileSource files;
	std::size_t nul = data.find('\0');
	files.add("/etc/keepalived/main.conf", std::string(data.substr(0, nul)));
	if (nul != std::string_view::npos)
		files.add("/etc/keepalived/inc.conf", std::string(data.substr(nul + 1)));
	parser::Diagnostics diagnostics;
	parser::Preprocessor pre(files, diagnostics, fuzzOptions());
	std::vector<parser::Line> lines = pre.run("/etc/keepalived/main.conf");
	for (const auto &line : lines)
		if (line.text.empty() || line.text.size() > fuzzOptions().maxLineLength || !line.where.known())
			return "preprocessor emitted an empty, overlong or unlocated line";
	if (lines.size() > fuzzOptions().maxLines)
		return "preprocessor emitted more lines than maxLines";
	for (const auto &line : lines)
		parser::tokenize(line.text);
	return {};
}

} // namespace vigil::fuzz
