// Tests of the output writers (CSV, JSON, human summary, atomic files) and the
// human-readable unit helpers.
#include "patchrace/output.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "io/format_units.hpp"
#include "io/scenario_json.hpp"
#include "patchrace/error.hpp"
#include "patchrace/scenario_file.hpp"

namespace patchrace {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

/// A fresh directory under the system temp directory, removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "patchrace-output-test-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  [[nodiscard]] const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<std::string> files_in(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

/// Two reported times, small counts; replicate `index`. No management groups: one group, "all".
Result small_result(std::uint64_t index) {
  Result r;
  r.replicate = index;
  r.seed = 99;
  r.series.time = {0.0, 0.5};
  r.series.values = {
      {9, 7},  // susceptible
      {1, 3},  // infected
      {0, 0},  // patched
      {0, 0},  // cleaned
      {1, 2},  // new infections
      {1, 3},  // cumulative infected
      {0, 0},  // broken
      {0, 0},  // outage host-hours
  };
  r.figures.vulnerable = 10;
  r.figures.final_infected = 3;
  r.figures.total_infected = 3;
  r.figures.peak_new_per_minute = 2 + index;
  r.figures.peak_minute_start = 0.0;
  r.figures.time_to_10 = 0.0;
  r.figures.time_to_50 = {};
  r.figures.time_to_90 = {};
  r.figures.probes = 1.5e6;
  r.figures.events = 2;
  r.figures.groups = {{.name = "all", .hosts = 10, .infected = 3}};
  r.wall_seconds = 0.25;
  return r;
}

Scenario small_scenario() {
  Scenario s;
  s.name = "tiny";
  s.description = "a test scenario";
  s.address_space.base = 0x0a000000;
  s.address_space.prefix_length = 8;
  s.population.hosts = 10;
  s.worm.name = "Testworm";
  s.worm.scan_rate = 12.5;
  s.worm.seed_addresses = {0x0a000001, 0x0a000102};
  s.patching.enabled = true;
  s.patching.release = -2 * kDay;
  s.patching.half_life = 3 * kDay;
  s.patching.never_fraction = 0.25;
  s.cleanup.enabled = true;
  s.cleanup.mean_delay = 6 * kHour;
  s.run.duration = 0.5;
  s.run.report_interval = 0.5;
  s.run.seed = 99;
  s.run.replicates = 1;
  return s;
}

/// A scenario with the patch system: two management groups (one patched by a central service
/// with two rings, one self-patching with news), a bad patch and per-group cleanup.
Scenario patch_scenario() {
  Scenario s = small_scenario();
  s.population.hosts = 100;
  auto group = [](std::string name, double share, std::vector<double> exposure,
                  double criticality) {
    ManagementGroupSpec g;
    g.name = std::move(name);
    g.share = share;
    g.exposure = std::move(exposure);
    g.criticality = criticality;
    return g;
  };
  s.population.groups = {group("servers", 0.2, {0.5, 0.5, 0.0}, 3),
                         group("desktops", 0.8, {0.0, 0.25, 0.75}, 1)};
  PatchingSpec& p = s.patching;
  p.importance = 2;
  p.cures_infected = true;
  PatchPolicySpec central;
  central.group = "servers";
  central.kind = PolicyKind::kCentral;
  central.service = "wsus";
  PatchPolicySpec self;
  self.group = "desktops";
  self.adoption.kind = AdoptionKind::kTwoPopulation;
  self.adoption.fast_share = 0.6;
  self.adoption.fast_half_life = 2 * kDay;
  self.adoption.slow_half_life = 40 * kDay;
  self.news = {.enabled = true, .after = kHour, .infected = std::nullopt, .factor = 3};
  p.policies = {central, self};
  PatchServiceSpec wsus;
  wsus.name = "wsus";
  wsus.capacity = 500;
  wsus.approval_delay = 4 * kHour;
  wsus.working_hours = {.enabled = true, .start = 9 * kHour, .end = 17.5 * kHour,
                        .weekdays_only = false};
  wsus.priority = {PriorityRule::kExposureFirst, 2, 1, 0.5};
  wsus.min_score = 1.5;
  wsus.rings = {{"pilot", 0.1, kDay}, {"broad", 0.9, 0}};
  p.services = {wsus};
  p.bad_patch = {.enabled = true,
                 .probability = 0.05,
                 .half_life = 3 * kDay,
                 .outage = 8 * kHour,
                 .fix_release = 5 * kDay,
                 .repatch_mean = 12 * kHour};
  s.cleanup.group_mean_delay = {{"servers", 2 * kHour}, {"desktops", 3 * kDay}};
  s.run.clock = 4 * kDay + 16.5 * kHour;  // Fri 16:30
  return s;
}

/// One reported time (t = 60 s) of patch_scenario(): every global, group and ring row.
Result patch_result(std::uint64_t index) {
  Result r;
  r.replicate = index;
  r.series.time = {60.0};
  r.series.values = {{50}, {10}, {30}, {5}, {2}, {15}, {4}, {12.5}};
  r.series.group_values = {{{5}, {14}, {1}, {1}, {1}}, {{55}, {21}, {9}, {4}, {3}}};
  r.series.ring_patched = {{2}, {7}};
  Figures& f = r.figures;
  f.vulnerable = 100;
  f.final_infected = 10;
  f.total_infected = 15;
  f.final_patched = 30;
  f.final_cleaned = 5;
  f.breaks = 4;
  f.outage_host_hours = 12.5;
  f.patched_at_start = 0.25;
  f.groups = {{.name = "servers",
               .hosts = 20,
               .patched_at_start = 0.5,
               .half_life = 3 * kHour,
               .infected = 2,
               .final_patched = 14,
               .final_cleaned = 1,
               .breaks = 1,
               .outage_host_hours = 8},
              {.name = "desktops",
               .hosts = 80,
               .patched_at_start = 0.1875,
               .half_life = std::nullopt,
               .infected = 13,
               .final_patched = 16,
               .final_cleaned = 4,
               .breaks = 3,
               .outage_host_hours = 4.5}};
  return r;
}

TEST(Output, CsvHasHeaderAndOneRowPerReplicateTimeAndSeries) {
  const std::string expected =
      "replicate,time_s,series,group,value\n"
      "0,0,susceptible,all,9\n"
      "0,0,infected,all,1\n"
      "0,0,patched,all,0\n"
      "0,0,cleaned,all,0\n"
      "0,0,new_infections,all,1\n"
      "0,0,cumulative_infected,all,1\n"
      "0,0,broken,all,0\n"
      "0,0,outage_host_hours,all,0\n"
      "0,0.5,susceptible,all,7\n"
      "0,0.5,infected,all,3\n"
      "0,0.5,patched,all,0\n"
      "0,0.5,cleaned,all,0\n"
      "0,0.5,new_infections,all,2\n"
      "0,0.5,cumulative_infected,all,3\n"
      "0,0.5,broken,all,0\n"
      "0,0.5,outage_host_hours,all,0\n";
  EXPECT_EQ(timeseries_csv(small_scenario(), {small_result(0)}), expected);
}

TEST(Output, CsvPrintsTimesShortestAndLargeCountsAsIntegers) {
  Result r = small_result(3);
  r.series.time = {0.1, 86400.25};
  r.series.values[0] = {4294967296.0, 2.5};
  r.series.values[7] = {0, 1.0 / 3};
  const std::string csv = timeseries_csv(small_scenario(), {r});
  EXPECT_NE(csv.find("\n3,0.1,susceptible,all,4294967296\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find("\n3,86400.25,susceptible,all,2.5\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find("\n3,86400.25,outage_host_hours,all,0.3333333333333333\n"),
            std::string::npos)
      << csv;
}

TEST(Output, CsvOfSeveralReplicatesListsThemInOrder) {
  const std::string csv = timeseries_csv(small_scenario(), {small_result(0), small_result(1)});
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 1 + 2 * 2 * kSeriesCount);
  EXPECT_LT(csv.find("\n0,0.5,outage_host_hours,all,0\n"), csv.find("\n1,0,susceptible,all,9\n"));
}

TEST(Output, CsvOfNoResultsIsTheHeaderOnly) {
  EXPECT_EQ(timeseries_csv(small_scenario(), {}), "replicate,time_s,series,group,value\n");
}

TEST(Output, CsvWritesEachGroupsSeriesThenEachRingUnderItsName) {
  const std::string expected =
      "replicate,time_s,series,group,value\n"
      "4,60,susceptible,all,50\n"
      "4,60,infected,all,10\n"
      "4,60,patched,all,30\n"
      "4,60,cleaned,all,5\n"
      "4,60,new_infections,all,2\n"
      "4,60,cumulative_infected,all,15\n"
      "4,60,broken,all,4\n"
      "4,60,outage_host_hours,all,12.5\n"
      "4,60,vulnerable,servers,5\n"
      "4,60,patched,servers,14\n"
      "4,60,infected,servers,1\n"
      "4,60,cleaned,servers,1\n"
      "4,60,broken,servers,1\n"
      "4,60,vulnerable,desktops,55\n"
      "4,60,patched,desktops,21\n"
      "4,60,infected,desktops,9\n"
      "4,60,cleaned,desktops,4\n"
      "4,60,broken,desktops,3\n"
      "4,60,ring_patched,wsus/pilot,2\n"
      "4,60,ring_patched,wsus/broad,7\n";
  EXPECT_EQ(timeseries_csv(patch_scenario(), {patch_result(4)}), expected);
}

TEST(Output, CsvNamesTheRingOfAServiceWithoutRingsAll) {
  Scenario s = patch_scenario();
  PatchServiceSpec home;
  home.name = "home";
  s.patching.services.push_back(home);
  Result r = patch_result(0);
  r.series.ring_patched.push_back({11});
  const std::string csv = timeseries_csv(s, {r});
  EXPECT_NE(csv.find("\n0,60,ring_patched,wsus/broad,7\n0,60,ring_patched,home/all,11\n"),
            std::string::npos)
      << csv;
}

TEST(Output, CsvLeavesOutTheRowsAResultLacks) {
  Result r = patch_result(0);
  r.series.time = {0, 60};
  // Six series (as before the bad-patch series existed), infected one point short, no
  // per-group series, one ring of two.
  r.series.values = {{50, 49}, {10}, {30, 31}, {5, 5}, {2, 1}, {15, 16}};
  r.series.group_values.clear();
  r.series.ring_patched = {{2, 3}};
  const std::string csv = timeseries_csv(patch_scenario(), {r});
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 1 + (6 + 1) + (5 + 1)) << csv;
  EXPECT_NE(csv.find("\n0,0,infected,all,10\n"), std::string::npos) << csv;
  EXPECT_EQ(csv.find("\n0,60,infected,"), std::string::npos) << csv;
  EXPECT_EQ(csv.find(",broken,"), std::string::npos) << csv;
  EXPECT_EQ(csv.find(",servers,"), std::string::npos) << csv;
  EXPECT_EQ(csv.find("wsus/broad"), std::string::npos) << csv;
  EXPECT_NE(csv.find("\n0,60,ring_patched,wsus/pilot,3\n"), std::string::npos) << csv;
}

TEST(Output, CsvLeavesOutGroupRowsTheScenarioHasNoNameFor) {
  Result r = patch_result(0);
  r.series.group_values.push_back({{1}, {2}, {3}, {4}, {5}});  // a third group
  r.series.ring_patched.push_back({9});                         // a third ring
  const std::string csv = timeseries_csv(patch_scenario(), {r});
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 1 + 8 + 2 * 5 + 2) << csv;
}

TEST(Output, CsvQuotesANameHoldingACommaOrAQuote) {
  Scenario s = patch_scenario();
  s.population.groups[0].name = "a,b";
  s.population.groups[1].name = "say \"hi\"";
  const std::string csv = timeseries_csv(s, {patch_result(0)});
  EXPECT_NE(csv.find("\n0,60,vulnerable,\"a,b\",5\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find("\n0,60,broken,\"say \"\"hi\"\"\",3\n"), std::string::npos) << csv;
}

TEST(Output, JsonEchoesEveryScenarioFieldInSeconds) {
  const json j =
      json::parse(summary_json(small_scenario(), {small_result(0)}, 99, SeedSource::kScenario));
  const json& s = j.at("scenario");
  EXPECT_EQ(s.at("name"), "tiny");
  EXPECT_EQ(s.at("description"), "a test scenario");
  EXPECT_EQ(s.at("address_space").at("prefix"), "10.0.0.0/8");
  EXPECT_EQ(s.at("population").at("hosts"), 10);
  EXPECT_EQ(s.at("worm").at("name"), "Testworm");
  EXPECT_EQ(s.at("worm").at("scan_rate"), 12.5);
  EXPECT_EQ(s.at("worm").at("exploit_success"), 1.0);
  EXPECT_EQ(s.at("worm").at("initial_infected"), 1);
  EXPECT_EQ(s.at("worm").at("seed_addresses"), json({"10.0.0.1", "10.0.1.2"}));
  EXPECT_EQ(s.at("patching").at("enabled"), true);
  EXPECT_EQ(s.at("patching").at("release"), -172800.0);
  EXPECT_EQ(s.at("patching").at("half_life"), 259200.0);
  EXPECT_EQ(s.at("patching").at("never_fraction"), 0.25);
  EXPECT_EQ(s.at("patching").at("cures_infected"), false);
  EXPECT_EQ(s.at("cleanup").at("enabled"), true);
  EXPECT_EQ(s.at("cleanup").at("mean_delay"), 21600.0);
  EXPECT_EQ(s.at("run").at("duration"), 0.5);
  EXPECT_EQ(s.at("run").at("report_interval"), 0.5);
  EXPECT_EQ(s.at("run").at("seed"), 99);
  EXPECT_EQ(s.at("run").at("replicates"), 1);
  EXPECT_TRUE(j.at("patchrace_version").is_string());
}

TEST(Output, JsonEchoesTheNewSettingsAtTheirDefaults) {
  const json j =
      json::parse(summary_json(small_scenario(), {small_result(0)}, 99, SeedSource::kScenario));
  const json& population = j.at("scenario").at("population");
  EXPECT_EQ(population.at("types"), json::array());
  EXPECT_EQ(population.at("placement"),
            json::parse(R"({"kind": "uniform", "allocated": [], "allocation_file": "",
                            "block_sizes": [{"prefix_length": 24, "share": 0.6},
                                            {"prefix_length": 22, "share": 0.2},
                                            {"prefix_length": 20, "share": 0.12},
                                            {"prefix_length": 16, "share": 0.08}],
                            "hosts_per_block_alpha": 1.2, "min_hosts_per_block": 1.0})"));
  const json& worm = j.at("scenario").at("worm");
  EXPECT_EQ(worm.at("strategy"), "uniform");
  EXPECT_EQ(worm.at("exploits"), json::array());
  EXPECT_EQ(worm.at("excluded"), json::array());
  EXPECT_EQ(worm.at("bandwidth"),
            json::parse(R"({"enabled": false, "probe_bytes": 404.0, "capacity": 0.0,
                            "links": []})"));
  EXPECT_EQ(worm.at("seed_rule"), "random");
  EXPECT_EQ(worm.at("seed_window"), 0.0);
}

TEST(Output, JsonEchoesEveryNewSettingWithItsTomlKeyAndSpelling) {
  Scenario s = small_scenario();
  s.population.types = {{"win2000", 0.75}, {"winxp", 0.25}};
  PlacementSpec& placement = s.population.placement;
  placement.kind = PlacementKind::kClustered;
  placement.allocated = {{0x0a000000, 9}, {0x0a800000, 10}};
  placement.allocation_file = "nets/allocated.txt";
  placement.block_sizes = {{24, 0.5}, {20, 0.5}};
  placement.hosts_per_block_alpha = 1.5;
  placement.min_hosts_per_block = 2;
  s.worm.strategy = ScanStrategy::kLocalPreference;
  s.worm.exploits = {{"win2000", 1.0, FailureOutcome::kNothing, 60},
                     {"winxp", 0.0, FailureOutcome::kCrash, 3600}};
  s.worm.excluded = {{0x7f000000, 8}, {0xe0000000, 3}};
  s.worm.local_preference = {0.25, 0.75};
  s.worm.sequential = {0.5, 10, 4};
  s.worm.permutation.dormant_after = 2;
  s.worm.bandwidth = {true, 376, {{0.5, 1e6}, {0.5, 1e8}}, 5.5e7};
  s.worm.seed_rule = SeedRule::kLargestPrefixes;
  s.worm.seed_window = 600;
  const json j = json::parse(summary_json(s, {small_result(0)}, 99, SeedSource::kScenario));
  const json& population = j.at("scenario").at("population");
  EXPECT_EQ(population.at("types"), json::parse(R"([{"name": "win2000", "share": 0.75},
                                                    {"name": "winxp", "share": 0.25}])"));
  EXPECT_EQ(population.at("placement"),
            json::parse(R"({"kind": "clustered", "allocated": ["10.0.0.0/9", "10.128.0.0/10"],
                            "allocation_file": "nets/allocated.txt",
                            "block_sizes": [{"prefix_length": 24, "share": 0.5},
                                            {"prefix_length": 20, "share": 0.5}],
                            "hosts_per_block_alpha": 1.5, "min_hosts_per_block": 2.0})"));
  const json& worm = j.at("scenario").at("worm");
  EXPECT_EQ(worm.at("strategy"), "local-preference");
  EXPECT_EQ(worm.at("exploits"),
            json::parse(R"([{"type": "win2000", "success": 1.0, "on_failure": "nothing",
                             "downtime": 60.0},
                            {"type": "winxp", "success": 0.0, "on_failure": "crash",
                             "downtime": 3600.0}])"));
  EXPECT_EQ(worm.at("excluded"), json({"127.0.0.0/8", "224.0.0.0/3"}));
  EXPECT_EQ(worm.at("local_preference"),
            json::parse(R"({"same_slash8": 0.25, "same_slash16": 0.75})"));
  EXPECT_EQ(worm.at("sequential"),
            json::parse(R"({"local_start": 0.5, "local_backoff": 10, "batch": 4})"));
  EXPECT_EQ(worm.at("permutation"), json::parse(R"({"dormant_after": 2})"));
  EXPECT_EQ(worm.at("bandwidth"),
            json::parse(R"({"enabled": true, "probe_bytes": 376.0, "capacity": 5.5e7,
                            "links": [{"share": 0.5, "bits_per_second": 1e6},
                                      {"share": 0.5, "bits_per_second": 1e8}]})"));
  EXPECT_EQ(worm.at("seed_rule"), "largest-prefixes");
  EXPECT_EQ(worm.at("seed_window"), 600.0);
}

/// The scenario echo of a TOML file with `worm_lines` in [worm] and `more` after it.
json echo_of_toml(const std::string& worm_lines, const std::string& more = "") {
  const std::string text = "name = \"echo\"\n[population]\nhosts = 10\n[worm]\nscan_rate = 1\n" +
                           worm_lines + "\n" + more +
                           "\n[run]\nduration = 60\nreport_interval = 60\n";
  const Scenario s = parse_scenario_toml(text, "echo.toml");
  return json::parse(summary_json(s, {small_result(0)}, 1, SeedSource::kScenario)).at("scenario");
}

TEST(Output, JsonSpellsEveryEnumValueAsTheTomlFileDoes) {
  for (const char* strategy : {"uniform", "local-preference", "sequential", "permutation"}) {
    EXPECT_EQ(echo_of_toml(fmt::format("strategy = \"{}\"", strategy)).at("worm").at("strategy"),
              strategy);
  }
  for (const char* rule : {"random", "largest-prefixes"}) {
    EXPECT_EQ(echo_of_toml(fmt::format("seed_rule = \"{}\"", rule)).at("worm").at("seed_rule"),
              rule);
  }
  for (const char* outcome : {"nothing", "crash"}) {
    const json echo = echo_of_toml(
        "", fmt::format("[[worm.exploits]]\ntype = \"host\"\non_failure = \"{}\"", outcome));
    EXPECT_EQ(echo.at("worm").at("exploits").at(0).at("on_failure"), outcome);
  }
  for (const char* kind : {"uniform", "clustered"}) {
    const json echo = echo_of_toml("", fmt::format("[population.placement]\nkind = \"{}\"", kind));
    EXPECT_EQ(echo.at("population").at("placement").at("kind"), kind);
  }
}

TEST(Output, JsonRecordsSeedAndItsSource) {
  const Scenario s = small_scenario();
  const std::vector<Result> results = {small_result(0)};
  const std::uint64_t big_seed = 18446744073709551615ULL;
  const json picked = json::parse(summary_json(s, results, big_seed, SeedSource::kPicked));
  EXPECT_EQ(picked.at("seed").get<std::uint64_t>(), big_seed);
  EXPECT_EQ(picked.at("seed_source"), "picked");
  EXPECT_EQ(json::parse(summary_json(s, results, 1, SeedSource::kScenario)).at("seed_source"),
            "scenario");
  EXPECT_EQ(json::parse(summary_json(s, results, 1, SeedSource::kCommandLine)).at("seed_source"),
            "command-line");
}

TEST(Output, JsonWritesTimesNeverReachedAsNull) {
  const json j =
      json::parse(summary_json(small_scenario(), {small_result(0)}, 99, SeedSource::kScenario));
  const json& replicate = j.at("replicates").at(0);
  EXPECT_EQ(replicate.at("replicate"), 0);
  EXPECT_EQ(replicate.at("wall_seconds"), 0.25);
  const json& figures = replicate.at("figures");
  EXPECT_EQ(figures.at("time_to_10"), 0.0);
  EXPECT_TRUE(figures.at("time_to_50").is_null());
  EXPECT_TRUE(figures.at("time_to_90").is_null());
  for (const char* key :
       {"vulnerable", "final_infected", "total_infected", "final_patched", "final_cleaned",
        "peak_new_per_minute", "peak_minute_start", "probes", "events"}) {
    EXPECT_TRUE(figures.contains(key)) << key;
  }
  EXPECT_EQ(j.at("ensemble").at("time_to_50").at("reached"), 0);
  EXPECT_TRUE(j.at("ensemble").at("time_to_50").at("median").is_null());
}

TEST(Output, JsonEnsembleHasMeanMinMedianMaxOverReplicates) {
  std::vector<Result> results = {small_result(0), small_result(1), small_result(2)};
  results[1].figures.time_to_50 = 40.0;
  results[2].figures.time_to_50 = 10.0;
  const json e =
      json::parse(summary_json(small_scenario(), results, 99, SeedSource::kScenario))["ensemble"];
  const json& peak = e.at("peak_new_per_minute");  // 2, 3, 4
  EXPECT_EQ(peak.at("min"), 2);
  EXPECT_EQ(peak.at("median"), 3);
  EXPECT_EQ(peak.at("max"), 4);
  EXPECT_DOUBLE_EQ(peak.at("mean").get<double>(), 3.0);
  const json& t50 = e.at("time_to_50");  // reached by two replicates
  EXPECT_EQ(t50.at("reached"), 2);
  EXPECT_EQ(t50.at("min"), 10.0);
  EXPECT_EQ(t50.at("median"), 25.0);
  EXPECT_EQ(t50.at("max"), 40.0);
  EXPECT_EQ(e.at("time_to_10").at("reached"), 3);
}

TEST(Output, JsonEchoesThePatchSystemUnderItsTomlKeys) {
  const json s = json::parse(summary_json(patch_scenario(), {patch_result(0)}, 99,
                                          SeedSource::kScenario))
                     .at("scenario");
  EXPECT_EQ(s.at("population").at("groups"), json::parse(R"([
      {"name": "servers", "share": 0.2, "count": null,
       "exposure": {"internet": 0.5, "internal": 0.5, "nat": 0.0}, "criticality": 3.0},
      {"name": "desktops", "share": 0.8, "count": null,
       "exposure": {"internet": 0.0, "internal": 0.25, "nat": 0.75}, "criticality": 1.0}])"));
  EXPECT_EQ(s.at("patching"), json::parse(R"({
      "enabled": true, "release": -172800.0, "half_life": 259200.0, "never_fraction": 0.25,
      "cures_infected": true, "importance": 2.0,
      "policies": [
        {"group": "servers", "kind": "central", "adoption": "exponential",
         "half_life": 2592000.0, "never_fraction": 0.0, "fast_share": 0.5,
         "fast_half_life": 604800.0, "slow_half_life": 0.0, "curve": [],
         "news": {"enabled": false, "after": null, "infected": null, "factor": 2.0},
         "service": "wsus"},
        {"group": "desktops", "kind": "self", "adoption": "two-population",
         "half_life": 2592000.0, "never_fraction": 0.0, "fast_share": 0.6,
         "fast_half_life": 172800.0, "slow_half_life": 3456000.0, "curve": [],
         "news": {"enabled": true, "after": 3600.0, "infected": null, "factor": 3.0},
         "service": ""}],
      "services": [
        {"name": "wsus", "capacity": 500.0, "approval_delay": 14400.0,
         "working_hours": ["09:00", "17:30"], "weekdays_only": false,
         "priority": {"rule": "exposure-first",
                      "weights": {"importance": 2.0, "exposure": 1.0, "criticality": 0.5}},
         "min_score": 1.5,
         "rings": [{"name": "pilot", "share": 0.1, "qa_delay": 86400.0},
                   {"name": "broad", "share": 0.9, "qa_delay": 0.0}]}],
      "bad_patch": {"enabled": true, "probability": 0.05, "half_life": 259200.0,
                    "outage": 28800.0, "fix_release": 432000.0, "repatch_mean": 43200.0}})"));
  EXPECT_EQ(s.at("cleanup"), json::parse(R"({"enabled": true, "mean_delay": 21600.0,
                                              "groups": {"servers": 7200.0,
                                                         "desktops": 259200.0}})"));
  EXPECT_EQ(s.at("run").at("clock"), "Fri 16:30");
}

TEST(Output, JsonEchoesAbsentOptionalPatchSettingsAsNull) {
  Scenario s = patch_scenario();
  s.population.groups[0].count = 20;
  s.population.groups[1].count = 80;
  s.patching.policies[1].news = {.enabled = true, .after = std::nullopt, .infected = 7,
                                 .factor = 2};
  s.patching.services[0].working_hours.enabled = false;
  s.patching.bad_patch.fix_release.reset();
  s.patching.policies[1].adoption = {.kind = AdoptionKind::kEmpirical,
                                     .curve = {{kDay, 0.8}, {10 * kDay, 0.25}}};
  const json echo =
      json::parse(summary_json(s, {patch_result(0)}, 99, SeedSource::kScenario)).at("scenario");
  EXPECT_EQ(echo.at("population").at("groups").at(0).at("count"), 20);
  const json& policy = echo.at("patching").at("policies").at(1);
  EXPECT_EQ(policy.at("news"),
            json::parse(R"({"enabled": true, "after": null, "infected": 7, "factor": 2.0})"));
  EXPECT_EQ(policy.at("adoption"), "empirical");
  EXPECT_EQ(policy.at("curve"), json::parse("[[86400.0, 0.8], [864000.0, 0.25]]"));
  EXPECT_TRUE(echo.at("patching").at("services").at(0).at("working_hours").is_null());
  EXPECT_TRUE(echo.at("patching").at("bad_patch").at("fix_release").is_null());
  // Without the patch system: empty lists, defaults, the clock at Monday midnight.
  const json plain = json::parse(summary_json(small_scenario(), {small_result(0)}, 99,
                                              SeedSource::kScenario))
                         .at("scenario");
  EXPECT_EQ(plain.at("population").at("groups"), json::array());
  EXPECT_EQ(plain.at("patching").at("policies"), json::array());
  EXPECT_EQ(plain.at("patching").at("services"), json::array());
  EXPECT_EQ(plain.at("patching").at("bad_patch").at("enabled"), false);
  EXPECT_EQ(plain.at("cleanup").at("groups"), json::object());
  EXPECT_EQ(plain.at("run").at("clock"), "Mon 00:00");
}

/// A TOML file with every key of the patch system, each used at least once.
constexpr std::string_view kPatchToml = R"(name = "patch-echo"
[population]
hosts = 100
[[population.groups]]
name = "servers"
share = 0.25
exposure = { internet = 0.5, internal = 0.5, nat = 0.0 }
criticality = 3
[[population.groups]]
name = "desktops"
share = 0.25
[[population.groups]]
name = "laptops"
share = 0.25
[[population.groups]]
name = "kiosks"
share = 0.125
[[population.groups]]
name = "lab"
share = 0.125
[worm]
scan_rate = 1
[patching]
release = "-2d"
importance = 2
cures_infected = true
[[patching.services]]
name = "wsus"
capacity = 500
approval_delay = "4h"
working_hours = ["09:00", "17:30"]
weekdays_only = false
priority = { importance = 2, exposure = 1, criticality = 0.5 }
min_score = 1.5
[[patching.services.rings]]
name = "pilot"
share = 0.25
qa_delay = "1d"
[[patching.services.rings]]
name = "broad"
share = 0.75
[[patching.services]]
name = "sccm"
capacity = 100
priority = "criticality-first"
[[patching.policies]]
group = "servers"
kind = "central"
service = "wsus"
[[patching.policies]]
group = "desktops"
kind = "self"
adoption = "two-population"
fast_share = 0.5
fast_half_life = "2d"
slow_half_life = "40d"
news = { after = "1h", factor = 3 }
[[patching.policies]]
group = "laptops"
kind = "self"
adoption = "empirical"
curve = [["1d", 0.75], ["10d", 0.25]]
news = { infected = 5, factor = 2 }
[[patching.policies]]
group = "kiosks"
kind = "self"
adoption = "exponential"
half_life = "30d"
never_fraction = 0.125
[[patching.policies]]
group = "lab"
kind = "none"
[patching.bad_patch]
probability = 0.05
half_life = "3d"
outage = "8h"
fix_release = "5d"
repatch_mean = "12h"
[cleanup]
mean_delay = "1d"
groups = { servers = "2h" }
[run]
duration = 60
report_interval = 60
clock = "Fri 16:30"
)";

/// Whether `object` has each of `keys`; names the missing ones.
::testing::AssertionResult has_keys(const json& object, std::vector<std::string_view> keys) {
  std::string missing;
  for (std::string_view key : keys) {
    if (!object.contains(std::string(key))) missing += fmt::format(" {}", key);
  }
  if (missing.empty()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "missing:" << missing << " in " << object.dump();
}

TEST(Output, JsonEchoOfATomlFileHasEveryTomlKeyOfThePatchSystem) {
  const Scenario scenario = parse_scenario_toml(kPatchToml, "patch.toml");
  const json s =
      json::parse(summary_json(scenario, {}, 1, SeedSource::kScenario)).at("scenario");
  // The key lists of scenario_toml.cpp, table by table.
  EXPECT_TRUE(has_keys(s.at("population"), {"hosts", "types", "placement", "groups"}));
  ASSERT_EQ(s.at("population").at("groups").size(), 5u);
  for (const json& group : s.at("population").at("groups")) {
    EXPECT_TRUE(has_keys(group, {"name", "share", "count", "exposure", "criticality"}));
    EXPECT_TRUE(has_keys(group.at("exposure"), {"internet", "internal", "nat"}));
  }
  const json& patching = s.at("patching");
  EXPECT_TRUE(has_keys(patching, {"release", "half_life", "never_fraction", "cures_infected",
                                  "importance", "policies", "services", "bad_patch"}));
  ASSERT_EQ(patching.at("policies").size(), 5u);
  for (const json& policy : patching.at("policies")) {
    EXPECT_TRUE(has_keys(policy, {"group", "kind", "adoption", "half_life", "never_fraction",
                                  "fast_share", "fast_half_life", "slow_half_life", "curve",
                                  "news", "service"}));
    EXPECT_TRUE(has_keys(policy.at("news"), {"after", "infected", "factor"}));
  }
  ASSERT_EQ(patching.at("services").size(), 2u);
  for (const json& service : patching.at("services")) {
    EXPECT_TRUE(has_keys(service, {"name", "capacity", "approval_delay", "working_hours",
                                   "weekdays_only", "priority", "min_score", "rings"}));
    EXPECT_TRUE(has_keys(service.at("priority").at("weights"),
                         {"importance", "exposure", "criticality"}));
  }
  for (const json& ring : patching.at("services").at(0).at("rings")) {
    EXPECT_TRUE(has_keys(ring, {"name", "share", "qa_delay"}));
  }
  EXPECT_TRUE(has_keys(patching.at("bad_patch"),
                       {"probability", "half_life", "outage", "fix_release", "repatch_mean"}));
  EXPECT_TRUE(has_keys(s.at("cleanup"), {"mean_delay", "groups"}));
  EXPECT_TRUE(
      has_keys(s.at("run"), {"duration", "report_interval", "seed", "replicates", "clock"}));

  // The values read back as the file wrote them (times in seconds, clocks as in the file).
  const json& wsus = patching.at("services").at(0);
  EXPECT_EQ(wsus.at("working_hours"), json({"09:00", "17:30"}));
  EXPECT_EQ(wsus.at("weekdays_only"), false);
  EXPECT_EQ(wsus.at("approval_delay"), 14400.0);
  EXPECT_EQ(wsus.at("priority"),
            json::parse(R"({"rule": "score", "weights": {"importance": 2.0, "exposure": 1.0,
                                                          "criticality": 0.5}})"));
  EXPECT_EQ(wsus.at("rings").at(0).at("qa_delay"), 86400.0);
  EXPECT_EQ(patching.at("services").at(1).at("priority").at("rule"), "criticality-first");
  EXPECT_TRUE(patching.at("services").at(1).at("working_hours").is_null());
  EXPECT_EQ(patching.at("policies").at(0).at("service"), "wsus");
  EXPECT_EQ(patching.at("policies").at(1).at("news").at("after"), 3600.0);
  EXPECT_EQ(patching.at("policies").at(2).at("curve"),
            json::parse("[[86400.0, 0.75], [864000.0, 0.25]]"));
  EXPECT_EQ(patching.at("policies").at(2).at("news").at("infected"), 5);
  EXPECT_EQ(patching.at("policies").at(3).at("never_fraction"), 0.125);
  EXPECT_EQ(patching.at("policies").at(4).at("kind"), "none");
  EXPECT_EQ(patching.at("bad_patch").at("fix_release"), 432000.0);
  EXPECT_EQ(s.at("cleanup").at("groups"), json::parse(R"({"servers": 7200.0})"));
  EXPECT_EQ(s.at("run").at("clock"), "Fri 16:30");
  EXPECT_EQ(s.at("population").at("groups").at(0).at("exposure"),
            json::parse(R"({"internet": 0.5, "internal": 0.5, "nat": 0.0})"));
}

TEST(Output, JsonEchoesClockReadingsAsTheTomlFileWritesThem) {
  EXPECT_EQ(detail::format_time_of_day(0), "00:00");
  EXPECT_EQ(detail::format_time_of_day(9 * kHour + 5 * kMinute), "09:05");
  EXPECT_EQ(detail::format_time_of_day(kDay), "24:00");
  EXPECT_EQ(detail::format_time_of_day(30), "00:00:30");
  EXPECT_EQ(detail::format_time_of_week(0), "Mon 00:00");
  EXPECT_EQ(detail::format_time_of_week(4 * kDay + 16 * kHour), "Fri 16:00");
  EXPECT_EQ(detail::format_time_of_week(7 * kDay - kMinute), "Sun 23:59");
  EXPECT_EQ(detail::format_time_of_week(7 * kDay + kHour), "Mon 01:00");
  for (const char* clock : {"Mon 00:00", "Wed 12:34", "Sun 23:59"}) {
    const Scenario s = parse_scenario_toml(
        fmt::format("name = \"c\"\n[population]\nhosts = 1\n[worm]\nscan_rate = 1\n"
                    "[run]\nduration = 60\nreport_interval = 60\nclock = \"{}\"\n",
                    clock),
        "c.toml");
    EXPECT_EQ(detail::format_time_of_week(s.run.clock), clock);
  }
}

TEST(Output, JsonFiguresHaveThePatchFiguresAndOneObjectPerGroup) {
  const json figures = json::parse(summary_json(patch_scenario(), {patch_result(0)}, 99,
                                                SeedSource::kScenario))
                           .at("replicates")
                           .at(0)
                           .at("figures");
  EXPECT_EQ(figures.at("breaks"), 4);
  EXPECT_EQ(figures.at("outage_host_hours"), 12.5);
  EXPECT_EQ(figures.at("patched_at_start"), 0.25);
  EXPECT_EQ(figures.at("groups"), json::parse(R"([
      {"name": "servers", "hosts": 20, "patched_at_start": 0.5, "half_life": 10800.0,
       "infected": 2, "final_patched": 14, "final_cleaned": 1, "breaks": 1,
       "outage_host_hours": 8.0},
      {"name": "desktops", "hosts": 80, "patched_at_start": 0.1875, "half_life": null,
       "infected": 13, "final_patched": 16, "final_cleaned": 4, "breaks": 3,
       "outage_host_hours": 4.5}])"));
}

TEST(Output, JsonEnsembleHasThePatchFiguresAndStatisticsPerGroup) {
  std::vector<Result> results = {patch_result(0), patch_result(1), patch_result(2)};
  results[1].figures.breaks = 6;
  results[2].figures.breaks = 11;
  results[1].figures.groups[0].half_life = 5 * kHour;
  results[2].figures.groups[0].half_life.reset();
  results[1].figures.groups[1].half_life = 2 * kDay;
  results[2].figures.groups[1].infected = 20;
  const json e =
      json::parse(summary_json(patch_scenario(), results, 99, SeedSource::kScenario))["ensemble"];
  EXPECT_EQ(e.at("breaks"), json::parse(R"({"mean": 7.0, "min": 4, "median": 6, "max": 11})"));
  EXPECT_EQ(e.at("outage_host_hours").at("median"), 12.5);
  EXPECT_EQ(e.at("patched_at_start").at("median"), 0.25);
  const json& groups = e.at("groups");
  ASSERT_EQ(groups.size(), 2u);
  const auto ordered = nlohmann::ordered_json::parse(
      summary_json(patch_scenario(), results, 99, SeedSource::kScenario));
  EXPECT_EQ(ordered.at("ensemble").at("groups").begin().key(), "servers");  // figures' order
  const json& servers = groups.at("servers");
  EXPECT_TRUE(has_keys(servers, {"hosts", "patched_at_start", "half_life", "infected",
                                 "final_patched", "final_cleaned", "breaks",
                                 "outage_host_hours"}));
  EXPECT_EQ(servers.at("hosts"), json::parse(R"({"mean": 20.0, "min": 20, "median": 20,
                                                 "max": 20})"));
  EXPECT_EQ(servers.at("half_life"),
            json::parse(R"({"reached": 2, "mean": 14400.0, "min": 10800.0, "median": 14400.0,
                            "max": 18000.0})"));
  const json& desktops = groups.at("desktops");
  EXPECT_EQ(desktops.at("half_life").at("reached"), 1);
  EXPECT_EQ(desktops.at("half_life").at("median"), 172800.0);
  EXPECT_EQ(desktops.at("infected").at("median"), 13);
  EXPECT_EQ(desktops.at("infected").at("max"), 20);
  EXPECT_EQ(desktops.at("outage_host_hours").at("mean"), 4.5);
}

TEST(Output, JsonEnsembleOfNoResultsHasNoGroups) {
  const json e =
      json::parse(summary_json(patch_scenario(), {}, 99, SeedSource::kScenario))["ensemble"];
  EXPECT_EQ(e.at("groups"), json::object());
  EXPECT_TRUE(e.at("breaks").at("median").is_null());
}

TEST(Output, WriteOutputsCreatesDirectoryAndLeavesNoTemporaryFiles) {
  const TempDir tmp;
  const fs::path dir = tmp.path() / "a" / "b";
  const Scenario s = small_scenario();
  const std::vector<Result> results = {small_result(0)};
  write_outputs(dir.string(), s, results, 99, SeedSource::kScenario);
  EXPECT_EQ(files_in(dir), (std::vector<std::string>{"summary.json", "timeseries.csv"}));
  EXPECT_EQ(read_file(dir / "timeseries.csv"), timeseries_csv(s, results));
  // summary.json is summary_json() with the record of the run's files added last.
  json written = json::parse(read_file(dir / "summary.json"));
  ASSERT_TRUE(written.contains("outputs"));
  written.erase("outputs");
  EXPECT_EQ(written, json::parse(summary_json(s, results, 99, SeedSource::kScenario)));
}

TEST(Output, WriteOutputsReplacesExistingFiles) {
  const TempDir tmp;
  std::ofstream(tmp.path() / "timeseries.csv") << "old contents that are longer than the new ones";
  const std::vector<Result> results = {small_result(0)};
  write_outputs(tmp.path().string(), small_scenario(), results, 99, SeedSource::kScenario);
  EXPECT_EQ(read_file(tmp.path() / "timeseries.csv"), timeseries_csv(small_scenario(), results));
  EXPECT_EQ(files_in(tmp.path()).size(), 2u);
}

TEST(Output, WriteOutputsUnderARegularFileThrowsUsageErrorNamingThePath) {
  const TempDir tmp;
  std::ofstream(tmp.path() / "plain") << "not a directory";
  const std::string dir = (tmp.path() / "plain" / "out").string();
  try {
    write_outputs(dir, small_scenario(), {small_result(0)}, 99, SeedSource::kScenario);
    FAIL() << "expected UsageError";
  } catch (const UsageError& e) {
    EXPECT_EQ(std::string(e.what()),
              "cannot create output directory '" + dir + "': Not a directory");
  }
  EXPECT_EQ(files_in(tmp.path()), std::vector<std::string>{"plain"});
}

TEST(Output, WriteOutputsOverADirectoryThrowsAndWritesNothing) {
  const TempDir tmp;
  fs::create_directory(tmp.path() / "summary.json");
  try {
    write_outputs(tmp.path().string(), small_scenario(), {small_result(0)}, 99,
                  SeedSource::kScenario);
    FAIL() << "expected UsageError";
  } catch (const UsageError& e) {
    EXPECT_EQ(std::string(e.what()),
              "cannot write '" + (tmp.path() / "summary.json").string() + "': Is a directory");
  }
  EXPECT_EQ(files_in(tmp.path()), std::vector<std::string>{"summary.json"});
}

TEST(Output, SummaryTextOfOneReplicate) {
  Result r = small_result(0);
  r.figures.peak_minute_start = 7.2 * kHour;
  r.figures.time_to_50 = 7.1 * kHour;
  Scenario s = small_scenario();
  s.cleanup.enabled = false;
  s.patching.enabled = false;  // no patched rows, no table of groups
  const std::string text = summary_text(s, {r}, 99, 0.1);
  EXPECT_EQ(text,
            "tiny — Testworm, 10 vulnerable hosts, 1 replicate, seed 99\n"
            "  final infected              3 (30.0 %)\n"
            "  peak new infections/min     2 (at 7.2 h)\n"
            "  time to 10 % / 50 % / 90 %  0 s / 7.1 h / never\n"
            "  wall time                   0.1 s (1.5e+06 simulated probes, 1.5e+07 per wall-clock second)\n");
}

TEST(Output, SummaryTextOfSeveralReplicatesShowsMediansAndRanges) {
  std::vector<Result> results = {small_result(0), small_result(1), small_result(2)};
  results[0].figures.time_to_50 = 96.0;
  results[1].figures.time_to_50 = 2 * kMinute;
  const std::string text = summary_text(small_scenario(), results, 7, 1.0);
  EXPECT_NE(text.find("3 replicates (median [min–max]), seed 7\n"), std::string::npos) << text;
  EXPECT_NE(text.find("  peak new infections/min     3 (at 0 s) [2–4]\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("  time to 50 %                1.8 min [1.6 min–2 min] (2 of 3 reached)\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("  time to 90 %                never\n"), std::string::npos) << text;
  EXPECT_NE(text.find("  cleaned                     0 [0–0]\n"), std::string::npos) << text;
}

TEST(Output, SummaryTextShowsThePatchSystemAndATableOfGroups) {
  const std::string text = summary_text(patch_scenario(), {patch_result(0)}, 99, 0.1);
  const std::string rows =
      "tiny — Testworm, 100 vulnerable hosts, 1 replicate, seed 99\n"
      "  final infected              10 (10.0 %)\n"
      "  ever infected               15\n"
      "  peak new infections/min     0 (at 0 s)\n"
      "  time to 10 % / 50 % / 90 %  never / never / never\n"
      "  patched at start            25.0 %\n"
      "  patched                     30\n"
      "  cleaned                     5\n"
      "  bad-patch outage            4 breaks, 12.5 host-hours\n"
      "  wall time                   0.1 s (0.0e+00 simulated probes, 0.0e+00 per wall-clock second)\n";
  const std::string table =
      "  group     hosts   patched   measured  ever infected  patched  cleaned  breaks  outage\n"
      "                   at start  half-life                  at end                   host-h\n"
      "  servers      20    50.0 %        3 h     2 (10.0 %)       14        1       1       8\n"
      "  desktops     80    18.8 %      never    13 (16.2 %)       16        4       3     4.5\n";
  EXPECT_EQ(text, rows + "\n" + table);
  for (std::size_t start = 0, end; (end = text.find('\n', start)) != std::string::npos;
       start = end + 1) {
    EXPECT_LE(end - start, 100u) << text.substr(start, end - start);
  }
}

TEST(Output, SummaryTextTableOfSeveralReplicatesShowsMedians) {
  std::vector<Result> results = {patch_result(0), patch_result(1), patch_result(2)};
  results[1].figures.groups[0].half_life = 5 * kHour;
  results[2].figures.groups[0].half_life.reset();
  results[0].figures.groups[1].infected = 40;
  results[1].figures.groups[1].infected = 8;  // median 13 of 80 hosts
  results[2].figures.breaks = 8;
  results[2].figures.outage_host_hours = 250;
  results[2].figures.patched_at_start = 0.5;
  const std::string text = summary_text(patch_scenario(), results, 7, 1.0);
  EXPECT_NE(text.find("\n  patched at start            25.0 % [25.0 %–50.0 %]\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("\n  bad-patch outage            4 [4–8] breaks, 12.5 [12.5–250] "
                      "host-hours\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("\n  group      hosts   patched   measured  ever infected"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("\n  (medians)         at start  half-life                  at end"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("\n  servers       20    50.0 %  4 h (2/3)  "), std::string::npos) << text;
  EXPECT_NE(text.find("\n  desktops      80    18.8 %      never    13 (16.2 %)"),
            std::string::npos)
      << text;
}

TEST(Output, SummaryTextOfGroupsWithoutPatchingShowsNoHalfLife) {
  Scenario s = patch_scenario();
  s.patching.enabled = false;
  s.cleanup.enabled = false;
  Result r = patch_result(0);
  for (GroupFigures& g : r.figures.groups) g.half_life.reset();
  const std::string text = summary_text(s, {r}, 99, 0.1);
  EXPECT_EQ(text.find("patched at start  "), std::string::npos) << text;
  EXPECT_EQ(text.find("bad-patch outage"), std::string::npos) << text;
  EXPECT_EQ(text.find("cleaned"), std::string::npos) << text;
  EXPECT_NE(text.find("\n  group     hosts   patched   measured  ever infected  patched\n"
                      "                   at start  half-life                  at end\n"
                      "  servers      20    50.0 %          —     2 (10.0 %)       14\n"),
            std::string::npos)
      << text;
}

TEST(Output, SummaryTextHasNoTableWithoutPatchingOrGroups) {
  Scenario s = small_scenario();
  s.patching.enabled = false;
  EXPECT_EQ(summary_text(s, {small_result(0)}, 99, 0.1).find("group"), std::string::npos);
  s.patching.enabled = true;
  EXPECT_NE(summary_text(s, {small_result(0)}, 99, 0.1).find("\n  all  "), std::string::npos);
}

TEST(FormatUnits, DurationsUseTheLargestFittingUnit) {
  EXPECT_EQ(detail::format_duration(0), "0 s");
  EXPECT_EQ(detail::format_duration(0.123), "0.12 s");
  EXPECT_EQ(detail::format_duration(8.5), "8.5 s");
  EXPECT_EQ(detail::format_duration(59.97), "1 min");
  EXPECT_EQ(detail::format_duration(23 * kMinute), "23 min");
  EXPECT_EQ(detail::format_duration(5.9 * kHour), "5.9 h");
  EXPECT_EQ(detail::format_duration(24 * kHour), "1 d");
  EXPECT_EQ(detail::format_duration(365 * kDay), "365 d");
  EXPECT_EQ(detail::format_duration(-90), "-1.5 min");
}

TEST(FormatUnits, CountsHaveThousandsSeparators) {
  EXPECT_EQ(detail::format_count(std::uint64_t{0}), "0");
  EXPECT_EQ(detail::format_count(std::uint64_t{999}), "999");
  EXPECT_EQ(detail::format_count(std::uint64_t{359000}), "359,000");
  EXPECT_EQ(detail::format_count(std::uint64_t{18446744073709551615ULL}),
            "18,446,744,073,709,551,615");
  EXPECT_EQ(detail::format_count(2683.6), "2,684");
  EXPECT_EQ(detail::format_count(-1.0), "-1.0e+00");
}

TEST(FormatUnits, BytesUseBinaryUnits) {
  EXPECT_EQ(detail::format_bytes(512), "512 B");
  EXPECT_EQ(detail::format_bytes(1536), "1.5 KiB");
  EXPECT_EQ(detail::format_bytes(std::uint64_t{3} << 30), "3.0 GiB");
}

}  // namespace
}  // namespace patchrace
