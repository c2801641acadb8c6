// The presets, simulated, reproduce the published outbreak figures they are
// calibrated to (../shared/REFERENCE.md). Fixed seeds; tolerances stated per test.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "patchrace/ensemble.hpp"
#include "patchrace/scenario_file.hpp"
#include "patchrace/simulate.hpp"

namespace patchrace {
namespace {

double mean(const std::vector<double>& v) {
  double sum = 0;
  for (double x : v) sum += x;
  return sum / static_cast<double>(v.size());
}

TEST(ReferenceFigures, CodeRedSpreadsAt1Point8PerHour) {
  Scenario s = load_preset("codered-2001");
  s.run.replicates = 8;
  const auto results = run_ensemble(s, 1, 0);
  const double k = 1.8 / kHour;
  std::vector<double> spread;  // 10 % -> 90 %, seconds
  for (const auto& r : results) {
    ASSERT_TRUE(r.figures.time_to_10 && r.figures.time_to_90);
    spread.push_back(*r.figures.time_to_90 - *r.figures.time_to_10);
    // Moore et al. 2002: all 359,000 infected well within the day; peak > 2,000/min.
    // The RCS peak rate is K N / 4 = 2,693 per minute; the busiest minute exceeds it
    // by Poisson noise of about sqrt(2,693) = 52, so it stays under 3,000.
    EXPECT_EQ(r.figures.total_infected, 359000u);
    EXPECT_GT(r.figures.peak_new_per_minute, 2000u);
    EXPECT_LT(r.figures.peak_new_per_minute, 3000u);
  }
  // Logistic: 10 % -> 90 % takes 2 ln 9 / K = 2.44 h. Past 10 % the process is
  // nearly deterministic (relative noise ~ 1/sqrt(35,900)); 1 % tolerance.
  EXPECT_NEAR(mean(spread) / (2 * std::log(9.0) / k), 1.0, 0.01);
}

/// Least-squares doubling time of cumulative infections while 100 <= I <= 5 % of N
/// (before saturation bends the curve).
double early_doubling_time(const Result& r, double hosts) {
  const auto& t = r.series.time;
  const auto& infected = r.series[Series::kCumulativeInfected];
  double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (infected[i] < 100 || infected[i] > 0.05 * hosts) continue;
    const double y = std::log(infected[i]);
    n += 1;
    sx += t[i];
    sy += y;
    sxx += t[i] * t[i];
    sxy += t[i] * y;
  }
  EXPECT_GT(n, 10);
  return std::log(2.0) * (n * sxx - sx * sx) / (n * sxy - sx * sy);
}

TEST(ReferenceFigures, SlammerDoublesEvery8Point5SecondsEarlyOn) {
  Scenario s = load_preset("slammer-2003");
  s.run.replicates = 20;
  s.run.report_interval = 1;
  const auto results = run_ensemble(s, 2, 0);
  std::vector<double> doubling, to_90;
  for (const auto& r : results) {
    doubling.push_back(early_doubling_time(r, 75000));
    ASSERT_TRUE(r.figures.time_to_90.has_value());
    to_90.push_back(*r.figures.time_to_90);
  }
  // Moore et al. 2003: 8.5 +- 1 s early on. The fitted window sits at I/N <= 5 %,
  // where the logistic slows growth by at most 5 %, and where the aggregate rate
  // is far below the capacity, so the fit is 8.5 to 8.9 s.
  EXPECT_NEAR(mean(doubling), 8.5, 1.0);
  // More than 90 % infected within 10 min: the capacity of 60 million probes/s
  // binds from about 2 min on, and 90 % comes after about 4.5 min. The early phase
  // from one seed shifts a replicate by its Gumbel spread (16 s sd), so every one
  // of the 20 must be inside 10 min.
  for (double t : to_90) EXPECT_LT(t, 10 * kMinute);
  std::sort(to_90.begin(), to_90.end());
  EXPECT_GT(to_90[10], 3.5 * kMinute);  // the bandwidth limit really slows it
}

TEST(ReferenceFigures, SlammerWithoutBandwidthLimitFollowsTheLogistic) {
  Scenario s = load_preset("slammer-2003");
  s.worm.bandwidth.enabled = false;
  s.worm.scan_rate = 4670;  // the mean rate of the preset's link mix
  s.worm.initial_infected = 1;
  s.run.replicates = 20;
  s.run.duration = 5 * kMinute;
  s.run.report_interval = 1;
  const auto results = run_ensemble(s, 2, 0);
  // Without a bandwidth limit the worm would reach 90 % about 2.7 min after it
  // starts (REFERENCE.md, derived). From one seed the expected time to m infections
  // is sum_{i<m} 1/(K i (1 - i/N)) = (ln m + gamma + ln(N/(N-m))) / K: 171.8 s for
  // m = 0.9 N. Its spread between replicates is the Gumbel spread of the early phase,
  // pi / (sqrt 6 K) = 15.7 s, so the mean of 20 lies within 4 x 15.7 / sqrt 20 = 14 s.
  // 10 % -> 90 % is nearly deterministic: 2 ln 9 / K = 53.9 s, within 3 %.
  std::vector<double> to_90, spread;
  for (const auto& r : results) {
    ASSERT_TRUE(r.figures.time_to_10 && r.figures.time_to_90);
    to_90.push_back(*r.figures.time_to_90);
    spread.push_back(*r.figures.time_to_90 - *r.figures.time_to_10);
  }
  const double k = 4670.0 * 75000 / 4294967296.0;
  const double m = std::ceil(0.9 * 75000);
  EXPECT_NEAR(mean(to_90), (std::log(m) + 0.5772156649 + std::log(75000 / (75000 - m))) / k, 14.0);
  EXPECT_NEAR(mean(spread) / (2 * std::log(9.0) / k), 1.0, 0.03);
}

TEST(ReferenceFigures, BlasterMatchesTheAugust2003Counts) {
  Scenario s = load_preset("blaster-2003");
  s.run.replicates = 16;
  const auto results = run_ensemble(s, *s.run.seed, 0);
  std::vector<double> day3, day4;
  std::uint64_t sweeps = 0, local = 0;
  for (const auto& r : results) {
    const auto& t = r.series.time;
    const auto& infected = r.series[Series::kCumulativeInfected];
    auto at = [&](double hours) {
      const auto i = std::lower_bound(t.begin(), t.end(), hours * kHour) - t.begin();
      return infected[static_cast<std::size_t>(i)];
    };
    day3.push_back(at(72));
    day4.push_back(at(96));
    sweeps += r.figures.sweeps_started;
    local += r.figures.local_sweeps;
    // The wrong return address crashes the RPC service: more crashes than infections.
    EXPECT_GT(r.figures.crashes, r.figures.total_infected);
    // Patched at the start. Home users: 0.67 (1 - 2^(-26/30)), sd 0.0006 over 550,000.
    ASSERT_EQ(r.figures.groups.size(), 3u);
    EXPECT_NEAR(r.figures.groups[0].patched_at_start, 0.67 * (1 - std::pow(2.0, -26.0 / 30.0)), 0.003);
    // The central service from Wednesday 16:00, 19 days before the worm, 3,125 hosts per
    // working hour: test (2 % of 450,000: 9,000, done Thursday 10:53), 3 days of QA, pilot
    // (45,000: Monday and Tuesday until 15:24), 7 days of QA, then broad: 1.6 h on Tuesday,
    // three whole days and Monday 09:00-16:00, 5,000 + 75,000 + 21,875. The ring sizes
    // follow the group draw (+-40 hosts), which moves the broad start by a few dozen hosts.
    const double central = r.figures.groups[1].patched_at_start * static_cast<double>(r.figures.groups[1].hosts) +
                           r.figures.groups[2].patched_at_start * static_cast<double>(r.figures.groups[2].hosts);
    EXPECT_NEAR(central, 9000 + 45000 + 5000 + 75000 + 21875, 100);
  }
  std::sort(day3.begin(), day3.end());
  std::sort(day4.begin(), day4.end());
  // Symantec: 228,000 infected by day 3 and at least 330,000 by day 4. Single
  // replicates spread widely (quartiles about 0.5x and 1.45x the median at day 3:
  // how many early sweeps start in dense blocks), so the median of sixteen (about
  // 15 % standard error) is held to 228,000 within 40 % and must reach 330,000 by
  // day 4.
  const double median3 = (day3[7] + day3[8]) / 2;
  const double median4 = (day4[7] + day4[8]) / 2;
  EXPECT_NEAR(median3 / 228000.0, 1.0, 0.4);
  EXPECT_GE(median4, 330000.0);
  // Bailey et al. 2005: 40 % of sweeps start locally. Over ~2.4 million sweeps the
  // share has a standard deviation of 0.0003; 5 sd.
  ASSERT_GT(sweeps, 1000000u);
  EXPECT_NEAR(static_cast<double>(local) / static_cast<double>(sweeps), 0.4, 0.0016);
}

}  // namespace
}  // namespace patchrace
