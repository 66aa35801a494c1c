#include "checkers/http_response.h"

#include <algorithm>
#include <fmt/format.h>
#include <openssl/evp.h>

namespace vigil::checkers {
namespace {

// A chunk size line (with extensions) or a trailer line; real ones are a
// few bytes, and the body cap alone would let one grow to megabytes.
constexpr std::size_t kMaxBodyLine = std::size_t{8} * 1024;
// 100 Continue and friends before the real response.
constexpr int kMaxInterim = 8;

constexpr char kHex[] = "0123456789abcdef";

bool isDigit(char c)
{
	return c >= '0' && c <= '9';
}

char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool equalsIgnoreCase(std::string_view a, std::string_view b)
{
	return a.size() == b.size() &&
	       std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return lower(x) == lower(y); });
}

std::string_view trim(std::string_view s)
{
	while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
		s.remove_prefix(1);
	while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
		s.remove_suffix(1);
	return s;
}

// RFC 9110 token characters, for header names.
bool isTokenChar(char c)
{
	if (isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
		return true;
	return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// Without the LF and a CR before it.
std::string_view lineText(std::string_view line)
{
	if (!line.empty() && line.back() == '\n')
		line.remove_suffix(1);
	if (!line.empty() && line.back() == '\r')
		line.remove_suffix(1);
	return line;
}

// A decimal length no larger than `cap`; nullopt when malformed or larger.
std::optional<std::uint64_t> parseLength(std::string_view text, std::uint64_t cap, bool &tooLarge)
{
	text = trim(text);
	if (text.empty())
		return std::nullopt;
	std::uint64_t value = 0;
	for (char c : text) {
		if (!isDigit(c))
			return std::nullopt;
		value = value * 10 + static_cast<std::uint64_t>(c - '0');
		if (value > cap) {
			tooLarge = true;
			return std::nullopt;
		}
	}
	return value;
}

} // namespace

// The incremental MD5 of OpenSSL's EVP interface. Not file-local: a member
// of HttpResponseReader derives from it.
class Md5Hasher
{
public:
	Md5Hasher() { EVP_DigestInit_ex(ctx, EVP_md5(), nullptr); }
	~Md5Hasher() { EVP_MD_CTX_free(ctx); }
	Md5Hasher(const Md5Hasher &) = delete;
	Md5Hasher &operator=(const Md5Hasher &) = delete;
	void update(std::string_view data) { EVP_DigestUpdate(ctx, data.data(), data.size()); }
	std::string hex()
	{
		unsigned char out[EVP_MAX_MD_SIZE];
		unsigned int length = 0;
		EVP_DigestFinal_ex(ctx, out, &length);
		std::string text;
		for (unsigned int i = 0; i < length; ++i) {
			text += kHex[out[i] >> 4];
			text += kHex[out[i] & 0x0f];
		}
		return text;
	}

private:
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
};

struct HttpResponseReader::Md5 : Md5Hasher {
};

std::string md5Hex(std::string_view data)
{
	Md5Hasher md5;
	md5.update(data);
	return md5.hex();
}

HttpResponseReader::HttpResponseReader(HttpReaderLimits limits) : limits_(limits), md5_(std::make_unique<Md5>())
{
}

HttpResponseReader::~HttpResponseReader() = default;

std::optional<std::string_view> HttpResponseReader::header(std::string_view name) const
{
	for (const auto &h : headers_)
		if (equalsIgnoreCase(h.name, name))
			return std::string_view(h.value);
	return std::nullopt;
}

HttpResponseReader::Status HttpResponseReader::feed(std::string_view bytes)
{
	while (status_ == Status::kNeedMore && !bytes.empty()) {
		const bool inHeader = stage_ == Stage::kStatusLine || stage_ == Stage::kHeaders;
		const std::size_t used = inHeader ? feedHeaderBytes(bytes) : feedBodyBytes(bytes);
		// Every step consumes input or ends the response; this guards the
		// loop against a future stage that does neither.
		if (used == 0 && status_ == Status::kNeedMore)
			return fail("internal error: response reader made no progress");
		bytes.remove_prefix(used);
	}
	return status_;
}

HttpResponseReader::Status HttpResponseReader::finishAtEof()
{
	if (status_ != Status::kNeedMore)
		return status_;
	switch (stage_) {
	case Stage::kStatusLine:
		if (headerBytes_ == 0)
			return fail("no data received");
		[[fallthrough]];
	case Stage::kHeaders:
		return fail("connection closed inside the response header");
	case Stage::kEofBody:
		return complete();
	case Stage::kLengthBody:
		return fail(fmt::format("connection closed after {} of {} body bytes", wireBodyBytes_,
		                        wireBodyBytes_ + remaining_));
	default:
		return fail("connection closed inside the chunked body");
	}
}

std::size_t HttpResponseReader::feedHeaderBytes(std::string_view bytes)
{
	const auto newline = bytes.find('\n');
	const std::size_t used = newline == std::string_view::npos ? bytes.size() : newline + 1;
	if (headerBytes_ + used > limits_.maxHeaderBytes) {
		fail(fmt::format("response header larger than {} bytes", limits_.maxHeaderBytes));
		return used;
	}
	headerBytes_ += used;
	line_.append(bytes.substr(0, used));
	rawHeader_.append(bytes.substr(0, used));
	if (newline == std::string_view::npos)
		return used;

	const std::string line = std::move(line_);
	line_.clear();
	const std::string_view text = lineText(line);
	if (stage_ == Stage::kStatusLine) {
		if (parseStatusLine(text))
			stage_ = Stage::kHeaders;
	} else if (text.empty()) {
		startBody();
	} else {
		parseHeaderLine(text);
	}
	return used;
}

bool HttpResponseReader::parseStatusLine(std::string_view line)
{
	// HTTP/1.x SP 3DIGIT [SP reason]
	if (line.size() < 12 || line.substr(0, 5) != "HTTP/" || line[8] != ' ' || !isDigit(line[9]) ||
	    !isDigit(line[10]) || !isDigit(line[11]) || (line.size() > 12 && line[12] != ' ')) {
		fail("malformed status line");
		return false;
	}
	if (line[5] != '1' || line[6] != '.' || !isDigit(line[7])) {
		fail(fmt::format("unsupported HTTP version {}", line.substr(0, 8)));
		return false;
	}
	versionMinor_ = line[7] - '0';
	statusCode_ = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
	if (statusCode_ < 100) {
		// Three digits, but no class: 0xx is not a response (found by
		// fuzz_http_response).
		fail(fmt::format("invalid status code {}", line.substr(9, 3)));
		return false;
	}
	reason_ = line.size() > 13 ? std::string(line.substr(13)) : std::string();
	return true;
}

bool HttpResponseReader::parseHeaderLine(std::string_view line)
{
	if (line.front() == ' ' || line.front() == '\t') {
		// An obsolete folded continuation of the previous header.
		if (headers_.empty()) {
			fail("malformed header line");
			return false;
		}
		headers_.back().value += ' ';
		headers_.back().value += trim(line);
		return true;
	}
	const auto colon = line.find(':');
	if (colon == 0 || colon == std::string_view::npos ||
	    !std::all_of(line.begin(), line.begin() + static_cast<std::ptrdiff_t>(colon), isTokenChar)) {
		fail("malformed header line");
		return false;
	}
	headers_.push_back({std::string(line.substr(0, colon)), std::string(trim(line.substr(colon + 1)))});
	return true;
}

bool HttpResponseReader::startBody()
{
	if (statusCode_ >= 100 && statusCode_ < 200 && statusCode_ != 101) {
		if (++interim_ > kMaxInterim) {
			fail("too many interim 1xx responses");
			return false;
		}
		resetForNextResponse();
		return true;
	}
	if (statusCode_ == 101 || statusCode_ == 204 || statusCode_ == 304) {
		complete();
		return true;
	}

	// Transfer-Encoding wins over Content-Length; a coding other than a
	// final chunked ends at EOF (RFC 9112 6.3).
	const HttpHeader *encoding = nullptr;
	for (const auto &h : headers_)
		if (equalsIgnoreCase(h.name, "Transfer-Encoding"))
			encoding = &h;
	if (encoding) {
		std::string_view codings = encoding->value;
		const auto comma = codings.rfind(',');
		const auto last = trim(comma == std::string_view::npos ? codings : codings.substr(comma + 1));
		stage_ = equalsIgnoreCase(last, "chunked") ? Stage::kChunkSize : Stage::kEofBody;
		return true;
	}

	std::optional<std::uint64_t> length;
	for (const auto &h : headers_) {
		if (!equalsIgnoreCase(h.name, "Content-Length"))
			continue;
		// "5, 5" and repeated headers are allowed when they agree.
		std::string_view values = h.value;
		while (true) {
			const auto comma = values.find(',');
			bool tooLarge = false;
			const auto value = parseLength(values.substr(0, comma), limits_.maxBodyBytes, tooLarge);
			if (tooLarge) {
				fail(fmt::format("body larger than {} bytes", limits_.maxBodyBytes));
				return false;
			}
			if (!value || (length && *length != *value)) {
				fail("invalid Content-Length");
				return false;
			}
			length = value;
			if (comma == std::string_view::npos)
				break;
			values.remove_prefix(comma + 1);
		}
	}
	if (!length) {
		stage_ = Stage::kEofBody;
		return true;
	}
	if (*length == 0) {
		complete();
		return true;
	}
	remaining_ = *length;
	stage_ = Stage::kLengthBody;
	return true;
}

std::size_t HttpResponseReader::feedBodyBytes(std::string_view bytes)
{
	switch (stage_) {
	case Stage::kLengthBody:
	case Stage::kChunkData: {
		const auto used = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, bytes.size()));
		const auto data = bytes.substr(0, used);
		hashWire(data);
		if (status_ != Status::kNeedMore)
			return used;
		appendBody(data);
		remaining_ -= used;
		if (remaining_ == 0) {
			if (stage_ == Stage::kLengthBody)
				complete();
			else
				stage_ = Stage::kChunkDataEnd;
		}
		return used;
	}
	case Stage::kEofBody:
		hashWire(bytes);
		if (status_ == Status::kNeedMore)
			appendBody(bytes);
		return bytes.size();
	default:
		break;
	}

	// A chunk size line, the CRLF after chunk data, or a trailer line.
	const auto newline = bytes.find('\n');
	const std::size_t used = newline == std::string_view::npos ? bytes.size() : newline + 1;
	// Whichever cap the bytes cross first decides the message, so that a
	// response split anywhere fails the same way.
	const std::size_t lineRoom = kMaxBodyLine - line_.size();
	const std::uint64_t bodyRoom = limits_.maxBodyBytes - wireBodyBytes_;
	if (used > lineRoom && lineRoom <= bodyRoom) {
		fail("chunked body line too long");
		return used;
	}
	hashWire(bytes.substr(0, used));
	if (status_ != Status::kNeedMore)
		return used;
	line_.append(bytes.substr(0, used));
	if (newline == std::string_view::npos)
		return used;
	const std::string line = std::move(line_);
	line_.clear();
	const std::string_view text = lineText(line);
	switch (stage_) {
	case Stage::kChunkSize:
		parseChunkSize(text);
		break;
	case Stage::kChunkDataEnd:
		if (text.empty())
			stage_ = Stage::kChunkSize;
		else
			fail("missing CRLF after chunk data");
		break;
	case Stage::kTrailers:
		if (text.empty())
			complete();
		break;
	default:
		fail("internal error: unexpected reader stage");
		break;
	}
	return used;
}

bool HttpResponseReader::parseChunkSize(std::string_view line)
{
	// 1*HEXDIG [ BWS ; chunk-ext ]
	const auto hex = line.substr(0, line.find_first_not_of("0123456789abcdefABCDEF"));
	const auto rest = trim(line.substr(hex.size()));
	if (hex.empty() || (!rest.empty() && rest.front() != ';')) {
		fail("malformed chunk size");
		return false;
	}
	std::uint64_t size = 0;
	for (char c : hex) {
		const int digit = isDigit(c) ? c - '0' : lower(c) - 'a' + 10;
		size = size * 16 + static_cast<std::uint64_t>(digit);
		if (size > limits_.maxBodyBytes) {
			fail(fmt::format("body larger than {} bytes", limits_.maxBodyBytes));
			return false;
		}
	}
	if (size == 0) {
		stage_ = Stage::kTrailers;
	} else {
		remaining_ = size;
		stage_ = Stage::kChunkData;
	}
	return true;
}

void HttpResponseReader::hashWire(std::string_view data)
{
	if (wireBodyBytes_ + data.size() > limits_.maxBodyBytes) {
		fail(fmt::format("body larger than {} bytes", limits_.maxBodyBytes));
		return;
	}
	wireBodyBytes_ += data.size();
	md5_->update(data);
}

void HttpResponseReader::appendBody(std::string_view data)
{
	if (limits_.keepBody)
		body_.append(data);
}

HttpResponseReader::Status HttpResponseReader::fail(std::string message)
{
	if (status_ == Status::kNeedMore) {
		status_ = Status::kError;
		error_ = std::move(message);
		line_.clear();
		// What was kept of a rejected body depends on how the bytes were
		// split (found by fuzz_http_response); none of it is worth keeping.
		body_.clear();
		body_.shrink_to_fit();
	}
	return status_;
}

HttpResponseReader::Status HttpResponseReader::complete()
{
	stage_ = Stage::kEnd;
	status_ = Status::kDone;
	digest_ = md5_->hex();
	return status_;
}

void HttpResponseReader::resetForNextResponse()
{
	stage_ = Stage::kStatusLine;
	statusCode_ = 0;
	versionMinor_ = 0;
	reason_.clear();
	headers_.clear();
	rawHeader_.clear();
}

} // namespace vigil::checkers
