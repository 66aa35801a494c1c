#pragma once

#include <expected>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::parser {

// Everything the preprocessor needs from the file system, so that include
// handling is tested on an in-memory tree.
class FileSource
{
public:
	virtual ~FileSource() = default;

	// The whole file, or the reason it could not be read (strerror text).
	virtual std::expected<std::string, std::string> read(const std::string &path) = 0;
	// The file in pieces, in order, to `chunk` (reading stops when it
	// returns false), so that reading starts at once and a large file is
	// never in memory whole. Returns the reason it could not be read, if
	// so. By default: read(), in one piece.
	using ChunkSink = std::function<bool(std::string_view)>;
	virtual std::optional<std::string> stream(const std::string &path, const ChunkSink &chunk);
	// Paths matching a shell wildcard pattern (no braces: the caller expands
	// those), sorted. Empty when nothing matches.
	virtual std::vector<std::string> glob(const std::string &pattern) = 0;
	// A name identifying the file itself, for include loop detection.
	virtual std::string identity(const std::string &path) = 0;
	enum class Kind { kMissing, kFile, kDirectory };
	virtual Kind kind(const std::string &path) = 0;
};

class RealFileSource final : public FileSource
{
public:
	std::expected<std::string, std::string> read(const std::string &path) override;
	std::optional<std::string> stream(const std::string &path, const ChunkSink &chunk) override;
	std::vector<std::string> glob(const std::string &pattern) override;
	std::string identity(const std::string &path) override;
	Kind kind(const std::string &path) override;
};

// An in-memory tree: path -> contents. Paths are absolute.
class MemoryFileSource final : public FileSource
{
public:
	void add(std::string path, std::string contents) { files_[std::move(path)] = std::move(contents); }

	std::expected<std::string, std::string> read(const std::string &path) override;
	// In pieces of `chunkSize` bytes (0: whole), to test reading across them.
	std::optional<std::string> stream(const std::string &path, const ChunkSink &chunk) override;
	void setChunkSize(std::size_t size) { chunkSize_ = size; }
	std::vector<std::string> glob(const std::string &pattern) override;
	std::string identity(const std::string &path) override { return path; }
	// A directory exists when some file is below it.
	Kind kind(const std::string &path) override;

private:
	std::map<std::string, std::string> files_;
	std::size_t chunkSize_ = 0;
};

// csh-style brace expansion: "a{b,c{d,e}}f" -> abf acdf acef. Unbalanced
// braces are left as they are.
std::vector<std::string> expandBraces(const std::string &pattern);

} // namespace vigil::parser
