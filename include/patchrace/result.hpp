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
};
inline constexpr int kSeriesCount = 6;

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

  [[nodiscard]] const std::vector<double>& operator[](Series s) const {
    return values[static_cast<int>(s)];
  }
  bool operator==(const TimeSeries&) const = default;
};

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
