// Regression tests of how outputs appear (issue 15, item 4): after a kill during writing,
// "<name>.tmp-PID" files stayed forever, and timeseries.csv and summary.json were renamed
// separately with nothing tying them together. Now a run removes the temporaries of dead
// processes, and its index (summary.json, sweep.json) lists the files of its run with
// their size, lines and hash, and is renamed last.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "io/atomic_file.hpp"
#include "patchrace/output.hpp"
#include "patchrace/sweep_output.hpp"
#include "cli_runner.hpp"

namespace patchrace::testing {
namespace {

using nlohmann::json;

/// A temporary directory to write outputs into.
class OutputsRegression : public CliRegression {};

/// The pid of a child that has already exited (and been reaped): a process that is gone.
pid_t dead_pid() {
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  int status = 0;
  ::waitpid(child, &status, 0);
  return child;
}

Scenario tiny_scenario() {
  Scenario s;
  s.name = "tiny";
  s.address_space = {0x0a000000, 24};
  s.population.hosts = 10;
  s.worm.scan_rate = 1;
  s.run.duration = 60;
  s.run.report_interval = 30;
  return s;
}

Result tiny_result() {
  Result r;
  r.series.time = {0, 30, 60};
  r.series.values.assign(kSeriesCount, {1, 2, 3});
  return r;
}

/// Checks that the index in `dir` lists exactly `names` with their present contents.
void expect_index_lists(const fs::path& index, const std::vector<std::string>& names) {
  const json j = json::parse(read_file(index));
  const json& outputs = j.at("outputs");
  EXPECT_EQ(outputs.at("run_id").get<std::string>().size(), 16u);
  ASSERT_EQ(outputs.at("files").size(), names.size());
  for (std::size_t i = 0; i < names.size(); ++i) {
    const json& file = outputs.at("files")[i];
    const std::string content = read_file(index.parent_path() / names[i]);
    EXPECT_EQ(file.at("name"), names[i]);
    EXPECT_EQ(file.at("bytes"), content.size());
    EXPECT_EQ(file.at("lines"), static_cast<std::size_t>(std::count(content.begin(), content.end(), '\n')));
    EXPECT_EQ(file.at("fnv1a_64"), fnv1a_hex(content));
  }
}

TEST_F(OutputsRegression, StaleTemporariesOfDeadProcessesAreRemovedByTheNextRun) {
  const fs::path out = work() / "out";
  fs::create_directory(out);
  const std::string dead = std::to_string(dead_pid());
  const std::string alive = std::to_string(::getppid());  // the test's parent outlives the run
  for (const char* name : {"timeseries.csv", "summary.json"}) {
    write_file(out / (std::string(name) + ".tmp-" + dead), "partial");
    write_file(out / (std::string(name) + ".tmp-" + alive), "being written");
  }
  write_file(out / "notes.tmp-1", "a user's file");  // not a name patchrace writes
  write_outputs(out.string(), tiny_scenario(), {tiny_result()}, 7, SeedSource::kScenario);
  std::vector<std::string> left;
  for (const auto& entry : fs::directory_iterator(out)) left.push_back(entry.path().filename());
  std::sort(left.begin(), left.end());
  EXPECT_EQ(left, (std::vector<std::string>{"notes.tmp-1", "summary.json", "summary.json.tmp-" + alive,
                                            "timeseries.csv", "timeseries.csv.tmp-" + alive}));
}

TEST_F(OutputsRegression, StaleSweepTemporariesAreRemovedByTheNextSweep) {
  const fs::path out = work() / "out";
  fs::create_directory(out);
  const std::string dead = std::to_string(dead_pid());
  write_file(out / ("sweep.csv.tmp-" + dead), "partial");
  write_file(out / ("sweep.json.tmp-" + dead), "partial");
  ScenarioSweep sweep;
  sweep.base = tiny_scenario();
  sweep.key = "worm.scan_rate";
  sweep.labels = {"1"};
  sweep.scenarios = {tiny_scenario()};
  write_sweep_outputs(out.string(), sweep, SweepResults{{{tiny_result()}}}, 7, SeedSource::kScenario);
  std::vector<std::string> left;
  for (const auto& entry : fs::directory_iterator(out)) left.push_back(entry.path().filename());
  std::sort(left.begin(), left.end());
  EXPECT_EQ(left, (std::vector<std::string>{"sweep.csv", "sweep.json"}));
  expect_index_lists(out / "sweep.json", {"sweep.csv"});
}

TEST_F(OutputsRegression, SummaryListsTheFilesOfItsRun) {
  const fs::path out = work() / "out";
  write_outputs(out.string(), tiny_scenario(), {tiny_result()}, 7, SeedSource::kScenario);
  expect_index_lists(out / "summary.json", {"timeseries.csv"});
}

TEST_F(OutputsRegression, RunIdDependsOnSeedAndContent) {
  const auto run_id = [&](std::uint64_t seed, double value) {
    Result r = tiny_result();
    r.series.values[0][2] = value;
    write_outputs((work() / "out").string(), tiny_scenario(), {r}, seed, SeedSource::kScenario);
    return json::parse(read_file(work() / "out" / "summary.json")).at("outputs").at("run_id");
  };
  EXPECT_EQ(run_id(7, 3), run_id(7, 3));
  EXPECT_NE(run_id(7, 3), run_id(8, 3));
  EXPECT_NE(run_id(7, 3), run_id(7, 4));
}

TEST_F(OutputsRegression, MixedSetIsDetectedFromTheSummary) {
  // A timeseries.csv from another run beside summary.json (what renaming the two files
  // separately could leave) no longer matches the size and hash summary.json records.
  const fs::path out = work() / "out";
  write_outputs(out.string(), tiny_scenario(), {tiny_result()}, 7, SeedSource::kScenario);
  const json files = json::parse(read_file(out / "summary.json")).at("outputs").at("files");
  Result other = tiny_result();
  other.series.values[0][2] = 4;
  write_file(out / "timeseries.csv", timeseries_csv(tiny_scenario(), {other}));
  EXPECT_NE(files[0].at("fnv1a_64"), fnv1a_hex(read_file(out / "timeseries.csv")));
}

}  // namespace
}  // namespace patchrace::testing
