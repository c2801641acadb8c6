#include "patching/hazard_curve.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace patchrace::detail {
namespace {
constexpr double kInfinity = std::numeric_limits<double>::infinity();
}  // namespace

HazardCurve HazardCurve::exponential(double rate) {
  HazardCurve curve;
  curve.rate_ = rate;
  return curve;
}

HazardCurve HazardCurve::empirical(const std::vector<CurvePoint>& points) {
  HazardCurve curve;
  if (points.empty() || points.front().time > 0.0) curve.points_.push_back({0.0, 1.0});
  curve.points_.insert(curve.points_.end(), points.begin(), points.end());
  return curve;
}

double HazardCurve::hazard(double age) const {
  if (points_.empty()) return rate_ * age;
  // The first point at or after `age`; v interpolated in the segment before it.
  const auto after = std::lower_bound(points_.begin(), points_.end(), age,
                                      [](const CurvePoint& p, double a) { return p.time < a; });
  double v;
  if (after == points_.end()) {
    v = points_.back().vulnerable;
  } else if (after == points_.begin()) {
    v = after->vulnerable;
  } else {
    const CurvePoint& a = *(after - 1);
    const CurvePoint& b = *after;
    v = a.vulnerable + (b.vulnerable - a.vulnerable) * (age - a.time) / (b.time - a.time);
  }
  return v > 0.0 ? -std::log(v) : kInfinity;
}

double HazardCurve::age_at(double budget) const {
  if (points_.empty()) return budget / rate_;
  // v falls to exp(-budget) in the first segment whose end is at or below it.
  const double target = std::exp(-budget);
  for (std::size_t i = 1; i < points_.size(); ++i) {
    const CurvePoint& a = points_[i - 1];
    const CurvePoint& b = points_[i];
    if (b.vulnerable > target) continue;
    if (a.vulnerable <= target) return a.time;  // v reached it at a point already
    return a.time + (b.time - a.time) * (a.vulnerable - target) / (a.vulnerable - b.vulnerable);
  }
  return points_.size() == 1 && points_[0].vulnerable <= target ? 0.0 : kInfinity;
}

}  // namespace patchrace::detail
