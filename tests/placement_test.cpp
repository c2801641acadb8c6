// Host placement (src/model/placement): exact counts, sorted distinct addresses, seeds
// included, nothing outside the space or inside an excluded prefix, clustered hosts
// inside the allocated prefixes, reproducibility, and every error message. The
// statistical checks live in placement_statistics_test.cpp.
#include "model/placement.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "base/rng.hpp"
#include "base/radix_sort.hpp"
#include "patchrace/error.hpp"
#include "patchrace/scenario.hpp"

namespace patchrace::detail {
namespace {

constexpr std::uint64_t kSeed = 20030811;

std::uint32_t addr(const char* text) { return parse_address(text).value(); }
Prefix prefix(const char* text, int length) { return {addr(text), length}; }

Scenario scenario(Prefix space, std::uint64_t hosts, PlacementKind kind = PlacementKind::kUniform) {
  Scenario s;
  s.address_space = {space.base, space.length};
  s.population.hosts = hosts;
  s.population.placement.kind = kind;
  return s;
}

std::vector<std::uint32_t> place(const Scenario& s, std::uint64_t seed = kSeed) {
  Rng rng(seed, 0, StreamPurpose::kPlacement);
  return place_hosts(s, rng);
}

bool inside_any(std::uint32_t a, const std::vector<Prefix>& prefixes) {
  return std::any_of(prefixes.begin(), prefixes.end(), [a](const Prefix& p) { return p.contains(a); });
}

/// The common contract: count, strictly ascending, inside the space, outside the
/// excluded prefixes, seeds included.
void expect_valid(const Scenario& s, const std::vector<std::uint32_t>& hosts) {
  ASSERT_EQ(hosts.size(), s.population.hosts);
  EXPECT_TRUE(std::adjacent_find(hosts.begin(), hosts.end(), std::greater_equal<>()) == hosts.end())
      << "not strictly ascending";
  const Prefix space{s.address_space.base, s.address_space.prefix_length};
  for (std::uint32_t a : hosts) {
    ASSERT_TRUE(space.contains(a)) << format_address(a) << " outside the space";
    ASSERT_FALSE(inside_any(a, s.worm.excluded)) << format_address(a) << " inside an excluded prefix";
  }
  for (std::uint32_t seed : s.worm.seed_addresses) {
    EXPECT_TRUE(std::binary_search(hosts.begin(), hosts.end(), seed)) << format_address(seed) << " missing";
  }
}

std::string message_of(const Scenario& s) {
  try {
    (void)place(s);
  } catch (const InvalidScenario& e) {
    return e.what();
  }
  return "(no exception)";
}

const std::vector<Prefix> kCodeRedExcluded = {prefix("0.0.0.0", 8), prefix("10.0.0.0", 8), prefix("127.0.0.0", 8),
                                              prefix("224.0.0.0", 3)};

// ---------------------------------------------------------------------------
// Uniform

TEST(Placement, UniformGivesExactCountOfSortedDistinctAddressesInSpace) {
  for (std::uint64_t hosts : {1, 1000, 40000, 65536}) {
    const Scenario s = scenario(prefix("10.20.0.0", 16), hosts);
    expect_valid(s, place(s));
  }
}

TEST(Placement, UniformAvoidsExcludedPrefixesOverAllOfIpv4) {
  Scenario s = scenario(prefix("0.0.0.0", 0), 200000);
  s.worm.excluded = kCodeRedExcluded;
  s.worm.seed_addresses = {addr("11.0.0.1"), addr("223.255.255.255")};
  expect_valid(s, place(s));
}

TEST(Placement, UniformFillsEveryAllowedAddressWhenHostsEqualTheirNumber) {
  Scenario s = scenario(prefix("192.0.2.0", 24), 256 - 64 - 1);
  s.worm.excluded = {prefix("192.0.2.64", 26), prefix("192.0.2.255", 32), prefix("192.0.2.70", 31)};
  const auto hosts = place(s);
  expect_valid(s, hosts);
  EXPECT_EQ(hosts.front(), addr("192.0.2.0"));
  EXPECT_EQ(hosts[63], addr("192.0.2.63"));
  EXPECT_EQ(hosts[64], addr("192.0.2.128"));
  EXPECT_EQ(hosts.back(), addr("192.0.2.254"));
}

TEST(Placement, UniformSeedsAreHostsInTheDenseCaseToo) {
  Scenario s = scenario(prefix("10.0.0.0", 24), 200);
  s.worm.excluded = {prefix("10.0.0.0", 28)};
  s.worm.seed_addresses = {addr("10.0.0.255"), addr("10.0.0.16"), addr("10.0.0.100")};
  expect_valid(s, place(s));
}

TEST(Placement, UniformIsReproducibleAndDependsOnTheSeed) {
  Scenario s = scenario(prefix("0.0.0.0", 0), 5000);
  s.worm.excluded = kCodeRedExcluded;
  EXPECT_EQ(place(s, 1), place(s, 1));
  EXPECT_NE(place(s, 1), place(s, 2));
}

TEST(Placement, UniformRefusesMoreHostsThanAllowedAddresses) {
  Scenario s = scenario(prefix("10.20.0.0", 16), 62000);
  s.worm.excluded = {prefix("10.20.0.0", 20), prefix("0.0.0.0", 8)};
  EXPECT_EQ(message_of(s),
            "population.hosts must be at most 61440 (the addresses of the address space 10.20.0.0/16 outside "
            "worm.excluded), got 62000");
}

// ---------------------------------------------------------------------------
// Seeds

TEST(Placement, SeedOutsideTheSpaceIsRefused) {
  Scenario s = scenario(prefix("10.0.0.0", 16), 10);
  s.worm.seed_addresses = {addr("10.0.0.5"), addr("10.1.0.5")};
  EXPECT_EQ(message_of(s), "worm.seed_addresses[1] must be inside the address space 10.0.0.0/16, got 10.1.0.5");
}

TEST(Placement, SeedInsideAnExcludedPrefixIsRefused) {
  Scenario s = scenario(prefix("0.0.0.0", 0), 10, PlacementKind::kClustered);
  s.worm.excluded = kCodeRedExcluded;
  s.worm.seed_addresses = {addr("127.0.0.1")};
  EXPECT_EQ(message_of(s), "worm.seed_addresses[0] must be outside worm.excluded, got 127.0.0.1 (inside 127.0.0.0/8)");
}

TEST(Placement, RepeatedSeedIsRefused) {
  Scenario s = scenario(prefix("10.0.0.0", 16), 10);
  s.worm.seed_addresses = {addr("10.0.0.5"), addr("10.0.0.7"), addr("10.0.0.9"), addr("10.0.0.5")};
  EXPECT_EQ(message_of(s), "worm.seed_addresses[3] must be distinct from worm.seed_addresses[0], got 10.0.0.5 again");
}

TEST(Placement, MoreSeedsThanHostsIsRefused) {
  Scenario s = scenario(prefix("10.0.0.0", 16), 2);
  s.worm.seed_addresses = {addr("10.0.0.5"), addr("10.0.0.7"), addr("10.0.0.9")};
  EXPECT_EQ(message_of(s), "worm.seed_addresses must have at most population.hosts = 2 entries, got 3 entries");
}

TEST(Placement, HostsMayAllBeSeeds) {
  for (PlacementKind kind : {PlacementKind::kUniform, PlacementKind::kClustered}) {
    Scenario s = scenario(prefix("0.0.0.0", 0), 3, kind);
    s.worm.seed_addresses = {addr("1.2.3.4"), addr("200.0.0.1"), addr("61.0.0.0")};
    const auto hosts = place(s);
    expect_valid(s, hosts);
    EXPECT_EQ(hosts, (std::vector<std::uint32_t>{addr("1.2.3.4"), addr("61.0.0.0"), addr("200.0.0.1")}));
  }
}

// ---------------------------------------------------------------------------
// Clustered

TEST(Placement, ClusteredHostsLieInsideTheDefaultAllocatedPrefixes) {
  Scenario s = scenario(prefix("0.0.0.0", 0), 100000, PlacementKind::kClustered);
  s.worm.excluded = kCodeRedExcluded;
  const auto hosts = place(s);
  expect_valid(s, hosts);
  const std::vector<Prefix> allocated = default_allocated_prefixes();
  for (std::uint32_t a : hosts) ASSERT_TRUE(inside_any(a, allocated)) << format_address(a);
}

TEST(Placement, ClusteredHostsLieInsideGivenAllocatedPrefixesMinusExcluded) {
  Scenario s = scenario(prefix("0.0.0.0", 0), 20000, PlacementKind::kClustered);
  s.population.placement.allocated = {prefix("24.0.0.0", 8), prefix("61.128.0.0", 9), prefix("62.0.0.0", 16),
                                      prefix("24.0.0.0", 12)};
  s.worm.excluded = {prefix("24.16.0.0", 12), prefix("61.200.0.0", 13)};
  const auto hosts = place(s);
  expect_valid(s, hosts);
  for (std::uint32_t a : hosts) ASSERT_TRUE(inside_any(a, s.population.placement.allocated)) << format_address(a);
}

TEST(Placement, ClusteredHostsCrowdIntoFewBlocks) {
  // With /24 blocks and at least one host per block, 20,000 hosts occupy at most
  // 20,000 /24s, far fewer in practice (Pareto counts, mean about 4 per block), while
  // uniform placement puts almost every host in its own /24.
  Scenario s = scenario(prefix("0.0.0.0", 0), 20000, PlacementKind::kClustered);
  s.population.placement.block_sizes = {{24, 1.0}};
  std::set<std::uint32_t> slash24s;
  for (std::uint32_t a : place(s)) slash24s.insert(a >> 8);
  EXPECT_LT(slash24s.size(), 8000u);
  EXPECT_GT(slash24s.size(), 2000u);
}

TEST(Placement, ClusteredSeedsAreHostsEvenOutsideTheAllocatedPrefixes) {
  Scenario s = scenario(prefix("0.0.0.0", 0), 5000, PlacementKind::kClustered);
  s.population.placement.allocated = {prefix("62.0.0.0", 16)};
  s.population.placement.block_sizes = {{16, 1.0}};  // the one block covers 62.0/16 and its seed
  s.worm.seed_addresses = {addr("1.1.1.1"), addr("62.0.0.1"), addr("62.0.255.255")};
  const auto hosts = place(s);
  expect_valid(s, hosts);
  EXPECT_EQ(hosts.front(), addr("1.1.1.1"));
  for (std::size_t i = 1; i < hosts.size(); ++i) ASSERT_TRUE(prefix("62.0.0.0", 16).contains(hosts[i]));
}

TEST(Placement, ClusteredPlacesEveryHostWhenBlocksOverflow) {
  // One /16 of allocated space and /16 blocks: the first block takes the only slot,
  // the others are split into smaller blocks, down to single addresses.
  Scenario s = scenario(prefix("0.0.0.0", 0), 30000, PlacementKind::kClustered);
  s.population.placement.allocated = {prefix("150.10.0.0", 16)};
  s.population.placement.block_sizes = {{16, 0.5}, {20, 0.5}};
  s.population.placement.min_hosts_per_block = 5;
  const auto hosts = place(s);
  expect_valid(s, hosts);
  for (std::uint32_t a : hosts) ASSERT_TRUE(prefix("150.10.0.0", 16).contains(a));
}

TEST(Placement, ClusteredFillsTheAllocatedSpaceWhenHostsEqualItsSize) {
  Scenario s = scenario(prefix("10.0.0.0", 8), 4096 + 256, PlacementKind::kClustered);
  s.population.placement.allocated = {prefix("10.1.0.0", 20), prefix("10.9.9.0", 24)};
  s.worm.seed_addresses = {addr("10.9.9.9")};
  const auto hosts = place(s);
  expect_valid(s, hosts);
  EXPECT_EQ(hosts.front(), addr("10.1.0.0"));
  EXPECT_EQ(hosts[4095], addr("10.1.15.255"));
  EXPECT_EQ(hosts[4096], addr("10.9.9.0"));
  EXPECT_EQ(hosts.back(), addr("10.9.9.255"));
}

TEST(Placement, ClusteredWorksInASpaceSmallerThanItsBlocks) {
  // A /24 campus with the default block sizes (/24 to /16): blocks larger than the
  // space overflow into /24s and smaller.
  Scenario s = scenario(prefix("10.20.30.0", 24), 200, PlacementKind::kClustered);
  s.population.placement.allocated = {prefix("10.0.0.0", 8)};
  expect_valid(s, place(s));
}

TEST(Placement, BothKindsWorkInASingleAddressSpaceAndAtTheEdgesOfIpv4) {
  for (PlacementKind kind : {PlacementKind::kUniform, PlacementKind::kClustered}) {
    const Scenario one = scenario(prefix("61.0.0.7", 32), 1, kind);
    EXPECT_EQ(place(one), (std::vector<std::uint32_t>{addr("61.0.0.7")}));
    Scenario edges = scenario(prefix("0.0.0.0", 0), 500, kind);
    edges.population.placement.allocated = {prefix("0.0.0.0", 24), prefix("255.255.255.0", 24)};
    edges.population.placement.block_sizes = {{32, 0.5}, {24, 0.5}};
    edges.worm.seed_addresses = {addr("0.0.0.0"), addr("255.255.255.255")};
    expect_valid(edges, place(edges));
  }
}

TEST(Placement, ClusteredIsReproducibleAndDependsOnTheSeed) {
  Scenario s = scenario(prefix("0.0.0.0", 0), 20000, PlacementKind::kClustered);
  s.worm.excluded = kCodeRedExcluded;
  s.worm.seed_addresses = {addr("61.0.0.1")};
  EXPECT_EQ(place(s, 7), place(s, 7));
  EXPECT_NE(place(s, 7), place(s, 8));
}

TEST(Placement, ClusteredRefusesMoreHostsThanAllocatedAddresses) {
  Scenario s = scenario(prefix("0.0.0.0", 0), 400, PlacementKind::kClustered);
  s.population.placement.allocated = {prefix("192.0.2.0", 24), prefix("198.51.100.0", 25)};
  s.worm.excluded = {prefix("192.0.2.0", 28)};
  EXPECT_EQ(message_of(s),
            "population.hosts must be at most 368 for clustered placement (the 368 allocated addresses of "
            "population.placement.allocated (2 prefixes) inside the address space 0.0.0.0/0 and outside "
            "worm.excluded), got 400");
  s.worm.seed_addresses = {addr("1.2.3.4")};
  EXPECT_EQ(message_of(s),
            "population.hosts must be at most 369 for clustered placement (the 368 allocated addresses of "
            "population.placement.allocated (2 prefixes) inside the address space 0.0.0.0/0 and outside "
            "worm.excluded, plus 1 seed address outside them), got 400");
  s.population.placement.allocation_file = "alloc-2003.txt";
  s.population.placement.allocated.pop_back();
  s.worm.seed_addresses = {addr("1.2.3.4"), addr("1.2.3.5")};
  EXPECT_EQ(message_of(s),
            "population.hosts must be at most 242 for clustered placement (the 240 allocated addresses of the "
            "allocation file 'alloc-2003.txt' (1 prefix) inside the address space 0.0.0.0/0 and outside "
            "worm.excluded, plus 2 seed addresses outside them), got 400");
}

TEST(Placement, ClusteredRefusesAnEmptyIntersectionWithTheSpace) {
  Scenario s = scenario(prefix("10.0.0.0", 8), 1, PlacementKind::kClustered);  // 10/8 is not in the default list
  EXPECT_EQ(message_of(s),
            "population.placement.allocated must overlap the address space 10.0.0.0/8 for clustered placement "
            "(hosts are placed only in allocated addresses inside it), got none, and none of the default "
            "allocated /8s is inside it");
}

TEST(Placement, ClusteredRefusesUnusableParameters) {
  Scenario s = scenario(prefix("0.0.0.0", 0), 100, PlacementKind::kClustered);
  s.population.placement.hosts_per_block_alpha = 0;
  EXPECT_EQ(message_of(s), "population.placement.hosts_per_block_alpha must be > 0, got 0");
  s.population.placement.hosts_per_block_alpha = 1.2;
  s.population.placement.min_hosts_per_block = 0.5;
  EXPECT_EQ(message_of(s), "population.placement.min_hosts_per_block must be >= 1, got 0.5");
  s.population.placement.min_hosts_per_block = 1;
  s.population.placement.block_sizes = {};
  EXPECT_EQ(message_of(s),
            "population.placement.block_sizes must have at least one entry for clustered placement, got none");
  s.population.placement.block_sizes = {{24, 0.5}, {40, 0.5}};
  EXPECT_EQ(message_of(s), "population.placement.block_sizes[1].prefix_length must be between 0 and 32, got 40");
}

TEST(Placement, PlaceableAddressCountCountsAllowedAddressesAndOutsideSeeds) {
  Scenario s = scenario(prefix("10.20.0.0", 16), 10);
  s.worm.excluded = {prefix("10.20.0.0", 20), prefix("10.0.0.0", 12)};
  EXPECT_EQ(placeable_address_count(s), 65536u - 4096u);
  s.population.placement.kind = PlacementKind::kClustered;
  s.population.placement.allocated = {prefix("10.20.255.0", 24), prefix("10.20.16.0", 21)};
  s.worm.seed_addresses = {addr("10.20.100.1"), addr("10.20.255.1")};
  EXPECT_EQ(placeable_address_count(s), 256u + 2048u + 1u);
}

// ---------------------------------------------------------------------------
// The default allocated space

TEST(DefaultAllocatedPrefixes, AreSortedDisjointAndSkipReservedSpace) {
  const std::vector<Prefix> prefixes = default_allocated_prefixes();
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < prefixes.size(); ++i) {
    const Prefix& p = prefixes[i];
    EXPECT_EQ(p.base & ~(p.length == 0 ? 0u : ~0u << (32 - p.length)), 0u) << "host bits set";
    if (i > 0) {
      EXPECT_GE(p.base, prefixes[i - 1].base + prefixes[i - 1].size()) << "overlap or unsorted";
    }
    total += p.size();
  }
  // 133 /8s minus 169.254/16, 172.16/12 and 192.168/16.
  EXPECT_EQ(total, 133 * (std::uint64_t{1} << 24) - 65536 - (1u << 20) - 65536);
  for (const char* reserved :
       {"0.0.0.1",         "10.1.2.3",   "127.0.0.1",      "224.0.0.1",   "240.0.0.1", "255.255.255.255",
        "169.254.1.1",     "172.16.0.1", "172.31.255.255", "192.168.1.1", "1.1.1.1",   "14.0.0.1",
        "41.0.0.1",        "58.0.0.1",   "70.0.0.1",       "85.0.0.1",    "126.0.0.1", "173.0.0.1",
        "187.255.255.255", "189.0.0.1",  "190.0.0.1",      "197.0.0.1",   "223.0.0.1"}) {
    EXPECT_FALSE(inside_any(addr(reserved), prefixes)) << reserved;
  }
  for (const char* allocated :
       {"3.0.0.1", "18.0.0.1", "24.1.2.3", "57.0.0.1", "60.0.0.1", "69.255.255.255", "80.1.1.1", "84.0.0.1",
        "128.0.0.0", "169.253.255.255", "169.255.0.0", "172.15.0.1", "172.32.0.1", "188.0.0.1", "191.0.0.1",
        "192.167.0.1", "192.169.0.1", "201.0.0.1", "222.255.255.255"}) {
    EXPECT_TRUE(inside_any(addr(allocated), prefixes)) << allocated;
  }
}

}  // namespace
}  // namespace patchrace::detail
