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

TEST(Scenario, SeedAboveTheLargestTomlIntegerIsRejected) {
  Scenario s = campus();
  s.run.seed = 0x7fff'ffff'ffff'ffffULL;
  EXPECT_EQ(violation_message(s), "");
  s.run.seed = 0x8000'0000'0000'0000ULL;
  EXPECT_EQ(violation_key(s), "run.seed");
  EXPECT_EQ(violation_message(s),
            "run.seed must be at most 9223372036854775807 (the largest TOML integer), got 9223372036854775808");
}

TEST(Scenario, SeedGroupNeedsRoomForTheSeeds) {
  Scenario s = campus();
  s.population.groups = {{"lab", 0.0, 3, {1.0, 0.0, 0.0}, 1.0}, {"rest", 0.0, 997, {1.0, 0.0, 0.0}, 1.0}};
  s.worm.seed_group = "lab";
  s.worm.initial_infected = 3;
  EXPECT_EQ(violation_message(s), "");
  s.worm.initial_infected = 4;
  EXPECT_EQ(violation_key(s), "worm.seed_group");
  EXPECT_EQ(violation_message(s),
            "worm.seed_group must name a group with room for the 4 seed hosts, got \"lab\" (3 hosts)");
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
  s.population.hosts = (std::uint64_t{1} << 32) - 1;
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
  EXPECT_EQ(estimated_memory_bytes(s), 1000u * 48 + 5u * (kSeriesCount + 1) * 8 + 4096);
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
  EXPECT_EQ(estimated_memory_bytes(s), 1000u * 48 + 1441u * (kSeriesCount + 1) * 8 + 4096);
  // Each management group adds its series, each deployment ring its count.
  s.population.groups.resize(2);
  s.patching.enabled = true;
  s.patching.services.resize(1);
  s.patching.services[0].rings.resize(3);
  EXPECT_EQ(estimated_memory_bytes(s),
            1000u * 48 + 1441u * (kSeriesCount + 1 + 2 * kGroupSeriesCount + 3) * 8 + 4096);
}

TEST(Scenario, EstimatedMemorySaturatesInsteadOfWrapping) {
  Scenario s = campus();
  s.population.hosts = std::numeric_limits<std::uint64_t>::max();
  EXPECT_EQ(estimated_memory_bytes(s), std::numeric_limits<std::uint64_t>::max());
  s = campus();
  s.run.report_interval = 1e-300;
  EXPECT_EQ(estimated_memory_bytes(s), std::numeric_limits<std::uint64_t>::max());
}

// --- host types ----------------------------------------------------------------------

/// campus() with two host types and a clustered placement in 10.0.0.0/16, every new
/// setting at a valid, non-default value.
Scenario campus_with_every_setting() {
  Scenario s = campus();
  s.population.types = {{"win2000", 0.75}, {"winxp", 0.25}};
  s.population.placement.kind = PlacementKind::kClustered;
  s.population.placement.allocated = {{0x0a000000, 16}};
  s.population.placement.block_sizes = {{24, 0.5}, {20, 0.5}};
  s.population.placement.hosts_per_block_alpha = 1.5;
  s.population.placement.min_hosts_per_block = 2;
  s.worm.strategy = ScanStrategy::kLocalPreference;
  s.worm.exploits = {{"win2000", 1.0, FailureOutcome::kNothing, 60},
                     {"winxp", 0.0, FailureOutcome::kCrash, kHour}};
  s.worm.excluded = {{0x0a00ff00, 24}};
  s.worm.local_preference = {0.25, 0.75};
  s.worm.sequential = {0.5, 256, 1};
  s.worm.permutation.dormant_after = 3;
  s.worm.bandwidth = {true, 404, {{0.5, 1e6}, {0.5, 1e8}}, 0};
  s.worm.seed_rule = SeedRule::kLargestPrefixes;
  s.worm.seed_window = kDay;
  return s;
}

TEST(Scenario, AcceptsEveryNewSettingAtValidValues) {
  EXPECT_EQ(find_violation(campus_with_every_setting()), std::nullopt);
}

TEST(Scenario, RejectsHostTypeNameOutsideItsCharacterSet) {
  Scenario s = campus();
  s.population.types = {{"win2000", 0.5}, {"win xp", 0.5}};
  EXPECT_EQ(violation_key(s), "population.types[1].name");
  EXPECT_EQ(violation_message(s),
            "population.types[1].name must be a non-empty string of letters, digits, '_', '.' "
            "and '-', got \"win xp\"");
  s.population.types[1].name = "";
  EXPECT_EQ(violation_message(s),
            "population.types[1].name must be a non-empty string of letters, digits, '_', '.' "
            "and '-', got \"\"");
  s.population.types[1].name = "Win_XP-sp2.1";
  EXPECT_EQ(find_violation(s), std::nullopt);
}

TEST(Scenario, RejectsDuplicateHostTypeName) {
  Scenario s = campus();
  s.population.types = {{"a", 0.25}, {"b", 0.25}, {"a", 0.5}};
  EXPECT_EQ(violation_key(s), "population.types[2].name");
  EXPECT_EQ(violation_message(s),
            "population.types[2].name must be distinct from population.types[0].name, got \"a\" "
            "again");
}

TEST(Scenario, RejectsHostTypeShareOutsideZeroToOne) {
  Scenario s = campus();
  s.population.types = {{"a", 1.5}, {"b", -0.5}};
  EXPECT_EQ(violation_key(s), "population.types[0].share");
  EXPECT_EQ(violation_message(s),
            "population.types[0].share must be in [0, 1] (a fraction of the hosts), got 1.5");
  s.population.types[0].share = kNaN;
  EXPECT_EQ(violation_message(s),
            "population.types[0].share must be in [0, 1] (a fraction of the hosts), got nan");
}

TEST(Scenario, RejectsHostTypeSharesNotSummingToOne) {
  Scenario s = campus();
  s.population.types = {{"a", 0.5}, {"b", 0.25}};
  EXPECT_EQ(violation_key(s), "population.types");
  EXPECT_EQ(violation_message(s),
            "population.types must have shares that sum to 1, got a sum of 0.75");
  s.population.types = {{"a", 0.1}, {"b", 0.2}, {"c", 0.7}};  // 1 + 2^-52 in doubles
  EXPECT_EQ(find_violation(s), std::nullopt);
  s.population.types = {{"a", 0.5}, {"b", 0.5 + 2e-9}};
  EXPECT_EQ(violation_message(s),
            "population.types must have shares that sum to 1, got a sum of 1.0000000020000002");
}

TEST(Scenario, AcceptsNoHostTypes) {
  Scenario s = campus();
  s.population.types.clear();
  EXPECT_EQ(find_violation(s), std::nullopt);
}

// --- placement -------------------------------------------------------------------------

TEST(Scenario, IgnoresClusteredSettingsWithUniformPlacement) {
  Scenario s = campus();
  s.population.placement.allocated = {{0x0a000001, 8}};
  s.population.placement.block_sizes = {};
  s.population.placement.hosts_per_block_alpha = -1;
  s.population.placement.min_hosts_per_block = 0;
  EXPECT_EQ(find_violation(s), std::nullopt);
  s.population.placement.kind = PlacementKind::kClustered;
  EXPECT_EQ(violation_key(s), "population.placement.allocated[0]");
}

TEST(Scenario, RejectsAllocatedPrefixWithHostBitsOrBadLength) {
  Scenario s = campus_with_every_setting();
  s.population.placement.allocated = {{0x0a000000, 16}, {0x0b010000, 8}};
  EXPECT_EQ(violation_key(s), "population.placement.allocated[1]");
  EXPECT_EQ(violation_message(s),
            "population.placement.allocated[1] must have zero host bits for /8, got 11.1.0.0/8");
  s.population.placement.allocated[1] = {0x0b000000, 33};
  EXPECT_EQ(violation_message(s),
            "population.placement.allocated[1] must have a prefix length between /0 and /32, "
            "got /33");
}

TEST(Scenario, AcceptsEmptyAllocatedListForTheDefaultSet) {
  Scenario s = campus_with_every_setting();
  s.population.placement.allocated.clear();
  s.address_space = {};  // all of IPv4; the default set leaves out the campus's 10/8
  EXPECT_EQ(find_violation(s), std::nullopt);
}

TEST(Scenario, RejectsBlockSizePrefixLengthOutsideEightToThirtyTwo) {
  Scenario s = campus_with_every_setting();
  s.population.placement.block_sizes[1].prefix_length = 7;
  EXPECT_EQ(violation_key(s), "population.placement.block_sizes[1].prefix_length");
  EXPECT_EQ(violation_message(s),
            "population.placement.block_sizes[1].prefix_length must be between 8 and 32, got 7");
  s.population.placement.block_sizes[1].prefix_length = 33;
  EXPECT_EQ(violation_message(s),
            "population.placement.block_sizes[1].prefix_length must be between 8 and 32, got 33");
  for (int length : {8, 32}) {
    s.population.placement.block_sizes[1].prefix_length = length;
    EXPECT_EQ(find_violation(s), std::nullopt);
  }
}

TEST(Scenario, RejectsBlockSizeShareOutsideZeroToOne) {
  Scenario s = campus_with_every_setting();
  s.population.placement.block_sizes[0].share = -0.5;
  EXPECT_EQ(violation_key(s), "population.placement.block_sizes[0].share");
  EXPECT_EQ(violation_message(s),
            "population.placement.block_sizes[0].share must be in [0, 1] (a fraction of the "
            "blocks), got -0.5");
}

TEST(Scenario, RejectsBlockSizeSharesNotSummingToOne) {
  Scenario s = campus_with_every_setting();
  s.population.placement.block_sizes = {{24, 0.6}, {16, 0.6}};
  EXPECT_EQ(violation_key(s), "population.placement.block_sizes");
  EXPECT_EQ(violation_message(s),
            "population.placement.block_sizes must have shares that sum to 1, got a sum of 1.2");
}

TEST(Scenario, RejectsEmptyBlockSizes) {
  Scenario s = campus_with_every_setting();
  s.population.placement.block_sizes.clear();
  EXPECT_EQ(violation_key(s), "population.placement.block_sizes");
  EXPECT_EQ(violation_message(s),
            "population.placement.block_sizes must have at least one block size, got none");
}

TEST(Scenario, RejectsNonPositiveOrNonFiniteHostsPerBlockAlpha) {
  Scenario s = campus_with_every_setting();
  s.population.placement.hosts_per_block_alpha = 0;
  EXPECT_EQ(violation_key(s), "population.placement.hosts_per_block_alpha");
  EXPECT_EQ(violation_message(s),
            "population.placement.hosts_per_block_alpha must be a finite number > 0 (a Pareto "
            "tail index), got 0");
  s.population.placement.hosts_per_block_alpha = kInf;
  EXPECT_EQ(violation_message(s),
            "population.placement.hosts_per_block_alpha must be a finite number > 0 (a Pareto "
            "tail index), got inf");
}

TEST(Scenario, RejectsMinHostsPerBlockBelowOne) {
  Scenario s = campus_with_every_setting();
  s.population.placement.min_hosts_per_block = 0.5;
  EXPECT_EQ(violation_key(s), "population.placement.min_hosts_per_block");
  EXPECT_EQ(violation_message(s),
            "population.placement.min_hosts_per_block must be a finite number of hosts >= 1, "
            "got 0.5");
  s.population.placement.min_hosts_per_block = kNaN;
  EXPECT_EQ(violation_message(s),
            "population.placement.min_hosts_per_block must be a finite number of hosts >= 1, "
            "got nan");
  s.population.placement.min_hosts_per_block = 1;
  EXPECT_EQ(find_violation(s), std::nullopt);
}

// --- excluded prefixes -----------------------------------------------------------------

TEST(Scenario, RejectsExcludedPrefixWithHostBitsOrBadLength) {
  Scenario s = campus();
  s.worm.excluded = {{0x7f000000, 8}, {0xe0000001, 3}};
  EXPECT_EQ(violation_key(s), "worm.excluded[1]");
  EXPECT_EQ(violation_message(s),
            "worm.excluded[1] must have zero host bits for /3, got 224.0.0.1/3");
  s.worm.excluded[1] = {0xe0000000, -1};
  EXPECT_EQ(violation_message(s),
            "worm.excluded[1] must have a prefix length between /0 and /32, got /-1");
}

TEST(Scenario, RejectsMoreHostsThanAddressesOutsideTheExcludedPrefixes) {
  Scenario s = campus();  // 10.0.0.0/16, 65,536 addresses
  s.population.hosts = 65000;
  // 10.0.1.0/24 lies inside 10.0.0.0/23 and is counted once; 127/8 is outside the space.
  s.worm.excluded = {{0x0a000000, 23}, {0x0a000100, 24}, {0x7f000000, 8}};
  EXPECT_EQ(find_violation(s), std::nullopt);  // 65,024 addresses left
  s.population.hosts = 65025;
  EXPECT_EQ(violation_key(s), "population.hosts");
  EXPECT_EQ(violation_message(s),
            "population.hosts must be between 1 and 65024 (the addresses in 10.0.0.0/16 outside "
            "worm.excluded), got 65025");
  s.worm.excluded = {{0, 0}};  // all of IPv4
  EXPECT_EQ(violation_message(s),
            "population.hosts must be between 1 and 0 (the addresses in 10.0.0.0/16 outside "
            "worm.excluded), got 65025");
}

TEST(Scenario, ChecksClusteredHostsAgainstAllocatedAddressesOutsideExcludedPrefixes) {
  Scenario s = campus_with_every_setting();  // clustered in 10.0.0.0/16
  s.worm.excluded = {{0x0a000000, 17}};
  EXPECT_EQ(find_violation(s), std::nullopt);
  s.worm.excluded = {{0x0a000000, 16}};
  EXPECT_EQ(violation_key(s), "population.hosts");
  EXPECT_EQ(violation_message(s),
            "population.hosts must be at most 0 for clustered placement (the 0 allocated addresses "
            "of population.placement.allocated (1 prefix) inside the address space 10.0.0.0/16 and "
            "outside worm.excluded), got 1000");
}

TEST(Scenario, RejectsSeedAddressInsideAnExcludedPrefix) {
  Scenario s = campus();
  s.worm.excluded = {{0x0a00ff00, 24}, {0x0a000000, 24}};
  s.worm.seed_addresses = {0x0a000105, 0x0a000007};  // 10.0.1.5, 10.0.0.7
  EXPECT_EQ(violation_key(s), "worm.seed_addresses[1]");
  EXPECT_EQ(violation_message(s),
            "worm.seed_addresses[1] must be outside worm.excluded[1] = 10.0.0.0/24, got 10.0.0.7");
}

// --- exploits --------------------------------------------------------------------------

TEST(Scenario, RejectsExploitForAnUnknownHostType) {
  Scenario s = campus_with_every_setting();
  s.worm.exploits[1].type = "linux";
  EXPECT_EQ(violation_key(s), "worm.exploits[1].type");
  EXPECT_EQ(violation_message(s),
            "worm.exploits[1].type must be one of the population.types names (\"win2000\", "
            "\"winxp\"), got \"linux\"");
}

TEST(Scenario, AcceptsOnlyTheHostTypeWhenThereAreNoTypes) {
  Scenario s = campus();
  s.worm.exploits = {{"host", 0.5, FailureOutcome::kCrash, 60}};
  EXPECT_EQ(find_violation(s), std::nullopt);
  s.worm.exploits[0].type = "win2000";
  EXPECT_EQ(violation_key(s), "worm.exploits[0].type");
  EXPECT_EQ(violation_message(s),
            "worm.exploits[0].type must be \"host\" (the only host type when population.types "
            "is empty), got \"win2000\"");
}

TEST(Scenario, RejectsAHostTypeListedTwiceInExploits) {
  Scenario s = campus_with_every_setting();
  s.worm.exploits.push_back({"win2000", 0.5, FailureOutcome::kNothing, 60});
  EXPECT_EQ(violation_key(s), "worm.exploits[2].type");
  EXPECT_EQ(violation_message(s),
            "worm.exploits[2].type must be distinct from worm.exploits[0].type, got \"win2000\" "
            "again");
}

TEST(Scenario, RejectsExploitSuccessOutsideZeroToOneInclusive) {
  Scenario s = campus_with_every_setting();
  s.worm.exploits[1].success = 1.5;
  EXPECT_EQ(violation_key(s), "worm.exploits[1].success");
  EXPECT_EQ(violation_message(s),
            "worm.exploits[1].success must be in [0, 1] (a probability per probe), got 1.5");
  s.worm.exploits[1].success = 0;  // a type the exploit never infects
  EXPECT_EQ(find_violation(s), std::nullopt);
}

TEST(Scenario, RejectsNonPositiveExploitDowntime) {
  Scenario s = campus_with_every_setting();
  s.worm.exploits[1].downtime = 0;
  EXPECT_EQ(violation_key(s), "worm.exploits[1].downtime");
  EXPECT_EQ(violation_message(s), "worm.exploits[1].downtime must be > 0 s, got 0 s");
  s.worm.exploits[1].downtime = kInf;
  EXPECT_EQ(violation_message(s), "worm.exploits[1].downtime must be a finite time in s, got inf");
}

// --- strategies ------------------------------------------------------------------------

TEST(Scenario, RejectsLocalPreferenceProbabilitiesOutsideZeroToOne) {
  Scenario s = campus_with_every_setting();
  s.worm.local_preference = {-0.5, 0.5};
  EXPECT_EQ(violation_key(s), "worm.local_preference.same_slash8");
  EXPECT_EQ(violation_message(s),
            "worm.local_preference.same_slash8 must be in [0, 1] (a probability per probe), got "
            "-0.5");
  s.worm.local_preference = {0, kNaN};
  EXPECT_EQ(violation_key(s), "worm.local_preference.same_slash16");
  EXPECT_EQ(violation_message(s),
            "worm.local_preference.same_slash16 must be in [0, 1] (a probability per probe), got "
            "nan");
}

TEST(Scenario, RejectsLocalPreferenceProbabilitiesSummingAboveOne) {
  Scenario s = campus_with_every_setting();
  s.worm.local_preference = {0.75, 0.5};
  EXPECT_EQ(violation_key(s), "worm.local_preference");
  EXPECT_EQ(violation_message(s),
            "worm.local_preference must have same_slash8 + same_slash16 <= 1 (probabilities of "
            "one probe), got 0.75 + 0.5 = 1.25");
  s.worm.local_preference = {0.7, 0.3};
  EXPECT_EQ(find_violation(s), std::nullopt);
}

TEST(Scenario, IgnoresTheSettingsOfStrategiesNotSelected) {
  Scenario s = campus();
  s.worm.local_preference = {2, 2};
  s.worm.sequential = {-1, 0, 0};
  for (ScanStrategy strategy : {ScanStrategy::kUniform, ScanStrategy::kPermutation}) {
    s.worm.strategy = strategy;
    EXPECT_EQ(find_violation(s), std::nullopt);
  }
  s.worm.strategy = ScanStrategy::kSequential;
  EXPECT_EQ(violation_key(s), "worm.sequential.local_start");
  s.worm.strategy = ScanStrategy::kLocalPreference;
  EXPECT_EQ(violation_key(s), "worm.local_preference.same_slash8");
}

TEST(Scenario, RejectsSequentialLocalStartOutsideZeroToOne) {
  Scenario s = campus();
  s.worm.strategy = ScanStrategy::kSequential;
  s.worm.sequential.local_start = 1.25;
  EXPECT_EQ(violation_key(s), "worm.sequential.local_start");
  EXPECT_EQ(violation_message(s),
            "worm.sequential.local_start must be in [0, 1] (a probability per infection), got "
            "1.25");
}

TEST(Scenario, RejectsSequentialLocalBackoffOutsideOneTo256) {
  Scenario s = campus();
  s.worm.strategy = ScanStrategy::kSequential;
  s.worm.sequential.local_backoff = 0;
  EXPECT_EQ(violation_key(s), "worm.sequential.local_backoff");
  EXPECT_EQ(violation_message(s),
            "worm.sequential.local_backoff must be between 1 and 256 (a number of /24s), got 0");
  s.worm.sequential.local_backoff = 257;
  EXPECT_EQ(violation_message(s),
            "worm.sequential.local_backoff must be between 1 and 256 (a number of /24s), got 257");
  s.worm.sequential.local_backoff = 256;
  EXPECT_EQ(find_violation(s), std::nullopt);
}

TEST(Scenario, RejectsZeroSequentialBatch) {
  Scenario s = campus();
  s.worm.strategy = ScanStrategy::kSequential;
  s.worm.sequential.batch = 0;
  EXPECT_EQ(violation_key(s), "worm.sequential.batch");
  EXPECT_EQ(violation_message(s),
            "worm.sequential.batch must be >= 1 (addresses per batch), got 0");
}

TEST(Scenario, AcceptsEveryPermutationDormantAfter) {
  Scenario s = campus();
  s.worm.strategy = ScanStrategy::kPermutation;
  for (std::uint32_t n : {0u, 1u, 4294967295u}) {
    s.worm.permutation.dormant_after = n;
    EXPECT_EQ(find_violation(s), std::nullopt);
  }
}

// --- bandwidth -------------------------------------------------------------------------

TEST(Scenario, IgnoresBandwidthSettingsWhenDisabled) {
  Scenario s = campus();
  s.worm.bandwidth = {false, -1, {}, -1};
  EXPECT_EQ(find_violation(s), std::nullopt);
  s.worm.bandwidth.enabled = true;
  EXPECT_EQ(violation_key(s), "worm.bandwidth.probe_bytes");
}

TEST(Scenario, RejectsNonPositiveProbeBytes) {
  Scenario s = campus_with_every_setting();
  s.worm.bandwidth.probe_bytes = 0;
  EXPECT_EQ(violation_key(s), "worm.bandwidth.probe_bytes");
  EXPECT_EQ(violation_message(s), "worm.bandwidth.probe_bytes must be > 0 bytes, got 0");
  s.worm.bandwidth.probe_bytes = kNaN;
  EXPECT_EQ(violation_message(s),
            "worm.bandwidth.probe_bytes must be a finite number of bytes, got nan");
}

TEST(Scenario, RejectsBandwidthWithoutLinkClasses) {
  Scenario s = campus_with_every_setting();
  s.worm.bandwidth.links.clear();
  EXPECT_EQ(violation_key(s), "worm.bandwidth.links");
  EXPECT_EQ(violation_message(s),
            "worm.bandwidth.links must have at least one link class, got none");
}

TEST(Scenario, RejectsLinkShareOutsideZeroToOne) {
  Scenario s = campus_with_every_setting();
  s.worm.bandwidth.links[1].share = 2;
  EXPECT_EQ(violation_key(s), "worm.bandwidth.links[1].share");
  EXPECT_EQ(violation_message(s),
            "worm.bandwidth.links[1].share must be in [0, 1] (a fraction of the hosts), got 2");
}

TEST(Scenario, RejectsNonPositiveLinkBitsPerSecond) {
  Scenario s = campus_with_every_setting();
  s.worm.bandwidth.links[0].bits_per_second = -1e6;
  EXPECT_EQ(violation_key(s), "worm.bandwidth.links[0].bits_per_second");
  EXPECT_EQ(violation_message(s),
            "worm.bandwidth.links[0].bits_per_second must be > 0 bits/s, got -1000000");
  s.worm.bandwidth.links[0].bits_per_second = kInf;
  EXPECT_EQ(violation_message(s),
            "worm.bandwidth.links[0].bits_per_second must be a finite number of bits/s, got inf");
}

TEST(Scenario, RejectsLinkSharesNotSummingToOne) {
  Scenario s = campus_with_every_setting();
  s.worm.bandwidth.links[1].share = 0.25;
  EXPECT_EQ(violation_key(s), "worm.bandwidth.links");
  EXPECT_EQ(violation_message(s),
            "worm.bandwidth.links must have shares that sum to 1, got a sum of 0.75");
}

TEST(Scenario, RejectsNegativeOrNonFiniteCapacity) {
  Scenario s = campus_with_every_setting();
  s.worm.bandwidth.capacity = -1;
  EXPECT_EQ(violation_key(s), "worm.bandwidth.capacity");
  EXPECT_EQ(violation_message(s),
            "worm.bandwidth.capacity must be a finite number >= 0 probes/s (0: unlimited), got -1");
  s.worm.bandwidth.capacity = kInf;
  EXPECT_EQ(violation_message(s),
            "worm.bandwidth.capacity must be a finite number >= 0 probes/s (0: unlimited), got "
            "inf");
  s.worm.bandwidth.capacity = 5.5e7;
  EXPECT_EQ(find_violation(s), std::nullopt);
}

// --- seed window -----------------------------------------------------------------------

TEST(Scenario, RejectsSeedWindowOutsideZeroToDuration) {
  Scenario s = campus();
  s.worm.seed_window = -1;
  EXPECT_EQ(violation_key(s), "worm.seed_window");
  EXPECT_EQ(violation_message(s),
            "worm.seed_window must be >= 0 s and <= run.duration = 86400 s (1 d), got -1 s");
  s.worm.seed_window = 2 * kDay;
  EXPECT_EQ(violation_message(s),
            "worm.seed_window must be >= 0 s and <= run.duration = 86400 s (1 d), got 172800 s "
            "(2 d)");
  s.worm.seed_window = kNaN;
  EXPECT_EQ(violation_message(s),
            "worm.seed_window must be >= 0 s and <= run.duration = 86400 s (1 d), got nan");
  s.worm.seed_window = kDay;
  EXPECT_EQ(find_violation(s), std::nullopt);
}

TEST(Scenario, ChecksTheSeedWindowAfterTheRun) {
  Scenario s = campus();
  s.worm.seed_window = -1;
  s.run.duration = 0;
  EXPECT_EQ(violation_key(s), "run.duration");
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
