// Statistical tests of the hand-written samplers (src/base/samplers.hpp) and of the
// Kolmogorov–Smirnov functions the engine-vs-oracle tests rely on (tests/oracle/ks_test).
// Fixed seeds. Moment checks use tolerances k · σ_estimator / sqrt(n) with k = 5
// (two-sided p ≈ 6e-7 per check); goodness-of-fit tests have significance 0.001.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "base/rng.hpp"
#include "base/samplers.hpp"
#include "oracle/ks_test.hpp"

namespace {

using patchrace::detail::Rng;
using patchrace::detail::sample_binomial;
using patchrace::detail::sample_exponential;
using patchrace::detail::sample_index;
using patchrace::detail::sample_poisson;
using patchrace::detail::StreamPurpose;
using patchrace::testing::ks_c_alpha;
using patchrace::testing::ks_critical_value;
using patchrace::testing::ks_p_value;
using patchrace::testing::ks_statistic;

constexpr double kK = 5.0;         // moment tolerances: k standard errors
constexpr double kAlpha = 0.001;   // significance of chi-square and KS goodness-of-fit tests
constexpr std::uint64_t kSeed = 424242;
__extension__ typedef unsigned __int128 U128;  // exact products of 64-bit values

Rng test_rng(std::uint64_t substream) { return Rng(kSeed, 0, StreamPurpose::kTest, substream); }

/// Upper critical value of the chi-square distribution with `df` degrees of freedom at
/// significance 0.001, by the Wilson–Hilferty cube approximation (relative error < 0.5 %
/// for df >= 3; e.g. 148.3 for df = 99, exact 148.2).
double chi_square_critical_001(double df) {
  constexpr double kZ = 3.0902;  // upper 0.001 standard normal quantile
  const double c = 2.0 / (9.0 * df);
  return df * std::pow(1.0 - c + kZ * std::sqrt(c), 3.0);
}

/// Pearson's statistic of observed counts against expected counts.
double chi_square(const std::vector<double>& observed, const std::vector<double>& expected) {
  double x2 = 0.0;
  for (std::size_t i = 0; i < observed.size(); ++i) {
    x2 += (observed[i] - expected[i]) * (observed[i] - expected[i]) / expected[i];
  }
  return x2;
}

struct Moments {
  double mean = 0.0;
  double variance = 0.0;  // unbiased
};

Moments moments(const std::vector<double>& x) {
  Moments m;
  for (double v : x) m.mean += v;
  m.mean /= static_cast<double>(x.size());
  for (double v : x) m.variance += (v - m.mean) * (v - m.mean);
  m.variance /= static_cast<double>(x.size() - 1);
  return m;
}

/// Checks the sample mean and variance of `x` against a distribution's mean, variance
/// and fourth central moment: the standard error of the sample mean is sqrt(var / n), of
/// the sample variance sqrt((mu4 - var²) / n).
void expect_moments(const std::vector<double>& x, double mean, double var, double mu4, const std::string& what) {
  const Moments m = moments(x);
  const double n = static_cast<double>(x.size());
  EXPECT_NEAR(m.mean, mean, kK * std::sqrt(var / n)) << what << ": mean";
  EXPECT_NEAR(m.variance, var, kK * std::sqrt((mu4 - var * var) / n)) << what << ": variance";
}

/// Log of the Poisson pmf at k.
double log_poisson_pmf(double mean, double k) { return k * std::log(mean) - mean - std::lgamma(k + 1.0); }

/// Log of the binomial pmf at k.
double log_binomial_pmf(double n, double p, double k) {
  return std::lgamma(n + 1.0) - std::lgamma(k + 1.0) - std::lgamma(n - k + 1.0) + k * std::log(p) +
         (n - k) * std::log1p(-p);
}

/// Chi-square goodness of fit of integer draws against a pmf on 0..max: cells with
/// expected count below 5 are merged into their neighbours (both tails pooled).
void expect_fits_pmf(const std::vector<std::uint64_t>& draws, const std::vector<double>& pmf, const std::string& what) {
  const double n = static_cast<double>(draws.size());
  std::vector<double> counts(pmf.size(), 0.0);
  for (auto d : draws) {
    ASSERT_LT(d, pmf.size()) << what << ": draw outside the support checked";
    counts[d] += 1.0;
  }
  std::vector<double> observed, expected;
  double obs_acc = 0.0, exp_acc = 0.0;
  for (std::size_t k = 0; k < pmf.size(); ++k) {
    obs_acc += counts[k];
    exp_acc += n * pmf[k];
    if (exp_acc >= 5.0) {
      observed.push_back(obs_acc);
      expected.push_back(exp_acc);
      obs_acc = exp_acc = 0.0;
    }
  }
  observed.back() += obs_acc;  // pool what is left of the upper tail into the last cell
  expected.back() += exp_acc;
  const double df = static_cast<double>(observed.size() - 1);
  const double x2 = chi_square(observed, expected);
  EXPECT_LT(x2, chi_square_critical_001(df)) << what << ": chi-square " << x2 << " with " << df << " df";
}

}  // namespace

// --- Kolmogorov–Smirnov functions on hand-computed values.

TEST(KsTest, StatisticIsOneForSeparatedSamples) {
  EXPECT_DOUBLE_EQ(ks_statistic({1, 2, 3}, {4, 5, 6}), 1.0);
  EXPECT_DOUBLE_EQ(ks_statistic({4, 5, 6}, {1, 2, 3}), 1.0);
}

TEST(KsTest, StatisticIsZeroForIdenticalSamples) {
  EXPECT_DOUBLE_EQ(ks_statistic({3, 1, 2, 2}, {2, 1, 3, 2}), 0.0);
}

TEST(KsTest, StatisticMatchesHandComputedValues) {
  // F_a steps 1/4 at 1, 2, 3, 4; F_b jumps to 1 at 2.5: |1/2 - 0| just below, |1/2 - 1| after.
  EXPECT_DOUBLE_EQ(ks_statistic({1, 2, 3, 4}, {2.5}), 0.5);
  // a = {1,2,3,4,5}, b = {3,4,5,6,7,8}: at x = 2, F_a = 2/5 and F_b = 0 (D = 0.4); at 5,
  // F_a = 1 and F_b = 3/6, D = 1/2.
  EXPECT_DOUBLE_EQ(ks_statistic({1, 2, 3, 4, 5}, {3, 4, 5, 6, 7, 8}), 0.5);
  // Interleaved: a = {1, 3, 5}, b = {2, 4, 6}: differences alternate 1/3, 0.
  EXPECT_NEAR(ks_statistic({1, 3, 5}, {2, 4, 6}), 1.0 / 3.0, 1e-15);
}

TEST(KsTest, StatisticMovesTiedValuesTogether) {
  // a = {1, 2, 2, 3}, b = {2, 2, 4}: at 1: 1/4 - 0; at 2: 3/4 - 2/3; at 3: 1 - 2/3 = 1/3.
  // Comparing before both copies of 2 are consumed would give 3/4 or 1/2 instead.
  EXPECT_NEAR(ks_statistic({1, 2, 2, 3}, {2, 2, 4}), 1.0 / 3.0, 1e-15);
}

TEST(KsTest, OneSampleStatisticMatchesHandComputedValue) {
  // Uniform(0,1) CDF; sample {0.1, 0.4, 0.7}: max(i/n - x, x - (i-1)/n) is 1/3 - 0.1 = 0.2333
  // at 0.1, 2/3 - 0.4 = 0.2667 at 0.4, 1 - 0.7 = 0.3 at 0.7.
  const auto uniform_cdf = [](double x) { return std::clamp(x, 0.0, 1.0); };
  EXPECT_NEAR(ks_statistic(std::vector<double>{0.7, 0.1, 0.4}, uniform_cdf), 0.3, 1e-15);
}

TEST(KsTest, CriticalValuesMatchTables) {
  EXPECT_NEAR(ks_c_alpha(0.05), 1.3581, 1e-4);
  EXPECT_NEAR(ks_c_alpha(0.01), 1.6276, 1e-4);
  EXPECT_NEAR(ks_c_alpha(0.001), 1.9495, 1e-4);
  EXPECT_NEAR(ks_critical_value(100, 100, 0.05), 1.3581 * std::sqrt(0.02), 1e-4);
  EXPECT_NEAR(ks_critical_value(200, 300, 0.001), 1.9495 * std::sqrt(500.0 / 60000.0), 1e-4);
  EXPECT_NEAR(ks_critical_value(400, 0.05), 1.3581 / 20.0, 1e-5);
  EXPECT_NEAR(ks_p_value(ks_critical_value(100, 100, 0.05), 100, 100), 0.05, 1e-6);
  EXPECT_NEAR(ks_p_value(ks_critical_value(300, 300, 0.001), 300, 300), 0.001, 1e-7);
}

TEST(KsTest, RejectsEmptySamples) {
  const std::vector<double> empty;
  const std::vector<double> one{1.0};
  EXPECT_THROW((void)ks_statistic(empty, one), std::invalid_argument);
  EXPECT_THROW((void)ks_statistic(one, empty), std::invalid_argument);
}

// Under the null (two samples of one distribution) the test at α = 0.05 rejects in about
// 5 % of 2000 trials (at most 5 %: the asymptotic value is conservative for finite
// samples); shifting one sample by half a standard deviation is detected nearly always.
TEST(KsTest, RejectionRateMatchesSignificanceUnderTheNull) {
  Rng rng = test_rng(1);
  constexpr int kTrials = 2000;
  constexpr std::size_t kN = 60;
  int rejected_null = 0, rejected_shift = 0;
  const double critical = ks_critical_value(kN, kN, 0.05);
  for (int trial = 0; trial < kTrials; ++trial) {
    std::vector<double> a(kN), b(kN), c(kN);
    for (auto& x : a) x = sample_exponential(rng, 1.0);
    for (auto& x : b) x = sample_exponential(rng, 1.0);
    for (auto& x : c) x = sample_exponential(rng, 1.0) + 0.5;
    rejected_null += ks_statistic(a, b) > critical ? 1 : 0;
    rejected_shift += ks_statistic(a, c) > critical ? 1 : 0;
  }
  const double rate = static_cast<double>(rejected_null) / kTrials;
  const double se = std::sqrt(0.05 * 0.95 / kTrials);
  EXPECT_LT(rate, 0.05 + kK * se) << "KS test rejects too often under the null";
  EXPECT_GT(rate, 0.01) << "KS test almost never rejects under the null: statistic or critical value too small";
  EXPECT_GT(static_cast<double>(rejected_shift) / kTrials, 0.9) << "KS test misses a shift of half a mean";
}

// --- Exponential.

TEST(SamplerStatistics, ExponentialMeanAndVarianceMatchRate) {
  for (double rate : {0.001, 1.0, 2.5, 1e6}) {
    Rng rng = test_rng(10);
    std::vector<double> x(200000);
    for (auto& v : x) v = sample_exponential(rng, rate);
    const double mean = 1.0 / rate;
    // Exponential: variance 1/rate², fourth central moment 9/rate⁴.
    expect_moments(x, mean, mean * mean, 9.0 * std::pow(mean, 4.0), "exponential rate " + std::to_string(rate));
    for (double v : x) ASSERT_GT(v, 0.0);
  }
}

TEST(SamplerStatistics, ExponentialFitsItsDistributionFunction) {
  Rng rng = test_rng(11);
  std::vector<double> x(50000);
  for (auto& v : x) v = sample_exponential(rng, 3.0);
  const double d = ks_statistic(x, [](double t) { return 1.0 - std::exp(-3.0 * t); });
  EXPECT_LT(d, ks_critical_value(x.size(), kAlpha));
}

// --- Uniform index.

TEST(SamplerStatistics, IndexIsUniformOverSmallRange) {
  Rng rng = test_rng(20);
  constexpr std::uint64_t kCells = 100;
  constexpr int kDraws = 1000000;
  std::vector<double> counts(kCells, 0.0);
  for (int i = 0; i < kDraws; ++i) {
    const auto v = sample_index(rng, kCells);
    ASSERT_LT(v, kCells);
    counts[v] += 1.0;
  }
  const std::vector<double> expected(kCells, static_cast<double>(kDraws) / kCells);
  EXPECT_LT(chi_square(counts, expected), chi_square_critical_001(kCells - 1));
}

// Ranges that are not powers of two and large enough for the rejection step to matter
// (n just above 2^63 rejects almost half of the raw words): bucket by v · 64 / n and
// compare against the exact bucket sizes.
TEST(SamplerStatistics, IndexIsUniformOverLargeRanges) {
  for (std::uint64_t n : {std::uint64_t{3} * (std::uint64_t{1} << 40) + 7, (std::uint64_t{1} << 63) + 1,
                          std::uint64_t{0xFFFFFFFFFFFFFFC5ULL}}) {
    Rng rng = test_rng(21);
    constexpr int kBuckets = 64;
    constexpr int kDraws = 320000;
    std::vector<double> counts(kBuckets, 0.0);
    const auto bucket_of = [n](std::uint64_t v) {
      return static_cast<int>((static_cast<U128>(v) * kBuckets) / n);
    };
    for (int i = 0; i < kDraws; ++i) {
      const auto v = sample_index(rng, n);
      ASSERT_LT(v, n);
      counts[bucket_of(v)] += 1.0;
    }
    // Bucket b holds the v with b·n <= 64 v < (b+1)·n: its size is ceil((b+1)n/64) - ceil(bn/64).
    std::vector<double> expected(kBuckets);
    const auto ceil_div = [n](int b) {
      const U128 num = static_cast<U128>(n) * static_cast<unsigned>(b);
      return static_cast<double>((num + kBuckets - 1) / kBuckets);
    };
    for (int b = 0; b < kBuckets; ++b) {
      expected[b] = (ceil_div(b + 1) - ceil_div(b)) / static_cast<double>(n) * kDraws;
    }
    EXPECT_LT(chi_square(counts, expected), chi_square_critical_001(kBuckets - 1)) << "n = " << n;
  }
}

TEST(SamplerStatistics, IndexOfRangeOneIsZero) {
  Rng rng = test_rng(22);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(sample_index(rng, 1), 0u);
}

// --- Poisson.

TEST(SamplerStatistics, PoissonMeanAndVarianceMatchAcrossRegimes) {
  // Below 10: inversion; above: PTRS. Near the switch on both sides, and far above.
  for (double mean : {0.5, 5.0, 9.99, 10.01, 50.0, 5000.0, 1e7}) {
    Rng rng = test_rng(30);
    std::vector<double> x(200000);
    for (auto& v : x) v = static_cast<double>(sample_poisson(rng, mean));
    // Poisson: variance λ, fourth central moment λ(1 + 3λ).
    expect_moments(x, mean, mean, mean * (1.0 + 3.0 * mean), "poisson mean " + std::to_string(mean));
  }
}

TEST(SamplerStatistics, PoissonOfMeanZeroIsZero) {
  Rng rng = test_rng(31);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(sample_poisson(rng, 0.0), 0u);
}

TEST(SamplerStatistics, PoissonFitsExactPmf) {
  for (double mean : {4.0, 50.0}) {  // one mean per algorithm
    Rng rng = test_rng(32);
    std::vector<std::uint64_t> draws(200000);
    for (auto& d : draws) d = sample_poisson(rng, mean);
    const auto support = static_cast<std::size_t>(mean + 20.0 * std::sqrt(mean) + 20.0);
    std::vector<double> pmf(support);
    for (std::size_t k = 0; k < support; ++k) pmf[k] = std::exp(log_poisson_pmf(mean, static_cast<double>(k)));
    expect_fits_pmf(draws, pmf, "poisson mean " + std::to_string(mean));
  }
}

// --- Binomial.

TEST(SamplerStatistics, BinomialMeanAndVarianceMatchAcrossRegimes) {
  struct Case {
    std::uint64_t n;
    double p;
  };
  // n·min(p, 1-p) < 10: inversion; otherwise BTRS. p near 0 and near 1, both algorithms.
  for (const Case c : {Case{20, 0.01}, Case{1000000, 1e-6}, Case{100, 0.999}, Case{50, 0.5}, Case{1000, 0.3},
                       Case{100000, 0.98}, Case{1000000000, 0.5}, Case{1000000, 1e-4}, Case{30, 0.95}}) {
    Rng rng = test_rng(40);
    std::vector<double> x(200000);
    for (auto& v : x) {
      const auto k = sample_binomial(rng, c.n, c.p);
      ASSERT_LE(k, c.n);
      v = static_cast<double>(k);
    }
    const double n = static_cast<double>(c.n);
    const double q = 1.0 - c.p;
    const double var = n * c.p * q;
    // Binomial: fourth central moment n p q (1 + 3 p q (n - 2)).
    const double mu4 = var * (1.0 + 3.0 * c.p * q * (n - 2.0));
    expect_moments(x, n * c.p, var, mu4, "binomial n " + std::to_string(c.n) + " p " + std::to_string(c.p));
  }
}

TEST(SamplerStatistics, BinomialOfCertainOutcomesIsExact) {
  Rng rng = test_rng(41);
  for (int i = 0; i < 1000; ++i) {
    ASSERT_EQ(sample_binomial(rng, 12345, 0.0), 0u);
    ASSERT_EQ(sample_binomial(rng, 12345, 1.0), 12345u);
    ASSERT_EQ(sample_binomial(rng, 0, 0.5), 0u);
  }
}

TEST(SamplerStatistics, BinomialFitsExactPmf) {
  struct Case {
    std::uint64_t n;
    double p;
  };
  for (const Case c : {Case{30, 0.2}, Case{200, 0.25}, Case{200, 0.9}}) {  // inversion, BTRS, BTRS with p > 1/2
    Rng rng = test_rng(42);
    std::vector<std::uint64_t> draws(200000);
    for (auto& d : draws) d = sample_binomial(rng, c.n, c.p);
    std::vector<double> pmf(c.n + 1);
    for (std::uint64_t k = 0; k <= c.n; ++k) {
      pmf[k] = std::exp(log_binomial_pmf(static_cast<double>(c.n), c.p, static_cast<double>(k)));
    }
    expect_fits_pmf(draws, pmf, "binomial n " + std::to_string(c.n) + " p " + std::to_string(c.p));
  }
}
