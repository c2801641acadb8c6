// The patch system's parts: hazard curves, the working clock, self-patching
// classes, central services (priority, capacity, rings, working hours) and the
// bad patch, each checked exactly where the definition is deterministic.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <numeric>
#include <vector>

#include "patching/hazard_curve.hpp"
#include "patching/patch_service.hpp"
#include "patching/patch_system.hpp"
#include "base/rng.hpp"
#include "patching/self_patch_class.hpp"
#include "patching/working_clock.hpp"

namespace patchrace::detail {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

TEST(HazardCurve, ExponentialIsLinearInAge) {
  const HazardCurve c = HazardCurve::exponential(std::log(2.0) / kDay);
  EXPECT_DOUBLE_EQ(c.hazard(kDay), std::log(2.0));
  EXPECT_DOUBLE_EQ(c.age_at(std::log(2.0)), kDay);
}

TEST(HazardCurve, EmpiricalInterpolatesTheVulnerableShareAndStaysFlat) {
  const HazardCurve c = HazardCurve::empirical({{10.0, 0.5}, {20.0, 0.25}});
  EXPECT_DOUBLE_EQ(c.hazard(0.0), 0.0);
  EXPECT_DOUBLE_EQ(c.hazard(5.0), -std::log(0.75));   // halfway from (0, 1) to (10, 0.5)
  EXPECT_DOUBLE_EQ(c.hazard(15.0), -std::log(0.375));
  EXPECT_DOUBLE_EQ(c.hazard(99.0), -std::log(0.25));  // flat after the last point
  EXPECT_NEAR(c.age_at(-std::log(0.75)), 5.0, 1e-9);
  EXPECT_NEAR(c.age_at(-std::log(0.375)), 15.0, 1e-9);
  EXPECT_EQ(c.age_at(-std::log(0.2)), kInf);  // below the plateau: never
}

TEST(HazardCurve, EmpiricalCurveReachingZeroPatchesEveryone) {
  const HazardCurve c = HazardCurve::empirical({{10.0, 0.0}});
  EXPECT_EQ(c.hazard(10.0), kInf);
  EXPECT_NEAR(c.age_at(50.0), 10.0, 1e-9);
}

TEST(WorkingClock, WithoutHoursEverySecondWorks) {
  const WorkingClock clock(WorkingHoursSpec{}, 0.0);
  EXPECT_DOUBLE_EQ(clock.after(-5.0, 10.0), 5.0);
  EXPECT_DOUBLE_EQ(clock.working_day(), kDay);
}

TEST(WorkingClock, CountsOnlyTheDailyHoursOnWeekdays) {
  WorkingHoursSpec hours;
  hours.enabled = true;
  hours.start = 9 * kHour;
  hours.end = 17 * kHour;
  hours.weekdays_only = true;
  // t = 0 is Friday 16:00.
  const WorkingClock clock(hours, 4 * kDay + 16 * kHour);
  EXPECT_TRUE(clock.working(0.0));
  EXPECT_FALSE(clock.working(kHour));            // Friday 17:00
  EXPECT_FALSE(clock.working(kDay));             // Saturday 16:00
  EXPECT_DOUBLE_EQ(clock.working_day(), 8 * kHour);
  EXPECT_DOUBLE_EQ(clock.after(0.0, 0.5 * kHour), 0.5 * kHour);
  // One hour left on Friday, then Monday from 09:00: two hours of work end Monday 10:00.
  EXPECT_DOUBLE_EQ(clock.after(0.0, 2 * kHour), 2 * kDay + 18 * kHour);
  // From Saturday, work starts Monday 09:00.
  EXPECT_DOUBLE_EQ(clock.after(kDay, 0.0), 2 * kDay + 17 * kHour);
  // Negative times (before the worm) use the same week clock: Friday 08:00 -> 09:00.
  EXPECT_DOUBLE_EQ(clock.after(-8 * kHour, kHour), -6 * kHour);
}

TEST(WorkingClock, WorksEveryDayWhenWeekendsAreIncluded) {
  WorkingHoursSpec hours;
  hours.enabled = true;
  hours.start = 0.0;
  hours.end = 12 * kHour;
  hours.weekdays_only = false;
  const WorkingClock clock(hours, 5 * kDay);  // Saturday 00:00
  EXPECT_TRUE(clock.working(kHour));
  EXPECT_DOUBLE_EQ(clock.after(0.0, 13 * kHour), kDay + kHour);
}

TEST(SelfPatchClass, YieldsEveryHostOnceInIncreasingTime) {
  Rng rng(1, 0, StreamPurpose::kTest);
  std::vector<std::uint32_t> hosts(1000);
  std::iota(hosts.begin(), hosts.end(), 0u);
  SelfPatchClass c(HazardCurve::exponential(1.0), 0.0, hosts, rng);
  std::vector<bool> seen(hosts.size(), false);
  double last = 0.0;
  for (std::size_t k = 0; k < hosts.size(); ++k) {
    const double t = c.next_time();
    ASSERT_GE(t, last);
    last = t;
    const std::uint32_t h = c.pop();
    ASSERT_FALSE(seen[h]);
    seen[h] = true;
  }
  EXPECT_EQ(c.next_time(), kInf);
}

TEST(SelfPatchClass, PatchTimesFollowTheCurve) {
  // Median of n unit exponentials at rate 1 per second is ln 2.
  Rng rng(2, 0, StreamPurpose::kTest);
  std::vector<std::uint32_t> hosts(20001);
  std::iota(hosts.begin(), hosts.end(), 0u);
  SelfPatchClass c(HazardCurve::exponential(1.0), 100.0, hosts, rng);
  for (int k = 0; k < 10000; ++k) c.pop();
  EXPECT_NEAR(c.next_time() - 100.0, std::log(2.0), 0.03);
}

TEST(SelfPatchClass, NewsSpeedsUpTheRemainingHostsOnly) {
  Rng a(3, 0, StreamPurpose::kTest), b(3, 0, StreamPurpose::kTest);
  std::vector<std::uint32_t> hosts(100);
  std::iota(hosts.begin(), hosts.end(), 0u);
  SelfPatchClass plain(HazardCurve::exponential(1.0), 0.0, hosts, a);
  SelfPatchClass news(HazardCurve::exponential(1.0), 0.0, hosts, b);
  news.speed_up(0.5, 4.0);
  for (int k = 0; k < 100; ++k) {
    const double t = plain.next_time();
    const double expected = t <= 0.5 ? t : 0.5 + (t - 0.5) / 4.0;
    ASSERT_NEAR(news.next_time(), expected, 1e-12);
    ASSERT_EQ(plain.pop(), news.pop());
  }
}

TEST(SelfPatchClass, DeferredHostGetsABudgetBeyondTheHazardAlreadySpent) {
  Rng rng(4, 0, StreamPurpose::kTest);
  SelfPatchClass c(HazardCurve::exponential(1.0), -10.0, {}, rng);
  EXPECT_EQ(c.next_time(), kInf);
  c.defer(7, 0.0);
  EXPECT_GE(c.next_time(), 0.0);
  EXPECT_EQ(c.pop(), 7u);
}

/// Runs a service until idle, recording (time, host, ring) of each patch.
struct Patched {
  double time;
  std::uint32_t host;
  int ring;
};
std::vector<Patched> run_service(PatchService& service, const std::vector<bool>& skip = {}) {
  std::vector<Patched> out;
  for (int guard = 0; guard < 100000 && service.next_time() < kInf; ++guard) {
    const double t = service.next_time();
    PatchService::Patch p{};
    const bool got = service.take(
        [&](std::uint32_t h) { return !skip.empty() && skip[h] ? Need::kSkip : Need::kPatch; },
        [](std::uint32_t) {}, p);
    if (got) out.push_back({t, p.host, p.ring});
  }
  return out;
}

TEST(PatchService, PatchesInOrderAtExactlyItsCapacity) {
  // 10 hosts a day: one every 8640 s from the start.
  PatchService service({5, 3, 8, 1}, {4}, {0.0}, 100.0, kDay / 10, WorkingClock({}, 0.0));
  const auto patched = run_service(service);
  ASSERT_EQ(patched.size(), 4u);
  const std::uint32_t order[] = {5, 3, 8, 1};
  for (std::size_t k = 0; k < 4; ++k) {
    EXPECT_EQ(patched[k].host, order[k]);
    EXPECT_DOUBLE_EQ(patched[k].time, 100.0 + static_cast<double>(k + 1) * kDay / 10);
  }
}

TEST(PatchService, PassesOverHostsThatNoLongerNeedThePatchWithoutUsingTime) {
  PatchService service({0, 1, 2}, {3}, {0.0}, 0.0, 10.0, WorkingClock({}, 0.0));
  const auto patched = run_service(service, {false, true, false});
  ASSERT_EQ(patched.size(), 2u);
  EXPECT_EQ(patched[1].host, 2u);
  EXPECT_DOUBLE_EQ(patched[1].time, 20.0);
}

TEST(PatchService, StartsEachRingItsQaDelayAfterThePreviousRingsLastPatch) {
  // Rings {0, 1}, {2}, {3, 4}; 10 s per host; QA 100 s then 50 s.
  PatchService service({0, 1, 2, 3, 4}, {2, 3, 5}, {100.0, 50.0, 0.0}, 0.0, 10.0,
                       WorkingClock({}, 0.0));
  const auto patched = run_service(service);
  ASSERT_EQ(patched.size(), 5u);
  const double times[] = {10, 20, 130, 190, 200};  // ring 1 starts 20 + 100; ring 2 at 130 + 50
  const int rings[] = {0, 0, 1, 2, 2};
  for (std::size_t k = 0; k < 5; ++k) {
    EXPECT_DOUBLE_EQ(patched[k].time, times[k]) << k;
    EXPECT_EQ(patched[k].ring, rings[k]) << k;
  }
}

TEST(PatchService, ReQueuedHostsGoFirstAndWakeAnIdleService) {
  PatchService service({0, 1}, {2}, {0.0}, 0.0, 10.0, WorkingClock({}, 0.0));
  PatchService::Patch p{};
  auto all = [](std::uint32_t) { return Need::kPatch; };
  auto none = [](std::uint32_t) {};
  ASSERT_TRUE(service.take(all, none, p));  // host 0 at 10
  service.requeue(9, 12.0);
  ASSERT_DOUBLE_EQ(service.next_time(), 20.0);
  ASSERT_TRUE(service.take(all, none, p));
  EXPECT_EQ(p.host, 9u);
  EXPECT_EQ(p.ring, -1);
  ASSERT_TRUE(service.take(all, none, p));
  EXPECT_EQ(p.host, 1u);
  EXPECT_FALSE(service.take(all, none, p));  // nothing left: idle
  EXPECT_EQ(service.next_time(), kInf);
  service.requeue(4, 100.0);
  EXPECT_DOUBLE_EQ(service.next_time(), 110.0);
}

TEST(PatchService, WaitsForWorkingHours) {
  WorkingHoursSpec hours;
  hours.enabled = true;
  hours.start = 9 * kHour;
  hours.end = 17 * kHour;
  // Monday 00:00 at t = 0; 4 hosts per working day: one every 2 working hours.
  PatchService service({0, 1, 2, 3, 4}, {5}, {0.0}, 0.0, 2 * kHour, WorkingClock(hours, 0.0));
  const auto patched = run_service(service);
  ASSERT_EQ(patched.size(), 5u);
  EXPECT_DOUBLE_EQ(patched[0].time, 11 * kHour);
  EXPECT_DOUBLE_EQ(patched[3].time, 17 * kHour);
  EXPECT_DOUBLE_EQ(patched[4].time, kDay + 11 * kHour);
}

/// A scenario with three central-service groups of known exposure and criticality.
Scenario service_scenario() {
  Scenario s;
  s.population.hosts = 300;
  auto group = [](const char* name, std::uint64_t count, std::vector<double> exposure, double criticality) {
    ManagementGroupSpec g;
    g.name = name;
    g.count = count;
    g.exposure = std::move(exposure);
    g.criticality = criticality;
    return g;
  };
  s.population.groups = {group("desktops", 100, {0, 0, 1}, 1.0), group("servers", 100, {1, 0, 0}, 3.0),
                         group("internal", 100, {0, 1, 0}, 1.0)};
  s.patching.enabled = true;
  s.patching.release = 0.0;
  PatchServiceSpec service;
  service.name = "wsus";
  service.capacity = 50.0;
  s.patching.services = {service};
  for (const auto& g : s.population.groups) {
    PatchPolicySpec p;
    p.group = g.name;
    p.kind = PolicyKind::kCentral;
    p.service = "wsus";
    s.patching.policies.push_back(p);
  }
  return s;
}

/// The groups of the hosts in the order the service patches them.
std::vector<int> service_group_order(const Scenario& s, std::vector<double>* times = nullptr) {
  PatchSystem system(s, static_cast<std::uint32_t>(s.population.hosts), StreamKey{5, 0});
  std::vector<int> groups;
  PatchAction action;
  while (system.next_time() < kInf) {
    const double t = system.next_time();
    if (system.take([](std::uint32_t, double) { return Need::kPatch; }, action)) {
      groups.push_back(system.group_of(action.host));
      if (times) times->push_back(t);
    }
  }
  return groups;
}

TEST(PatchSystem, ScoreRulePatchesByExposureTimesCriticality) {
  const Scenario s = service_scenario();
  std::vector<double> times;
  const std::vector<int> groups = service_group_order(s, &times);
  ASSERT_EQ(groups.size(), 300u);
  // Scores: servers 3 * 3 = 9, internal 2 * 1 = 2, desktops (NAT) 1 * 1 = 1.
  for (int k = 0; k < 300; ++k) {
    const int expected = k < 100 ? 1 : k < 200 ? 2 : 0;
    ASSERT_EQ(groups[k], expected) << k;
    ASSERT_DOUBLE_EQ(times[k], (k + 1) * kDay / 50) << k;
  }
}

TEST(PatchSystem, CriticalityFirstAndMinScoreReorderAndFilter) {
  Scenario s = service_scenario();
  s.patching.services[0].priority.rule = PriorityRule::kExposureFirst;
  std::vector<int> groups = service_group_order(s);
  EXPECT_EQ(groups[0], 1);
  EXPECT_EQ(groups[150], 2);
  EXPECT_EQ(groups[250], 0);
  s.patching.services[0].priority.rule = PriorityRule::kScore;
  s.patching.services[0].min_score = 2.0;  // the NAT desktops (score 1) are left out
  groups = service_group_order(s);
  EXPECT_EQ(groups.size(), 200u);
}

TEST(PatchSystem, RingsTakeTheirSharesOfTheServicesHosts) {
  Scenario s = service_scenario();
  s.patching.services[0].rings = {{"test", 0.1, 1000.0}, {"broad", 0.9, 0.0}};
  PatchSystem system(s, 300, StreamKey{6, 0});
  ASSERT_EQ(system.ring_count(), 2);
  std::map<int, int> per_ring;
  double last_test = 0.0, first_broad = kInf;
  PatchAction action;
  while (system.next_time() < kInf) {
    const double t = system.next_time();
    if (!system.take([](std::uint32_t, double) { return Need::kPatch; }, action)) continue;
    ++per_ring[action.ring];
    if (action.ring == 0) last_test = t;
    if (action.ring == 1) first_broad = std::min(first_broad, t);
  }
  EXPECT_EQ(per_ring[0], 30);
  EXPECT_EQ(per_ring[1], 270);
  EXPECT_DOUBLE_EQ(first_broad, last_test + 1000.0 + kDay / 50);
}

TEST(PatchSystem, BreakProbabilityHalvesWithAgeAndStopsAtTheFix) {
  Scenario s;
  s.population.hosts = 10;
  s.patching.enabled = true;
  s.patching.release = -kDay;
  s.patching.bad_patch.enabled = true;
  s.patching.bad_patch.probability = 0.2;
  s.patching.bad_patch.half_life = kDay;
  s.patching.bad_patch.fix_release = 3 * kDay;
  const PatchSystem system(s, 10, StreamKey{7, 0});
  EXPECT_DOUBLE_EQ(system.break_probability(-kDay), 0.2);
  EXPECT_DOUBLE_EQ(system.break_probability(0.0), 0.1);
  EXPECT_DOUBLE_EQ(system.break_probability(kDay), 0.05);
  EXPECT_DOUBLE_EQ(system.break_probability(2 * kDay), 0.0);  // the fix is out
}

TEST(PatchSystem, GroupCountsAreExact) {
  const Scenario s = service_scenario();
  const PatchSystem system(s, 300, StreamKey{8, 0});
  for (int g = 0; g < 3; ++g) EXPECT_EQ(system.group_size(g), 100u);
}

}  // namespace
}  // namespace patchrace::detail
