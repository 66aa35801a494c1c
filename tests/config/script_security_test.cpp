#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/fakes/load_snippet.h"

namespace vigil::testing {
namespace {

// A host like the one the cases were probed on: /bin/true and
// /usr/bin/true are root's, /tmp/ss/s.sh sits in a world-writable
// directory, there is no keepalived_script user.
const FakeSystemView &host()
{
	static const FakeSystemView h = [] {
		FakeSystemView v;
		v.addScript("/bin/true");
		v.addScript("/usr/bin/true");
		v.addScript("/tmp/ss/s.sh", /*unsafe=*/true);
		return v;
	}();
	return h;
}

const char *const kInstance =
        "vrrp_instance V {\n interface eth0\n virtual_router_id 1\n virtual_ipaddress {\n 192.0.2.1\n }\n";

struct SecurityCase {
	const char *name;
	std::string config;
	std::vector<std::string> messages;
	int exitStatus;
};

class ScriptSecurity : public ::testing::TestWithParam<SecurityCase>
{
};

// Each case is what keepalived 2.2.7 -t printed and returned.
TEST_P(ScriptSecurity, AsKeepalived)
{
	const auto &c = GetParam();
	auto r = loadSnippet(c.config, host());
	EXPECT_THAT(messages(r), ::testing::ElementsAreArray(c.messages)) << c.config;
	EXPECT_EQ(r.diagnostics.exitStatus(), c.exitStatus) << c.config;
}

std::string withTrackScript(const std::string &global, const std::string &script)
{
	return global + "vrrp_script c {\n script " + script + "\n}\n" + kInstance + " track_script {\n c\n }\n}\n";
}

std::string withNotify(const std::string &global, const std::string &script)
{
	return global + kInstance + " notify_master " + script + "\n}\n";
}

std::string withMisc(const std::string &global, const std::string &script)
{
	return global +
	       "virtual_server 192.0.2.1 80 {\n protocol TCP\n lb_kind DR\n lb_algo rr\n real_server 192.0.2.2 80 {\n"
	       "  MISC_CHECK {\n   misc_path " +
	       script + "\n  }\n }\n}\n";
}

const std::string kSecure = "global_defs {\n enable_script_security\n}\n";
const std::string kSecureRoot = "global_defs {\n enable_script_security\n script_user root\n}\n";
const std::string kRoot = "global_defs {\n script_user root\n}\n";

INSTANTIATE_TEST_SUITE_P(
        Probed, ScriptSecurity,
        ::testing::Values(
                SecurityCase{"MissingTrackScript",
                             withTrackScript("", "\"/nonexistent/x.sh\""),
                             {"Disabling track script c since not found/accessible"},
                             5},
                SecurityCase{"TrackScriptAsRoot",
                             withTrackScript("", "/bin/true"),
                             {"SECURITY VIOLATION - scripts are being executed but script_security not enabled."},
                             6},
                SecurityCase{"ExplicitRootUserToo",
                             withTrackScript("", "/bin/true\n user root"),
                             {"SECURITY VIOLATION - scripts are being executed but script_security not enabled."},
                             6},
                SecurityCase{"UntrackedScriptDoesNotRun", "vrrp_script c {\n script /bin/true\n}\n", {}, 0},
                SecurityCase{"NotifyAsRoot",
                             withNotify("", "/bin/true"),
                             {"SECURITY VIOLATION - scripts are being executed but script_security not enabled."},
                             6},
                SecurityCase{"NotifyFoundInPath",
                             withNotify("", "\"true arg\""),
                             {"SECURITY VIOLATION - scripts are being executed but script_security not enabled."},
                             6},
                SecurityCase{"MissingNotifyDoesNotCount", withNotify(kRoot, "/nonexistent/x.sh"), {}, 0},
                SecurityCase{"MiscCheckAsRoot",
                             withMisc("", "/bin/true"),
                             {"SECURITY VIOLATION - check scripts are being executed but script_security not enabled."},
                             6},
                SecurityCase{"SecureWithRootUser", withNotify(kSecureRoot, "/bin/true"), {}, 0},
                SecurityCase{"SecureRootNotifyInWritableDirectory", withNotify(kSecureRoot, "/tmp/ss/s.sh"), {}, 0},
                SecurityCase{"SecureRootTrackScriptInWritableDirectory",
                             withTrackScript(kSecureRoot, "/tmp/ss/s.sh"),
                             {"Disabling track script c due to insecure"},
                             5},
                SecurityCase{"SecureWithoutDefaultUserDropsTrackScript",
                             withTrackScript(kSecure, "/bin/true"),
                             {"6: Unable to set default user keepalived_script for script",
                              "6: Unable to set default user for vrrp script c - removing",
                              "14: (V) track script c not found, ignoring..."},
                             5},
                SecurityCase{"SecureWithoutDefaultUserNotify",
                             withNotify(kSecure, "/tmp/ss/s.sh"),
                             {"10: Unable to set default user keepalived_script for script"},
                             5},
                SecurityCase{"SecureWithoutDefaultUserDropsMiscCheck",
                             withMisc(kSecure, "/bin/true"),
                             {"11: Unable to set default user keepalived_script for script",
                              "11: Unable to set default user for misc script '/bin/true' - removing"},
                             5}),
        [](const auto &info) { return std::string(info.param.name); });

TEST(ScriptSecurity, BothSidesReportCheckersFirst)
{
	auto r = loadSnippet(withMisc("", "/bin/true") + kInstance + " notify_master /bin/true\n}\n", host());
	EXPECT_THAT(messages(r),
	            ::testing::ElementsAre(
	                    "SECURITY VIOLATION - check scripts are being executed but script_security not enabled.",
	                    "SECURITY VIOLATION - scripts are being executed but script_security not enabled."));
	EXPECT_EQ(r.diagnostics.exitStatus(), 6);
}

TEST(ScriptSecurity, NonRootScriptUserIsNoViolation)
{
	// keepalived -t kills itself here (SIGTERM, status 143); vigil says
	// what keepalived means: nothing runs as root.
	auto r = loadSnippet(withNotify("global_defs {\n script_user nobody\n}\n", "/bin/true"), host());
	EXPECT_THAT(messages(r), ::testing::ElementsAre());
	EXPECT_EQ(r.diagnostics.exitStatus(), 0);
}

} // namespace
} // namespace vigil::testing
