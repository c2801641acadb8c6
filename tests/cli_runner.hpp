// Running the built patchrace binary from a test, as a user would: in a fresh temporary
// directory, through the shell, capturing the exit code, stdout and stderr. The fixture of
// the CLI tests (tests/cli_test.cpp) and of the regression tests (tests/regression/).
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace patchrace::testing {

namespace fs = std::filesystem;

inline std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void write_file(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

/// FNV-1a 64 of `data` in hex, written out here as the tests' oracle of the hashes that
/// summary.json records for its files.
inline std::string fnv1a_hex(const std::string& data) {
  std::uint64_t hash = 0xcbf29ce484222325ull;
  for (unsigned char c : data) {
    hash ^= c;
    hash *= 0x100000001b3ull;
  }
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash));
  return text;
}

/// Single-quotes `arg` for /bin/sh.
inline std::string shell_quote(const std::string& arg) {
  std::string quoted = "'";
  for (char c : arg) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

/// What one run of the binary gave.
struct Outcome {
  int exit_code = -1;  // 128 + signal number when killed by a signal
  std::string out;
  std::string err;
};

/// A temporary working directory (removed at the end) in which the binary is run.
class CliFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "patchrace-cli-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    root_ = pattern;
    work_ = root_ / "work";
    fs::create_directory(work_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }

  /// Runs `patchrace args...` in work() and captures its exit code and output.
  [[nodiscard]] Outcome run(const std::vector<std::string>& args) const {
    std::string command = "cd " + shell_quote(work_.string()) + " && " + PATCHRACE_BINARY;
    for (const std::string& arg : args) command += ' ' + shell_quote(arg);
    command += " >" + shell_quote((root_ / "stdout").string());
    command += " 2>" + shell_quote((root_ / "stderr").string()) + " </dev/null";
    const int status = std::system(command.c_str());
    Outcome outcome;
    outcome.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    outcome.out = read_file(root_ / "stdout");
    outcome.err = read_file(root_ / "stderr");
    return outcome;
  }

  /// Every file below work(), relative to it, sorted.
  [[nodiscard]] std::vector<std::string> work_files() const {
    std::vector<std::string> files;
    for (const auto& entry : fs::recursive_directory_iterator(work_)) {
      files.push_back(fs::relative(entry.path(), work_).string());
    }
    std::sort(files.begin(), files.end());
    return files;
  }

  /// Asserts a failed run: exit code 2, exactly `message` as the one line on stderr,
  /// nothing on stdout, and no files in work() other than `inputs`.
  void expect_bad_input(const std::vector<std::string>& args, const std::string& message,
                        std::vector<std::string> inputs = {}) const {
    const Outcome o = run(args);
    EXPECT_EQ(o.exit_code, 2) << o.err;
    EXPECT_EQ(o.err, "patchrace: error: " + message + "\n");
    EXPECT_EQ(o.out, "");
    std::sort(inputs.begin(), inputs.end());
    EXPECT_EQ(work_files(), inputs);
  }

  [[nodiscard]] const fs::path& work() const { return work_; }
  [[nodiscard]] const fs::path& root() const { return root_; }

 private:
  fs::path root_;
  fs::path work_;
};

/// The regression tests' name for the fixture.
class CliRegression : public CliFixture {};

}  // namespace patchrace::testing
