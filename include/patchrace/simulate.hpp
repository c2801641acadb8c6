// Running one replicate of a scenario.
#pragma once

#include <cstdint>

#include "patchrace/result.hpp"
#include "patchrace/scenario.hpp"

namespace patchrace {

/// Runs replicate `replicate` of `scenario` with the given seed and returns its
/// time series and figures. Exact event-driven simulation: its cost grows with
/// state-changing events (infections, patches, cleanups), not with probes sent.
/// Deterministic: the same (scenario, seed, replicate) gives a bit-identical Result
/// on any machine, thread or process. Thread-safe: touches no shared state.
/// Throws patchrace::InvalidScenario if the scenario fails validate().
[[nodiscard]] Result simulate(const Scenario& scenario, std::uint64_t seed, std::uint64_t replicate);

}  // namespace patchrace
