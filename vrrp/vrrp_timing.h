#pragma once

// The protocol's timers (RFC 3768 section 6.1, RFC 5798 section 6.1), in
// microseconds so that VRRPv3's centisecond intervals stay exact.

#include <chrono>

namespace vigil::vrrp {

using Duration = std::chrono::microseconds;

// A configured number of seconds (advert_int 0.01, a script's interval),
// rounded to the microsecond.
Duration fromSeconds(double seconds);

// Skew_Time: how much longer a lower-priority backup waits before it
// declares the master down. VRRPv2 fixes it in seconds; VRRPv3 scales it by
// the master's advertisement interval.
Duration skewTime(int version, int priority, Duration masterAdvertInterval);

// Master_Down_Interval = 3 x interval + Skew_Time.
Duration masterDownInterval(int version, int priority, Duration masterAdvertInterval);

} // namespace vigil::vrrp
