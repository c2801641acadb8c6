// Regression tests of string lengths in scenarios (issue 15, item 5): a 10 MB description
// was copied into every summary.json. Names, the description and labels are capped
// (patchrace/limits.hpp), and messages quote only the start of a long value.
#include <gtest/gtest.h>

#include <string>

#include "patchrace/limits.hpp"
#include "cli_runner.hpp"
#include "scenario_error.hpp"

namespace patchrace::testing {
namespace {

/// A valid scenario whose top-level lines are `top` (after the name line, line 2 on) and
/// whose [population] table ends with `population` (from line 4 on, without `top`).
std::string scenario_with(const std::string& top, const std::string& population = "") {
  return "name = \"s\"\n" + top + "[population]\nhosts = 100\n" + population +
         "[worm]\nscan_rate = 10\n[run]\nduration = \"1h\"\nreport_interval = \"10min\"\n";
}

TEST(Regression, OverlongDescriptionIsRefused) {
  const std::string text = scenario_with("description = \"" + std::string(4097, 'd') + "\"\n");
  EXPECT_EQ(scenario_error_of(text),
            "t.toml:2:15: description must be at most 4096 bytes long, got 4097 bytes: \"" +
                std::string(60, 'd') + "\"...");
}

TEST(Regression, DescriptionAtTheLimitIsAccepted) {
  EXPECT_EQ(scenario_error_of(scenario_with("description = \"" + std::string(kMaxDescriptionBytes, 'd') +
                                            "\"\n")),
            "no error");
}

TEST(Regression, OverlongDescriptionIsQuotedUpToACharacterBoundary) {
  // 2100 two-byte characters: 4200 bytes; the 60-byte cut would split the 31st.
  std::string text = "x";
  for (int i = 0; i < 2100; ++i) text += "\xC3\xA9";
  std::string shown = "x";
  for (int i = 0; i < 29; ++i) shown += "\xC3\xA9";
  EXPECT_EQ(scenario_error_of(scenario_with("description = \"" + text + "\"\n")),
            "t.toml:2:15: description must be at most 4096 bytes long, got 4201 bytes: \"" + shown +
                "\"...");
}

TEST(Regression, OverlongScenarioAndWormNamesAreRefused) {
  const std::string name(129, 'n');
  std::string text = scenario_with("");
  text.replace(text.find("\"s\""), 3, "\"" + name + "\"");
  EXPECT_EQ(scenario_error_of(text), "t.toml:1:8: name must be at most 128 bytes long, got 129 bytes: \"" +
                                         std::string(60, 'n') + "\"...");
  text = scenario_with("");
  text.replace(text.find("scan_rate"), 0, "name = \"" + name + "\"\n");
  EXPECT_EQ(scenario_error_of(text),
            "t.toml:5:8: worm.name must be at most 128 bytes long, got 129 bytes: \"" +
                std::string(60, 'n') + "\"...");
}

TEST(Regression, OverlongLabelsAreRefused) {
  const std::string label(65, 'g');
  EXPECT_EQ(scenario_error_of(scenario_with(
                "", "[[population.types]]\nname = \"" + label + "\"\nshare = 1.0\n")),
            "t.toml:5:8: population.types[0].name must be at most 64 bytes long, got 65 bytes: \"" +
                std::string(60, 'g') + "\"...");
  EXPECT_EQ(scenario_error_of(scenario_with(
                "", "[[population.groups]]\nname = \"" + label + "\"\nshare = 1.0\n")),
            "t.toml:5:8: population.groups[0].name must be at most 64 bytes long, got 65 bytes: \"" +
                std::string(60, 'g') + "\"...");
  EXPECT_EQ(scenario_error_of(scenario_with(
                "", "[[population.groups]]\nname = \"" + std::string(64, 'g') + "\"\nshare = 1.0\n")),
            "no error");
}

TEST(Regression, LongUnknownExploitTypeIsQuotedShort) {
  std::string text = scenario_with("");
  text.replace(text.find("[run]"), 0,
               "[[worm.exploits]]\ntype = \"" + std::string(100000, 'x') + "\"\nsuccess = 1.0\n");
  EXPECT_EQ(scenario_error_of(text),
            "t.toml:7:8: worm.exploits[0].type must be \"host\" (the only host type when "
            "population.types is empty), got \"" +
                std::string(60, 'x') + "\"...");
}

TEST_F(CliRegression, RunWithOverlongDescriptionExitsTwoAndWritesNothing) {
  write_file(work() / "s.toml", scenario_with("description = \"" + std::string(1 << 20, 'd') + "\"\n"));
  expect_bad_input({"run", "s.toml", "--out", "out"},
                   "s.toml:2:15: description must be at most 4096 bytes long, got 1048576 bytes: \"" +
                       std::string(60, 'd') + "\"...",
                   {"s.toml"});
}

}  // namespace
}  // namespace patchrace::testing
