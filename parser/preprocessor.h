#pragma once

#include <cstdint>
#include <cstring>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "parser/char_class.h"
#include "parser/diagnostics.h"
#include "parser/file_source.h"
#include "parser/location.h"

namespace vigil::parser {

// One logical configuration line after includes, comments, conditionals,
// definitions, substitution and ~SEQ/~LST expansion. Text is trimmed and
// never empty.
struct Line {
	Location where;
	std::string text;
};

// A line as streamed: the text is valid during the call only.
struct LineView {
	Location where;
	std::string_view text;
};

struct PreprocessorOptions {
	// Compared against "@id" conditionals; keepalived's -i, else the host
	// name up to its first dot.
	std::string configId;
	// ${_ENV NAME}; defaults to the process environment.
	std::function<std::optional<std::string>(const std::string &)> getenv;
	// ${_RANDOM MIN MAX}; defaults to a seeded generator.
	std::function<long(long, long)> random;
	// Bounds that keep hostile input (a fuzzer, a typo in a ~SEQ) from
	// exhausting memory: generated lines in total, one line's length, and
	// nested substitution/expansion depth.
	std::size_t maxLines = 20'000'000;
	std::size_t maxLineLength = 1 << 20;
	int maxDepth = 64;
	// Logical lines handled in total, emitted or not (dropped by a
	// conditional, definitions, each level of substitution): bounds what
	// nested ~SEQs that emit nothing can ask for.
	std::size_t maxSteps = 100'000'000;
	// include_check flags (IncludeCheck) in force from the first line:
	// keepalived's -e (--all-config) makes every missing file an error.
	unsigned includeChecks = 0;
};

// include_check flags (keepalived's names).
enum IncludeCheck : unsigned {
	kIncludeReadable = 1,
	kIncludeMatch = 2,
	kIncludeWildcardMatch = 4,
	kIncludeBraceMatch = 8,
	kIncludeAll = 15,
};

class Preprocessor
{
public:
	Preprocessor(FileSource &files, Diagnostics &diagnostics, PreprocessorOptions options);

	// Reads `path` and everything it includes. A top-level file that cannot
	// be read is a fatal diagnostic and gives no lines.
	std::vector<Line> run(const std::string &path);
	// Streams the lines to `sink` as they are produced; reading stops when
	// the sink returns false.
	using LineSink = std::function<bool(const LineView &)>;
	void run(const std::string &path, LineSink sink);
	void runText(const std::string &name, const std::string &text, LineSink sink);
	// Processes text as if it were the file `name` (tests, fuzzing).
	std::vector<Line> runText(const std::string &name, const std::string &text);

private:
	struct FileFrame {
		std::string path;
		std::string directory;
		std::string identity;
		unsigned includeCheck;
	};

	// `display` is the name diagnostics give the file: as written.
	void readFile(const std::string &path, const std::string &display, Location includedFrom, unsigned checks);
	// A file is read in pieces; a line may span them.
	struct Scan {
		const std::string *file;
		std::uint32_t number = 0; // of the last line
		std::string carry;        // the start of a line the last piece ended in
	};
	void scanText(const std::string &text, const std::string *file);
	void scanChunk(std::string_view chunk, Scan &scan);
	void finishScan(Scan &scan);
	void physicalLine(std::string_view raw, Location where, std::uint8_t flags);
	void logicalLine(std::string_view text, Location where, int depth);
	bool handleInclude(std::string_view line, Location where);
	void handleIncludeCheck(std::string_view args, Location where);
	bool handleDefinition(std::string_view line, Location where);
	bool handleGenerator(std::string_view line, Location where, int depth);
	// Returns true and sets `out` when something was substituted.
	bool substitute(std::string_view text, std::string &out, Location where, int depth);
	std::optional<std::string> builtin(std::string_view name, std::string_view args);
	// The value of a single-line definition.
	std::optional<std::string> singleLine(std::string_view name) const;
	// The body of the multi-line definition `t` ("$NAME" or "${NAME}") is.
	const std::string *multiLineAlone(std::string_view t) const;
	bool matches(std::string_view id) const;
	static std::size_t definitionNameEnd(std::string_view line);
	void finishMultiLine();
	// `derived`: the text came out of substitution or expansion, and may
	// hold a comment the physical line did not.
	void emit(std::string_view text, Location where, bool derived);

	FileSource &files_;
	Diagnostics &diagnostics_;
	PreprocessorOptions options_;

	std::vector<FileFrame> stack_;
	std::unordered_map<std::string, std::string> definitions_;
	std::unordered_set<std::string> multiLine_;
	// A multi-line definition being collected: its name, body so far and
	// where it started.
	std::optional<std::string> pendingName_;
	std::string pendingBody_;
	Location pendingWhere_;
	bool overflow_ = false;
	std::size_t steps_ = 0;
	// The physical line being expanded hit the depth limit: the rest of its
	// expansion is dropped, so a definition that expands to several copies
	// of itself fails once instead of once per leaf of its 2^depth tree.
	bool abandoned_ = false;
	LineSink sink_;
	std::size_t emitted_ = 0;
};

// Strips a '#' or '!' comment that starts outside double quotes.
std::string_view stripComment(std::string_view line);
// Without the whitespace (newlines included) at both ends. Inline: every
// line goes through it, usually already trimmed.
inline std::string_view trim(std::string_view s)
{
	const char *b = s.data(), *e = b + s.size();
	// Indentation comes in runs of spaces: eight at a time first.
	constexpr std::uint64_t kSpaces = 0x2020202020202020ULL;
	for (std::uint64_t w; e - b >= 8 && (std::memcpy(&w, b, 8), w == kSpaces);)
		b += 8;
	while (b != e && (chars::of(*b) & (chars::kSpace | chars::kNewline)))
		++b;
	while (e != b && (chars::of(e[-1]) & (chars::kSpace | chars::kNewline)))
		--e;
	return {b, static_cast<std::size_t>(e - b)};
}

} // namespace vigil::parser
