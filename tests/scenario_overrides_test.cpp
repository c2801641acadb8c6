// `--set KEY=VALUE` (patchrace::ScenarioOverride): keys set on the document before it is
// read, with the file's rules and messages that name the override.
#include <gtest/gtest.h>

#include <string>

#include "patchrace/error.hpp"
#include "patchrace/scenario_file.hpp"

namespace patchrace {
namespace {

constexpr std::string_view kScenario = R"(name = "set"
[population]
hosts = 1000
[worm]
scan_rate = 10
[patching]
release = "-2d"
[[patching.services]]
name = "it"
capacity = 500
[[patching.policies]]
group = "all"
kind = "central"
service = "it"
[run]
duration = "1h"
report_interval = "1min"
)";

Scenario with(const ScenarioOverrides& overrides) { return parse_scenario_toml(kScenario, "s.toml", overrides); }

std::string error_with(const ScenarioOverrides& overrides) {
  try {
    (void)with(overrides);
  } catch (const InvalidScenario& e) {
    return e.what();
  }
  return "";
}

TEST(ScenarioOverrides, SetNumbersTimesStringsAndKeysInsideArraysOfTables) {
  const Scenario s = with({{"worm.scan_rate", "20"},
                           {"run.duration", "3d"},
                           {"worm.strategy", "sequential"},
                           {"patching.services[0].capacity", "1200"},
                           {"worm.sequential", "{ batch = 5, local_start = 0.25 }"},
                           {"worm.excluded", "[\"10.0.0.0/8\"]"}});
  EXPECT_EQ(s.worm.scan_rate, 20.0);
  EXPECT_EQ(s.run.duration, 3 * kDay);
  EXPECT_EQ(s.worm.strategy, ScanStrategy::kSequential);
  EXPECT_EQ(s.patching.services[0].capacity, 1200.0);
  EXPECT_EQ(s.worm.sequential.batch, 5u);
  EXPECT_EQ(s.worm.sequential.local_start, 0.25);
  ASSERT_EQ(s.worm.excluded.size(), 1u);
  EXPECT_EQ(s.worm.excluded[0], (Prefix{0x0a000000, 8}));
}

TEST(ScenarioOverrides, QuotedAndUnquotedTimesAreTheSameAndTheLastSettingWins) {
  EXPECT_EQ(with({{"run.duration", "\"3d\""}}), with({{"run.duration", "3d"}}));
  EXPECT_EQ(with({{"worm.scan_rate", "20"}, {"worm.scan_rate", "30"}}).worm.scan_rate, 30.0);
}

TEST(ScenarioOverrides, SettingAKeyOfAMissingTableCreatesIt) {
  EXPECT_FALSE(with({}).cleanup.enabled);
  const Scenario s = with({{"cleanup.mean_delay", "2d"}});
  EXPECT_TRUE(s.cleanup.enabled);
  EXPECT_EQ(s.cleanup.mean_delay, 2 * kDay);
}

TEST(ScenarioOverrides, ErrorsNameTheOverride) {
  EXPECT_EQ(error_with({{"worm.scan_rte", "3"}}),
            "--set worm.scan_rte=3: unknown key 'worm.scan_rte', expected one of: name, strategy, scan_rate, "
            "exploit_success, exploits, excluded, initial_infected, seed_addresses, seed_rule, seed_window, "
            "seed_group, local_preference, sequential, permutation, bandwidth");
  EXPECT_EQ(error_with({{"worm.scan_rate", "-3"}}),
            "--set worm.scan_rate=-3: worm.scan_rate must be > 0 probes/s, got -3");
  EXPECT_EQ(error_with({{"worm.scan_rate", "fast"}}),
            "--set worm.scan_rate=fast: worm.scan_rate must be a number, got string \"fast\"");
  EXPECT_EQ(error_with({{"patching.services[1].capacity", "3"}}),
            "--set patching.services[1].capacity=3: the scenario has no patching.services[1]");
  EXPECT_EQ(error_with({{"worm..scan_rate", "3"}}),
            "--set worm..scan_rate=3: the key must be a scenario key such as worm.scan_rate or "
            "patching.services[0].capacity");
  EXPECT_EQ(error_with({{"worm.scan_rate.x", "3"}}), "--set worm.scan_rate.x=3: worm.scan_rate is not a table");
}

TEST(ScenarioOverrides, AValueOfSeveralTomlLinesIsOneStringAndItsMessageOneLine) {
  const std::string message = error_with({{"worm.scan_rate", "3\n[run]\nduration = \"2h\""}});
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  EXPECT_EQ(message.rfind("--set worm.scan_rate=3\\n[run]\\nduration = \"2h\": worm.scan_rate must be a number, "
                          "got string ", 0), 0u) << message;
}

TEST(ScenarioOverrides, ParseOverrideSplitsAtTheFirstEqualsSign) {
  EXPECT_EQ(parse_override("worm.name=a=b"), (ScenarioOverride{"worm.name", "a=b"}));
  EXPECT_EQ(parse_override("worm.name="), (ScenarioOverride{"worm.name", ""}));
  try {
    (void)parse_override("worm.scan_rate");
    FAIL() << "no '=' must be refused";
  } catch (const UsageError& e) {
    EXPECT_STREQ(e.what(), "--set needs KEY=VALUE (a scenario key such as worm.scan_rate), got 'worm.scan_rate'");
  }
  EXPECT_THROW((void)parse_override("=3"), UsageError);
}

TEST(ScenarioOverrides, ASweepSeesTheOverridesInEveryValue) {
  std::string text(kScenario);
  text += "[sweep]\nkey = \"worm.scan_rate\"\nvalues = [1, 2]\n";
  const ScenarioSweep sweep = parse_sweep_toml(text, "s.toml", {{"run.duration", "2h"}});
  ASSERT_EQ(sweep.scenarios.size(), 2u);
  for (const Scenario& s : sweep.scenarios) EXPECT_EQ(s.run.duration, 2 * kHour);
  EXPECT_EQ(sweep.scenarios[1].worm.scan_rate, 2.0);
}

}  // namespace
}  // namespace patchrace
