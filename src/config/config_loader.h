#pragma once

#include <string>
#include <vector>

#include "parser/diagnostics.h"
#include "parser/file_source.h"
#include "parser/keyword_tree.h"
#include "parser/preprocessor.h"
#include "src/config/config.h"
#include "src/config/system_view.h"

namespace vigil::config {

struct LoadOptions {
	std::string path = "/etc/keepalived/keepalived.conf";
	// "@id" conditionals and ${_INSTANCE}; empty means the host name up to
	// its first dot.
	std::string configId;
	// -e (--all-config): an include that matches no readable file is an
	// error, as with include_check.
	bool allConfig = false;
};

struct LoadResult {
	Config config;
	parser::Diagnostics diagnostics;
	// The file could not be used at all (fatal diagnostic).
	bool fatal() const { return diagnostics.exitStatus() == 4; }
};

// Reads, preprocesses, builds and validates. Never throws; everything wrong
// is in the diagnostics.
LoadResult loadConfig(const LoadOptions &options, parser::FileSource &files, const SystemView &system);
// The same from text already in memory, named `name` in diagnostics.
LoadResult loadConfigText(const std::string &name, const std::string &text, const std::string &configId,
                          const SystemView &system);
// The same with every preprocessor option given (fuzzing: small bounds, a
// fixed environment); an empty configId still means the host name's.
LoadResult loadConfigText(const std::string &name, const std::string &text, parser::PreprocessorOptions options,
                          const SystemView &system);

// The keywords of keepalived.conf's top level, for parser::buildTree.
const parser::BlockSchema &configSchema();

// The host name up to its first dot (keepalived's default config id).
std::string defaultConfigId();

} // namespace vigil::config
