#include "netlink/address_client.h"

#include <cstring>
#include <fmt/format.h>
#include <linux/if_addr.h>
#include <sys/socket.h>

namespace vigil::netlink {

std::uint32_t keptAddressFlags(int family)
{
	// IPv4 refuses MCAUTOJOIN for a unicast address; IPv6 keeps OPTIMISTIC
	// only with the optimistic_dad sysctl (0 by default).
	if (family == AF_INET)
		return IFA_F_NOPREFIXROUTE | IFA_F_MCAUTOJOIN;
	return IFA_F_NODAD | IFA_F_HOMEADDRESS | IFA_F_MANAGETEMPADDR | IFA_F_NOPREFIXROUTE | IFA_F_MCAUTOJOIN;
}

std::string InterfaceAddress::str() const
{
	std::string s = prefix.str();
	if (peer)
		s += " peer " + peer->str();
	if (broadcast)
		s += " brd " + broadcast->str();
	if (scope != 0)
		s += fmt::format(" scope {}", scope);
	if (!label.empty())
		s += " label " + label;
	static const std::pair<std::uint32_t, const char *> kNames[] = {
	        {IFA_F_SECONDARY, "secondary"},       {IFA_F_NODAD, "nodad"},
	        {IFA_F_OPTIMISTIC, "optimistic"},     {IFA_F_DADFAILED, "dadfailed"},
	        {IFA_F_HOMEADDRESS, "home"},          {IFA_F_DEPRECATED, "deprecated"},
	        {IFA_F_TENTATIVE, "tentative"},       {IFA_F_PERMANENT, "permanent"},
	        {IFA_F_MANAGETEMPADDR, "mngtmpaddr"}, {IFA_F_NOPREFIXROUTE, "noprefixroute"},
	        {IFA_F_MCAUTOJOIN, "autojoin"},       {IFA_F_STABLE_PRIVACY, "stable-privacy"},
	};
	std::uint32_t rest = flags;
	for (auto [bit, name] : kNames) {
		if (rest & bit) {
			s += ' ';
			s += name;
			rest &= ~bit;
		}
	}
	if (rest)
		s += fmt::format(" flags {:#x}", rest);
	return s + fmt::format(" (ifindex {})", ifindex);
}

AddressError AddressError::fromErrno(int errnum)
{
	return {errnum, std::strerror(errnum)};
}

} // namespace vigil::netlink
