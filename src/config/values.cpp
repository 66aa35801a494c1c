#include "src/config/values.h"

#include <charconv>
#include <cmath>

namespace vigil::config {

std::optional<long> parseInteger(std::string_view text)
{
	long v = 0;
	if (text.empty())
		return std::nullopt;
	const char *begin = text.data();
	if (*begin == '+')
		++begin;
	auto [ptr, ec] = std::from_chars(begin, text.data() + text.size(), v);
	if (ec != std::errc() || ptr != text.data() + text.size())
		return std::nullopt;
	return v;
}

std::optional<double> parseDecimal(std::string_view text)
{
	double v = 0;
	if (text.empty())
		return std::nullopt;
	auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v, std::chars_format::fixed);
	if (ec != std::errc() || ptr != text.data() + text.size() || !std::isfinite(v))
		return std::nullopt;
	return v;
}

int hexDigitValue(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

std::optional<bool> parseBool(std::string_view text)
{
	if (text == "on" || text == "true" || text == "yes")
		return true;
	if (text == "off" || text == "false" || text == "no")
		return false;
	return std::nullopt;
}

namespace {

// keepalived's first line for a number it cannot use.
void badNumber(const parser::Node &node, BuildContext &ctx, std::string_view text, long min, long max)
{
	auto v = parseInteger(text);
	if (!v)
		ctx.error(node, "invalid number '{}'", text);
	else if (*v < 0 && min >= 0)
		ctx.error(node, "negative number '{}'", text);
	else
		ctx.error(node, "number '{}' outside range [{}, {}]", text, min, max);
}

} // namespace

std::optional<long> readInteger(const parser::Node &node, BuildContext &ctx, long min, long max, std::size_t index)
{
	if (index >= node.args.size()) {
		ctx.missingParameter(node, index);
		return std::nullopt;
	}
	auto v = parseInteger(node.args[index]);
	if (!v || *v < min || *v > max) {
		badNumber(node, ctx, node.args[index], min, max);
		return std::nullopt;
	}
	return v;
}

std::optional<double> readTimer(const parser::Node &node, BuildContext &ctx, double min, double max, std::size_t index)
{
	if (index >= node.args.size()) {
		ctx.missingParameter(node, index);
		return std::nullopt;
	}
	auto v = parseDecimal(node.args[index]);
	if (!v) {
		ctx.error(node, "invalid number '{}'", node.args[index]);
		return std::nullopt;
	}
	if (*v < min || *v > max) {
		ctx.error(node, "number '{}' outside range [{}, {}]", node.args[index], min, max);
		return std::nullopt;
	}
	return v;
}

std::optional<bool> readBool(const parser::Node &node, BuildContext &ctx, std::size_t index)
{
	if (index >= node.args.size())
		return true;
	auto v = parseBool(node.args[index]);
	if (!v)
		ctx.error(node, "Invalid value '{}' for {} specified", node.args[index], node.keyword);
	return v;
}

std::optional<std::string> readString(const parser::Node &node, BuildContext &ctx, std::size_t index)
{
	if (index >= node.args.size()) {
		ctx.missingParameter(node, index);
		return std::nullopt;
	}
	return std::string(node.args[index]);
}

std::optional<IpAddress> readAddress(const parser::Node &node, BuildContext &ctx, std::size_t index)
{
	if (index >= node.args.size()) {
		ctx.missingParameter(node, index);
		return std::nullopt;
	}
	auto a = IpAddress::parse(node.args[index]);
	if (!a)
		ctx.error(node, "{}: invalid address '{}'", node.keyword, node.args[index]);
	return a;
}

std::optional<std::uint16_t> readPort(const parser::Node &node, BuildContext &ctx, std::size_t index)
{
	if (index >= node.args.size()) {
		ctx.missingParameter(node, index);
		return std::nullopt;
	}
	auto v = readInteger(node, ctx, 1, 65535, index);
	if (!v)
		return std::nullopt;
	return static_cast<std::uint16_t>(*v);
}

bool requireBlock(const parser::Node &node, BuildContext &ctx)
{
	if (node.hasBlock)
		return true;
	ctx.error(node, "Missing '{{' at beginning of configuration block");
	return false;
}

std::string joinArgs(const parser::Node &node, std::size_t from)
{
	std::string out;
	for (std::size_t i = from; i < node.args.size(); ++i) {
		if (!out.empty())
			out += ' ';
		out += node.args[i];
	}
	return out;
}

} // namespace vigil::config
