// Poisson and binomial samplers (W. Hörmann, "The transformed rejection method for
// generating Poisson random variables", 1993; "The generation of binomial random
// variates", 1993).
#include "base/samplers.hpp"

#include <algorithm>
#include <cmath>

namespace patchrace::detail {
namespace {

/// Multiplication method: counts uniforms until their product falls below e^-mean.
std::uint64_t poisson_by_multiplication(Rng& rng, double mean) {
  const double limit = std::exp(-mean);
  std::uint64_t count = 0;
  double product = rng.uniform();
  while (product > limit) {
    ++count;
    product *= rng.uniform();
  }
  return count;
}

/// PTRS: transformed rejection with squeeze, for mean >= 10.
std::uint64_t poisson_ptrs(Rng& rng, double mean) {
  const double sqrt_mean = std::sqrt(mean);
  const double log_mean = std::log(mean);
  const double b = 0.931 + 2.53 * sqrt_mean;
  const double a = -0.059 + 0.02483 * b;
  const double inv_alpha = 1.1239 + 1.1328 / (b - 3.4);
  const double v_r = 0.9277 - 3.6224 / (b - 2.0);
  while (true) {
    const double u = rng.uniform() - 0.5;
    const double v = rng.uniform();
    const double us = 0.5 - std::fabs(u);
    const double k = std::floor((2.0 * a / us + b) * u + mean + 0.43);
    if (us >= 0.07 && v <= v_r) return static_cast<std::uint64_t>(k);
    if (k < 0.0 || (us < 0.013 && v > us)) continue;
    if (std::log(v) + std::log(inv_alpha) - std::log(a / (us * us) + b) <=
        -mean + k * log_mean - std::lgamma(k + 1.0)) {
      return static_cast<std::uint64_t>(k);
    }
  }
}

/// Inversion by sequential search from 0, for n p < 10 with p <= 1/2.
std::uint64_t binomial_by_inversion(Rng& rng, std::uint64_t n, double p) {
  const double q = 1.0 - p;
  const double q_n = std::exp(static_cast<double>(n) * std::log1p(-p));
  const double np = static_cast<double>(n) * p;
  const double bound = std::min(static_cast<double>(n), np + 10.0 * std::sqrt(np * q + 1.0));
  std::uint64_t x = 0;
  double px = q_n;
  double u = rng.uniform();
  while (u > px) {
    ++x;
    if (static_cast<double>(x) > bound) {
      x = 0;
      px = q_n;
      u = rng.uniform();
    } else {
      u -= px;
      px = (static_cast<double>(n - x + 1) * p * px) / (static_cast<double>(x) * q);
    }
  }
  return x;
}

/// BTRS: transformed rejection with squeeze, for n p >= 10 with p <= 1/2.
std::uint64_t binomial_btrs(Rng& rng, std::uint64_t n, double p) {
  const double nd = static_cast<double>(n);
  const double q = 1.0 - p;
  const double spq = std::sqrt(nd * p * q);
  const double b = 1.15 + 2.53 * spq;
  const double a = -0.0873 + 0.0248 * b + 0.01 * p;
  const double c = nd * p + 0.5;
  const double alpha = (2.83 + 5.1 / b) * spq;
  const double v_r = 0.92 - 4.2 / b;
  const double m = std::floor((nd + 1.0) * p);
  const double log_odds = std::log(p / q);
  const double h_m = std::lgamma(m + 1.0) + std::lgamma(nd - m + 1.0);
  while (true) {
    const double u = rng.uniform() - 0.5;
    double v = rng.uniform();
    const double us = 0.5 - std::fabs(u);
    const double k = std::floor((2.0 * a / us + b) * u + c);
    if (k < 0.0 || k > nd) continue;
    if (us >= 0.07 && v <= v_r) return static_cast<std::uint64_t>(k);
    v = std::log(v * alpha / (a / (us * us) + b));
    if (v <= h_m - std::lgamma(k + 1.0) - std::lgamma(nd - k + 1.0) + (k - m) * log_odds) {
      return static_cast<std::uint64_t>(k);
    }
  }
}

}  // namespace

std::uint64_t sample_poisson(Rng& rng, double mean) {
  if (!(mean > 0.0)) return 0;
  return mean < 10.0 ? poisson_by_multiplication(rng, mean) : poisson_ptrs(rng, mean);
}

std::uint64_t sample_binomial(Rng& rng, std::uint64_t n, double p) {
  if (n == 0 || !(p > 0.0)) return 0;
  if (p >= 1.0) return n;
  const bool mirrored = p > 0.5;
  const double pp = mirrored ? 1.0 - p : p;
  const std::uint64_t k = static_cast<double>(n) * pp < 10.0 ? binomial_by_inversion(rng, n, pp)
                                                             : binomial_btrs(rng, n, pp);
  return mirrored ? n - k : k;
}

}  // namespace patchrace::detail
