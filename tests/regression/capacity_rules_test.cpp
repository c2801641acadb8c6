// Regression tests of the capacity rules (issue 15, item 3): `validate` accepted
// scenarios that `run` then refused with a message naming no file or line: clustered
// placement over its allocated addresses, and more hosts than the engine counts. The rules
// are now part of find_violation() (clustered: find_capacity_violation() in
// src/model/placement.cpp), so the loader locates them and the engine never meets them.
#include <gtest/gtest.h>

#include <string>

#include "patchrace/error.hpp"
#include "patchrace/scenario_file.hpp"
#include "cli_runner.hpp"
#include "scenario_error.hpp"

namespace patchrace::testing {
namespace {

/// 600 hosts clustered in 10.20.0.0/23 with the second /24 excluded: 256 addresses left.
const std::string kOverCapacity =
    "name = \"over\"\n"
    "[population]\n"
    "hosts = 600\n"
    "[population.placement]\n"
    "kind = \"clustered\"\n"
    "allocated = [\"10.20.0.0/23\"]\n"
    "[worm]\n"
    "scan_rate = 10\n"
    "excluded = [\"10.20.1.0/24\"]\n"
    "[run]\n"
    "duration = \"1h\"\n"
    "report_interval = \"10min\"\n"
    "seed = 1\n";

/// Allocated prefixes wholly outside the address space 10.0.0.0/16.
const std::string kDisjoint =
    "name = \"disjoint\"\n"
    "[address_space]\n"
    "prefix = \"10.0.0.0/16\"\n"
    "[population]\n"
    "hosts = 10\n"
    "[population.placement]\n"
    "kind = \"clustered\"\n"
    "allocated = [\"192.0.2.0/24\", \"198.51.100.0/24\"]\n"
    "[worm]\n"
    "scan_rate = 10\n"
    "[run]\n"
    "duration = \"1h\"\n"
    "report_interval = \"10min\"\n"
    "seed = 1\n";

const std::string kOverCapacityMessage =
    "population.hosts must be at most 256 for clustered placement (the 256 allocated addresses "
    "of population.placement.allocated (1 prefix) inside the address space 0.0.0.0/0 and outside "
    "worm.excluded), got 600";

const std::string kDisjointMessage =
    "population.placement.allocated must overlap the address space 10.0.0.0/16 for clustered "
    "placement (hosts are placed only in allocated addresses inside it), got 2 prefixes, none "
    "inside it";

TEST(Regression, ValidateRejectsClusteredOverCapacity) {
  EXPECT_EQ(scenario_error_of(kOverCapacity), "t.toml:3:9: " + kOverCapacityMessage);
}

TEST(Regression, ValidateRejectsAllocatedPrefixesDisjointFromTheSpace) {
  EXPECT_EQ(scenario_error_of(kDisjoint), "t.toml:8:13: " + kDisjointMessage);
}

TEST(Regression, ValidateRejectsClusteredOverCapacityInASweepValue) {
  EXPECT_EQ(sweep_error_of("name = \"s\"\n[population]\nhosts = 100\n[population.placement]\n"
                           "kind = \"clustered\"\nallocated = [\"10.20.0.0/23\"]\n[worm]\n"
                           "scan_rate = 10\n[run]\nduration = \"1h\"\nreport_interval = \"10min\"\n"
                           "[sweep]\nkey = \"population.hosts\"\nvalues = [100, 513]\n"),
            "t.toml:14:16: population.hosts must be at most 512 for clustered placement (the 512 "
            "allocated addresses of population.placement.allocated (1 prefix) inside the address "
            "space 0.0.0.0/0 and outside worm.excluded), got 513 (with population.hosts = 513, "
            "sweep.values[1])");
}

TEST(Regression, ClusteredAtCapacityIsValid) {
  std::string at_capacity = kOverCapacity;
  at_capacity.replace(at_capacity.find("600"), 3, "256");
  EXPECT_EQ(scenario_error_of(at_capacity), "no error");
}

TEST(Regression, ValidateRejectsMoreHostsThanTheEngineCounts) {
  // 2^32 hosts fit the whole of IPv4, but the engine counts hosts in 32 bits; only the
  // run refused them (after the memory check), without a location.
  const std::string text =
      "name = \"all\"\n[address_space]\nprefix = \"0.0.0.0/0\"\n[population]\n"
      "hosts = 4294967296\n[worm]\nscan_rate = 10\n[run]\nduration = \"1h\"\n"
      "report_interval = \"10min\"\n";
  EXPECT_EQ(scenario_error_of(text),
            "t.toml:5:9: population.hosts must be between 1 and 4294967295 (the engine counts "
            "hosts in 32 bits), got 4294967296");
}

TEST_F(CliRegression, ValidateAndRunRejectClusteredOverCapacityAlike) {
  write_file(work() / "s.toml", kOverCapacity);
  expect_bad_input({"validate", "s.toml"}, "s.toml:3:9: " + kOverCapacityMessage, {"s.toml"});
  expect_bad_input({"run", "s.toml", "--out", "out"}, "s.toml:3:9: " + kOverCapacityMessage,
                   {"s.toml"});
}

TEST_F(CliRegression, ValidateAndRunRejectDisjointAllocatedAlike) {
  write_file(work() / "s.toml", kDisjoint);
  expect_bad_input({"validate", "s.toml"}, "s.toml:8:13: " + kDisjointMessage, {"s.toml"});
  expect_bad_input({"run", "s.toml", "--out", "out"}, "s.toml:8:13: " + kDisjointMessage,
                   {"s.toml"});
}

}  // namespace
}  // namespace patchrace::testing
