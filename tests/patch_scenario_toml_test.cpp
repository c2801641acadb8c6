// The patch system's part of the scenario file: management groups, policies,
// services, rings, the bad patch, per-group cleanup, the clock and [sweep]; how they
// read, and every error message with its position.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "patchrace/error.hpp"
#include "patchrace/scenario.hpp"
#include "patchrace/scenario_file.hpp"
#include "scenario_error.hpp"

namespace patchrace {
namespace {

// Lines 1-8; tests append from line 9 on.
constexpr std::string_view kBase = R"(name = "groups"
[population]
hosts = 1000
[worm]
scan_rate = 10
[run]
duration = "1h"
report_interval = "1min"
)";

/// A population with two groups, home and office (lines 9-16).
constexpr std::string_view kGroups = R"([[population.groups]]
name = "home"
share = 0.6
exposure = { internet = 0.5, nat = 0.5 }
[[population.groups]]
name = "office"
share = 0.4
criticality = 2
)";

std::string with(std::string_view lines) { return std::string(kBase) + std::string(lines) + "\n"; }
std::string with_groups(std::string_view lines) {
  return std::string(kBase) + std::string(kGroups) + std::string(lines) + "\n";
}

std::string error_of(const std::string& text) { return testing::scenario_error_of(text); }
using testing::sweep_error_of;

constexpr std::string_view kPolicies = R"([patching]
release = "-26d"
importance = 4
[[patching.policies]]
group = "home"
kind = "self"
adoption = "two-population"
fast_share = 0.5
fast_half_life = "7d"
news = { infected = 1000, factor = 2 }
[[patching.policies]]
group = "office"
kind = "central"
service = "sus"
[[patching.services]]
name = "sus"
capacity = 2000
approval_delay = "2d"
working_hours = ["08:30", "17:00"]
weekdays_only = false
priority = { exposure = 2, criticality = 1, importance = 0 }
min_score = 1.5
[[patching.services.rings]]
name = "test"
share = 0.1
qa_delay = "3d"
[[patching.services.rings]]
name = "broad"
share = 0.9
[patching.bad_patch]
probability = 0.05
half_life = "3d"
outage = "6h"
fix_release = "12d"
repatch_mean = "2d"
[cleanup]
mean_delay = "3d"
groups = { office = "12h" }
)";

TEST(PatchScenarioToml, ReadsGroupsPoliciesServicesRingsAndTheBadPatch) {
  const Scenario s = parse_scenario_toml(with_groups(kPolicies), "t.toml");
  ASSERT_EQ(s.population.groups.size(), 2u);
  EXPECT_EQ(s.population.groups[0].name, "home");
  EXPECT_EQ(s.population.groups[0].exposure, (std::vector<double>{0.5, 0.0, 0.5}));
  EXPECT_EQ(s.population.groups[1].exposure, (std::vector<double>{1.0, 0.0, 0.0}));
  EXPECT_EQ(s.population.groups[1].criticality, 2.0);
  EXPECT_FALSE(s.population.groups[1].count.has_value());
  const PatchingSpec& p = s.patching;
  EXPECT_EQ(p.importance, 4.0);
  ASSERT_EQ(p.policies.size(), 2u);
  EXPECT_EQ(p.policies[0].adoption.kind, AdoptionKind::kTwoPopulation);
  EXPECT_EQ(p.policies[0].adoption.fast_half_life, 7 * kDay);
  EXPECT_EQ(p.policies[0].adoption.slow_half_life, 0.0);
  EXPECT_TRUE(p.policies[0].news.enabled);
  EXPECT_EQ(p.policies[0].news.infected, std::optional<std::uint64_t>(1000));
  EXPECT_EQ(p.policies[1].kind, PolicyKind::kCentral);
  EXPECT_EQ(p.policies[1].service, "sus");
  const PatchServiceSpec& sus = p.services.at(0);
  EXPECT_EQ(sus.capacity, 2000.0);
  EXPECT_EQ(sus.approval_delay, 2 * kDay);
  EXPECT_TRUE(sus.working_hours.enabled);
  EXPECT_EQ(sus.working_hours.start, 8.5 * kHour);
  EXPECT_EQ(sus.working_hours.end, 17 * kHour);
  EXPECT_FALSE(sus.working_hours.weekdays_only);
  EXPECT_EQ(sus.priority.rule, PriorityRule::kScore);
  EXPECT_EQ(sus.priority.exposure_weight, 2.0);
  EXPECT_EQ(sus.priority.importance_weight, 0.0);
  EXPECT_EQ(sus.min_score, 1.5);
  ASSERT_EQ(sus.rings.size(), 2u);
  EXPECT_EQ(sus.rings[0].qa_delay, 3 * kDay);
  EXPECT_EQ(sus.rings[1].qa_delay, 0.0);
  EXPECT_TRUE(p.bad_patch.enabled);
  EXPECT_EQ(p.bad_patch.outage, 6 * kHour);
  EXPECT_EQ(p.bad_patch.fix_release, std::optional<double>(12 * kDay));
  EXPECT_EQ(s.cleanup.group_mean_delay.size(), 1u);
  EXPECT_EQ(s.cleanup.group_mean_delay[0].second, 12 * kHour);
}

TEST(PatchScenarioToml, ReadsEmpiricalCurvesRulesAndTheClock) {
  const Scenario s = parse_scenario_toml(with(R"(clock = "Wed 16:00"
[patching]
release = 0
[[patching.policies]]
group = "all"
kind = "self"
adoption = "empirical"
curve = [["7d", 0.8], [2592000, 0.52]]
news = { after = "1d", factor = 3 }
)"), "t.toml");
  EXPECT_EQ(s.run.clock, 2 * kDay + 16 * kHour);
  const auto& curve = s.patching.policies.at(0).adoption.curve;
  ASSERT_EQ(curve.size(), 2u);
  EXPECT_EQ(curve[0].time, 7 * kDay);
  EXPECT_EQ(curve[1].vulnerable, 0.52);
  EXPECT_EQ(s.patching.policies[0].news.after, std::optional<double>(kDay));
}

TEST(PatchScenarioToml, ReadsCountsAndPriorityRules) {
  const Scenario s = parse_scenario_toml(with(R"([[population.groups]]
name = "a"
count = 300
[[population.groups]]
name = "b"
count = 700
[patching]
release = 0
[[patching.policies]]
group = "a"
kind = "none"
[[patching.policies]]
group = "b"
kind = "central"
service = "x"
[[patching.services]]
name = "x"
capacity = 10
priority = "criticality-first"
)"), "t.toml");
  EXPECT_EQ(s.population.groups[1].count, std::optional<std::uint64_t>(700));
  EXPECT_EQ(s.patching.policies[0].kind, PolicyKind::kNone);
  EXPECT_EQ(s.patching.services[0].priority.rule, PriorityRule::kCriticalityFirst);
}

TEST(PatchScenarioToml, ReportsGroupErrorsWhereTheyAre) {
  EXPECT_EQ(error_of(with("[[population.groups]]\nname = \"a\"\nshare = 0.5\ncount = 3")),
            "t.toml:9:1: population.groups[0] must give exactly one of 'share' and 'count', got both");
  EXPECT_EQ(error_of(with("[[population.groups]]\nname = \"a\"\nshare = 0.5\n"
                          "[[population.groups]]\nname = \"b\"\ncount = 500")),
            "t.toml:12:1: population.groups[1] must give a count like population.groups[0] does, "
            "or a share like it does, got a count");
  EXPECT_EQ(error_of(with("[[population.groups]]\nname = \"all\"\nshare = 1")),
            "t.toml:10:8: population.groups[0].name must not be \"all\" (the name of the group of "
            "every host), got \"all\"");
  EXPECT_EQ(error_of(with("[[population.groups]]\nname = \"a\"\nshare = 1.5")),
            "t.toml:11:9: population.groups[0].share must be in (0, 1] (a fraction of the hosts), got 1.5");
  EXPECT_EQ(error_of(with("[[population.groups]]\nname = \"a\"\nshare = 0.5\n"
                          "[[population.groups]]\nname = \"b\"\nshare = 0.4")),
            "t.toml:9:1: population.groups must have shares that sum to 1, got a sum of 0.9");
  EXPECT_EQ(error_of(with("[[population.groups]]\nname = \"a\"\ncount = 900")),
            "t.toml:9:1: population.groups must have counts that sum to population.hosts = 1000, "
            "got a sum of 900");
  EXPECT_EQ(error_of(with("[[population.groups]]\nname = \"a\"\nshare = 1\nexposure = { internet = 0.5 }")),
            "t.toml:12:12: population.groups[0].exposure must have shares that sum to 1, got a sum of 0.5");
  EXPECT_EQ(error_of(with("[[population.groups]]\nname = \"a\"\nshare = 1\nexposure = { dmz = 1 }")),
            "t.toml:12:14: unknown key 'population.groups[0].exposure.dmz', expected one of: "
            "internet, internal, nat");
  EXPECT_EQ(error_of(with("[[population.groups]]\nname = \"a\"\nshare = 1\ncriticality = 0")),
            "t.toml:12:15: population.groups[0].criticality must be > 0 (a relative weight), got 0");
  std::string many;
  for (int g = 0; g < 101; ++g) many += "[[population.groups]]\nname = \"g" + std::to_string(g) + "\"\ncount = 1\n";
  EXPECT_EQ(error_of(with(many)), "t.toml:9:1: population.groups must have at most 100 groups, got 101 groups");
  EXPECT_EQ(error_of(with("[[population.groups]]\nname = \"a b\"\nshare = 1")),
            "t.toml:10:8: population.groups[0].name must be a non-empty string of letters, digits, "
            "'_', '.' and '-', got \"a b\"");
}

TEST(PatchScenarioToml, ReportsPolicyErrorsWhereTheyAre) {
  const std::string head = "[patching]\nrelease = 0\n[[patching.policies]]\n";  // lines 17-19
  EXPECT_EQ(error_of(with_groups(head + "group = \"lab\"\nkind = \"none\"")),
            "t.toml:20:9: patching.policies[0].group must name a management group (\"home\", "
            "\"office\"), got \"lab\"");
  EXPECT_EQ(error_of(with_groups(head + "group = \"home\"\nkind = \"none\"")),
            "t.toml:19:1: patching.policies must give every management group a policy, got none "
            "for group \"office\"");
  EXPECT_EQ(error_of(with_groups(head + "group = \"home\"\nkind = \"none\"\n[[patching.policies]]\n"
                                        "group = \"home\"\nkind = \"none\"")),
            "t.toml:23:9: patching.policies[1].group must name a group without a policy "
            "(patching.policies[0] has \"home\"), got \"home\" again");
  EXPECT_EQ(error_of(with_groups(head + "group = \"home\"\nkind = \"self\"\nadoption = \"exponential\"\n"
                                        "half_life = \"30d\"\ncurve = []")),
            "t.toml:24:1: patching.policies[0].curve is not used by a policy of kind \"self\" with "
            "adoption \"exponential\"; expected only: group, kind, adoption, news, half_life, "
            "never_fraction");
  EXPECT_EQ(error_of(with_groups(head + "group = \"home\"\nkind = \"central\"\nservice = \"sus\"")),
            "t.toml:22:11: patching.policies[0].service must name a patching.services entry "
            "(there is none), got \"sus\"");
  EXPECT_EQ(error_of(with_groups(head + "group = \"home\"\nkind = \"self\"\nadoption = \"fast\"")),
            "t.toml:22:12: patching.policies[0].adoption must be one of \"exponential\", "
            "\"two-population\", \"empirical\", got string \"fast\"");
  EXPECT_EQ(error_of(with_groups(head + "group = \"home\"\nkind = \"self\"\nadoption = \"empirical\"\n"
                                        "curve = [[\"10d\", 0.5], [\"5d\", 0.4]]")),
            "t.toml:23:24: patching.policies[0].curve[1] must come after the previous point's "
            "time 864000 s (10 d) (points sorted by time), got 432000 s (5 d)");
  EXPECT_EQ(error_of(with_groups(head + "group = \"home\"\nkind = \"self\"\nadoption = \"empirical\"\n"
                                        "curve = [[\"10d\", 0.5], [\"20d\", 0.6]]")),
            "t.toml:23:24: patching.policies[0].curve[1] must have a fraction still vulnerable <= "
            "the previous point's 0.5 (the curve cannot rise), got 0.6");
  EXPECT_EQ(error_of(with_groups(head + "group = \"home\"\nkind = \"self\"\nadoption = \"empirical\"\n"
                                        "curve = [3]")),
            "t.toml:23:10: patching.policies[0].curve[0] must be a [time, fraction still vulnerable] "
            "pair like [\"30d\", 0.5], got integer 3");
  EXPECT_EQ(error_of(with_groups(head + "group = \"home\"\nkind = \"self\"\nadoption = \"exponential\"\n"
                                        "half_life = \"30d\"\nnews = { after = \"1d\", infected = 5, factor = 2 }")),
            "t.toml:24:8: patching.policies[0].news must have exactly one trigger, 'after' or "
            "'infected', got both");
  EXPECT_EQ(error_of(with_groups(head + "group = \"home\"\nkind = \"self\"\nadoption = \"two-population\"\n"
                                        "fast_share = 0.5\nfast_half_life = 0")),
            "t.toml:24:18: patching.policies[0].fast_half_life must be > 0 s, got 0 s");
  EXPECT_EQ(error_of(with("[patching]\nrelease = 0\nhalf_life = \"30d\"\n[[patching.policies]]\n"
                          "group = \"all\"\nkind = \"none\"")),
            "t.toml:11:13: patching.half_life cannot be given with patching.policies: give each "
            "self-patching policy its own adoption curve");
}

TEST(PatchScenarioToml, ReportsServiceErrorsWhereTheyAre) {
  const std::string head =
      "[patching]\nrelease = 0\nhalf_life = \"30d\"\n[[patching.services]]\nname = \"s\"\n";  // 9-13
  EXPECT_EQ(error_of(with(head + "capacity = -100")),
            "t.toml:14:12: patching.services[0].capacity must be > 0 hosts per day, got -100");
  EXPECT_EQ(error_of(with(head + "capacity = 10\napproval_delay = \"-1d\"")),
            "t.toml:15:18: patching.services[0].approval_delay must be >= 0 s, got -86400 s (-1 d)");
  EXPECT_EQ(error_of(with(head + "capacity = 10\nworking_hours = [\"17:00\", \"09:00\"]")),
            "t.toml:15:17: patching.services[0].working_hours must end after its start "
            "(61200 s (17 h)) and no later than 24:00, got 32400 s (9 h)");
  EXPECT_EQ(error_of(with(head + "capacity = 10\nworking_hours = [\"9\", \"17\"]")),
            "t.toml:15:17: patching.services[0].working_hours must be a pair of times of day like "
            "[\"09:00\", \"17:00\"], got array");
  EXPECT_EQ(error_of(with(head + "capacity = 10\nweekdays_only = true")),
            "t.toml:15:17: patching.services[0].weekdays_only needs patching.services[0].working_hours");
  EXPECT_EQ(error_of(with(head + "capacity = 10\npriority = \"uptime-first\"")),
            "t.toml:15:12: patching.services[0].priority must be one of \"score\", \"exposure-first\", "
            "\"criticality-first\", \"random\", got string \"uptime-first\"");
  EXPECT_EQ(error_of(with(head + "capacity = 10\npriority = { uptime = 1 }")),
            "t.toml:15:14: unknown key 'patching.services[0].priority.uptime', expected one of: "
            "importance, exposure, criticality");
  EXPECT_EQ(error_of(with(head + "capacity = 10\npriority = { exposure = -1 }")),
            "t.toml:15:25: patching.services[0].priority.exposure must be a finite number >= 0 "
            "(a score exponent), got -1");
  EXPECT_EQ(error_of(with(head + "capacity = 10\n[[patching.services.rings]]\nname = \"a\"\nshare = 1.2")),
            "t.toml:17:9: patching.services[0].rings[0].share must be in (0, 1] (a fraction of the "
            "service's hosts), got 1.2");
  EXPECT_EQ(error_of(with(head + "capacity = 10\n[[patching.services.rings]]\nname = \"a\"\nshare = 0.5\n"
                                 "[[patching.services.rings]]\nname = \"b\"\nshare = 0.4")),
            "t.toml:15:1: patching.services[0].rings must have shares that sum to 1, got a sum of 0.9");
  EXPECT_EQ(error_of(with(head + "capacity = 10\n[[patching.services.rings]]\nname = \"a\"\nshare = 1\n"
                                 "qa_delay = \"-2d\"")),
            "t.toml:18:12: patching.services[0].rings[0].qa_delay must be >= 0 s, got -172800 s (-2 d)");
  EXPECT_EQ(error_of(with(head + "capacity = 10\n[[patching.services]]\nname = \"s\"\ncapacity = 5")),
            "t.toml:16:8: patching.services[1].name must be distinct from patching.services[0].name, "
            "got \"s\" again");
}

TEST(PatchScenarioToml, ReportsBadPatchCleanupAndClockErrors) {
  const std::string head = "[patching]\nrelease = 0\nhalf_life = \"30d\"\n[patching.bad_patch]\n";  // 9-12
  EXPECT_EQ(error_of(with(head + "probability = 2")),
            "t.toml:13:15: patching.bad_patch.probability must be in [0, 1] (a probability), got 2");
  EXPECT_EQ(error_of(with(head + "probability = 0.1\noutage = 0")),
            "t.toml:14:10: patching.bad_patch.outage must be > 0 s, got 0 s");
  EXPECT_EQ(error_of(with(head + "probability = 0.1\nfix_release = \"-1d\"")),
            "t.toml:14:15: patching.bad_patch.fix_release must be >= 0 s, got -86400 s (-1 d)");
  EXPECT_EQ(error_of(with(head + "half_life = \"1d\"")),
            "t.toml:12:1: missing required key 'patching.bad_patch.probability'");
  EXPECT_EQ(error_of(with_groups("[cleanup]\nmean_delay = \"1d\"\ngroups = { lab = \"2h\" }")),
            "t.toml:19:10: cleanup.groups must name management groups (\"home\", \"office\"), got \"lab\"");
  EXPECT_EQ(error_of(with_groups("[cleanup]\nmean_delay = \"1d\"\ngroups = { home = 0 }")),
            "t.toml:19:19: cleanup.groups.home must be > 0 s, got 0 s");
  EXPECT_EQ(error_of(with("clock = \"Monday\"")),
            "t.toml:9:9: run.clock must be a weekday and time like \"Mon 16:00\", got string \"Monday\"");
  EXPECT_EQ(error_of(with("clock = \"Mon 24:00\"")),
            "t.toml:9:9: run.clock must be a weekday and time like \"Mon 16:00\", got string \"Mon 24:00\"");
}

constexpr std::string_view kSweep = R"([patching]
release = 0
half_life = "30d"
[sweep]
key = "patching.half_life"
values = ["10d", 20, "40d"]
)";

TEST(PatchScenarioToml, ExpandsASweepOverItsValues) {
  const ScenarioSweep sweep = parse_sweep_toml(with(kSweep), "t.toml");
  EXPECT_EQ(sweep.key, "patching.half_life");
  EXPECT_EQ(sweep.labels, (std::vector<std::string>{"10d", "20", "40d"}));
  ASSERT_EQ(sweep.scenarios.size(), 3u);
  EXPECT_EQ(sweep.scenarios[0].patching.half_life, 10 * kDay);
  EXPECT_EQ(sweep.scenarios[1].patching.half_life, 20.0);
  EXPECT_EQ(sweep.base.patching.half_life, 30 * kDay);
  // run ignores [sweep] but reads the scenario as written.
  EXPECT_EQ(parse_scenario_toml(with(kSweep), "t.toml").patching.half_life, 30 * kDay);
}

TEST(PatchScenarioToml, SweepsKeysInsideArraysOfTables) {
  const ScenarioSweep sweep = parse_sweep_toml(with(R"([patching]
release = 0
[[patching.policies]]
group = "all"
kind = "central"
service = "s"
[[patching.services]]
name = "s"
capacity = 10
[[patching.services.rings]]
name = "test"
share = 1
qa_delay = "1d"
[sweep]
key = "patching.services[0].rings[0].qa_delay"
values = ["0d", "2d"]
)"), "t.toml");
  EXPECT_EQ(sweep.scenarios.at(1).patching.services.at(0).rings.at(0).qa_delay, 2 * kDay);
}

TEST(PatchScenarioToml, ReportsSweepErrors) {
  EXPECT_EQ(sweep_error_of(with("[patching]\nrelease = 0\nhalf_life = \"30d\"")),
            "t.toml: has no [sweep] table; a sweep needs one with 'key' (a scenario key such as "
            "\"patching.bad_patch.probability\") and 'values' (an array)");
  EXPECT_EQ(sweep_error_of(with("[sweep]\nkey = \"worm.scan_rat\"\nvalues = [1]")),
            "t.toml:10:7: sweep.key must name a key the scenario sets (write its base value in the "
            "scenario), got \"worm.scan_rat\"");
  EXPECT_EQ(sweep_error_of(with("[sweep]\nkey = \"worm.scan_rate\"\nvalues = [1, -2]")),
            "t.toml:11:14: worm.scan_rate must be > 0 probes/s, got -2 (with worm.scan_rate = -2, "
            "sweep.values[1])");
  EXPECT_EQ(error_of(with("[sweep]\nkey = \"worm.scan_rate\"\nvalues = []")),
            "t.toml:11:10: sweep.values must be a non-empty array of values for sweep.key, got array");
  EXPECT_EQ(error_of(with("[sweep]\nkey = \"worm.scan_rate\"\nvalues = [1]\nsteps = 3")),
            "t.toml:12:1: unknown key 'sweep.steps', expected one of: key, values");
  EXPECT_EQ(sweep_error_of(with("[sweep]\nkey = \"name\"\nvalues = [\"x\"]")),
            "t.toml:10:7: sweep.key must name a setting of the simulation, got \"name\"");
}

TEST(PatchScenarioToml, ReadsTheSeedGroupAndChecksItNamesAGroup) {
  std::string text = with_groups("");
  text.replace(text.find("scan_rate = 10\n"), 15, "scan_rate = 10\nseed_group = \"office\"\n");
  EXPECT_EQ(parse_scenario_toml(text, "t.toml").worm.seed_group, "office");
  text.replace(text.find("\"office\"\n[run]"), 8, "\"lab\"");
  EXPECT_EQ(error_of(text),
            "t.toml:6:14: worm.seed_group must name a population.groups entry (\"home\", \"office\"), got \"lab\"");
  std::string no_groups = with("");
  no_groups.replace(no_groups.find("scan_rate = 10\n"), 15, "scan_rate = 10\nseed_group = \"lab\"\n");
  EXPECT_EQ(error_of(no_groups),
            "t.toml:6:14: worm.seed_group must name a population.groups entry (the scenario has no groups), "
            "got \"lab\"");
}

}  // namespace
}  // namespace patchrace
