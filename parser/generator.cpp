#include "parser/generator.h"

#include <boost/fusion/include/std_pair.hpp>
#include <boost/spirit/home/x3.hpp>
#include <cerrno>
#include <cstdlib>
#include <fmt/format.h>

namespace vigil::parser {

namespace {

namespace x3 = boost::spirit::x3;

// Explicit ASCII sets rather than x3::alpha, x3::space or x3::blank: those
// call <cctype> and assert (or, with NDEBUG, are undefined) on a byte of
// 0x80 or more, which a signed char makes negative.
const auto kBlank = x3::char_(" \t");
const auto kName = x3::rule<struct NameTag, std::string>{"name"} =
        x3::lexeme[x3::char_("a-zA-Z_") >> *x3::char_("a-zA-Z0-9_")];
const auto kValue = x3::rule<struct ValueTag, std::string>{"value"} =
        x3::lexeme[+(x3::char_ - x3::char_(",(){} \t\n\v\f\r"))];
const auto kNames = x3::rule<struct NamesTag, std::vector<std::string>>{"names"} =
        ('{' >> (kName % ',') >> '}') | x3::repeat(1)[kName];
const auto kTuple = x3::rule<struct TupleTag, std::vector<std::string>>{"values"} =
        ('{' >> (kValue % ',') >> '}') | x3::repeat(1)[kValue];

struct Spec {
	std::vector<std::string> names;
	std::vector<std::vector<std::string>> tuples;
};

// "(names, tuple, tuple...)" with the position after ')'.
std::expected<std::pair<Spec, std::size_t>, std::string> parseArguments(std::string_view text)
{
	auto first = text.begin();
	std::pair<std::vector<std::string>, std::vector<std::vector<std::string>>> parsed;
	auto grammar = x3::lit('(') >> kNames >> *(',' >> kTuple) >> ')';
	if (!x3::phrase_parse(first, text.end(), grammar, kBlank, parsed))
		return std::unexpected("malformed argument list");
	Spec spec{std::move(parsed.first), std::move(parsed.second)};
	return std::pair{std::move(spec), static_cast<std::size_t>(first - text.begin())};
}

std::expected<long, std::string> toNumber(const std::string &s)
{
	errno = 0;
	char *end = nullptr;
	long v = std::strtol(s.c_str(), &end, 0);
	if (errno || end == s.c_str() || *end)
		return std::unexpected(fmt::format("invalid number '{}'", s));
	return v;
}

std::expected<Generator, std::string> sequence(const Spec &spec, bool hex, std::size_t maxRows)
{
	if (spec.names.size() != 1)
		return std::unexpected("~SEQ takes one variable");
	std::vector<long> n;
	for (const auto &t : spec.tuples) {
		if (t.size() != 1)
			return std::unexpected("~SEQ values cannot be grouped");
		auto v = toNumber(t[0]);
		if (!v)
			return std::unexpected(v.error());
		n.push_back(*v);
	}
	long start, step, end;
	switch (n.size()) {
	case 1:
		end = n[0];
		start = end >= 0 ? 1 : -1;
		step = end >= start ? 1 : -1;
		break;
	case 2:
		start = n[0];
		end = n[1];
		step = end >= start ? 1 : -1;
		break;
	case 3:
		start = n[0];
		step = n[1];
		end = n[2];
		break;
	default:
		return std::unexpected("~SEQ needs a variable and one to three numbers");
	}
	if (step == 0)
		return std::unexpected("~SEQ step cannot be 0");

	Generator g;
	g.variables = spec.names;
	for (long v = start; step > 0 ? v <= end : v >= end; v += step) {
		if (g.rows.size() >= maxRows)
			return std::unexpected("~SEQ expands to too many lines");
		g.rows.push_back({hex ? fmt::format("{:x}", v) : std::to_string(v)});
		if ((step > 0 && v > end - step) || (step < 0 && v < end - step))
			break; // the next step would overflow past end
	}
	return g;
}

std::expected<Generator, std::string> list(const Spec &spec, std::size_t maxRows)
{
	if (spec.tuples.empty())
		return std::unexpected("~LST needs at least one value");
	Generator g;
	g.variables = spec.names;
	for (const auto &t : spec.tuples) {
		if (t.size() != spec.names.size())
			return std::unexpected(
			        fmt::format("~LST value has {} parts for {} variables", t.size(), spec.names.size()));
		if (g.rows.size() >= maxRows)
			return std::unexpected("~LST expands to too many lines");
		g.rows.push_back(t);
	}
	return g;
}

} // namespace

std::expected<Generator, std::string> parseGenerator(std::string_view line, std::size_t maxRows)
{
	bool isList = line.starts_with("~LST");
	bool hex = line.starts_with("~SEQx");
	std::size_t at = hex ? 5 : 4;
	auto parsed = parseArguments(line.substr(at));
	if (!parsed)
		return std::unexpected(fmt::format("{}: {}", line.substr(0, at), parsed.error()));
	auto &[spec, used] = *parsed;
	auto g = isList ? list(spec, maxRows) : sequence(spec, hex, maxRows);
	if (g)
		g->rest = line.substr(at + used);
	return g;
}

} // namespace vigil::parser
