// The HTTP response reader and the url verdict, table-driven: each input is
// also fed one byte at a time, since a socket may split it anywhere.

#include <gtest/gtest.h>

#include "checkers/http_check.h"
#include "checkers/http_response.h"

namespace vigil::checkers {
namespace {

using Status = HttpResponseReader::Status;

struct ReaderCase {
	const char *name;
	std::string input;
	bool eof; // finishAtEof() after the input
	Status status;
	int code = 0;
	std::string body = {};
	std::string digest = {}; // empty: md5 of `body`
	std::string error = {};  // a substring of error()
};

class ReaderTest : public testing::TestWithParam<ReaderCase>
{
};

void check(const ReaderCase &c, HttpResponseReader &reader)
{
	if (c.eof)
		reader.finishAtEof();
	ASSERT_EQ(reader.status(), c.status) << reader.error();
	if (c.status == Status::kDone) {
		EXPECT_EQ(reader.statusCode(), c.code);
		EXPECT_EQ(reader.body(), c.body);
		EXPECT_EQ(reader.digest(), c.digest.empty() ? md5Hex(c.body) : c.digest);
	}
	if (c.status == Status::kError) {
		EXPECT_NE(reader.error().find(c.error), std::string::npos) << reader.error();
		EXPECT_EQ(reader.body(), ""); // whatever the split
		EXPECT_EQ(reader.digest(), "");
	}
}

TEST_P(ReaderTest, WholeInput)
{
	HttpResponseReader reader(HttpReaderLimits{.maxHeaderBytes = 1024, .maxBodyBytes = 64, .keepBody = true});
	reader.feed(GetParam().input);
	check(GetParam(), reader);
}

TEST_P(ReaderTest, ByteByByte)
{
	HttpResponseReader reader(HttpReaderLimits{.maxHeaderBytes = 1024, .maxBodyBytes = 64, .keepBody = true});
	for (char c : GetParam().input)
		reader.feed(std::string_view(&c, 1));
	check(GetParam(), reader);
}

const std::string kChunked = "5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nTrailer: x\r\n\r\n";

INSTANTIATE_TEST_SUITE_P(
        Responses, ReaderTest,
        testing::Values(
                ReaderCase{"content_length", "HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\nhello", false,
                           Status::kDone, 200, "hello", "5d41402abc4b2a76b9719d911017c592"},
                ReaderCase{"bytes_after_length_ignored", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloEXTRA",
                           false, Status::kDone, 200, "hello"},
                ReaderCase{"empty_body_md5", "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", false, Status::kDone,
                           200, "", "d41d8cd98f00b204e9800998ecf8427e"},
                ReaderCase{"eof_delimited", "HTTP/1.0 503 Service Unavailable\r\nServer: x\r\n\r\nbusy", true,
                           Status::kDone, 503, "busy"},
                ReaderCase{"eof_delimited_needs_eof", "HTTP/1.0 200 OK\r\n\r\nbusy", false, Status::kNeedMore},
                ReaderCase{"no_reason", "HTTP/1.1 204\r\n\r\n", false, Status::kDone, 204, ""},
                ReaderCase{"bare_lf", "HTTP/1.0 200 OK\nContent-Length: 2\n\nok", false, Status::kDone, 200, "ok"},
                ReaderCase{"folded_header", "HTTP/1.0 200 OK\r\nX: a\r\n  b\r\nContent-Length: 1\r\n\r\nz",
                           false, Status::kDone, 200, "z"},
                // keepalived hashes the chunk framing too (its genhash does).
                ReaderCase{"chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + kChunked, false,
                           Status::kDone, 200, "hello world", md5Hex(kChunked)},
                ReaderCase{"chunked_wins_over_length",
                           "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: gzip, Chunked\r\n\r\n1\r\n"
                           "a\r\n0\r\n\r\n",
                           false, Status::kDone, 200, "a", md5Hex("1\r\na\r\n0\r\n\r\n")},
                ReaderCase{"interim_100_skipped",
                           "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 1\r\n\r\nx", false,
                           Status::kDone, 201, "x"},
                ReaderCase{"agreeing_lengths", "HTTP/1.1 200 OK\r\nContent-Length: 1, 1\r\n\r\nx", false,
                           Status::kDone, 200, "x"},
                ReaderCase{"no_data", "", true, Status::kError, 0, "", "", "no data received"},
                ReaderCase{"garbage", "SSH-2.0-OpenSSH_9.2\r\n", false, Status::kError, 0, "", "",
                           "malformed status line"},
                ReaderCase{"binary_garbage", std::string("\x16\x03\x01\x00\x05hello\n", 11), false,
                           Status::kError, 0, "", "", "malformed status line"},
                ReaderCase{"http2", "HTTP/2.0 200 OK\r\n\r\n", false, Status::kError, 0, "", "",
                           "unsupported HTTP version"},
                ReaderCase{"bad_status_digits", "HTTP/1.1 2x0 OK\r\n\r\n", false, Status::kError, 0, "", "",
                           "malformed status line"},
                ReaderCase{"status_below_100", "HTTP/1.1 050 Continue\r\n\r\nHTTP/1.1 204 No\r\n\r\n", false,
                           Status::kError, 0, "", "", "invalid status code 050"},
                ReaderCase{"header_without_colon", "HTTP/1.1 200 OK\r\nNoColonHere\r\n\r\n", false, Status::kError,
                           0, "", "", "malformed header line"},
                ReaderCase{"header_name_space", "HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n", false, Status::kError, 0,
                           "", "", "malformed header line"},
                ReaderCase{"fold_first", "HTTP/1.1 200 OK\r\n x\r\n\r\n", false, Status::kError, 0, "", "",
                           "malformed header line"},
                ReaderCase{"header_too_large", "HTTP/1.1 200 OK\r\nX: " + std::string(2000, 'a') + "\r\n\r\n",
                           false, Status::kError, 0, "", "", "response header larger than 1024 bytes"},
                ReaderCase{"endless_header_line", "HTTP/1.1 200 OK\r\nX: " + std::string(5000, 'a'), false,
                           Status::kError, 0, "", "", "response header larger than 1024 bytes"},
                ReaderCase{"length_over_cap", "HTTP/1.1 200 OK\r\nContent-Length: 65\r\n\r\n", false,
                           Status::kError, 0, "", "", "body larger than 64 bytes"},
                ReaderCase{"length_overflow", "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999\r\n\r\n",
                           false, Status::kError, 0, "", "", "body larger than 64 bytes"},
                ReaderCase{"eof_body_over_cap", "HTTP/1.0 200 OK\r\n\r\n" + std::string(65, 'x'), false,
                           Status::kError, 0, "", "", "body larger than 64 bytes"},
                ReaderCase{"chunk_over_cap", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n",
                           false, Status::kError, 0, "", "", "body larger than 64 bytes"},
                ReaderCase{"chunks_over_cap",
                           "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + []() {
	                           std::string s;
	                           for (int i = 0; i < 10; ++i)
		                           s += "8\r\n12345678\r\n";
	                           return s;
                           }(),
                           false, Status::kError, 0, "", "", "body larger than 64 bytes"},
                ReaderCase{"chunk_line_too_long",
                           "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;" + std::string(9000, 'e'),
                           false, Status::kError, 0, "", "", "body larger than 64 bytes"},
                ReaderCase{"bad_length", "HTTP/1.1 200 OK\r\nContent-Length: 5x\r\n\r\n", false, Status::kError, 0,
                           "", "", "invalid Content-Length"},
                ReaderCase{"disagreeing_lengths", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
                           false, Status::kError, 0, "", "", "invalid Content-Length"},
                ReaderCase{"bad_chunk_size", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", false,
                           Status::kError, 0, "", "", "malformed chunk size"},
                ReaderCase{"chunk_without_crlf",
                           "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n", false, Status::kError,
                           0, "", "", "missing CRLF after chunk data"},
                ReaderCase{"truncated_header", "HTTP/1.1 200 OK\r\nContent-Le", true, Status::kError, 0, "", "",
                           "inside the response header"},
                ReaderCase{"truncated_length_body", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello", true,
                           Status::kError, 0, "", "", "after 5 of 10 body bytes"},
                ReaderCase{"truncated_chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel",
                           true, Status::kError, 0, "", "", "inside the chunked body"},
                ReaderCase{"too_many_interim", []() {
	                           std::string s;
	                           for (int i = 0; i < 9; ++i)
		                           s += "HTTP/1.1 100 Continue\r\n\r\n";
	                           return s;
                           }(),
                           false, Status::kError, 0, "", "", "too many interim"}),
        [](const testing::TestParamInfo<ReaderCase> &info) { return std::string(info.param.name); });

TEST(HttpResponseReader, HeadersAndRawHeaderKept)
{
	HttpResponseReader reader;
	const std::string header = "HTTP/1.1 200 Fine\r\nContent-Type: text/plain\r\ncontent-length: 2\r\n\r\n";
	ASSERT_EQ(reader.feed(header + "ok"), Status::kDone);
	EXPECT_EQ(reader.reason(), "Fine");
	EXPECT_EQ(reader.versionMinor(), 1);
	EXPECT_EQ(reader.header("CONTENT-TYPE"), "text/plain");
	EXPECT_FALSE(reader.header("Server"));
	EXPECT_EQ(reader.rawHeader(), header);
	EXPECT_EQ(reader.wireBodyBytes(), 2u);
}

TEST(HttpResponseReader, DefaultCapIsFourMebibytes)
{
	HttpResponseReader reader;
	reader.feed("HTTP/1.0 200 OK\r\n\r\n");
	const std::string block(64 * 1024, 'x');
	for (int i = 0; i < 64 && reader.status() == Status::kNeedMore; ++i)
		reader.feed(block);
	EXPECT_EQ(reader.status(), Status::kNeedMore); // exactly 4 MiB so far
	reader.feed("y");
	ASSERT_EQ(reader.status(), Status::kError);
	EXPECT_EQ(reader.error(), "body larger than 4194304 bytes");
}

TEST(HttpResponseReader, LongChunkLineFailsAlikeWholeOrByByte)
{
	const std::string input =
	        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;" + std::string(9000, 'e') + "\r\n";
	HttpResponseReader whole;
	whole.feed(input);
	HttpResponseReader bytes;
	for (char c : input)
		bytes.feed(std::string_view(&c, 1));
	EXPECT_EQ(whole.error(), "chunked body line too long");
	EXPECT_EQ(bytes.error(), whole.error());
}

TEST(HttpResponseReader, WithoutKeepBodyStillDigests)
{
	HttpResponseReader reader(HttpReaderLimits{.keepBody = false});
	ASSERT_EQ(reader.feed("HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\nhello"), Status::kDone);
	EXPECT_EQ(reader.body(), "");
	EXPECT_EQ(reader.digest(), "5d41402abc4b2a76b9719d911017c592");
}

TEST(Md5Hex, KnownValues)
{
	EXPECT_EQ(md5Hex(""), "d41d8cd98f00b204e9800998ecf8427e");
	EXPECT_EQ(md5Hex("The quick brown fox jumps over the lazy dog"), "9e107d9d372bb6826bd81d3542a419d6");
}

// ---- the request -----------------------------------------------------------

TEST(HttpRequest, AsKeepalivedSendsIt)
{
	const auto v4 = *config::IpAddress::parse("127.0.0.1");
	const auto v6 = *config::IpAddress::parse("::1");
	EXPECT_EQ(httpHost("", v4, 80), "127.0.0.1:80");
	EXPECT_EQ(httpHost("", v6, 8080), "[::1]:8080");
	EXPECT_EQ(httpHost("www.example.com", v4, 8080), "www.example.com");
	EXPECT_EQ(httpRequest("/x/y", "1.0", "127.0.0.1:18081"),
	          "GET /x/y HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\nHost: 127.0.0.1:18081\r\n\r\n");
	EXPECT_EQ(httpRequest("/", "1.0C", "h"),
	          "GET / HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\nConnection: close\r\nHost: h\r\n\r\n");
	EXPECT_EQ(httpRequest("/", "1.1", "h"),
	          "GET / HTTP/1.1\r\nUser-Agent: KeepAliveClient\r\nConnection: close\r\nHost: h\r\n\r\n");
}

// ---- the verdict -----------------------------------------------------------

struct JudgeCase {
	const char *name;
	std::string response;
	std::vector<config::StatusRange> ranges;
	std::string digest;
	std::string regex;
	bool regexNoMatch;
	bool ok;
	std::string detail; // a substring
};

class JudgeTest : public testing::TestWithParam<JudgeCase>
{
};

TEST_P(JudgeTest, Verdict)
{
	const auto &c = GetParam();
	config::HttpUrl url;
	url.path = "/health";
	url.statusCodes = c.ranges;
	url.digest = c.digest;
	url.regex = c.regex;
	url.regexNoMatch = c.regexNoMatch;
	HttpResponseReader reader;
	reader.feed(c.response);
	reader.finishAtEof();
	const auto result = judgeHttpResponse(url, reader, "[127.0.0.1]:tcp:80");
	EXPECT_EQ(result.ok, c.ok) << result.detail;
	EXPECT_NE(result.detail.find(c.detail), std::string::npos) << result.detail;
}

const std::string k200 = "HTTP/1.0 200 OK\r\n\r\nhello world";
const std::string k503 = "HTTP/1.0 503 Busy\r\n\r\nbusy";
const std::string kHelloWorldMd5 = md5Hex("hello world");
using R = config::StatusRange;

INSTANTIATE_TEST_SUITE_P(
        Urls, JudgeTest,
        testing::Values(
                JudgeCase{"default_range",
                          k200,
                          {R{200, 299}},
                          "",
                          "",
                          false,
                          true,
                          "HTTP status code success to [127.0.0.1]:tcp:80 url(/health)"},
                JudgeCase{"empty_ranges_mean_2xx", k503, {}, "", "", false, false, "status_code [503]"},
                JudgeCase{"status_error",
                          k503,
                          {R{200, 299}},
                          "",
                          "",
                          false,
                          false,
                          "HTTP status code error to [127.0.0.1]:tcp:80 url(/health), status_code [503]"},
                JudgeCase{"second_range", k503, {R{200, 200}, R{500, 503}}, "", "", false, true, "success"},
                JudgeCase{"digest_ok", k200, {R{200, 299}}, kHelloWorldMd5, "", false, true, "MD5 digest success"},
                JudgeCase{"digest_error",
                          k200,
                          {R{200, 299}},
                          std::string(32, '0'),
                          "",
                          false,
                          false,
                          "MD5 digest error to [127.0.0.1]:tcp:80 url(/health), MD5SUM [" + kHelloWorldMd5 + "]"},
                JudgeCase{"status_before_digest",
                          k503,
                          {R{200, 299}},
                          std::string(32, '0'),
                          "",
                          false,
                          false,
                          "status_code [503]"},
                JudgeCase{"regex_found", k200, {R{200, 299}}, "", "wor.d", false, true, "success"},
                JudgeCase{"regex_missing", k200, {R{200, 299}}, "", "^busy", false, false, "Regex match failed"},
                JudgeCase{"regex_no_match_ok", k200, {R{200, 299}}, "", "error", true, true, "success"},
                JudgeCase{"regex_no_match_hit", k200, {R{200, 299}}, "", "hello", true, false, "regex_no_match"},
                JudgeCase{"regex_invalid", k200, {R{200, 299}}, "", "(", false, false, "regex \"(\""},
                JudgeCase{"incomplete",
                          "HTTP/1.0 200 OK\r\nContent-Length: 9\r\n\r\nab",
                          {R{200, 299}},
                          "",
                          "",
                          false,
                          false,
                          "HTTP response error from [127.0.0.1]:tcp:80 url(/health)"}),
        [](const testing::TestParamInfo<JudgeCase> &info) { return std::string(info.param.name); });

} // namespace
} // namespace vigil::checkers
