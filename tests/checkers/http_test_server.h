#pragma once

// Peers for the HTTP_GET / SSL_GET session tests, on 127.0.0.1 ephemeral
// ports in the test's own io_context: a good server, and the bad ones a
// health checker meets (silent, garbage, trickling, endless, not TLS).

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace vigil::checkers::testing {

namespace asio = boost::asio;
using asio::ip::tcp;

// What a peer does with one accepted connection. Plain and TLS sockets
// share them through this small stream interface.
class PeerStream
{
public:
	virtual ~PeerStream() = default;
	virtual void readRequest(std::function<void(std::string)> then) = 0;
	virtual void write(std::string data, std::function<void(bool ok)> then) = 0;
	virtual void close() = 0;
};

using Behaviour = std::function<void(std::shared_ptr<PeerStream>)>;

class TestServer
{
public:
	// `tls`: a TLS server with that context; null: plain TCP.
	TestServer(asio::io_context &io, Behaviour behaviour, std::shared_ptr<asio::ssl::context> tls = nullptr);
	~TestServer();
	std::uint16_t port() const { return port_; }
	// Requests seen so far, and the SNI names of TLS handshakes.
	const std::vector<std::string> &requests() const { return *requests_; }
	const std::vector<std::string> &serverNames() const { return *serverNames_; }
	int accepted() const { return *accepted_; }

private:
	void accept();

	asio::io_context &io_;
	tcp::acceptor acceptor_;
	Behaviour behaviour_;
	std::shared_ptr<asio::ssl::context> tls_;
	std::uint16_t port_ = 0;
	std::shared_ptr<std::vector<std::string>> requests_ = std::make_shared<std::vector<std::string>>();
	std::shared_ptr<std::vector<std::string>> serverNames_ = std::make_shared<std::vector<std::string>>();
	std::shared_ptr<int> accepted_ = std::make_shared<int>(0);
	std::vector<std::shared_ptr<PeerStream>> peers_; // kept open until the server goes
};

// Reads the request, answers `response`, closes.
Behaviour answer(std::string response);
// Reads the request, answers from a function of the request's path.
Behaviour answerByPath(std::function<std::string(const std::string &path)> response);
// Accepts and never reads or writes.
Behaviour silent();
// Reads the request and writes `response` one byte every `interval`.
Behaviour trickle(asio::io_context &io, std::string response, std::chrono::milliseconds interval);
// Reads the request, sends a header without a length, then body forever.
Behaviour endless();

// A throw-away self-signed certificate (CN=localhost) and key, made with
// the openssl command in a temporary directory removed on destruction.
class SelfSignedCert
{
public:
	SelfSignedCert();
	~SelfSignedCert();
	bool ok() const { return ok_; }
	std::string certFile() const { return (dir_ / "cert.pem").string(); }
	std::string keyFile() const { return (dir_ / "key.pem").string(); }
	std::shared_ptr<asio::ssl::context> serverContext() const;

private:
	std::filesystem::path dir_;
	bool ok_ = false;
};

// Entries in /proc/self/fd.
int openDescriptors();

} // namespace vigil::checkers::testing
