// Writing results: tidy CSV time series, JSON summary, human summary.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "patchrace/result.hpp"
#include "patchrace/scenario.hpp"

namespace patchrace {

/// Where a run's seed came from, recorded in every output.
enum class SeedSource { kScenario, kCommandLine, kPicked };

/// Writes `dir`/timeseries.csv (columns replicate,time_s,series,value; one row per
/// reported time x series x replicate) and `dir`/summary.json (scenario echoed
/// back, seed and its source, figures per replicate and across replicates).
/// Creates `dir` if needed. Each file is written to a temporary name in `dir` and
/// renamed into place, so a reader never sees a partial file.
/// Throws patchrace::UsageError if `dir` cannot be created or written.
void write_outputs(const std::string& dir, const Scenario& scenario,
                   const std::vector<Result>& results, std::uint64_t seed, SeedSource source);

/// The JSON text of summary.json (see write_outputs()).
[[nodiscard]] std::string summary_json(const Scenario& scenario, const std::vector<Result>& results,
                                       std::uint64_t seed, SeedSource source);

/// The CSV text of timeseries.csv (see write_outputs()).
[[nodiscard]] std::string timeseries_csv(const std::vector<Result>& results);

/// A short human-readable summary: final infected, peak new infections per minute,
/// time to 10/50/90 % infected, patched count, wall time; medians and ranges when
/// there are several replicates.
[[nodiscard]] std::string summary_text(const Scenario& scenario, const std::vector<Result>& results,
                                       std::uint64_t seed, double wall_seconds);

}  // namespace patchrace
