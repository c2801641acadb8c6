// The engine's ensemble mean against the mean-field models (tests/oracle/mean_field):
// the random-constant-spread logistic of Staniford et al. (2002) and the
// Kermack–McKendrick SIR model that Zou et al. (2002) extend, at scale (all of IPv4).
#include <fmt/core.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "oracle/mean_field.hpp"
#include "oracle/naive_simulator.hpp"
#include "patchrace/result.hpp"
#include "patchrace/scenario.hpp"
#include "patchrace/simulate.hpp"

namespace {

using patchrace::Result;
using patchrace::Scenario;
using patchrace::Series;
using patchrace::testing::rcs_contact_rate;
using patchrace::testing::rcs_logistic_fraction;
using patchrace::testing::SirFractions;
using patchrace::testing::solve_sir;

constexpr double kSpace = 4294967296.0;  // 2^32 addresses
constexpr double kK = 1.8 / patchrace::kHour;  // Code Red's RCS fit, per second

/// Replicate means of series `s` divided by the number of hosts, at every reported time.
std::vector<double> mean_fraction(const std::vector<Result>& results, Series s, double hosts) {
  std::vector<double> mean(results.front().series.time.size(), 0.0);
  for (const auto& r : results) {
    for (std::size_t k = 0; k < mean.size(); ++k) mean[k] += r.series[s][k] / hosts;
  }
  for (double& m : mean) m /= static_cast<double>(results.size());
  return mean;
}

/// Sample standard deviations across replicates of series `s` / hosts, at every reported time.
std::vector<double> sd_fraction(const std::vector<Result>& results, Series s, double hosts) {
  const std::vector<double> mean = mean_fraction(results, s, hosts);
  std::vector<double> var(mean.size(), 0.0);
  for (const auto& r : results) {
    for (std::size_t k = 0; k < mean.size(); ++k) {
      const double d = r.series[s][k] / hosts - mean[k];
      var[k] += d * d;
    }
  }
  for (double& v : var) v = std::sqrt(v / static_cast<double>(results.size() - 1));
  return var;
}

/// Pure SI epidemic (no patching, no cleanup) on a /20: 500 hosts among 4096 addresses,
/// one seed, 1 probe/s (K = 500 / 4096 = 0.122 /s). From k infected hosts the next
/// infection comes after Exp(β k (N - k)) with β = scan_rate / space, so the time at which
/// m hosts are infected is a sum of independent exponentials with known mean and variance.
Scenario pure_si_scenario() {
  Scenario s;
  s.name = "pure-si";
  s.address_space.prefix_length = 20;
  s.population.hosts = 500;
  s.worm.initial_infected = 1;
  s.worm.scan_rate = 1.0;
  s.run.duration = 200.0;  // 15 early-phase means (1 / (β N) = 8.2 s) past the mean time to 90 %
  s.run.report_interval = 10.0;
  return s;
}

/// Checks the mean time to 10, 50 and 90 % of `results` against the exact sums of
/// exponential means, within k = 4 standard errors (sqrt of the exact variance over n).
void expect_exact_si_times(const Scenario& s, const std::vector<Result>& results, const char* who) {
  const double n_hosts = static_cast<double>(s.population.hosts);
  const double beta = s.worm.scan_rate / static_cast<double>(s.address_space.size());
  for (int tenths : {1, 5, 9}) {
    const auto needed = (static_cast<std::uint64_t>(tenths) * s.population.hosts + 9) / 10;  // ceil(x N)
    double mean = 0.0, var = 0.0;
    for (std::uint64_t k = s.worm.initial_infected; k < needed; ++k) {
      const double rate = beta * static_cast<double>(k) * (n_hosts - static_cast<double>(k));
      mean += 1.0 / rate;
      var += 1.0 / (rate * rate);
    }
    double sum = 0.0;
    for (const auto& r : results) {
      const auto& f = r.figures;
      const auto t = tenths == 1 ? f.time_to_10 : tenths == 5 ? f.time_to_50 : f.time_to_90;
      ASSERT_TRUE(t.has_value()) << who << ": " << tenths * 10 << " % not reached in replicate " << r.replicate;
      sum += *t;
    }
    const double observed = sum / static_cast<double>(results.size());
    const double se = std::sqrt(var / static_cast<double>(results.size()));
    fmt::print("  {} time_to_{}: mean {:.3f} s, exact {:.3f} s, z = {:+.2f}\n", who, tenths * 10, observed, mean,
               (observed - mean) / se);
    EXPECT_NEAR(observed, mean, 4.0 * se) << who << " time_to_" << tenths * 10;
  }
}

std::vector<Result> run(const Scenario& s, std::uint64_t seed, int replicates) {
  std::vector<Result> out;
  for (int r = 0; r < replicates; ++r) out.push_back(patchrace::simulate(s, seed, static_cast<std::uint64_t>(r)));
  return out;
}

}  // namespace

// N = 10^6 hosts in all of IPv4, 100 seeds, scan rate 1.8/h · 2^32 / 10^6 = 2.147 probes/s
// (K = 1.8 /h), no patching: the replicate-mean infected fraction follows
// a(t) = e^{K(t-T)} / (1 + e^{K(t-T)}) with a(0) = 10^-4 (T = ln 9999 / K = 5.12 h).
// Tolerance 0.01 at every reported time. What it has to cover: 100 seeds make the early
// growth a Yule process whose limit W/100 has standard deviation 1/sqrt(100) = 0.1, so each
// replicate is the logistic shifted by ln(W/100)/K (sd 3.3 min); the infected fraction of
// one replicate then has sd <= (K/4) · 0.1 / K = 0.025 at the midpoint, and the mean of 64
// replicates sd 0.0031: 0.01 is 3.2 standard errors at the worst time. The bias of the mean
// from the shift, (K/4) · E[ln(W/100)]/K ≈ 0.25 · 0.005 = 0.0013 at most, is inside it.
TEST(Logistic, InfectedFractionFollowsRandomConstantSpread) {
  constexpr double kHosts = 1e6;
  constexpr int kReplicates = 64;
  Scenario s;
  s.name = "rcs-logistic";
  s.address_space.prefix_length = 0;
  s.population.hosts = static_cast<std::uint64_t>(kHosts);
  s.worm.initial_infected = 100;
  s.worm.scan_rate = kK * kSpace / kHosts;
  s.run.duration = 12.0 * patchrace::kHour;
  s.run.report_interval = 10.0 * patchrace::kMinute;
  ASSERT_NEAR(rcs_contact_rate(s.worm.scan_rate, kHosts, kSpace), kK, 1e-15);

  const std::vector<Result> results = run(s, 1801, kReplicates);
  const std::vector<double> mean = mean_fraction(results, Series::kInfected, kHosts);
  const auto& time = results.front().series.time;
  const double a0 = 100.0 / kHosts;
  double worst = 0.0, worst_time = 0.0;
  for (std::size_t k = 0; k < time.size(); ++k) {
    const double expected = rcs_logistic_fraction(kK, a0, time[k]);
    EXPECT_NEAR(mean[k], expected, 0.01) << "at t = " << time[k] / patchrace::kHour << " h";
    if (std::abs(mean[k] - expected) > worst) worst = std::abs(mean[k] - expected), worst_time = time[k];
  }
  fmt::print("  logistic: {} replicates, largest |mean - a(t)| = {:.4f} at t = {:.2f} h\n", kReplicates, worst,
             worst_time / patchrace::kHour);
  // No patching, no cleanup: every host ever infected is still infected.
  for (const auto& r : results) {
    EXPECT_EQ(r.series[Series::kInfected], r.series[Series::kCumulativeInfected]);
  }
}

// Cleanup with mean delay 2 h (γ = 0.5 /h) on N = 2·10^5 hosts in all of IPv4 with
// K = 1.8 /h and 100 seeds (R0 = K/γ = 3.6): the replicate means of the infected,
// cleaned and ever-infected fractions follow the SIR model
// ds/dt = -K s i, di/dt = K s i - γ i, dr/dt = γ i (RK4, 1 s steps).
//
// Tolerance at each reported time t: 4 · sd(t) / sqrt(n) + 2 · b(t), where sd(t) is the
// sample standard deviation over the n replicates (k = 4 standard errors) and b(t) is the
// systematic difference between the stochastic mean and the ODE. Justification of b:
// early on the infected count is a linear birth–death process (birth K, death γ) from
// n0 = 100, I(t) ≈ W e^{rt} with r = K - γ and Var(W / n0) = (K + γ) / ((K - γ) n0); each
// replicate is then the ODE shifted by τ = ln(W / n0) / r, with E[τ] ≈ -Var(W/n0) / (2r)
// and E[τ²] ≈ Var(W/n0) / r². Averaging x_ode(t + τ) gives, to second order,
// b(t) = |x'(t) E[τ] + x''(t) E[τ²] / 2| (derivatives of the ODE solution, by finite
// differences); the factor 2 covers the neglected higher orders and the O(1/N) terms.
TEST(Logistic, CleanupFollowsKermackMcKendrickMeanField) {
  constexpr double kHosts = 2e5;
  constexpr double kSeeds = 100.0;
  constexpr int kReplicates = 48;
  constexpr double kGamma = 1.0 / (2.0 * patchrace::kHour);
  Scenario s;
  s.name = "sir-cleanup";
  s.address_space.prefix_length = 0;
  s.population.hosts = static_cast<std::uint64_t>(kHosts);
  s.worm.initial_infected = static_cast<std::uint64_t>(kSeeds);
  s.worm.scan_rate = kK * kSpace / kHosts;
  s.cleanup.enabled = true;
  s.cleanup.mean_delay = 1.0 / kGamma;
  s.run.duration = 16.0 * patchrace::kHour;
  s.run.report_interval = 10.0 * patchrace::kMinute;

  const std::vector<Result> results = run(s, 1802, kReplicates);
  const auto& time = results.front().series.time;

  // The ODE at every reported time and half a report interval either side (for x', x'').
  const double h = s.run.report_interval / 2.0;
  std::vector<double> ode_times;
  for (double t : time) {
    ode_times.push_back(std::max(0.0, t - h));
    ode_times.push_back(t);
    ode_times.push_back(t + h);
  }
  const SirFractions initial{1.0 - kSeeds / kHosts, kSeeds / kHosts, 0.0};
  const std::vector<SirFractions> ode = solve_sir(kK, kGamma, initial, ode_times, 1.0);

  const double r = kK - kGamma;
  const double var_w = (kK + kGamma) / ((kK - kGamma) * kSeeds);
  const double mean_shift = -var_w / (2.0 * r);
  const double mean_square_shift = var_w / (r * r);

  struct Checked {
    Series series;
    double (*pick)(const SirFractions&);
  };
  const Checked checked[] = {
      {Series::kInfected, [](const SirFractions& y) { return y.i; }},
      {Series::kCleaned, [](const SirFractions& y) { return y.r; }},
      {Series::kCumulativeInfected, [](const SirFractions& y) { return y.i + y.r; }},
  };
  for (const auto& c : checked) {
    const std::vector<double> mean = mean_fraction(results, c.series, kHosts);
    const std::vector<double> sd = sd_fraction(results, c.series, kHosts);
    double worst_ratio = 0.0, worst_diff = 0.0;
    for (std::size_t k = 1; k < time.size(); ++k) {
      const double before = c.pick(ode[3 * k]), at = c.pick(ode[3 * k + 1]), after = c.pick(ode[3 * k + 2]);
      const double d1 = (after - before) / (2.0 * h);
      const double d2 = (after - 2.0 * at + before) / (h * h);
      const double bias = std::abs(d1 * mean_shift + 0.5 * d2 * mean_square_shift);
      const double tolerance = 4.0 * sd[k] / std::sqrt(static_cast<double>(kReplicates)) + 2.0 * bias;
      EXPECT_NEAR(mean[k], at, tolerance) << patchrace::series_name(c.series) << " at t = "
                                          << time[k] / patchrace::kHour << " h (sd " << sd[k] << ", bias " << bias
                                          << ")";
      if (tolerance > 0.0 && std::abs(mean[k] - at) / tolerance > worst_ratio) {
        worst_ratio = std::abs(mean[k] - at) / tolerance;
        worst_diff = mean[k] - at;
      }
    }
    fmt::print("  SIR {:<20} largest |mean - ode| / tolerance = {:.2f} (difference {:+.4f})\n",
               patchrace::series_name(c.series), worst_ratio, worst_diff);
  }
}

// Exact check of the engine's contact rate and figures on a small pure SI epidemic
// (see pure_si_scenario): 4000 replicates, k = 4 standard errors.
TEST(Logistic, EngineTimeToFractionMatchesExactSumOfExponentials) {
  const Scenario s = pure_si_scenario();
  expect_exact_si_times(s, run(s, 1803, 4000), "engine");
}

// The same exact check of the naive oracle itself, so that agreement with the engine
// is agreement with the truth: 500 replicates, k = 4 standard errors.
TEST(Logistic, OracleTimeToFractionMatchesExactSumOfExponentials) {
  const Scenario s = pure_si_scenario();
  std::vector<Result> results;
  for (std::uint64_t r = 0; r < 500; ++r) results.push_back(patchrace::testing::naive_simulate(s, 1804, r));
  expect_exact_si_times(s, results, "oracle");
}
