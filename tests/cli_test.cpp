// End-to-end tests of the patchrace binary, run as a user would: in a fresh temporary
// directory, through the shell, checking exit codes, stdout, stderr and written files.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <vector>

#include "cli_runner.hpp"
#include "patchrace/result.hpp"
#include "patchrace/scenario_file.hpp"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

using patchrace::testing::Outcome;
using patchrace::testing::read_file;
using patchrace::testing::write_file;

class CliTest : public patchrace::testing::CliFixture {};

std::size_t line_count(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

/// Reported points of a scenario whose duration is a multiple of its report interval.
std::size_t reported_points(const patchrace::Scenario& s) {
  return static_cast<std::size_t>(std::llround(s.run.duration / s.run.report_interval)) + 1;
}

/// Rows of timeseries.csv per replicate and reported point: the global series, each
/// management group's series (with population.groups) and one per deployment ring.
std::size_t rows_per_point(const patchrace::Scenario& s) {
  const std::size_t groups = s.population.groups.size();
  return patchrace::kSeriesCount + groups * patchrace::kGroupSeriesCount +
         patchrace::ring_labels(s).size();
}

/// A copy of the slammer preset without run.seed, so that `run` picks a seed.
std::string unseeded_slammer() {
  std::string text(patchrace::preset_text("slammer-2003"));
  return std::regex_replace(text, std::regex("\nseed = [0-9]+"), "");
}

TEST_F(CliTest, RunEachPresetWritesCsvAndJson) {
  constexpr int kReplicates = 2;
  for (const std::string& name : patchrace::preset_names()) {
    SCOPED_TRACE(name);
    const Outcome o =
        run({"run", "--preset", name, "--replicates", "2", "--threads", "2", "--out", name});
    ASSERT_EQ(o.exit_code, 0) << o.err;
    EXPECT_EQ(o.err, "");
    EXPECT_NE(o.out.find("wrote " + name + "/timeseries.csv and " + name + "/summary.json\n"),
              std::string::npos)
        << o.out;
    const patchrace::Scenario scenario = patchrace::load_preset(name);
    const std::string csv = read_file(work() / name / "timeseries.csv");
    EXPECT_EQ(csv.substr(0, csv.find('\n') + 1), "replicate,time_s,series,group,value\n");
    EXPECT_EQ(line_count(csv),
              kReplicates * reported_points(scenario) * rows_per_point(scenario) + 1);
    const json summary = json::parse(read_file(work() / name / "summary.json"));
    EXPECT_EQ(summary.at("seed").get<std::uint64_t>(), *scenario.run.seed);
    EXPECT_EQ(summary.at("seed_source"), "scenario");
    EXPECT_EQ(summary.at("scenario").at("name"), name);
    EXPECT_EQ(summary.at("replicates").size(), 2u);
  }
}

TEST_F(CliTest, RunWithoutScenarioUsesTheDefaultPreset) {
  const Outcome o = run({"run"});
  ASSERT_EQ(o.exit_code, 0) << o.err;
  const std::string name = patchrace::default_preset_name();
  EXPECT_EQ(o.out.rfind(name + " — ", 0), 0u) << o.out;
  const json summary = json::parse(read_file(work() / "patchrace-out" / "summary.json"));
  EXPECT_EQ(summary.at("scenario").at("name"), name);
  EXPECT_TRUE(fs::exists(work() / "patchrace-out" / "timeseries.csv"));
}

TEST_F(CliTest, RunWithSameSeedIsIdenticalAndWithAnotherSeedDiffers) {
  const std::vector<std::string> common = {"run", "--preset", "slammer-2003", "--quiet"};
  auto run_with = [&](const std::string& seed, const std::string& out) {
    std::vector<std::string> args = common;
    args.insert(args.end(), {"--seed", seed, "--out", out});
    const Outcome o = run(args);
    EXPECT_EQ(o.exit_code, 0) << o.err;
    EXPECT_EQ(o.out, "");  // --quiet
    return read_file(work() / out / "timeseries.csv");
  };
  const std::string a = run_with("42", "a");
  const std::string b = run_with("42", "b");
  const std::string c = run_with("43", "c");
  EXPECT_FALSE(a.empty());
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  const json summary = json::parse(read_file(work() / "a" / "summary.json"));
  EXPECT_EQ(summary.at("seed"), 42);
  EXPECT_EQ(summary.at("seed_source"), "command-line");
  EXPECT_EQ(summary.at("scenario").at("run").at("seed"), 42);
}

TEST_F(CliTest, RunPicksPrintsAndRecordsASeedWhenNoneIsGiven) {
  write_file(work() / "unseeded.toml", unseeded_slammer());
  const Outcome o = run({"run", "unseeded.toml", "--out", "out"});
  ASSERT_EQ(o.exit_code, 0) << o.err;
  std::smatch match;
  ASSERT_TRUE(std::regex_search(o.out, match, std::regex("^seed: ([0-9]+) \\(picked\\)\n")))
      << o.out;
  const std::uint64_t seed = std::stoull(match[1]);
  const json summary = json::parse(read_file(work() / "out" / "summary.json"));
  EXPECT_EQ(summary.at("seed").get<std::uint64_t>(), seed);
  EXPECT_EQ(summary.at("seed_source"), "picked");
  EXPECT_EQ(summary.at("scenario").at("run").at("seed").get<std::uint64_t>(), seed);
}

TEST_F(CliTest, EveryPickedSeedCanBeWrittenIntoRunSeed) {
  // Sixteen picks: a picker using all 64 bits passes with probability 2^-16.
  std::string text(patchrace::preset_text("witty-2004"));
  text = std::regex_replace(text, std::regex("\nseed = [0-9]+"), "");
  text = std::regex_replace(text, std::regex("duration = \"[^\"]+\""), "duration = \"1min\"");
  write_file(work() / "unseeded.toml", text);
  for (int k = 0; k < 16; ++k) {
    const Outcome o = run({"run", "unseeded.toml", "--out", "out"});
    ASSERT_EQ(o.exit_code, 0) << o.err;
    std::smatch match;
    ASSERT_TRUE(std::regex_search(o.out, match, std::regex("^seed: ([0-9]+) \\(picked\\)\n"))) << o.out;
    const std::string reseeded = std::regex_replace(text, std::regex("\n\\[run\\]\n"),
                                                    "\n[run]\nseed = " + match[1].str() + "\n");
    write_file(work() / "reseeded.toml", reseeded);
    const Outcome again = run({"validate", "reseeded.toml"});
    ASSERT_EQ(again.exit_code, 0) << again.err;
  }
}

TEST_F(CliTest, SetChangesScenarioKeysOfRunSweepAndValidate) {
  const Outcome o = run({"run", "--preset", "witty-2004", "--set", "run.duration=10min", "--set",
                         "worm.scan_rate=400", "-q", "--out", "out"});
  ASSERT_EQ(o.exit_code, 0) << o.err;
  const json summary = json::parse(read_file(work() / "out" / "summary.json"));
  EXPECT_EQ(summary.at("scenario").at("run").at("duration"), 600.0);
  EXPECT_EQ(summary.at("scenario").at("worm").at("scan_rate"), 400.0);
  const Outcome v = run({"validate", "--preset", "slammer-2003", "--set", "run.duration=2h"});
  ASSERT_EQ(v.exit_code, 0) << v.err;
  EXPECT_EQ(v.out, "preset:slammer-2003: ok (slammer-2003: 75,000 hosts, Slammer, 2 h)\n");
  const Outcome sw = run({"sweep", "--preset", "patch-timing", "--set", "run.duration=1d", "--set",
                          "population.hosts=2000", "--replicates", "1", "-q", "--out", "sweep"});
  ASSERT_EQ(sw.exit_code, 0) << sw.err;
  const json sweep = json::parse(read_file(work() / "sweep" / "sweep.json"));
  EXPECT_EQ(sweep.at("scenario").at("population").at("hosts"), 2000);
}

TEST_F(CliTest, ErrorSetOfAnUnknownKeyOrABadValue) {
  expect_bad_input({"run", "--preset", "slammer-2003", "--set", "worm.scan_rte=3"},
                   "--set worm.scan_rte=3: unknown key 'worm.scan_rte', expected one of: name, strategy, "
                   "scan_rate, exploit_success, exploits, excluded, initial_infected, seed_addresses, seed_rule, "
                   "seed_window, seed_group, local_preference, sequential, permutation, bandwidth");
  expect_bad_input({"run", "--preset", "slammer-2003", "--set", "worm.scan_rate=-3"},
                   "--set worm.scan_rate=-3: worm.scan_rate must be > 0 probes/s, got -3");
  expect_bad_input({"sweep", "--preset", "patch-timing", "--set", "run.duration=soon"},
                   "--set run.duration=soon: run.duration must be a time: a number of seconds or a string like "
                   "\"26d\", \"-26d\", \"8.5 s\", \"1.5h\" or \"5min\" (units s, min, h, d), got string \"soon\"");
  expect_bad_input({"validate", "--preset", "slammer-2003", "--set", "worm.scan_rate"},
                   "--set needs KEY=VALUE (a scenario key such as worm.scan_rate), got 'worm.scan_rate'");
}

TEST_F(CliTest, RunReplicatesOverridesTheScenario) {
  const Outcome o = run({"run", "--preset", "slammer-2003", "--replicates", "3", "-q"});
  ASSERT_EQ(o.exit_code, 0) << o.err;
  const json summary = json::parse(read_file(work() / "patchrace-out" / "summary.json"));
  EXPECT_EQ(summary.at("replicates").size(), 3u);
  EXPECT_EQ(summary.at("scenario").at("run").at("replicates"), 3);
}

TEST_F(CliTest, RunWithManagementGroupsWritesGroupAndRingRowsAndATableOfGroups) {
  write_file(work() / "groups.toml", R"(name = "groups"
[address_space]
prefix = "10.0.0.0/16"
[population]
hosts = 400
[[population.groups]]
name = "servers"
share = 0.25
[[population.groups]]
name = "desktops"
share = 0.75
[worm]
scan_rate = 5
[patching]
release = "-1h"
[[patching.services]]
name = "it"
capacity = 2000
[[patching.services.rings]]
name = "pilot"
share = 0.5
[[patching.services.rings]]
name = "broad"
share = 0.5
qa_delay = "10min"
[[patching.policies]]
group = "servers"
kind = "central"
service = "it"
[[patching.policies]]
group = "desktops"
kind = "self"
adoption = "exponential"
half_life = "1h"
[patching.bad_patch]
probability = 0.2
outage = "30min"
[run]
duration = "2h"
report_interval = "30min"
seed = 3
)");
  const Outcome o = run({"run", "groups.toml", "--out", "out"});
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_NE(o.out.find("\n  bad-patch outage            "), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("\n  patched at start            "), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("\n  group     hosts   patched"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("\n  servers  "), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("\n  desktops  "), std::string::npos) << o.out;
  const patchrace::Scenario scenario =
      patchrace::load_scenario_file((work() / "groups.toml").string());
  const std::string csv = read_file(work() / "out" / "timeseries.csv");
  EXPECT_EQ(line_count(csv), reported_points(scenario) * rows_per_point(scenario) + 1);
  EXPECT_NE(csv.find("\n0,0,vulnerable,servers,"), std::string::npos);
  EXPECT_NE(csv.find("\n0,7200,broken,desktops,"), std::string::npos);
  EXPECT_NE(csv.find("\n0,7200,ring_patched,it/broad,"), std::string::npos);
  const json summary = json::parse(read_file(work() / "out" / "summary.json"));
  const json& groups = summary.at("replicates").at(0).at("figures").at("groups");
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups.at(0).at("name"), "servers");
  EXPECT_EQ(groups.at(1).at("name"), "desktops");
  EXPECT_TRUE(summary.at("ensemble").at("groups").contains("desktops"));
  EXPECT_EQ(summary.at("scenario").at("patching").at("services").at(0).at("rings").size(), 2u);
}

/// A small scenario with a [sweep] of the bad patch's probability.
constexpr const char* kSweepScenario = R"(name = "sweep-test"
[population]
hosts = 2000
[worm]
scan_rate = 0.001
[patching]
release = 0
[[patching.policies]]
group = "all"
kind = "central"
service = "s"
[[patching.services]]
name = "s"
capacity = 1000
[patching.bad_patch]
probability = 0.1
[run]
duration = "3d"
report_interval = "1h"
seed = 7
replicates = 2
[sweep]
key = "patching.bad_patch.probability"
values = [0, 0.2, 0.5]
)";

TEST_F(CliTest, SweepRunsEveryValueAndWritesCsvAndJson) {
  write_file(work() / "s.toml", kSweepScenario);
  const Outcome o = run({"sweep", "s.toml", "--threads", "2", "--out", "out"});
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(o.err, "");
  EXPECT_NE(o.out.find("sweep-test — sweep of patching.bad_patch.probability over 3 values, 2 "
                       "replicates each (medians), seed 7\n"),
            std::string::npos)
      << o.out;
  EXPECT_NE(o.out.find("wrote out/sweep.csv and out/sweep.json\n"), std::string::npos);
  const std::string csv = read_file(work() / "out" / "sweep.csv");
  EXPECT_EQ(csv.substr(0, csv.find('\n') + 1),
            "value,replicate,total_infected,final_infected,final_patched,final_cleaned,"
            "time_to_50_s,patched_at_start,breaks,outage_host_hours\n");
  EXPECT_EQ(line_count(csv), 3u * 2u + 1u);
  EXPECT_EQ(csv.find("\n0,0,"), csv.find('\n'));  // first row: value 0, replicate 0
  const json summary = json::parse(read_file(work() / "out" / "sweep.json"));
  EXPECT_EQ(summary.at("key"), "patching.bad_patch.probability");
  EXPECT_EQ(summary.at("seed"), 7);
  ASSERT_EQ(summary.at("points").size(), 3u);
  EXPECT_EQ(summary.at("points")[1].at("value"), "0.2");
  // No breaks without a bad patch, more with a worse one.
  const auto breaks = [&](int i) {
    return summary.at("points")[i].at("ensemble").at("breaks").at("median").get<double>();
  };
  EXPECT_EQ(breaks(0), 0.0);
  EXPECT_LT(breaks(1), breaks(2));
  EXPECT_EQ(work_files(), (std::vector<std::string>{"out", "out/sweep.csv", "out/sweep.json", "s.toml"}));
}

TEST_F(CliTest, SweepOfThePatchTimingPresetShowsTheTradeOff) {
  const Outcome o = run({"sweep", "--preset", "patch-timing", "--replicates", "1", "--threads", "2",
                         "-q", "--out", "pt"});
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(o.out, "");
  const json summary = json::parse(read_file(work() / "pt" / "sweep.json"));
  const auto& points = summary.at("points");
  ASSERT_GE(points.size(), 3u);
  const auto median = [&](std::size_t i, const char* figure) {
    return points[i].at("ensemble").at(figure).at("median").get<double>();
  };
  // Longer QA: fewer bad-patch outage hours, more infections.
  const std::size_t last = points.size() - 1;
  EXPECT_GT(median(0, "outage_host_hours"), 3 * median(last, "outage_host_hours"));
  EXPECT_GT(median(last, "total_infected"), 100 * median(0, "total_infected"));
}

TEST_F(CliTest, SweepReportsBadInput) {
  write_file(work() / "plain.toml", R"(name = "plain"
[population]
hosts = 10
[worm]
scan_rate = 1
[run]
duration = "1h"
report_interval = "1h"
)");
  expect_bad_input({"sweep", "plain.toml"},
                   "plain.toml: has no [sweep] table; a sweep needs one with 'key' (a scenario key "
                   "such as \"patching.bad_patch.probability\") and 'values' (an array)",
                   {"plain.toml"});
  expect_bad_input({"sweep"}, "give the scenario file or --preset whose [sweep] to run",
                   {"plain.toml"});
  expect_bad_input({"sweep", "--preset", "codered-2001"},
                   "preset:codered-2001: has no [sweep] table; a sweep needs one with 'key' (a "
                   "scenario key such as \"patching.bad_patch.probability\") and 'values' (an array)",
                   {"plain.toml"});
  write_file(work() / "bad.toml", std::string(kSweepScenario) + "\n");
  std::string text = read_file(work() / "bad.toml");
  text.replace(text.find("[0, 0.2, 0.5]"), 13, "[0, 2]");
  write_file(work() / "bad.toml", text);
  expect_bad_input({"sweep", "bad.toml"},
                   "bad.toml:24:14: patching.bad_patch.probability must be in [0, 1] (a "
                   "probability), got 2 (with patching.bad_patch.probability = 2, sweep.values[1])",
                   {"bad.toml", "plain.toml"});
}

TEST_F(CliTest, VersionPrintsTheVersion) {
  const Outcome o = run({"--version"});
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_TRUE(std::regex_match(o.out, std::regex("patchrace [0-9]+\\.[0-9]+\\.[0-9]+\n"))) << o.out;
  EXPECT_EQ(o.err, "");
}

TEST_F(CliTest, HelpOfEveryCommandExitsZero) {
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"--help"}, {"run", "--help"}, {"sweep", "--help"}, {"presets", "--help"},
           {"validate", "--help"}}) {
    const Outcome o = run(args);
    EXPECT_EQ(o.exit_code, 0) << args[0];
    EXPECT_NE(o.out.find("Usage: patchrace"), std::string::npos) << o.out;
    EXPECT_EQ(o.err, "");
  }
  EXPECT_NE(run({"run", "--help"}).out.find("--replicates"), std::string::npos);
  EXPECT_EQ(work_files(), std::vector<std::string>{});
}

TEST_F(CliTest, PresetsListsEveryPresetAndMarksTheDefault) {
  const Outcome o = run({"presets"});
  ASSERT_EQ(o.exit_code, 0) << o.err;
  const std::vector<std::string> names = patchrace::preset_names();
  EXPECT_EQ(line_count(o.out), names.size());
  for (const std::string& name : names) {
    const std::string description = patchrace::load_preset(name).description;
    const std::string label = name == patchrace::default_preset_name() ? name + " (default)" : name;
    EXPECT_TRUE(std::regex_search(
        o.out, std::regex("(^|\n)" + std::regex_replace(label, std::regex("[().]"), "\\$&") + " +" +
                          std::regex_replace(description, std::regex("[().+*]"), "\\$&") + "\n")))
        << o.out;
  }
}

TEST_F(CliTest, PresetsWithANamePrintsItsToml) {
  const Outcome o = run({"presets", "slammer-2003"});
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(o.out, std::string(patchrace::preset_text("slammer-2003")));
}

TEST_F(CliTest, ValidateReportsEachGoodFile) {
  const std::string codered = std::string(PATCHRACE_SOURCE_DIR) + "/presets/codered-2001.toml";
  const std::string slammer = std::string(PATCHRACE_SOURCE_DIR) + "/presets/slammer-2003.toml";
  const Outcome o = run({"validate", codered, slammer});
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(o.out, codered + ": ok (codered-2001: 359,000 hosts, Code Red v2, 1 d)\n" + slammer +
                       ": ok (slammer-2003: 75,000 hosts, Slammer, 15 min)\n");
}

TEST_F(CliTest, ValidateChecksEveryValueOfASweep) {
  const std::string timing = std::string(PATCHRACE_SOURCE_DIR) + "/presets/patch-timing.toml";
  const Outcome o = run({"validate", timing});
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(o.out, timing + ": ok (patch-timing: 200,000 hosts, worm, 14 d, sweep of "
                            "patching.services[0].rings[0].qa_delay over 8 values)\n");
  std::string text = kSweepScenario;
  text.replace(text.find("[0, 0.2, 0.5]"), 13, "[0, 2]");
  write_file(work() / "bad.toml", text);
  const Outcome bad = run({"validate", "bad.toml"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(bad.err,
            "patchrace: error: bad.toml:24:14: patching.bad_patch.probability must be in [0, 1] (a "
            "probability), got 2 (with patching.bad_patch.probability = 2, sweep.values[1])\n");
}

TEST_F(CliTest, ValidateChecksPresetsByName) {
  const Outcome o = run({"validate", "--preset", "slammer-2003", "--preset", "patch-timing"});
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(o.out, "preset:slammer-2003: ok (slammer-2003: 75,000 hosts, Slammer, 15 min)\n"
                   "preset:patch-timing: ok (patch-timing: 200,000 hosts, worm, 14 d, sweep of "
                   "patching.services[0].rings[0].qa_delay over 8 values)\n");
  expect_bad_input({"validate", "--preset", "nosuch"},
                   "unknown preset 'nosuch', expected one of: blaster-2003, codered-2001, codered2-2001, "
                   "patch-timing, slammer-2003, warhol, witty-2004");
  expect_bad_input({"validate"}, "validate needs a scenario FILE or --preset NAME (see `patchrace presets`)");
}

TEST_F(CliTest, ValidateStopsAtTheFirstBadFile) {
  write_file(work() / "good.toml", unseeded_slammer());
  write_file(work() / "bad.toml", "name = \"bad\"\n[population]\nhosts = -3\n");
  const Outcome o = run({"validate", "good.toml", "bad.toml", "good.toml"});
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_EQ(o.out, "good.toml: ok (slammer-2003: 75,000 hosts, Slammer, 15 min)\n");
  EXPECT_EQ(o.err,
            "patchrace: error: bad.toml:3:9: population.hosts must be a non-negative integer, "
            "got -3\n");
}

TEST_F(CliTest, ErrorUnknownFlag) {
  expect_bad_input({"run", "--bogus"}, "The following argument was not expected: --bogus");
}

TEST_F(CliTest, ErrorSeedNotANumber) {
  expect_bad_input({"run", "--seed", "abc"},
                   "--seed: must be an integer from 0 to 9223372036854775807, got 'abc'");
}

TEST_F(CliTest, ErrorSeedAboveTheLargestTomlInteger) {
  expect_bad_input({"run", "--seed", "9223372036854775808"},
                   "--seed: must be an integer from 0 to 9223372036854775807, got '9223372036854775808'");
}

TEST_F(CliTest, ErrorSeedNegative) {
  expect_bad_input({"run", "--seed=-5"},
                   "--seed: must be an integer from 0 to 9223372036854775807, got '-5'");
}

TEST_F(CliTest, ErrorReplicatesZero) {
  expect_bad_input({"run", "--replicates", "0"},
                   "--replicates: must be an integer from 1 to 1000000, got '0'");
}

TEST_F(CliTest, ErrorThreadsTooMany) {
  expect_bad_input({"run", "--threads", "1025"},
                   "--threads: must be an integer from 0 to 1024, got '1025'");
}

TEST_F(CliTest, ErrorUnknownPreset) {
  std::string known;
  for (const auto& name : patchrace::preset_names()) known += (known.empty() ? "" : ", ") + name;
  expect_bad_input({"run", "--preset", "nope"}, "unknown preset 'nope', expected one of: " + known);
}

TEST_F(CliTest, ErrorScenarioAndPresetTogether) {
  write_file(work() / "s.toml", unseeded_slammer());
  expect_bad_input({"run", "s.toml", "--preset", "codered-2001"},
                   "give either a scenario file or --preset, not both", {"s.toml"});
}

TEST_F(CliTest, ErrorMissingScenarioFile) {
  expect_bad_input({"run", "missing.toml"},
                   "cannot read scenario file 'missing.toml': No such file or directory");
}

TEST_F(CliTest, ErrorBadScenarioFile) {
  write_file(work() / "bad.toml",
             "name = \"bad\"\n[population]\nhosts = 1000\n[worm]\nscan_rate = -3\n"
             "[run]\nduration = \"1h\"\nreport_interval = \"1min\"\n");
  expect_bad_input({"run", "bad.toml"},
                   "bad.toml:5:13: worm.scan_rate must be > 0 probes/s, got -3", {"bad.toml"});
}

TEST_F(CliTest, ErrorOutputUnderARegularFile) {
  write_file(work() / "plain", "not a directory");
  expect_bad_input({"run", "--preset", "slammer-2003", "--out", "plain/out"},
                   "cannot create output directory 'plain/out': Not a directory", {"plain"});
}

TEST_F(CliTest, ErrorOutputIsARegularFile) {
  write_file(work() / "plain", "not a directory");
  expect_bad_input({"run", "--preset", "slammer-2003", "--out", "plain"},
                   "cannot write to output directory 'plain': Not a directory", {"plain"});
}

TEST_F(CliTest, ErrorScenarioTooLargeForMemory) {
  write_file(work() / "huge.toml",
             "name = \"huge\"\n[population]\nhosts = 4000000000\n[worm]\nscan_rate = 1\n"
             "[run]\nduration = \"1h\"\nreport_interval = \"1min\"\nseed = 1\n");
  const Outcome o = run({"run", "huge.toml", "--replicates", "1024", "--threads", "1024"});
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_EQ(o.err.rfind("patchrace: error: scenario 'huge' needs about ", 0), 0u) << o.err;
  EXPECT_NE(o.err.find("but this machine has"), std::string::npos) << o.err;
  EXPECT_EQ(line_count(o.err), 1u);
  EXPECT_EQ(work_files(), std::vector<std::string>{"huge.toml"});
}

TEST_F(CliTest, RunIsByteIdenticalAcrossThreadCountsAndReruns) {
  const std::vector<std::string> args = {"run", "--preset", "slammer-2003", "--replicates", "4",
                                         "--seed", "5", "-q"};
  const auto run_with = [&](const std::string& threads, const std::string& out) {
    std::vector<std::string> full = args;
    full.insert(full.end(), {"--threads", threads, "--out", out});
    const Outcome o = run(full);
    EXPECT_EQ(o.exit_code, 0) << o.err;
    return std::pair{read_file(work() / out / "timeseries.csv"),
                     json::parse(read_file(work() / out / "summary.json")).at("outputs").at("run_id")};
  };
  const auto one = run_with("1", "one");
  const auto three = run_with("3", "three");
  const auto again = run_with("1", "again");
  ASSERT_FALSE(one.first.empty());
  EXPECT_TRUE(one.first == three.first) << "timeseries.csv differs between 1 and 3 threads";
  EXPECT_TRUE(one.first == again.first) << "timeseries.csv differs between reruns";
  EXPECT_EQ(one.second, three.second);
  EXPECT_EQ(one.second, again.second);
}

TEST_F(CliTest, ErrorNoCommand) {
  expect_bad_input({}, "no command given, expected run, sweep, presets or validate (see --help)");
}

}  // namespace
