// The naive oracle's patch system (tests/oracle/naive_patching, docs/patching.md):
// central services checked patch by patch through the oracle's trace (capacity,
// priority, rings, working hours, seeds before the start, rollback), and the
// self-patching curves, news, bad-patch outages and per-group cleanup checked
// against their analytic values.
//
// The worm is kept out of the way with one seed scanning at 1e-9 probes/s. The
// statistical checks have fixed seeds and a tolerance of 4 standard errors of the
// compared mean (two-sided p ≈ 6e-5), the standard error computed from the model
// itself (binomial counts, independent Bernoulli breaks), never widened.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "oracle/naive_simulator.hpp"
#include "patchrace/result.hpp"
#include "patchrace/scenario.hpp"

namespace patchrace::testing {
namespace {

constexpr std::uint64_t kSeed = 8128;
constexpr double kK = 4.0;                 // tolerance in standard errors
constexpr std::uint32_t kBase = 0x0A010000;  // 10.1.0.0/16

/// `hosts` hosts on 10.1.0.0/16, one seed scanning at 1e-9 probes/s (no spread).
Scenario quiet_scenario(std::uint64_t hosts, double duration, double report_interval) {
  Scenario s;
  s.name = "oracle-patching";
  s.address_space.base = kBase;
  s.address_space.prefix_length = 16;
  s.population.hosts = hosts;
  s.worm.scan_rate = 1e-9;
  s.worm.initial_infected = 1;
  s.run.duration = duration;
  s.run.report_interval = report_interval;
  s.patching.enabled = true;
  s.patching.release = 0.0;
  return s;
}

ManagementGroupSpec counted_group(const std::string& name, std::uint64_t count, std::vector<double> exposure,
                                  double criticality) {
  ManagementGroupSpec g;
  g.name = name;
  g.count = count;
  g.exposure = std::move(exposure);
  g.criticality = criticality;
  return g;
}

PatchPolicySpec central(const std::string& group, const std::string& service) {
  PatchPolicySpec p;
  p.group = group;
  p.kind = PolicyKind::kCentral;
  p.service = service;
  return p;
}

PatchPolicySpec self(const std::string& group, const AdoptionSpec& adoption) {
  PatchPolicySpec p;
  p.group = group;
  p.kind = PolicyKind::kSelf;
  p.adoption = adoption;
  return p;
}

AdoptionSpec exponential_curve(double half_life, double never_fraction = 0.0) {
  AdoptionSpec a;
  a.kind = AdoptionKind::kExponential;
  a.half_life = half_life;
  a.never_fraction = never_fraction;
  return a;
}

/// A bad patch with the given break probability at age 0, half-life and outage.
BadPatchSpec bad_patch(double probability, double half_life, double outage, std::optional<double> fix_release) {
  BadPatchSpec b;
  b.enabled = true;
  b.probability = probability;
  b.half_life = half_life;
  b.outage = outage;
  b.fix_release = fix_release;
  b.repatch_mean = kHour;
  return b;
}

/// One group "hosts" of n hosts (so that group series are reported), self-patching.
Scenario self_patching(std::uint64_t n, const AdoptionSpec& adoption, double duration, double interval) {
  Scenario s = quiet_scenario(n, duration, interval);
  s.population.groups = {counted_group("hosts", n, {1.0, 0.0, 0.0}, 1.0)};
  s.patching.policies = {self("hosts", adoption)};
  return s;
}

/// Share of group 0 still vulnerable at report k, pooled over `results`.
double pooled_vulnerable(const std::vector<Result>& results, std::size_t k) {
  double vulnerable = 0.0, hosts = 0.0;
  for (const auto& r : results) {
    vulnerable += r.series.of_group(0, GroupSeries::kVulnerable)[k];
    hosts += static_cast<double>(r.figures.groups.at(0).hosts);
  }
  return vulnerable / hosts;
}

std::size_t report_index(const Result& r, double t) {
  const auto it = std::find(r.series.time.begin(), r.series.time.end(), t);
  EXPECT_NE(it, r.series.time.end()) << "no report at t = " << t;
  return static_cast<std::size_t>(it - r.series.time.begin());
}

/// Expects the pooled vulnerable share at t within kK binomial standard errors of v.
void expect_vulnerable_share(const std::vector<Result>& results, double t, double v) {
  const double hosts = static_cast<double>(results.size() * results.front().figures.groups.at(0).hosts);
  const double se = std::sqrt(v * (1.0 - v) / hosts);
  const double measured = pooled_vulnerable(results, report_index(results.front(), t));
  EXPECT_NEAR(measured, v, kK * se + 1e-12) << "vulnerable share at t = " << t / kDay << " d";
}

std::vector<Result> replicates(const Scenario& s, int n) {
  std::vector<Result> out;
  for (int r = 0; r < n; ++r) out.push_back(naive_simulate(s, kSeed, static_cast<std::uint64_t>(r)));
  return out;
}

/// Three groups for priority tests: 300 hosts.
std::vector<ManagementGroupSpec> three_groups() {
  return {counted_group("dmz", 60, {1.0, 0.0, 0.0}, 2.0), counted_group("office", 120, {0.0, 0.5, 0.5}, 3.0),
          counted_group("lab", 120, {0.5, 0.5, 0.0}, 1.0)};
}

int exposure_score(Exposure e) { return e == Exposure::kInternet ? 3 : e == Exposure::kInternal ? 2 : 1; }

}  // namespace

// Capacity 10 hosts/day, no working hours, approval 1000 s after the release: slot k
// ends at exactly 1000 + 8640 k s, so every day holds exactly 10 patches; 300 hosts
// keep the service busy for the 20 days run. The order follows the priority rule.
TEST(OraclePatching, CentralServicePatchesInPriorityOrderAtItsCapacity) {
  for (const PriorityRule rule : {PriorityRule::kExposureFirst, PriorityRule::kCriticalityFirst, PriorityRule::kScore}) {
    Scenario s = quiet_scenario(300, 20 * kDay, kDay);
    s.population.groups = three_groups();
    PatchServiceSpec service;
    service.name = "it";
    service.capacity = 10.0;
    service.approval_delay = 1000.0;
    service.priority = {.rule = rule, .importance_weight = 1.0, .exposure_weight = 2.0, .criticality_weight = 1.0};
    s.patching.services = {service};
    s.patching.policies = {central("dmz", "it"), central("office", "it"), central("lab", "it")};
    const std::vector<double> criticality = {2.0, 3.0, 1.0};
    for (std::uint64_t rep = 0; rep < 3; ++rep) {
      NaiveTrace trace;
      const Result r = naive_simulate(s, kSeed, rep, &trace);
      ASSERT_EQ(trace.patches.size(), 199u);  // slots 1..199 end by 20 d (slot 200 at 20 d + 1000 s)
      std::vector<int> per_day(20, 0);
      for (std::size_t k = 0; k < trace.patches.size(); ++k) {
        const PatchRecord& p = trace.patches[k];
        EXPECT_NEAR(p.time, 1000.0 + 8640.0 * static_cast<double>(k + 1), 1e-6);
        EXPECT_EQ(p.service, 0);
        EXPECT_EQ(p.ring, 0);
        EXPECT_FALSE(p.again);
        ++per_day[static_cast<std::size_t>((p.time - 1000.0 - 4320.0) / kDay)];  // days shifted by half a slot
      }
      for (int d = 0; d < 19; ++d) EXPECT_EQ(per_day[d], 10) << "day " << d;
      for (std::size_t k = 1; k < trace.patches.size(); ++k) {
        const PatchRecord& a = trace.patches[k - 1];
        const PatchRecord& b = trace.patches[k];
        const int ea = exposure_score(a.exposure), eb = exposure_score(b.exposure);
        const double ca = criticality[a.group], cb = criticality[b.group];
        switch (rule) {
          case PriorityRule::kExposureFirst:
            EXPECT_TRUE(ea > eb || (ea == eb && ca >= cb)) << "patch " << k;
            break;
          case PriorityRule::kCriticalityFirst:
            EXPECT_TRUE(ca > cb || (ca == cb && ea >= eb)) << "patch " << k;
            break;
          default:
            EXPECT_GE(ea * ea * ca, eb * eb * cb) << "patch " << k;  // score: exposure² × criticality
            break;
        }
      }
      const auto& ring = r.series.ring_patched.at(0);
      for (std::size_t k = 0; k < ring.size(); ++k) {
        const double by = r.series.time[k] < 1000.0 ? 0.0 : std::floor((r.series.time[k] - 1000.0) / 8640.0 + 1e-9);
        EXPECT_EQ(ring[k], std::min(by, 199.0)) << "t = " << r.series.time[k];
      }
      EXPECT_EQ(r.figures.breaks, 0u);
    }
  }
}

// min_score drops hosts: with score = exposure (weights 0, 1, 0) and min_score 2.5 only
// the internet-facing hosts are ever patched.
TEST(OraclePatching, CentralServiceNeverPatchesHostsBelowMinScore) {
  Scenario s = quiet_scenario(300, 40 * kDay, kDay);
  s.population.groups = three_groups();
  PatchServiceSpec service;
  service.name = "it";
  service.capacity = 100.0;
  service.min_score = 2.5;
  service.priority = {.rule = PriorityRule::kScore, .importance_weight = 0.0, .exposure_weight = 1.0,
                      .criticality_weight = 0.0};
  s.patching.services = {service};
  s.patching.policies = {central("dmz", "it"), central("office", "it"), central("lab", "it")};
  NaiveTrace trace;
  const Result r = naive_simulate(s, kSeed, 0, &trace);
  for (const auto& p : trace.patches) EXPECT_EQ(p.exposure, Exposure::kInternet);
  EXPECT_GT(trace.patches.size(), 60u);  // the 60 dmz hosts and about 60 of the lab's
  EXPECT_EQ(r.figures.groups.at(1).final_patched, 0u);  // office: internal and NAT only
}

// Rings test (10 %, QA 2 d), pilot (30 %, QA 3 d), broad (60 %) over 300 hosts at 50
// hosts/day: 30, 90 and 180 hosts; ring r + 1 starts exactly qa_delay after ring r's
// last patch, its first patch one slot later.
TEST(OraclePatching, RingsStartTheirQaDelayAfterThePreviousRingsLastPatch) {
  Scenario s = quiet_scenario(300, 30 * kDay, kDay);
  s.population.groups = three_groups();
  PatchServiceSpec service;
  service.name = "wsus";
  service.capacity = 50.0;
  service.approval_delay = 3600.0;
  service.priority.rule = PriorityRule::kRandom;
  service.rings = {{"test", 0.1, 2 * kDay}, {"pilot", 0.3, 3 * kDay}, {"broad", 0.6, 0.0}};
  s.patching.services = {service};
  s.patching.policies = {central("dmz", "wsus"), central("office", "wsus"), central("lab", "wsus")};
  const double slot = kDay / 50.0;
  for (std::uint64_t rep = 0; rep < 5; ++rep) {
    NaiveTrace trace;
    const Result r = naive_simulate(s, kSeed, rep, &trace);
    std::map<int, std::vector<double>> times;  // ring -> patch times
    for (const auto& p : trace.patches) {
      ASSERT_FALSE(p.again);
      times[p.ring].push_back(p.time);
    }
    ASSERT_EQ(times[0].size(), 30u);
    ASSERT_EQ(times[1].size(), 90u);
    ASSERT_EQ(times[2].size(), 180u);
    EXPECT_NEAR(times[0].front(), 3600.0 + slot, 1e-6);
    const double qa[] = {2 * kDay, 3 * kDay};
    for (int ring = 0; ring < 2; ++ring) {
      const double last = times[ring].back();
      for (double t : times[ring + 1]) EXPECT_GE(t, last + qa[ring]) << "ring " << ring + 1;
      EXPECT_NEAR(times[ring + 1].front(), last + qa[ring] + slot, 1e-6) << "ring " << ring + 1;
    }
    ASSERT_EQ(r.series.ring_patched.size(), 3u);
    EXPECT_EQ(r.series.ring_patched[0].back(), 30.0);
    EXPECT_EQ(r.series.ring_patched[1].back(), 90.0);
    EXPECT_EQ(r.series.ring_patched[2].back(), 180.0);
    EXPECT_EQ(ring_labels(s), (std::vector<std::string>{"wsus/test", "wsus/pilot", "wsus/broad"}));
  }
}

// Working hours 09:00–17:00 on weekdays, the run starting on a Wednesday at 12:00,
// 16 hosts per working day (30 min of working time each): every patch falls inside
// the hours of a weekday, each full working day holds 16. Without weekdays_only the
// weekend works too.
TEST(OraclePatching, WorkingHoursConfinePatchesToTheirHoursAndWeekdays) {
  for (const bool weekdays_only : {true, false}) {
    Scenario s = quiet_scenario(300, 14 * kDay, kDay);
    s.run.clock = 2 * kDay + 12 * kHour;  // Wednesday 12:00
    s.population.groups = three_groups();
    PatchServiceSpec service;
    service.name = "it";
    service.capacity = 16.0;
    service.working_hours = {.enabled = true, .start = 9 * kHour, .end = 17 * kHour, .weekdays_only = weekdays_only};
    s.patching.services = {service};
    s.patching.policies = {central("dmz", "it"), central("office", "it"), central("lab", "it")};
    NaiveTrace trace;
    (void)naive_simulate(s, kSeed, 0, &trace);
    std::map<long, int> per_day;  // day of the clock's week numbering -> patches
    for (const auto& p : trace.patches) {
      const double week = s.run.clock + p.time;
      const auto day = static_cast<long>(std::floor(week / kDay));
      const double second = week - static_cast<double>(day) * kDay;
      // A patch that ends a day's hours lands at 17:00 exactly (allow rounding).
      EXPECT_GT(second, 9 * kHour) << "t = " << p.time;
      EXPECT_LE(second, 17 * kHour + 1e-6) << "t = " << p.time;
      if (weekdays_only) {
        EXPECT_LT(day % 7, 5) << "a patch on a weekend, t = " << p.time;
      }
      ++per_day[day];
    }
    // Day 2 (Wednesday) starts at noon: 10 patches (the 10th at 17:00); then full days.
    EXPECT_EQ(per_day[2], 10);
    for (long day = 3; day < 14; ++day) {
      const bool open = !weekdays_only || day % 7 < 5;
      EXPECT_EQ(per_day[day], open ? 16 : 0) << "day " << day;
    }
  }
}

// A patch released a day before the worm, 100 hosts/day from 432 s (half a slot) after
// it: 99 patches before t = 0, shown at t = 0. An explicit seed host the service
// passed over before t = 0 is taken up first at t = 0, i.e. at the end of the slot
// running then (t = 432 s).
TEST(OraclePatching, CentralServiceRunsBeforeTheWormAndTakesUpPassedSeedsAtTheStart) {
  Scenario s = quiet_scenario(300, 2 * kDay, 3600.0);
  s.population.groups = three_groups();
  s.patching.release = -kDay;
  PatchServiceSpec service;
  service.name = "it";
  service.capacity = 100.0;
  service.approval_delay = 432.0;
  service.priority.rule = PriorityRule::kRandom;
  s.patching.services = {service};
  s.patching.policies = {central("dmz", "it"), central("office", "it"), central("lab", "it")};
  const std::uint32_t seed_address = kBase + 777;
  s.worm.seed_addresses = {seed_address};
  int passed = 0;
  for (std::uint64_t rep = 0; rep < 20; ++rep) {
    NaiveTrace trace;
    const Result r = naive_simulate(s, kSeed, rep, &trace);
    EXPECT_EQ(r.series.ring_patched[0][0], 99.0);
    EXPECT_DOUBLE_EQ(r.figures.patched_at_start, 99.0 / 300.0);
    EXPECT_EQ(r.series[Series::kPatched][0], 99.0);
    const auto seed = std::find_if(trace.patches.begin(), trace.patches.end(),
                                   [&](const PatchRecord& p) { return p.address == seed_address; });
    ASSERT_NE(seed, trace.patches.end());
    EXPECT_GE(seed->time, 0.0);
    if (seed->again) {  // passed over before t = 0
      ++passed;
      EXPECT_NEAR(seed->time, 432.0, 1e-6);
    }
  }
  EXPECT_GT(passed, 0);
  EXPECT_LT(passed, 20);
}

TEST(OraclePatching, BadPatchWithProbabilityZeroBreaksNothing) {
  Scenario s = self_patching(2000, exponential_curve(2 * kDay), 10 * kDay, kDay);
  s.patching.bad_patch = bad_patch(0.0, kDay, kHour, std::nullopt);
  for (std::uint64_t rep = 0; rep < 3; ++rep) {
    const Result r = naive_simulate(s, kSeed, rep);
    EXPECT_EQ(r.figures.breaks, 0u);
    EXPECT_EQ(r.figures.outage_host_hours, 0.0);
    EXPECT_EQ(r.figures.groups.at(0).breaks, 0u);
    for (double v : r.series[Series::kBroken]) EXPECT_EQ(v, 0.0);
    for (double v : r.series[Series::kOutageHostHours]) EXPECT_EQ(v, 0.0);
    EXPECT_GT(r.series[Series::kPatched].back(), 1900.0);
  }
}

// A bad patch on a central service whose patch times are known: 200 hosts at 100/day
// from the release a day before the worm, slot k ending at t_k = release + k · 864 s,
// the run ending at 21 h (187 slots; outages from 15 h on are cut short). The fixed
// patch comes after the run, so a rolled-back host is not patched again and the times
// stay put. Host k breaks with p(a_k) = 0.3 · 2^(-a_k / 1 d) and is out for
// m_k = min(6 h, end - t_k): E[outage] = Σ p_k m_k, Var = Σ p_k (1 - p_k) m_k², over
// 400 replicates.
TEST(OraclePatching, BadPatchOutageMatchesItsExpectation) {
  Scenario s = quiet_scenario(200, 21 * kHour, 3600.0);
  s.population.groups = {counted_group("servers", 200, {1.0, 0.0, 0.0}, 1.0)};
  s.patching.release = -kDay;
  PatchServiceSpec service;
  service.name = "it";
  service.capacity = 100.0;
  s.patching.services = {service};
  s.patching.policies = {central("servers", "it")};
  s.patching.bad_patch = bad_patch(0.3, kDay, 6 * kHour, 100 * kDay);
  const double end = s.run.duration;
  double mean_hours = 0.0, var_hours = 0.0, mean_breaks = 0.0;
  for (int k = 1; k <= 200; ++k) {
    const double t = s.patching.release + 864.0 * k;
    if (t > end) break;
    const double p = 0.3 * std::exp2(-(t - s.patching.release) / kDay);
    const double m = std::min(6 * kHour, end - t) / kHour;
    mean_hours += p * m;
    var_hours += p * (1 - p) * m * m;
    mean_breaks += p;
  }
  constexpr int kReplicates = 400;
  double sum_hours = 0.0, sum_breaks = 0.0;
  for (int rep = 0; rep < kReplicates; ++rep) {
    const Result r = naive_simulate(s, kSeed, static_cast<std::uint64_t>(rep));
    sum_hours += r.figures.outage_host_hours;
    sum_breaks += static_cast<double>(r.figures.breaks);
    EXPECT_NEAR(r.series[Series::kOutageHostHours].back(), r.figures.outage_host_hours, 1e-6);
    EXPECT_NEAR(r.figures.groups.at(0).outage_host_hours, r.figures.outage_host_hours, 1e-6);
    EXPECT_EQ(r.figures.groups.at(0).breaks, r.figures.breaks);
  }
  const double n = kReplicates;
  EXPECT_NEAR(sum_hours / n, mean_hours, kK * std::sqrt(var_hours / n));
  EXPECT_GT(mean_breaks, 10.0);  // the test has teeth: about 25 breaks a replicate
}

// Five hosts patched one an hour by a service, a patch that always breaks before its
// fix at 10 h, outages of 3 h: patches at 1..5 h break, the hosts come back at 4..8 h,
// wait for the fix and are patched again first thing, at 11..15 h (re-queued in host
// order, the fixed patch breaking nothing). The ring series counts none of them.
TEST(OraclePatching, BrokenHostsAreRolledBackAndRepatchedAfterTheFix) {
  Scenario s = quiet_scenario(5, 20 * kHour, kHour / 2);
  PatchServiceSpec service;
  service.name = "it";
  service.capacity = 24.0;
  s.patching.services = {service};
  s.patching.policies = {central("all", "it")};
  s.patching.bad_patch = bad_patch(1.0, 1e12, 3 * kHour, 10 * kHour);
  NaiveTrace trace;
  const Result r = naive_simulate(s, kSeed, 0, &trace);
  ASSERT_EQ(trace.patches.size(), 10u);
  for (int k = 0; k < 5; ++k) {
    EXPECT_NEAR(trace.patches[k].time, (k + 1) * kHour, 1e-6);
    EXPECT_TRUE(trace.patches[k].broken);
    EXPECT_NEAR(trace.patches[5 + k].time, (11 + k) * kHour, 1e-6);
    EXPECT_FALSE(trace.patches[5 + k].broken);
    EXPECT_TRUE(trace.patches[5 + k].again);
  }
  EXPECT_EQ(r.figures.breaks, 5u);
  EXPECT_NEAR(r.figures.outage_host_hours, 15.0, 1e-9);
  const auto at = [&](Series series, double t) { return r.series[series][report_index(r, t)]; };
  EXPECT_EQ(at(Series::kBroken, 3.5 * kHour), 3.0);
  EXPECT_NEAR(at(Series::kOutageHostHours, 3.5 * kHour), 2.5 + 1.5 + 0.5, 1e-9);
  EXPECT_EQ(at(Series::kBroken, 9 * kHour), 0.0);
  EXPECT_EQ(r.series.ring_patched.at(0).back(), 0.0);
  EXPECT_EQ(r.figures.groups.at(0).final_patched, 5u);
  EXPECT_EQ(r.figures.groups.at(0).half_life, 13 * kHour);  // the 3rd of 5 hosts patched at 13 h
}

// Exponential self-patching, half-life 10 days, 20,000 hosts: the measured half-life
// (median of the patch times) has a standard error of h / (ln 2 sqrt(n)) ≈ 1 % per
// replicate; the mean of 8 replicates is within 2 % (5.5 standard errors).
TEST(OraclePatching, ExponentialSelfPatchingHasItsHalfLife) {
  const Scenario s = self_patching(20000, exponential_curve(10 * kDay), 30 * kDay, kDay);
  double sum = 0.0;
  for (const Result& r : replicates(s, 8)) {
    ASSERT_TRUE(r.figures.groups.at(0).half_life.has_value());
    sum += *r.figures.groups.at(0).half_life;
  }
  EXPECT_NEAR(sum / 8.0 / kDay, 10.0, 0.2);
}

// Two populations, a fast one (51 %, half-life 7.34 d) and a never class (49 %): the
// curve stalls, v = 0.49 + 0.51 · 2^(-t / 7.34 d): 52.0 % still vulnerable at 30 days,
// 49.2 % at 60 and nothing patched later.
TEST(OraclePatching, TwoPopulationWithANeverClassStalls) {
  AdoptionSpec curve;
  curve.kind = AdoptionKind::kTwoPopulation;
  curve.fast_share = 0.51;
  curve.fast_half_life = 7.34 * kDay;
  curve.slow_half_life = 0.0;  // never
  const Scenario s = self_patching(20000, curve, 120 * kDay, 10 * kDay);
  const std::vector<Result> results = replicates(s, 4);
  const auto v = [](double t) { return 0.49 + 0.51 * std::exp2(-t / (7.34 * kDay)); };
  for (double days : {10.0, 30.0, 60.0, 120.0}) expect_vulnerable_share(results, days * kDay, v(days * kDay));
  EXPECT_NEAR(v(30 * kDay), 0.520, 0.001);
  for (const auto& r : results) EXPECT_GT(r.series.of_group(0, GroupSeries::kVulnerable).back(), 0.47 * 20000);
}

// An empirical curve (1 d, 80 %), (5 d, 50 %), (20 d, 30 %), (40 d, 25 %): the share
// still vulnerable follows the straight lines between the points, from (0, 100 %), and
// stays flat after the last point.
TEST(OraclePatching, EmpiricalCurveReproducesItsPoints) {
  AdoptionSpec curve;
  curve.kind = AdoptionKind::kEmpirical;
  curve.curve = {{1 * kDay, 0.8}, {5 * kDay, 0.5}, {20 * kDay, 0.3}, {40 * kDay, 0.25}};
  const Scenario s = self_patching(20000, curve, 60 * kDay, 0.5 * kDay);
  std::vector<Result> results;
  for (std::uint64_t rep = 0; rep < 4; ++rep) {
    NaiveTrace trace;
    results.push_back(naive_simulate(s, kSeed, rep, &trace));
    for (const auto& p : trace.patches) EXPECT_LE(p.time, 40 * kDay);
  }
  const std::vector<std::pair<double, double>> expected = {{0.5, 0.9},  {1, 0.8},   {3, 0.65},    {5, 0.5},
                                                           {12.5, 0.4}, {20, 0.3},  {30, 0.275}, {40, 0.25},
                                                           {60, 0.25}};
  for (const auto& [days, v] : expected) expect_vulnerable_share(results, days * kDay, v);
}

// News 10 days after the start multiplies the hazard by 4: v = 2^(-t / 20 d) before,
// 2^(-10 / 20) · 2^(-4 (t - 10 d) / 20 d) after. Triggered by the hosts ever infected,
// the count includes the seed: a count of 1 triggers at t = 0, a count of 2 (never
// reached without spread) never.
TEST(OraclePatching, NewsMultipliesTheHazardFromItsTrigger) {
  Scenario s = self_patching(20000, exponential_curve(20 * kDay), 20 * kDay, kDay);
  s.patching.policies[0].news = {.enabled = true, .after = 10 * kDay, .infected = std::nullopt, .factor = 4.0};
  const auto by_time = [](double t) {
    return t <= 10 * kDay ? std::exp2(-t / (20 * kDay)) : std::exp2(-0.5 - 4.0 * (t - 10 * kDay) / (20 * kDay));
  };
  const std::vector<Result> timed = replicates(s, 3);
  for (double days : {5.0, 10.0, 12.0, 15.0, 20.0}) expect_vulnerable_share(timed, days * kDay, by_time(days * kDay));

  s.patching.policies[0].news = {.enabled = true, .after = std::nullopt, .infected = 1, .factor = 4.0};
  const std::vector<Result> at_start = replicates(s, 3);
  for (double days : {2.0, 5.0, 10.0}) expect_vulnerable_share(at_start, days * kDay, std::exp2(-4.0 * days / 20.0));

  s.patching.policies[0].news = {.enabled = true, .after = std::nullopt, .infected = 2, .factor = 4.0};
  const std::vector<Result> never = replicates(s, 3);
  for (double days : {5.0, 15.0}) expect_vulnerable_share(never, days * kDay, std::exp2(-days / 20.0));
}

// News on a curve with a never class: the never class stays unpatched. Exponential,
// 40 % never, half-life 5 d, news from t = 0 with factor 3: v = 0.4 + 0.6 · 2^(-3t / 5 d).
TEST(OraclePatching, NewsLeavesTheNeverClassUnpatched) {
  Scenario s = self_patching(20000, exponential_curve(5 * kDay, 0.4), 30 * kDay, kDay);
  s.patching.policies[0].news = {.enabled = true, .after = 0.0, .infected = std::nullopt, .factor = 3.0};
  const std::vector<Result> results = replicates(s, 3);
  for (double days : {1.0, 3.0, 30.0}) {
    expect_vulnerable_share(results, days * kDay, 0.4 + 0.6 * std::exp2(-3.0 * days / 5.0));
  }
}

// A patch released 10 days before the worm (half-life 10 d): half of the hosts are
// patched at the start. The explicit seeds are not, and patch later by their curve
// given no patch before t = 0 (memoryless: an exponential of the same half-life).
TEST(OraclePatching, PatchesBeforeTheWormShowAtTheStartButSeedsAreUnpatched) {
  Scenario s = self_patching(20000, exponential_curve(10 * kDay), 10 * kDay, kDay);
  s.patching.release = -10 * kDay;
  for (std::uint32_t k = 0; k < 200; ++k) s.worm.seed_addresses.push_back(kBase + 300 * k);
  double patched_seeds = 0.0, start = 0.0;
  constexpr int kReps = 4;
  for (std::uint64_t rep = 0; rep < kReps; ++rep) {
    NaiveTrace trace;
    const Result r = naive_simulate(s, kSeed, rep, &trace);
    EXPECT_EQ(r.series[Series::kCumulativeInfected][0], 200.0);
    EXPECT_DOUBLE_EQ(r.figures.groups.at(0).patched_at_start, r.figures.patched_at_start);
    EXPECT_NEAR(r.series[Series::kPatched][0], r.figures.patched_at_start * 20000, 1e-6);
    start += r.figures.patched_at_start;
    for (const auto& p : trace.patches) {
      const std::uint32_t offset = p.address - kBase;
      if (offset % 300 == 0 && offset / 300 < 200) {  // a seed
        EXPECT_GE(p.time, 0.0);
        ++patched_seeds;
      }
    }
  }
  // 19,800 non-seeds per replicate patched by t = 0 with probability 1/2.
  const double n = 19800.0 * kReps;
  EXPECT_NEAR(start / kReps * 20000.0 / 19800.0, 0.5, kK * std::sqrt(0.25 / n));
  // The seeds: probability 1/2 of patching in the 10 days after the start.
  const double seeds = 200.0 * kReps;
  EXPECT_NEAR(patched_seeds / seeds, 0.5, kK * std::sqrt(0.25 / seeds));
}

// Per-group cleanup: 400 seeds in each of two groups, cleaned after a mean 6 h
// ("fast") or the default 2 days ("slow"): the share cleaned at t is 1 - e^(-t / mean).
TEST(OraclePatching, CleanupUsesEachGroupsMeanDelay) {
  Scenario s = quiet_scenario(800, 2 * kDay, 6 * kHour);
  s.patching.enabled = false;
  s.population.groups = {counted_group("fast", 400, {1.0, 0.0, 0.0}, 1.0),
                         counted_group("slow", 400, {1.0, 0.0, 0.0}, 1.0)};
  for (std::uint32_t k = 0; k < 800; ++k) s.worm.seed_addresses.push_back(kBase + 80 * k);
  s.cleanup = {.enabled = true, .mean_delay = 2 * kDay, .group_mean_delay = {{"fast", 6 * kHour}}};
  constexpr int kReps = 5;
  const std::vector<Result> results = replicates(s, kReps);
  for (const double t : {6 * kHour, kDay, 2 * kDay}) {
    for (std::size_t g = 0; g < 2; ++g) {
      const double mean = g == 0 ? 6 * kHour : 2 * kDay;
      const double p = 1.0 - std::exp(-t / mean);
      double cleaned = 0.0;
      for (const auto& r : results) {
        cleaned += r.series.of_group(g, GroupSeries::kCleaned)[report_index(r, t)];
        EXPECT_EQ(r.figures.groups.at(g).infected, 400u);
      }
      const double n = 400.0 * kReps;
      EXPECT_NEAR(cleaned / n, p, kK * std::sqrt(p * (1 - p) / n) + 1e-12) << "group " << g << " t = " << t;
    }
  }
}

}  // namespace patchrace::testing
