// The naive per-probe simulator: the slow, obviously-correct reference the fast
// engine is checked against. It draws every probe, keeps a dense address → host
// table, and holds every host's patch and cleanup clock in a priority queue.
// Same semantics as patchrace::simulate() (uniform random scanning, exploit
// thinning, patching, cleanup), implemented independently of the engine; only the
// RNG stream and the primitive samplers are shared.
#pragma once

#include <cstdint>

#include "patchrace/result.hpp"
#include "patchrace/scenario.hpp"

namespace patchrace::testing {

/// Largest address space the oracle accepts (a /8): it allocates one table slot per address.
inline constexpr std::uint64_t kNaiveMaxSpace = std::uint64_t{1} << 24;

/// Runs replicate `replicate` of `scenario` by simulating every probe and returns
/// the same series and figures as patchrace::simulate(), from streams
/// (seed, replicate, StreamPurpose::kTest + 1..3), so its draws are independent of
/// the engine's. Differences from the engine's Result, by design:
///  - figures.probes is the number of probes actually sent (an integer), not its
///    expected value given the path; figures.events counts infections (seeds
///    excluded), patches and cleanups that changed a host's state;
///  - peak_new_per_minute counts the seeds as infections in the minute [0, 60).
/// Cost ∝ probes sent: scan_rate × (infected-host seconds). Use small spaces.
/// Preconditions (checked, std::invalid_argument): address space <= kNaiveMaxSpace,
/// 1 <= hosts <= space, enough hosts unpatched at t = 0 for the seeds, seed
/// addresses distinct and inside the space, rates and times positive.
[[nodiscard]] Result naive_simulate(const Scenario& scenario, std::uint64_t seed, std::uint64_t replicate);

}  // namespace patchrace::testing
