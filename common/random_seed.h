#pragma once

// A seed for the random numbers vigil needs that are not secrets (the
// preprocessor's random values, the checkers' warmup spread, DNS ids, UDP
// payloads, ICMP identifiers), taken without waiting for the kernel's
// entropy pool. std::random_device calls getrandom() without flags, which
// blocks until the pool is initialised: at early boot, when keepalived is
// started, that took a second in the test VM (Debian's 6.1 kernel, no
// hardware source) and can take longer on a quiet host.

#include <chrono>
#include <cstdint>
#include <sys/random.h>
#include <unistd.h>

namespace vigil {

inline std::uint64_t nonBlockingSeed()
{
#ifndef GRND_INSECURE
	constexpr unsigned GRND_INSECURE = 0x0004; // Linux 5.6; older kernels say EINVAL
#endif
	std::uint64_t seed = 0;
	if (::getrandom(&seed, sizeof seed, GRND_INSECURE) == sizeof seed)
		return seed;
	if (::getrandom(&seed, sizeof seed, GRND_NONBLOCK) == sizeof seed)
		return seed;
	// No pool yet: the clocks, the process and where the stack is, mixed
	// (splitmix64's finaliser) so that close inputs give distant seeds.
	std::uint64_t x = static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()) ^
	                  static_cast<std::uint64_t>(std::chrono::system_clock::now().time_since_epoch().count()) << 1 ^
	                  static_cast<std::uint64_t>(::getpid()) << 40 ^ reinterpret_cast<std::uintptr_t>(&seed);
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	x ^= x >> 31;
	return x;
}

} // namespace vigil
