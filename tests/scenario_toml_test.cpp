// Reading scenarios from TOML: the schema, the time syntax, the presets, and every
// error message with its file:line:col.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "patchrace/error.hpp"
#include "patchrace/scenario.hpp"
#include "patchrace/scenario_file.hpp"

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
std::string error_of(std::string_view text) {
  try {
    (void)parse_scenario_toml(text, "t.toml");
  } catch (const InvalidScenario& e) {
    return e.what();
  }
  return "no error";
}

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
  expected.worm = {"Blaster", 11.5, 0.5, 1, {0x0a000001, 0x0a000304}};
  expected.patching = {true, -26 * kDay, 30 * kDay, 0.2, true};
  expected.cleanup = {true, 12 * kHour};
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
            "t.toml:5:1: unknown key 'worm.scan_rat', expected one of: name, scan_rate, "
            "exploit_success, initial_infected, seed_addresses");
}

TEST(ScenarioToml, RejectsUnknownTopLevelKey) {
  EXPECT_EQ(error_of(replace_line(kMinimal, 1, "name = \"x\"\nseeed = 3")),
            "t.toml:2:1: unknown key 'seeed', expected one of: name, description, "
            "address_space, population, worm, patching, cleanup, run");
}

TEST(ScenarioToml, RejectsUnknownKeyInEveryTable) {
  EXPECT_EQ(error_of(minimal_plus("[address_space]\nbase = 1")),
            "t.toml:10:1: unknown key 'address_space.base', expected one of: prefix");
  EXPECT_EQ(error_of(replace_line(kMinimal, 3, "hosts = 1\ncount = 2")),
            "t.toml:4:1: unknown key 'population.count', expected one of: hosts");
  EXPECT_EQ(error_of(minimal_plus("[patching]\nenabled = true")),
            "t.toml:10:1: unknown key 'patching.enabled', expected one of: release, half_life, "
            "never_fraction, cures_infected");
  EXPECT_EQ(error_of(minimal_plus("[cleanup]\ndelay = 1")),
            "t.toml:10:1: unknown key 'cleanup.delay', expected one of: mean_delay");
  EXPECT_EQ(error_of(minimal_plus("threads = 4")),
            "t.toml:9:1: unknown key 'run.threads', expected one of: duration, report_interval, "
            "seed, replicates");
}

TEST(ScenarioToml, EscapesControlCharactersInUnknownKeys) {
  EXPECT_EQ(error_of(replace_line(kMinimal, 5, "scan_rate = 1\n\"scan\\nrate\" = 2")),
            "t.toml:6:1: unknown key 'worm.scan\\nrate', expected one of: name, scan_rate, "
            "exploit_success, initial_infected, seed_addresses");
}

TEST(ScenarioToml, RejectsUnknownSubtable) {
  EXPECT_EQ(error_of(minimal_plus("[worm.extra]\nx = 1")),
            "t.toml:9:7: unknown key 'worm.extra', expected one of: name, scan_rate, "
            "exploit_success, initial_infected, seed_addresses");
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

}  // namespace
}  // namespace patchrace
