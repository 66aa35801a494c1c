#pragma once

#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace vigil::config {

// What validation needs to know about the host: interfaces, users, script
// files. Read-only; the real one asks the kernel and the password database,
// tests use FakeSystemView.
class SystemView
{
public:
	struct FileInfo {
		bool exists = false;
		bool regular = false;
		bool executable = false; // by its owner
		uid_t owner = 0;
		// Writable by someone other than root: the file itself or any
		// directory above it (keepalived's script security rule).
		bool unsafeWrite = false;
	};

	virtual ~SystemView() = default;
	virtual bool interfaceExists(const std::string &name) const = 0;
	virtual bool interfaceIsLoopback(const std::string &name) const = 0;
	virtual std::optional<uid_t> userId(const std::string &user) const = 0;
	virtual std::optional<gid_t> groupId(const std::string &group) const = 0;
	virtual FileInfo file(const std::string &path) const = 0;
	// A host name resolves to an address (smtp_server, ...).
	virtual bool resolves(const std::string &host) const = 0;
	// Where a command without a '/' is looked for (PATH).
	virtual std::vector<std::string> searchPath() const
	{
		return {"/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"};
	}
};

// The running host: if_nametoindex/SIOCGIFFLAGS, getpwnam, stat.
class HostSystemView final : public SystemView
{
public:
	bool interfaceExists(const std::string &name) const override;
	bool interfaceIsLoopback(const std::string &name) const override;
	std::optional<uid_t> userId(const std::string &user) const override;
	std::optional<gid_t> groupId(const std::string &group) const override;
	FileInfo file(const std::string &path) const override;
	bool resolves(const std::string &host) const override;
	std::vector<std::string> searchPath() const override;
};

} // namespace vigil::config
