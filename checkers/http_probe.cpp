// HTTP_GET and SSL_GET: for each url to check, a new connection (with the
// checker's bind options), one GET as keepalived sends it, the response
// read incrementally and judged; the next url only after this one passed.
// The whole exchange, every url included, is bounded by the probe's
// timeout (TimedSession), so a peer trickling bytes cannot stretch it.

#include <array>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <fmt/format.h>
#include <type_traits>
#include <vector>

#include "checkers/http_check.h"
#include "checkers/http_response.h"
#include "checkers/probe_context.h"
#include "checkers/probe_socket.h"

namespace vigil::checkers {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;

// A checker of another type has no urls, and the session says so rather
// than throwing.
config::HttpCheck httpCheckOf(const config::Checker &checker)
{
	const auto *check = std::get_if<config::HttpCheck>(&checker.detail);
	return check ? *check : config::HttpCheck{};
}

template <bool kTls> class HttpSession final : public TimedSession
{
	using Stream = std::conditional_t<kTls, asio::ssl::stream<tcp::socket>, tcp::socket>;

public:
	HttpSession(ProbeContext &context, const ProbeRequest &request, HttpObserver observer)
	        : TimedSession(context.io, request.timeout), ssl_(context.ssl),
	          remote_(toAsio(request.address), request.port), options_(request.checker.endpoint),
	          check_(httpCheckOf(request.checker)), address_(request.address), port_(request.port),
	          endpoint_(endpointName(request.address, request.port, "tcp")), only_(request.url),
	          observer_(std::move(observer))
	{
	}

	void start(ProbeTransport::Done done) override
	{
		begin(std::move(done));
		if constexpr (kTls) {
			if (!ssl_) {
				finish(ProbeResult::fail("SSL_GET without an SSL context"));
				return;
			}
		}
		if (only_) {
			if (*only_ >= check_.urls.size()) {
				finish(ProbeResult::fail(fmt::format("no url {} to check on {}", *only_, endpoint_)));
				return;
			}
			urls_.push_back(*only_);
		} else {
			for (std::size_t i = 0; i < check_.urls.size(); ++i)
				urls_.push_back(i);
		}
		if (urls_.empty()) {
			finish(ProbeResult::fail(fmt::format("no url to check on {}", endpoint_)));
			return;
		}
		nextUrl();
	}

private:
	const config::HttpUrl &url() const { return check_.urls[urls_[index_]]; }

	void stage(std::string_view what) { setStage(fmt::format("{} url({})", what, url().path)); }

	ProbeResult failure(std::string_view what, const boost::system::error_code &error) const
	{
		return ProbeResult::fail(
		        fmt::format("{} {} url({}): {}", what, endpoint_, url().path, error.message()));
	}

	tcp::socket &socket()
	{
		if constexpr (kTls)
			return stream_->next_layer();
		else
			return *stream_;
	}

	void nextUrl()
	{
		if (index_ == urls_.size()) {
			finish(ProbeResult::pass(std::move(detail_)));
			return;
		}
		closeAll();
		reader_ = std::make_unique<HttpResponseReader>();
		request_ = httpRequest(url().path, check_.httpProtocol,
		                       httpHost(urlVirtualhost(check_, url()), address_, port_));
		if constexpr (kTls)
			stream_ = std::make_unique<Stream>(io(), *ssl_);
		else
			stream_ = std::make_unique<Stream>(io());
		if (auto opened = openProbeSocket(socket(), remote_, options_); !opened) {
			finish(ProbeResult::fail(opened.error()));
			return;
		}
		stage("connect");
		socket().async_connect(remote_,
		                       [this, self = shared_from_this()](const boost::system::error_code &error) {
			                       if (finished())
				                       return;
			                       if (error)
				                       finish(failure("connection error to", error));
			                       else
				                       handshake();
		                       });
	}

	void handshake()
	{
		if constexpr (kTls) {
			const std::string &host = urlVirtualhost(check_, url());
			if (check_.enableSni && !host.empty())
				SSL_set_tlsext_host_name(stream_->native_handle(), host.c_str());
			stage("TLS handshake");
			stream_->async_handshake(
			        asio::ssl::stream_base::client,
			        [this, self = shared_from_this()](const boost::system::error_code &error) {
				        if (finished())
					        return;
				        if (error)
					        finish(failure("SSL handshake error to", error));
				        else
					        send();
			        });
		} else {
			send();
		}
	}

	void send()
	{
		stage("request");
		asio::async_write(
		        *stream_, asio::buffer(request_),
		        [this, self = shared_from_this()](const boost::system::error_code &error, std::size_t) {
			        if (finished())
				        return;
			        if (error)
				        finish(failure("write error to", error));
			        else
				        read();
		        });
	}

	void read()
	{
		stage("response");
		stream_->async_read_some(
		        asio::buffer(buffer_),
		        [this, self = shared_from_this()](const boost::system::error_code &error, std::size_t size) {
			        if (finished())
				        return;
			        if (size > 0)
				        reader_->feed({buffer_.data(), size});
			        if (reader_->status() == HttpResponseReader::Status::kNeedMore && error) {
				        if (!isEof(error)) {
					        finish(failure("read error from", error));
					        return;
				        }
				        reader_->finishAtEof();
			        }
			        if (reader_->status() == HttpResponseReader::Status::kNeedMore)
				        read();
			        else
				        judge();
		        });
	}

	static bool isEof(const boost::system::error_code &error)
	{
		// A TLS peer that closes without close_notify ends the body as a
		// plain one would; keepalived does not insist on it either.
		return error == asio::error::eof || error == asio::ssl::error::stream_truncated;
	}

	void judge()
	{
		if (observer_ && reader_->done())
			observer_(url(), *reader_);
		auto result = judgeHttpResponse(url(), *reader_, endpoint_);
		if (!result.ok) {
			finish(std::move(result));
			return;
		}
		detail_ = std::move(result.detail);
		++index_;
		nextUrl();
	}

	void closeAll() override
	{
		if (!stream_)
			return;
		boost::system::error_code ignored;
		socket().close(ignored);
	}

	std::shared_ptr<asio::ssl::context> ssl_;
	tcp::endpoint remote_;
	config::CheckerEndpoint options_;
	config::HttpCheck check_;
	config::IpAddress address_;
	std::uint16_t port_;
	std::string endpoint_;
	std::optional<std::size_t> only_;
	HttpObserver observer_;

	std::vector<std::size_t> urls_; // indexes into check_.urls
	std::size_t index_ = 0;
	std::string detail_;
	std::unique_ptr<Stream> stream_; // one per url
	std::unique_ptr<HttpResponseReader> reader_;
	std::string request_;
	std::array<char, 16 * 1024> buffer_{};
};

} // namespace

std::shared_ptr<ProbeSession> makeHttpSession(ProbeContext &context, const ProbeRequest &request, HttpObserver observer)
{
	if (request.checker.type == config::CheckerType::kSsl)
		return std::make_shared<HttpSession<true>>(context, request, std::move(observer));
	return std::make_shared<HttpSession<false>>(context, request, std::move(observer));
}

} // namespace vigil::checkers
