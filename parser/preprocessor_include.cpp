// The include directives of the preprocessor: include and its checking
// variants, include_check, and reading a file.
#include <algorithm>
#include <filesystem>
#include <fmt/format.h>

#include "parser/preprocessor.h"
#include "parser/preprocessor_detail.h"

namespace vigil::parser {

using namespace detail;

void Preprocessor::readFile(const std::string &path, const std::string &display, Location includedFrom, unsigned checks)
{
	std::string identity = files_.identity(path);
	if (std::any_of(stack_.begin(), stack_.end(), [&](const FileFrame &f) { return f.identity == identity; })) {
		// keepalived recurses until it runs out of file descriptors.
		diagnostics_.error(
		        includedFrom,
		        fmt::format("Configuration file '{}' includes itself (include loop) - skipping", display));
		return;
	}
	if (stack_.size() >= static_cast<std::size_t>(options_.maxDepth)) {
		diagnostics_.error(
		        includedFrom,
		        fmt::format("Configuration file '{}': includes nested too deeply - skipping", display));
		return;
	}
	stack_.push_back({path, directoryOf(path), identity, checks});
	Scan scan{internFileName(display), 0, {}};
	std::optional<std::string> error = files_.stream(path, [&](std::string_view chunk) {
		scanChunk(chunk, scan);
		return !overflow_;
	});
	finishScan(scan);
	stack_.pop_back();
	if (!error)
		return;
	if (!includedFrom.known())
		diagnostics_.fatal({}, fmt::format("Configuration file '{}' could not be opened: {}", display, *error));
	else
		diagnostics_.report(
		        checks & kIncludeReadable ? Severity::kIncludeCheck : Severity::kNote, includedFrom,
		        fmt::format("Configuration file '{}' open problem ({}) - skipping", display, *error));
}

bool Preprocessor::handleInclude(std::string_view line, Location where)
{
	std::string_view word = firstWord(line);
	unsigned checks = stack_.empty() ? 0 : stack_.back().includeCheck;
	if (word == "include")
		;
	else if (word == "includer")
		checks |= kIncludeReadable;
	else if (word == "includem")
		checks |= kIncludeReadable | kIncludeMatch;
	else if (word == "includew")
		checks |= kIncludeReadable | kIncludeWildcardMatch;
	else if (word == "includeb")
		checks |= kIncludeReadable | kIncludeBraceMatch;
	else if (word == "includea")
		checks |= kIncludeAll;
	else
		return false;

	// The rest of the line is the pattern, spaces and quotes included.
	std::string written(trim(line.substr(word.size())));
	if (written.empty())
		return false; // keepalived: "Unknown keyword 'include'"
	std::string directory = stack_.empty() ? std::string() : stack_.back().directory;
	bool relative = written.front() != '/' && !directory.empty();
	std::string pattern = relative ? directory + "/" + written : written;
	// Diagnostics name files the way the include line wrote them.
	auto display = [&](const std::string &path) {
		return relative && path.starts_with(directory + "/") ? path.substr(directory.size() + 1) : path;
	};
	auto report = [&](bool failed, std::string message) {
		diagnostics_.report(failed ? Severity::kIncludeCheck : Severity::kNote, where, std::move(message));
	};

	std::vector<std::string> alternatives = expandBraces(pattern);
	bool braced = alternatives.size() > 1;
	std::size_t missing = 0;
	std::vector<std::string> matched;
	for (const auto &alt : alternatives) {
		if (hasWildcard(alt)) {
			std::vector<std::string> found = files_.glob(alt);
			if (!found.empty()) {
				matched.insert(matched.end(), found.begin(), found.end());
			} else if (braced) {
				++missing;
			} else if (files_.kind(std::filesystem::path(alt).parent_path().string()) ==
			           FileSource::Kind::kDirectory) {
				if (checks & kIncludeWildcardMatch)
					report(true, fmt::format("No config files matched '{}'.", written));
			} else {
				report(checks & (kIncludeMatch | kIncludeWildcardMatch),
				       fmt::format("Config files missing '{}'.", written));
			}
			continue;
		}
		switch (files_.kind(alt)) {
		case FileSource::Kind::kFile:
			matched.push_back(alt);
			break;
		case FileSource::Kind::kDirectory:
			report(checks != 0,
			       fmt::format("Configuration file '{}/' is a directory - skipping", display(alt)));
			break;
		case FileSource::Kind::kMissing:
			if (braced)
				++missing;
			else
				report(checks & (kIncludeMatch | kIncludeWildcardMatch),
				       fmt::format("Config files missing '{}'.", written));
			break;
		}
	}
	if (missing == alternatives.size())
		report(checks & kIncludeBraceMatch, fmt::format("Config files missing '{}'.", written));
	else if (missing)
		report(checks & kIncludeBraceMatch, fmt::format("Some config files missing: \"{}\".", written));
	for (const auto &path : matched)
		readFile(path, display(path), where, checks);
	return true;
}

void Preprocessor::handleIncludeCheck(std::string_view args, Location where)
{
	if (stack_.empty())
		return;
	unsigned &checks = stack_.back().includeCheck;
	args = trim(args);
	if (args.empty()) {
		checks = kIncludeAll;
		return;
	}
	while (!args.empty()) {
		std::string_view word = firstWord(args);
		args = trim(args.substr(word.size()));
		bool remove = false;
		if (word.front() == '+' || word.front() == '-') {
			remove = word.front() == '-';
			word.remove_prefix(1);
		}
		unsigned flag = word == "readable"         ? kIncludeReadable
		                : word == "match"          ? kIncludeMatch | kIncludeReadable
		                : word == "wildcard_match" ? kIncludeWildcardMatch | kIncludeReadable
		                : word == "brace_match"    ? kIncludeBraceMatch | kIncludeReadable
		                                           : 0;
		if (!flag) {
			diagnostics_.error(where, fmt::format("Unknown include_check option '{}'", word));
			continue;
		}
		if (remove)
			checks &= ~(flag & ~kIncludeReadable);
		else
			checks |= flag;
	}
}

} // namespace vigil::parser
