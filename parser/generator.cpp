#include "parser/generator.h"

#include <boost/fusion/include/std_pair.hpp>
#include <boost/spirit/home/x3.hpp>
#include <cerrno>
#include <cstdlib>
#include <fmt/format.h>

namespace vigil::parser {

namespace {

namespace x3 = boost::spirit::x3;

// keepalived takes any run of letters, digits and '_' as the variable; one
// starting with a digit simply never matches a $reference later.
const auto kName = x3::rule<struct NameTag, std::string>{"name"} = x3::lexeme[+(x3::alnum | x3::char_('_'))];
// A value: no separators, no whitespace, no quotes; may be empty in ~LST.
const auto kValue = x3::rule<struct ValueTag, std::string>{"value"} =
        x3::lexeme[*(x3::char_ - x3::char_(",(){}\"'") - x3::space)];
const auto kNames = x3::rule<struct NamesTag, std::vector<std::string>>{"names"} =
        ('{' >> (kName % ',') >> '}') | x3::repeat(1)[kName];
const auto kTuple = x3::rule<struct TupleTag, std::vector<std::string>>{"values"} =
        ('{' >> (kValue % ',') >> '}') | x3::repeat(1)[kValue];

using Spec = std::pair<std::vector<std::string>, std::vector<std::vector<std::string>>>;

bool parseSpec(std::string_view inner, Spec &spec)
{
	// Spirit's character classes only take ASCII; nothing else belongs in
	// a specification anyway.
	for (char c : inner)
		if (static_cast<unsigned char>(c) >= 0x80)
			return false;
	auto first = inner.begin();
	bool ok = x3::phrase_parse(first, inner.end(), kNames >> *(',' >> kTuple), x3::blank, spec);
	return ok && first == inner.end();
}

std::expected<long, GeneratorError> toNumber(const std::string &s)
{
	errno = 0;
	char *end = nullptr;
	long v = std::strtol(s.c_str(), &end, 0);
	if (s.empty() || errno || *end)
		return std::unexpected(GeneratorError::kDefinition);
	return v;
}

std::expected<Generator, GeneratorError> sequence(const Spec &spec, bool hex, std::size_t maxRows)
{
	if (spec.first.size() != 1 || spec.second.empty() || spec.second.size() > 3)
		return std::unexpected(GeneratorError::kDefinition);
	std::vector<long> n;
	for (const auto &t : spec.second) {
		if (t.size() != 1)
			return std::unexpected(GeneratorError::kDefinition);
		auto v = toNumber(t[0]);
		if (!v)
			return std::unexpected(v.error());
		n.push_back(*v);
	}
	long start, step, end;
	if (n.size() == 1) {
		end = n[0];
		start = end >= 0 ? 1 : -1;
		step = end >= start ? 1 : -1;
	} else if (n.size() == 2) {
		start = n[0];
		end = n[1];
		step = end >= start ? 1 : -1;
	} else {
		start = n[0];
		step = n[1];
		end = n[2];
	}
	if (step == 0 || (step > 0 && end < start) || (step < 0 && end > start))
		return std::unexpected(GeneratorError::kValues);

	Generator g;
	g.variables = spec.first;
	for (long v = start;; v += step) {
		if (g.rows.size() >= maxRows)
			return std::unexpected(GeneratorError::kTooBig);
		g.rows.push_back({hex ? fmt::format("{:x}", v) : std::to_string(v)});
		// Stop before stepping past the end (or overflowing).
		if ((step > 0 && v > end - step) || (step < 0 && v < end - step))
			break;
	}
	return g;
}

std::expected<Generator, GeneratorError> list(const Spec &spec, std::size_t maxRows)
{
	if (spec.second.empty())
		return std::unexpected(GeneratorError::kInvalid);
	Generator g;
	g.isList = true;
	g.variables = spec.first;
	for (auto row : spec.second) {
		if (row.size() > spec.first.size())
			return std::unexpected(GeneratorError::kTooMany);
		// Missing values leave their variables empty, as keepalived does.
		row.resize(spec.first.size());
		if (g.rows.size() >= maxRows)
			return std::unexpected(GeneratorError::kTooBig);
		g.rows.push_back(std::move(row));
	}
	return g;
}

} // namespace

std::expected<Generator, GeneratorError> parseGenerator(std::string_view line, std::size_t maxRows)
{
	bool isList = line.starts_with("~LST");
	bool hex = line.starts_with("~SEQx");
	std::size_t at = hex ? 5 : 4;
	while (at < line.size() && (line[at] == ' ' || line[at] == '\t'))
		++at;
	if (at >= line.size() || line[at] != '(')
		return std::unexpected(isList ? GeneratorError::kInvalid : GeneratorError::kDefinition);
	std::size_t close = line.find(')', at);
	if (close == std::string_view::npos)
		return std::unexpected(isList ? GeneratorError::kInvalid : GeneratorError::kTooLong);
	Spec spec;
	if (!parseSpec(line.substr(at + 1, close - at - 1), spec))
		return std::unexpected(isList ? GeneratorError::kInvalid : GeneratorError::kDefinition);
	auto g = isList ? list(spec, maxRows) : sequence(spec, hex, maxRows);
	if (g)
		g->rest = line.substr(close + 1);
	return g;
}

} // namespace vigil::parser
