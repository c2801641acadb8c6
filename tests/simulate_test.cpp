// The engine's contracts: determinism, conservation of hosts, report grid, seeds,
// patching at t = 0, sweeps across organisation blocks, host placement and the pool
// structure.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "base/rng.hpp"
#include "model/placement.hpp"
#include "base/radix_sort.hpp"
#include "patchrace/ensemble.hpp"
#include "patchrace/error.hpp"
#include "patchrace/simulate.hpp"

namespace patchrace {
namespace {

/// A quick outbreak on a /16: 2,000 hosts, K = 0.06 /s.
Scenario small_outbreak() {
  Scenario s;
  s.name = "small";
  s.address_space.base = 0x0a000000;
  s.address_space.prefix_length = 16;
  s.population.hosts = 2000;
  s.worm.scan_rate = 2.0;
  s.worm.initial_infected = 3;
  s.run.duration = 600;
  s.run.report_interval = 10;
  return s;
}

Scenario with_patching_and_cleanup() {
  Scenario s = small_outbreak();
  s.patching.enabled = true;
  s.patching.release = -100;
  s.patching.half_life = 150;
  s.patching.never_fraction = 0.25;
  s.cleanup.enabled = true;
  s.cleanup.mean_delay = 120;
  return s;
}

TEST(Simulate, SameSeedAndReplicateGiveIdenticalResults) {
  const Scenario s = with_patching_and_cleanup();
  EXPECT_EQ(simulate(s, 11, 4), simulate(s, 11, 4));
}

TEST(Simulate, DifferentSeedOrReplicateGiveDifferentResults) {
  const Scenario s = with_patching_and_cleanup();
  const Result base = simulate(s, 11, 4);
  EXPECT_NE(base.series, simulate(s, 12, 4).series);
  EXPECT_NE(base.series, simulate(s, 11, 5).series);
}

TEST(Simulate, EnsembleIsIdenticalWhateverTheThreadCount) {
  Scenario s = with_patching_and_cleanup();
  s.run.replicates = 7;
  const auto one = run_ensemble(s, 99, 1);
  const auto three = run_ensemble(s, 99, 3);
  ASSERT_EQ(one.size(), 7u);
  EXPECT_EQ(one, three);
  for (std::uint64_t r = 0; r < 7; ++r) {
    EXPECT_EQ(one[r].replicate, r);
    EXPECT_EQ(one[r], simulate(s, 99, r));
  }
}

TEST(Simulate, EnsembleReportsProgressOncePerReplicate) {
  Scenario s = small_outbreak();
  s.run.replicates = 5;
  std::vector<std::uint32_t> seen;
  (void)run_ensemble(s, 1, 2, [&](std::uint32_t done, std::uint32_t total) {
    EXPECT_EQ(total, 5u);
    seen.push_back(done);
  });
  EXPECT_EQ(seen, (std::vector<std::uint32_t>{1, 2, 3, 4, 5}));
}

TEST(Simulate, HostsAreConservedAndCountsAgreeAtEveryReport) {
  const Scenario s = with_patching_and_cleanup();
  for (std::uint64_t r = 0; r < 5; ++r) {
    const Result result = simulate(s, 3, r);
    const auto& ts = result.series;
    double new_sum = 0;
    for (std::size_t k = 0; k < ts.time.size(); ++k) {
      const double total = ts[Series::kSusceptible][k] + ts[Series::kInfected][k] +
                           ts[Series::kPatched][k] + ts[Series::kCleaned][k];
      EXPECT_EQ(total, 2000.0) << "at t=" << ts.time[k];
      new_sum += ts[Series::kNewInfections][k];
      EXPECT_EQ(new_sum, ts[Series::kCumulativeInfected][k]);
      // Only infected hosts are ever cleaned, so every host ever infected is I or C.
      EXPECT_EQ(ts[Series::kCumulativeInfected][k], ts[Series::kInfected][k] + ts[Series::kCleaned][k]);
    }
    EXPECT_EQ(result.figures.total_infected, ts[Series::kCumulativeInfected].back());
    EXPECT_EQ(result.figures.final_infected, ts[Series::kInfected].back());
  }
}

TEST(Simulate, ReportsOnTheGridAndAlwaysAtTheEnd) {
  Scenario s = small_outbreak();
  s.run.duration = 95;
  s.run.report_interval = 10;
  const Result r = simulate(s, 1, 0);
  const std::vector<double> expected = {0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95};
  EXPECT_EQ(r.series.time, expected);
  EXPECT_EQ(report_times(s.run), expected);
  EXPECT_EQ(report_point_count(s.run), expected.size());
  s.run.duration = 100;
  EXPECT_EQ(report_point_count(s.run), 11u);
  EXPECT_EQ(report_times(s.run).back(), 100.0);
}

TEST(Simulate, SeedsAreTheFirstReportedInfections) {
  Scenario s = small_outbreak();
  s.worm.initial_infected = 17;
  const Result r = simulate(s, 5, 0);
  EXPECT_EQ(r.series[Series::kNewInfections][0], 17.0);
  EXPECT_EQ(r.series[Series::kInfected][0], 17.0);
}

TEST(Simulate, ExplicitSeedAddressesAreInfectedAtTheStart) {
  Scenario s = small_outbreak();
  s.worm.seed_addresses = {0x0a000001, 0x0a00ffff, 0x0a001234};
  const Result r = simulate(s, 5, 0);
  EXPECT_EQ(r.series[Series::kCumulativeInfected][0], 3.0);
}

/// Three groups by exact count, a worm whose exploit never succeeds (so the seeds
/// are the only infected hosts), and the seeds in group "lab".
Scenario seeds_in_a_group(bool counted) {
  Scenario s = small_outbreak();
  s.population.types = {{"immune", 1.0}};
  s.worm.exploits = {{.type = "immune", .success = 0.0}};
  if (counted) {
    s.population.groups = {{"office", 0.0, 1500, {1.0, 0.0, 0.0}, 1.0},
                           {"lab", 0.0, 5, {1.0, 0.0, 0.0}, 1.0},
                           {"home", 0.0, 495, {1.0, 0.0, 0.0}, 1.0}};
  } else {
    s.population.groups = {{"office", 0.75, {}, {1.0, 0.0, 0.0}, 1.0},
                           {"lab", 0.01, {}, {1.0, 0.0, 0.0}, 1.0},
                           {"home", 0.24, {}, {1.0, 0.0, 0.0}, 1.0}};
  }
  s.worm.seed_group = "lab";
  return s;
}

TEST(Simulate, RandomSeedsAreChosenInTheSeedGroup) {
  for (bool counted : {true, false}) {
    Scenario s = seeds_in_a_group(counted);
    s.worm.initial_infected = 4;
    for (std::uint64_t replicate = 0; replicate < 5; ++replicate) {
      const Figures f = simulate(s, 3, replicate).figures;
      EXPECT_EQ(f.total_infected, 4u);
      EXPECT_EQ(f.groups[1].infected, 4u) << "counted " << counted << ", replicate " << replicate;
      if (counted) EXPECT_EQ(f.groups[1].hosts, 5u);
    }
  }
}

TEST(Simulate, ExplicitSeedAddressesJoinTheSeedGroupAndCountsStayExact) {
  for (bool counted : {true, false}) {
    Scenario s = seeds_in_a_group(counted);
    s.worm.seed_addresses = {0x0a000101, 0x0a00ff02, 0x0a008003};
    for (std::uint64_t replicate = 0; replicate < 5; ++replicate) {
      const Figures f = simulate(s, 4, replicate).figures;
      EXPECT_EQ(f.groups[1].infected, 3u) << "counted " << counted << ", replicate " << replicate;
      if (counted) {
        EXPECT_EQ(f.groups[0].hosts, 1500u);
        EXPECT_EQ(f.groups[1].hosts, 5u);
        EXPECT_EQ(f.groups[2].hosts, 495u);
      }
    }
  }
}

TEST(Simulate, SaturatesWithoutPatchingAndReachesEveryMilestone) {
  const Result r = simulate(small_outbreak(), 8, 0);
  EXPECT_EQ(r.figures.total_infected, 2000u);
  ASSERT_TRUE(r.figures.time_to_10 && r.figures.time_to_50 && r.figures.time_to_90);
  EXPECT_LT(*r.figures.time_to_10, *r.figures.time_to_50);
  EXPECT_LT(*r.figures.time_to_50, *r.figures.time_to_90);
  EXPECT_GT(r.figures.peak_new_per_minute, 0u);
  EXPECT_GT(r.figures.probes, 0.0);
}

TEST(Simulate, NoSpreadMeansNoMilestones) {
  Scenario s = small_outbreak();
  s.worm.scan_rate = 1e-9;
  const Result r = simulate(s, 8, 0);
  EXPECT_EQ(r.figures.total_infected, 3u);
  EXPECT_FALSE(r.figures.time_to_10.has_value());
  // Probes are integrated exactly: 3 scanners for 600 s at 1e-9 probes/s.
  EXPECT_NEAR(r.figures.probes, 3 * 600 * 1e-9, 1e-18);
}

TEST(Simulate, PatchesReleasedBeforeTheWormApplyAtTheStart) {
  // Expected share patched at t = 0: (1 - never) (1 - 2^(-age / half_life)).
  Scenario s = small_outbreak();
  s.population.hosts = 40000;
  s.worm.scan_rate = 1e-9;
  s.patching.enabled = true;
  s.patching.release = -30 * kDay;
  s.patching.half_life = 30 * kDay;
  s.patching.never_fraction = 0.2;
  const Result r = simulate(s, 21, 0);
  const double expected = 0.8 * 0.5;
  const double share = r.series[Series::kPatched][0] / 40000.0;
  EXPECT_NEAR(share, expected, 4.0 * std::sqrt(expected * (1 - expected) / 40000.0));
}

TEST(Simulate, PatchingWaitsForTheRelease) {
  Scenario s = small_outbreak();
  s.worm.scan_rate = 1e-9;
  s.patching.enabled = true;
  s.patching.release = 300;
  s.patching.half_life = 10;
  const Result r = simulate(s, 2, 0);
  for (std::size_t k = 0; k < r.series.time.size(); ++k) {
    if (r.series.time[k] <= 300) {
      EXPECT_EQ(r.series[Series::kPatched][k], 0.0);
    }
  }
  EXPECT_GT(r.series[Series::kPatched].back(), 1900.0);
}

TEST(Simulate, CuringPatchesCleanInfectedHosts) {
  Scenario s = small_outbreak();
  s.patching.enabled = true;
  s.patching.release = 0;
  s.patching.half_life = 60;
  s.patching.cures_infected = true;
  const Result r = simulate(s, 2, 0);
  EXPECT_GT(r.figures.final_cleaned, 0u);
  s.patching.cures_infected = false;
  EXPECT_EQ(simulate(s, 2, 0).figures.final_cleaned, 0u);
}

// Blaster on a clustered space: every sweep starts at the base of its own /24 (local
// starts only, no backoff), so hosts outside the seed's /24 are found only by sweeps
// that leave their block and walk on through empty space into the next blocks, in
// address order. The seed's sweep leads (a host infected at address a starts at its
// /24 base <= a, behind the sweep that infected it), so at the end exactly the hosts
// from the seed's /24 base up to the address the seed's sweep has reached are infected.
TEST(Simulate, SequentialSweepsCrossOrganisationBlocksInAddressOrder) {
  Scenario s;
  s.name = "blocks";
  s.population.hosts = 400;
  s.population.placement.kind = PlacementKind::kClustered;
  s.population.placement.allocated = {Prefix{0x0a010000, 16}};  // 10.1.0.0/16
  s.population.placement.block_sizes = {{24, 1.0}};
  s.worm.strategy = ScanStrategy::kSequential;
  s.worm.sequential = {.local_start = 1.0, .local_backoff = 1, .batch = 1};
  s.worm.scan_rate = 10.0;
  s.worm.seed_addresses = {0x0a010001};  // 10.1.0.1: its sweep starts at 10.1.0.0
  s.run.duration = 3600.05;  // the seed's sweep reaches 10.1.0.0 + 36,000, between two probes
  s.run.report_interval = 600;
  const std::uint64_t seed = 5;
  for (std::uint64_t replicate = 0; replicate < 3; ++replicate) {
    detail::Rng placement(seed, replicate, detail::StreamPurpose::kPlacement);
    const std::vector<std::uint32_t> hosts = detail::place_hosts(s, placement);
    const std::uint32_t reached = 0x0a010000 + 36000;
    std::set<std::uint32_t> blocks;
    std::uint64_t expected = 0;
    for (std::uint32_t a : hosts) {
      if (a <= reached) {
        ++expected;
        blocks.insert(a >> 8);
      }
    }
    ASSERT_GE(blocks.size(), 5u) << "the placement should put several blocks in the seed's way";
    ASSERT_LT(expected, hosts.size()) << "the placement should leave hosts beyond the sweep's reach";
    const Result r = simulate(s, seed, replicate);
    EXPECT_EQ(r.figures.total_infected, expected) << "replicate " << replicate;
    EXPECT_EQ(r.figures.local_sweeps, r.figures.sweeps_started);
  }
}

// A patch out long before the worm, adopted by every host: nothing is left to seed,
// by either seed rule or strategy, and the run ends with no infection.
TEST(Simulate, SeedsNoHostWhenEveryHostIsPatchedBeforeTheWorm) {
  for (const ScanStrategy strategy : {ScanStrategy::kUniform, ScanStrategy::kSequential}) {
    for (const SeedRule rule : {SeedRule::kRandom, SeedRule::kLargestPrefixes}) {
      Scenario s = small_outbreak();
      s.worm.strategy = strategy;
      s.worm.seed_rule = rule;
      s.worm.initial_infected = 10;
      s.patching.enabled = true;
      s.patching.release = -1000 * kDay;
      s.patching.half_life = kHour;
      s.patching.never_fraction = 0.0;
      const Result r = simulate(s, 1, 0);
      EXPECT_EQ(r.figures.total_infected, 0u);
      EXPECT_EQ(r.series[Series::kInfected].back(), 0.0);
    }
  }
}

TEST(Simulate, RejectsAnInvalidScenario) {
  Scenario s = small_outbreak();
  s.worm.scan_rate = -1;
  EXPECT_THROW((void)simulate(s, 1, 0), InvalidScenario);
}

TEST(RadixSort, AgreesWithStdSort) {
  detail::Rng rng(3, 0, detail::StreamPurpose::kTest);
  std::vector<std::uint32_t> keys(200000);
  for (auto& k : keys) k = static_cast<std::uint32_t>(rng.next_u64());
  auto expected = keys;
  std::sort(expected.begin(), expected.end());
  detail::sort_u32(keys);
  EXPECT_EQ(keys, expected);
}

TEST(RadixSort, SortsByTheUpperHalfStably) {
  detail::Rng rng(4, 0, detail::StreamPurpose::kTest);
  for (const std::size_t n : {std::size_t{1000}, std::size_t{200000}}) {
    std::vector<std::uint64_t> keys(n);
    // Few distinct upper halves (so that stability shows), lower halves in draw order.
    for (std::size_t i = 0; i < n; ++i) keys[i] = (rng.next_u64() % 5000) << 32 | (rng.next_u64() >> 40);
    auto expected = keys;
    std::stable_sort(expected.begin(), expected.end(),
                     [](std::uint64_t a, std::uint64_t b) { return (a >> 32) < (b >> 32); });
    detail::sort_u64_by_high32(keys);
    EXPECT_EQ(keys, expected) << n;
  }
}

}  // namespace
}  // namespace patchrace
