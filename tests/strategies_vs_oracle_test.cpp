// The fast engine against the naive per-probe oracle (tests/oracle/naive_simulator)
// for the worm features beyond uniform scanning: host types with crashing exploits,
// local preference, sequential sweeps, permutation scanning (with and without
// dormancy), bandwidth limits with a binding backbone capacity, and a hit-list of the
// largest /16s released over a seed window. Small spaces, fixed seeds, both sides run
// for the same replicate count.
//
// Every two-sample test here has significance α = 0.001 (as in engine_vs_oracle_test):
//  - Kolmogorov–Smirnov on time_to_50 (censored: "never" beyond every finite time) and
//    on the final size: reject when D > 1.949 sqrt((n + m) / (n m));
//  - two-proportion z-test on reaching 50 %: reject when |z| > 3.29;
//  - means of every series at 1/4, 1/2, 3/4 and all of the run (and of the probes sent,
//    for the Poisson strategies): reject when the difference exceeds 4 standard errors.
// Sequential and permutation scanners send probes on a deterministic grid, so their
// times can tie; times are rounded to 1 µs before the KS tests so that rounding
// differences of a few ulps between the engine and the oracle do not count. Their
// rates are chosen so that no scan step coincides with a report instant or the end.
//
// Building with PATCHRACE_STRATEGIES_ORACLE_ONLY defined compares the oracle with
// itself (another seed) instead of the engine: a check of the tests themselves.
#include <fmt/core.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "oracle/agreement.hpp"
#include "oracle/ks_test.hpp"
#include "oracle/naive_simulator.hpp"
#include "patchrace/result.hpp"
#include "patchrace/scenario.hpp"
#include "patchrace/simulate.hpp"

namespace {

using patchrace::FailureOutcome;
using patchrace::Prefix;
using patchrace::Result;
using patchrace::Scenario;
using patchrace::ScanStrategy;
using patchrace::Series;
using patchrace::testing::ks_critical_value;
using patchrace::testing::ks_p_value;
using patchrace::testing::ks_statistic;
using patchrace::testing::naive_simulate;
using patchrace::testing::collect;
using patchrace::testing::Ensembles;
using patchrace::testing::expect_same_distribution;
using patchrace::testing::expect_same_mean;
using patchrace::testing::expect_same_proportion;
using patchrace::testing::expect_same_series_means;
using patchrace::testing::kAlpha;
using patchrace::testing::kMeanK;
using patchrace::testing::kZAlpha;
using patchrace::testing::mean_var;
using patchrace::testing::MeanVar;

constexpr std::uint64_t kEngineSeed = 20240612;
constexpr std::uint64_t kOracleSeed = 1979;
constexpr double kTimeResolution = 1e-6;  // seconds: times are compared at this resolution

Result run_engine(const Scenario& s, std::uint64_t replicate) {
#ifdef PATCHRACE_STRATEGIES_ORACLE_ONLY
  return naive_simulate(s, kEngineSeed, replicate);
#else
  return patchrace::simulate(s, kEngineSeed, replicate);
#endif
}

Ensembles run_both(const Scenario& s, int replicates) {
  Ensembles e;
  for (int r = 0; r < replicates; ++r) {
    e.engine.push_back(run_engine(s, static_cast<std::uint64_t>(r)));
    e.oracle.push_back(naive_simulate(s, kOracleSeed, static_cast<std::uint64_t>(r)));
  }
  double engine_wall = 0.0, oracle_wall = 0.0;
  for (const auto& r : e.engine) engine_wall += r.wall_seconds;
  for (const auto& r : e.oracle) oracle_wall += r.wall_seconds;
  fmt::print("{}: {} replicates each; engine {:.2f} s, oracle {:.2f} s\n", s.name, replicates, engine_wall,
             oracle_wall);
  return e;
}

double rounded_time(double t) { return std::round(t / kTimeResolution) * kTimeResolution; }

/// Time to 50 % at kTimeResolution, "never" censored beyond every finite value.
double censored_time_to_half(const Result& r) {
  return r.figures.time_to_50 ? rounded_time(*r.figures.time_to_50) : std::numeric_limits<double>::max();
}

/// Time to 90 % likewise.
double time_to_90(const Result& r) {
  return r.figures.time_to_90 ? rounded_time(*r.figures.time_to_90) : std::numeric_limits<double>::max();
}

double total_infected(const Result& r) { return static_cast<double>(r.figures.total_infected); }

void check_figures_are_consistent(const std::vector<Result>& results) {
  for (const auto& r : results) {
    const auto& f = r.figures;
    ASSERT_EQ(f.final_infected + f.final_cleaned + f.final_patched +
                  static_cast<std::uint64_t>(r.series[Series::kSusceptible].back()),
              f.vulnerable);
    ASSERT_EQ(static_cast<double>(f.total_infected), r.series[Series::kCumulativeInfected].back());
  }
}

enum class Probes { kCompare, kSkip };

/// The common checks: consistency, reaching 50 % and its time, the final size, the
/// series means, and (for Poisson scanners, whose count the engine knows in
/// expectation) the probes sent.
void expect_agreement(const Ensembles& e, Probes probes) {
  check_figures_are_consistent(e.engine);
  check_figures_are_consistent(e.oracle);
  const auto reached = [](const std::vector<Result>& rs) {
    std::size_t k = 0;
    for (const auto& r : rs) k += r.figures.time_to_50.has_value() ? 1 : 0;
    return k;
  };
  expect_same_proportion(reached(e.engine), reached(e.oracle), e.engine.size(), "reached 50 %");
  expect_same_distribution(collect(e.engine, censored_time_to_half), collect(e.oracle, censored_time_to_half),
                           "time_to_50 (censored)");
  expect_same_distribution(collect(e.engine, total_infected), collect(e.oracle, total_infected), "total_infected");
  const MeanVar t_e = mean_var(collect(e.engine, total_infected));
  const MeanVar t_o = mean_var(collect(e.oracle, total_infected));
  fmt::print("  total_infected mean ± sd: engine {:.1f} ± {:.1f}, oracle {:.1f} ± {:.1f} (of {})\n", t_e.mean,
             std::sqrt(t_e.var), t_o.mean, std::sqrt(t_o.var), e.oracle.front().figures.vulnerable);
  const auto median_time_to_half = [](const std::vector<Result>& rs) {
    std::vector<double> t = collect(rs, censored_time_to_half);
    std::nth_element(t.begin(), t.begin() + static_cast<std::ptrdiff_t>(t.size() / 2), t.end());
    return t[t.size() / 2];
  };
  fmt::print("  time_to_50 median: engine {:.3g} s, oracle {:.3g} s\n", median_time_to_half(e.engine),
             median_time_to_half(e.oracle));
  expect_same_series_means(e);
  if (probes == Probes::kCompare) {
    const auto sent = [](const Result& r) { return r.figures.probes; };
    expect_same_mean(collect(e.engine, sent), collect(e.oracle, sent), "probes sent");
  }
}

Scenario space(const char* name, std::uint32_t base, int prefix_length, std::uint64_t hosts) {
  Scenario s;
  s.name = name;
  s.address_space.base = base;
  s.address_space.prefix_length = prefix_length;
  s.population.hosts = hosts;
  return s;
}

/// The /16s of 10.16.0.0/12 other than those listed, as excluded prefixes.
std::vector<Prefix> all_slash16s_of_10_16_but(const std::vector<std::uint32_t>& kept_second_bytes) {
  std::vector<Prefix> excluded;
  for (std::uint32_t b = 16; b < 32; ++b) {
    if (std::find(kept_second_bytes.begin(), kept_second_bytes.end(), b) == kept_second_bytes.end()) {
      excluded.push_back(Prefix{(10u << 24) | (b << 16), 16});
    }
  }
  return excluded;
}

}  // namespace

// Three host types on a /18 with 1,500 hosts: "a" (half) always infected, "b" (30 %)
// infected by 40 % of the exploits and crashed for 8 s by the others, "c" (20 %) never
// infected but crashed for 15 s by every probe. Patching from t = 5 s (half-life 120 s,
// 30 % never, curing) also reaches crashed hosts, which then come back patched.
TEST(StrategiesVsOracle, AgreesWithHostTypesAndCrashingExploits) {
  Scenario s = space("types-and-crash", 0x0A014000, 18, 1500);
  s.population.types = {{"a", 0.5}, {"b", 0.3}, {"c", 0.2}};
  s.worm.scan_rate = 3.5;
  s.worm.initial_infected = 3;
  s.worm.exploits = {{.type = "b", .success = 0.4, .on_failure = FailureOutcome::kCrash, .downtime = 8.0},
                     {.type = "c", .success = 0.0, .on_failure = FailureOutcome::kCrash, .downtime = 15.0}};
  s.patching.enabled = true;
  s.patching.release = 5.0;
  s.patching.half_life = 120.0;
  s.patching.never_fraction = 0.3;
  s.patching.cures_infected = true;
  s.run.duration = 60.0;
  s.run.report_interval = 2.0;
  const Ensembles e = run_both(s, 800);
  expect_agreement(e, Probes::kCompare);
  const auto patched = [](const Result& r) { return static_cast<double>(r.figures.final_patched); };
  expect_same_distribution(collect(e.engine, patched), collect(e.oracle, patched), "final_patched");
}

// Uniform scanning on a /18 with 1,600 hosts of two types whose first, "a" (60 %),
// is infected by 55 % of the exploits and crashed for 6 s by 15 %, the rest of the
// probes doing nothing; "b" always infected. Eight seeds and a fast worm make the
// outbreak almost deterministic. The first type's contact rate 2 % low fails the
// series' means (5.8 standard errors at the end) and the KS tests, and its weight 2 %
// low in the exploit's outcome too fails the crash count by 15 standard errors,
// where the host-type test above passes both.
TEST(StrategiesVsOracle, AgreesWhenTheFirstHostTypesWeightIsNotOne) {
  Scenario s = space("first-type-weight", 0x0A014000, 18, 1600);
  s.population.types = {{"a", 0.6}, {"b", 0.4}};
  s.worm.exploits = {{.type = "a", .success = 0.55, .on_failure = FailureOutcome::kCrash, .downtime = 6.0}};
  s.worm.scan_rate = 6.0;
  s.worm.initial_infected = 8;
  s.run.duration = 24.0;
  s.run.report_interval = 1.0;
  const Ensembles e = run_both(s, 800);
  expect_agreement(e, Probes::kCompare);
  const auto crashes = [](const Result& r) { return static_cast<double>(r.figures.crashes); };
  expect_same_mean(collect(e.engine, crashes), collect(e.oracle, crashes), "crashes");
}

// Code Red II's preference on 10.16.0.0/12 with hosts clustered in three /19s of three
// /16s (500 hosts each, everything else excluded): own /8 (mostly empty, partly outside
// the space) with 0.5, own /16 with 0.375, otherwise anywhere in the three /19s.
TEST(StrategiesVsOracle, AgreesUnderLocalPreference) {
  Scenario s = space("local-preference", 0x0A100000, 12, 1500);
  s.worm.excluded = all_slash16s_of_10_16_but({17, 21, 30});
  for (const Prefix& p : {Prefix{0x0A112000, 19}, Prefix{0x0A114000, 18}, Prefix{0x0A118000, 17},
                          Prefix{0x0A150000, 18}, Prefix{0x0A156000, 19}, Prefix{0x0A158000, 17},
                          Prefix{0x0A1E0000, 17}, Prefix{0x0A1E8000, 18}, Prefix{0x0A1EC000, 19}}) {
    s.worm.excluded.push_back(p);  // keeps 10.17.0.0/19, 10.21.64.0/19, 10.30.224.0/19
  }
  s.worm.strategy = ScanStrategy::kLocalPreference;
  s.worm.local_preference = {.same_slash8 = 0.5, .same_slash16 = 0.375};
  s.worm.scan_rate = 16.0;
  s.worm.initial_infected = 1;
  s.run.duration = 50.0;
  s.run.report_interval = 2.0;
  const Ensembles e = run_both(s, 300);
  expect_agreement(e, Probes::kCompare);
}

// The same preference on 10.16.0.0/14 with hosts in the first /19 of each of its four
// /16s, of two types ("b", 40 %, infected by a third of the exploits and crashed for
// 5 s by the others) and two link classes (half held to 10 probes/s): each block's
// weights then sum over types and link classes.
TEST(StrategiesVsOracle, AgreesUnderLocalPreferenceWithHostTypesAndLinkClasses) {
  Scenario s = space("local-preference-types", 0x0A100000, 14, 1200);
  for (std::uint32_t b = 16; b < 20; ++b) {
    for (const Prefix& p : {Prefix{(10u << 24) | (b << 16) | 0x2000, 19}, Prefix{(10u << 24) | (b << 16) | 0x4000, 18},
                            Prefix{(10u << 24) | (b << 16) | 0x8000, 17}}) {
      s.worm.excluded.push_back(p);  // keeps 10.b.0.0/19
    }
  }
  s.population.types = {{"a", 0.6}, {"b", 0.4}};
  s.worm.exploits = {{.type = "b", .success = 1.0 / 3.0, .on_failure = FailureOutcome::kCrash, .downtime = 5.0}};
  s.worm.strategy = ScanStrategy::kLocalPreference;
  s.worm.local_preference = {.same_slash8 = 0.3, .same_slash16 = 0.5};
  s.worm.scan_rate = 40.0;
  s.worm.bandwidth = {.enabled = true, .probe_bytes = 404, .links = {{0.5, 1e6}, {0.5, 8.0 * 404 * 10}}, .capacity = 0.0};
  s.worm.initial_infected = 2;
  s.run.duration = 60.0;
  s.run.report_interval = 2.0;
  const Ensembles e = run_both(s, 300);
  expect_agreement(e, Probes::kCompare);
}

// A space smaller than a /16 (10.1.64.0/18): own /16 picks land in the space only a
// quarter of the time, own /8 picks almost never.
TEST(StrategiesVsOracle, AgreesUnderLocalPreferenceOnASpaceSmallerThanItsSlash16) {
  Scenario s = space("local-preference-small", 0x0A014000, 18, 800);
  s.worm.strategy = ScanStrategy::kLocalPreference;
  s.worm.local_preference = {.same_slash8 = 0.2, .same_slash16 = 0.6};
  s.worm.scan_rate = 6.0;
  s.worm.initial_infected = 2;
  s.run.duration = 60.0;
  s.run.report_interval = 2.0;
  const Ensembles e = run_both(s, 600);
  expect_agreement(e, Probes::kCompare);
}

// Blaster-like sweeps on a /18 with 2,000 hosts: 40 % local starts (own /24 lowered by
// up to 19), batches of 20 every 20 / 3.93 s.
TEST(StrategiesVsOracle, AgreesUnderSequentialScanning) {
  Scenario s = space("sequential", 0x0A014000, 18, 2000);
  s.worm.strategy = ScanStrategy::kSequential;
  s.worm.sequential = {.local_start = 0.4, .local_backoff = 20, .batch = 20};
  s.worm.scan_rate = 3.93;
  s.worm.initial_infected = 2;
  s.run.duration = 38.0;
  s.run.report_interval = 3.0;
  const Ensembles e = run_both(s, 600);
  expect_agreement(e, Probes::kSkip);
}

// A /20 (10.1.48.0/20) whose middle half is excluded: 200 hosts in its bottom and top
// /22s. The seed sits near the top and 80 % of the sweeps start locally (own /24
// lowered by up to 3), so they cross the top of the space and wrap to its bottom;
// 41.3 addresses/s in batches of 10; half of the exploits fail.
TEST(StrategiesVsOracle, AgreesWhenSequentialSweepsWrapOnASmallSpace) {
  Scenario s = space("sequential-wrap", 0x0A013000, 20, 200);
  s.worm.excluded = {Prefix{0x0A013400, 22}, Prefix{0x0A013800, 22}};
  s.worm.seed_addresses = {0x0A013F3C};  // 10.1.63.60
  s.worm.strategy = ScanStrategy::kSequential;
  s.worm.sequential = {.local_start = 0.8, .local_backoff = 4, .batch = 10};
  s.worm.scan_rate = 41.3;
  s.worm.exploit_success = 0.5;
  s.run.duration = 24.0;
  s.run.report_interval = 2.0;
  const Ensembles e = run_both(s, 600);
  expect_agreement(e, Probes::kSkip);
  expect_same_distribution(collect(e.engine, time_to_90), collect(e.oracle, time_to_90), "time_to_90 (censored)");
}

// Sweeps that must wrap: a /20 (10.1.48.0/20) whose middle half is excluded, 400
// hosts in its bottom and top /22s, one seed near its top, and every sweep started
// in its scanner's own /24 (no back-off). The bottom /22 is reached only by sweeps
// that cross the top of the space and wrap to its bottom (a sweep up from the top
// /22 would need 100 s to cross the excluded half), so the bottom's infections,
// half of the outbreak, are timed by the wrap.
TEST(StrategiesVsOracle, AgreesWhenEverySweepMustWrapToReachHalfTheHosts) {
  Scenario s = space("sequential-must-wrap", 0x0A013000, 20, 400);
  s.worm.excluded = {Prefix{0x0A013400, 22}, Prefix{0x0A013800, 22}};
  s.worm.seed_addresses = {0x0A013EC8};  // 10.1.62.200
  s.worm.strategy = ScanStrategy::kSequential;
  s.worm.sequential = {.local_start = 1.0, .local_backoff = 1, .batch = 10};
  s.worm.scan_rate = 41.3;
  s.run.duration = 44.0;
  s.run.report_interval = 2.0;
  const Ensembles e = run_both(s, 600);
  expect_agreement(e, Probes::kSkip);
  // While the wrapped sweeps cross the bottom /22 (the seed's from about 12 s). A
  // wrap that lands 2 % of the space late (82 addresses, 2 s) fails the KS test of
  // time_to_50 (D = 0.60) and these means by about 28 standard errors, where the
  // test above passes it; a wrap one batch late (0.24 s) moves them by about 3
  // standard errors each, below the bound.
  for (std::size_t k = 7; k <= 15; ++k) {
    const auto infected_by = [k](const Result& r) { return r.series[Series::kCumulativeInfected][k]; };
    expect_same_mean(collect(e.engine, infected_by), collect(e.oracle, infected_by),
                     fmt::format("cumulative infected at t = {} s", 2 * k));
  }
}

/// Permutation scanning on a /20 with 500 hosts at 1.4142 probes/s from two seeds,
/// copies dormant after `dormant_after` hits (0: never), reported every 2.5 s for
/// `duration` seconds.
Scenario permutation_space(const char* name, std::uint32_t dormant_after, double duration) {
  Scenario s = space(name, 0x0A013000, 20, 500);
  s.worm.strategy = ScanStrategy::kPermutation;
  s.worm.permutation.dormant_after = dormant_after;
  s.worm.scan_rate = 1.4142;
  s.worm.initial_infected = 2;
  s.run.duration = duration;
  s.run.report_interval = 2.5;
  return s;
}

// Permutation scanning: copies jump on reaching an infected host and never stop.
TEST(StrategiesVsOracle, AgreesUnderPermutationScanning) {
  const Scenario s = permutation_space("permutation", 0, 36.0);
  const Ensembles e = run_both(s, 800);
  expect_agreement(e, Probes::kSkip);
}

// The same with copies going dormant at their first hit on an infected host: the walks
// cover the permutation in segments, so the outbreak still nears the whole population,
// but its last hosts are found later (time_to_90) or not at all.
TEST(StrategiesVsOracle, AgreesUnderPermutationScanningWithDormancy) {
  const Scenario s = permutation_space("permutation-dormant", 1, 60.0);
  const Ensembles e = run_both(s, 800);
  expect_agreement(e, Probes::kSkip);
  expect_same_distribution(collect(e.engine, time_to_90), collect(e.oracle, time_to_90), "time_to_90 (censored)");
}

// Copies going dormant at their third hit. Infected hosts stay infected, so the
// engine takes every hit but the third when the probe is scheduled, not when it
// arrives (see Sweeps::schedule_from); the oracle probes address by address.
TEST(StrategiesVsOracle, AgreesUnderPermutationScanningDormantAtTheThirdHit) {
  const Scenario s = permutation_space("permutation-dormant-3", 3, 60.0);
  const Ensembles e = run_both(s, 800);
  expect_agreement(e, Probes::kSkip);
  expect_same_distribution(collect(e.engine, time_to_90), collect(e.oracle, time_to_90), "time_to_90 (censored)");
}

// Copies going dormant at their second hit, on hosts cleaned after a mean 25 s: a
// cleaned host is neither a hit nor a target any more, and its copy stops.
TEST(StrategiesVsOracle, AgreesUnderPermutationScanningWithCleanup) {
  Scenario s = permutation_space("permutation-cleanup", 2, 60.0);
  s.worm.initial_infected = 4;
  s.cleanup = {.enabled = true, .mean_delay = 25.0, .group_mean_delay = {}};
  const Ensembles e = run_both(s, 800);
  expect_agreement(e, Probes::kSkip);
}

// Two link classes on a /18 with 1,000 hosts: half scan at the worm's 5 probes/s, half
// are held to 1 probe/s by a 3,232 bit/s link; a backbone carrying 400 probes/s binds
// once about 130 hosts are infected, and probes are lost from then on.
TEST(StrategiesVsOracle, AgreesWhenBandwidthCapacityBinds) {
  Scenario s = space("bandwidth", 0x0A014000, 18, 1000);
  s.worm.scan_rate = 5.0;
  s.worm.bandwidth = {.enabled = true,
                      .probe_bytes = 404,
                      .links = {{0.5, 1e6}, {0.5, 8.0 * 404 * 1}},
                      .capacity = 400.0};
  s.worm.initial_infected = 1;
  s.run.duration = 60.0;
  s.run.report_interval = 2.0;
  const Ensembles e = run_both(s, 800);
  expect_agreement(e, Probes::kCompare);
}

// A hit-list of the 6 hosts of the largest /16s, released over 20 s, on 10.16.0.0/12
// with hosts in 10.16.0.0/19, 10.17.0.0/20 and 10.18.0.0/21 (about 800, 400 and 200 of
// 1,400) and a patch released 20 s before the start (never 30 %). Local preference
// makes the seeds' /16 matter.
TEST(StrategiesVsOracle, AgreesWithALargestPrefixesHitListOverASeedWindow) {
  Scenario s = space("largest-prefixes", 0x0A100000, 12, 1400);
  s.worm.excluded = all_slash16s_of_10_16_but({16, 17, 18});
  for (const Prefix& p : {Prefix{0x0A102000, 19}, Prefix{0x0A104000, 18}, Prefix{0x0A108000, 17},
                          Prefix{0x0A111000, 20}, Prefix{0x0A112000, 19}, Prefix{0x0A114000, 18},
                          Prefix{0x0A118000, 17}, Prefix{0x0A120800, 21}, Prefix{0x0A121000, 20},
                          Prefix{0x0A122000, 19}, Prefix{0x0A124000, 18}, Prefix{0x0A128000, 17}}) {
    s.worm.excluded.push_back(p);
  }
  s.worm.strategy = ScanStrategy::kLocalPreference;
  s.worm.local_preference = {.same_slash8 = 0.2, .same_slash16 = 0.6};
  s.worm.scan_rate = 6.0;
  s.worm.seed_rule = patchrace::SeedRule::kLargestPrefixes;
  s.worm.initial_infected = 6;
  s.worm.seed_window = 20.0;
  s.patching.enabled = true;
  s.patching.release = -20.0;
  s.patching.half_life = 200.0;
  s.patching.never_fraction = 0.3;
  s.patching.cures_infected = false;
  s.run.duration = 60.0;
  s.run.report_interval = 2.0;
  const Ensembles e = run_both(s, 400);
  expect_agreement(e, Probes::kCompare);
  const auto ten = [](const Result& r) {
    return r.figures.time_to_10 ? rounded_time(*r.figures.time_to_10) : std::numeric_limits<double>::max();
  };
  expect_same_distribution(collect(e.engine, ten), collect(e.oracle, ten), "time_to_10 (censored)");
  const auto infected_in = [](std::size_t k) {
    return [k](const Result& r) { return r.series[Series::kCumulativeInfected][k]; };
  };
  for (std::size_t k : {1, 3, 5, 10}) {  // t = 2, 6, 10, 20 s: while the seeds arrive
    expect_same_mean(collect(e.engine, infected_in(k)), collect(e.oracle, infected_in(k)),
                     fmt::format("cumulative infected at t = {} s", 2 * k));
  }
}
