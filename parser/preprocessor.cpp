#include "parser/preprocessor.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <random>

#include "common/random_seed.h"
#include "parser/char_class.h"
#include "parser/generator.h"
#include "parser/preprocessor_detail.h"

namespace vigil::parser {

using namespace detail;

namespace detail {

std::string directoryOf(const std::string &path)
{
	std::filesystem::path p = std::filesystem::path(path).lexically_normal();
	if (p.is_relative()) {
		std::error_code ec;
		auto cwd = std::filesystem::current_path(ec);
		if (!ec)
			p = cwd / p;
	}
	return p.parent_path().string();
}

} // namespace detail

std::string_view stripComment(std::string_view line)
{
	// Only double quotes protect '#' and '!'; keepalived's reader has no
	// escapes and treats single quotes as ordinary characters.
	bool quoted = false;
	for (std::size_t i = 0; i < line.size(); ++i) {
		std::uint8_t k = chars::of(line[i]);
		if (!(k & (chars::kQuote | chars::kComment)))
			continue;
		if (k & chars::kQuote)
			quoted = !quoted;
		else if (!quoted)
			return line.substr(0, i);
	}
	return line;
}

Preprocessor::Preprocessor(FileSource &files, Diagnostics &diagnostics, PreprocessorOptions options)
        : files_(files), diagnostics_(diagnostics), options_(std::move(options))
{
	if (!options_.getenv)
		options_.getenv = [](const std::string &name) -> std::optional<std::string> {
			const char *v = std::getenv(name.c_str());
			return v ? std::optional<std::string>(v) : std::nullopt;
		};
	if (!options_.random) {
		auto engine = std::make_shared<std::mt19937>(static_cast<std::mt19937::result_type>(nonBlockingSeed()));
		options_.random = [engine](long lo, long hi) {
			return std::uniform_int_distribution<long>(lo, hi)(*engine);
		};
	}
}

void Preprocessor::run(const std::string &path, LineSink sink)
{
	sink_ = std::move(sink);
	emitted_ = 0;
	readFile(path, path, Location{}, options_.includeChecks);
}

void Preprocessor::runText(const std::string &name, const std::string &text, LineSink sink)
{
	sink_ = std::move(sink);
	emitted_ = 0;
	stack_.push_back({name, directoryOf(name), name, 0});
	scanText(text, internFileName(name));
	stack_.pop_back();
}

std::vector<Line> Preprocessor::run(const std::string &path)
{
	std::vector<Line> out;
	run(path, [&out](const LineView &l) {
		out.push_back({l.where, std::string(l.text)});
		return true;
	});
	return out;
}

std::vector<Line> Preprocessor::runText(const std::string &name, const std::string &text)
{
	std::vector<Line> out;
	runText(name, text, [&out](const LineView &l) {
		out.push_back({l.where, std::string(l.text)});
		return true;
	});
	return out;
}

void Preprocessor::scanText(const std::string &text, const std::string *file)
{
	Scan scan{file, 0, {}};
	scanChunk(text, scan);
	finishScan(scan);
}

void Preprocessor::scanChunk(std::string_view chunk, Scan &scan)
{
	const char *p = chunk.data();
	const char *const end = p + chunk.size();
	if (!scan.carry.empty()) {
		// The line the last piece ended in.
		const char *nl = static_cast<const char *>(std::memchr(p, '\n', chunk.size()));
		scan.carry.append(p, nl ? nl : end);
		if (!nl)
			return;
		std::string line = std::move(scan.carry);
		scan.carry.clear();
		chars::LineScan whole = chars::scanLine(line.data(), line.data() + line.size());
		physicalLine(line, Location{scan.file, ++scan.number}, whole.flags);
		p = nl + 1;
	}
	while (p < end && !overflow_) {
		chars::LineScan line = chars::scanLine(p, end);
		if (line.length == static_cast<std::size_t>(end - p)) {
			// No newline yet: the rest comes with the next piece.
			scan.carry.assign(p, line.length);
			return;
		}
		physicalLine({p, line.length}, Location{scan.file, ++scan.number}, line.flags);
		p += line.length + 1;
	}
}

void Preprocessor::finishScan(Scan &scan)
{
	if (!scan.carry.empty() && !overflow_) {
		// The last line, without a newline.
		std::string line = std::move(scan.carry);
		scan.carry.clear();
		chars::LineScan whole = chars::scanLine(line.data(), line.data() + line.size());
		physicalLine(line, Location{scan.file, ++scan.number}, whole.flags);
	}
	if (pendingName_)
		finishMultiLine(); // a definition continued past the end of its file ends there
}

void Preprocessor::physicalLine(std::string_view raw, Location where, std::uint8_t flags)
{
	std::string_view line = flags & (chars::kQuote | chars::kComment) ? trim(stripComment(raw)) : trim(raw);
	if (pendingName_) {
		if (line.empty())
			return;
		bool more = line.back() == '\\';
		if (more)
			line = trim(line.substr(0, line.size() - 1));
		if (!line.empty()) {
			if (!pendingBody_.empty())
				pendingBody_ += '\n';
			pendingBody_ += line;
		}
		if (!more)
			finishMultiLine();
		return;
	}
	if (line.empty())
		return;
	if (line.front() == 'i' && handleInclude(line, where))
		return;
	// Only a physical line may open a multi-line definition; text after
	// the '=' on its first line is its first line.
	if (line.front() == '$' && line.back() == '\\') {
		std::size_t n = definitionNameEnd(line);
		if (n) {
			pendingName_ = std::string(line.substr(1, n - 1));
			pendingWhere_ = where;
			pendingBody_ = trim(line.substr(n + 1, line.size() - n - 2));
			return;
		}
	}
	abandoned_ = false;
	// The common line (no '$', no conditional, no generator) goes straight
	// out: it is already trimmed, and nothing in it can expand. Everything
	// else, and what expansions make, takes logicalLine's whole way.
	if (!(flags & chars::kDollar) && line.front() != '@' && line.front() != '~' && steps_ < options_.maxSteps) {
		++steps_;
		emit(line, where, false);
		return;
	}
	logicalLine(line, where, 0);
}

void Preprocessor::logicalLine(std::string_view text, Location where, int depth)
{
	if (overflow_ || abandoned_)
		return;
	if (++steps_ > options_.maxSteps) {
		diagnostics_.fatal(where, fmt::format("Configuration needs more than {} steps to expand - giving up",
		                                      options_.maxSteps));
		overflow_ = true;
		return;
	}
	if (depth > options_.maxDepth) {
		diagnostics_.error(where, "Parameter substitution nested too deeply - line skipped");
		abandoned_ = true;
		return;
	}
	std::string_view t = trim(text);
	if (t.empty())
		return;

	if (t.front() == '@') {
		std::string_view word = firstWord(t.substr(1));
		bool negate = word.starts_with('^');
		if (negate)
			word.remove_prefix(1);
		// "@ text" compares an empty id: it matches only `-i ''`.
		if (matches(word) == negate)
			return;
		t = trim(t.substr(1 + (negate ? 1 : 0) + word.size()));
		if (t.empty())
			return;
	}
	if (t.front() == '$' && handleDefinition(t, where))
		return;
	if (t.starts_with("~SEQ") || t.starts_with("~LST")) {
		handleGenerator(t, where, depth);
		return;
	}
	// A multi-line definition expands, one line per line of it, only when
	// it stands alone on a line; anywhere else keepalived leaves it as is.
	if (const std::string *body = multiLineAlone(t)) {
		std::string copy = *body; // the body may redefine itself
		std::string_view rest = copy;
		while (!rest.empty() && !overflow_ && !abandoned_) {
			std::size_t nl = rest.find('\n');
			logicalLine(rest.substr(0, nl), where, depth + 1);
			if (nl == std::string_view::npos)
				break;
			rest.remove_prefix(nl + 1);
		}
		return;
	}
	std::string replaced;
	if (substitute(t, replaced, where, depth)) {
		std::string_view rest = replaced;
		while (!rest.empty() && !overflow_ && !abandoned_) {
			std::size_t nl = rest.find('\n');
			logicalLine(rest.substr(0, nl), where, depth + 1);
			if (nl == std::string_view::npos)
				break;
			rest.remove_prefix(nl + 1);
		}
		return;
	}
	emit(t, where, depth > 0);
}

std::size_t Preprocessor::definitionNameEnd(std::string_view line)
{
	// "$NAME=" with NAME made of letters, digits and '_', not starting with
	// a digit; anything else is ordinary text to keepalived.
	if (line.size() < 3 || line[0] != '$' || !isNameStart(line[1]))
		return 0;
	std::size_t n = 2;
	while (n < line.size() && isNameChar(line[n]))
		++n;
	return n < line.size() && line[n] == '=' ? n : 0;
}

void Preprocessor::finishMultiLine()
{
	multiLine_.insert(*pendingName_);
	definitions_[*pendingName_] = std::move(pendingBody_);
	pendingName_.reset();
	pendingBody_.clear();
}

bool Preprocessor::handleDefinition(std::string_view line, Location)
{
	std::size_t n = definitionNameEnd(line);
	if (!n)
		return false;
	std::string name(line.substr(1, n - 1));
	multiLine_.erase(name);
	definitions_[name] = std::string(trim(line.substr(n + 1)));
	return true;
}

bool Preprocessor::handleGenerator(std::string_view line, Location where, int depth)
{
	std::size_t room = options_.maxLines > emitted_ ? options_.maxLines - emitted_ : 0;
	auto g = parseGenerator(line, room + 1);
	if (!g) {
		std::string kind(line.substr(0, 4));
		switch (g.error()) {
		case GeneratorError::kDefinition:
			diagnostics_.error(where, fmt::format("Invalid {} definition '{}'", kind, line));
			break;
		case GeneratorError::kTooLong:
			diagnostics_.error(where, fmt::format("{} parameter strings too long '{}'", kind, line));
			break;
		case GeneratorError::kValues:
			diagnostics_.error(where, fmt::format("Invalid {} values '{}'", kind, line));
			break;
		case GeneratorError::kTooMany:
			diagnostics_.error(where, fmt::format("{} specification has too many values '{}'", kind, line));
			break;
		case GeneratorError::kInvalid:
			break;
		case GeneratorError::kTooBig:
			diagnostics_.fatal(where, fmt::format("Configuration expands to more than {} lines at '{}'",
			                                      options_.maxLines, line));
			overflow_ = true;
			return true;
		}
		diagnostics_.error(where, fmt::format("Invalid {} specification '{}'", kind, line));
		return true;
	}
	std::string rest(g->rest);
	for (const auto &row : g->rows) {
		for (std::size_t i = 0; i < row.size(); ++i) {
			definitions_[g->variables[i]] = row[i];
			multiLine_.erase(g->variables[i]);
		}
		logicalLine(rest, where, depth + 1);
		if (overflow_ || abandoned_)
			break;
	}
	return true;
}

bool Preprocessor::matches(std::string_view id) const
{
	return id == options_.configId;
}

std::optional<std::string> Preprocessor::singleLine(std::string_view name) const
{
	std::string key(name);
	if (multiLine_.contains(key))
		return std::nullopt;
	auto it = definitions_.find(key);
	if (it == definitions_.end())
		return std::nullopt;
	return it->second;
}

const std::string *Preprocessor::multiLineAlone(std::string_view t) const
{
	if (t.size() < 2 || t[0] != '$')
		return nullptr;
	std::string_view name = t.substr(1);
	if (name.front() == '{') {
		if (name.back() != '}')
			return nullptr;
		name = name.substr(1, name.size() - 2);
	}
	std::string key(name);
	if (!multiLine_.contains(key))
		return nullptr;
	auto it = definitions_.find(key);
	return it == definitions_.end() ? nullptr : &it->second;
}

std::optional<std::string> Preprocessor::builtin(std::string_view name, std::string_view args)
{
	args = trim(args);
	if (name == "_PWD")
		return stack_.empty() ? std::string() : stack_.back().directory;
	if (name == "_INSTANCE")
		return options_.configId;
	if (name == "_HASH")
		return "#";
	if (name == "_BANG")
		return "!";
	if (name == "_ENV") {
		auto v = options_.getenv(std::string(firstWord(args)));
		return v ? *v : std::string();
	}
	if (name == "_RANDOM") {
		long lo = 0, hi = 32767;
		std::string a(args);
		char *end = nullptr;
		if (!a.empty()) {
			lo = std::strtol(a.c_str(), &end, 10);
			if (*end)
				hi = std::strtol(end, &end, 10);
		}
		if (lo < 0 || hi < lo)
			return std::to_string(lo < 0 ? 0 : lo);
		return std::to_string(options_.random(lo, hi));
	}
	return std::nullopt;
}

bool Preprocessor::substitute(std::string_view text, std::string &out, Location where, int depth)
{
	(void)where;
	(void)depth;
	std::size_t dollar = text.find('$');
	if (dollar == std::string_view::npos)
		return false;
	bool changed = false;
	out.clear();
	std::size_t i = 0;
	while (dollar != std::string_view::npos) {
		out.append(text.substr(i, dollar - i));
		i = dollar;
		std::optional<std::string> value;
		std::size_t used = 0;
		if (dollar + 1 < text.size() && text[dollar + 1] == '{') {
			std::size_t close = text.find('}', dollar + 2);
			if (close != std::string_view::npos) {
				std::string_view inner = text.substr(dollar + 2, close - dollar - 2);
				std::string_view name = firstWord(inner);
				value = builtin(name, inner.substr(name.size()));
				if (!value && name.size() == inner.size())
					value = singleLine(name);
				used = close + 1 - dollar;
			}
		} else {
			std::size_t n = dollar + 1;
			while (n < text.size() && isNameChar(text[n]))
				++n;
			if (n > dollar + 1 && isNameStart(text[dollar + 1]) && (n == text.size() || isSpace(text[n]))) {
				std::string_view name = text.substr(dollar + 1, n - dollar - 1);
				value = builtin(name, {});
				if (!value)
					value = singleLine(name);
				used = n - dollar;
			}
		}
		if (value) {
			out.append(*value);
			i += used;
			changed = true;
		} else {
			out.push_back('$');
			i += 1;
		}
		if (out.size() > options_.maxLineLength) {
			diagnostics_.error(where, "Line too long after parameter substitution - line skipped");
			out.clear();
			return true;
		}
		dollar = text.find('$', i);
	}
	out.append(text.substr(i));
	return changed;
}

void Preprocessor::emit(std::string_view text, Location where, bool derived)
{
	// Substitution may have produced a '#' or '!' (${_HASH}, ${_BANG}, a
	// value): outside double quotes it starts a comment, as in keepalived.
	if (derived) {
		text = trim(stripComment(text));
		if (text.empty())
			return;
	}
	if (emitted_ >= options_.maxLines) {
		if (!overflow_)
			diagnostics_.fatal(
			        where, fmt::format("Configuration expands to more than {} lines", options_.maxLines));
		overflow_ = true;
		return;
	}
	if (text.size() > options_.maxLineLength) {
		diagnostics_.error(where, "Line too long - skipped");
		return;
	}
	if (text.front() == 'i' && firstWord(text) == "include_check")
		handleIncludeCheck(text.substr(13), where);
	++emitted_;
	where.seq = static_cast<std::uint32_t>(emitted_);
	// The consumer stops reading (keepalived's missing-parameter abort).
	if (!sink_(LineView{where, text}))
		overflow_ = true;
}

} // namespace vigil::parser
