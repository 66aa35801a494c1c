#pragma once

// The TLS client context of SSL_GET checkers, from the top-level SSL block.

#include <boost/asio/ssl/context.hpp>
#include <expected>
#include <memory>
#include <optional>
#include <string>

#include "src/config/lvs/lvs.h"

namespace vigil::checkers {

// As keepalived: without an SSL block (or with an empty one) a default
// client context is made, and the server's certificate is not verified.
// `certificate` (a PEM chain) and `key` (PEM, decrypted with `password`)
// give a client certificate. With `ca`, vigil verifies the server's chain
// against that file (SSL_VERIFY_PEER) but not its name: real servers are
// addressed by IP. Errors name the file and OpenSSL's reason.
std::expected<std::shared_ptr<boost::asio::ssl::context>, std::string>
makeSslContext(const std::optional<config::SslConfig> &config);

} // namespace vigil::checkers
