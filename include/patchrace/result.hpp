// Result: what one replicate produced: reported time series and figures of merit.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "patchrace/scenario.hpp"

namespace patchrace {

/// The reported series, in the order they are stored and written.
/// Counts of hosts at the reported instant unless said otherwise.
enum class Series : int {
  kSusceptible = 0,     // S: vulnerable, not infected, not patched
  kInfected,            // I: infected and scanning (whether or not patched since)
  kPatched,             // P: patched before being infected; immune
  kCleaned,             // C: was infected, worm removed (and patched)
  kNewInfections,       // infections in (previous report, this report]; at t = 0 the seeds
  kCumulativeInfected,  // hosts ever infected up to this report, seeds included
  kBroken,              // B: broken by a bad patch, offline until rolled back
  kOutageHostHours,     // host-hours spent in B since the patch's release, up to this report
};
inline constexpr int kSeriesCount = 8;

/// The series reported per management group (with population.groups), in order.
/// Counts of the group's hosts at the reported instant.
enum class GroupSeries : int {
  kVulnerable = 0,  // unpatched: S, I (unpatched), offline, B
  kPatched,         // P, I (patched) and C
  kInfected,        // I, patched or not
  kCleaned,         // C
  kBroken,          // B
};
inline constexpr int kGroupSeriesCount = 5;

/// Name of a group series as written in CSV output ("vulnerable", ...).
[[nodiscard]] const char* group_series_name(GroupSeries series);

/// Name of a series as written in CSV output ("susceptible", "new_infections", ...).
[[nodiscard]] const char* series_name(Series series);

/// The reported instants of a run, in seconds: 0, interval, 2 interval, ... while
/// below `run.duration`, then `run.duration` itself (always reported).
[[nodiscard]] std::vector<double> report_times(const RunSpec& run);

/// Number of reported instants, report_times(run).size(), without allocating.
[[nodiscard]] std::size_t report_point_count(const RunSpec& run);

/// Reported values: `values[s][k]` is series s at `time[k]`.
struct TimeSeries {
  std::vector<double> time;                 // seconds since the worm's start; 0, dt, 2 dt, ..., duration
  std::vector<std::vector<double>> values;  // kSeriesCount rows, each time.size() long
  /// Per management group (only with population.groups; in their order):
  /// `group_values[g][s][k]` is GroupSeries s of group g at `time[k]`.
  std::vector<std::vector<std::vector<double>>> group_values;
  /// Per deployment ring of every central service (services in order, rings in
  /// order): hosts the ring's deployment has patched up to `time[k]`, cumulative.
  std::vector<std::vector<double>> ring_patched;

  [[nodiscard]] const std::vector<double>& operator[](Series s) const {
    return values[static_cast<int>(s)];
  }
  [[nodiscard]] const std::vector<double>& of_group(std::size_t group, GroupSeries s) const {
    return group_values[group][static_cast<int>(s)];
  }
  bool operator==(const TimeSeries&) const = default;
};

/// Figures of one management group (the whole population, "all", without groups).
struct GroupFigures {
  std::string name;
  std::uint64_t hosts = 0;               // hosts in the group
  double patched_at_start = 0.0;         // share of them patched (P, I patched, C) at t = 0
  /// Measured half-life of the group's vulnerable population: seconds from the
  /// release until half of its hosts were patched (first reached); absent if never.
  std::optional<double> half_life = {};
  std::uint64_t infected = 0;            // hosts ever infected, seeds included
  std::uint64_t final_patched = 0;       // P, I (patched) and C at the end
  std::uint64_t final_cleaned = 0;       // C at the end
  std::uint64_t breaks = 0;              // hosts broken by the bad patch (each break counted)
  double outage_host_hours = 0.0;        // host-hours in B from the release to the end
  bool operator==(const GroupFigures&) const = default;
};

/// Names of the deployment rings, "service/ring", in the order of ring_patched.
[[nodiscard]] std::vector<std::string> ring_labels(const Scenario& scenario);

/// Names of the management groups, in order ("all" without population.groups).
[[nodiscard]] std::vector<std::string> group_labels(const Scenario& scenario);

/// Figures of merit of one replicate.
struct Figures {
  std::uint64_t vulnerable = 0;          // hosts in the population
  std::uint64_t final_infected = 0;      // hosts in state I at the end
  std::uint64_t total_infected = 0;      // hosts ever infected, seeds included
  std::uint64_t final_patched = 0;       // hosts in state P at the end
  std::uint64_t final_cleaned = 0;       // hosts in state C at the end
  std::uint64_t peak_new_per_minute = 0; // most infections in one minute [60k, 60k+60) s
  double peak_minute_start = 0.0;        // seconds: start of that minute
  std::optional<double> time_to_10 = {};  // seconds until 10 % of vulnerable hosts were ever infected
  std::optional<double> time_to_50 = {};  // ... 50 %
  std::optional<double> time_to_90 = {};  // ... 90 %
  double probes = 0.0;                   // probes the infected hosts sent (expected value given the path)
  std::uint64_t crashes = 0;             // hosts crashed by failed exploits (each crash counted)
  std::uint64_t sweeps_started = 0;      // sequential scanning: sweeps started (one per infection)
  std::uint64_t local_sweeps = 0;        // ... of which started in the scanner's own /16
  std::uint64_t events = 0;              // state-changing events processed
  std::uint64_t breaks = 0;              // hosts broken by the bad patch (each break counted)
  double outage_host_hours = 0.0;        // host-hours in B from the release to the end
  double patched_at_start = 0.0;         // share of all hosts patched at t = 0
  std::vector<GroupFigures> groups;      // per management group (one, "all", without groups)
  bool operator==(const Figures&) const = default;
};

/// One replicate's output.
struct Result {
  std::uint64_t replicate = 0;
  std::uint64_t seed = 0;
  TimeSeries series;
  Figures figures;
  double wall_seconds = 0.0;  // wall time of the simulation itself (not compared by ==)

  bool operator==(const Result& o) const {
    return replicate == o.replicate && seed == o.seed && series == o.series && figures == o.figures;
  }
};

}  // namespace patchrace
