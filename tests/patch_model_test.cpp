// The patch system through simulate(), against closed forms: measured half-lives,
// stalled two-population curves, empirical curves, news, capacity-limited services
// with rings, and the outage host-hours of a bad patch. "No worm" is a worm that
// scans at 1e-12 probes/s: its one seed never infects anyone.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <vector>

#include "patchrace/ensemble.hpp"
#include "patchrace/result.hpp"
#include "patchrace/scenario.hpp"
#include "patchrace/simulate.hpp"

namespace patchrace {
namespace {

Scenario quiet_scenario(std::uint64_t hosts) {
  Scenario s;
  s.address_space.base = 0x0a000000;
  s.address_space.prefix_length = 8;
  s.population.hosts = hosts;
  s.worm.scan_rate = 1e-12;
  s.patching.enabled = true;
  s.patching.release = 0.0;
  s.run.duration = 90 * kDay;
  s.run.report_interval = kDay;
  return s;
}

PatchPolicySpec self_policy(const std::string& group, AdoptionSpec adoption) {
  PatchPolicySpec p;
  p.group = group;
  p.kind = PolicyKind::kSelf;
  p.adoption = std::move(adoption);
  return p;
}

struct MeanSe {
  double mean, se;
};
MeanSe mean_se(const std::vector<double>& x) {
  const double n = static_cast<double>(x.size());
  const double mean = std::accumulate(x.begin(), x.end(), 0.0) / n;
  double ss = 0.0;
  for (double v : x) ss += (v - mean) * (v - mean);
  return {mean, std::sqrt(ss / (n - 1) / n)};
}

/// Share of hosts still unpatched at day `day` (the vulnerable share: no infections).
double vulnerable_share(const Result& r, int day) {
  return r.series[Series::kSusceptible][static_cast<std::size_t>(day)] /
         static_cast<double>(r.figures.vulnerable);
}

TEST(PatchModel, MeasuredHalfLifeMatchesTheExponentialPolicy) {
  Scenario s = quiet_scenario(50000);
  AdoptionSpec a;
  a.half_life = 30 * kDay;
  s.patching.policies = {self_policy("all", a)};
  std::vector<double> measured;
  for (std::uint64_t r = 0; r < 4; ++r) {
    const Result result = simulate(s, 11, r);
    ASSERT_TRUE(result.figures.groups.at(0).half_life.has_value());
    measured.push_back(*result.figures.groups[0].half_life);
  }
  const MeanSe m = mean_se(measured);
  std::printf("  measured half-life %.3f d (se %.3f d), configured 30 d\n", m.mean / kDay, m.se / kDay);
  EXPECT_NEAR(m.mean, 30 * kDay, 0.02 * 30 * kDay);
}

TEST(PatchModel, TwoPopulationPolicyStallsWithItsNeverClass) {
  Scenario s = quiet_scenario(20000);
  AdoptionSpec a;
  a.kind = AdoptionKind::kTwoPopulation;
  a.fast_share = 0.505;
  a.fast_half_life = 7 * kDay;
  a.slow_half_life = 0.0;  // never
  s.patching.policies = {self_policy("all", a)};
  std::vector<double> at30, at60;
  for (std::uint64_t r = 0; r < 4; ++r) {
    const Result result = simulate(s, 12, r);
    at30.push_back(vulnerable_share(result, 30));
    at60.push_back(vulnerable_share(result, 60));
  }
  const double v30 = 0.495 + 0.505 * std::exp2(-30.0 / 7.0);
  const double v60 = 0.495 + 0.505 * std::exp2(-60.0 / 7.0);
  const MeanSe m30 = mean_se(at30), m60 = mean_se(at60);
  std::printf("  still vulnerable: day 30 %.4f (expected %.4f), day 60 %.4f (expected %.4f)\n",
              m30.mean, v30, m60.mean, v60);
  // The published shape: about 52 % still vulnerable after 30 days, about 50 % after 60.
  EXPECT_NEAR(m30.mean, 0.52, 0.01);
  EXPECT_NEAR(m60.mean, 0.50, 0.01);
  EXPECT_NEAR(m30.mean, v30, 4 * m30.se + 1e-3);
  EXPECT_NEAR(m60.mean, v60, 4 * m60.se + 1e-3);
}

TEST(PatchModel, EmpiricalPolicyReproducesItsTabulatedPoints) {
  Scenario s = quiet_scenario(20000);
  AdoptionSpec a;
  a.kind = AdoptionKind::kEmpirical;
  a.curve = {{10 * kDay, 0.7}, {30 * kDay, 0.4}, {60 * kDay, 0.35}};
  s.patching.policies = {self_policy("all", a)};
  const Result result = simulate(s, 13, 0);
  const double n = 20000;
  for (const auto& [day, v] : {std::pair{10, 0.7}, {20, 0.55}, {30, 0.4}, {60, 0.35}, {90, 0.35}}) {
    const double se = std::sqrt(v * (1 - v) / n);
    EXPECT_NEAR(vulnerable_share(result, day), v, 4 * se) << "day " << day;
  }
}

TEST(PatchModel, NewsMultipliesThePatchHazardFromItsTrigger) {
  Scenario s = quiet_scenario(20000);
  AdoptionSpec a;
  a.half_life = 40 * kDay;
  PatchPolicySpec p = self_policy("all", a);
  p.news.enabled = true;
  p.news.after = 10 * kDay;
  p.news.factor = 4.0;
  s.patching.policies = {p};
  const Result result = simulate(s, 14, 0);
  // v(t) = 2^(-10/40) 2^(-4 (t - 10) / 40) after the news.
  for (int day : {5, 10, 15, 20, 30}) {
    const double v = day <= 10 ? std::exp2(-day / 40.0) : std::exp2(-10 / 40.0 - 4 * (day - 10) / 40.0);
    const double se = std::sqrt(v * (1 - v) / 20000);
    EXPECT_NEAR(vulnerable_share(result, day), v, 4 * se) << "day " << day;
  }
}

/// One central service over all hosts (one group, "site"): 100 hosts a day,
/// released at t = 0. The seed is one of the hosts: once patched it is I (patched),
/// which the group's "patched" series counts.
Scenario service_scenario(std::uint64_t hosts) {
  Scenario s = quiet_scenario(hosts);
  ManagementGroupSpec site;
  site.name = "site";
  site.share = 1.0;
  s.population.groups = {site};
  s.run.duration = 20 * kDay;
  s.run.report_interval = kHour;
  PatchServiceSpec service;
  service.name = "wsus";
  service.capacity = 100.0;
  s.patching.services = {service};
  PatchPolicySpec p;
  p.group = "site";
  p.kind = PolicyKind::kCentral;
  p.service = "wsus";
  s.patching.policies = {p};
  return s;
}

TEST(PatchModel, CentralServicePatchesAtExactlyItsCapacity) {
  const Scenario s = service_scenario(1000);
  const Result r = simulate(s, 15, 0);
  const auto& patched = r.series.of_group(0, GroupSeries::kPatched);
  // One host every 864 s: floor(t / 864) patched at time t, until all 1000 are.
  for (std::size_t k = 0; k < r.series.time.size(); ++k) {
    const double expected = std::min(1000.0, std::floor(r.series.time[k] / 864.0 + 1e-9));
    ASSERT_EQ(patched[k], expected) << "t = " << r.series.time[k];
  }
  EXPECT_EQ(r.series.ring_patched.at(0).back(), 1000.0);
}

TEST(PatchModel, RingsRespectTheirQaDelays) {
  Scenario s = service_scenario(1000);
  s.patching.services[0].rings = {{"test", 0.05, 2 * kDay}, {"broad", 0.95, 0.0}};
  const Result r = simulate(s, 16, 0);
  const auto& test = r.series.ring_patched.at(0);
  const auto& broad = r.series.ring_patched.at(1);
  // 50 test hosts take half a day; broad starts 2 days later, at 2.5 d, and its
  // first host is done one host's work (864 s) after that.
  for (std::size_t k = 0; k < r.series.time.size(); ++k) {
    const double t = r.series.time[k];
    ASSERT_EQ(test[k], std::min(50.0, std::floor(t / 864.0 + 1e-9))) << t;
    const double broad_expected = t < 2.5 * kDay ? 0.0 : std::min(950.0, std::floor((t - 2.5 * kDay) / 864.0 + 1e-9));
    ASSERT_EQ(broad[k], broad_expected) << t;
  }
}

TEST(PatchModel, BadPatchWithProbabilityZeroBreaksNothing) {
  Scenario s = service_scenario(1000);
  s.patching.bad_patch.enabled = true;
  s.patching.bad_patch.probability = 0.0;
  const Result r = simulate(s, 17, 0);
  EXPECT_EQ(r.figures.breaks, 0u);
  EXPECT_EQ(r.figures.outage_host_hours, 0.0);
  for (double v : r.series[Series::kOutageHostHours]) ASSERT_EQ(v, 0.0);
}

TEST(PatchModel, OutageHostHoursMatchTheirExpectation) {
  Scenario s = service_scenario(1000);
  s.run.duration = 12 * kDay;
  auto& bad = s.patching.bad_patch;
  bad.enabled = true;
  bad.probability = 0.3;
  bad.half_life = 3 * kDay;
  bad.outage = 8 * kHour;
  bad.fix_release = 30 * kDay;  // after the run: rolled-back hosts wait for it
  // Host k (1..1000) is patched at k * 864 s with break probability p(k * 864 s).
  double expected = 0.0;
  for (int k = 1; k <= 1000; ++k) {
    const double t = k * 864.0;
    expected += 0.3 * std::exp2(-t / (3 * kDay)) * std::min(bad.outage, s.run.duration - t) / kHour;
  }
  std::vector<double> outage;
  double breaks = 0;
  const int replicates = 40;
  for (int r = 0; r < replicates; ++r) {
    const Result result = simulate(s, 18, static_cast<std::uint64_t>(r));
    outage.push_back(result.figures.outage_host_hours);
    breaks += static_cast<double>(result.figures.breaks);
  }
  const MeanSe m = mean_se(outage);
  std::printf("  outage %.1f host-hours (se %.1f), expected %.1f; %.1f breaks per run\n", m.mean,
              m.se, expected, breaks / replicates);
  EXPECT_NEAR(m.mean, expected, 4 * m.se);
}

TEST(PatchModel, RolledBackHostsArePatchedAgainOnceTheFixIsOut) {
  Scenario s = service_scenario(500);
  auto& bad = s.patching.bad_patch;
  bad.enabled = true;
  bad.probability = 0.5;
  bad.half_life = 100 * kDay;
  bad.outage = 4 * kHour;
  bad.fix_release = 8 * kDay;
  const Result r = simulate(s, 19, 0);
  EXPECT_GT(r.figures.breaks, 150u);
  EXPECT_EQ(r.figures.groups[0].final_patched, 500u);  // the fixed patch reaches everyone
  EXPECT_EQ(r.series[Series::kBroken].back(), 0.0);
  // Before the fix, broken and rolled-back hosts are still vulnerable.
  const std::size_t day7 = 7 * 24;
  EXPECT_LT(r.series.of_group(0, GroupSeries::kPatched)[day7], 500.0 - 150.0);
}

TEST(PatchModel, SelfPatchingGroupsAndCentralGroupsRunSideBySide) {
  Scenario s = quiet_scenario(3000);
  s.run.duration = 30 * kDay;
  ManagementGroupSpec home, office;
  home.name = "home";
  home.count = 2000;
  office.name = "office";
  office.count = 1000;
  office.exposure = {0.0, 1.0, 0.0};
  s.population.groups = {home, office};
  AdoptionSpec a;
  a.half_life = 10 * kDay;
  a.never_fraction = 0.5;
  PatchServiceSpec service;
  service.name = "wsus";
  service.capacity = 200.0;
  service.approval_delay = kDay;
  s.patching.services = {service};
  PatchPolicySpec central;
  central.group = "office";
  central.kind = PolicyKind::kCentral;
  central.service = "wsus";
  s.patching.policies = {self_policy("home", a), central};
  const Result r = simulate(s, 20, 0);
  ASSERT_EQ(r.figures.groups.size(), 2u);
  EXPECT_EQ(r.figures.groups[0].name, "home");
  EXPECT_EQ(r.figures.groups[0].hosts, 2000u);
  EXPECT_EQ(r.figures.groups[1].final_patched, 1000u);
  // The office is done in 1 + 5 days; half of it at 1 + 2.5 days exactly.
  ASSERT_TRUE(r.figures.groups[1].half_life.has_value());
  EXPECT_DOUBLE_EQ(*r.figures.groups[1].half_life, kDay + 500 * 432.0);
  // Home: v(30 d) = 0.5 + 0.5 / 8, and never half patched.
  const double home_patched = static_cast<double>(r.figures.groups[0].final_patched) / 2000.0;
  EXPECT_NEAR(home_patched, 0.5 - 0.5 / 8, 4 * std::sqrt(0.4375 * 0.5625 / 2000));
  EXPECT_FALSE(r.figures.groups[0].half_life.has_value());
  // Per-group series: vulnerable + patched = hosts at every point.
  const auto& v = r.series.of_group(1, GroupSeries::kVulnerable);
  const auto& p = r.series.of_group(1, GroupSeries::kPatched);
  for (std::size_t k = 0; k < v.size(); ++k) ASSERT_EQ(v[k] + p[k], 1000.0);
}

TEST(PatchModel, PatchReleasedBeforeTheWormRunsBeforeTheStart) {
  Scenario s = service_scenario(1000);
  s.patching.release = -5 * kDay - 100.0;  // the 500th host is patched at -100 s
  const Result r = simulate(s, 21, 0);
  EXPECT_EQ(r.series[Series::kPatched][0], 500.0);
  EXPECT_DOUBLE_EQ(r.figures.patched_at_start, 0.5);
  EXPECT_DOUBLE_EQ(r.figures.groups[0].patched_at_start, 0.5);
  ASSERT_TRUE(r.figures.groups[0].half_life.has_value());
  EXPECT_DOUBLE_EQ(*r.figures.groups[0].half_life, 500 * 864.0);
  EXPECT_EQ(r.series.of_group(0, GroupSeries::kVulnerable)[0], 500.0);
}

TEST(PatchModel, SeedAddressesCannotHavePatchedBeforeTheStart) {
  Scenario s = service_scenario(1000);
  s.patching.release = -15 * kDay;  // the service would have patched everyone by t = 0
  s.worm.seed_addresses = {0x0a000001, 0x0a000002};
  const Result r = simulate(s, 22, 0);
  EXPECT_EQ(r.series[Series::kPatched][0], 998.0);
  EXPECT_EQ(r.series[Series::kInfected][0], 2.0);
  // Re-queued at t = 0, they are patched (still infected, not cured) right after.
  EXPECT_EQ(r.figures.final_infected, 2u);
}

TEST(PatchModel, GroupCleanupDelaysApplyPerGroup) {
  Scenario s;
  s.address_space.base = 0x0a000000;
  s.address_space.prefix_length = 16;
  s.population.hosts = 4000;
  s.worm.scan_rate = 5.0;
  s.worm.initial_infected = 10;
  ManagementGroupSpec fast, slow;
  fast.name = "fast";
  fast.share = 0.5;
  slow.name = "slow";
  slow.share = 0.5;
  s.population.groups = {fast, slow};
  s.cleanup.enabled = true;
  s.cleanup.mean_delay = 10 * kHour;
  s.cleanup.group_mean_delay = {{"fast", 0.5 * kHour}};
  s.run.duration = 6 * kHour;
  s.run.report_interval = 10 * kMinute;
  const Result r = simulate(s, 23, 0);
  // Cleaned shares of the infected: fast-group hosts are cleaned far sooner.
  const double fast_cleaned = static_cast<double>(r.figures.groups[0].final_cleaned) /
                              static_cast<double>(r.figures.groups[0].infected);
  const double slow_cleaned = static_cast<double>(r.figures.groups[1].final_cleaned) /
                              static_cast<double>(r.figures.groups[1].infected);
  std::printf("  cleaned share of infected: fast %.3f, slow %.3f\n", fast_cleaned, slow_cleaned);
  EXPECT_GT(fast_cleaned, 0.95);
  EXPECT_LT(slow_cleaned, 0.6);
}

}  // namespace
}  // namespace patchrace

namespace patchrace {
namespace {

TEST(PatchModel, InfectedHostsBrokenByThePatchStartANewSweepWhenRolledBack) {
  Scenario s;
  s.address_space.base = 0x0a000000;
  s.address_space.prefix_length = 24;
  s.population.hosts = 100;
  s.worm.strategy = ScanStrategy::kSequential;
  s.worm.sequential.batch = 1;
  s.worm.scan_rate = 1000.0;
  s.patching.enabled = true;
  s.patching.release = 60.0;
  PatchServiceSpec service;
  service.name = "s";
  service.capacity = 1e6;
  s.patching.services = {service};
  PatchPolicySpec p;
  p.group = "all";
  p.kind = PolicyKind::kCentral;
  p.service = "s";
  s.patching.policies = {p};
  auto& bad = s.patching.bad_patch;
  bad.enabled = true;
  bad.probability = 1.0;
  bad.half_life = 1000 * kDay;
  bad.outage = kHour;
  bad.fix_release = 1.5 * kHour;
  s.run.duration = 3 * kHour;
  s.run.report_interval = 10 * kMinute;
  const Result r = simulate(s, 24, 0);
  // Every host is infected within a second, broken by the patch at about a minute,
  // back and sweeping anew an hour later, then patched for good by the fixed patch.
  EXPECT_EQ(r.figures.total_infected, 100u);
  EXPECT_EQ(r.figures.breaks, 100u);
  EXPECT_EQ(r.figures.sweeps_started, 200u);
  EXPECT_EQ(r.series[Series::kBroken][1], 100.0);  // at 10 min
  EXPECT_EQ(r.series[Series::kInfected][1], 0.0);
  EXPECT_EQ(r.series[Series::kInfected].back(), 100.0);  // patched, the worm still runs
  EXPECT_EQ(r.figures.groups[0].final_patched, 100u);
  EXPECT_DOUBLE_EQ(r.figures.outage_host_hours, 100.0);
}

}  // namespace
}  // namespace patchrace
