#pragma once

#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::config {

// Writes the normalized model back as keepalived.conf text: one statement a
// line, four-space indentation, words quoted when they need it. Parsing the
// output gives the same model again.
class ConfigWriter
{
public:
	void open(std::string_view keyword, std::initializer_list<std::string_view> args = {});
	void close();
	void line(std::string_view keyword, std::initializer_list<std::string_view> args = {});
	void line(std::string_view keyword, const std::vector<std::string> &args);
	void line(std::string_view keyword, std::span<const std::string_view> args);
	// A statement whose value is a number or a timer.
	void number(std::string_view keyword, double value);
	void flag(std::string_view keyword, bool on)
	{
		if (on)
			line(keyword);
	}
	void blank() { out_ += '\n'; }

	const std::string &str() const { return out_; }

	// The word as the tokenizer will read it back.
	static std::string quote(std::string_view word);
	static std::string formatNumber(double value);

private:
	void indent();
	std::string out_;
	int depth_ = 0;
};

} // namespace vigil::config
