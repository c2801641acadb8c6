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
#include <vector>

#include "io/format_units.hpp"
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

/// Two reported times, small counts; replicate `index`.
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

TEST(Output, CsvHasHeaderAndOneRowPerReplicateTimeAndSeries) {
  const std::string expected =
      "replicate,time_s,series,value\n"
      "0,0,susceptible,9\n"
      "0,0,infected,1\n"
      "0,0,patched,0\n"
      "0,0,cleaned,0\n"
      "0,0,new_infections,1\n"
      "0,0,cumulative_infected,1\n"
      "0,0.5,susceptible,7\n"
      "0,0.5,infected,3\n"
      "0,0.5,patched,0\n"
      "0,0.5,cleaned,0\n"
      "0,0.5,new_infections,2\n"
      "0,0.5,cumulative_infected,3\n";
  EXPECT_EQ(timeseries_csv({small_result(0)}), expected);
}

TEST(Output, CsvPrintsTimesShortestAndLargeCountsAsIntegers) {
  Result r = small_result(3);
  r.series.time = {0.1, 86400.25};
  r.series.values[0] = {4294967296.0, 2.5};
  const std::string csv = timeseries_csv({r});
  EXPECT_NE(csv.find("\n3,0.1,susceptible,4294967296\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find("\n3,86400.25,susceptible,2.5\n"), std::string::npos) << csv;
}

TEST(Output, CsvOfSeveralReplicatesListsThemInOrder) {
  const std::string csv = timeseries_csv({small_result(0), small_result(1)});
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 1 + 2 * 2 * kSeriesCount);
  EXPECT_LT(csv.find("\n0,0.5,cumulative_infected,3\n"), csv.find("\n1,0,susceptible,9\n"));
}

TEST(Output, CsvOfNoResultsIsTheHeaderOnly) {
  EXPECT_EQ(timeseries_csv({}), "replicate,time_s,series,value\n");
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

TEST(Output, WriteOutputsCreatesDirectoryAndLeavesNoTemporaryFiles) {
  const TempDir tmp;
  const fs::path dir = tmp.path() / "a" / "b";
  const Scenario s = small_scenario();
  const std::vector<Result> results = {small_result(0)};
  write_outputs(dir.string(), s, results, 99, SeedSource::kScenario);
  EXPECT_EQ(files_in(dir), (std::vector<std::string>{"summary.json", "timeseries.csv"}));
  EXPECT_EQ(read_file(dir / "timeseries.csv"), timeseries_csv(results));
  EXPECT_EQ(read_file(dir / "summary.json"), summary_json(s, results, 99, SeedSource::kScenario));
}

TEST(Output, WriteOutputsReplacesExistingFiles) {
  const TempDir tmp;
  std::ofstream(tmp.path() / "timeseries.csv") << "old contents that are longer than the new ones";
  const std::vector<Result> results = {small_result(0)};
  write_outputs(tmp.path().string(), small_scenario(), results, 99, SeedSource::kScenario);
  EXPECT_EQ(read_file(tmp.path() / "timeseries.csv"), timeseries_csv(results));
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
  const std::string text = summary_text(s, {r}, 99, 0.1);
  EXPECT_EQ(text,
            "tiny — Testworm, 10 vulnerable hosts, 1 replicate, seed 99\n"
            "  final infected              3 (30.0 %)\n"
            "  peak new infections/min     2 (at 7.2 h)\n"
            "  time to 10 % / 50 % / 90 %  0 s / 7.1 h / never\n"
            "  patched                     0\n"
            "  wall time                   0.1 s (1.5e+06 probes represented, 1.5e+07 "
            "probes/s)\n");
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
