// Order statistics of figures across replicates, shared by summary.json and the human summary.
#pragma once

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "patchrace/result.hpp"

namespace patchrace::detail {

/// Order statistics of a sample; all NaN when it is empty.
struct Stats {
  double mean = NAN;
  double min = NAN;
  double median = NAN;
  double max = NAN;
};

/// Mean, min, median (the mean of the middle two for an even count) and max of `values`.
[[nodiscard]] inline Stats stats_of(std::vector<double> values) {
  Stats st;
  if (values.empty()) return st;
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  double sum = 0;
  for (double v : values) sum += v;
  st.mean = sum / static_cast<double>(n);
  st.min = values.front();
  st.max = values.back();
  st.median = n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
  return st;
}

/// Values of one figure across the replicates: `get(figures)` returns std::optional<double>,
/// empty for a replicate that has no value (a time never reached); those are left out.
template <typename Get>
[[nodiscard]] std::vector<double> collect(const std::vector<Result>& results, Get get) {
  std::vector<double> values;
  values.reserve(results.size());
  for (const Result& r : results) {
    const std::optional<double> v = get(r.figures);
    if (v) values.push_back(*v);
  }
  return values;
}

/// Names of the management groups in the replicates' figures, in order of first appearance.
[[nodiscard]] inline std::vector<std::string> group_names(const std::vector<Result>& results) {
  std::vector<std::string> names;
  for (const Result& r : results) {
    for (const GroupFigures& g : r.figures.groups) {
      if (std::find(names.begin(), names.end(), g.name) == names.end()) names.push_back(g.name);
    }
  }
  return names;
}

/// The figures of group `name` in `figures`, or nullptr if it has none.
[[nodiscard]] inline const GroupFigures* find_group(const Figures& figures,
                                                    const std::string& name) {
  for (const GroupFigures& g : figures.groups) {
    if (g.name == name) return &g;
  }
  return nullptr;
}

/// Values of one figure of group `name` across the replicates that have the group:
/// `get(group_figures)` returns std::optional<double> (empty: left out).
template <typename Get>
[[nodiscard]] std::vector<double> collect_group(const std::vector<Result>& results,
                                                const std::string& name, Get get) {
  std::vector<double> values;
  for (const Result& r : results) {
    if (const GroupFigures* g = find_group(r.figures, name)) {
      const std::optional<double> v = get(*g);
      if (v) values.push_back(*v);
    }
  }
  return values;
}

/// Number of replicates whose figures have group `name`.
[[nodiscard]] inline std::size_t replicates_with_group(const std::vector<Result>& results,
                                                       const std::string& name) {
  return static_cast<std::size_t>(
      std::count_if(results.begin(), results.end(),
                    [&](const Result& r) { return find_group(r.figures, name) != nullptr; }));
}

}  // namespace patchrace::detail
