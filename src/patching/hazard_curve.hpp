// The cumulative patch hazard of one class of self-patching hosts: H(a) = -ln v(a),
// v(a) the probability that a host of the class is still unpatched `a` seconds after
// the release. A host patches at the age where H reaches its own unit-exponential
// budget (docs/patching.md). Exponential classes have H(a) = rate * a; empirical
// ones interpolate v linearly between tabulated points and stay flat after the last.
#pragma once

#include <vector>

#include "patchrace/scenario.hpp"

namespace patchrace::detail {

class HazardCurve {
 public:
  /// H(a) = rate * a (rate per second, > 0).
  static HazardCurve exponential(double rate);
  /// v linear through (0, 1) and the points (sorted by time, non-increasing v).
  static HazardCurve empirical(const std::vector<CurvePoint>& points);

  /// H(age), age in seconds >= 0; +infinity where v = 0.
  [[nodiscard]] double hazard(double age) const;
  /// The smallest age with H(age) >= budget (budget >= 0), or +infinity if H never
  /// gets there.
  [[nodiscard]] double age_at(double budget) const;

 private:
  double rate_ = 0.0;                // exponential
  std::vector<CurvePoint> points_;   // empirical, starting with (0, 1)
};

}  // namespace patchrace::detail
