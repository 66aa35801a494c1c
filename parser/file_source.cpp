#include "parser/file_source.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fnmatch.h>
#include <glob.h>
#include <memory>
#include <sys/stat.h>
#include <unistd.h>

namespace vigil::parser {

std::expected<std::string, std::string> RealFileSource::read(const std::string &path)
{
	int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return std::unexpected(std::strerror(errno));
	struct stat st {
	};
	if (::fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
		int e = S_ISDIR(st.st_mode) ? EISDIR : errno;
		::close(fd);
		return std::unexpected(std::strerror(e));
	}
	// Read to the end whatever the size said: a file that grows while it
	// is read (a pipe, /proc) is read whole. The buffer is not zeroed first:
	// a large configuration is megabytes.
	std::string text;
	std::size_t used = 0;
	std::size_t capacity = static_cast<std::size_t>(std::max<off_t>(st.st_size, 0)) + 1;
	int error = 0;
	for (;;) {
		if (used == capacity)
			capacity *= 2;
		ssize_t got = 0;
		text.resize_and_overwrite(capacity, [&](char *buf, std::size_t) {
			got = ::read(fd, buf + used, capacity - used);
			return used + static_cast<std::size_t>(std::max<ssize_t>(got, 0));
		});
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			error = errno;
		if (got <= 0)
			break;
		used += static_cast<std::size_t>(got);
	}
	::close(fd);
	if (error)
		return std::unexpected(std::strerror(error));
	return text;
}

std::optional<std::string> FileSource::stream(const std::string &path, const ChunkSink &chunk)
{
	auto text = read(path);
	if (!text)
		return text.error();
	chunk(*text);
	return std::nullopt;
}

std::optional<std::string> RealFileSource::stream(const std::string &path, const ChunkSink &chunk)
{
	int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return std::strerror(errno);
	struct stat st {
	};
	if (::fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
		int e = S_ISDIR(st.st_mode) ? EISDIR : errno;
		::close(fd);
		return std::strerror(e);
	}
	// One buffer, reused: its pages are touched once.
	constexpr std::size_t kChunk = 64 * 1024;
	auto buffer = std::make_unique_for_overwrite<char[]>(kChunk);
	std::optional<std::string> error;
	for (;;) {
		ssize_t got = ::read(fd, buffer.get(), kChunk);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			error = std::strerror(errno);
		if (got <= 0 || !chunk({buffer.get(), static_cast<std::size_t>(got)}))
			break;
	}
	::close(fd);
	return error;
}

std::vector<std::string> RealFileSource::glob(const std::string &pattern)
{
	glob_t g{};
	std::vector<std::string> out;
	if (::glob(pattern.c_str(), GLOB_MARK, nullptr, &g) == 0) {
		for (std::size_t i = 0; i < g.gl_pathc; ++i) {
			std::string p = g.gl_pathv[i];
			if (!p.empty() && p.back() == '/')
				continue; // directories are not config files
			out.push_back(std::move(p));
		}
	}
	::globfree(&g);
	return out;
}

std::string RealFileSource::identity(const std::string &path)
{
	struct stat st {
	};
	if (::stat(path.c_str(), &st) != 0)
		return path;
	return std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
}

FileSource::Kind RealFileSource::kind(const std::string &path)
{
	struct stat st {
	};
	if (::stat(path.c_str(), &st) != 0)
		return Kind::kMissing;
	return S_ISDIR(st.st_mode) ? Kind::kDirectory : Kind::kFile;
}

FileSource::Kind MemoryFileSource::kind(const std::string &raw)
{
	std::string path = std::filesystem::path(raw).lexically_normal().string();
	while (path.size() > 1 && path.back() == '/')
		path.pop_back();
	if (files_.contains(path))
		return Kind::kFile;
	auto it = files_.lower_bound(path + "/");
	if (it != files_.end() && it->first.starts_with(path + "/"))
		return Kind::kDirectory;
	return Kind::kMissing;
}

std::expected<std::string, std::string> MemoryFileSource::read(const std::string &path)
{
	auto it = files_.find(std::filesystem::path(path).lexically_normal().string());
	if (it == files_.end())
		return std::unexpected(std::strerror(ENOENT));
	return it->second;
}

std::optional<std::string> MemoryFileSource::stream(const std::string &path, const ChunkSink &chunk)
{
	auto text = read(path);
	if (!text)
		return text.error();
	std::string_view rest = *text;
	std::size_t size = chunkSize_ ? chunkSize_ : std::max<std::size_t>(rest.size(), 1);
	while (!rest.empty()) {
		if (!chunk(rest.substr(0, size)))
			break;
		rest.remove_prefix(std::min(size, rest.size()));
	}
	return std::nullopt;
}

std::vector<std::string> MemoryFileSource::glob(const std::string &raw)
{
	// The real file system resolves "dir/../x"; the map needs it spelled out.
	std::string pattern = std::filesystem::path(raw).lexically_normal().string();
	std::vector<std::string> out;
	for (const auto &[path, contents] : files_)
		if (::fnmatch(pattern.c_str(), path.c_str(), FNM_PATHNAME | FNM_PERIOD) == 0)
			out.push_back(path);
	return out;
}

namespace {

// Finds the brace closing the one at `open`, or npos.
std::size_t matchingBrace(const std::string &s, std::size_t open)
{
	int depth = 0;
	for (std::size_t i = open; i < s.size(); ++i) {
		if (s[i] == '\\') {
			++i;
			continue;
		}
		if (s[i] == '{')
			++depth;
		else if (s[i] == '}' && --depth == 0)
			return i;
	}
	return std::string::npos;
}

void expandInto(const std::string &s, std::vector<std::string> &out, int depth)
{
	// Nesting deeper than this is not a real include pattern.
	if (depth > 32) {
		out.push_back(s);
		return;
	}
	for (std::size_t open = s.find('{'); open != std::string::npos; open = s.find('{', open + 1)) {
		std::size_t close = matchingBrace(s, open);
		if (close == std::string::npos)
			break;
		// Split the inside on top-level commas.
		std::vector<std::string> alternatives;
		int level = 0;
		std::size_t start = open + 1;
		for (std::size_t i = open + 1; i < close; ++i) {
			if (s[i] == '{')
				++level;
			else if (s[i] == '}')
				--level;
			else if (s[i] == ',' && level == 0) {
				alternatives.push_back(s.substr(start, i - start));
				start = i + 1;
			}
		}
		alternatives.push_back(s.substr(start, close - start));
		if (alternatives.size() < 2)
			continue; // "{x}" is literal, as in csh
		std::string head = s.substr(0, open), tail = s.substr(close + 1);
		for (const auto &alt : alternatives)
			expandInto(head + alt + tail, out, depth + 1);
		return;
	}
	out.push_back(s);
}

} // namespace

std::vector<std::string> expandBraces(const std::string &pattern)
{
	std::vector<std::string> out;
	expandInto(pattern, out, 0);
	return out;
}

} // namespace vigil::parser
