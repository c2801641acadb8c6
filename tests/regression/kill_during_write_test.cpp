// End-to-end fault test (issue 15): `kill -9` while `patchrace run` writes its outputs
// leaves complete files or none, never a summary.json beside files of another run, and the
// next run in that folder removes the temporaries the killed one left.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "cli_runner.hpp"

extern char** environ;

namespace patchrace::testing {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr int kKills = 10;
constexpr std::uint64_t kReplicates = 3;
constexpr std::uint64_t kPoints = 12 * 3600 + 1;  // 12 h reported every second
constexpr std::uint64_t kGlobalSeries = 8;        // no groups, no rings

/// 100 hosts reported every second for 12 h, 3 replicates: about 27 MB of CSV, so that
/// writing lasts long enough to be interrupted.
const std::string kScenario =
    "name = \"slow-write\"\n[address_space]\nprefix = \"10.0.0.0/16\"\n[population]\n"
    "hosts = 100\n[worm]\nscan_rate = 1\n[run]\nduration = \"12h\"\nreport_interval = \"1s\"\n"
    "replicates = 3\n";

/// Starts `patchrace run SCENARIO --seed SEED ...` with its output discarded.
pid_t start_run(const fs::path& scenario, const fs::path& out, int seed) {
  const std::vector<std::string> args = {PATCHRACE_BINARY, "run",  scenario.string(), "--out",
                                         out.string(),     "-q",   "--threads",       "1",
                                         "--seed",         std::to_string(seed)};
  std::vector<char*> argv;
  for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  pid_t pid = -1;
  const int error = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  return error == 0 ? pid : -1;
}

/// The names in `dir`, sorted (none if it does not exist).
std::vector<std::string> names_in(const fs::path& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    names.push_back(it->path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

/// Whether `dir` holds a temporary of process `pid`.
bool has_temporary_of(const fs::path& dir, pid_t pid) {
  const std::string mark = ".tmp-" + std::to_string(pid);
  for (const std::string& name : names_in(dir)) {
    if (name.ends_with(mark)) return true;
  }
  return false;
}

/// Waits until `pid` has a temporary in `dir` (it is writing), or has exited; true if
/// it is writing.
bool wait_until_writing(const fs::path& dir, pid_t pid) {
  const auto deadline = Clock::now() + std::chrono::seconds(30);
  while (Clock::now() < deadline) {
    if (has_temporary_of(dir, pid)) return true;
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid) return false;
    std::this_thread::sleep_for(std::chrono::microseconds(500));
  }
  return false;
}

/// Checks the folder after a run `pid` ended (killed or not): the only temporaries are
/// `pid`'s; timeseries.csv, if present, is complete; summary.json, if present, parses and
/// lists exactly the files present, matching their size, lines and hash.
void expect_complete_or_absent(const fs::path& out, pid_t pid) {
  const std::string mark = ".tmp-" + std::to_string(pid);
  for (const std::string& name : names_in(out)) {
    const bool output = name == "timeseries.csv" || name == "summary.json";
    const bool own_temporary = name == "timeseries.csv" + mark || name == "summary.json" + mark;
    EXPECT_TRUE(output || own_temporary) << "unexpected file " << name << " after run " << pid;
  }
  const bool has_csv = fs::exists(out / "timeseries.csv");
  std::string csv;
  if (has_csv) {
    csv = read_file(out / "timeseries.csv");
    ASSERT_FALSE(csv.empty());
    EXPECT_EQ(csv.back(), '\n') << "last line of timeseries.csv incomplete";
    EXPECT_EQ(csv.rfind("replicate,time_s,series,group,value\n", 0), 0u);
    EXPECT_EQ(static_cast<std::uint64_t>(std::count(csv.begin(), csv.end(), '\n')),
              1 + kReplicates * kPoints * kGlobalSeries);
    // Every row has its five fields.
    EXPECT_EQ(static_cast<std::uint64_t>(std::count(csv.begin(), csv.end(), ',')),
              4 * (1 + kReplicates * kPoints * kGlobalSeries));
  }
  if (!fs::exists(out / "summary.json")) return;
  json summary;
  ASSERT_NO_THROW(summary = json::parse(read_file(out / "summary.json")));
  const json& files = summary.at("outputs").at("files");
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].at("name"), "timeseries.csv");
  ASSERT_TRUE(has_csv) << "summary.json present without the file it lists";
  EXPECT_EQ(files[0].at("bytes"), csv.size());
  EXPECT_EQ(files[0].at("fnv1a_64"), fnv1a_hex(csv)) << "timeseries.csv from another run";
}

TEST_F(CliRegression, KillDuringWritingLeavesCompleteFilesOrNone) {
  const fs::path scenario = work() / "s.toml";
  const fs::path out = work() / "out";
  write_file(scenario, kScenario);

  // An uninterrupted run measures how long writing lasts on this machine.
  const pid_t first = start_run(scenario, out, 1);
  ASSERT_GT(first, 0);
  ASSERT_TRUE(wait_until_writing(out, first));
  const auto writing_started = Clock::now();
  int status = 0;
  ASSERT_EQ(::waitpid(first, &status, 0), first);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  const auto writing = Clock::now() - writing_started;
  expect_complete_or_absent(out, first);

  // Kills at points spread over the writing, each in its own tenth, jittered.
  std::mt19937 jitter(20260115);
  int killed_while_writing = 0;
  for (int i = 0; i < kKills; ++i) {
    const pid_t pid = start_run(scenario, out, 2 + i);  // a new seed: a mixed set would show
    ASSERT_GT(pid, 0);
    if (wait_until_writing(out, pid)) {
      const double fraction = (i + static_cast<double>(jitter() % 1000) / 1000.0) / kKills;
      std::this_thread::sleep_for(std::chrono::duration_cast<Clock::duration>(writing * fraction));
    }
    ::kill(pid, SIGKILL);
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    if (WIFSIGNALED(status) && has_temporary_of(out, pid)) ++killed_while_writing;
    expect_complete_or_absent(out, pid);
  }
  EXPECT_GE(killed_while_writing, 3) << "too few kills landed while writing to test anything";

  // The next run completes and leaves no temporaries of the killed runs.
  const pid_t last = start_run(scenario, out, 100);
  ASSERT_GT(last, 0);
  ASSERT_EQ(::waitpid(last, &status, 0), last);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_EQ(names_in(out), (std::vector<std::string>{"summary.json", "timeseries.csv"}));
  expect_complete_or_absent(out, last);
  EXPECT_EQ(json::parse(read_file(out / "summary.json")).at("seed"), 100);
}

}  // namespace
}  // namespace patchrace::testing
