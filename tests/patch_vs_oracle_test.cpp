// The fast engine against the naive oracle on the patch system (docs/patching.md):
// management groups with self-patching curves and news, central services with rings,
// working hours and priority, bad patches with rollback, per-group cleanup, crashed
// and broken hosts together, patches released before, at and after the worm's start,
// explicit seeds. Each case runs 800 replicates a side on a /20 (600 hosts among 4,096
// addresses, so the oracle's probes stay few) with the times of the patch system
// scaled to the worm's tens of seconds. Service capacities and scan rates are chosen
// so that no slot end or scan step falls on a reported instant (see kFastCapacity).
//
// As in engine_vs_oracle_test.cpp, every two-sample test has significance α = 0.001
// (KS: D > c(α) sqrt((n + m) / (n m)); proportions: |z| > 3.29) and means are compared
// within 4 standard errors of their difference (p ≈ 6e-5 each). There are about 90 KS
// tests and 900 mean comparisons, many of them on figures or series that are equal
// (often zero) on both sides by construction; for a given pair of seeds a correct
// engine fails this file by chance a few per cent of the time (KS on counts is
// conservative).
#include <fmt/core.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "oracle/agreement.hpp"
#include "oracle/naive_simulator.hpp"
#include "patchrace/result.hpp"
#include "patchrace/scenario.hpp"
#include "patchrace/simulate.hpp"

namespace {

using patchrace::AdoptionKind;
using patchrace::AdoptionSpec;
using patchrace::BadPatchSpec;
using patchrace::GroupSeries;
using patchrace::kDay;
using patchrace::kHour;
using patchrace::ManagementGroupSpec;
using patchrace::NewsSpec;
using patchrace::PatchPolicySpec;
using patchrace::PatchServiceSpec;
using patchrace::PolicyKind;
using patchrace::PriorityRule;
using patchrace::Result;
using patchrace::Scenario;
using patchrace::Series;
using patchrace::testing::collect;
using patchrace::testing::Ensembles;
using patchrace::testing::expect_same_distribution;
using patchrace::testing::expect_same_mean;
using patchrace::testing::expect_same_proportion;
using patchrace::testing::expect_same_series_means;
using patchrace::testing::naive_simulate;

constexpr int kReplicates = 800;  // per side and per scenario
constexpr std::uint64_t kEngineSeed = 20260127;
constexpr std::uint64_t kOracleSeed = 6007;
constexpr std::uint32_t kBase = 0x0A020000;  // 10.2.0.0/20

Ensembles run_both(const Scenario& s) {
  Ensembles e;
  for (int r = 0; r < kReplicates; ++r) {
    e.engine.push_back(patchrace::simulate(s, kEngineSeed, static_cast<std::uint64_t>(r)));
    e.oracle.push_back(naive_simulate(s, kOracleSeed, static_cast<std::uint64_t>(r)));
  }
  return e;
}

/// 600 hosts on 10.2.0.0/20 scanning at `rate` probes/s (K = rate · 600 / 4096 per
/// second), three random seeds, reported every 2 s; the patch released at `release`.
Scenario dense_space(double rate, double duration, double release) {
  Scenario s;
  s.name = "patch-oracle-comparison";
  s.address_space.base = kBase;
  s.address_space.prefix_length = 20;
  s.population.hosts = 600;
  s.worm.scan_rate = rate;
  s.worm.initial_infected = 3;
  s.run.duration = duration;
  s.run.report_interval = 2.0;
  s.patching.enabled = true;
  s.patching.release = release;
  return s;
}

ManagementGroupSpec group(const std::string& name, double share, std::vector<double> exposure = {1.0, 0.0, 0.0},
                          double criticality = 1.0) {
  ManagementGroupSpec g;
  g.name = name;
  g.share = share;
  g.exposure = std::move(exposure);
  g.criticality = criticality;
  return g;
}

ManagementGroupSpec counted(const std::string& name, std::uint64_t count, std::vector<double> exposure = {1.0, 0.0, 0.0},
                            double criticality = 1.0) {
  ManagementGroupSpec g = group(name, 0.0, std::move(exposure), criticality);
  g.count = count;
  return g;
}

AdoptionSpec exponential(double half_life, double never_fraction) {
  AdoptionSpec a;
  a.kind = AdoptionKind::kExponential;
  a.half_life = half_life;
  a.never_fraction = never_fraction;
  return a;
}

AdoptionSpec two_population(double fast_share, double fast_half_life, double slow_half_life) {
  AdoptionSpec a;
  a.kind = AdoptionKind::kTwoPopulation;
  a.fast_share = fast_share;
  a.fast_half_life = fast_half_life;
  a.slow_half_life = slow_half_life;
  return a;
}

PatchPolicySpec self(const std::string& g, const AdoptionSpec& adoption, NewsSpec news = {}) {
  PatchPolicySpec p;
  p.group = g;
  p.kind = PolicyKind::kSelf;
  p.adoption = adoption;
  p.news = news;
  return p;
}

PatchPolicySpec central(const std::string& g, const std::string& service) {
  PatchPolicySpec p;
  p.group = g;
  p.kind = PolicyKind::kCentral;
  p.service = service;
  return p;
}

/// A service patching `capacity` hosts per (working) day.
PatchServiceSpec service(const std::string& name, double capacity) {
  PatchServiceSpec s;
  s.name = name;
  s.capacity = capacity;
  return s;
}

BadPatchSpec bad_patch(double probability, double half_life, double outage, std::optional<double> fix_release,
                       double repatch_mean) {
  BadPatchSpec b;
  b.enabled = true;
  b.probability = probability;
  b.half_life = half_life;
  b.outage = outage;
  b.fix_release = fix_release;
  b.repatch_mean = repatch_mean;
  return b;
}

/// Capacities whose slots, 1 / capacity days, never end on a reported instant (a
/// multiple of 2 s) nor at t = 0 from the releases used here, so that rounding in the
/// sums of slots cannot move a patch across a report: 786,433 and 131,071 are primes.
constexpr double kFastCapacity = 786433.0;     // hosts per day: a slot of 0.10986 s
constexpr double kWorkingCapacity = 131071.0;  // hosts per working day of 8 h: 0.21973 s

/// x rounded to a millionth, so that values the model makes equal (e.g. the same slot
/// end, or an outage made of whole outages) are compared as equal despite rounding.
double rounded(double x) { return std::round(x * 1e6) / 1e6; }

/// A time, absent ones censored beyond every present one; rounded to a microsecond.
double censored(const std::optional<double>& x) {
  return x ? rounded(*x) : std::numeric_limits<double>::max();
}

void print_header(const char* name, const Ensembles& e) {
  double engine_wall = 0.0, oracle_wall = 0.0;
  for (const auto& r : e.engine) engine_wall += r.wall_seconds;
  for (const auto& r : e.oracle) oracle_wall += r.wall_seconds;
  fmt::print("{}: {} replicates each; engine {:.2f} s, oracle {:.2f} s\n", name, e.engine.size(), engine_wall,
             oracle_wall);
}

/// The shape every result must have and the sums that must hold at every report.
void check_shape(const Scenario& s, const std::vector<Result>& results, const char* side) {
  const auto labels = patchrace::group_labels(s);
  const std::size_t rings = patchrace::ring_labels(s).size();
  const auto hosts = static_cast<double>(s.population.hosts);
  for (const auto& r : results) {
    SCOPED_TRACE(fmt::format("{} replicate {}", side, r.replicate));
    ASSERT_EQ(r.series.values.size(), static_cast<std::size_t>(patchrace::kSeriesCount));
    ASSERT_EQ(r.series.group_values.size(), s.population.groups.size());
    ASSERT_EQ(r.series.ring_patched.size(), rings);
    ASSERT_EQ(r.figures.groups.size(), labels.size());
    std::uint64_t group_hosts = 0;
    for (std::size_t g = 0; g < labels.size(); ++g) {
      EXPECT_EQ(r.figures.groups[g].name, labels[g]);
      group_hosts += r.figures.groups[g].hosts;
    }
    EXPECT_EQ(group_hosts, s.population.hosts);
    for (std::size_t k = 0; k < r.series.time.size(); ++k) {
      const auto at = [&](Series x) { return r.series[x][k]; };
      EXPECT_EQ(at(Series::kSusceptible) + at(Series::kInfected) + at(Series::kPatched) + at(Series::kCleaned) +
                    at(Series::kBroken),
                hosts)
          << "S + I + P + C + B at t = " << r.series.time[k];
      for (std::size_t g = 0; g < r.series.group_values.size(); ++g) {
        EXPECT_EQ(r.series.of_group(g, GroupSeries::kVulnerable)[k] + r.series.of_group(g, GroupSeries::kPatched)[k],
                  static_cast<double>(r.figures.groups[g].hosts))
            << "group " << g << " vulnerable + patched at t = " << r.series.time[k];
      }
    }
    EXPECT_EQ(static_cast<double>(r.figures.total_infected), r.series[Series::kCumulativeInfected].back());
    EXPECT_EQ(static_cast<double>(r.figures.final_patched), r.series[Series::kPatched].back());
    EXPECT_NEAR(r.figures.outage_host_hours, r.series[Series::kOutageHostHours].back(), 1e-9);
  }
}

/// Means of every group series and every ring series at about 1/4, 1/2, 3/4 and all
/// of the run.
void expect_same_group_and_ring_means(const Ensembles& e) {
  const auto& first = e.oracle.front().series;
  const std::size_t last = first.time.size() - 1;
  for (std::size_t k : {last / 4, last / 2, 3 * last / 4, last}) {
    for (std::size_t g = 0; g < first.group_values.size(); ++g) {
      for (int s = 0; s < patchrace::kGroupSeriesCount; ++s) {
        const auto at = [&](const Result& r) { return r.series.group_values[g][s][k]; };
        expect_same_mean(collect(e.engine, at), collect(e.oracle, at),
                         fmt::format("group {} {} at t = {} s", g, group_series_name(static_cast<GroupSeries>(s)),
                                     first.time[k]));
      }
    }
    for (std::size_t ring = 0; ring < first.ring_patched.size(); ++ring) {
      const auto at = [&](const Result& r) { return r.series.ring_patched[ring][k]; };
      expect_same_mean(collect(e.engine, at), collect(e.oracle, at), fmt::format("ring {} patched at t = {} s", ring, first.time[k]));
    }
  }
}

/// The checks every case makes: shapes and sums on both sides, time to 50 % (reached
/// and censored time), total infected, patched (all groups, at the start and at the
/// end), breaks and outage, per group the hosts infected, patched at the end and the
/// measured half-life, and the means of every series.
void expect_patch_agreement(const char* name, const Scenario& s, const Ensembles& e) {
  print_header(name, e);
  check_shape(s, e.engine, "engine");
  check_shape(s, e.oracle, "oracle");
  if (::testing::Test::HasFatalFailure()) return;
  const auto reached = [](const std::vector<Result>& rs) {
    std::size_t k = 0;
    for (const auto& r : rs) k += r.figures.time_to_50.has_value() ? 1 : 0;
    return k;
  };
  expect_same_proportion(reached(e.engine), reached(e.oracle), e.engine.size(), "reached 50 %");
  const auto compare = [&](const std::function<double(const Result&)>& f, const std::string& what) {
    expect_same_distribution(collect(e.engine, f), collect(e.oracle, f), what);
  };
  compare([](const Result& r) { return censored(r.figures.time_to_50); }, "time_to_50 (censored)");
  compare([](const Result& r) { return static_cast<double>(r.figures.total_infected); }, "total_infected");
  compare(
      [](const Result& r) {
        double patched = 0.0;  // P, I (patched) and C
        for (const auto& g : r.figures.groups) patched += static_cast<double>(g.final_patched);
        return patched;
      },
      "final patched, all groups");
  compare([](const Result& r) { return rounded(r.figures.patched_at_start); }, "patched_at_start");
  if (s.patching.bad_patch.enabled) {
    compare([](const Result& r) { return static_cast<double>(r.figures.breaks); }, "breaks");
    compare([](const Result& r) { return rounded(r.figures.outage_host_hours); }, "outage_host_hours");
  }
  for (std::size_t g = 0; g < e.oracle.front().figures.groups.size(); ++g) {
    const std::string label = e.oracle.front().figures.groups[g].name;
    compare([g](const Result& r) { return static_cast<double>(r.figures.groups[g].infected); }, label + " infected");
    compare([g](const Result& r) { return censored(r.figures.groups[g].half_life); }, label + " half_life (censored)");
    const auto final_patched = [g](const Result& r) { return static_cast<double>(r.figures.groups[g].final_patched); };
    expect_same_mean(collect(e.engine, final_patched), collect(e.oracle, final_patched), label + " final_patched");
    const auto cleaned = [g](const Result& r) { return static_cast<double>(r.figures.groups[g].final_cleaned); };
    expect_same_mean(collect(e.engine, cleaned), collect(e.oracle, cleaned), label + " final_cleaned");
  }
  expect_same_series_means(e);
  expect_same_group_and_ring_means(e);
}

}  // namespace

// Three self-patching groups drawn by shares: exponential (half-life 30 s, 30 % never),
// two-population (60 % with half-life 15 s, the rest 120 s) and an empirical curve,
// released 10 s before the worm; K = 0.146 /s.
TEST(PatchVsOracle, AgreesWithSelfPatchingGroups) {
  Scenario s = dense_space(1.0, 120.0, -10.0);
  s.population.groups = {group("servers", 0.3), group("desktops", 0.4), group("homes", 0.3)};
  AdoptionSpec empirical;
  empirical.kind = AdoptionKind::kEmpirical;
  empirical.curve = {{10.0, 0.8}, {40.0, 0.5}, {80.0, 0.45}};
  s.patching.policies = {self("servers", exponential(30.0, 0.3)), self("desktops", two_population(0.6, 15.0, 120.0)),
                         self("homes", empirical)};
  const Ensembles e = run_both(s);
  expect_patch_agreement("self-patching groups", s, e);
}

// News: group a (exponential, half-life 80 s) patches 4 times faster from t = 30 s;
// group b (half fast, half-life 60 s, half never) 6 times faster once 150 hosts have
// been infected. Patching cures.
TEST(PatchVsOracle, AgreesWithNewsByTimeAndByInfectedCount) {
  Scenario s = dense_space(1.0, 120.0, 0.0);
  s.patching.cures_infected = true;
  s.population.groups = {counted("a", 300), counted("b", 300)};
  NewsSpec by_time{.enabled = true, .after = 30.0, .infected = std::nullopt, .factor = 4.0};
  NewsSpec by_count{.enabled = true, .after = std::nullopt, .infected = 150, .factor = 6.0};
  s.patching.policies = {self("a", exponential(80.0, 0.0), by_time), self("b", two_population(0.5, 60.0, 0.0), by_count)};
  const Ensembles e = run_both(s);
  expect_patch_agreement("news by time and by count", s, e);
}

// A central service over two groups (dmz: internet-facing, criticality 3; office:
// mixed exposure, criticality 1) with a canary ring (10 %, QA 10 s) and a broad one,
// score priority with exposure squared, one host per 0.22 s of working time, working
// hours 09:00–17:00 on weekdays; the run starts on a Monday at 08:59:30 and the patch
// was released 20 s earlier, so the work starts at t = 30 s. A third group patches on
// its own. Patching cures; K = 0.088 /s.
TEST(PatchVsOracle, AgreesWithACentralServiceWithRingsWorkingHoursAndPriority) {
  Scenario s = dense_space(0.6, 120.0, -20.0);
  s.patching.cures_infected = true;
  s.run.clock = 8 * kHour + 59 * 60 + 30;  // Monday 08:59:30
  s.population.groups = {counted("dmz", 120, {1.0, 0.0, 0.0}, 3.0), counted("office", 300, {0.2, 0.5, 0.3}, 1.0),
                         counted("home", 180, {0.0, 0.0, 1.0}, 1.0)};
  PatchServiceSpec wsus = service("wsus", kWorkingCapacity);
  wsus.working_hours = {.enabled = true, .start = 9 * kHour, .end = 17 * kHour, .weekdays_only = true};
  wsus.priority = {.rule = PriorityRule::kScore, .importance_weight = 1.0, .exposure_weight = 2.0,
                   .criticality_weight = 1.0};
  wsus.rings = {{"canary", 0.1, 10.0}, {"broad", 0.9, 0.0}};
  s.patching.services = {wsus};
  s.patching.policies = {central("dmz", "wsus"), central("office", "wsus"), self("home", exponential(60.0, 0.2))};
  const Ensembles e = run_both(s);
  expect_patch_agreement("central service, rings, hours, priority", s, e);
}

// A bad patch (40 % at release, half-life 60 s, outage 15 s, fixed 50 s after the
// release): 60 % of the hosts are patched by a service (one every 0.11 s), the rest on
// their own (half-life 30 s, repatch after a mean 10 s). Released 10 s before the worm;
// patching cures.
TEST(PatchVsOracle, AgreesWithABadPatchRolledBackAndFixed) {
  Scenario s = dense_space(1.0, 120.0, -10.0);
  s.patching.cures_infected = true;
  s.population.groups = {group("managed", 0.6), group("unmanaged", 0.4)};
  s.patching.services = {service("it", kFastCapacity)};
  s.patching.policies = {central("managed", "it"), self("unmanaged", exponential(30.0, 0.1))};
  s.patching.bad_patch = bad_patch(0.4, 60.0, 15.0, 50.0, 10.0);
  const Ensembles e = run_both(s);
  expect_patch_agreement("bad patch with rollback and fix", s, e);
}

// Cleanup per group without patching: after a mean 10 s in group fast (R0 ≈ 1.5),
// 40 s in group slow (the default; R0 ≈ 5.9).
TEST(PatchVsOracle, AgreesWithPerGroupCleanup) {
  Scenario s = dense_space(1.0, 150.0, 0.0);
  s.patching.enabled = false;
  s.population.groups = {counted("fast", 300), counted("slow", 300)};
  s.cleanup = {.enabled = true, .mean_delay = 40.0, .group_mean_delay = {{"fast", 10.0}}};
  const Ensembles e = run_both(s);
  expect_patch_agreement("per-group cleanup", s, e);
}

// Explicit seeds with the patch released 20 s before the worm: the service (one host
// per 0.11 s) has patched about 180 of its 300 hosts by t = 0, passing over the seeds
// among them and taking them up at t = 0; the seeds among the self-patching hosts
// patch after t = 0 by their curve.
TEST(PatchVsOracle, AgreesWithSeedAddressesAndANegativeRelease) {
  Scenario s = dense_space(1.0, 100.0, -20.0);
  s.worm.seed_addresses = {kBase + 17, kBase + 2049, kBase + 4000};
  s.population.groups = {counted("managed", 300), counted("unmanaged", 300)};
  s.patching.services = {service("it", kFastCapacity)};
  s.patching.policies = {central("managed", "it"), self("unmanaged", exponential(40.0, 0.3))};
  const Ensembles e = run_both(s);
  expect_patch_agreement("seed addresses, negative release", s, e);
}

// The patch released 15 s after the worm on a Friday at 16:59:00: the service (two
// rings, QA 5 s, one host per 0.22 s of working time) stops at 17:00 for the weekend.
// A bad patch without a fix (20 %, half-life 100 s, outage 10 s): broken hosts are
// re-queued, or repatch after a mean 5 s, at once. Patching cures.
TEST(PatchVsOracle, AgreesWithAPatchReleasedAfterTheWormAndNoFix) {
  Scenario s = dense_space(0.8, 100.0, 15.0);
  s.patching.cures_infected = true;
  s.run.clock = 4 * kDay + 16 * kHour + 59 * 60;  // Friday 16:59:00
  s.population.groups = {group("managed", 0.5), group("unmanaged", 0.5)};
  PatchServiceSpec it = service("it", kWorkingCapacity);
  it.working_hours = {.enabled = true, .start = 9 * kHour, .end = 17 * kHour, .weekdays_only = true};
  it.priority.rule = PriorityRule::kRandom;
  it.rings = {{"first", 0.5, 5.0}, {"second", 0.5, 0.0}};
  s.patching.services = {it};
  s.patching.policies = {central("managed", "it"), self("unmanaged", exponential(30.0, 0.0))};
  s.patching.bad_patch = bad_patch(0.2, 100.0, 10.0, std::nullopt, 5.0);
  const Ensembles e = run_both(s);
  expect_patch_agreement("release after the worm, no fix", s, e);
}

// Broken and offline hosts together: 30 % of the hosts crash for 8 s on half of the
// failed exploits' probes; a service (one host per 0.11 s) released 5 s before the
// worm breaks half of its patches (outage 20 s, fixed at 30 s), so about 45 hosts
// are broken at t = 0 and cannot be seeds; cleanup after a mean 15 s often falls due
// while a host is broken. Patching does not cure.
TEST(PatchVsOracle, AgreesWithBrokenAndCrashedHosts) {
  Scenario s = dense_space(1.0, 100.0, -5.0);
  s.population.types = {{"sturdy", 0.7}, {"fragile", 0.3}};
  s.worm.exploits = {{.type = "fragile", .success = 0.5, .on_failure = patchrace::FailureOutcome::kCrash, .downtime = 8.0}};
  s.population.groups = {counted("managed", 400), counted("unmanaged", 200)};
  s.patching.services = {service("it", kFastCapacity)};
  s.patching.policies = {central("managed", "it"), self("unmanaged", exponential(25.0, 0.2))};
  s.patching.bad_patch = bad_patch(0.5, 1000.0, 20.0, 30.0, 5.0);
  s.cleanup = {.enabled = true, .mean_delay = 15.0, .group_mean_delay = {}};
  const Ensembles e = run_both(s);
  expect_patch_agreement("broken and crashed hosts", s, e);
}

// Sequential scanning (Blaster's sweep) across rollbacks: an infected host that breaks
// stops and starts a new sweep when it comes back. Two services over three groups
// (criticality-first; exposure-first with a min_score that leaves NAT hosts out), an
// empirical curve with a point at age 0 (30 % patch at the release, half a second
// before the worm), a bad patch without a fix.
TEST(PatchVsOracle, AgreesWithSequentialScanningAndTwoServices) {
  Scenario s = dense_space(2.81, 60.0, -0.5);  // batches every 2.847 s: never on a report
  s.worm.strategy = patchrace::ScanStrategy::kSequential;
  s.worm.sequential = {.local_start = 0.4, .local_backoff = 4, .batch = 8};
  s.population.groups = {counted("servers", 150, {0.5, 0.5, 0.0}, 3.0), counted("desktops", 250, {0.2, 0.3, 0.5}, 1.0),
                         counted("homes", 200)};
  PatchServiceSpec a = service("a", kFastCapacity / 8.0);
  a.priority.rule = PriorityRule::kCriticalityFirst;
  PatchServiceSpec b = service("b", kFastCapacity / 12.0);
  b.priority = {.rule = PriorityRule::kExposureFirst, .importance_weight = 1.0, .exposure_weight = 1.0,
                .criticality_weight = 0.0};
  b.min_score = 1.5;  // score = exposure: NAT hosts (1) are never patched
  s.patching.services = {a, b};
  AdoptionSpec jump;
  jump.kind = AdoptionKind::kEmpirical;
  jump.curve = {{0.0, 0.7}, {50.0, 0.4}};
  s.patching.policies = {central("servers", "a"), central("desktops", "b"), self("homes", jump)};
  s.patching.bad_patch = bad_patch(0.4, 200.0, 12.0, std::nullopt, 5.0);
  const Ensembles e = run_both(s);
  expect_patch_agreement("sequential scanning, two services", s, e);
}

// Permutation scanning across rollbacks: a copy that breaks stops, and a new one
// starts from its host when it comes back; while broken, its host is no hit for the
// other copies (a probe finds nothing there). Copies go dormant at their third hit.
// A service (one host per 0.11 s) breaks half of its patches for 12 s without a fix;
// patching does not cure, so most infected hosts break at least once.
TEST(PatchVsOracle, AgreesWithPermutationScanningAcrossRollbacks) {
  Scenario s = dense_space(1.4142, 60.0, -0.5);
  s.worm.strategy = patchrace::ScanStrategy::kPermutation;
  s.worm.permutation.dormant_after = 3;
  s.population.groups = {counted("managed", 450), counted("homes", 150)};
  s.patching.services = {service("it", kFastCapacity / 4.0)};
  s.patching.policies = {central("managed", "it"), self("homes", exponential(40.0, 0.5))};
  s.patching.bad_patch = bad_patch(0.5, 1000.0, 12.0, std::nullopt, 5.0);
  const Ensembles e = run_both(s);
  expect_patch_agreement("permutation scanning across rollbacks", s, e);
}

// Patches at exactly t = 0: an empirical curve whose first point is at age 0 with the
// patch released at the worm's start, so 40 % of the hosts patch at t = 0. They are
// patched in the report at t = 0 and in patched_at_start, and before the seeds'
// first batches at t = 0 (patches come before scan steps at equal times); the seeds
// are drawn before them (among the hosts unpatched before t = 0).
TEST(PatchVsOracle, AgreesWhenPatchesFallExactlyAtTheWormsStart) {
  Scenario s = dense_space(2.81, 60.0, 0.0);
  s.worm.strategy = patchrace::ScanStrategy::kSequential;
  s.worm.sequential = {.local_start = 0.4, .local_backoff = 4, .batch = 8};
  AdoptionSpec jump;
  jump.kind = AdoptionKind::kEmpirical;
  jump.curve = {{0.0, 0.6}, {100.0, 0.5}};
  s.patching.policies = {self("all", jump)};
  const Ensembles e = run_both(s);
  expect_patch_agreement("patches at t = 0", s, e);
  const auto at_start = [](const Result& r) { return r.series[Series::kPatched][0]; };
  expect_same_distribution(collect(e.engine, at_start), collect(e.oracle, at_start), "patched at t = 0 (series)");
}
