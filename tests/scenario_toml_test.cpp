// Reading scenarios from TOML: the schema, the time syntax, the presets, and every
// error message with its file:line:col.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "patchrace/error.hpp"
#include "patchrace/scenario.hpp"
#include "patchrace/scenario_file.hpp"
#include "scenario_error.hpp"

namespace patchrace {
namespace {

// Line numbers matter: tests replace whole lines or append after line 8.
constexpr std::string_view kMinimal = R"(name = "minimal"
[population]
hosts = 100
[worm]
scan_rate = 10
[run]
duration = "1h"
report_interval = "1min"
)";

/// `text` with its line `line` (1-based) replaced by `replacement` (which may hold several lines).
std::string replace_line(std::string_view text, int line, std::string_view replacement) {
  std::istringstream in{std::string(text)};
  std::string result;
  std::string current;
  for (int n = 1; std::getline(in, current); ++n) {
    result += n == line ? std::string(replacement) : current;
    result += '\n';
  }
  return result;
}

/// kMinimal with `lines` appended from line 9 on.
std::string minimal_plus(std::string_view lines) {
  return std::string(kMinimal) + std::string(lines) + "\n";
}

/// The InvalidScenario message parsing `text` as "t.toml" gives, or "no error".
std::string error_of(std::string_view text) { return testing::scenario_error_of(text); }

/// The scenario expected from kMinimal: everything not in the file at its default.
Scenario minimal_scenario() {
  Scenario s;
  s.name = "minimal";
  s.population.hosts = 100;
  s.worm.scan_rate = 10;
  s.run.duration = 3600;
  s.run.report_interval = 60;
  return s;
}

TEST(ScenarioToml, MinimalFileGivesDefaultsForOptionalKeys) {
  EXPECT_EQ(parse_scenario_toml(kMinimal, "t.toml"), minimal_scenario());
}

TEST(ScenarioToml, ReadsEveryKey) {
  constexpr std::string_view kFull = R"(name = "full"
description = "every key"

[address_space]
prefix = "10.0.0.0/16"

[population]
hosts = 5000

[worm]
name = "Blaster"
scan_rate = 11.5
exploit_success = 0.5
seed_addresses = ["10.0.0.1", "10.0.3.4"]

[patching]
release = "-26d"
half_life = "30d"
never_fraction = 0.2
cures_infected = true

[cleanup]
mean_delay = "12h"

[run]
duration = "36h"
report_interval = "10min"
seed = 42
replicates = 8
)";
  Scenario expected;
  expected.name = "full";
  expected.description = "every key";
  expected.address_space = {0x0a000000, 16};
  expected.population.hosts = 5000;
  expected.worm.name = "Blaster";
  expected.worm.scan_rate = 11.5;
  expected.worm.exploit_success = 0.5;
  expected.worm.seed_addresses = {0x0a000001, 0x0a000304};
  expected.patching.enabled = true;
  expected.patching.release = -26 * kDay;
  expected.patching.half_life = 30 * kDay;
  expected.patching.never_fraction = 0.2;
  expected.patching.cures_infected = true;
  expected.cleanup.enabled = true;
  expected.cleanup.mean_delay = 12 * kHour;
  expected.run = {36 * kHour, 10 * kMinute, 42, 8};
  EXPECT_EQ(parse_scenario_toml(kFull, "t.toml"), expected);
}

TEST(ScenarioToml, AcceptsIntegersWhereNumbersAreExpected) {
  const Scenario s = parse_scenario_toml(minimal_plus("[patching]\nrelease = 0\nhalf_life = 60\n"
                                                      "never_fraction = 1"),
                                         "t.toml");
  EXPECT_EQ(s.worm.scan_rate, 10.0);
  EXPECT_EQ(s.patching.half_life, 60.0);
  EXPECT_EQ(s.patching.never_fraction, 1.0);
}

TEST(ScenarioToml, InitialInfectedIsReadWhenNoSeedAddresses) {
  const Scenario s = parse_scenario_toml(replace_line(kMinimal, 5,
                                                      "scan_rate = 10\n"
                                                      "initial_infected = 7"),
                                         "t.toml");
  EXPECT_EQ(s.worm.initial_infected, 7u);
}

TEST(ScenarioToml, PatchingAndCleanupAreDisabledUnlessTheirTablesArePresent) {
  const Scenario without = parse_scenario_toml(kMinimal, "t.toml");
  EXPECT_FALSE(without.patching.enabled);
  EXPECT_FALSE(without.cleanup.enabled);
  const Scenario with = parse_scenario_toml(
      minimal_plus("[patching]\nrelease = 0\nhalf_life = \"30d\"\n[cleanup]\nmean_delay = \"1d\""),
      "t.toml");
  EXPECT_TRUE(with.patching.enabled);
  EXPECT_FALSE(with.patching.cures_infected);
  EXPECT_EQ(with.patching.never_fraction, 0.0);
  EXPECT_TRUE(with.cleanup.enabled);
}

TEST(ScenarioToml, EveryPresetLoadsAndValidates) {
  ASSERT_FALSE(preset_names().empty());
  for (const std::string& name : preset_names()) {
    SCOPED_TRACE(name);
    Scenario s;
    ASSERT_NO_THROW(s = parse_scenario_toml(preset_text(name), "preset:" + name));
    EXPECT_EQ(s.name, name);
    EXPECT_EQ(find_violation(s), std::nullopt);
    EXPECT_TRUE(s.run.seed.has_value()) << "presets fix their seed";
  }
}

TEST(ScenarioToml, CodeRedPresetHasItsCalibratedValues) {
  const Scenario s = load_preset("codered-2001");
  EXPECT_EQ(s.address_space, AddressSpaceSpec{});
  EXPECT_EQ(s.population.hosts, 359000u);
  EXPECT_DOUBLE_EQ(s.worm.scan_rate, 5.98);
  EXPECT_EQ(s.run.duration, 24 * kHour);
  EXPECT_EQ(s.run.report_interval, 5 * kMinute);
}

// --- time syntax -------------------------------------------------------------------

/// patching.release as read from `value` (a TOML value).
double release_of(std::string_view value) {
  const std::string text =
      minimal_plus("[patching]\nrelease = " + std::string(value) + "\nhalf_life = \"30d\"");
  return parse_scenario_toml(text, "t.toml").patching.release;
}

TEST(ScenarioToml, ReadsTimesInEveryAcceptedForm) {
  EXPECT_EQ(release_of("\"26d\""), 26 * kDay);
  EXPECT_EQ(release_of("\"-26d\""), -26 * kDay);
  EXPECT_EQ(release_of("\"+2h\""), 2 * kHour);
  EXPECT_EQ(release_of("\"8.5 s\""), 8.5);
  EXPECT_EQ(release_of("\"90s\""), 90.0);
  EXPECT_EQ(release_of("\"1.5h\""), 1.5 * kHour);
  EXPECT_EQ(release_of("\"5min\""), 5 * kMinute);
  EXPECT_EQ(release_of("\"5 min\""), 5 * kMinute);
  EXPECT_EQ(release_of("\"0.25d\""), 6 * kHour);
  EXPECT_EQ(release_of("90"), 90.0);
  EXPECT_EQ(release_of("-1.5"), -1.5);
}

TEST(ScenarioToml, RejectsMalformedTimesNamingTheAcceptedForms) {
  const std::string expected_prefix =
      "t.toml:10:11: patching.release must be a time: a number of seconds or a string like "
      "\"26d\", \"-26d\", \"8.5 s\", \"1.5h\" or \"5min\" (units s, min, h, d), got ";
  for (const char* bad : {"26", "26 days", "26  d", "d", "1e3s", ".5h", "5.h", " 5s", "5s ", "5 S",
                          "5sec", "", "--5s", "5 m", "1,5h", "inf s", "nan s", "5 h s"}) {
    SCOPED_TRACE(bad);
    const std::string text =
        minimal_plus("[patching]\nrelease = \"" + std::string(bad) + "\"\nhalf_life = 1");
    EXPECT_EQ(error_of(text), expected_prefix + "string \"" + bad + "\"");
  }
}

TEST(ScenarioToml, RejectsTimeOfTheWrongType) {
  EXPECT_EQ(error_of(replace_line(kMinimal, 7, "duration = true")),
            "t.toml:7:12: run.duration must be a time: a number of seconds or a string like "
            "\"26d\", \"-26d\", \"8.5 s\", \"1.5h\" or \"5min\" (units s, min, h, d), got "
            "boolean true");
}

// --- syntax, keys and types ------------------------------------------------------------

TEST(ScenarioToml, RejectsTomlSyntaxErrorWithLocation) {
  EXPECT_EQ(error_of(replace_line(kMinimal, 3, "hosts = ")),
            "t.toml:3:9: invalid TOML: error while parsing key-value pair: expected value, saw "
            "'\\n'");
}

TEST(ScenarioToml, RejectsRedefinedKeyAsSyntaxError) {
  EXPECT_EQ(error_of(replace_line(kMinimal, 3, "hosts = 1\nhosts = 2")),
            "t.toml:4:9: invalid TOML: error while parsing key-value pair: cannot redefine "
            "existing integer 'hosts'");
}

TEST(ScenarioToml, RejectsIntegerOver64Bits) {
  EXPECT_EQ(error_of(replace_line(kMinimal, 3, "hosts = 99999999999999999999")),
            "t.toml:3:29: invalid TOML: error while parsing decimal integer: "
            "'99999999999999999999' is not representable in 64 bits");
}

TEST(ScenarioToml, RejectsUnknownKeyWithLocation) {
  EXPECT_EQ(error_of(replace_line(kMinimal, 5, "scan_rat = 10")),
            "t.toml:5:1: unknown key 'worm.scan_rat', expected one of: name, strategy, "
            "scan_rate, exploit_success, exploits, excluded, initial_infected, seed_addresses, "
            "seed_rule, seed_window, seed_group, local_preference, sequential, permutation, bandwidth");
}

TEST(ScenarioToml, RejectsUnknownTopLevelKey) {
  EXPECT_EQ(error_of(replace_line(kMinimal, 1, "name = \"x\"\nseeed = 3")),
            "t.toml:2:1: unknown key 'seeed', expected one of: name, description, "
            "address_space, population, worm, patching, cleanup, run, sweep");
}

TEST(ScenarioToml, RejectsUnknownKeyInEveryTable) {
  EXPECT_EQ(error_of(minimal_plus("[address_space]\nbase = 1")),
            "t.toml:10:1: unknown key 'address_space.base', expected one of: prefix");
  EXPECT_EQ(error_of(replace_line(kMinimal, 3, "hosts = 1\ncount = 2")),
            "t.toml:4:1: unknown key 'population.count', expected one of: hosts, types, "
            "placement, groups");
  EXPECT_EQ(error_of(minimal_plus("[patching]\nenabled = true")),
            "t.toml:10:1: unknown key 'patching.enabled', expected one of: release, half_life, "
            "never_fraction, cures_infected, importance, policies, services, bad_patch");
  EXPECT_EQ(error_of(minimal_plus("[cleanup]\ndelay = 1")),
            "t.toml:10:1: unknown key 'cleanup.delay', expected one of: mean_delay, groups");
  EXPECT_EQ(error_of(minimal_plus("threads = 4")),
            "t.toml:9:1: unknown key 'run.threads', expected one of: duration, report_interval, "
            "seed, replicates, clock");
}

TEST(ScenarioToml, EscapesControlCharactersInUnknownKeys) {
  EXPECT_EQ(error_of(replace_line(kMinimal, 5, "scan_rate = 1\n\"scan\\nrate\" = 2")),
            "t.toml:6:1: unknown key 'worm.scan\\nrate', expected one of: name, strategy, "
            "scan_rate, exploit_success, exploits, excluded, initial_infected, seed_addresses, "
            "seed_rule, seed_window, seed_group, local_preference, sequential, permutation, bandwidth");
}

TEST(ScenarioToml, RejectsUnknownSubtable) {
  EXPECT_EQ(error_of(minimal_plus("[worm.extra]\nx = 1")),
            "t.toml:9:7: unknown key 'worm.extra', expected one of: name, strategy, "
            "scan_rate, exploit_success, exploits, excluded, initial_infected, seed_addresses, "
            "seed_rule, seed_window, seed_group, local_preference, sequential, permutation, bandwidth");
}

TEST(ScenarioToml, RejectsWrongTypeWithLocation) {
  EXPECT_EQ(error_of(replace_line(kMinimal, 5, "scan_rate = \"fast\"")),
            "t.toml:5:13: worm.scan_rate must be a number, got string \"fast\"");
  EXPECT_EQ(error_of(replace_line(kMinimal, 1, "name = 3")),
            "t.toml:1:8: name must be a string, got integer 3");
  EXPECT_EQ(error_of(replace_line(kMinimal, 5, "scan_rate = 10\nname = [\"a\"]")),
            "t.toml:6:8: worm.name must be a string, got array");
  EXPECT_EQ(error_of(replace_line(kMinimal, 5, "scan_rate = 10\nexploit_success = 1979-05-27")),
            "t.toml:6:19: worm.exploit_success must be a number, got date 1979-05-27");
}

TEST(ScenarioToml, QuotesStringValuesOnOneLine) {
  EXPECT_EQ(error_of(replace_line(kMinimal, 5, "scan_rate = \"a\\nb\"")),
            "t.toml:5:13: worm.scan_rate must be a number, got string \"a\\nb\"");
}

TEST(ScenarioToml, RejectsFloatWhereIntegerIsExpected) {
  EXPECT_EQ(error_of(replace_line(kMinimal, 3, "hosts = 100.0")),
            "t.toml:3:9: population.hosts must be an integer, got float 100.0");
}

TEST(ScenarioToml, RejectsValueWhereTableIsExpected) {
  EXPECT_EQ(error_of("name = \"x\"\npopulation = 5\n"),
            "t.toml:2:14: population must be a table, got integer 5");
}

TEST(ScenarioToml, RejectsArrayOfTablesWhereTableIsExpected) {
  EXPECT_EQ(error_of(replace_line(kMinimal, 4, "[[worm]]")),
            "t.toml:4:1: worm must be a table, got array");
}

TEST(ScenarioToml, RejectsNonBooleanCuresInfected) {
  EXPECT_EQ(error_of(minimal_plus("[patching]\nrelease = 0\nhalf_life = 1\n"
                                  "cures_infected = \"yes\"")),
            "t.toml:12:18: patching.cures_infected must be a boolean (true or false), got string "
            "\"yes\"");
}

TEST(ScenarioToml, RejectsMissingRequiredTable) {
  EXPECT_EQ(error_of(replace_line(replace_line(kMinimal, 2, ""), 3, "")),
            "t.toml:1:1: missing required table 'population'");
  EXPECT_EQ(error_of("name = \"x\"\n[population]\nhosts = 1\n[worm]\nscan_rate = 1\n"),
            "t.toml:1:1: missing required table 'run'");
}

TEST(ScenarioToml, RejectsMissingRequiredKeyAtItsTable) {
  EXPECT_EQ(error_of(replace_line(kMinimal, 7, "")),
            "t.toml:6:1: missing required key 'run.duration'");
  EXPECT_EQ(error_of(replace_line(kMinimal, 5, "")),
            "t.toml:4:1: missing required key 'worm.scan_rate'");
  EXPECT_EQ(error_of(minimal_plus("[patching]\nhalf_life = \"30d\"")),
            "t.toml:9:1: missing required key 'patching.release'");
  EXPECT_EQ(error_of(minimal_plus("[cleanup]")),
            "t.toml:9:1: missing required key 'cleanup.mean_delay'");
}

TEST(ScenarioToml, RejectsMissingName) {
  EXPECT_EQ(error_of(replace_line(kMinimal, 1, "description = \"no name\"")),
            "t.toml:1:1: missing required key 'name'");
}

// --- integers that do not fit -----------------------------------------------------------

TEST(ScenarioToml, RejectsNegativeHostCount) {
  EXPECT_EQ(error_of(replace_line(kMinimal, 3, "hosts = -5")),
            "t.toml:3:9: population.hosts must be a non-negative integer, got -5");
}

TEST(ScenarioToml, RejectsNegativeSeedAndInitialInfected) {
  EXPECT_EQ(error_of(minimal_plus("seed = -1")),
            "t.toml:9:8: run.seed must be a non-negative integer, got -1");
  EXPECT_EQ(error_of(replace_line(kMinimal, 5, "scan_rate = 1\ninitial_infected = -2")),
            "t.toml:6:20: worm.initial_infected must be a non-negative integer, got -2");
}

TEST(ScenarioToml, ReadsTheLargestSeed) {
  const Scenario s = parse_scenario_toml(minimal_plus("seed = 9223372036854775807"), "t.toml");
  EXPECT_EQ(s.run.seed, std::uint64_t{9223372036854775807u});
}

TEST(ScenarioToml, RejectsReplicatesOver32Bits) {
  EXPECT_EQ(error_of(minimal_plus("replicates = 5000000000")),
            "t.toml:9:14: run.replicates must be at most 4294967295, got 5000000000");
}

// --- addresses -------------------------------------------------------------------------

TEST(ScenarioToml, RejectsMalformedPrefixWithLocation) {
  for (const char* bad : {"10.0.0/16", "10.0.0.0", "10.0.0.0/", "10.0.0.0/x", "10.0.0.0/-1",
                          "10.0.0.0/1234", "/16", "10.0.0.0/16 "}) {
    SCOPED_TRACE(bad);
    EXPECT_EQ(error_of(minimal_plus("[address_space]\nprefix = \"" + std::string(bad) + "\"")),
              "t.toml:10:10: address_space.prefix must be an IPv4 prefix like \"10.0.0.0/16\", "
              "got string \"" +
                  std::string(bad) + "\"");
  }
  EXPECT_EQ(error_of(minimal_plus("[address_space]\nprefix = 16")),
            "t.toml:10:10: address_space.prefix must be an IPv4 prefix like \"10.0.0.0/16\", "
            "got integer 16");
}

TEST(ScenarioToml, RejectsSeedAddressesTogetherWithInitialInfected) {
  EXPECT_EQ(error_of(replace_line(kMinimal, 5,
                                  "scan_rate = 10\ninitial_infected = 2\n"
                                  "seed_addresses = [\"1.2.3.4\"]")),
            "t.toml:7:18: worm.seed_addresses and worm.initial_infected cannot both be given: the "
            "seed addresses are the hosts infected at t = 0");
}

TEST(ScenarioToml, RejectsMalformedSeedAddressAtTheElement) {
  EXPECT_EQ(error_of(replace_line(kMinimal, 5,
                                  "scan_rate = 10\n"
                                  "seed_addresses = [\"1.2.3.4\", \"1.2.3.256\"]")),
            "t.toml:6:30: worm.seed_addresses[1] must be an IPv4 address like \"10.0.0.1\", got "
            "string \"1.2.3.256\"");
  EXPECT_EQ(error_of(replace_line(kMinimal, 5, "scan_rate = 10\nseed_addresses = [167772161]")),
            "t.toml:6:19: worm.seed_addresses[0] must be an IPv4 address like \"10.0.0.1\", got "
            "integer 167772161");
}

TEST(ScenarioToml, RejectsSeedAddressesThatAreNotAnArray) {
  EXPECT_EQ(error_of(replace_line(kMinimal, 5, "scan_rate = 10\nseed_addresses = \"1.2.3.4\"")),
            "t.toml:6:18: worm.seed_addresses must be an array of IPv4 address strings, got "
            "string \"1.2.3.4\"");
}

// --- range rules (from find_violation), located at the offending value --------------------

TEST(ScenarioToml, RejectsOutOfRangeValueAtItsLocation) {
  EXPECT_EQ(error_of(replace_line(kMinimal, 5, "scan_rate = -3")),
            "t.toml:5:13: worm.scan_rate must be > 0 probes/s, got -3");
}

TEST(ScenarioToml, RejectsNonFiniteNumbers) {
  EXPECT_EQ(error_of(replace_line(kMinimal, 5, "scan_rate = nan")),
            "t.toml:5:13: worm.scan_rate must be a finite number of probes/s, got nan");
  EXPECT_EQ(error_of(replace_line(kMinimal, 7, "duration = inf")),
            "t.toml:7:12: run.duration must be > 0 s and <= 315360000 s (10 years), got inf");
}

TEST(ScenarioToml, RejectsEmptyName) {
  EXPECT_EQ(error_of(replace_line(kMinimal, 1, "name = \"\"")),
            "t.toml:1:8: name must be a non-empty string, got \"\"");
}

TEST(ScenarioToml, RejectsPrefixWithHostBits) {
  EXPECT_EQ(error_of(minimal_plus("[address_space]\nprefix = \"10.1.2.3/16\"")),
            "t.toml:10:10: address_space.prefix must have zero host bits for /16, got "
            "10.1.2.3/16");
  EXPECT_EQ(error_of(minimal_plus("[address_space]\nprefix = \"10.0.0.0/40\"")),
            "t.toml:10:10: address_space.prefix must have a prefix length between /0 and /32, "
            "got /40");
}

TEST(ScenarioToml, RejectsMoreHostsThanTheAddressSpaceHolds) {
  EXPECT_EQ(error_of(minimal_plus("[address_space]\nprefix = \"10.0.0.0/30\"")),
            "t.toml:3:9: population.hosts must be between 1 and 4 (the addresses in "
            "10.0.0.0/30), got 100");
}

TEST(ScenarioToml, RejectsWormRangesAtTheirValues) {
  EXPECT_EQ(error_of(replace_line(kMinimal, 5, "scan_rate = 1\nexploit_success = 0")),
            "t.toml:6:19: worm.exploit_success must be in (0, 1] (a probability per probe), "
            "got 0");
  EXPECT_EQ(error_of(replace_line(kMinimal, 5, "scan_rate = 1\ninitial_infected = 101")),
            "t.toml:6:20: worm.initial_infected must be between 1 and population.hosts = 100, "
            "got 101");
}

TEST(ScenarioToml, RejectsDuplicateSeedAddressAtTheElement) {
  EXPECT_EQ(error_of(replace_line(kMinimal, 5,
                                  "scan_rate = 10\n"
                                  "seed_addresses = [\"1.2.3.4\", \"1.2.3.4\"]")),
            "t.toml:6:30: worm.seed_addresses[1] must be distinct from worm.seed_addresses[0], "
            "got 1.2.3.4 again");
}

TEST(ScenarioToml, RejectsSeedAddressOutsideTheSpaceAtTheElement) {
  EXPECT_EQ(error_of(replace_line(kMinimal, 5,
                                  "scan_rate = 10\n"
                                  "seed_addresses = [\"10.0.0.1\", \"11.0.0.1\"]\n"
                                  "[address_space]\nprefix = \"10.0.0.0/8\"")),
            "t.toml:6:31: worm.seed_addresses[1] must be inside the address space 10.0.0.0/8, "
            "got 11.0.0.1");
}

TEST(ScenarioToml, RejectsPatchingRangesAtTheirValues) {
  EXPECT_EQ(error_of(minimal_plus("[patching]\nrelease = \"-26d\"\nhalf_life = 0")),
            "t.toml:11:13: patching.half_life must be > 0 s, got 0 s");
  EXPECT_EQ(error_of(minimal_plus("[patching]\nrelease = 0\nhalf_life = \"30d\"\n"
                                  "never_fraction = 1.5")),
            "t.toml:12:18: patching.never_fraction must be in [0, 1] (a fraction of the hosts), "
            "got 1.5");
}

TEST(ScenarioToml, RejectsCleanupDelayAtItsValue) {
  EXPECT_EQ(error_of(minimal_plus("[cleanup]\nmean_delay = \"-1h\"")),
            "t.toml:10:14: cleanup.mean_delay must be > 0 s, got -3600 s (-1 h)");
}

TEST(ScenarioToml, RejectsRunRangesAtTheirValues) {
  EXPECT_EQ(error_of(replace_line(kMinimal, 8, "report_interval = \"2h\"")),
            "t.toml:8:19: run.report_interval must be > 0 s and <= run.duration = 3600 s (1 h), "
            "got 7200 s (2 h)");
  EXPECT_EQ(error_of(replace_line(kMinimal, 8, "report_interval = 0.0009765625")),
            "t.toml:8:19: run.report_interval must be >= 0.003601 s (at most 1000000 reported "
            "points over run.duration = 3600 s (1 h)), got 0.0009765625 s (3686401 points)");
  EXPECT_EQ(error_of(replace_line(kMinimal, 7, "duration = \"4000d\"")),
            "t.toml:7:12: run.duration must be > 0 s and <= 315360000 s (10 years), got "
            "345600000 s (11 years)");
  EXPECT_EQ(error_of(minimal_plus("replicates = 0")),
            "t.toml:9:14: run.replicates must be between 1 and 1000000, got 0");
}

// --- host types, placement, strategies, exploits, bandwidth -----------------------------

constexpr std::string_view kEveryNewKey = R"(name = "every-new-key"

[address_space]
prefix = "10.0.0.0/16"

[population]
hosts = 1000

[[population.types]]
name = "win2000"
share = 0.75

[[population.types]]
name = "winxp"
share = 0.25

[population.placement]
kind = "clustered"
allocated = ["10.0.0.0/17", "10.0.128.0/18"]
hosts_per_block_alpha = 1.5
min_hosts_per_block = 2

[[population.placement.block_sizes]]
prefix_length = 24
share = 0.5

[[population.placement.block_sizes]]
prefix_length = 20
share = 0.5

[worm]
name = "Code Red II"
strategy = "local-preference"
scan_rate = 100
excluded = ["10.0.255.0/24", "127.0.0.0/8"]
seed_rule = "largest-prefixes"
seed_window = "10min"
initial_infected = 3

[worm.local_preference]
same_slash8 = 0.25
same_slash16 = 0.75

[worm.sequential]
local_start = 0.5
local_backoff = 10
batch = 4

[worm.permutation]
dormant_after = 2

[[worm.exploits]]
type = "win2000"
success = 1

[[worm.exploits]]
type = "winxp"
success = 0
on_failure = "crash"
downtime = "1h"

[worm.bandwidth]
probe_bytes = 376
capacity = 5.5e7

[[worm.bandwidth.links]]
share = 0.5
bits_per_second = 1e6

[[worm.bandwidth.links]]
share = 0.5
bits_per_second = 1e8

[run]
duration = "1d"
report_interval = "1h"
)";

/// The Scenario kEveryNewKey describes.
Scenario every_new_key_scenario() {
  Scenario s;
  s.name = "every-new-key";
  s.address_space = {0x0a000000, 16};
  s.population.hosts = 1000;
  s.population.types = {{"win2000", 0.75}, {"winxp", 0.25}};
  PlacementSpec& placement = s.population.placement;
  placement.kind = PlacementKind::kClustered;
  placement.allocated = {{0x0a000000, 17}, {0x0a008000, 18}};
  placement.block_sizes = {{24, 0.5}, {20, 0.5}};
  placement.hosts_per_block_alpha = 1.5;
  placement.min_hosts_per_block = 2;
  WormSpec& worm = s.worm;
  worm.name = "Code Red II";
  worm.strategy = ScanStrategy::kLocalPreference;
  worm.scan_rate = 100;
  worm.excluded = {{0x0a00ff00, 24}, {0x7f000000, 8}};
  worm.seed_rule = SeedRule::kLargestPrefixes;
  worm.seed_window = 10 * kMinute;
  worm.initial_infected = 3;
  worm.local_preference = {0.25, 0.75};
  worm.sequential = {0.5, 10, 4};
  worm.permutation.dormant_after = 2;
  worm.exploits = {{"win2000", 1.0, FailureOutcome::kNothing, 60.0},
                   {"winxp", 0.0, FailureOutcome::kCrash, kHour}};
  worm.bandwidth = {true, 376, {{0.5, 1e6}, {0.5, 1e8}}, 5.5e7};
  s.run.duration = kDay;
  s.run.report_interval = kHour;
  return s;
}

TEST(ScenarioToml, ReadsEveryNewKey) {
  EXPECT_EQ(parse_scenario_toml(kEveryNewKey, "t.toml"), every_new_key_scenario());
}

TEST(ScenarioToml, NewKeysDefaultToTheStructDefaults) {
  const Scenario s = parse_scenario_toml(kMinimal, "t.toml");
  EXPECT_EQ(s.population.types, std::vector<HostTypeSpec>{});
  EXPECT_EQ(s.population.placement, PlacementSpec{});
  EXPECT_EQ(s.worm.strategy, ScanStrategy::kUniform);
  EXPECT_EQ(s.worm.exploits, std::vector<ExploitSpec>{});
  EXPECT_EQ(s.worm.excluded, std::vector<Prefix>{});
  EXPECT_EQ(s.worm.local_preference, LocalPreferenceSpec{});
  EXPECT_EQ(s.worm.sequential, SequentialSpec{});
  EXPECT_EQ(s.worm.permutation, PermutationSpec{});
  EXPECT_EQ(s.worm.bandwidth, BandwidthSpec{});
  EXPECT_EQ(s.worm.seed_rule, SeedRule::kRandom);
  EXPECT_EQ(s.worm.seed_window, 0.0);
}

TEST(ScenarioToml, OptionalKeysOfArrayEntriesTakeTheirDefaults) {
  const Scenario s = parse_scenario_toml(minimal_plus("[[population.types]]\nname = \"host\"\n"
                                                      "[[worm.exploits]]\ntype = \"host\"\n"
                                                      "[worm.bandwidth]\n"
                                                      "[[worm.bandwidth.links]]\n"
                                                      "bits_per_second = 1e6"),
                                         "t.toml");
  EXPECT_EQ(s.population.types, (std::vector<HostTypeSpec>{{"host", 1.0}}));
  EXPECT_EQ(s.worm.exploits,
            (std::vector<ExploitSpec>{{"host", 1.0, FailureOutcome::kNothing, 60}}));
  EXPECT_EQ(s.worm.bandwidth, (BandwidthSpec{true, 404, {{1.0, 1e6}}, 0}));
}

TEST(ScenarioToml, BlockSizesInTheFileReplaceTheDefaultList) {
  const Scenario s =
      parse_scenario_toml(minimal_plus("[population.placement]\nkind = \"clustered\"\n"
                                       "[[population.placement.block_sizes]]\nprefix_length = 16"),
                          "t.toml");
  EXPECT_EQ(s.population.placement.block_sizes, (std::vector<BlockSizeSpec>{{16, 1.0}}));
}

TEST(ScenarioToml, ReadsEverySpellingOfTheEnumSettings) {
  const auto strategy = [](std::string_view name) {
    return parse_scenario_toml(
               replace_line(kMinimal, 5,
                            "scan_rate = 10\nstrategy = \"" + std::string(name) + "\""),
               "t.toml")
        .worm.strategy;
  };
  EXPECT_EQ(strategy("uniform"), ScanStrategy::kUniform);
  EXPECT_EQ(strategy("local-preference"), ScanStrategy::kLocalPreference);
  EXPECT_EQ(strategy("sequential"), ScanStrategy::kSequential);
  EXPECT_EQ(strategy("permutation"), ScanStrategy::kPermutation);
  EXPECT_EQ(parse_scenario_toml(replace_line(kMinimal, 5, "scan_rate = 10\nseed_rule = \"random\""),
                                "t.toml")
                .worm.seed_rule,
            SeedRule::kRandom);
  EXPECT_EQ(
      parse_scenario_toml(minimal_plus("[population.placement]\nkind = \"uniform\""), "t.toml")
          .population.placement.kind,
      PlacementKind::kUniform);
  EXPECT_EQ(parse_scenario_toml(minimal_plus("[[worm.exploits]]\ntype = \"host\"\n"
                                             "on_failure = \"nothing\""),
                                "t.toml")
                .worm.exploits.at(0)
                .on_failure,
            FailureOutcome::kNothing);
}

TEST(ScenarioToml, IgnoresTheSettingsOfAStrategyNotSelected) {
  const Scenario s = parse_scenario_toml(
      replace_line(kMinimal, 5,
                   "scan_rate = 10\nstrategy = \"sequential\"\n"
                   "[worm.local_preference]\nsame_slash8 = 0.9\nsame_slash16 = 0.9\n"
                   "[worm.permutation]\ndormant_after = 5"),
      "t.toml");
  EXPECT_EQ(s.worm.strategy, ScanStrategy::kSequential);
  EXPECT_EQ(s.worm.local_preference, (LocalPreferenceSpec{0.9, 0.9}));  // read, not used
  EXPECT_EQ(s.worm.permutation.dormant_after, 5u);
}

TEST(ScenarioToml, RejectsUnknownKeysInTheNewTables) {
  EXPECT_EQ(error_of(minimal_plus("[[population.types]]\nname = \"a\"\nweight = 1")),
            "t.toml:11:1: unknown key 'population.types[0].weight', expected one of: name, share");
  EXPECT_EQ(error_of(minimal_plus("[population.placement]\nkind = \"uniform\"\nblocks = 1")),
            "t.toml:11:1: unknown key 'population.placement.blocks', expected one of: kind, "
            "allocated, allocation_file, block_sizes, hosts_per_block_alpha, min_hosts_per_block");
  EXPECT_EQ(error_of(minimal_plus("[population.placement]\nkind = \"clustered\"\n"
                                  "[[population.placement.block_sizes]]\nprefix_length = 24\n"
                                  "size = 1")),
            "t.toml:13:1: unknown key 'population.placement.block_sizes[0].size', expected one "
            "of: prefix_length, share");
  EXPECT_EQ(error_of(minimal_plus("[[worm.exploits]]\ntype = \"host\"\n[[worm.exploits]]\n"
                                  "type = \"host\"\nsucess = 1")),
            "t.toml:13:1: unknown key 'worm.exploits[1].sucess', expected one of: type, success, "
            "on_failure, downtime");
  EXPECT_EQ(error_of(minimal_plus("[worm.local_preference]\nsame_slash24 = 0.1")),
            "t.toml:10:1: unknown key 'worm.local_preference.same_slash24', expected one of: "
            "same_slash8, same_slash16");
  EXPECT_EQ(error_of(minimal_plus("[worm.sequential]\nstart = 0.1")),
            "t.toml:10:1: unknown key 'worm.sequential.start', expected one of: local_start, "
            "local_backoff, batch");
  EXPECT_EQ(error_of(minimal_plus("[worm.permutation]\ndormant = 1")),
            "t.toml:10:1: unknown key 'worm.permutation.dormant', expected one of: "
            "dormant_after");
  EXPECT_EQ(error_of(minimal_plus("[worm.bandwidth]\nlink = 1")),
            "t.toml:10:1: unknown key 'worm.bandwidth.link', expected one of: probe_bytes, "
            "capacity, links");
  EXPECT_EQ(error_of(minimal_plus("[[worm.bandwidth.links]]\nbits_per_second = 1\nspeed = 2")),
            "t.toml:11:1: unknown key 'worm.bandwidth.links[0].speed', expected one of: share, "
            "bits_per_second");
}

TEST(ScenarioToml, RejectsNewTablesOfTheWrongShape) {
  EXPECT_EQ(error_of(replace_line(kMinimal, 3, "hosts = 100\ntypes = 3")),
            "t.toml:4:9: population.types must be an array of tables, got integer 3");
  EXPECT_EQ(error_of(minimal_plus("[population.types]\nname = \"a\"")),
            "t.toml:9:1: population.types must be an array of tables, got table");
  EXPECT_EQ(error_of(replace_line(kMinimal, 3, "hosts = 100\ntypes = [{name = \"a\"}, 1]")),
            "t.toml:4:24: population.types[1] must be a table, got integer 1");
  EXPECT_EQ(error_of(replace_line(kMinimal, 3, "hosts = 100\nplacement = \"clustered\"")),
            "t.toml:4:13: population.placement must be a table, got string \"clustered\"");
  EXPECT_EQ(error_of(replace_line(kMinimal, 5, "scan_rate = 10\nbandwidth = true")),
            "t.toml:6:13: worm.bandwidth must be a table, got boolean true");
  EXPECT_EQ(error_of(replace_line(kMinimal, 5, "scan_rate = 10\nexploits = {type = \"host\"}")),
            "t.toml:6:12: worm.exploits must be an array of tables, got table");
  EXPECT_EQ(error_of(minimal_plus("[worm.bandwidth]\nlinks = [[1e6]]")),
            "t.toml:10:10: worm.bandwidth.links[0] must be a table, got array");
}

TEST(ScenarioToml, RejectsWrongTypesInTheNewKeys) {
  EXPECT_EQ(error_of(minimal_plus("[[population.types]]\nname = 5")),
            "t.toml:10:8: population.types[0].name must be a string, got integer 5");
  EXPECT_EQ(error_of(minimal_plus("[[population.types]]\nname = \"a\"\nshare = \"all\"")),
            "t.toml:11:9: population.types[0].share must be a number, got string \"all\"");
  EXPECT_EQ(error_of(minimal_plus("[population.placement]\nkind = \"clustered\"\n"
                                  "[[population.placement.block_sizes]]\nprefix_length = 24.0")),
            "t.toml:12:17: population.placement.block_sizes[0].prefix_length must be an integer, "
            "got float 24.0");
  EXPECT_EQ(error_of(minimal_plus("[population.placement]\nkind = \"clustered\"\n"
                                  "hosts_per_block_alpha = \"heavy\"")),
            "t.toml:11:25: population.placement.hosts_per_block_alpha must be a number, got "
            "string \"heavy\"");
  EXPECT_EQ(error_of(minimal_plus("[population.placement]\nkind = \"clustered\"\n"
                                  "min_hosts_per_block = true")),
            "t.toml:11:23: population.placement.min_hosts_per_block must be a number, got "
            "boolean true");
  EXPECT_EQ(error_of(minimal_plus("[[worm.exploits]]\ntype = \"host\"\nsuccess = \"high\"")),
            "t.toml:11:11: worm.exploits[0].success must be a number, got string \"high\"");
  EXPECT_EQ(error_of(minimal_plus("[[worm.exploits]]\ntype = \"host\"\ndowntime = true")),
            "t.toml:11:12: worm.exploits[0].downtime must be a time: a number of seconds or a "
            "string like \"26d\", \"-26d\", \"8.5 s\", \"1.5h\" or \"5min\" (units s, min, h, d), "
            "got boolean true");
  EXPECT_EQ(error_of(replace_line(kMinimal, 5, "scan_rate = 10\nseed_window = \"10 minutes\"")),
            "t.toml:6:15: worm.seed_window must be a time: a number of seconds or a string like "
            "\"26d\", \"-26d\", \"8.5 s\", \"1.5h\" or \"5min\" (units s, min, h, d), got string "
            "\"10 minutes\"");
  EXPECT_EQ(error_of(minimal_plus("[worm.local_preference]\nsame_slash8 = \"half\"")),
            "t.toml:10:15: worm.local_preference.same_slash8 must be a number, got string "
            "\"half\"");
  EXPECT_EQ(error_of(minimal_plus("[worm.sequential]\nlocal_start = [0.4]")),
            "t.toml:10:15: worm.sequential.local_start must be a number, got array");
  EXPECT_EQ(error_of(minimal_plus("[worm.bandwidth]\nprobe_bytes = \"404B\"")),
            "t.toml:10:15: worm.bandwidth.probe_bytes must be a number, got string \"404B\"");
  EXPECT_EQ(error_of(minimal_plus("[worm.bandwidth]\ncapacity = \"55M\"")),
            "t.toml:10:12: worm.bandwidth.capacity must be a number, got string \"55M\"");
  EXPECT_EQ(error_of(minimal_plus("[[worm.bandwidth.links]]\nbits_per_second = \"1 Mb/s\"")),
            "t.toml:10:19: worm.bandwidth.links[0].bits_per_second must be a number, got string "
            "\"1 Mb/s\"");
}

TEST(ScenarioToml, RejectsCountsThatDoNotFitTheirTypes) {
  EXPECT_EQ(error_of(minimal_plus("[worm.sequential]\nlocal_backoff = -1")),
            "t.toml:10:17: worm.sequential.local_backoff must be a non-negative integer, got -1");
  EXPECT_EQ(error_of(minimal_plus("[worm.sequential]\nbatch = 5000000000")),
            "t.toml:10:9: worm.sequential.batch must be at most 4294967295, got 5000000000");
  EXPECT_EQ(error_of(minimal_plus("[worm.permutation]\ndormant_after = -3")),
            "t.toml:10:17: worm.permutation.dormant_after must be a non-negative integer, got -3");
  EXPECT_EQ(error_of(minimal_plus("[population.placement]\nkind = \"clustered\"\n"
                                  "[[population.placement.block_sizes]]\nprefix_length = -24")),
            "t.toml:12:17: population.placement.block_sizes[0].prefix_length must be a "
            "non-negative integer, got -24");
  EXPECT_EQ(error_of(minimal_plus("[population.placement]\nkind = \"clustered\"\n"
                                  "[[population.placement.block_sizes]]\n"
                                  "prefix_length = 3000000000")),
            "t.toml:12:17: population.placement.block_sizes[0].prefix_length must be at most "
            "2147483647, got 3000000000");
}

TEST(ScenarioToml, RejectsUnknownStrategyListingTheAllowedOnes) {
  EXPECT_EQ(error_of(replace_line(kMinimal, 5, "scan_rate = 10\nstrategy = \"random\"")),
            "t.toml:6:12: worm.strategy must be one of \"uniform\", \"local-preference\", "
            "\"sequential\", \"permutation\", got string \"random\"");
  EXPECT_EQ(error_of(replace_line(kMinimal, 5, "scan_rate = 10\nstrategy = 2")),
            "t.toml:6:12: worm.strategy must be one of \"uniform\", \"local-preference\", "
            "\"sequential\", \"permutation\", got integer 2");
}

TEST(ScenarioToml, RejectsUnknownPlacementKindListingTheAllowedOnes) {
  EXPECT_EQ(error_of(minimal_plus("[population.placement]\nkind = \"clumped\"")),
            "t.toml:10:8: population.placement.kind must be one of \"uniform\", \"clustered\", "
            "got string \"clumped\"");
}

TEST(ScenarioToml, RejectsUnknownFailureOutcomeListingTheAllowedOnes) {
  EXPECT_EQ(error_of(minimal_plus("[[worm.exploits]]\ntype = \"host\"\non_failure = \"reboot\"")),
            "t.toml:11:14: worm.exploits[0].on_failure must be one of \"nothing\", \"crash\", got "
            "string \"reboot\"");
}

TEST(ScenarioToml, RejectsUnknownSeedRuleListingTheAllowedOnes) {
  EXPECT_EQ(error_of(replace_line(kMinimal, 5, "scan_rate = 10\nseed_rule = \"Largest-Prefixes\"")),
            "t.toml:6:13: worm.seed_rule must be one of \"random\", \"largest-prefixes\", got "
            "string \"Largest-Prefixes\"");
}

TEST(ScenarioToml, RejectsMalformedPrefixListsAtTheElement) {
  EXPECT_EQ(error_of(replace_line(kMinimal, 5,
                                  "scan_rate = 10\nexcluded = [\"127.0.0.0/8\", \"224.0.0.0\"]")),
            "t.toml:6:28: worm.excluded[1] must be an IPv4 prefix like \"10.0.0.0/16\", got string "
            "\"224.0.0.0\"");
  EXPECT_EQ(error_of(replace_line(kMinimal, 5, "scan_rate = 10\nexcluded = \"127.0.0.0/8\"")),
            "t.toml:6:12: worm.excluded must be an array of IPv4 prefix strings, got string "
            "\"127.0.0.0/8\"");
  EXPECT_EQ(error_of(minimal_plus("[population.placement]\nkind = \"clustered\"\n"
                                  "allocated = [\"3.0.0.0/8\", \"4.0.0.0/x\"]")),
            "t.toml:11:27: population.placement.allocated[1] must be an IPv4 prefix like "
            "\"10.0.0.0/16\", got string \"4.0.0.0/x\"");
}

TEST(ScenarioToml, RejectsMissingRequiredKeysOfTheNewTables) {
  EXPECT_EQ(error_of(minimal_plus("[[population.types]]\nshare = 1")),
            "t.toml:9:1: missing required key 'population.types[0].name'");
  EXPECT_EQ(error_of(minimal_plus("[population.placement]\nhosts_per_block_alpha = 1")),
            "t.toml:9:1: missing required key 'population.placement.kind'");
  EXPECT_EQ(error_of(minimal_plus("[population.placement]\nkind = \"clustered\"\n"
                                  "[[population.placement.block_sizes]]\nshare = 1")),
            "t.toml:11:1: missing required key "
            "'population.placement.block_sizes[0].prefix_length'");
  EXPECT_EQ(error_of(minimal_plus("[[worm.exploits]]\nsuccess = 1")),
            "t.toml:9:1: missing required key 'worm.exploits[0].type'");
  EXPECT_EQ(error_of(minimal_plus("[[worm.bandwidth.links]]\nshare = 1")),
            "t.toml:9:1: missing required key 'worm.bandwidth.links[0].bits_per_second'");
}

TEST(ScenarioToml, RejectsAllocatedTogetherWithAllocationFile) {
  EXPECT_EQ(error_of(minimal_plus("[population.placement]\nkind = \"clustered\"\n"
                                  "allocated = [\"3.0.0.0/8\"]\nallocation_file = \"a.txt\"")),
            "t.toml:12:19: population.placement.allocated and "
            "population.placement.allocation_file cannot both be given: list the allocated "
            "prefixes inline or in a file");
}

TEST(ScenarioToml, RejectsEmptyAllocationFile) {
  EXPECT_EQ(error_of(minimal_plus("[population.placement]\nkind = \"clustered\"\n"
                                  "allocation_file = \"\"")),
            "t.toml:11:19: population.placement.allocation_file must be a non-empty file path, "
            "got \"\"");
  EXPECT_EQ(error_of(minimal_plus("[population.placement]\nkind = \"clustered\"\n"
                                  "allocation_file = 3")),
            "t.toml:11:19: population.placement.allocation_file must be a string, got integer 3");
}

// --- new range rules (from find_violation), located at the offending value --------------

/// kEveryNewKey with line `line` replaced; the file is valid until then.
std::string every_new_key_with(int line, std::string_view replacement) {
  return replace_line(kEveryNewKey, line, replacement);
}

TEST(ScenarioToml, EveryNewKeyFileIsValidBeforeTheEdits) {
  EXPECT_EQ(error_of(kEveryNewKey), "no error");
}

TEST(ScenarioToml, RejectsHostTypeRulesAtTheirValues) {
  EXPECT_EQ(error_of(every_new_key_with(14, "name = \"win xp\"")),
            "t.toml:14:8: population.types[1].name must be a non-empty string of letters, "
            "digits, '_', '.' and '-', got \"win xp\"");
  EXPECT_EQ(error_of(every_new_key_with(14, "name = \"win2000\"")),
            "t.toml:14:8: population.types[1].name must be distinct from "
            "population.types[0].name, got \"win2000\" again");
  EXPECT_EQ(error_of(every_new_key_with(15, "share = 1.25")),
            "t.toml:15:9: population.types[1].share must be in [0, 1] (a fraction of the hosts), "
            "got 1.25");
}

TEST(ScenarioToml, RejectsHostTypeSharesNotSummingToOneAtTheFirstEntry) {
  EXPECT_EQ(error_of(every_new_key_with(15, "share = 0.125")),
            "t.toml:9:1: population.types must have shares that sum to 1, got a sum of 0.875");
}

TEST(ScenarioToml, RejectsPlacementRulesAtTheirValues) {
  EXPECT_EQ(error_of(every_new_key_with(19, "allocated = [\"10.0.0.0/17\", \"10.0.128.0/8\"]")),
            "t.toml:19:29: population.placement.allocated[1] must have zero host bits for /8, "
            "got 10.0.128.0/8");
  EXPECT_EQ(error_of(every_new_key_with(28, "prefix_length = 4")),
            "t.toml:28:17: population.placement.block_sizes[1].prefix_length must be between 8 "
            "and 32, got 4");
  EXPECT_EQ(error_of(every_new_key_with(29, "share = -0.5")),
            "t.toml:29:9: population.placement.block_sizes[1].share must be in [0, 1] (a "
            "fraction of the blocks), got -0.5");
  EXPECT_EQ(error_of(every_new_key_with(29, "share = 0.25")),
            "t.toml:23:1: population.placement.block_sizes must have shares that sum to 1, got a "
            "sum of 0.75");
  EXPECT_EQ(error_of(every_new_key_with(20, "hosts_per_block_alpha = 0")),
            "t.toml:20:25: population.placement.hosts_per_block_alpha must be a finite number > 0 "
            "(a Pareto tail index), got 0");
  EXPECT_EQ(error_of(every_new_key_with(21, "min_hosts_per_block = 0.5")),
            "t.toml:21:23: population.placement.min_hosts_per_block must be a finite number of "
            "hosts >= 1, got 0.5");
}

TEST(ScenarioToml, RejectsExcludedPrefixRulesAtTheirValues) {
  EXPECT_EQ(error_of(every_new_key_with(35, "excluded = [\"10.0.255.0/16\"]")),
            "t.toml:35:13: worm.excluded[0] must have zero host bits for /16, got 10.0.255.0/16");
  EXPECT_EQ(error_of(replace_line(kMinimal, 5,
                                  "scan_rate = 10\n"
                                  "excluded = [\"10.0.0.0/26\", \"10.0.0.0/30\"]\n"
                                  "[address_space]\nprefix = \"10.0.0.0/25\"")),
            "t.toml:3:9: population.hosts must be between 1 and 64 (the addresses in 10.0.0.0/25 "
            "outside worm.excluded), got 100");
  EXPECT_EQ(error_of(replace_line(kMinimal, 5,
                                  "scan_rate = 10\nexcluded = [\"10.0.0.0/8\"]\n"
                                  "seed_addresses = [\"11.0.0.1\", \"10.1.2.3\"]")),
            "t.toml:7:31: worm.seed_addresses[1] must be outside worm.excluded[0] = 10.0.0.0/8, "
            "got 10.1.2.3");
}

TEST(ScenarioToml, RejectsExploitRulesAtTheirValues) {
  EXPECT_EQ(error_of(every_new_key_with(57, "type = \"linux\"")),
            "t.toml:57:8: worm.exploits[1].type must be one of the population.types names "
            "(\"win2000\", \"winxp\"), got \"linux\"");
  EXPECT_EQ(error_of(every_new_key_with(57, "type = \"win2000\"")),
            "t.toml:57:8: worm.exploits[1].type must be distinct from worm.exploits[0].type, got "
            "\"win2000\" again");
  EXPECT_EQ(error_of(every_new_key_with(60, "downtime = \"0h\"")),
            "t.toml:60:12: worm.exploits[1].downtime must be > 0 s, got 0 s");
  EXPECT_EQ(error_of(minimal_plus("[[worm.exploits]]\ntype = \"host\"\n"
                                  "[[worm.exploits]]\ntype = \"host\"")),
            "t.toml:12:8: worm.exploits[1].type must be distinct from worm.exploits[0].type, got "
            "\"host\" again");
}

TEST(ScenarioToml, RejectsTheSuccessOfTheThirdExploitAtItsValue) {
  EXPECT_EQ(error_of(replace_line(kMinimal, 3,
                                  "hosts = 100\n"
                                  "types = [{name = \"a\", share = 0.5}, {name = \"b\", share = "
                                  "0.25},\n         {name = \"c\", share = 0.25}]\n"
                                  "[[worm.exploits]]\ntype = \"a\"\n"
                                  "[[worm.exploits]]\ntype = \"b\"\n"
                                  "[[worm.exploits]]\ntype = \"c\"\nsuccess = -0.5")),
            "t.toml:12:11: worm.exploits[2].success must be in [0, 1] (a probability per probe), "
            "got -0.5");
}

TEST(ScenarioToml, RejectsStrategyRulesAtTheirValues) {
  EXPECT_EQ(error_of(every_new_key_with(41, "same_slash8 = 1.5")),
            "t.toml:41:15: worm.local_preference.same_slash8 must be in [0, 1] (a probability per "
            "probe), got 1.5");
  EXPECT_EQ(error_of(every_new_key_with(41, "same_slash8 = 0.5")),
            "t.toml:40:1: worm.local_preference must have same_slash8 + same_slash16 <= 1 "
            "(probabilities of one probe), got 0.5 + 0.75 = 1.25");
  const std::string sequential = every_new_key_with(33, "strategy = \"sequential\"");
  EXPECT_EQ(error_of(sequential), "no error");
  EXPECT_EQ(error_of(replace_line(sequential, 45, "local_start = -0.25")),
            "t.toml:45:15: worm.sequential.local_start must be in [0, 1] (a probability per "
            "infection), got -0.25");
  EXPECT_EQ(error_of(replace_line(sequential, 46, "local_backoff = 300")),
            "t.toml:46:17: worm.sequential.local_backoff must be between 1 and 256 (a number of "
            "/24s), got 300");
  EXPECT_EQ(error_of(replace_line(sequential, 47, "batch = 0")),
            "t.toml:47:9: worm.sequential.batch must be >= 1 (addresses per batch), got 0");
}

TEST(ScenarioToml, RejectsBandwidthRulesAtTheirValues) {
  EXPECT_EQ(error_of(every_new_key_with(63, "probe_bytes = 0")),
            "t.toml:63:15: worm.bandwidth.probe_bytes must be > 0 bytes, got 0");
  EXPECT_EQ(error_of(every_new_key_with(64, "capacity = -1")),
            "t.toml:64:12: worm.bandwidth.capacity must be a finite number >= 0 probes/s (0: "
            "unlimited), got -1");
  EXPECT_EQ(error_of(every_new_key_with(67, "share = 1.5")),
            "t.toml:67:9: worm.bandwidth.links[0].share must be in [0, 1] (a fraction of the "
            "hosts), got 1.5");
  EXPECT_EQ(error_of(every_new_key_with(72, "bits_per_second = 0")),
            "t.toml:72:19: worm.bandwidth.links[1].bits_per_second must be > 0 bits/s, got 0");
  EXPECT_EQ(error_of(every_new_key_with(71, "share = 0.25")),
            "t.toml:66:1: worm.bandwidth.links must have shares that sum to 1, got a sum of 0.75");
  EXPECT_EQ(error_of(minimal_plus("[worm.bandwidth]\nprobe_bytes = 376")),
            "t.toml:9:1: worm.bandwidth.links must have at least one link class, got none");
}

TEST(ScenarioToml, RejectsSeedWindowLongerThanTheRunAtItsValue) {
  EXPECT_EQ(error_of(every_new_key_with(37, "seed_window = \"2d\"")),
            "t.toml:37:15: worm.seed_window must be >= 0 s and <= run.duration = 86400 s (1 d), "
            "got 172800 s (2 d)");
}

// --- files -----------------------------------------------------------------------------

TEST(ScenarioToml, LoadsAFileAndNamesItInErrors) {
  const std::string path = ::testing::TempDir() + "scenario_toml_test.toml";
  {
    std::ofstream out(path);
    out << replace_line(kMinimal, 5, "scan_rate = -3");
  }
  try {
    (void)load_scenario_file(path);
    FAIL() << "no exception";
  } catch (const InvalidScenario& e) {
    EXPECT_EQ(std::string(e.what()), path + ":5:13: worm.scan_rate must be > 0 probes/s, got -3");
  }
  {
    std::ofstream out(path);
    out << kMinimal;
  }
  EXPECT_EQ(load_scenario_file(path), minimal_scenario());
  std::remove(path.c_str());
}

TEST(ScenarioToml, RejectsMissingFile) {
  const std::string path = ::testing::TempDir() + "no-such-scenario.toml";
  try {
    (void)load_scenario_file(path);
    FAIL() << "no exception";
  } catch (const InvalidScenario& e) {
    EXPECT_EQ(std::string(e.what()),
              "cannot read scenario file '" + path + "': No such file or directory");
  }
}

TEST(ScenarioToml, RejectsDirectory) {
  const std::string path = ::testing::TempDir();
  try {
    (void)load_scenario_file(path);
    FAIL() << "no exception";
  } catch (const InvalidScenario& e) {
    EXPECT_EQ(std::string(e.what()), "cannot read scenario file '" + path + "': it is a directory");
  }
}

/// A fresh directory under the test temp directory, removed at the end of the test.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& name)
      : path_(std::filesystem::path(::testing::TempDir()) / name) {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_ / "nets");
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  void write(const std::string& relative, std::string_view text) const {
    std::ofstream out(path_ / relative);
    out << text;
  }

 private:
  std::filesystem::path path_;
};

constexpr std::string_view kClusteredFromFile = R"(
[population.placement]
kind = "clustered"
allocation_file = "nets/allocated.txt"
)";

TEST(ScenarioToml, ReadsTheAllocationFileRelativeToTheScenarioFile) {
  const ScratchDir dir("scenario_toml_allocation");
  dir.write("nets/allocated.txt", "# allocated\n3.0.0.0/8\n4.0.0.0/8\n");
  dir.write("s.toml", minimal_plus(kClusteredFromFile));
  const Scenario s = load_scenario_file((dir.path() / "s.toml").string());
  EXPECT_EQ(s.population.placement.allocation_file, "nets/allocated.txt");
  EXPECT_EQ(s.population.placement.allocated,
            (std::vector<Prefix>{{0x03000000, 8}, {0x04000000, 8}}));
}

TEST(ScenarioToml, ReadsAnAbsoluteAllocationFileAsGiven) {
  const ScratchDir dir("scenario_toml_allocation_absolute");
  dir.write("nets/allocated.txt", "3.0.0.0/8\n");
  const std::string file = (dir.path() / "nets/allocated.txt").string();
  const Scenario s = parse_scenario_toml(
      minimal_plus("[population.placement]\nkind = \"clustered\"\nallocation_file = \"" + file +
                   "\""),
      "t.toml");
  EXPECT_EQ(s.population.placement.allocation_file, file);
  EXPECT_EQ(s.population.placement.allocated, (std::vector<Prefix>{{0x03000000, 8}}));
}

TEST(ScenarioToml, LetsTheAllocationFileErrorThroughUnchanged) {
  const ScratchDir dir("scenario_toml_allocation_error");
  dir.write("nets/allocated.txt", "3.0.0.0/8\nnot a prefix\n");
  dir.write("s.toml", minimal_plus(kClusteredFromFile));
  const std::string file = (dir.path() / "nets/allocated.txt").string();
  try {
    (void)load_scenario_file((dir.path() / "s.toml").string());
    FAIL() << "no exception";
  } catch (const InvalidScenario& e) {
    EXPECT_EQ(std::string(e.what()),
              file + ":2: malformed CIDR 'not a prefix', expected a.b.c.d/n with n in 0..32");
  }
}

TEST(ScenarioToml, ResolvesTheAllocationFileOfTextAgainstTheCurrentDirectory) {
  // parse_scenario_toml() (and presets) know no directory: "nets/allocated.txt" is looked
  // up in the current directory, not next to the source name.
  const ScratchDir dir("scenario_toml_allocation_cwd");
  dir.write("nets/allocated.txt", "3.0.0.0/8\n");
  EXPECT_THROW(
      (void)parse_scenario_toml(minimal_plus(kClusteredFromFile), (dir.path() / "s.toml").string()),
      InvalidScenario);
}

}  // namespace
}  // namespace patchrace
