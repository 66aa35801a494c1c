#pragma once

// What fuzz_http_response checks on every input, shared with the unit test
// that replays its corpus in the ordinary build: the input is a response
// as a server would send it, fed to HttpResponseReader whole, one byte at a
// time and in pseudo-random pieces (the split derived from the input, so a
// run is reproducible). Every split must end the same way, and the result
// must respect the reader's caps.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "checkers/http_check.h"
#include "checkers/http_response.h"

namespace vigil::fuzz {

// Small caps, so that inputs of a few KiB reach them.
inline checkers::HttpReaderLimits httpFuzzLimits()
{
	return {.maxHeaderBytes = 1024, .maxBodyBytes = 2048, .keepBody = true};
}

struct HttpOutcome {
	checkers::HttpResponseReader::Status status;
	std::string error;
	int code = 0;
	std::string digest;
	std::string body;
};

template <typename NextSize> HttpOutcome readHttpResponse(std::string_view input, NextSize nextSize)
{
	checkers::HttpResponseReader reader(httpFuzzLimits());
	while (!input.empty()) {
		const std::size_t size = std::min(input.size(), nextSize());
		reader.feed(input.substr(0, size));
		input.remove_prefix(size);
	}
	reader.finishAtEof();
	return {reader.status(), reader.error(), reader.statusCode(), reader.digest(), reader.body()};
}

// An empty string when every check holds, else what failed.
inline std::string checkHttpResponse(std::span<const std::uint8_t> data)
{
	const std::string_view input(reinterpret_cast<const char *>(data.data()), data.size());
	const auto whole = readHttpResponse(input, [&]() { return input.size() + 1; });
	const auto bytes = readHttpResponse(input, []() { return std::size_t{1}; });
	// FNV-1a of the input seeds an xorshift for piece sizes of 1 to 64.
	std::uint64_t state = 1469598103934665603ull;
	for (char c : input)
		state = (state ^ static_cast<std::uint8_t>(c)) * 1099511628211ull;
	state |= 1;
	const auto pieces = readHttpResponse(input, [&]() {
		state ^= state << 13;
		state ^= state >> 7;
		state ^= state << 17;
		return static_cast<std::size_t>(state % 64) + 1;
	});

	for (const auto *other : {&bytes, &pieces}) {
		if (other->status != whole.status || other->error != whole.error || other->code != whole.code ||
		    other->digest != whole.digest || other->body != whole.body)
			return "the response read differently when split: '" + whole.error + "' vs '" + other->error +
			       "'";
	}
	using Status = checkers::HttpResponseReader::Status;
	if (whole.status == Status::kNeedMore)
		return "still waiting for bytes after EOF";
	if (whole.status == Status::kDone) {
		if (whole.digest.size() != 32 ||
		    whole.digest.find_first_not_of("0123456789abcdef") != std::string::npos)
			return "a done response without a 32-digit digest";
		if (whole.body.size() > httpFuzzLimits().maxBodyBytes)
			return "a body past the cap";
		if (whole.code < 100 || whole.code > 999)
			return "a status code out of range";
	} else if (whole.error.empty()) {
		return "an error without a message";
	}

	// The verdict never throws and agrees with done().
	config::HttpUrl url;
	url.path = "/";
	url.statusCodes = {config::StatusRange{200, 299}};
	url.digest = "d41d8cd98f00b204e9800998ecf8427e";
	checkers::HttpResponseReader reader(httpFuzzLimits());
	reader.feed(input);
	reader.finishAtEof();
	const auto verdict = checkers::judgeHttpResponse(url, reader, "[127.0.0.1]:tcp:80");
	if (verdict.ok && !reader.done())
		return "an unfinished response passed";
	return {};
}

} // namespace vigil::fuzz
