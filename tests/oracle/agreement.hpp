// Shared checks of the engine-vs-oracle tests: two ensembles of results compared
// by two-sample tests at a fixed significance, with messages that print the
// statistics. Header-only: GoogleTest assertions, for test binaries only.
#pragma once

#include <fmt/core.h>
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "oracle/ks_test.hpp"
#include "patchrace/result.hpp"

namespace patchrace::testing {

inline constexpr double kAlpha = 0.001;    // significance of every KS and proportion test
inline constexpr double kZAlpha = 3.2905;  // two-sided standard normal quantile at kAlpha
inline constexpr double kMeanK = 4.0;      // k of the k · standard-error tolerance on means

struct Ensembles {
  std::vector<Result> engine;
  std::vector<Result> oracle;
};

inline std::vector<double> collect(const std::vector<Result>& results, const std::function<double(const Result&)>& f) {
  std::vector<double> out;
  out.reserve(results.size());
  for (const auto& r : results) out.push_back(f(r));
  return out;
}

/// KS test at kAlpha; prints D, the critical value and the p-value.
inline void expect_same_distribution(const std::vector<double>& engine, const std::vector<double>& oracle,
                              const std::string& what) {
  const double d = ks_statistic(engine, oracle);
  const double critical = ks_critical_value(engine.size(), oracle.size(), kAlpha);
  fmt::print("  KS {:<40} D = {:.4f}  critical {:.4f}  p ≈ {:.3g}\n", what, d, critical,
             ks_p_value(d, engine.size(), oracle.size()));
  EXPECT_LE(d, critical) << what << ": engine and oracle distributions differ (KS at alpha " << kAlpha << ")";
}

/// Two-proportion z-test at kAlpha (n replicates on each side).
inline void expect_same_proportion(std::size_t k_engine, std::size_t k_oracle, std::size_t n, const std::string& what) {
  const double p1 = static_cast<double>(k_engine) / static_cast<double>(n);
  const double p2 = static_cast<double>(k_oracle) / static_cast<double>(n);
  const double pooled = (p1 + p2) / 2.0;
  const double se = std::sqrt(pooled * (1.0 - pooled) * 2.0 / static_cast<double>(n));
  const double z = se > 0.0 ? (p1 - p2) / se : 0.0;
  fmt::print("  proportion {:<32} engine {:.3f}  oracle {:.3f}  z = {:+.2f}\n", what, p1, p2, z);
  EXPECT_LE(std::abs(z), kZAlpha) << what << ": engine " << p1 << " vs oracle " << p2;
}

struct MeanVar {
  double mean = 0.0;
  double var = 0.0;
};

inline MeanVar mean_var(const std::vector<double>& x) {
  MeanVar m;
  for (double v : x) m.mean += v;
  m.mean /= static_cast<double>(x.size());
  for (double v : x) m.var += (v - m.mean) * (v - m.mean);
  m.var /= static_cast<double>(x.size() - 1);
  return m;
}

/// Means within kMeanK standard errors of their difference.
inline void expect_same_mean(const std::vector<double>& engine, const std::vector<double>& oracle, const std::string& what) {
  const MeanVar e = mean_var(engine);
  const MeanVar o = mean_var(oracle);
  const double se =
      std::sqrt(e.var / static_cast<double>(engine.size()) + o.var / static_cast<double>(oracle.size()));
  EXPECT_LE(std::abs(e.mean - o.mean), kMeanK * se + 1e-9)
      << what << ": engine mean " << e.mean << " vs oracle mean " << o.mean << " (standard error " << se << ")";
}

/// Means of every series at about 1/4, 1/2, 3/4 and all of the run.
inline void expect_same_series_means(const Ensembles& e) {
  const auto& time = e.oracle.front().series.time;
  for (const auto& r : e.engine) {
    ASSERT_EQ(r.series.time.size(), time.size()) << "engine and oracle report a different number of times";
    for (std::size_t k = 0; k < time.size(); ++k) ASSERT_NEAR(r.series.time[k], time[k], 1e-9);
  }
  const std::size_t last = time.size() - 1;
  for (std::size_t k : {last / 4, last / 2, 3 * last / 4, last}) {
    for (int s = 0; s < kSeriesCount; ++s) {
      const auto at = [&](const Result& r) { return r.series.values[s][k]; };
      expect_same_mean(collect(e.engine, at), collect(e.oracle, at),
                       fmt::format("{} at t = {} s", series_name(static_cast<Series>(s)), time[k]));
    }
  }
}

}  // namespace patchrace::testing
