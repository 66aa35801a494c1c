#pragma once

// Shell commands for the netns suite. Only for binaries whose main is
// netns_main.cpp: that main has moved the process into a network namespace
// of its own before any of these run.

#include <string>

namespace vigil::netlink::testing {

// Runs `command` with /bin/sh; aborts the test binary when it fails.
void run(const std::string &command);
// Runs `command`, its output and status ignored.
void runQuietly(const std::string &command);

} // namespace vigil::netlink::testing
