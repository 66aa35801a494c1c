// keepalived's readers for LVS values, with its messages.

#include <cmath>
#include <fmt/format.h>

#include "src/config/lvs/lvs_build.h"
#include "src/config/values.h"

namespace vigil::config::lvs {

namespace {

bool isDigit(char c)
{
	return c >= '0' && c <= '9';
}

std::string micros(std::uint64_t value)
{
	return fmt::format("{}.{:06}", value / 1000000, value % 1000000);
}

} // namespace

void report(const parser::Node &node, BuildContext &ctx, std::string message)
{
	ctx.diagnostics.error(node.where, std::move(message));
}

bool requireArg(const parser::Node &node, BuildContext &ctx, std::size_t index)
{
	if (index < node.args.size())
		return true;
	ctx.missingParameter(node, index);
	return false;
}

std::optional<std::uint32_t> readUnsignedText(std::string_view text, const parser::Node &node, BuildContext &ctx,
                                              std::uint32_t min, std::uint32_t max)
{
	if (!text.empty() && text[0] == '-') {
		report(node, ctx, fmt::format("negative number '{}'", text));
		return std::nullopt;
	}
	std::size_t i = !text.empty() && text[0] == '+' ? 1 : 0;
	if (i == text.size()) {
		report(node, ctx, fmt::format("invalid number '{}'", text));
		return std::nullopt;
	}
	std::uint64_t value = 0;
	bool overflow = false;
	for (; i < text.size(); ++i) {
		if (!isDigit(text[i])) {
			report(node, ctx, fmt::format("invalid number '{}'", text));
			return std::nullopt;
		}
		value = value * 10 + static_cast<std::uint64_t>(text[i] - '0');
		if (value > UINT32_MAX) {
			overflow = true;
			value = UINT32_MAX + 1ull;
		}
	}
	if (overflow) {
		report(node, ctx, fmt::format("number '{}' outside unsigned integer range", text));
		return std::nullopt;
	}
	if (value < min || value > max) {
		report(node, ctx, fmt::format("number '{}' outside range [{}, {}]", text, min, max));
		return std::nullopt;
	}
	return static_cast<std::uint32_t>(value);
}

std::optional<std::uint32_t> readUnsigned(const parser::Node &node, BuildContext &ctx, std::size_t index,
                                          std::uint32_t min, std::uint32_t max)
{
	return readUnsignedText(node.arg(index), node, ctx, min, max);
}

std::optional<std::int32_t> readSigned(const parser::Node &node, BuildContext &ctx, std::size_t index, std::int32_t min,
                                       std::int32_t max)
{
	std::string_view text = node.arg(index);
	std::size_t i = !text.empty() && (text[0] == '+' || text[0] == '-') ? 1 : 0;
	bool negative = !text.empty() && text[0] == '-';
	if (i == text.size()) {
		report(node, ctx, fmt::format("invalid number '{}'", text));
		return std::nullopt;
	}
	std::int64_t value = 0;
	for (; i < text.size(); ++i) {
		if (!isDigit(text[i])) {
			report(node, ctx, fmt::format("invalid number '{}'", text));
			return std::nullopt;
		}
		value = std::min<std::int64_t>(value * 10 + (text[i] - '0'), 1ll << 40);
	}
	if (negative)
		value = -value;
	if (value < INT32_MIN || value > INT32_MAX) {
		report(node, ctx, fmt::format("number '{}' outside integer range", text));
		return std::nullopt;
	}
	if (value < min || value > max) {
		report(node, ctx, fmt::format("number '{}' outside range [{}, {}]", text, min, max));
		return std::nullopt;
	}
	return static_cast<std::int32_t>(value);
}

std::optional<double> readDecimal(const parser::Node &node, BuildContext &ctx, std::size_t index,
                                  std::uint64_t minMicros, std::uint64_t maxMicros)
{
	std::string_view text = node.arg(index);
	if (!text.empty() && text[0] == '-') {
		report(node, ctx, fmt::format("negative number '{}'", text));
		return std::nullopt;
	}
	std::size_t i = !text.empty() && text[0] == '+' ? 1 : 0;
	std::uint64_t whole = 0;
	bool overflow = false;
	for (; i < text.size() && isDigit(text[i]); ++i) {
		if (__builtin_mul_overflow(whole, 10u, &whole) ||
		    __builtin_add_overflow(whole, static_cast<unsigned>(text[i] - '0'), &whole))
			overflow = true;
	}
	std::uint64_t fraction = 0;
	int places = 0;
	bool roundUp = false;
	if (i < text.size() && text[i] == '.') {
		for (++i; i < text.size() && isDigit(text[i]); ++i, ++places) {
			if (places < 6)
				fraction = fraction * 10 + static_cast<std::uint64_t>(text[i] - '0');
			else if (places == 6)
				roundUp = text[i] >= '5';
		}
	}
	for (int p = places; p < 6; ++p)
		fraction *= 10;
	bool garbage = i != text.size();
	if (garbage)
		report(node, ctx, fmt::format("invalid number '{}'", text));
	else if (places > 6)
		report(node, ctx, fmt::format("number '{}' has too many decimal places", text));
	std::uint64_t value = 0;
	if (__builtin_mul_overflow(whole, 1000000u, &value) || __builtin_add_overflow(value, fraction, &value) ||
	    __builtin_add_overflow(value, roundUp ? 1u : 0u, &value))
		overflow = true;
	if (overflow) {
		if (!garbage)
			report(node, ctx, fmt::format("number '{}' outside unsigned decimal range", text));
		return std::nullopt;
	}
	if (value < minMicros || value > maxMicros) {
		if (!garbage)
			report(node, ctx,
			       fmt::format("number '{}' outside range [{}, {}]", text, micros(minMicros),
			                   micros(maxMicros)));
		return std::nullopt;
	}
	return static_cast<double>(value) / 1e6;
}

std::optional<bool> boolArg(const parser::Node &node, std::size_t index)
{
	if (index >= node.args.size())
		return true;
	std::string_view a = node.args[index];
	if (a == "on" || a == "true" || a == "yes")
		return true;
	if (a == "off" || a == "false" || a == "no")
		return false;
	return std::nullopt;
}

std::optional<IpAddress> parseServerAddress(std::string_view text)
{
	std::size_t slash = text.find('/');
	if (slash != std::string_view::npos) {
		std::string_view len = text.substr(slash + 1);
		if (len.empty() || len.size() > 3)
			return std::nullopt;
		for (char c : len)
			if (!isDigit(c))
				return std::nullopt;
		text = text.substr(0, slash);
	}
	return IpAddress::parse(text);
}

std::optional<std::uint16_t> readServerPort(const parser::Node &node, BuildContext &ctx, std::size_t index)
{
	if (node.arg(index) == "0")
		return 0;
	if (auto v = readUnsigned(node, ctx, index, 1, 65535))
		return static_cast<std::uint16_t>(*v);
	return std::nullopt;
}

std::optional<ForwardingMethod> readForwarding(const parser::Node &node, BuildContext &ctx, std::string_view what)
{
	ForwardingMethod m;
	std::string_view kind = node.arg(0);
	if (kind == "NAT")
		m.kind = ForwardingKind::kNat;
	else if (kind == "DR")
		m.kind = ForwardingKind::kDr;
	else if (kind == "TUN")
		m.kind = ForwardingKind::kTun;
	else {
		report(node, ctx, fmt::format("PARSER : unknown [{}] routing method for {}.", kind, what));
		return std::nullopt;
	}
	ForwardingMethod t = m; // the tunnel options, applied only if all are valid
	bool portGiven = false;
	for (std::size_t i = 1; i < node.args.size(); ++i) {
		std::string_view a = node.args[i];
		if (a == "type") {
			if (i + 1 >= node.args.size()) {
				report(node, ctx, fmt::format("Missing tunnel type for {}.", what));
				return m;
			}
			std::string_view type = node.args[++i];
			if (type == "ipip")
				t.tunnelType = TunnelType::kIpip;
			else if (type == "gue")
				t.tunnelType = TunnelType::kGue;
			else if (type == "gre")
				t.tunnelType = TunnelType::kGre;
			else {
				report(node, ctx, fmt::format("Unknown tunnel type {} for {}.", type, what));
				return m;
			}
		} else if (a == "port") {
			if (i + 1 >= node.args.size()) {
				report(node, ctx, fmt::format("Missing port for {} gue tunnel.", what));
				return m;
			}
			auto port = readUnsigned(node, ctx, ++i, 1, 65535);
			if (!port) {
				report(node, ctx,
				       fmt::format("Invalid gue tunnel port {} for {}.", node.args[i], what));
				return m;
			}
			t.tunnelPort = static_cast<std::uint16_t>(*port);
			portGiven = true;
		} else if (a == "nocsum") {
			t.checksum = TunnelChecksum::kNoCsum;
		} else if (a == "csum") {
			t.checksum = TunnelChecksum::kCsum;
		} else if (a == "remcsum") {
			t.checksum = TunnelChecksum::kRemCsum;
		} else {
			report(node, ctx, fmt::format("Invalid tunnel option {} for {}.", a, what));
			return m;
		}
	}
	if ((t.tunnelType == TunnelType::kGue) != portGiven) {
		report(node, ctx, "gue tunnels require port, otherwise cannot have port.");
		return m;
	}
	if (t.tunnelType == TunnelType::kIpip && t.checksum != TunnelChecksum::kNoCsum) {
		report(node, ctx, "ipip tunnels do not support checksum option.");
		return m;
	}
	if (t.tunnelType == TunnelType::kGre && t.checksum == TunnelChecksum::kRemCsum) {
		report(node, ctx, "gre tunnels do not support remote checksum option.");
		return m;
	}
	return m.kind == ForwardingKind::kTun ? t : m;
}

std::optional<HexPattern> parseHex(std::span<const std::string_view> words, std::size_t from, bool allowWildcard)
{
	HexPattern out;
	auto nibble = [allowWildcard](char c, int &value, int &mask) {
		if (allowWildcard && (c == 'x' || c == 'X')) {
			value = 0;
			mask = 0;
			return true;
		}
		value = hexDigitValue(c);
		mask = 0xf;
		return value >= 0;
	};
	for (std::size_t w = from; w < words.size(); ++w) {
		std::string_view word = words[w];
		for (std::size_t i = 0; i < word.size(); i += 2) {
			int hi = 0, hiMask = 0, lo = 0, loMask = 0;
			if (i + 1 < word.size()) {
				if (!nibble(word[i], hi, hiMask) || !nibble(word[i + 1], lo, loMask))
					return std::nullopt;
			} else if (!nibble(word[i], lo, loMask)) {
				return std::nullopt;
			} else {
				hiMask = 0xf; // a lone digit is the byte 0X
			}
			out.bytes.push_back(static_cast<std::uint8_t>(hi << 4 | lo));
			out.mask.push_back(static_cast<std::uint8_t>(hiMask << 4 | loMask));
		}
	}
	return out;
}

std::string formatTimer(double seconds)
{
	if (seconds * 1e6 >= 9e18) // beyond exact microseconds in a double anyway
		return fmt::format("{:.0f}", seconds);
	auto value = static_cast<std::uint64_t>(std::llround(seconds * 1e6));
	std::string out = std::to_string(value / 1000000);
	if (std::uint64_t fraction = value % 1000000) {
		std::string digits = fmt::format("{:06}", fraction);
		while (digits.back() == '0')
			digits.pop_back();
		out += '.' + digits;
	}
	return out;
}

parser::Location blockEnd(const parser::Node &block)
{
	if (block.end.known())
		return block.end;
	parser::Location end = block.where;
	if (!block.children.empty()) {
		const parser::Node &last = block.children.back();
		end = last.hasBlock ? blockEnd(last) : last.where;
	}
	++end.line;
	return end;
}

} // namespace vigil::config::lvs

namespace vigil::config {

std::vector<std::string> HexPattern::words() const
{
	std::string word;
	static constexpr char kDigits[] = "0123456789abcdef";
	for (std::size_t i = 0; i < bytes.size(); ++i) {
		std::uint8_t m = i < mask.size() ? mask[i] : 0xff;
		word += (m & 0xf0) ? kDigits[bytes[i] >> 4] : 'x';
		word += (m & 0x0f) ? kDigits[bytes[i] & 0xf] : 'x';
	}
	return {word};
}

} // namespace vigil::config
