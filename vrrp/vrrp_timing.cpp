#include "vrrp/vrrp_timing.h"

#include <cmath>

namespace vigil::vrrp {

Duration fromSeconds(double seconds)
{
	return Duration(static_cast<Duration::rep>(std::llround(seconds * 1e6)));
}

Duration skewTime(int version, int priority, Duration masterAdvertInterval)
{
	const auto weight = static_cast<Duration::rep>(256 - priority);
	if (version == 2)
		return Duration(weight * 1'000'000 / 256);
	return Duration(weight * masterAdvertInterval.count() / 256);
}

Duration masterDownInterval(int version, int priority, Duration masterAdvertInterval)
{
	return 3 * masterAdvertInterval + skewTime(version, priority, masterAdvertInterval);
}

} // namespace vigil::vrrp
