// Kolmogorov–Smirnov tests: the statistic D and its asymptotic critical values.
// Reference code for the stochastic tests; plain, unoptimised, obviously correct.
#pragma once

#include <cstddef>
#include <functional>
#include <vector>

namespace patchrace::testing {

/// Two-sample Kolmogorov–Smirnov statistic D = sup_x |F_a(x) - F_b(x)|, where F_a
/// and F_b are the empirical distribution functions of the samples (right-continuous
/// steps, so tied values move both functions together before they are compared).
/// Takes the samples by value (it sorts copies). Throws std::invalid_argument if
/// either sample is empty or holds a NaN.
[[nodiscard]] double ks_statistic(std::vector<double> a, std::vector<double> b);

/// One-sample Kolmogorov–Smirnov statistic D = sup_x |F_n(x) - F(x)| of `sample`
/// against the continuous distribution function `cdf`. Throws std::invalid_argument
/// if the sample is empty or holds a NaN.
[[nodiscard]] double ks_statistic(std::vector<double> sample, const std::function<double(double)>& cdf);

/// c(alpha) = sqrt(-ln(alpha / 2) / 2): the asymptotic two-sided Kolmogorov quantile,
/// e.g. c(0.05) = 1.358, c(0.001) = 1.949. Requires 0 < alpha < 1.
[[nodiscard]] double ks_c_alpha(double alpha);

/// Critical value of the two-sample statistic at significance `alpha`:
/// c(alpha) · sqrt((n + m) / (n · m)). Reject "same distribution" when D exceeds it.
/// Requires n, m >= 1 and 0 < alpha < 1.
[[nodiscard]] double ks_critical_value(std::size_t n, std::size_t m, double alpha);

/// Critical value of the one-sample statistic at significance `alpha`: c(alpha) / sqrt(n).
[[nodiscard]] double ks_critical_value(std::size_t n, double alpha);

/// Asymptotic p-value of a two-sample statistic D:
/// Q(λ) = 2 Σ_{k>=1} (-1)^{k-1} exp(-2 k² λ²) with λ = D · sqrt(n m / (n + m)).
/// For reporting; the tests decide with ks_critical_value().
[[nodiscard]] double ks_p_value(double d, std::size_t n, std::size_t m);

}  // namespace patchrace::testing
