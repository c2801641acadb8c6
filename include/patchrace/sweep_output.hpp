// Writing the results of a parameter sweep (patchrace sweep): one ensemble per value.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "patchrace/output.hpp"
#include "patchrace/result.hpp"
#include "patchrace/scenario_file.hpp"

namespace patchrace {

/// The replicates of every point of a sweep: `results[i]` ran `sweep.scenarios[i]`.
struct SweepResults {
  std::vector<std::vector<Result>> results;
};

/// The CSV text of sweep.csv: header
/// `value,replicate,total_infected,final_infected,final_patched,final_cleaned,time_to_50_s,`
/// `patched_at_start,breaks,outage_host_hours`, one row per value (in the sweep's order,
/// as written in the file) and replicate. A time never reached is an empty field.
[[nodiscard]] std::string sweep_csv(const ScenarioSweep& sweep, const SweepResults& results);

/// The JSON text of sweep.json: the swept key, the seed and its source, the base scenario
/// echoed as in summary.json, and per value its label and the ensemble statistics of
/// summary.json's "ensemble".
[[nodiscard]] std::string sweep_json(const ScenarioSweep& sweep, const SweepResults& results,
                                     std::uint64_t seed, SeedSource source);

/// The table `patchrace sweep` prints: one line per value with the medians over the
/// replicates of hosts ever infected, share patched at the start, time to 50 % infected,
/// bad-patch breaks and outage host-hours.
[[nodiscard]] std::string sweep_text(const ScenarioSweep& sweep, const SweepResults& results,
                                     std::uint64_t seed, double wall_seconds);

/// Writes `dir`/sweep.csv and `dir`/sweep.json (sweep_json() with "outputs" added, listing
/// sweep.csv), whole and together as write_outputs() does, sweep.json renamed last; removes
/// the stale temporaries of these names first. Throws patchrace::UsageError if `dir` cannot
/// be created or written.
void write_sweep_outputs(const std::string& dir, const ScenarioSweep& sweep,
                         const SweepResults& results, std::uint64_t seed, SeedSource source);

}  // namespace patchrace
