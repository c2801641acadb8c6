#include "patchrace/result.hpp"

#include <cmath>

namespace patchrace {

std::size_t report_point_count(const RunSpec& run) {
  // Grid points k * interval strictly below the duration (with a relative
  // tolerance so that a duration that is a multiple of the interval is not
  // reported twice), then the duration itself.
  const double steps = run.duration / run.report_interval;
  const double below = std::ceil(steps * (1.0 - 1e-12));
  return static_cast<std::size_t>(below) + 1;
}

std::vector<double> report_times(const RunSpec& run) {
  const std::size_t points = report_point_count(run);
  std::vector<double> times(points);
  for (std::size_t k = 0; k + 1 < points; ++k) times[k] = static_cast<double>(k) * run.report_interval;
  times[points - 1] = run.duration;
  return times;
}

const char* series_name(Series series) {
  switch (series) {
    case Series::kSusceptible: return "susceptible";
    case Series::kInfected: return "infected";
    case Series::kPatched: return "patched";
    case Series::kCleaned: return "cleaned";
    case Series::kNewInfections: return "new_infections";
    case Series::kCumulativeInfected: return "cumulative_infected";
  }
  return "unknown";
}

}  // namespace patchrace
