#include "parser/file_source.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fnmatch.h>
#include <fstream>
#include <glob.h>
#include <sstream>
#include <sys/stat.h>

namespace vigil::parser {

std::expected<std::string, std::string> RealFileSource::read(const std::string &path)
{
	struct stat st {
	};
	if (::stat(path.c_str(), &st) != 0)
		return std::unexpected(std::strerror(errno));
	if (S_ISDIR(st.st_mode))
		return std::unexpected(std::strerror(EISDIR));
	std::ifstream in(path, std::ios::binary);
	if (!in)
		return std::unexpected(std::strerror(errno ? errno : EACCES));
	std::string text;
	text.resize(static_cast<std::size_t>(st.st_size));
	in.read(text.data(), static_cast<std::streamsize>(text.size()));
	text.resize(static_cast<std::size_t>(in.gcount()));
	// A file that grew while being read (a pipe, /proc) is read to its end.
	std::ostringstream rest;
	rest << in.rdbuf();
	text += rest.str();
	return text;
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
