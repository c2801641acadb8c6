// The TOML reader's regressions as a user meets them: `patchrace validate` and `run` on
// files toml++ 3.3.0 mishandled exit with code 2, one located line, and write nothing.
#include <gtest/gtest.h>

#include "cli_runner.hpp"

namespace patchrace::testing {
namespace {

TEST_F(CliRegression, ValidateOpenBracketNewlineExitsTwo) {
  write_file(work() / "s.toml", "[\n");
  expect_bad_input({"validate", "s.toml"},
                   "s.toml:1:2: invalid TOML: error while parsing key: expected bare key "
                   "starting character or string delimiter, saw '\\n'",
                   {"s.toml"});
}

TEST_F(CliRegression, RunNonAsciiAfterValueExitsTwoAndWritesNothing) {
  write_file(work() / "s.toml", "name = \"x\"\n[population]\nhosts = 100\xC2\xA1\n");
  expect_bad_input({"run", "s.toml", "--out", "out"},
                   "s.toml:3:12: invalid TOML: error while parsing decimal integer: expected "
                   "digit, saw '\xC2\xA1'",
                   {"s.toml"});
}

TEST_F(CliRegression, SweepInvalidUtf8ExitsTwoAndWritesNothing) {
  write_file(work() / "s.toml", "name = \"x\"\ndescription = \"\x80\"\n");
  expect_bad_input({"sweep", "s.toml", "--out", "out"},
                   "s.toml:2:16: invalid UTF-8: byte 0x80 at byte offset 26", {"s.toml"});
}

TEST_F(CliRegression, ValidateDeeplyDottedTableExitsTwo) {
  std::string header = "[a";
  for (int i = 1; i < 300000; ++i) header += ".a";
  write_file(work() / "s.toml", header + "]\n");
  expect_bad_input({"validate", "s.toml"},
                   "s.toml:1:66: invalid TOML: a dotted key or table name of more than 32 parts, "
                   "expected at most 32",
                   {"s.toml"});
}

}  // namespace
}  // namespace patchrace::testing
