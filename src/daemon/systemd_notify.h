#pragma once

// systemd's readiness protocol (sd_notify(3)) without libsystemd: under a
// unit with Type=notify (Debian's keepalived.service), systemd passes
// NOTIFY_SOCKET and waits for READY=1 before it calls the service started;
// RELOADING=1 / READY=1 bracket a reload and STOPPING=1 starts the stop.

#include <string>
#include <string_view>

namespace vigil::daemon {

class SystemdNotifier
{
public:
	// Takes NOTIFY_SOCKET from the environment and removes it, so scripts
	// vigil runs cannot speak for it. Without one, every send is a no-op.
	SystemdNotifier();
	// One datagram, e.g. "READY=1\nSTATUS=..."; false if it could not be sent.
	bool send(std::string_view state) const;
	bool enabled() const { return !socket_.empty(); }

private:
	std::string socket_;
};

} // namespace vigil::daemon
