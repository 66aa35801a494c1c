#pragma once

#include <string>

namespace vigil::exec {

// What went wrong, for the caller that decides to log it: the errno (0 when
// none applies) and a sentence naming the object ("execve /etc/chk.sh: No
// such file or directory").
struct Error {
	int code = 0;
	std::string message;

	bool operator==(const Error &) const = default;
};

// "what: strerror(code)".
Error systemError(int code, const std::string &what);

} // namespace vigil::exec
