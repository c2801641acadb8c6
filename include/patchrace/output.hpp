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

/// The name a seed source is written with: "scenario", "command-line", "picked".
[[nodiscard]] const char* seed_source_name(SeedSource source);

/// Writes `dir`/timeseries.csv (see timeseries_csv()) and `dir`/summary.json (see
/// summary_json(), with "outputs" added last: {"run_id", "files": [{"name", "bytes",
/// "lines", "fnv1a_64"}]}, the files of this run). Creates `dir` if needed and first removes
/// the temporaries "<name>.tmp-<pid>" of these two names left there by processes that no
/// longer exist. Both files are written whole under temporary names before either is
/// renamed; the old summary.json is removed first and the new one renamed last, so a
/// summary.json present always lists the files of its own run.
/// Throws patchrace::UsageError if `dir` cannot be created or written.
void write_outputs(const std::string& dir, const Scenario& scenario,
                   const std::vector<Result>& results, std::uint64_t seed, SeedSource source);

/// The JSON text of summary.json: the scenario echoed back under the keys of its TOML form
/// (times in seconds, except a service's working_hours ["HH:MM", "HH:MM"] and run.clock
/// "Mon 16:00"), the seed and its source, the figures of each replicate (patchrace::Figures
/// with "groups": one object per GroupFigures) and their mean, min, median and max across
/// the replicates ("ensemble", with "groups": the same statistics per group name).
/// Optional times (time_to_10 ..., a group's half_life) are null when never reached; their
/// ensemble statistics are over the replicates that reached them, counted by "reached".
[[nodiscard]] std::string summary_json(const Scenario& scenario, const std::vector<Result>& results,
                                       std::uint64_t seed, SeedSource source);

/// The CSV text of timeseries.csv: header `replicate,time_s,series,group,value`, then for
/// each replicate and reported time one row per series: the global series (series_name(),
/// group "all"), then, when the result has group_values, each management group's series
/// (group_series_name(): vulnerable, patched, infected, cleaned, broken; group: its name),
/// then one `ring_patched` row per deployment ring (group: "service/ring", ring_labels()).
/// `time_s` in seconds; whole values are written as integers, others as the shortest text
/// that reads back to the same double. Groups and rings are named from `scenario`
/// (group_labels(), ring_labels()); rows a result lacks, or that the scenario has no name
/// for, are left out rather than failing.
[[nodiscard]] std::string timeseries_csv(const Scenario& scenario,
                                         const std::vector<Result>& results);

/// A short human-readable summary: final infected, peak new infections per minute,
/// time to 10/50/90 % infected, share patched at the start (with patching), patched
/// count, cleaned (with cleanup), bad-patch breaks and outage host-hours (with a bad
/// patch), wall time; medians and ranges when there are several replicates. With patching
/// or management groups it ends with a table of the groups (medians over the replicates):
/// hosts, share patched at start, measured half-life ("never" if not reached, "—" without
/// patching), ever infected (and % of the group), patched at end, cleaned (with cleanup),
/// breaks and outage host-hours (with a bad patch).
[[nodiscard]] std::string summary_text(const Scenario& scenario, const std::vector<Result>& results,
                                       std::uint64_t seed, double wall_seconds);

}  // namespace patchrace
