// Hand-checked cases of the naive per-probe oracle (tests/oracle/naive_simulator) for
// the scan strategies, host types, crashes, bandwidth and the hit-list: small
// scenarios whose every probe can be predicted, checked through the oracle's trace.
// Hosts are put at chosen addresses by excluding every other address of the space
// (exclude_all_but) and asking for as many hosts as addresses remain.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <set>
#include <vector>

#include "base/permutation.hpp"
#include "base/rng.hpp"
#include "oracle/naive_simulator.hpp"
#include "patchrace/result.hpp"
#include "patchrace/scenario.hpp"

namespace patchrace::testing {
namespace {

constexpr std::uint64_t kSeed = 4242;

/// Appends prefixes covering every address of `base`/`length` except those in `keep`.
void cover_complement(std::uint32_t base, int length, const std::vector<std::uint32_t>& keep,
                      std::vector<Prefix>& out) {
  const Prefix block{base, length};
  const bool holds_kept = std::any_of(keep.begin(), keep.end(), [&](std::uint32_t a) { return block.contains(a); });
  if (!holds_kept) {
    out.push_back(block);
    return;
  }
  if (length == 32) return;
  const auto half = static_cast<std::uint32_t>(block.size() / 2);
  cover_complement(base, length + 1, keep, out);
  cover_complement(base + half, length + 1, keep, out);
}

/// worm.excluded and population.hosts such that the hosts sit exactly at `keep`.
void place_exactly_at(Scenario& s, const std::vector<std::uint32_t>& keep) {
  s.worm.excluded.clear();
  cover_complement(s.address_space.base, s.address_space.prefix_length, keep, s.worm.excluded);
  s.population.hosts = keep.size();
}

Scenario base_scenario(std::uint32_t base, int prefix_length) {
  Scenario s;
  s.name = "oracle-unit";
  s.address_space.base = base;
  s.address_space.prefix_length = prefix_length;
  s.population.hosts = 1;
  s.worm.scan_rate = 1.0;
  s.run.duration = 10.0;
  s.run.report_interval = 10.0;
  return s;
}

std::vector<ProbeRecord> probes_from(const NaiveTrace& trace, std::uint32_t source) {
  std::vector<ProbeRecord> out;
  for (const auto& p : trace.probes) {
    if (p.source == source) out.push_back(p);
  }
  return out;
}

// Space 10.1.2.0/23 (512 addresses) with hosts at offsets 300 (the seed), 400 and 10.
// Every host starts locally at its own /24 (offset 256 for the seed and for 400, 0 for
// 10), batch 50 at 25 probes/s: one batch every 2 s.
//   seed: batch k covers 256 + 50k ... at t = 2k; batch 2 (356..405) infects 400 at
//         t = 4; batch 5 (506..511, then 0..43 after the wrap) infects 10 at t = 10.
//   400:  infected at 4, batches at 4, 6, 8, 10.   10: batch 0 at t = 10.
// Probes by t = 11: 6 + 4 + 1 batches of 50 = 550.
TEST(NaiveOracle, SequentialSweepsInTimedBatchesAndWrapsAtTheTop) {
  const std::uint32_t base = 0x0A010200;
  Scenario s = base_scenario(base, 23);
  place_exactly_at(s, {base + 300, base + 400, base + 10});
  s.worm.seed_addresses = {base + 300};
  s.worm.strategy = ScanStrategy::kSequential;
  s.worm.sequential = {.local_start = 1.0, .local_backoff = 1, .batch = 50};
  s.worm.scan_rate = 25.0;
  s.run.duration = 11.0;
  s.run.report_interval = 1.0;
  NaiveTrace trace;
  const Result r = naive_simulate(s, kSeed, 0, &trace);

  ASSERT_EQ(trace.infections.size(), 3u);
  EXPECT_EQ(trace.infections[0].address, base + 300);
  EXPECT_TRUE(trace.infections[0].seed);
  EXPECT_EQ(trace.infections[1].address, base + 400);
  EXPECT_EQ(trace.infections[1].time, 4.0);
  EXPECT_FALSE(trace.infections[1].seed);
  EXPECT_EQ(trace.infections[2].address, base + 10);
  EXPECT_EQ(trace.infections[2].time, 10.0);
  EXPECT_EQ(r.figures.probes, 550.0);
  EXPECT_EQ(r.figures.time_to_50, 4.0);
  EXPECT_EQ(r.figures.time_to_90, 10.0);
  EXPECT_EQ(r.figures.total_infected, 3u);

  const auto seed_probes = probes_from(trace, base + 300);
  ASSERT_EQ(seed_probes.size(), 300u);
  for (std::size_t i = 0; i < seed_probes.size(); ++i) {
    const std::uint32_t expected = base + static_cast<std::uint32_t>((256 + i) % 512);
    ASSERT_EQ(seed_probes[i].target, expected) << "probe " << i;
    ASSERT_EQ(seed_probes[i].time, 2.0 * static_cast<double>(i / 50)) << "probe " << i;
  }
  EXPECT_EQ(seed_probes[255].target, base + 511);  // the top of the space, then the wrap
  EXPECT_EQ(seed_probes[256].target, base + 0);
  EXPECT_EQ(seed_probes[254].outcome, ProbeOutcome::kEmpty);
  const auto late_probes = probes_from(trace, base + 10);
  ASSERT_EQ(late_probes.size(), 50u);
  EXPECT_EQ(late_probes.front().target, base);
  EXPECT_EQ(late_probes.front().time, 10.0);
  EXPECT_EQ(late_probes[10].outcome, ProbeOutcome::kAlreadyInfected);  // itself
  // Series: cumulative infections 1 until t = 3, 2 from t = 4, 3 at t = 10 and 11.
  const auto& cumulative = r.series[Series::kCumulativeInfected];
  EXPECT_EQ(cumulative[3], 1.0);
  EXPECT_EQ(cumulative[4], 2.0);
  EXPECT_EQ(cumulative[9], 2.0);
  EXPECT_EQ(cumulative[10], 3.0);
  EXPECT_EQ(cumulative[11], 3.0);
}

// A random start is an allowed address of the space with its last byte cleared: on a
// /22 with its second /24 excluded, the sweep starts at offset 0, 512 or 768, each
// about a third of the time, never at 256.
TEST(NaiveOracle, SequentialRandomStartIsTheSlash24OfAnAllowedAddress) {
  const std::uint32_t base = 0x0A010000;
  Scenario s = base_scenario(base, 22);
  s.worm.excluded = {{base + 256, 24}};
  s.worm.seed_addresses = {base + 5};
  s.worm.strategy = ScanStrategy::kSequential;
  s.worm.sequential = {.local_start = 0.0, .local_backoff = 20, .batch = 8};
  s.run.duration = 1.0;
  std::map<std::uint32_t, int> starts;
  for (std::uint64_t rep = 0; rep < 300; ++rep) {
    NaiveTrace trace;
    (void)naive_simulate(s, kSeed, rep, &trace);
    ASSERT_EQ(trace.probes.size(), 8u);
    starts[trace.probes.front().target - base]++;
  }
  EXPECT_EQ(starts.count(256), 0u);
  for (std::uint32_t offset : {0u, 512u, 768u}) {
    EXPECT_GT(starts[offset], 60) << "start offset " << offset;
  }
  EXPECT_EQ(starts.size(), 3u);
}

// Local start: own A.B, own C lowered by a uniform integer in [0, backoff) only when
// C > backoff; a base outside the space falls back to the space's base.
TEST(NaiveOracle, SequentialLocalStartLowersTheThirdByteWithinTheBackoff) {
  const std::uint32_t base = 0x0A010000;
  Scenario s = base_scenario(base, 16);
  s.worm.strategy = ScanStrategy::kSequential;
  s.worm.sequential = {.local_start = 1.0, .local_backoff = 3, .batch = 4};
  s.run.duration = 1.0;
  const auto first_target = [&](std::uint32_t seed_address, std::uint64_t rep) {
    s.worm.seed_addresses = {seed_address};
    NaiveTrace trace;
    (void)naive_simulate(s, kSeed, rep, &trace);
    return trace.probes.front().target;
  };
  std::map<std::uint32_t, int> starts;
  for (std::uint64_t rep = 0; rep < 300; ++rep) starts[first_target(0x0A01054D, rep)]++;  // 10.1.5.77
  ASSERT_EQ(starts.size(), 3u);
  for (std::uint32_t start : {0x0A010300u, 0x0A010400u, 0x0A010500u}) EXPECT_GT(starts[start], 60);
  for (std::uint64_t rep = 0; rep < 50; ++rep) EXPECT_EQ(first_target(0x0A01034D, rep), 0x0A010300u);  // C = 3

  // A /26 at 10.1.2.64: the local base 10.1.2.0 lies outside, so the sweep starts at
  // the space's base; a random start on a space below 256 addresses does too.
  Scenario tiny = base_scenario(0x0A010240, 26);
  tiny.worm.strategy = ScanStrategy::kSequential;
  tiny.worm.sequential = {.local_start = 0.5, .local_backoff = 3, .batch = 4};
  tiny.worm.seed_addresses = {0x0A010250};
  for (std::uint64_t rep = 0; rep < 50; ++rep) {
    NaiveTrace trace;
    (void)naive_simulate(tiny, kSeed, rep, &trace);
    EXPECT_EQ(trace.probes.front().target, 0x0A010240u);
  }
}

/// Checks a permutation run against the walk: every copy's i-th probe at t0 + i / rate,
/// to the position after the previous one unless that probe hit an infected host; at
/// most `dormant_after` such hits (if > 0), the last of them ending the copy's probes.
/// Returns the number of jumps.
int check_permutation_walk(const Scenario& s, std::uint64_t rep, const NaiveTrace& trace) {
  const int bits = 32 - s.address_space.prefix_length;
  const detail::AddressPermutation walk(
      detail::Rng(kSeed, rep, detail::StreamPurpose::kSweeps, detail::kPermutationKey).next_u64(), bits);
  const std::uint64_t mask = (std::uint64_t{1} << bits) - 1;
  const double duration = s.run.duration;
  int jumps = 0;
  for (const auto& infection : trace.infections) {
    const auto probes = probes_from(trace, infection.address);
    int hits = 0;
    for (std::size_t i = 0; i < probes.size(); ++i) {
      EXPECT_NEAR(probes[i].time, infection.time + static_cast<double>(i) / s.worm.scan_rate, 1e-9);
      const bool hit = probes[i].outcome == ProbeOutcome::kAlreadyInfected;
      hits += hit ? 1 : 0;
      if (i + 1 == probes.size()) break;
      const std::uint64_t here = walk.inverse(probes[i].target - s.address_space.base);
      const std::uint64_t next = walk.inverse(probes[i + 1].target - s.address_space.base);
      if (hit) {
        ++jumps;
      } else {
        EXPECT_EQ(next, (here + 1) & mask) << "copy " << format_address(infection.address) << " probe " << i;
      }
    }
    const std::uint32_t dormant_after = s.worm.permutation.dormant_after;
    if (dormant_after > 0) {
      EXPECT_LE(hits, static_cast<int>(dormant_after));
      if (hits < static_cast<int>(dormant_after)) {
        // Still scanning: it sent every probe due by the end of the run.
        EXPECT_EQ(probes.size(), static_cast<std::size_t>(
                                     std::floor((duration - infection.time) * s.worm.scan_rate + 1e-9)) + 1);
      } else {
        EXPECT_EQ(probes.back().outcome, ProbeOutcome::kAlreadyInfected) << "dormant copy probed on";
      }
    }
  }
  return jumps;
}

// A dense /20 (1200 hosts, 3 seeds, 2 probes/s each): copies walk the shared
// permutation and jump when they reach an infected host.
TEST(NaiveOracle, PermutationWalksSuccessivePositionsAndJumpsOnInfectedHosts) {
  Scenario s = base_scenario(0x0A010000, 20);
  s.population.hosts = 1200;
  s.worm.initial_infected = 3;
  s.worm.strategy = ScanStrategy::kPermutation;
  s.worm.scan_rate = 2.0;
  s.run.duration = 30.0;
  int jumps = 0;
  for (std::uint64_t rep = 0; rep < 3; ++rep) {
    NaiveTrace trace;
    const Result r = naive_simulate(s, kSeed, rep, &trace);
    EXPECT_GT(r.figures.total_infected, 100u);
    jumps += check_permutation_walk(s, rep, trace);
  }
  EXPECT_GT(jumps, 50);
}

TEST(NaiveOracle, PermutationCopyGoesDormantAfterItsHitsButStaysInfected) {
  Scenario s = base_scenario(0x0A010000, 20);
  s.population.hosts = 1200;
  s.worm.initial_infected = 3;
  s.worm.strategy = ScanStrategy::kPermutation;
  s.worm.permutation.dormant_after = 2;
  s.worm.scan_rate = 2.0;
  s.run.duration = 40.0;
  int dormant = 0;
  for (std::uint64_t rep = 0; rep < 3; ++rep) {
    NaiveTrace trace;
    const Result r = naive_simulate(s, kSeed, rep, &trace);
    (void)check_permutation_walk(s, rep, trace);
    for (const auto& infection : trace.infections) {
      const auto probes = probes_from(trace, infection.address);
      dormant += std::count_if(probes.begin(), probes.end(), [](const ProbeRecord& p) {
                   return p.outcome == ProbeOutcome::kAlreadyInfected;
                 }) == 2;
    }
    EXPECT_EQ(r.figures.final_infected, r.figures.total_infected);  // dormant copies stay infected
  }
  EXPECT_GT(dormant, 20);
}

// A /28 full of hosts; the seed sweeps all 16 addresses every second (batch 16 at 16
// probes/s); every exploit fails and crashes the host for 2.5 s. Each other host is
// hit at t = 0..10: crashed at 0, 3, 6, 9 and offline at the other times.
TEST(NaiveOracle, CrashTakesTheHostOfflineForExactlyTheDowntime) {
  const std::uint32_t base = 0x0A010200;
  Scenario s = base_scenario(base, 28);
  s.population.hosts = 16;
  s.worm.seed_addresses = {base};
  s.worm.strategy = ScanStrategy::kSequential;
  s.worm.sequential = {.local_start = 0.5, .local_backoff = 20, .batch = 16};
  s.worm.scan_rate = 16.0;
  s.worm.exploits = {{.type = "host", .success = 0.0, .on_failure = FailureOutcome::kCrash, .downtime = 2.5}};
  s.run.duration = 10.0;
  NaiveTrace trace;
  const Result r = naive_simulate(s, kSeed, 0, &trace);
  ASSERT_EQ(trace.probes.size(), 11u * 16u);
  for (const auto& p : trace.probes) {
    const int second = static_cast<int>(p.time);
    ASSERT_EQ(p.time, static_cast<double>(second));
    if (p.target == base) {
      EXPECT_EQ(p.outcome, ProbeOutcome::kAlreadyInfected);
    } else {
      EXPECT_EQ(p.outcome, second % 3 == 0 ? ProbeOutcome::kCrashed : ProbeOutcome::kOffline)
          << "t = " << p.time << " target " << format_address(p.target);
    }
  }
  EXPECT_EQ(r.figures.events, 15u * 4u + 15u * 3u);  // crashes at 0, 3, 6, 9; returns at 2.5, 5.5, 8.5
  EXPECT_EQ(r.series[Series::kSusceptible].back(), 15.0);  // offline hosts count as susceptible
  EXPECT_EQ(r.figures.total_infected, 1u);
}

// Fragile hosts crash for 1000 s at t = 0 (the seed's only batch); sturdy ones just
// resist. With a patch half-life of 1 s from t = 0 every host is patched within 50 s,
// the crashed ones too: a patch reaching an offline host makes it P
// (docs/patching.md), and its return online at t = 1000 changes nothing.
TEST(NaiveOracle, PatchReachesOfflineHosts) {
  const std::uint32_t base = 0x0A010200;
  Scenario s = base_scenario(base, 28);
  s.population.hosts = 16;
  s.population.types = {{"fragile", 0.5}, {"sturdy", 0.5}};
  s.worm.seed_addresses = {base};
  s.worm.strategy = ScanStrategy::kSequential;
  s.worm.sequential = {.local_start = 0.0, .local_backoff = 20, .batch = 16};
  s.worm.scan_rate = 16.0 / 5000.0;  // one batch every 5000 s
  s.worm.exploits = {{.type = "fragile", .success = 0.0, .on_failure = FailureOutcome::kCrash, .downtime = 1000},
                     {.type = "sturdy", .success = 0.0, .on_failure = FailureOutcome::kNothing}};
  s.patching.enabled = true;
  s.patching.release = 0.0;
  s.patching.half_life = 1.0;
  s.patching.never_fraction = 0.0;
  s.patching.cures_infected = true;
  s.run.duration = 1500.0;
  s.run.report_interval = 50.0;
  bool mixed = false;
  for (std::uint64_t rep = 0; rep < 10; ++rep) {
    NaiveTrace trace;
    const Result r = naive_simulate(s, kSeed, rep, &trace);
    std::set<std::uint32_t> crashed;
    for (const auto& p : trace.probes) {
      if (p.outcome == ProbeOutcome::kCrashed) crashed.insert(p.target);
    }
    mixed = mixed || (!crashed.empty() && crashed.size() < 15);
    std::size_t patched_offline = 0;
    for (const auto& p : trace.patches) {
      EXPECT_FALSE(p.broken);
      if (crashed.contains(p.address)) {
        EXPECT_LT(p.time, 1000.0) << format_address(p.address);
        ++patched_offline;
      }
    }
    EXPECT_EQ(patched_offline, crashed.size());
    for (std::size_t k = 1; k < r.series.time.size(); ++k) {
      EXPECT_EQ(r.series[Series::kPatched][k], 15.0) << "t = " << r.series.time[k];
      EXPECT_EQ(r.series[Series::kSusceptible][k], 0.0) << "t = " << r.series.time[k];
    }
    EXPECT_EQ(r.figures.final_patched, 15u);
    EXPECT_EQ(r.figures.final_cleaned, 1u);  // the seed, cured by its patch
  }
  EXPECT_TRUE(mixed);
}

// A /14 with hosts only at chosen addresses: 3 in 10.4/16, 5 in 10.5/16, 5 in
// 10.6/16, 1 in 10.7/16. Seven seeds by largest prefixes: all of 10.5 (tied with 10.6,
// lower first), then two of 10.6 chosen uniformly.
TEST(NaiveOracle, LargestPrefixesSeedsFillTheDensestSlash16sFirst) {
  Scenario s = base_scenario(0x0A040000, 14);
  const std::vector<std::uint32_t> in_10_6 = {0x0A060001, 0x0A060101, 0x0A067F01, 0x0A068001, 0x0A06FF01};
  std::vector<std::uint32_t> keep = {0x0A040001, 0x0A040101, 0x0A040201, 0x0A050001, 0x0A050002,
                                     0x0A050003, 0x0A05A000, 0x0A05FFFF, 0x0A070009};
  keep.insert(keep.end(), in_10_6.begin(), in_10_6.end());
  place_exactly_at(s, keep);
  s.worm.seed_rule = SeedRule::kLargestPrefixes;
  s.worm.initial_infected = 7;
  s.worm.scan_rate = 1e-6;
  s.run.duration = 1.0;
  std::map<std::uint32_t, int> chosen_in_10_6;
  for (std::uint64_t rep = 0; rep < 100; ++rep) {
    NaiveTrace trace;
    (void)naive_simulate(s, kSeed, rep, &trace);
    ASSERT_EQ(trace.infections.size(), 7u);
    std::map<std::uint32_t, int> per_slash16;
    for (const auto& i : trace.infections) {
      EXPECT_TRUE(i.seed);
      EXPECT_EQ(i.time, 0.0);
      per_slash16[i.address >> 16]++;
      if ((i.address >> 16) == 0x0A06) chosen_in_10_6[i.address]++;
    }
    EXPECT_EQ(per_slash16[0x0A05], 5);
    EXPECT_EQ(per_slash16[0x0A06], 2);
  }
  for (std::uint32_t a : in_10_6) EXPECT_GT(chosen_in_10_6[a], 15) << format_address(a);
}

TEST(NaiveOracle, SeedWindowInfectsEachSeedAtAUniformTimeIfStillSusceptible) {
  Scenario s = base_scenario(0x0A040000, 14);
  s.population.hosts = 500;
  s.worm.seed_rule = SeedRule::kLargestPrefixes;
  s.worm.initial_infected = 7;
  s.worm.seed_window = 10.0;
  s.worm.scan_rate = 1e-6;
  s.run.duration = 20.0;
  s.run.report_interval = 10.0;
  for (std::uint64_t rep = 0; rep < 20; ++rep) {
    NaiveTrace trace;
    const Result r = naive_simulate(s, kSeed, rep, &trace);
    ASSERT_EQ(trace.infections.size(), 7u);
    std::set<std::uint32_t> slash16s;
    for (const auto& i : trace.infections) {
      EXPECT_TRUE(i.seed);
      EXPECT_GT(i.time, 0.0);
      EXPECT_LE(i.time, 10.0);
      slash16s.insert(i.address >> 16);
    }
    EXPECT_EQ(slash16s.size(), 1u);  // ~125 hosts per /16: all seeds from the largest
    EXPECT_EQ(r.series[Series::kCumulativeInfected][0], 0.0);
    EXPECT_EQ(r.series[Series::kCumulativeInfected][1], 7.0);
    EXPECT_EQ(r.figures.time_to_10, std::nullopt);
  }
  // Patched within a millisecond after t = 0, the seeds are no longer susceptible at
  // their times: nothing happens.
  s.patching.enabled = true;
  s.patching.release = 0.0;
  s.patching.half_life = 1e-4;
  s.patching.never_fraction = 0.0;
  s.patching.cures_infected = false;
  for (std::uint64_t rep = 0; rep < 20; ++rep) EXPECT_EQ(naive_simulate(s, kSeed, rep).figures.total_infected, 0u);
}

// Local preference on 10.16.0.0/12 with 10.20.0.0/14 excluded.
TEST(NaiveOracle, LocalPreferenceTargetsTheOwnSlash8OrSlash16OrTheAllowedSpace) {
  Scenario s = base_scenario(0x0A100000, 12);
  s.population.hosts = 300;
  s.worm.excluded = {{0x0A140000, 14}};
  s.worm.strategy = ScanStrategy::kLocalPreference;
  s.worm.scan_rate = 200.0;
  s.run.duration = 3.0;
  const auto run = [&](double p8, double p16) {
    s.worm.local_preference = {.same_slash8 = p8, .same_slash16 = p16};
    NaiveTrace trace;
    (void)naive_simulate(s, kSeed, 0, &trace);
    EXPECT_GT(trace.probes.size(), 500u);
    return trace;
  };
  const Prefix space{0x0A100000, 12};
  const Prefix excluded{0x0A140000, 14};
  for (const auto& p : run(0.0, 1.0).probes) ASSERT_EQ(p.target >> 16, p.source >> 16);
  std::size_t inside = 0;
  const NaiveTrace slash8 = run(1.0, 0.0);
  for (const auto& p : slash8.probes) {
    ASSERT_EQ(p.target >> 24, p.source >> 24);
    inside += space.contains(p.target) ? 1 : 0;
    if (!space.contains(p.target)) {
      ASSERT_EQ(p.outcome, ProbeOutcome::kEmpty);
    }
  }
  const double fraction = static_cast<double>(inside) / static_cast<double>(slash8.probes.size());
  EXPECT_NEAR(fraction, 1.0 / 16.0, 5.0 * std::sqrt(1.0 / 16.0 / static_cast<double>(slash8.probes.size())));
  for (const auto& p : run(0.0, 0.0).probes) {
    ASSERT_TRUE(space.contains(p.target));
    ASSERT_FALSE(excluded.contains(p.target));
  }
  for (const auto& i : run(0.0, 1.0).infections) EXPECT_FALSE(excluded.contains(i.address));
}

// Uniform scanning never targets, and placement never uses, excluded addresses: a
// /20 with its lower half excluded and every allowed address holding a host.
TEST(NaiveOracle, UniformScanningAndPlacementAvoidExcludedPrefixes) {
  Scenario s = base_scenario(0x0A010000, 20);
  s.worm.excluded = {{0x0A010000, 21}};
  s.population.hosts = 2048;
  s.worm.scan_rate = 5.0;
  s.run.duration = 5.0;
  NaiveTrace trace;
  const Result r = naive_simulate(s, kSeed, 0, &trace);
  EXPECT_EQ(r.figures.total_infected, 2048u);  // every allowed probe finds a host
  for (const auto& p : trace.probes) {
    ASSERT_GE(p.target, 0x0A010800u);
    ASSERT_NE(p.outcome, ProbeOutcome::kEmpty);
  }
}

// One host, permutation scanning, a 1000 bit/s link with 125-byte probes: one probe a
// second although scan_rate is 10, at exactly t = 0, 1, ..., 100. A capacity of 0.5
// probes/s then delivers each probe with probability 1/2.
TEST(NaiveOracle, BandwidthCapsTheRateAndCapacityDropsProbes) {
  Scenario s = base_scenario(0x0A010000, 16);
  s.worm.strategy = ScanStrategy::kPermutation;
  s.worm.scan_rate = 10.0;
  s.worm.bandwidth = {.enabled = true, .probe_bytes = 125, .links = {{1.0, 1000.0}}, .capacity = 0.0};
  s.run.duration = 100.5;
  NaiveTrace trace;
  Result r = naive_simulate(s, kSeed, 0, &trace);
  ASSERT_EQ(trace.probes.size(), 101u);
  for (std::size_t i = 0; i < trace.probes.size(); ++i) EXPECT_EQ(trace.probes[i].time, static_cast<double>(i));
  EXPECT_EQ(r.figures.probes, 101.0);

  s.worm.bandwidth.capacity = 0.5;
  trace = {};
  r = naive_simulate(s, kSeed, 0, &trace);
  ASSERT_EQ(trace.probes.size(), 101u);  // lost probes are sent all the same
  const auto lost = std::count_if(trace.probes.begin(), trace.probes.end(),
                                  [](const ProbeRecord& p) { return p.outcome == ProbeOutcome::kLost; });
  EXPECT_NEAR(static_cast<double>(lost), 50.5, 4.5 * 5.0);
}

TEST(NaiveOracle, TraceDoesNotChangeTheRun) {
  Scenario s = base_scenario(0x0A100000, 12);
  s.population.hosts = 300;
  s.population.types = {{"a", 0.7}, {"b", 0.3}};
  s.worm.exploits = {{.type = "b", .success = 0.2, .on_failure = FailureOutcome::kCrash, .downtime = 1.0}};
  s.worm.strategy = ScanStrategy::kLocalPreference;
  s.worm.scan_rate = 100.0;
  NaiveTrace trace;
  EXPECT_EQ(naive_simulate(s, kSeed, 3, &trace), naive_simulate(s, kSeed, 3));
  EXPECT_NE(naive_simulate(s, kSeed, 3), naive_simulate(s, kSeed, 4));
}

}  // namespace
}  // namespace patchrace::testing
