// The fast engine against the naive per-probe oracle (tests/oracle/naive_simulator):
// on small address spaces both are run for many replicates with fixed seeds and their
// distributions compared.
//
// Every two-sample test in this file has significance α = 0.001:
//  - Kolmogorov–Smirnov: reject when D > c(α) sqrt((n + m) / (n m)), c(0.001) = 1.949;
//  - two-proportion z-test: reject when |z| > 3.29 (two-sided normal quantile at α);
//  - means (series at a few times, probes sent): reject when the difference exceeds
//    k · sqrt(s_e² / n + s_o² / n) with k = 4 (two-sided p ≈ 6e-5 per comparison, so
//    the ~200 mean comparisons below raise a false alarm about 1 % of the time).
// The engine's streams (kPlacement, kEngine) and the oracle's (kTest + 1..3) differ, so
// the two ensembles are independent samples.
#include <fmt/core.h>
#include <gtest/gtest.h>

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

using patchrace::Result;
using patchrace::Scenario;
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

constexpr int kReplicates = 800;     // per side and per scenario
constexpr std::uint64_t kEngineSeed = 20240611;
constexpr std::uint64_t kOracleSeed = 977;
constexpr std::uint32_t kBase = 0x0A010000;  // 10.1.0.0: a non-zero prefix base

Ensembles run_both(const Scenario& s) {
  Ensembles e;
  for (int r = 0; r < kReplicates; ++r) {
    e.engine.push_back(patchrace::simulate(s, kEngineSeed, static_cast<std::uint64_t>(r)));
    e.oracle.push_back(naive_simulate(s, kOracleSeed, static_cast<std::uint64_t>(r)));
  }
  return e;
}

/// Time to 50 % with "never" censored at a value beyond every finite one, so that one
/// KS test compares both the reached fraction and the times.
double censored_time_to_half(const Result& r) {
  return r.figures.time_to_50.value_or(std::numeric_limits<double>::max());
}

double total_infected(const Result& r) { return static_cast<double>(r.figures.total_infected); }

void expect_same_probe_means(const Ensembles& e) {
  const auto probes = [](const Result& r) { return r.figures.probes; };
  expect_same_mean(collect(e.engine, probes), collect(e.oracle, probes), "probes sent");
}

/// Time to 50 %: fraction of replicates that reach it (two-proportion test) and the
/// censored time (KS).
void expect_same_time_to_half(const Ensembles& e) {
  const auto reached = [](const std::vector<Result>& rs) {
    std::size_t k = 0;
    for (const auto& r : rs) k += r.figures.time_to_50.has_value() ? 1 : 0;
    return k;
  };
  expect_same_proportion(reached(e.engine), reached(e.oracle), e.engine.size(), "reached 50 %");
  expect_same_distribution(collect(e.engine, censored_time_to_half), collect(e.oracle, censored_time_to_half),
                           "time_to_50 (censored)");
}

void print_header(const char* name, const Ensembles& e) {
  double engine_wall = 0.0, oracle_wall = 0.0;
  for (const auto& r : e.engine) engine_wall += r.wall_seconds;
  for (const auto& r : e.oracle) oracle_wall += r.wall_seconds;
  fmt::print("{}: {} replicates each; engine {:.2f} s, oracle {:.2f} s\n", name, e.engine.size(), engine_wall,
             oracle_wall);
}

/// A /16 (10.1.0.0/16) with `hosts` hosts and K = scan_rate · hosts / 2^16 per second,
/// reported every 2 s.
Scenario small_space(std::uint64_t hosts, std::uint64_t seeds, double scan_rate, double duration) {
  Scenario s;
  s.name = "oracle-comparison";
  s.address_space.base = kBase;
  s.address_space.prefix_length = 16;
  s.population.hosts = hosts;
  s.worm.scan_rate = scan_rate;
  s.worm.initial_infected = seeds;
  s.run.duration = duration;
  s.run.report_interval = 2.0;
  return s;
}

void check_figures_are_consistent(const std::vector<Result>& results) {
  for (const auto& r : results) {
    const auto& f = r.figures;
    ASSERT_EQ(f.final_infected + f.final_cleaned + f.final_patched +
                  static_cast<std::uint64_t>(r.series[Series::kSusceptible].back()),
              f.vulnerable);
    ASSERT_EQ(static_cast<double>(f.total_infected), r.series[Series::kCumulativeInfected].back());
  }
}

}  // namespace

/// Whether a test compares total_infected directly (some compare a sharper figure).
enum class TotalInfected { kCompare, kSkip };

/// The checks every case makes: consistent figures on both sides, the time to 50 %,
/// (optionally) the final size, the series means and the probes sent.
void expect_common_agreement(const char* name, const Ensembles& e, TotalInfected total) {
  print_header(name, e);
  check_figures_are_consistent(e.engine);
  check_figures_are_consistent(e.oracle);
  expect_same_time_to_half(e);
  if (total == TotalInfected::kCompare) {
    expect_same_distribution(collect(e.engine, total_infected), collect(e.oracle, total_infected), "total_infected");
  }
  expect_same_series_means(e);
  expect_same_probe_means(e);
}

// K = 10 · 1000 / 65536 = 0.153 /s from a single seed: the early phase is a Yule
// process, so time_to_50 is spread over tens of seconds; at 56 s about 80 % of the
// replicates have reached half and the total infected is still broadly spread.
TEST(EngineVsOracle, AgreesUnderUniformScanning) {
  const Scenario s = small_space(1000, 1, 10.0, 56.0);
  const Ensembles e = run_both(s);
  expect_common_agreement("uniform scanning", e, TotalInfected::kCompare);
}

// Half of the exploits fail: on a /18 (2000 hosts among 16384 addresses) at 2.5
// probes/s the effective K = 0.5 · 2.5 · 2000 / 16384 = 0.153 /s, from 4 seeds.
TEST(EngineVsOracle, AgreesWhenHalfOfExploitsFail) {
  Scenario s = small_space(2000, 4, 2.5, 46.0);
  s.address_space.prefix_length = 18;
  s.worm.exploit_success = 0.5;
  const Ensembles e = run_both(s);
  expect_common_agreement("exploit_success 0.5", e, TotalInfected::kCompare);
}

// Patch released 10 s before the worm (half-life 40 s, so 16 % of the patchers are
// immune at t = 0), 30 % never patch, patching cures infected hosts: about 60 % of the
// replicates reach half of the hosts.
TEST(EngineVsOracle, TimeToHalfAgreesUnderPatchingReleasedBeforeStart) {
  Scenario s = small_space(1000, 3, 10.0, 100.0);
  s.patching.enabled = true;
  s.patching.release = -10.0;
  s.patching.half_life = 40.0;
  s.patching.never_fraction = 0.3;
  s.patching.cures_infected = true;
  const Ensembles e = run_both(s);
  expect_common_agreement("patching released before start, cures", e, TotalInfected::kCompare);
  const auto patched = [](const Result& r) { return static_cast<double>(r.figures.final_patched); };
  const auto cleaned = [](const Result& r) { return static_cast<double>(r.figures.final_cleaned); };
  expect_same_distribution(collect(e.engine, patched), collect(e.oracle, patched), "final_patched");
  expect_same_distribution(collect(e.engine, cleaned), collect(e.oracle, cleaned), "final_cleaned");
}

// Patch released 15 s after the worm starts (half-life 15 s), 30 % never patch, patched
// infected hosts keep scanning: about half of the replicates reach half of the hosts.
TEST(EngineVsOracle, TimeToHalfAgreesUnderPatchingReleasedAfterStart) {
  Scenario s = small_space(1000, 3, 10.0, 80.0);
  s.patching.enabled = true;
  s.patching.release = 15.0;
  s.patching.half_life = 15.0;
  s.patching.never_fraction = 0.3;
  s.patching.cures_infected = false;
  const Ensembles e = run_both(s);
  expect_common_agreement("patching released after start, no cure", e, TotalInfected::kCompare);
  const auto patched = [](const Result& r) { return static_cast<double>(r.figures.final_patched); };
  expect_same_distribution(collect(e.engine, patched), collect(e.oracle, patched), "final_patched");
  for (const auto& r : e.engine) EXPECT_EQ(r.figures.final_cleaned, 0u) << "no cure and no cleanup, yet cleaned hosts";
}

// Patch released 10 s after the start (half-life 20 s) and curing infected hosts:
// about a third of the replicates reach half of the hosts.
TEST(EngineVsOracle, TimeToHalfAgreesWhenPatchingCuresAfterStart) {
  Scenario s = small_space(1000, 3, 10.0, 100.0);
  s.patching.enabled = true;
  s.patching.release = 10.0;
  s.patching.half_life = 20.0;
  s.patching.never_fraction = 0.3;
  s.patching.cures_infected = true;
  const Ensembles e = run_both(s);
  expect_common_agreement("patching released after start, cures", e, TotalInfected::kSkip);
  const auto removed = [](const Result& r) {
    return static_cast<double>(r.figures.final_infected + r.figures.final_cleaned);
  };
  expect_same_distribution(collect(e.engine, removed), collect(e.oracle, removed), "final infected + cleaned");
  const auto cleaned = [](const Result& r) { return static_cast<double>(r.figures.final_cleaned); };
  expect_same_distribution(collect(e.engine, cleaned), collect(e.oracle, cleaned), "final_cleaned");
}

// Explicit seed addresses with a patch released before the start: the seed hosts are
// unpatched at t = 0 and patch after max(release, 0) + Exp, curing them.
TEST(EngineVsOracle, AgreesWithSeedAddressesUnderPatching) {
  Scenario s = small_space(1000, 1, 10.0, 100.0);
  s.worm.seed_addresses = {kBase + 17, kBase + 4242, kBase + 65535};
  s.patching.enabled = true;
  s.patching.release = -5.0;
  s.patching.half_life = 40.0;
  s.patching.never_fraction = 0.3;
  s.patching.cures_infected = true;
  const Ensembles e = run_both(s);
  expect_common_agreement("seed addresses under patching", e, TotalInfected::kCompare);
}

// Cleanup after a mean 20 s on a dense /20 (1000 hosts among 4096 addresses, 0.625
// probes/s, K = 0.153 /s): R0 = K · mean delay ≈ 3, two seeds, so about one replicate
// in nine dies out early (1/R0²) and the others infect most hosts.
TEST(EngineVsOracle, FinalSizeAgreesWithCleanup) {
  Scenario s = small_space(1000, 2, 0.625, 150.0);
  s.address_space.prefix_length = 20;
  s.cleanup.enabled = true;
  s.cleanup.mean_delay = 20.0;
  const Ensembles e = run_both(s);
  expect_common_agreement("cleanup", e, TotalInfected::kCompare);
  const auto removed = [](const Result& r) {
    return static_cast<double>(r.figures.final_infected + r.figures.final_cleaned);
  };
  expect_same_distribution(collect(e.engine, removed), collect(e.oracle, removed), "final infected + cleaned");
}
