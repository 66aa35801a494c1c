#include "checkers/smtp_reply.h"

#include <fmt/format.h>

namespace vigil::checkers {
namespace {

bool digit(char c)
{
	return c >= '0' && c <= '9';
}

// Printable for a log line: a hostile peer's bytes are cut and escaped.
std::string shown(std::string_view line)
{
	std::string out;
	for (char c : line.substr(0, 40)) {
		auto u = static_cast<unsigned char>(c);
		if (u >= 0x20 && u < 0x7f)
			out += c;
		else
			out += fmt::format("\\x{:02x}", u);
	}
	return out;
}

} // namespace

std::expected<std::optional<SmtpReply>, std::string> SmtpReplyReader::feed(std::string_view bytes)
{
	buffer_.append(bytes);
	std::size_t start = 0;
	while (true) {
		const auto end = buffer_.find('\n', start);
		if (end == std::string::npos) {
			if (buffer_.size() - start > kMaxLine)
				return std::unexpected(fmt::format("reply line longer than {} octets", kMaxLine));
			buffer_.erase(0, start);
			return std::nullopt;
		}
		// RFC 5321 lines end with CRLF; a bare LF is taken as well, as
		// lenient clients do, since it still ends the line unambiguously.
		std::string_view line(buffer_.data() + start, end - start);
		if (line.size() + 1 > kMaxLine)
			return std::unexpected(fmt::format("reply line longer than {} octets", kMaxLine));
		if (!line.empty() && line.back() == '\r')
			line.remove_suffix(1);
		start = end + 1;
		if (line.size() < 3 || !digit(line[0]) || !digit(line[1]) || !digit(line[2]) ||
		    (line.size() > 3 && line[3] != ' ' && line[3] != '-'))
			return std::unexpected(fmt::format("not an SMTP reply line: \"{}\"", shown(line)));
		const int code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
		if (line[0] < '2' || line[0] > '5')
			return std::unexpected(fmt::format("reply code {} out of range", code));
		if (!partial_.lines.empty() && code != partial_.code)
			return std::unexpected(
			        fmt::format("multi-line reply changes code from {} to {}", partial_.code, code));
		if (partial_.lines.size() >= kMaxLines)
			return std::unexpected(fmt::format("reply longer than {} lines", kMaxLines));
		partial_.code = code;
		partial_.lines.emplace_back(line.size() > 4 ? line.substr(4) : std::string_view{});
		const bool last = line.size() == 3 || line[3] == ' ';
		if (last) {
			buffer_.erase(0, start);
			SmtpReply reply = std::move(partial_);
			partial_ = {};
			return reply;
		}
	}
}

} // namespace vigil::checkers
