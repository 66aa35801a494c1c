#include "exec/error.h"

#include <cstring>

namespace vigil::exec {

Error systemError(int code, const std::string &what)
{
	return {code, what + ": " + std::strerror(code)};
}

} // namespace vigil::exec
