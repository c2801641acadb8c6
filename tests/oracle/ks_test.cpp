#include "oracle/ks_test.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace patchrace::testing {
namespace {

void check_sample(const std::vector<double>& s, const char* what) {
  if (s.empty()) throw std::invalid_argument(std::string("ks: ") + what + " sample is empty");
  for (double x : s) {
    if (std::isnan(x)) throw std::invalid_argument(std::string("ks: ") + what + " sample holds a NaN");
  }
}

}  // namespace

double ks_statistic(std::vector<double> a, std::vector<double> b) {
  check_sample(a, "first");
  check_sample(b, "second");
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  const double n = static_cast<double>(a.size());
  const double m = static_cast<double>(b.size());
  std::size_t i = 0;
  std::size_t j = 0;
  double d = 0.0;
  // Walk the merged distinct values; after consuming every copy of x from both
  // samples, i/n and j/m are F_a(x) and F_b(x).
  while (i < a.size() || j < b.size()) {
    double x;
    if (i == a.size()) {
      x = b[j];
    } else if (j == b.size()) {
      x = a[i];
    } else {
      x = std::min(a[i], b[j]);
    }
    while (i < a.size() && a[i] == x) ++i;
    while (j < b.size() && b[j] == x) ++j;
    d = std::max(d, std::abs(static_cast<double>(i) / n - static_cast<double>(j) / m));
  }
  return d;
}

double ks_statistic(std::vector<double> sample, const std::function<double(double)>& cdf) {
  check_sample(sample, "the");
  std::sort(sample.begin(), sample.end());
  const double n = static_cast<double>(sample.size());
  double d = 0.0;
  for (std::size_t i = 0; i < sample.size(); ++i) {
    const double f = cdf(sample[i]);
    // The empirical function jumps from i/n to (i+1)/n at sample[i]; compare both sides.
    d = std::max(d, std::max(f - static_cast<double>(i) / n, static_cast<double>(i + 1) / n - f));
  }
  return d;
}

double ks_c_alpha(double alpha) {
  if (!(alpha > 0.0 && alpha < 1.0)) throw std::invalid_argument("ks: alpha must be in (0, 1)");
  return std::sqrt(-std::log(alpha / 2.0) / 2.0);
}

double ks_critical_value(std::size_t n, std::size_t m, double alpha) {
  if (n == 0 || m == 0) throw std::invalid_argument("ks: sample sizes must be >= 1");
  const double dn = static_cast<double>(n);
  const double dm = static_cast<double>(m);
  return ks_c_alpha(alpha) * std::sqrt((dn + dm) / (dn * dm));
}

double ks_critical_value(std::size_t n, double alpha) {
  if (n == 0) throw std::invalid_argument("ks: sample size must be >= 1");
  return ks_c_alpha(alpha) / std::sqrt(static_cast<double>(n));
}

double ks_p_value(double d, std::size_t n, std::size_t m) {
  const double dn = static_cast<double>(n);
  const double dm = static_cast<double>(m);
  const double lambda = d * std::sqrt(dn * dm / (dn + dm));
  if (lambda < 1e-3) return 1.0;
  double sum = 0.0;
  for (int k = 1; k <= 100; ++k) {
    const double term = std::exp(-2.0 * k * k * lambda * lambda);
    sum += (k % 2 == 1 ? term : -term);
    if (term < 1e-16) break;
  }
  return std::clamp(2.0 * sum, 0.0, 1.0);
}

}  // namespace patchrace::testing
