// Statistical tests of host placement (src/model/placement). Fixed seeds.
// Goodness-of-fit tests (chi-square) have significance 0.001; estimates are checked to
// within k = 5 standard errors, each standard error of order 1/sqrt(n).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <map>
#include <numeric>
#include <vector>

#include "base/rng.hpp"
#include "model/placement.hpp"
#include "patchrace/scenario.hpp"

namespace patchrace::detail {
namespace {

constexpr double kK = 5.0;

std::uint32_t addr(const char* text) { return parse_address(text).value(); }
Prefix prefix(const char* text, int length) { return {addr(text), length}; }

Scenario scenario(Prefix space, std::uint64_t hosts, PlacementKind kind) {
  Scenario s;
  s.address_space = {space.base, space.length};
  s.population.hosts = hosts;
  s.population.placement.kind = kind;
  return s;
}

std::vector<std::uint32_t> place(const Scenario& s, std::uint64_t seed) {
  Rng rng(seed, 0, StreamPurpose::kPlacement);
  return place_hosts(s, rng);
}

/// Upper critical value of the chi-square distribution with `df` degrees of freedom at
/// significance 0.001 (Wilson–Hilferty; relative error < 0.5 % for df >= 3).
double chi_square_critical_001(double df) {
  constexpr double kZ = 3.0902;
  const double c = 2.0 / (9.0 * df);
  return df * std::pow(1.0 - c + kZ * std::sqrt(c), 3.0);
}

/// Pearson's chi-square of the hosts against uniform placement over the allowed
/// addresses `allowed` (sorted addresses), in `bins` bins of consecutive allowed
/// addresses. Sampling without replacement makes the bin counts less variable than
/// multinomial counts, so the test is conservative.
double chi_square_uniform(const std::vector<std::uint32_t>& hosts, const std::vector<std::uint32_t>& allowed,
                          std::size_t bins) {
  std::vector<double> observed(bins, 0.0);
  std::vector<double> width(bins, 0.0);
  const auto bin_of_rank = [&](std::size_t rank) { return rank * bins / allowed.size(); };
  for (std::size_t r = 0; r < allowed.size(); ++r) width[bin_of_rank(r)] += 1;
  for (std::uint32_t a : hosts) {
    const auto it = std::lower_bound(allowed.begin(), allowed.end(), a);
    EXPECT_TRUE(it != allowed.end() && *it == a) << format_address(a) << " is not an allowed address";
    ++observed[bin_of_rank(static_cast<std::size_t>(it - allowed.begin()))];
  }
  double x2 = 0;
  for (std::size_t b = 0; b < bins; ++b) {
    const double expected = static_cast<double>(hosts.size()) * width[b] / static_cast<double>(allowed.size());
    x2 += (observed[b] - expected) * (observed[b] - expected) / expected;
  }
  return x2;
}

TEST(PlacementStatistics, UniformIsUniformOverTheAllowedAddresses) {
  // A /16 with three excluded prefixes (48,895 allowed addresses); both the sparse
  // (10,000 hosts) and the dense (40,000 hosts) algorithm; 50 bins, df = 49.
  Scenario s = scenario(prefix("10.20.0.0", 16), 0, PlacementKind::kUniform);
  s.worm.excluded = {prefix("10.20.64.0", 18), prefix("10.20.200.0", 24), prefix("10.20.255.255", 32)};
  std::vector<std::uint32_t> allowed;
  for (std::uint32_t a = addr("10.20.0.0"); a <= addr("10.20.255.255"); ++a) {
    if (std::none_of(s.worm.excluded.begin(), s.worm.excluded.end(), [a](const Prefix& p) { return p.contains(a); })) {
      allowed.push_back(a);
    }
  }
  ASSERT_EQ(allowed.size(), 48895u);
  for (std::uint64_t hosts : {10000, 40000}) {
    s.population.hosts = hosts;
    for (std::uint64_t seed : {1, 2, 3}) {
      EXPECT_LT(chi_square_uniform(place(s, seed), allowed, 50), chi_square_critical_001(49))
          << hosts << " hosts, seed " << seed;
    }
  }
}

TEST(PlacementStatistics, UniformOverIpv4SpreadsEvenlyOverTheAllowedSlash8s) {
  // Code Red II's exclusions; 200,000 hosts counted per allowed /8 (221 of them, df = 220).
  Scenario s = scenario(prefix("0.0.0.0", 0), 200000, PlacementKind::kUniform);
  s.worm.excluded = {prefix("0.0.0.0", 8), prefix("10.0.0.0", 8), prefix("127.0.0.0", 8), prefix("224.0.0.0", 3)};
  std::map<std::uint32_t, double> per_slash8;
  for (std::uint32_t a : place(s, 11)) ++per_slash8[a >> 24];
  const double expected = 200000.0 / 221.0;  // 256 - 3 - 32 allowed /8s
  ASSERT_LE(per_slash8.size(), 221u);
  double x2 = 0;
  for (std::uint32_t a8 = 0; a8 < 224; ++a8) {
    if (a8 == 0 || a8 == 10 || a8 == 127) {
      EXPECT_EQ(per_slash8.count(a8), 0u);
      continue;
    }
    const double o = per_slash8[a8];
    x2 += (o - expected) * (o - expected) / expected;
  }
  EXPECT_LT(x2, chi_square_critical_001(220));
}

/// Hosts per occupied /16, largest first.
std::vector<double> per_slash16_counts(const std::vector<std::uint32_t>& hosts) {
  std::vector<double> counts;
  for (std::size_t i = 0; i < hosts.size();) {
    std::size_t j = i;
    while (j < hosts.size() && (hosts[j] >> 16) == (hosts[i] >> 16)) ++j;
    counts.push_back(static_cast<double>(j - i));
    i = j;
  }
  std::sort(counts.begin(), counts.end(), std::greater<>());
  return counts;
}

double top_share(const std::vector<double>& sorted_counts, double fraction) {
  const auto top = static_cast<std::size_t>(std::ceil(fraction * static_cast<double>(sorted_counts.size())));
  const double total = std::accumulate(sorted_counts.begin(), sorted_counts.end(), 0.0);
  return std::accumulate(sorted_counts.begin(), sorted_counts.begin() + static_cast<std::ptrdiff_t>(top), 0.0) / total;
}

TEST(PlacementStatistics, ClusteredDensityPerSlash16IsHeavyTailedAndMostSlash16sAreEmpty) {
  // Slammer's 75,000 hosts with the default model. Uniform placement spreads them over
  // about 45,000 /16s with the top 1 % holding ~3 % of the hosts; clustered placement
  // leaves most /16s empty and the top 1 % of occupied /16s hold a large share.
  Scenario s = scenario(prefix("0.0.0.0", 0), 75000, PlacementKind::kClustered);
  s.worm.excluded = {prefix("0.0.0.0", 8), prefix("10.0.0.0", 8), prefix("127.0.0.0", 8), prefix("224.0.0.0", 3)};
  for (std::uint64_t seed : {1, 2, 3}) {
    const std::vector<double> clustered = per_slash16_counts(place(s, seed));
    EXPECT_LT(clustered.size(), 65536u / 4) << "seed " << seed;
    EXPECT_GT(top_share(clustered, 0.01), 0.2) << "seed " << seed;
  }
  s.population.placement.kind = PlacementKind::kUniform;
  const std::vector<double> uniform = per_slash16_counts(place(s, 1));
  EXPECT_GT(uniform.size(), 65536u / 2);
  EXPECT_LT(top_share(uniform, 0.01), 0.05);
}

TEST(PlacementStatistics, ClusteredStaysHeavyTailedWhenTheBlocksFillTheAllocatedSpace) {
  // 200,000 hosts in four /8s (1,024 /16s): the default blocks would need about
  // 1,500 addresses a host, so they cover the space and most hosts join existing
  // blocks in proportion to their counts. The /16 counts stay heavy-tailed (uniform
  // placement gives a top-10 % share of about 0.11).
  Scenario s = scenario(prefix("0.0.0.0", 0), 200000, PlacementKind::kClustered);
  s.population.placement.allocated = {prefix("61.0.0.0", 8), prefix("62.0.0.0", 8), prefix("80.0.0.0", 8),
                                      prefix("81.0.0.0", 8)};
  for (std::uint64_t seed : {1, 2, 3}) {
    const std::vector<double> counts = per_slash16_counts(place(s, seed));
    EXPECT_EQ(counts.size(), 1024u);
    EXPECT_GT(top_share(counts, 0.1), 0.4) << "seed " << seed;
  }
}

/// Hill's estimator of the tail index from the `k` largest of `sorted_counts`
/// (descending): k / sum_{i<k} ln(x_i / x_k). For a Pareto sample its standard error
/// is alpha / sqrt(k).
double hill_estimate(const std::vector<double>& sorted_counts, std::size_t k) {
  double sum = 0;
  for (std::size_t i = 0; i < k; ++i) sum += std::log(sorted_counts[i] / sorted_counts[k]);
  return static_cast<double>(k) / sum;
}

TEST(PlacementStatistics, ClusteredHillEstimateOfThePerSlash16TailMatchesAlpha) {
  // One block size, /16: each occupied /16 holds exactly one block, so its count is
  // the block's floored Pareto(alpha, 50) count (the floor and the cap at 65,536
  // shift the estimate by well under 1 %). About 20,000 blocks in 65,536 /16 slots;
  // Hill estimate from the top k = 1,000, tolerance 5 alpha / sqrt(k).
  constexpr std::size_t kTop = 1000;
  for (const auto& [alpha, hosts] : {std::pair{1.2, 4800000}, std::pair{2.0, 2000000}}) {
    Scenario s = scenario(prefix("0.0.0.0", 0), static_cast<std::uint64_t>(hosts), PlacementKind::kClustered);
    s.population.placement.allocated = {prefix("0.0.0.0", 0)};
    s.population.placement.block_sizes = {{16, 1.0}};
    s.population.placement.hosts_per_block_alpha = alpha;
    s.population.placement.min_hosts_per_block = 50;
    const std::vector<double> counts = per_slash16_counts(place(s, 5));
    ASSERT_GT(counts.size(), 10 * kTop);
    EXPECT_NEAR(hill_estimate(counts, kTop), alpha, kK * alpha / std::sqrt(static_cast<double>(kTop)))
        << "alpha " << alpha << ", " << counts.size() << " blocks";
  }
}

TEST(PlacementStatistics, ClusteredBlocksLandInProportionToTheFreeSlots) {
  // /24 blocks in a /8 and a /9: the blocks (occupied /24s) should split 2:1.
  // Binomial standard error sqrt(n p (1 - p)) with p = 2/3.
  Scenario s = scenario(prefix("0.0.0.0", 0), 60000, PlacementKind::kClustered);
  s.population.placement.allocated = {prefix("20.0.0.0", 8), prefix("30.0.0.0", 9)};
  s.population.placement.block_sizes = {{24, 1.0}};
  std::vector<std::uint32_t> slash24s;
  for (std::uint32_t a : place(s, 9)) {
    if (slash24s.empty() || slash24s.back() != (a >> 8)) slash24s.push_back(a >> 8);
  }
  const auto in_first = static_cast<double>(
      std::count_if(slash24s.begin(), slash24s.end(), [](std::uint32_t b) { return (b >> 16) == 20; }));
  const auto n = static_cast<double>(slash24s.size());
  EXPECT_NEAR(in_first / n, 2.0 / 3.0, kK * std::sqrt(2.0 / 9.0 / n));
}

TEST(PlacementStatistics, ClusteredHostsAreUniformInsideTheirBlocks) {
  // A single /16 block holding every host: the hosts are a uniform subset of it.
  Scenario s = scenario(prefix("0.0.0.0", 0), 20000, PlacementKind::kClustered);
  s.population.placement.allocated = {prefix("150.10.0.0", 16)};
  s.population.placement.block_sizes = {{16, 1.0}};
  s.population.placement.min_hosts_per_block = 65536;  // one block, capped at its size, trimmed to the hosts
  std::vector<std::uint32_t> allowed(65536);
  std::iota(allowed.begin(), allowed.end(), addr("150.10.0.0"));
  EXPECT_LT(chi_square_uniform(place(s, 13), allowed, 64), chi_square_critical_001(63));
}

}  // namespace
}  // namespace patchrace::detail
