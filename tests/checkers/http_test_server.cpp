#include "tests/checkers/http_test_server.h"

#include <cstdlib>
#include <fmt/format.h>
#include <openssl/ssl.h>

namespace vigil::checkers::testing {
namespace {

template <typename Stream>
class StreamPeer final : public PeerStream, public std::enable_shared_from_this<StreamPeer<Stream>>
{
public:
	template <typename... Args>
	explicit StreamPeer(std::shared_ptr<std::vector<std::string>> requests, Args &&...args)
	        : requests_(std::move(requests)), stream_(std::forward<Args>(args)...)
	{
	}
	Stream &stream() { return stream_; }

	void readRequest(std::function<void(std::string)> then) override
	{
		asio::async_read_until(stream_, asio::dynamic_buffer(in_, 64 * 1024), "\r\n\r\n",
		                       [self = this->shared_from_this(), then](const boost::system::error_code &error,
		                                                               std::size_t size) {
			                       if (error)
				                       return;
			                       self->requests_->push_back(self->in_.substr(0, size));
			                       then(self->in_.substr(0, size));
		                       });
	}
	void write(std::string data, std::function<void(bool)> then) override
	{
		auto buffer = std::make_shared<std::string>(std::move(data));
		asio::async_write(stream_, asio::buffer(*buffer),
		                  [self = this->shared_from_this(), buffer,
		                   then](const boost::system::error_code &error, std::size_t) { then(!error); });
	}
	void close() override
	{
		boost::system::error_code ignored;
		stream_.lowest_layer().close(ignored);
	}

private:
	std::shared_ptr<std::vector<std::string>> requests_;
	Stream stream_;
	std::string in_;
};

using TlsStream = asio::ssl::stream<tcp::socket>;

} // namespace

TestServer::TestServer(asio::io_context &io, Behaviour behaviour, std::shared_ptr<asio::ssl::context> tls)
        : io_(io), acceptor_(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)),
          behaviour_(std::move(behaviour)), tls_(std::move(tls))
{
	port_ = acceptor_.local_endpoint().port();
	if (tls_) {
		// Records the SNI name the client sent.
		SSL_CTX_set_tlsext_servername_arg(tls_->native_handle(), serverNames_.get());
		SSL_CTX_set_tlsext_servername_callback(
		        tls_->native_handle(), +[](SSL *ssl, int *, void *arg) {
			        const char *name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
			        static_cast<std::vector<std::string> *>(arg)->push_back(name ? name : "");
			        return SSL_TLSEXT_ERR_OK;
		        });
	}
	accept();
}

TestServer::~TestServer()
{
	boost::system::error_code ignored;
	acceptor_.close(ignored);
	for (auto &peer : peers_)
		peer->close();
}

void TestServer::accept()
{
	acceptor_.async_accept([this](const boost::system::error_code &error, tcp::socket socket) {
		if (error)
			return;
		++*accepted_;
		auto behaviour = behaviour_;
		if (tls_) {
			auto peer = std::make_shared<StreamPeer<TlsStream>>(requests_, std::move(socket), *tls_);
			peers_.push_back(peer);
			peer->stream().async_handshake(asio::ssl::stream_base::server,
			                               [peer, behaviour](const boost::system::error_code &e) {
				                               if (!e)
					                               behaviour(peer);
			                               });
		} else {
			auto peer = std::make_shared<StreamPeer<tcp::socket>>(requests_, std::move(socket));
			peers_.push_back(peer);
			behaviour(peer);
		}
		accept();
	});
}

Behaviour answerByPath(std::function<std::string(const std::string &)> response)
{
	return [response](std::shared_ptr<PeerStream> peer) {
		peer->readRequest([peer, response](std::string request) {
			const auto start = request.find(' ') + 1;
			const auto path = request.substr(start, request.find(' ', start) - start);
			peer->write(response(path), [peer](bool) { peer->close(); });
		});
	};
}

Behaviour answer(std::string response)
{
	return answerByPath([response](const std::string &) { return response; });
}

Behaviour silent()
{
	return [](std::shared_ptr<PeerStream>) {};
}

namespace {

void trickleFrom(asio::io_context &io, std::shared_ptr<PeerStream> peer, std::shared_ptr<std::string> rest,
                 std::chrono::milliseconds interval)
{
	if (rest->empty()) {
		peer->close();
		return;
	}
	auto timer = std::make_shared<asio::steady_timer>(io, interval);
	timer->async_wait([&io, peer, rest, interval, timer](const boost::system::error_code &error) {
		if (error)
			return;
		std::string byte = rest->substr(0, 1);
		rest->erase(0, 1);
		peer->write(byte, [&io, peer, rest, interval](bool ok) {
			if (ok)
				trickleFrom(io, peer, rest, interval);
		});
	});
}

void writeForever(std::shared_ptr<PeerStream> peer, int left)
{
	// Bounded anyway: 4096 blocks of 8 KiB is 32 MiB, far past the cap.
	if (left == 0) {
		peer->close();
		return;
	}
	peer->write(std::string(8192, 'x'), [peer, left](bool ok) {
		if (ok)
			writeForever(peer, left - 1);
	});
}

} // namespace

Behaviour trickle(asio::io_context &io, std::string response, std::chrono::milliseconds interval)
{
	return [&io, response, interval](std::shared_ptr<PeerStream> peer) {
		peer->readRequest([&io, peer, response, interval](std::string) {
			trickleFrom(io, peer, std::make_shared<std::string>(response), interval);
		});
	};
}

Behaviour endless()
{
	return [](std::shared_ptr<PeerStream> peer) {
		peer->readRequest([peer](std::string) {
			peer->write("HTTP/1.0 200 OK\r\n\r\n", [peer](bool ok) {
				if (ok)
					writeForever(peer, 4096);
			});
		});
	};
}

SelfSignedCert::SelfSignedCert()
{
	char pattern[] = "/tmp/vigil-http-test-XXXXXX";
	if (!mkdtemp(pattern))
		return;
	dir_ = pattern;
	const auto command = fmt::format("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes "
	                                 "-days 1 -subj /CN=localhost -keyout {} -out {} >/dev/null 2>&1",
	                                 keyFile(), certFile());
	ok_ = std::system(command.c_str()) == 0;
}

SelfSignedCert::~SelfSignedCert()
{
	std::error_code ignored;
	if (!dir_.empty())
		std::filesystem::remove_all(dir_, ignored);
}

std::shared_ptr<asio::ssl::context> SelfSignedCert::serverContext() const
{
	auto context = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_server);
	context->use_certificate_chain_file(certFile());
	context->use_private_key_file(keyFile(), asio::ssl::context::pem);
	return context;
}

int openDescriptors()
{
	int count = 0;
	for ([[maybe_unused]] const auto &entry : std::filesystem::directory_iterator("/proc/self/fd"))
		++count;
	return count;
}

} // namespace vigil::checkers::testing
