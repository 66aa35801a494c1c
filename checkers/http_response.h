#pragma once

// An incremental HTTP/1.x response reader for HTTP_GET / SSL_GET and
// vigil-genhash: bytes go in as they arrive, in pieces of any size; no
// sockets. It reads a real server's answer, so every input is hostile: the
// header and the body are capped, every length is checked for overflow, and
// no input makes it loop or wait for more than it was given.
//
// The digest is keepalived's: the MD5 of the bytes after the header as they
// came on the wire, up to the end of the message. For a Content-Length or
// EOF-delimited body that is the body; for a chunked one keepalived (and its
// genhash) hash the chunk framing too, and so does vigil, so that digests
// operators made with genhash keep matching.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::checkers {

struct HttpReaderLimits {
	// Status line and headers together (interim 1xx responses included).
	std::size_t maxHeaderBytes = std::size_t{64} * 1024;
	// Body bytes as received (chunk framing included).
	std::size_t maxBodyBytes = std::size_t{4} * 1024 * 1024;
	// Keep the decoded body (for regex and genhash -v); the digest is
	// computed either way.
	bool keepBody = true;
};

struct HttpHeader {
	std::string name;
	std::string value;
};

class HttpResponseReader
{
public:
	enum class Status { kNeedMore, kDone, kError };

	explicit HttpResponseReader(HttpReaderLimits limits = {});
	~HttpResponseReader();
	HttpResponseReader(const HttpResponseReader &) = delete;
	HttpResponseReader &operator=(const HttpResponseReader &) = delete;

	// Consumes `bytes`. Bytes after the end of the message are ignored.
	Status feed(std::string_view bytes);
	// The peer closed: ends an EOF-delimited body, else an error saying
	// where the response was cut.
	Status finishAtEof();

	Status status() const { return status_; }
	bool done() const { return status_ == Status::kDone; }
	// Why the response was rejected ("malformed status line"...).
	const std::string &error() const { return error_; }

	// Valid once the status line was read.
	int statusCode() const { return statusCode_; }
	int versionMinor() const { return versionMinor_; }
	const std::string &reason() const { return reason_; }
	const std::vector<HttpHeader> &headers() const { return headers_; }
	// The first header of that name, compared case-insensitively.
	std::optional<std::string_view> header(std::string_view name) const;
	// Status line and headers as received, final response only.
	const std::string &rawHeader() const { return rawHeader_; }
	// The decoded body (empty unless keepBody, and after an error).
	const std::string &body() const { return body_; }
	std::uint64_t wireBodyBytes() const { return wireBodyBytes_; }
	// 32 lower-case hex digits once done(), else empty.
	const std::string &digest() const { return digest_; }

private:
	enum class Stage {
		kStatusLine,
		kHeaders,
		kLengthBody,
		kEofBody,
		kChunkSize,
		kChunkData,
		kChunkDataEnd,
		kTrailers,
		kEnd,
	};

	std::size_t feedHeaderBytes(std::string_view bytes);
	std::size_t feedBodyBytes(std::string_view bytes);
	bool takeLine(std::string_view &bytes, std::size_t cap, std::string &line, std::size_t &used);
	bool parseStatusLine(std::string_view line);
	bool parseHeaderLine(std::string_view line);
	bool startBody();
	bool parseChunkSize(std::string_view line);
	void appendBody(std::string_view data);
	void hashWire(std::string_view data);
	Status fail(std::string message);
	Status complete();
	void resetForNextResponse();

	HttpReaderLimits limits_;
	Status status_ = Status::kNeedMore;
	Stage stage_ = Stage::kStatusLine;
	std::string error_;
	std::string line_; // a line not yet ended by LF
	std::size_t headerBytes_ = 0;
	int interim_ = 0;
	int statusCode_ = 0;
	int versionMinor_ = 0;
	std::string reason_;
	std::vector<HttpHeader> headers_;
	std::string rawHeader_;
	std::string body_;
	std::uint64_t wireBodyBytes_ = 0;
	std::uint64_t remaining_ = 0; // Content-Length or current chunk
	std::string digest_;
	struct Md5;
	std::unique_ptr<Md5> md5_;
};

// The MD5 of `data` as 32 lower-case hex digits.
std::string md5Hex(std::string_view data);

} // namespace vigil::checkers
