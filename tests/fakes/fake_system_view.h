#pragma once

#include <map>
#include <set>
#include <string>

#include "src/config/system_view.h"

namespace vigil::testing {

// A host with the interfaces, users and files a test declares. By default:
// interfaces lo (loopback) and eth0, users root and nobody, no files.
class FakeSystemView final : public config::SystemView
{
public:
	FakeSystemView()
	{
		interfaces_ = {"lo", "eth0"};
		users_ = {{"root", 0}, {"nobody", 65534}};
		groups_ = {{"root", 0}, {"nogroup", 65534}};
	}

	void addInterface(std::string name) { interfaces_.insert(std::move(name)); }
	void addUser(std::string name, uid_t uid) { users_[std::move(name)] = uid; }
	// A root-owned executable that only root can change, unless `unsafe`.
	void addScript(const std::string &path, bool unsafe = false, bool executable = true)
	{
		FileInfo f;
		f.exists = true;
		f.regular = true;
		f.executable = executable;
		f.unsafeWrite = unsafe;
		files_[path] = f;
	}

	bool interfaceExists(const std::string &name) const override { return interfaces_.contains(name); }
	bool interfaceIsLoopback(const std::string &name) const override { return name == "lo"; }
	std::optional<uid_t> userId(const std::string &user) const override
	{
		auto it = users_.find(user);
		return it == users_.end() ? std::nullopt : std::optional<uid_t>(it->second);
	}
	std::optional<gid_t> groupId(const std::string &group) const override
	{
		auto it = groups_.find(group);
		return it == groups_.end() ? std::nullopt : std::optional<gid_t>(it->second);
	}
	bool resolves(const std::string &host) const override { return host == "localhost"; }
	FileInfo file(const std::string &path) const override
	{
		auto it = files_.find(path);
		return it == files_.end() ? FileInfo{} : it->second;
	}

private:
	std::set<std::string> interfaces_;
	std::map<std::string, uid_t> users_;
	std::map<std::string, gid_t> groups_;
	std::map<std::string, FileInfo> files_;
};

} // namespace vigil::testing
