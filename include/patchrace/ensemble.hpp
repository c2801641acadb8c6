// Running every replicate of a scenario, in parallel on one machine.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "patchrace/result.hpp"
#include "patchrace/scenario.hpp"

namespace patchrace {

/// Called after each finished replicate with (finished, total). Called from worker
/// threads, one call at a time.
using ProgressCallback = std::function<void(std::uint32_t finished, std::uint32_t total)>;

/// Runs replicates 0 .. scenario.run.replicates-1 with `seed` on up to `threads`
/// threads (0: one per hardware thread). Results are ordered by replicate and each
/// is identical to simulate(scenario, seed, replicate) whatever the thread count.
/// Throws patchrace::InvalidScenario if the scenario fails validate().
[[nodiscard]] std::vector<Result> run_ensemble(const Scenario& scenario, std::uint64_t seed,
                                               unsigned threads = 0,
                                               const ProgressCallback& progress = {});

}  // namespace patchrace
