// On a realistic (clustered) address space, the scanning strategies of the real worms
// show their advantages and disadvantages: local preference and local sweep starts
// find the dense organisation blocks of their own hosts, while on a uniformly filled
// space local picks buy nothing; local sweeps also waste time in blocks already
// infected.
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <vector>

#include "patchrace/ensemble.hpp"
#include "patchrace/scenario.hpp"

namespace patchrace {
namespace {

/// 40,000 hosts in all of IPv4, the same probe rate for every variant, 10 seeds.
Scenario base(PlacementKind placement) {
  Scenario s;
  s.name = "realistic";
  s.population.hosts = 40000;
  s.population.placement.kind = placement;
  s.worm.scan_rate = 400;  // K = 400 * 40,000 / 2^32 = 13.4 per hour for uniform scanning
  s.worm.initial_infected = 10;
  s.worm.excluded = {{0x7f000000, 8}, {0xe0000000, 3}};
  s.run.duration = 6 * kHour;
  s.run.report_interval = 10 * kMinute;
  s.run.replicates = 6;
  return s;
}

/// Median over the replicates of a milestone time (the run's duration if never reached).
double median_time(const Scenario& s, std::optional<double> Figures::*milestone) {
  std::vector<double> t;
  for (const auto& r : run_ensemble(s, 11, 0)) t.push_back((r.figures.*milestone).value_or(s.run.duration));
  std::sort(t.begin(), t.end());
  return (t[t.size() / 2 - 1] + t[t.size() / 2]) / 2;
}

double median_time_to_half(const Scenario& s) { return median_time(s, &Figures::time_to_50); }

TEST(RealisticSpace, LocalPreferenceWinsOnClusteredHostsOnly) {
  Scenario uniform = base(PlacementKind::kClustered);
  Scenario local = uniform;
  local.worm.strategy = ScanStrategy::kLocalPreference;
  const double clustered_uniform = median_time_to_half(uniform);
  const double clustered_local = median_time_to_half(local);
  // The uniform worm needs about ln(2000) / K = 34 min; in the dense blocks the own-/16
  // share (3/8 of the probes) finds neighbours thousands of times more often.
  EXPECT_LT(clustered_local, clustered_uniform / 3) << clustered_local << " vs " << clustered_uniform;

  Scenario spread = base(PlacementKind::kUniform);
  Scenario spread_local = spread;
  spread_local.worm.strategy = ScanStrategy::kLocalPreference;
  // With hosts spread evenly (0.6 per /16) the local picks mostly hit empty space:
  // only the 1/8 of probes sent anywhere count, so local preference is slower.
  EXPECT_GT(median_time_to_half(spread_local), median_time_to_half(spread));
}

TEST(RealisticSpace, LocalSweepStartsHelpEarlyAndHurtLate) {
  // Blaster's local start (40 % of sweeps in the worm's own /16) finds the neighbours
  // in its organisation block at once, so the first 10 % come sooner than with random
  // starts only. Once the blocks are infected, every local sweep re-walks an infected
  // block and then empty space, so the last hosts are found later; with only local
  // starts the worm never leaves its first blocks within the day.
  Scenario blaster = base(PlacementKind::kClustered);
  blaster.worm.strategy = ScanStrategy::kSequential;
  blaster.worm.scan_rate = 40;
  blaster.run.duration = 24 * kHour;
  blaster.run.replicates = 8;
  Scenario random_only = blaster;
  random_only.worm.sequential.local_start = 0.0;
  Scenario local_only = blaster;
  local_only.worm.sequential.local_start = 1.0;
  EXPECT_LT(median_time(blaster, &Figures::time_to_10), median_time(random_only, &Figures::time_to_10));
  EXPECT_GT(median_time(blaster, &Figures::time_to_90), median_time(random_only, &Figures::time_to_90));
  EXPECT_EQ(median_time(local_only, &Figures::time_to_10), local_only.run.duration);
}

}  // namespace
}  // namespace patchrace
