#include "ipvs/ipvs_types.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>

#include "ipvs/ipvs_client.h"

namespace vigil::ipvs {

std::optional<Address> Address::parse(const std::string &text)
{
	Address a;
	if (::inet_pton(AF_INET, text.c_str(), a.bytes.data()) == 1) {
		a.family = AF_INET;
		return a;
	}
	if (::inet_pton(AF_INET6, text.c_str(), a.bytes.data()) == 1) {
		a.family = AF_INET6;
		return a;
	}
	return std::nullopt;
}

std::string Address::str() const
{
	char buf[INET6_ADDRSTRLEN] = {};
	if (family != AF_INET && family != AF_INET6)
		return "?";
	::inet_ntop(family, bytes.data(), buf, sizeof buf);
	return buf;
}

std::string ServiceKey::str() const
{
	if (fwmark)
		return fmt::format("-f {}", fwmark);
	const char *flag = protocol == IPPROTO_TCP ? "-t" : protocol == IPPROTO_UDP ? "-u" : "--sctp-service";
	if (family == AF_INET6)
		return fmt::format("{} [{}]:{}", flag, address.str(), port);
	return fmt::format("{} {}:{}", flag, address.str(), port);
}

std::string Operation::str() const
{
	std::string dest = destination.key.address.family == AF_INET6
	                           ? fmt::format("[{}]:{}", destination.key.address.str(), destination.key.port)
	                           : fmt::format("{}:{}", destination.key.address.str(), destination.key.port);
	switch (kind) {
	case Kind::kAddService:
		return "add service " + service.key.str();
	case Kind::kEditService:
		return "edit service " + service.key.str();
	case Kind::kDeleteService:
		return "delete service " + service.key.str();
	case Kind::kAddDestination:
		return fmt::format("add destination {} to {}", dest, service.key.str());
	case Kind::kEditDestination:
		return fmt::format("edit destination {} of {}", dest, service.key.str());
	case Kind::kDeleteDestination:
		return fmt::format("delete destination {} from {}", dest, service.key.str());
	}
	return "?";
}

} // namespace vigil::ipvs
