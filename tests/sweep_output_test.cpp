// The outputs of a parameter sweep: sweep.csv, sweep.json and the printed table.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "patchrace/sweep_output.hpp"

namespace patchrace {
namespace {

ScenarioSweep two_value_sweep() {
  ScenarioSweep sweep;
  sweep.base.name = "trade-off";
  sweep.base.population.hosts = 1000;
  sweep.key = "patching.services[0].rings[0].qa_delay";
  sweep.labels = {"0d", "2d"};
  sweep.scenarios = {sweep.base, sweep.base};
  return sweep;
}

Result result(std::uint64_t replicate, std::uint64_t infected, std::uint64_t breaks, double outage,
              std::optional<double> t50) {
  Result r;
  r.replicate = replicate;
  r.figures.total_infected = infected;
  r.figures.final_infected = infected;
  r.figures.final_patched = 1000 - infected;
  r.figures.breaks = breaks;
  r.figures.outage_host_hours = outage;
  r.figures.patched_at_start = 0.5;
  r.figures.time_to_50 = t50;
  return r;
}

SweepResults two_value_results() {
  SweepResults results;
  results.results = {{result(0, 10, 30, 240, std::nullopt), result(1, 12, 34, 272, std::nullopt)},
                     {result(0, 600, 4, 32.5, 86400.0), result(1, 800, 6, 48, std::nullopt)}};
  return results;
}

TEST(SweepOutput, CsvHasOneRowPerValueAndReplicate) {
  EXPECT_EQ(sweep_csv(two_value_sweep(), two_value_results()),
            "value,replicate,total_infected,final_infected,final_patched,final_cleaned,"
            "time_to_50_s,patched_at_start,breaks,outage_host_hours\n"
            "0d,0,10,10,990,0,,0.5,30,240\n"
            "0d,1,12,12,988,0,,0.5,34,272\n"
            "2d,0,600,600,400,0,86400,0.5,4,32.5\n"
            "2d,1,800,800,200,0,,0.5,6,48\n");
}

TEST(SweepOutput, CsvQuotesValuesWithCommas) {
  ScenarioSweep sweep = two_value_sweep();
  sweep.labels[0] = "a,b";
  const std::string csv = sweep_csv(sweep, two_value_results());
  EXPECT_NE(csv.find("\n\"a,b\",0,"), std::string::npos) << csv;
}

TEST(SweepOutput, JsonHasTheKeySeedAndEachValuesEnsemble) {
  const auto j = nlohmann::json::parse(
      sweep_json(two_value_sweep(), two_value_results(), 42, SeedSource::kCommandLine));
  EXPECT_EQ(j.at("key"), "patching.services[0].rings[0].qa_delay");
  EXPECT_EQ(j.at("seed"), 42);
  EXPECT_EQ(j.at("seed_source"), "command-line");
  EXPECT_EQ(j.at("scenario").at("name"), "trade-off");
  ASSERT_EQ(j.at("points").size(), 2u);
  EXPECT_EQ(j.at("points")[1].at("value"), "2d");
  EXPECT_EQ(j.at("points")[1].at("ensemble").at("total_infected").at("median"), 700.0);
  EXPECT_EQ(j.at("points")[1].at("ensemble").at("time_to_50").at("reached"), 1);
}

TEST(SweepOutput, TextIsATableOfMedians) {
  EXPECT_EQ(sweep_text(two_value_sweep(), two_value_results(), 42, 1.5),
            "trade-off — sweep of patching.services[0].rings[0].qa_delay over 2 values, 2 "
            "replicates each (medians), seed 42\n"
            "  value  ever infected  patched at start  time to 50 %  breaks  outage host-h\n"
            "  0d        11 (1.1 %)            50.0 %         never      32            256\n"
            "  2d      700 (70.0 %)            50.0 %     1 d (1/2)       5             40\n"
            "  wall time 1.5 s\n");
}

}  // namespace
}  // namespace patchrace
