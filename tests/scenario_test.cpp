// The scenario rules (find_violation / validate), asserted by message, and the
// address helpers.
#include "patchrace/scenario.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "patchrace/error.hpp"
#include "patchrace/result.hpp"

namespace patchrace {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

/// A valid scenario on a /16 campus: 1000 hosts, one day reported every minute.
Scenario campus() {
  Scenario s;
  s.name = "campus";
  s.address_space.base = 0x0a000000;  // 10.0.0.0
  s.address_space.prefix_length = 16;
  s.population.hosts = 1000;
  s.worm.scan_rate = 10;
  s.run.duration = kDay;
  s.run.report_interval = kMinute;
  return s;
}

/// The message of the first violation, or "" when the scenario is valid.
std::string violation_message(const Scenario& s) {
  const auto v = find_violation(s);
  return v ? v->message : "";
}

std::string violation_key(const Scenario& s) {
  const auto v = find_violation(s);
  return v ? v->key : "";
}

TEST(Scenario, ValidScenarioHasNoViolation) {
  EXPECT_EQ(find_violation(campus()), std::nullopt);
  EXPECT_NO_THROW(validate(campus()));
}

TEST(Scenario, DefaultScenarioIsInvalidBecauseItHasNoHosts) {
  EXPECT_EQ(violation_key(Scenario{}), "population.hosts");
}

TEST(Scenario, ValidateThrowsInvalidScenarioPrefixedWithWhere) {
  Scenario s = campus();
  s.worm.scan_rate = -3;
  try {
    validate(s, "blaster.toml");
    FAIL() << "no exception";
  } catch (const InvalidScenario& e) {
    EXPECT_STREQ(e.what(), "blaster.toml: worm.scan_rate must be > 0 probes/s, got -3");
  }
}

TEST(Scenario, ValidateUsesScenarioAsDefaultWhere) {
  Scenario s = campus();
  s.name.clear();
  EXPECT_THROW(
      {
        try {
          validate(s);
        } catch (const InvalidScenario& e) {
          EXPECT_STREQ(e.what(), "scenario: name must be a non-empty string, got \"\"");
          throw;
        }
      },
      InvalidScenario);
}

TEST(Scenario, RejectsEmptyName) {
  Scenario s = campus();
  s.name.clear();
  EXPECT_EQ(violation_key(s), "name");
  EXPECT_EQ(violation_message(s), "name must be a non-empty string, got \"\"");
}

TEST(Scenario, RejectsPrefixLengthAbove32) {
  Scenario s = campus();
  s.address_space.prefix_length = 33;
  EXPECT_EQ(violation_key(s), "address_space.prefix");
  EXPECT_EQ(violation_message(s),
            "address_space.prefix must have a prefix length between /0 and /32, got /33");
}

TEST(Scenario, RejectsNegativePrefixLength) {
  Scenario s = campus();
  s.address_space.prefix_length = -1;
  EXPECT_EQ(violation_message(s),
            "address_space.prefix must have a prefix length between /0 and /32, got /-1");
}

TEST(Scenario, RejectsPrefixWithHostBitsSet) {
  Scenario s = campus();
  s.address_space.base = 0x0a010203;  // 10.1.2.3
  EXPECT_EQ(violation_key(s), "address_space.prefix");
  EXPECT_EQ(violation_message(s),
            "address_space.prefix must have zero host bits for /16, got 10.1.2.3/16");
}

TEST(Scenario, AcceptsSingleAddressSpaceAndWholeIPv4) {
  Scenario s = campus();
  s.address_space = {0x0a000001, 32};
  s.population.hosts = 1;
  EXPECT_EQ(find_violation(s), std::nullopt);
  s.address_space = {};
  s.population.hosts = std::uint64_t{1} << 32;
  s.worm.initial_infected = 1;
  EXPECT_EQ(find_violation(s), std::nullopt);
}

TEST(Scenario, RejectsZeroHosts) {
  Scenario s = campus();
  s.population.hosts = 0;
  EXPECT_EQ(violation_key(s), "population.hosts");
  EXPECT_EQ(violation_message(s),
            "population.hosts must be between 1 and 65536 (the addresses in 10.0.0.0/16), got 0");
}

TEST(Scenario, RejectsMoreHostsThanAddresses) {
  Scenario s = campus();
  s.population.hosts = 70000;
  EXPECT_EQ(
      violation_message(s),
      "population.hosts must be between 1 and 65536 (the addresses in 10.0.0.0/16), got 70000");
  s.population.hosts = 65536;
  EXPECT_EQ(find_violation(s), std::nullopt);
}

TEST(Scenario, RejectsNonPositiveScanRate) {
  Scenario s = campus();
  s.worm.scan_rate = -3;
  EXPECT_EQ(violation_key(s), "worm.scan_rate");
  EXPECT_EQ(violation_message(s), "worm.scan_rate must be > 0 probes/s, got -3");
  s.worm.scan_rate = 0;
  EXPECT_EQ(violation_message(s), "worm.scan_rate must be > 0 probes/s, got 0");
}

TEST(Scenario, RejectsNonFiniteScanRate) {
  Scenario s = campus();
  s.worm.scan_rate = kNaN;
  EXPECT_EQ(violation_message(s), "worm.scan_rate must be a finite number of probes/s, got nan");
  s.worm.scan_rate = kInf;
  EXPECT_EQ(violation_message(s), "worm.scan_rate must be a finite number of probes/s, got inf");
}

TEST(Scenario, RejectsExploitSuccessOutsideZeroToOne) {
  Scenario s = campus();
  s.worm.exploit_success = 0;
  EXPECT_EQ(violation_key(s), "worm.exploit_success");
  EXPECT_EQ(violation_message(s),
            "worm.exploit_success must be in (0, 1] (a probability per probe), got 0");
  s.worm.exploit_success = 1.5;
  EXPECT_EQ(violation_message(s),
            "worm.exploit_success must be in (0, 1] (a probability per probe), got 1.5");
  s.worm.exploit_success = kNaN;
  EXPECT_EQ(violation_message(s),
            "worm.exploit_success must be in (0, 1] (a probability per probe), got nan");
  s.worm.exploit_success = 1;
  EXPECT_EQ(find_violation(s), std::nullopt);
}

TEST(Scenario, RejectsInitialInfectedOutsideOneToHosts) {
  Scenario s = campus();
  s.worm.initial_infected = 0;
  EXPECT_EQ(violation_key(s), "worm.initial_infected");
  EXPECT_EQ(violation_message(s),
            "worm.initial_infected must be between 1 and population.hosts = 1000, got 0");
  s.worm.initial_infected = 1001;
  EXPECT_EQ(violation_message(s),
            "worm.initial_infected must be between 1 and population.hosts = 1000, got 1001");
}

TEST(Scenario, IgnoresInitialInfectedWhenSeedAddressesAreGiven) {
  Scenario s = campus();
  s.worm.initial_infected = 0;
  s.worm.seed_addresses = {0x0a000001};
  EXPECT_EQ(find_violation(s), std::nullopt);
}

TEST(Scenario, RejectsMoreSeedAddressesThanHosts) {
  Scenario s = campus();
  s.population.hosts = 2;
  s.worm.seed_addresses = {0x0a000001, 0x0a000002, 0x0a000003};
  EXPECT_EQ(violation_key(s), "worm.seed_addresses");
  EXPECT_EQ(violation_message(s),
            "worm.seed_addresses must have at most population.hosts = 2 entries, got 3 entries");
}

TEST(Scenario, RejectsSeedAddressOutsideTheAddressSpace) {
  Scenario s = campus();
  s.worm.seed_addresses = {0x0a000001, 0x0a010005};  // 10.0.0.1, 10.1.0.5
  EXPECT_EQ(violation_key(s), "worm.seed_addresses[1]");
  EXPECT_EQ(violation_message(s),
            "worm.seed_addresses[1] must be inside the address space 10.0.0.0/16, got 10.1.0.5");
  s.worm.seed_addresses = {0x09ffffff};  // just below the space
  EXPECT_EQ(violation_message(s),
            "worm.seed_addresses[0] must be inside the address space 10.0.0.0/16, got "
            "9.255.255.255");
}

TEST(Scenario, RejectsDuplicateSeedAddress) {
  Scenario s = campus();
  s.worm.seed_addresses = {0x0a000001, 0x0a000005, 0x0a000007, 0x0a000005};
  EXPECT_EQ(violation_key(s), "worm.seed_addresses[3]");
  EXPECT_EQ(violation_message(s),
            "worm.seed_addresses[3] must be distinct from worm.seed_addresses[1], got 10.0.0.5 "
            "again");
}

TEST(Scenario, IgnoresPatchingSettingsWhenPatchingIsDisabled) {
  Scenario s = campus();
  s.patching.half_life = -1;
  s.patching.release = kNaN;
  EXPECT_EQ(find_violation(s), std::nullopt);
}

TEST(Scenario, AcceptsNegativePatchRelease) {
  Scenario s = campus();
  s.patching.enabled = true;
  s.patching.release = -26 * kDay;
  EXPECT_EQ(find_violation(s), std::nullopt);
}

TEST(Scenario, RejectsNonFinitePatchRelease) {
  Scenario s = campus();
  s.patching.enabled = true;
  s.patching.release = -kInf;
  EXPECT_EQ(violation_key(s), "patching.release");
  EXPECT_EQ(violation_message(s), "patching.release must be a finite time in s, got -inf");
}

TEST(Scenario, RejectsNonPositivePatchHalfLife) {
  Scenario s = campus();
  s.patching.enabled = true;
  s.patching.half_life = 0;
  EXPECT_EQ(violation_key(s), "patching.half_life");
  EXPECT_EQ(violation_message(s), "patching.half_life must be > 0 s, got 0 s");
  s.patching.half_life = -30 * kDay;
  EXPECT_EQ(violation_message(s), "patching.half_life must be > 0 s, got -2592000 s (-30 d)");
  s.patching.half_life = kNaN;
  EXPECT_EQ(violation_message(s), "patching.half_life must be a finite time in s, got nan");
}

TEST(Scenario, RejectsNeverFractionOutsideZeroToOne) {
  Scenario s = campus();
  s.patching.enabled = true;
  s.patching.never_fraction = 1.5;
  EXPECT_EQ(violation_key(s), "patching.never_fraction");
  EXPECT_EQ(violation_message(s),
            "patching.never_fraction must be in [0, 1] (a fraction of the hosts), got 1.5");
  s.patching.never_fraction = -0.25;
  EXPECT_EQ(violation_message(s),
            "patching.never_fraction must be in [0, 1] (a fraction of the hosts), got -0.25");
  s.patching.never_fraction = kNaN;
  EXPECT_EQ(violation_message(s),
            "patching.never_fraction must be in [0, 1] (a fraction of the hosts), got nan");
  s.patching.never_fraction = 1;
  EXPECT_EQ(find_violation(s), std::nullopt);
}

TEST(Scenario, RejectsNonPositiveCleanupDelayOnlyWhenEnabled) {
  Scenario s = campus();
  s.cleanup.mean_delay = 0;
  EXPECT_EQ(find_violation(s), std::nullopt);
  s.cleanup.enabled = true;
  EXPECT_EQ(violation_key(s), "cleanup.mean_delay");
  EXPECT_EQ(violation_message(s), "cleanup.mean_delay must be > 0 s, got 0 s");
  s.cleanup.mean_delay = kInf;
  EXPECT_EQ(violation_message(s), "cleanup.mean_delay must be a finite time in s, got inf");
}

TEST(Scenario, RejectsNonPositiveDuration) {
  Scenario s = campus();
  s.run.duration = 0;
  EXPECT_EQ(violation_key(s), "run.duration");
  EXPECT_EQ(violation_message(s),
            "run.duration must be > 0 s and <= 315360000 s (10 years), got 0 s");
  s.run.duration = kNaN;
  EXPECT_EQ(violation_message(s),
            "run.duration must be > 0 s and <= 315360000 s (10 years), got nan");
}

TEST(Scenario, RejectsDurationOverTenYears) {
  Scenario s = campus();
  s.run.duration = 11 * 365 * kDay;
  EXPECT_EQ(violation_message(s),
            "run.duration must be > 0 s and <= 315360000 s (10 years), got 346896000 s (11 "
            "years)");
  s.run.duration = 10 * 365 * kDay;
  s.run.report_interval = kDay;
  EXPECT_EQ(find_violation(s), std::nullopt);
}

TEST(Scenario, RejectsReportIntervalOutsideZeroToDuration) {
  Scenario s = campus();
  s.run.report_interval = 90000;
  EXPECT_EQ(violation_key(s), "run.report_interval");
  EXPECT_EQ(violation_message(s),
            "run.report_interval must be > 0 s and <= run.duration = 86400 s (1 d), got 90000 s "
            "(1.04 d)");
  s.run.report_interval = -60;
  EXPECT_EQ(violation_message(s),
            "run.report_interval must be > 0 s and <= run.duration = 86400 s (1 d), got -60 s "
            "(-1 min)");
  s.run.report_interval = kNaN;
  EXPECT_EQ(violation_message(s),
            "run.report_interval must be > 0 s and <= run.duration = 86400 s (1 d), got nan");
}

TEST(Scenario, RejectsMoreThanAMillionReportedPoints) {
  Scenario s = campus();
  s.run.report_interval = 0.0625;  // 1,382,400 intervals in a day
  EXPECT_EQ(violation_key(s), "run.report_interval");
  EXPECT_EQ(violation_message(s),
            "run.report_interval must be >= 0.08641 s (at most 1000000 reported points over "
            "run.duration = 86400 s (1 d)), got 0.0625 s (1382401 points)");
  s.run.report_interval = 0.08641;  // the bound in the message is allowed
  EXPECT_EQ(find_violation(s), std::nullopt);
}

TEST(Scenario, AcceptsExactlyAMillionReportedPoints) {
  Scenario s = campus();
  s.run.duration = 999'999;
  s.run.report_interval = 1;
  ASSERT_EQ(report_point_count(s.run), 1'000'000u);
  EXPECT_EQ(find_violation(s), std::nullopt);
  s.run.duration = 999'999.5;  // the duration itself is one more point
  ASSERT_EQ(report_point_count(s.run), 1'000'001u);
  EXPECT_EQ(violation_key(s), "run.report_interval");
}

TEST(Scenario, CountsReportedPointsLikeTheEngine) {
  Scenario s = campus();
  s.run.duration = 10;
  s.run.report_interval = 3;  // 0, 3, 6, 9, 10
  EXPECT_EQ(estimated_memory_bytes(s), 1000u * 32 + 5u * (kSeriesCount + 1) * 8 + 4096);
}

TEST(Scenario, RejectsReplicatesOutsideOneToAMillion) {
  Scenario s = campus();
  s.run.replicates = 0;
  EXPECT_EQ(violation_key(s), "run.replicates");
  EXPECT_EQ(violation_message(s), "run.replicates must be between 1 and 1000000, got 0");
  s.run.replicates = 1'000'001;
  EXPECT_EQ(violation_message(s), "run.replicates must be between 1 and 1000000, got 1000001");
  s.run.replicates = 1'000'000;
  EXPECT_EQ(find_violation(s), std::nullopt);
}

TEST(Scenario, ReportsTheFirstBrokenRuleInDocumentOrder) {
  Scenario s = campus();
  s.run.replicates = 0;
  s.worm.scan_rate = 0;
  EXPECT_EQ(violation_key(s), "worm.scan_rate");
}

TEST(Scenario, EstimatesMemoryFromHostsAndReportedPoints) {
  Scenario s = campus();  // 1000 hosts, 1441 points
  EXPECT_EQ(estimated_memory_bytes(s), 1000u * 32 + 1441u * (kSeriesCount + 1) * 8 + 4096);
}

TEST(Scenario, EstimatedMemorySaturatesInsteadOfWrapping) {
  Scenario s = campus();
  s.population.hosts = std::numeric_limits<std::uint64_t>::max();
  EXPECT_EQ(estimated_memory_bytes(s), std::numeric_limits<std::uint64_t>::max());
  s = campus();
  s.run.report_interval = 1e-300;
  EXPECT_EQ(estimated_memory_bytes(s), std::numeric_limits<std::uint64_t>::max());
}

TEST(Scenario, FormatsAddressesAsDottedQuads) {
  EXPECT_EQ(format_address(0x0a000001), "10.0.0.1");
  EXPECT_EQ(format_address(0), "0.0.0.0");
  EXPECT_EQ(format_address(0xffffffff), "255.255.255.255");
  EXPECT_EQ(format_address(0xc0a80a01), "192.168.10.1");
}

TEST(Scenario, ParsesDottedQuads) {
  EXPECT_EQ(parse_address("10.0.0.1"), 0x0a000001u);
  EXPECT_EQ(parse_address("0.0.0.0"), 0u);
  EXPECT_EQ(parse_address("255.255.255.255"), 0xffffffffu);
  for (std::uint32_t a : {0u, 1u, 0x0a000001u, 0x7f000001u, 0xdeadbeefu, 0xffffffffu}) {
    EXPECT_EQ(parse_address(format_address(a)), a);
  }
}

TEST(Scenario, RejectsMalformedDottedQuads) {
  for (const char* bad : {"", "1.2.3", "1.2.3.4.5", "256.0.0.1", "1.2.3.1000", "01.2.3.4",
                          "1.2.3.04", " 1.2.3.4", "1.2.3.4 ", "a.b.c.d", "-1.2.3.4", "+1.2.3.4",
                          "1..2.3", "1.2.3.", ".1.2.3", "1.2.3.4/8", "0x1.2.3.4"}) {
    EXPECT_EQ(parse_address(bad), std::nullopt) << bad;
  }
}

}  // namespace
}  // namespace patchrace
