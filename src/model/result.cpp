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
    case Series::kBroken: return "broken";
    case Series::kOutageHostHours: return "outage_host_hours";
  }
  return "unknown";
}

const char* group_series_name(GroupSeries series) {
  switch (series) {
    case GroupSeries::kVulnerable: return "vulnerable";
    case GroupSeries::kPatched: return "patched";
    case GroupSeries::kInfected: return "infected";
    case GroupSeries::kCleaned: return "cleaned";
    case GroupSeries::kBroken: return "broken";
  }
  return "unknown";
}

std::vector<std::string> ring_labels(const Scenario& scenario) {
  std::vector<std::string> labels;
  if (!scenario.patching.enabled) return labels;
  for (const auto& service : scenario.patching.services) {
    if (service.rings.empty()) {
      labels.push_back(service.name + "/all");
    } else {
      for (const auto& ring : service.rings) labels.push_back(service.name + "/" + ring.name);
    }
  }
  return labels;
}

std::vector<std::string> group_labels(const Scenario& scenario) {
  std::vector<std::string> labels;
  for (const auto& group : scenario.population.groups) labels.push_back(group.name);
  if (labels.empty()) labels.emplace_back("all");
  return labels;
}

}  // namespace patchrace
