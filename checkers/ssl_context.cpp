#include "checkers/ssl_context.h"

#include <fmt/format.h>

namespace vigil::checkers {

namespace ssl = boost::asio::ssl;

std::expected<std::shared_ptr<ssl::context>, std::string> makeSslContext(const std::optional<config::SslConfig> &config)
{
	auto context = std::make_shared<ssl::context>(ssl::context::tls_client);
	boost::system::error_code error;
	context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3,
	                     error);
	context->set_verify_mode(ssl::verify_none, error);
	if (!config)
		return context;

	if (!config->password.empty()) {
		context->set_password_callback(
		        [password = config->password](std::size_t, ssl::context::password_purpose) { return password; },
		        error);
	}
	if (!config->certificate.empty()) {
		context->use_certificate_chain_file(config->certificate, error);
		if (error)
			return std::unexpected(
			        fmt::format("SSL certificate {}: {}", config->certificate, error.message()));
	}
	if (!config->key.empty()) {
		context->use_private_key_file(config->key, ssl::context::pem, error);
		if (error)
			return std::unexpected(fmt::format("SSL key {}: {}", config->key, error.message()));
	}
	if (!config->ca.empty()) {
		context->load_verify_file(config->ca, error);
		if (error)
			return std::unexpected(fmt::format("SSL ca {}: {}", config->ca, error.message()));
		context->set_verify_mode(ssl::verify_peer, error);
	}
	return context;
}

} // namespace vigil::checkers
