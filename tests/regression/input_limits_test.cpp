// Regression tests of bounded reads: scenario and allocation files are refused when they
// are not regular files or are larger than the limits of patchrace/limits.hpp, before and
// while they are read (issue 15, item 1: `validate /dev/zero` grew without bound).
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <string>

#include "io/allocation_file.hpp"
#include "io/text_file.hpp"
#include "patchrace/error.hpp"
#include "patchrace/limits.hpp"
#include "patchrace/scenario_file.hpp"
#include "cli_runner.hpp"

namespace patchrace::testing {
namespace {

/// The message reading `path` with read_text_file() gives, or "no error".
std::string read_message(const std::string& path, std::uint64_t max_bytes) {
  try {
    (void)detail::read_text_file(path, "scenario file", max_bytes);
  } catch (const InvalidScenario& e) {
    return e.what();
  }
  return "no error";
}

std::string load_message(const std::string& path) {
  try {
    (void)load_scenario_file(path);
  } catch (const InvalidScenario& e) {
    return e.what();
  }
  return "no error";
}

/// A temporary directory for input files.
class InputRegression : public CliRegression {};

const std::string kValidScenario =
    "name = \"small\"\n[population]\nhosts = 100\n[worm]\nscan_rate = 10\n"
    "[run]\nduration = \"1h\"\nreport_interval = \"10min\"\nseed = 1\n";

TEST(Regression, ScenarioFromDeviceIsRefused) {
  EXPECT_EQ(load_message("/dev/zero"),
            "cannot read scenario file '/dev/zero': it is a character device, not a regular file");
}

TEST(Regression, AllocationFileFromDeviceIsRefused) {
  try {
    (void)load_allocation_file("/dev/zero");
    FAIL() << "no error";
  } catch (const InvalidScenario& e) {
    EXPECT_STREQ(e.what(),
                 "cannot read allocation file '/dev/zero': it is a character device, not a regular "
                 "file");
  }
}

TEST_F(InputRegression, ScenarioFromFifoIsRefusedWithoutWaiting) {
  const std::string fifo = (work() / "pipe.toml").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  // Opening a FIFO for reading would wait for a writer; the check must not.
  EXPECT_EQ(load_message(fifo),
            "cannot read scenario file '" + fifo + "': it is a FIFO, not a regular file");
}

TEST_F(InputRegression, ScenarioOverTheLimitIsRefused) {
  const fs::path big = work() / "big.toml";
  write_file(big, kValidScenario + "# " + std::string(kMaxScenarioFileBytes, 'x') + "\n");
  const std::uint64_t size = fs::file_size(big);
  EXPECT_EQ(load_message(big.string()),
            "cannot read scenario file '" + big.string() + "': it is " + std::to_string(size) +
                " bytes, more than the limit of 4194304 bytes (4.0 MiB)");
}

TEST_F(InputRegression, ScenarioAtTheLimitIsRead) {
  const fs::path exact = work() / "exact.toml";
  const std::string head = kValidScenario + "# ";
  write_file(exact, head + std::string(kMaxScenarioFileBytes - head.size() - 1, 'x') + "\n");
  ASSERT_EQ(fs::file_size(exact), kMaxScenarioFileBytes);
  EXPECT_EQ(load_message(exact.string()), "no error");
}

TEST(Regression, FileGrowingPastTheLimitWhileReadIsRefused) {
  // /proc files are regular files whose size says 0 and whose content is longer: what a
  // file that grows between fstat() and read() looks like.
  EXPECT_EQ(read_message("/proc/self/maps", 16),
            "cannot read scenario file '/proc/self/maps': it grew past the limit of 16 bytes "
            "(16 B) while it was read");
}

TEST_F(CliRegression, ValidateDevZeroExitsTwoAndWritesNothing) {
  expect_bad_input({"validate", "/dev/zero"},
                   "cannot read scenario file '/dev/zero': it is a character device, not a "
                   "regular file");
}

TEST_F(CliRegression, RunWithDeviceAllocationFileExitsTwoAndWritesNothing) {
  write_file(work() / "s.toml",
             "name = \"alloc\"\n[population]\nhosts = 100\n[population.placement]\n"
             "kind = \"clustered\"\nallocation_file = \"/dev/zero\"\n[worm]\nscan_rate = 10\n"
             "[run]\nduration = \"1h\"\nreport_interval = \"10min\"\nseed = 1\n");
  expect_bad_input({"run", "s.toml", "--out", "out"},
                   "cannot read allocation file '/dev/zero': it is a character device, not a "
                   "regular file",
                   {"s.toml"});
}

TEST_F(CliRegression, SweepOfADirectoryExitsTwoAndWritesNothing) {
  fs::create_directory(work() / "dir.toml");
  expect_bad_input({"sweep", "dir.toml", "--out", "out"},
                   "cannot read scenario file 'dir.toml': it is a directory", {"dir.toml"});
}

}  // namespace
}  // namespace patchrace::testing
