// Allocation lists (src/io/allocation_file): the format, the merging of overlapping
// prefixes, and every error message in full.
#include "io/allocation_file.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "patchrace/error.hpp"
#include "patchrace/scenario.hpp"

namespace patchrace {
namespace {

Prefix prefix(const char* text, int length) { return {parse_address(text).value(), length}; }

std::string message_of(std::string_view text) {
  try {
    (void)parse_allocation_list(text, "alloc.txt");
  } catch (const InvalidScenario& e) {
    return e.what();
  }
  return "(no exception)";
}

std::string load_message(const std::string& path) {
  try {
    (void)load_allocation_file(path);
  } catch (const InvalidScenario& e) {
    return e.what();
  }
  return "(no exception)";
}

/// A file in the test's temporary directory, removed at the end of the test.
class TempFile {
 public:
  explicit TempFile(const std::string& content)
      : path_(std::filesystem::temp_directory_path() /
              ("patchrace_alloc_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
               ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".txt")) {
    std::ofstream(path_, std::ios::binary) << content;
  }
  ~TempFile() { std::filesystem::remove(path_); }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  [[nodiscard]] std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

TEST(AllocationList, ParsesOneCidrALineWithCommentsBlankLinesAndWhitespace) {
  const auto prefixes = parse_allocation_list(
      "# allocated by 2003\n"
      "\n"
      "  61.0.0.0/8   # APNIC\n"
      "\t24.0.0.0/8\r\n"
      "192.0.2.0/24\n"
      "   \n"
      "1.2.3.4/32",  // no final newline
      "alloc.txt");
  EXPECT_EQ(prefixes, (std::vector<Prefix>{prefix("1.2.3.4", 32), prefix("24.0.0.0", 8), prefix("61.0.0.0", 8),
                                           prefix("192.0.2.0", 24)}));
}

TEST(AllocationList, TheDocumentationExampleParses) {
  // docs/placement.md, "Allocation files".
  const auto prefixes = parse_allocation_list(
      "# Allocated space of a 2003-era study: two RIR /8s and a legacy /8\n"
      "61.0.0.0/8        # APNIC, 1997\n"
      "62.0.0.0/8        # RIPE NCC, 1997\n"
      "18.0.0.0/8        # MIT\n"
      "62.40.0.0/16      # inside 62/8: merged away\n",
      "alloc.txt");
  EXPECT_EQ(prefixes, (std::vector<Prefix>{prefix("18.0.0.0", 8), prefix("61.0.0.0", 8), prefix("62.0.0.0", 8)}));
}

TEST(AllocationList, AcceptsTheWholeSpaceAndSingleAddresses) {
  EXPECT_EQ(parse_allocation_list("0.0.0.0/0\n", "x"), (std::vector<Prefix>{prefix("0.0.0.0", 0)}));
  EXPECT_EQ(parse_allocation_list("255.255.255.255/32\n", "x"), (std::vector<Prefix>{prefix("255.255.255.255", 32)}));
}

TEST(AllocationList, MergesNestedAndRepeatedPrefixesButKeepsAdjacentOnes) {
  const auto prefixes = parse_allocation_list(
      "10.1.0.0/16\n"
      "10.0.0.0/8\n"
      "10.0.0.0/8\n"
      "11.0.0.0/9\n"
      "11.128.0.0/9\n"
      "11.128.5.0/24\n",
      "alloc.txt");
  EXPECT_EQ(prefixes, (std::vector<Prefix>{prefix("10.0.0.0", 8), prefix("11.0.0.0", 9), prefix("11.128.0.0", 9)}));
}

TEST(AllocationList, MalformedCidrIsReportedWithItsLine) {
  const std::string expected_tail = ", expected a.b.c.d/n with n in 0..32";
  EXPECT_EQ(message_of("10.0.0.0/8\n# c\n10.0.0.0\n"), "alloc.txt:3: malformed CIDR '10.0.0.0'" + expected_tail);
}

TEST(AllocationList, PrefixLengthAbove32IsMalformed) {
  EXPECT_EQ(message_of("10.0.0.0/33"), "alloc.txt:1: malformed CIDR '10.0.0.0/33', expected a.b.c.d/n with n in 0..32");
}

TEST(AllocationList, BadAddressIsMalformed) {
  EXPECT_EQ(message_of("\n1.2.3.256/32 # typo"),
            "alloc.txt:2: malformed CIDR '1.2.3.256/32', expected a.b.c.d/n with n in 0..32");
}

TEST(AllocationList, TwoPrefixesOnOneLineAreMalformed) {
  EXPECT_EQ(message_of("10.0.0.0/8 11.0.0.0/8"),
            "alloc.txt:1: malformed CIDR '10.0.0.0/8 11.0.0.0/8', expected a.b.c.d/n with n in 0..32");
}

TEST(AllocationList, ControlCharactersAreEscapedInTheMessage) {
  EXPECT_EQ(message_of("10.0.0.0/8\x1b[2J"),
            "alloc.txt:1: malformed CIDR '10.0.0.0/8\\x1b[2J', expected a.b.c.d/n with n in 0..32");
}

TEST(AllocationList, HostBitsSetAreReportedWithTheNetworkAddress) {
  EXPECT_EQ(message_of("10.0.0.0/8\n10.1.2.3/16\n"),
            "alloc.txt:2: 10.1.2.3/16 has host bits set, expected 10.1.0.0/16");
}

TEST(AllocationList, EmptyListIsRefused) {
  EXPECT_EQ(message_of("# nothing here\n\n   \n"), "alloc.txt: no prefixes, expected at least one CIDR a.b.c.d/n");
  EXPECT_EQ(message_of(""), "alloc.txt: no prefixes, expected at least one CIDR a.b.c.d/n");
}

TEST(AllocationFile, LoadsAFile) {
  const TempFile file("# test\n62.0.0.0/8\n61.0.0.0/8\n");
  EXPECT_EQ(load_allocation_file(file.path()), (std::vector<Prefix>{prefix("61.0.0.0", 8), prefix("62.0.0.0", 8)}));
}

TEST(AllocationFile, ErrorsNameThePathAsGiven) {
  const TempFile file("61.0.0.0/8\n61.0.0.1/8\n");
  EXPECT_EQ(load_message(file.path()), file.path() + ":2: 61.0.0.1/8 has host bits set, expected 61.0.0.0/8");
}

TEST(AllocationFile, MissingFileIsReported) {
  EXPECT_EQ(load_message("/nonexistent/alloc.txt"),
            "cannot read allocation file '/nonexistent/alloc.txt': No such file or directory");
}

TEST(AllocationFile, DirectoryIsReported) {
  const std::string dir = std::filesystem::temp_directory_path().string();
  EXPECT_EQ(load_message(dir), "cannot read allocation file '" + dir + "': it is a directory");
}

}  // namespace
}  // namespace patchrace
