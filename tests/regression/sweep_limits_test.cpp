// Regression test of the size of a [sweep] (found while hardening input for issue 15):
// every value is validated on its own copy of the document, so 20,000 values in a 40 KB
// file kept `patchrace validate` busy for minutes. sweep.values holds at most
// kMaxSweepValues values.
#include <gtest/gtest.h>

#include <string>

#include "patchrace/limits.hpp"
#include "cli_runner.hpp"
#include "scenario_error.hpp"

namespace patchrace::testing {
namespace {

/// A scenario sweeping worm.scan_rate over `count` values.
std::string sweep_of(std::size_t count) {
  std::string values;
  for (std::size_t i = 0; i < count; ++i) values += i == 0 ? "1" : ", 1";
  return "name = \"s\"\n[population]\nhosts = 100\n[worm]\nscan_rate = 10\n[run]\n"
         "duration = \"1h\"\nreport_interval = \"10min\"\n[sweep]\nkey = \"worm.scan_rate\"\n"
         "values = [" +
         values + "]\n";
}

TEST(Regression, SweepOfTooManyValuesIsRefusedQuickly) {
  EXPECT_EQ(sweep_error_of(sweep_of(20000)),
            "t.toml:11:10: sweep.values must have at most 100 values, got 20000");
  EXPECT_EQ(sweep_error_of(sweep_of(kMaxSweepValues + 1)),
            "t.toml:11:10: sweep.values must have at most 100 values, got 101");
}

TEST(Regression, SweepOfTheMostValuesIsValid) {
  EXPECT_EQ(sweep_error_of(sweep_of(kMaxSweepValues)), "no error");
}

TEST_F(CliRegression, ValidateSweepOfTooManyValuesExitsTwo) {
  write_file(work() / "s.toml", sweep_of(20000));
  expect_bad_input({"validate", "s.toml"},
                   "s.toml:11:10: sweep.values must have at most 100 values, got 20000", {"s.toml"});
}

}  // namespace
}  // namespace patchrace::testing
