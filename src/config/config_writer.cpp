#include "src/config/config_writer.h"

#include <charconv>
#include <cmath>
#include <fmt/format.h>

namespace vigil::config {

std::string ConfigWriter::quote(std::string_view word)
{
	// keepalived's reader has no escapes: a word that needs protecting is
	// wrapped in double quotes, inside which whitespace, braces, '#' and '!'
	// are plain text and '$', '@' and '~' start nothing. A word never holds
	// a '"': the reader cannot make one.
	bool plain = !word.empty();
	for (char c : word)
		if (static_cast<unsigned char>(c) <= ' ' || c == '"' || c == '{' || c == '}' || c == '#' || c == '!' ||
		    c == '$' || c == '~' || c == '@' || c == 127)
			plain = false;
	if (plain)
		return std::string(word);
	return '"' + std::string(word) + '"';
}

std::string ConfigWriter::formatNumber(double value)
{
	if (value == std::floor(value) && std::fabs(value) < 1e15)
		return fmt::format("{}", static_cast<long long>(value));
	// The shortest digits that read back as the same value, never in
	// exponent notation ("1e-06"), which a timer does not accept.
	char buf[512];
	auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed);
	if (ec != std::errc())
		return fmt::format("{}", value);
	return std::string(buf, end);
}

void ConfigWriter::indent()
{
	out_.append(static_cast<std::size_t>(depth_) * 4, ' ');
}

void ConfigWriter::open(std::string_view keyword, std::initializer_list<std::string_view> args)
{
	indent();
	out_ += keyword;
	for (auto a : args)
		out_ += ' ', out_ += quote(a);
	out_ += " {\n";
	++depth_;
}

void ConfigWriter::close()
{
	--depth_;
	indent();
	out_ += "}\n";
}

void ConfigWriter::line(std::string_view keyword, std::initializer_list<std::string_view> args)
{
	indent();
	out_ += quote(keyword);
	for (auto a : args)
		out_ += ' ', out_ += quote(a);
	out_ += '\n';
}

void ConfigWriter::line(std::string_view keyword, const std::vector<std::string> &args)
{
	indent();
	out_ += quote(keyword);
	for (const auto &a : args)
		out_ += ' ', out_ += quote(a);
	out_ += '\n';
}

void ConfigWriter::line(std::string_view keyword, std::span<const std::string_view> args)
{
	indent();
	out_ += quote(keyword);
	for (auto a : args)
		out_ += ' ', out_ += quote(a);
	out_ += '\n';
}

void ConfigWriter::number(std::string_view keyword, double value)
{
	line(keyword, {formatNumber(value)});
}

} // namespace vigil::config
