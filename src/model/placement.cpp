#include "model/placement.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <optional>
#include <cmath>
#include <span>
#include <string>
#include <utility>

#include "base/samplers.hpp"
#include "base/radix_sort.hpp"
#include "patchrace/error.hpp"

namespace patchrace::detail {

namespace {

/// A half-open range [lo, hi) of addresses (or of slot indices), 64-bit so that the
/// end of IPv4, 2^32, is representable.
struct Interval {
  std::uint64_t lo = 0;
  std::uint64_t hi = 0;
};

std::uint64_t total_size(std::span<const Interval> intervals) {
  std::uint64_t n = 0;
  for (const Interval& i : intervals) n += i.hi - i.lo;
  return n;
}

std::string format_prefix(const Prefix& p) { return fmt::format("{}/{}", format_address(p.base), p.length); }

/// Sorted, disjoint, non-adjacent intervals covering the union of `prefixes`.
std::vector<Interval> merged_intervals(std::span<const Prefix> prefixes) {
  std::vector<Interval> raw;
  raw.reserve(prefixes.size());
  for (const Prefix& p : prefixes) raw.push_back({p.base, p.base + p.size()});
  std::sort(raw.begin(), raw.end(), [](const Interval& a, const Interval& b) { return a.lo < b.lo; });
  std::vector<Interval> merged;
  for (const Interval& i : raw) {
    if (!merged.empty() && i.lo <= merged.back().hi) {
      merged.back().hi = std::max(merged.back().hi, i.hi);
    } else {
      merged.push_back(i);
    }
  }
  return merged;
}

/// a ∩ b for sorted disjoint lists.
std::vector<Interval> intersect(std::span<const Interval> a, std::span<const Interval> b) {
  std::vector<Interval> out;
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < a.size() && j < b.size()) {
    const std::uint64_t lo = std::max(a[i].lo, b[j].lo);
    const std::uint64_t hi = std::min(a[i].hi, b[j].hi);
    if (lo < hi) out.push_back({lo, hi});
    if (a[i].hi < b[j].hi) {
      ++i;
    } else {
      ++j;
    }
  }
  return out;
}

/// a minus b for sorted disjoint lists.
std::vector<Interval> subtract(std::span<const Interval> a, std::span<const Interval> b) {
  std::vector<Interval> out;
  std::size_t j = 0;
  for (Interval cur : a) {
    while (j < b.size() && b[j].hi <= cur.lo) ++j;
    std::size_t k = j;
    while (k < b.size() && b[k].lo < cur.hi) {
      if (b[k].lo > cur.lo) out.push_back({cur.lo, b[k].lo});
      cur.lo = std::max(cur.lo, b[k].hi);
      if (cur.lo >= cur.hi) break;
      ++k;
    }
    if (cur.lo < cur.hi) out.push_back(cur);
  }
  return out;
}

/// The addresses hosts other than the seeds may take (see the header).
std::vector<Interval> allowed_intervals(const Scenario& scenario) {
  const AddressSpaceSpec& space = scenario.address_space;
  const std::vector<Interval> space_interval = {{space.base, space.base + space.size()}};
  std::vector<Interval> allowed = space_interval;
  const PlacementSpec& placement = scenario.population.placement;
  if (placement.kind == PlacementKind::kClustered) {
    const std::vector<Prefix> allocated =
        placement.allocated.empty() ? default_allocated_prefixes() : placement.allocated;
    allowed = intersect(space_interval, merged_intervals(allocated));
  }
  return subtract(allowed, merged_intervals(scenario.worm.excluded));
}

/// Addresses of the allocated prefixes (clustered placement) inside the address space,
/// before worm.excluded is taken out.
std::uint64_t allocated_in_space(const Scenario& scenario) {
  const AddressSpaceSpec& space = scenario.address_space;
  const std::vector<Interval> space_interval = {{space.base, space.base + space.size()}};
  const PlacementSpec& placement = scenario.population.placement;
  const std::vector<Prefix> allocated =
      placement.allocated.empty() ? default_allocated_prefixes() : placement.allocated;
  return total_size(intersect(space_interval, merged_intervals(allocated)));
}

/// Maps sorted indices in [0, total_size(intervals)) to the addresses they rank,
/// in place (the i-th allowed address in ascending order for index i).
void indices_to_addresses(std::vector<std::uint32_t>& values, std::span<const Interval> intervals) {
  std::size_t k = 0;
  std::uint64_t start = 0;  // index of intervals[k].lo
  for (auto& v : values) {
    while (v >= start + (intervals[k].hi - intervals[k].lo)) {
      start += intervals[k].hi - intervals[k].lo;
      ++k;
    }
    v = static_cast<std::uint32_t>(intervals[k].lo + (v - start));
  }
}

/// Appends to `ranks` the rank among the allowed addresses of each address of `sorted`
/// that lies in `intervals`; returns the addresses that do not.
std::vector<std::uint32_t> ranks_of(std::span<const std::uint32_t> sorted, std::span<const Interval> intervals,
                                    std::vector<std::uint32_t>& ranks) {
  std::vector<std::uint32_t> outside;
  std::size_t k = 0;
  std::uint64_t start = 0;
  for (std::uint32_t a : sorted) {
    while (k < intervals.size() && intervals[k].hi <= a) {
      start += intervals[k].hi - intervals[k].lo;
      ++k;
    }
    if (k < intervals.size() && intervals[k].lo <= a) {
      ranks.push_back(static_cast<std::uint32_t>(start + (a - intervals[k].lo)));
    } else {
      outside.push_back(a);
    }
  }
  return outside;
}

/// Dense case of sample_subset (more than half of [0, n) is taken): partial
/// Fisher-Yates shuffle over every value not required. O(n), which is then at most
/// 2 x count.
std::vector<std::uint32_t> sample_dense(std::uint64_t n, std::uint64_t count, std::vector<std::uint32_t> taken,
                                        Rng& rng) {
  std::vector<std::uint32_t> free_values;
  free_values.reserve(n - taken.size());
  std::size_t next_taken = 0;
  for (std::uint64_t v = 0; v < n; ++v) {
    if (next_taken < taken.size() && taken[next_taken] == v) {
      ++next_taken;
    } else {
      free_values.push_back(static_cast<std::uint32_t>(v));
    }
  }
  const std::uint64_t wanted = count - taken.size();
  for (std::uint64_t i = 0; i < wanted; ++i) {
    const std::uint64_t j = i + sample_index(rng, free_values.size() - i);
    std::swap(free_values[i], free_values[j]);
  }
  free_values.resize(wanted);
  taken.insert(taken.end(), free_values.begin(), free_values.end());
  sort_u32(taken);
  return taken;
}

/// `count` distinct values of [0, n), n <= 2^32, sorted ascending: all of `required`
/// (sorted, distinct, < n, at most count) and a uniformly random subset of the rest.
std::vector<std::uint32_t> sample_subset(std::uint64_t n, std::uint64_t count, std::vector<std::uint32_t> required,
                                         Rng& rng) {
  if (2 * count > n) return sample_dense(n, count, std::move(required), rng);
  // The first `count` distinct values of an i.i.d. uniform sequence form a uniform
  // random subset; drawing the shortfall in batches and discarding repeats is that
  // sequence cut into pieces, so the result is exactly uniform.
  std::vector<std::uint32_t> values = std::move(required);
  values.reserve(count);
  std::vector<std::uint32_t> batch;
  while (values.size() < count) {
    batch.resize(count - values.size());
    for (auto& v : batch) v = static_cast<std::uint32_t>(sample_index(rng, n));
    sort_u32(batch);
    const std::size_t old_size = values.size();
    values.insert(values.end(), batch.begin(), batch.end());
    std::inplace_merge(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(old_size), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
  }
  return values;
}

/// The seeds, sorted, after checking them against the space, the excluded prefixes and
/// each other (a safety net: validation reports the same problems first).
std::vector<std::uint32_t> checked_seeds(const Scenario& scenario) {
  const auto& seeds = scenario.worm.seed_addresses;
  const AddressSpaceSpec& space = scenario.address_space;
  const Prefix space_prefix{space.base, space.prefix_length};
  if (seeds.size() > scenario.population.hosts) {
    throw InvalidScenario(
        fmt::format("worm.seed_addresses must have at most population.hosts = {} entries, got {} entries",
                    scenario.population.hosts, seeds.size()));
  }
  for (std::size_t i = 0; i < seeds.size(); ++i) {
    if (!space_prefix.contains(seeds[i])) {
      throw InvalidScenario(fmt::format("worm.seed_addresses[{}] must be inside the address space {}, got {}", i,
                                        format_prefix(space_prefix), format_address(seeds[i])));
    }
    for (const Prefix& p : scenario.worm.excluded) {
      if (p.contains(seeds[i])) {
        throw InvalidScenario(fmt::format("worm.seed_addresses[{}] must be outside worm.excluded, got {} (inside {})",
                                          i, format_address(seeds[i]), format_prefix(p)));
      }
    }
  }
  std::vector<std::pair<std::uint32_t, std::size_t>> order;
  order.reserve(seeds.size());
  for (std::size_t i = 0; i < seeds.size(); ++i) order.emplace_back(seeds[i], i);
  std::sort(order.begin(), order.end());
  for (std::size_t i = 1; i < order.size(); ++i) {
    if (order[i].first == order[i - 1].first) {
      throw InvalidScenario(
          fmt::format("worm.seed_addresses[{}] must be distinct from worm.seed_addresses[{}], got {} again",
                      order[i].second, order[i - 1].second, format_address(order[i].first)));
    }
  }
  std::vector<std::uint32_t> sorted;
  sorted.reserve(order.size());
  for (const auto& [address, index] : order) sorted.push_back(address);
  return sorted;
}

/// The violation of the capacity rule when the allowed addresses (plus the seeds outside
/// them) cannot hold the hosts.
std::optional<ScenarioViolation> capacity_violation(const Scenario& scenario, std::uint64_t allowed,
                                                    std::uint64_t seeds_outside) {
  const std::uint64_t hosts = scenario.population.hosts;
  const std::uint64_t capacity = allowed + seeds_outside;
  if (hosts <= capacity) return std::nullopt;
  const AddressSpaceSpec& space = scenario.address_space;
  const std::string space_text = format_prefix({space.base, space.prefix_length});
  const PlacementSpec& placement = scenario.population.placement;
  if (placement.kind == PlacementKind::kUniform) {
    return ScenarioViolation{
        "population.hosts",
        fmt::format("population.hosts must be at most {} (the addresses of the address space {} outside "
                    "worm.excluded), got {}",
                    capacity, space_text, hosts)};
  }
  const std::size_t n = placement.allocated.size();
  const std::string count_text = fmt::format("{} prefix{}", n, n == 1 ? "" : "es");
  std::string allocated_text = "the default allocated /8s";
  if (!placement.allocation_file.empty()) {
    allocated_text = fmt::format("the allocation file '{}' ({})", placement.allocation_file, count_text);
  } else if (n > 0) {
    allocated_text = fmt::format("population.placement.allocated ({})", count_text);
  }
  if (allocated_in_space(scenario) == 0) {
    // Nothing allocated lies in the space: say so rather than "at most 0".
    const bool from_file = !placement.allocation_file.empty();
    const std::string key = from_file ? "population.placement.allocation_file" : "population.placement.allocated";
    std::string got = "none, and none of the default allocated /8s is inside it";
    if (from_file) {
      got = fmt::format("'{}' ({}), none inside it", placement.allocation_file, count_text);
    } else if (n > 0) {
      got = fmt::format("{}, none inside it", count_text);
    }
    return ScenarioViolation{key, fmt::format("{} must overlap the address space {} for clustered placement (hosts "
                                              "are placed only in allocated addresses inside it), got {}",
                                              key, space_text, got)};
  }
  const std::string seeds_text = seeds_outside == 0 ? std::string()
                                                    : fmt::format(", plus {} seed address{} outside them",
                                                                  seeds_outside, seeds_outside == 1 ? "" : "es");
  return ScenarioViolation{
      "population.hosts",
      fmt::format("population.hosts must be at most {} for clustered placement (the {} allocated addresses of {} "
                  "inside the address space {} and outside worm.excluded{}), got {}",
                  capacity, allowed, allocated_text, space_text, seeds_text, hosts)};
}

// ---------------------------------------------------------------------------
// Clustered placement

/// An organisation block: an aligned prefix and the hosts it holds.
struct Block {
  std::uint32_t base = 0;
  int length = 0;
  std::uint64_t hosts = 0;
};

std::uint64_t slot_size(int length) { return std::uint64_t{1} << (32 - length); }

void check_clustered_parameters(const PlacementSpec& p) {
  if (p.block_sizes.empty()) {
    throw InvalidScenario(
        "population.placement.block_sizes must have at least one entry for clustered placement, got none");
  }
  double total = 0;
  for (std::size_t i = 0; i < p.block_sizes.size(); ++i) {
    const BlockSizeSpec& b = p.block_sizes[i];
    if (b.prefix_length < 0 || b.prefix_length > 32) {
      throw InvalidScenario(fmt::format(
          "population.placement.block_sizes[{}].prefix_length must be between 0 and 32, got {}", i, b.prefix_length));
    }
    if (!(b.share >= 0) || !std::isfinite(b.share)) {
      throw InvalidScenario(
          fmt::format("population.placement.block_sizes[{}].share must be a finite number >= 0, got {}", i, b.share));
    }
    total += b.share;
  }
  if (!(total > 0)) {
    throw InvalidScenario("population.placement.block_sizes must have a share > 0, got all shares 0");
  }
  if (!(p.hosts_per_block_alpha > 0) || !std::isfinite(p.hosts_per_block_alpha)) {
    throw InvalidScenario(
        fmt::format("population.placement.hosts_per_block_alpha must be > 0, got {}", p.hosts_per_block_alpha));
  }
  if (!(p.min_hosts_per_block >= 1) || !std::isfinite(p.min_hosts_per_block)) {
    throw InvalidScenario(
        fmt::format("population.placement.min_hosts_per_block must be >= 1, got {}", p.min_hosts_per_block));
  }
}

/// Step 1: the blocks' lengths and host counts, in drawing order, grouped by length
/// (index = prefix length) while keeping the drawing order within each length.
std::array<std::vector<std::uint64_t>, 33> draw_blocks(const PlacementSpec& p, std::uint64_t target, Rng& rng) {
  std::array<std::vector<std::uint64_t>, 33> by_length;
  double total_share = 0;
  for (const BlockSizeSpec& b : p.block_sizes) total_share += b.share;
  const double inverse_alpha = 1.0 / p.hosts_per_block_alpha;
  std::uint64_t placed = 0;
  while (placed < target) {
    const double u = rng.uniform() * total_share;
    double cumulative = 0;
    int length = 0;
    for (const BlockSizeSpec& b : p.block_sizes) {
      if (b.share > 0) length = b.prefix_length;  // the last usable entry, against rounding
    }
    for (const BlockSizeSpec& b : p.block_sizes) {
      cumulative += b.share;
      if (u < cumulative && b.share > 0) {
        length = b.prefix_length;
        break;
      }
    }
    const double x = p.min_hosts_per_block * std::pow(rng.uniform_positive(), -inverse_alpha);
    const auto cap = static_cast<double>(slot_size(length));
    std::uint64_t h = x >= cap ? slot_size(length) : static_cast<std::uint64_t>(std::floor(x));
    h = std::min(h, target - placed);
    by_length[static_cast<std::size_t>(length)].push_back(h);
    placed += h;
  }
  return by_length;
}

/// Free slots of `length` as intervals of slot indices: the aligned /length prefixes
/// wholly inside `allowed` and disjoint from every block of `placed` (sorted by base,
/// all of length <= `length`, each wholly inside `allowed`).
std::vector<Interval> free_slots(std::span<const Interval> allowed, std::span<const Block> placed, int length) {
  const std::uint64_t s = slot_size(length);
  std::vector<Interval> out;
  std::size_t j = 0;
  for (const Interval& region : allowed) {
    const std::uint64_t first = (region.lo + s - 1) / s;
    const std::uint64_t end = region.hi / s;
    while (j < placed.size() && placed[j].base < region.lo) ++j;
    std::uint64_t cur = first;
    while (j < placed.size() && placed[j].base < region.hi) {
      const std::uint64_t block_first = placed[j].base / s;
      const std::uint64_t block_end = (placed[j].base + slot_size(placed[j].length)) / s;
      if (block_first > cur) out.push_back({cur, block_first});
      cur = std::max(cur, block_end);
      ++j;
    }
    if (cur < end) out.push_back({cur, end});
  }
  return out;
}

/// Step 2 and 3: positions of every block, sorted by base. Hosts that fit in no
/// block (overflow past /32) are added to `remainder`.
std::vector<Block> position_blocks(std::array<std::vector<std::uint64_t>, 33> pending, const PlacementSpec& p,
                                   std::span<const Interval> allowed, std::uint64_t& remainder, Rng& rng) {
  std::vector<bool> listed(33, false);
  for (const BlockSizeSpec& b : p.block_sizes) listed[static_cast<std::size_t>(b.prefix_length)] = true;
  std::vector<Block> placed;
  std::vector<Block> level;
  std::uint64_t uncovered = total_size(allowed);  // addresses of G outside every placed block
  for (int length = 0; length <= 32; ++length) {
    auto& counts = pending[static_cast<std::size_t>(length)];
    if (counts.empty()) continue;
    if (uncovered == 0) {  // no slot of any length is left: nothing more has a block
      for (int l = length; l <= 32; ++l) {
        for (std::uint64_t h : pending[static_cast<std::size_t>(l)]) remainder += h;
      }
      break;
    }
    const std::vector<Interval> slots = free_slots(allowed, placed, length);
    const std::uint64_t free_count = total_size(slots);
    const std::uint64_t fitting = std::min<std::uint64_t>(counts.size(), free_count);
    std::vector<std::uint32_t> chosen;
    if (fitting == free_count) {
      chosen.resize(fitting);
      for (std::uint64_t i = 0; i < fitting; ++i) chosen[i] = static_cast<std::uint32_t>(i);
    } else {
      chosen = sample_subset(free_count, fitting, {}, rng);
    }
    indices_to_addresses(chosen, slots);  // slot numbers
    level.clear();
    for (std::uint64_t i = 0; i < fitting; ++i) {
      level.push_back({static_cast<std::uint32_t>(std::uint64_t{chosen[i]} * slot_size(length)), length, counts[i]});
    }
    uncovered -= fitting * slot_size(length);
    const std::size_t old_size = placed.size();
    placed.insert(placed.end(), level.begin(), level.end());
    std::inplace_merge(placed.begin(), placed.begin() + static_cast<std::ptrdiff_t>(old_size), placed.end(),
                       [](const Block& a, const Block& b) { return a.base < b.base; });
    // Overflow: split the blocks without a slot into blocks of the next length.
    if (fitting == counts.size()) continue;
    if (length == 32) {
      for (std::size_t i = fitting; i < counts.size(); ++i) remainder += counts[i];
      continue;
    }
    int next = length + 1;
    for (int l = length + 1; l <= 32; ++l) {
      if (listed[static_cast<std::size_t>(l)]) {
        next = l;
        break;
      }
    }
    const std::uint64_t next_size = slot_size(next);
    auto& next_counts = pending[static_cast<std::size_t>(next)];
    for (std::size_t i = fitting; i < counts.size(); ++i) {
      const std::uint64_t h = counts[i];
      const std::uint64_t parts = (h + next_size - 1) / next_size;
      for (std::uint64_t k = 0; k < parts; ++k) next_counts.push_back(h / parts + (k < h % parts ? 1 : 0));
    }
  }
  return placed;
}

/// The number of seeds inside each block (blocks sorted by base).
std::vector<std::uint64_t> seeds_per_block(std::span<const Block> blocks, std::span<const std::uint32_t> seeds) {
  std::vector<std::uint64_t> counts(blocks.size(), 0);
  std::size_t s = 0;
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    const std::uint64_t end = std::uint64_t{blocks[i].base} + slot_size(blocks[i].length);
    while (s < seeds.size() && seeds[s] < blocks[i].base) ++s;
    for (; s < seeds.size() && seeds[s] < end; ++s) ++counts[i];
  }
  return counts;
}

/// Step 5: hosts without a block join existing blocks. Each of the `remainder` hosts
/// picks a block with probability proportional to the block's host count from step 2
/// (its weight), among the blocks that still have a free address. Drawn in rounds: all
/// the remaining hosts draw at once over the blocks with room; a block accepts up to
/// its free addresses and the hosts it turns away draw again, over the blocks still
/// with room, in the next round (the same distribution as one host at a time with
/// rejection). After kMaxRounds rounds, or when no block with weight has room, the
/// rest is left in `remainder` for step 7.
void join_blocks(std::vector<Block>& blocks, std::span<const std::uint64_t> seeds_in, std::uint64_t& remainder,
                 Rng& rng) {
  constexpr int kMaxRounds = 64;
  struct Candidate {
    std::size_t block;
    std::uint64_t weight;
    std::uint64_t room;
  };
  std::vector<Candidate> open;
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    const std::uint64_t room = slot_size(blocks[i].length) - seeds_in[i] - blocks[i].hosts;
    if (room > 0 && blocks[i].hosts > 0) open.push_back({i, blocks[i].hosts, room});
  }
  std::vector<std::uint32_t> draws;
  for (int round = 0; round < kMaxRounds && remainder > 0 && !open.empty(); ++round) {
    std::uint64_t total_weight = 0;
    for (const Candidate& c : open) total_weight += c.weight;
    draws.resize(remainder);
    for (auto& d : draws) d = static_cast<std::uint32_t>(sample_index(rng, total_weight));
    sort_u32(draws);
    std::size_t d = 0;
    std::uint64_t cumulative = 0;
    std::uint64_t turned_away = 0;
    std::size_t kept = 0;
    for (Candidate c : open) {
      cumulative += c.weight;
      std::uint64_t hits = 0;
      for (; d < draws.size() && draws[d] < cumulative; ++d) ++hits;
      const std::uint64_t accepted = std::min(hits, c.room);
      blocks[c.block].hosts += accepted;
      turned_away += hits - accepted;
      c.room -= accepted;
      if (c.room > 0) open[kept++] = c;
    }
    open.resize(kept);
    remainder = turned_away;
  }
}

/// Step 6: the hosts of every block (sorted by base) at distinct addresses of the
/// block that hold no seed. Requires hosts + seeds inside <= block size.
std::vector<std::uint32_t> fill_blocks(std::span<const Block> blocks, std::span<const std::uint32_t> seeds, Rng& rng) {
  std::vector<std::uint32_t> hosts;
  std::size_t s = 0;
  for (const Block& b : blocks) {
    const std::uint64_t size = slot_size(b.length);
    const std::uint64_t end = std::uint64_t{b.base} + size;
    std::vector<std::uint32_t> required;
    while (s < seeds.size() && seeds[s] < b.base) ++s;
    for (; s < seeds.size() && seeds[s] < end; ++s) required.push_back(seeds[s] - b.base);
    if (required.empty() && b.hosts == 1) {
      hosts.push_back(static_cast<std::uint32_t>(b.base + sample_index(rng, size)));
      continue;
    }
    const std::uint64_t wanted = b.hosts + required.size();
    const std::vector<std::uint32_t> offsets = sample_subset(size, wanted, required, rng);
    // Keep the block's own hosts; the seeds are added once, at the end.
    std::size_t r = 0;
    for (std::uint32_t o : offsets) {
      if (r < required.size() && required[r] == o) {
        ++r;
      } else {
        hosts.push_back(b.base + o);
      }
    }
  }
  return hosts;
}

std::vector<std::uint32_t> place_clustered(const Scenario& scenario, std::span<const Interval> allowed,
                                           const std::vector<std::uint32_t>& seeds, Rng& rng) {
  const PlacementSpec& p = scenario.population.placement;
  check_clustered_parameters(p);
  const std::uint64_t target = scenario.population.hosts - seeds.size();
  std::uint64_t remainder = 0;
  std::vector<Block> blocks = position_blocks(draw_blocks(p, target, rng), p, allowed, remainder, rng);
  // Step 4: a block holding seeds keeps at most its free addresses; the excess has no block.
  const std::vector<std::uint64_t> seeds_in = seeds_per_block(blocks, seeds);
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    const std::uint64_t room = slot_size(blocks[i].length) - seeds_in[i];
    if (blocks[i].hosts > room) {
      remainder += blocks[i].hosts - room;
      blocks[i].hosts = room;
    }
  }
  if (remainder > 0) join_blocks(blocks, seeds_in, remainder, rng);
  std::vector<std::uint32_t> hosts = fill_blocks(blocks, seeds, rng);
  // Merge in the seeds: block hosts never sit on a seed.
  const std::size_t old_size = hosts.size();
  hosts.insert(hosts.end(), seeds.begin(), seeds.end());
  std::inplace_merge(hosts.begin(), hosts.begin() + static_cast<std::ptrdiff_t>(old_size), hosts.end());
  if (remainder == 0) return hosts;
  // Step 7: the rest at uniformly random allowed addresses holding no host.
  std::vector<std::uint32_t> ranks;
  ranks.reserve(hosts.size() + remainder);
  const std::vector<std::uint32_t> outside = ranks_of(hosts, allowed, ranks);
  const std::uint64_t count = ranks.size() + remainder;
  std::vector<std::uint32_t> inside = sample_subset(total_size(allowed), count, std::move(ranks), rng);
  indices_to_addresses(inside, allowed);
  const std::size_t inside_size = inside.size();
  inside.insert(inside.end(), outside.begin(), outside.end());
  std::inplace_merge(inside.begin(), inside.begin() + static_cast<std::ptrdiff_t>(inside_size), inside.end());
  return inside;
}

}  // namespace

std::vector<std::uint32_t> place_hosts(const Scenario& scenario, Rng& rng) {
  const std::vector<std::uint32_t> seeds = checked_seeds(scenario);
  const std::vector<Interval> allowed = allowed_intervals(scenario);
  std::vector<std::uint32_t> seed_ranks;
  seed_ranks.reserve(seeds.size());
  const std::vector<std::uint32_t> seeds_outside = ranks_of(seeds, allowed, seed_ranks);
  const std::uint64_t allowed_count = total_size(allowed);
  // A safety net for direct callers: find_violation() reports the same rule first.
  if (auto v = capacity_violation(scenario, allowed_count, seeds_outside.size())) {
    throw InvalidScenario(v->message);
  }

  if (scenario.population.placement.kind == PlacementKind::kClustered) {
    return place_clustered(scenario, allowed, seeds, rng);
  }
  // Uniform: seeds outside the allowed addresses cannot exist here (the allowed
  // addresses are the whole space minus the excluded prefixes, which seeds avoid).
  std::vector<std::uint32_t> hosts =
      sample_subset(allowed_count, scenario.population.hosts, std::move(seed_ranks), rng);
  indices_to_addresses(hosts, allowed);
  return hosts;
}

namespace {

/// The allowed addresses of `scenario` and the number of its distinct seeds outside them.
std::pair<std::uint64_t, std::uint64_t> placeable_parts(const Scenario& scenario) {
  const std::vector<Interval> allowed = allowed_intervals(scenario);
  std::vector<std::uint32_t> seeds = scenario.worm.seed_addresses;
  std::sort(seeds.begin(), seeds.end());
  seeds.erase(std::unique(seeds.begin(), seeds.end()), seeds.end());
  std::vector<std::uint32_t> ranks;
  return {total_size(allowed), ranks_of(seeds, allowed, ranks).size()};
}

}  // namespace

std::uint64_t placeable_address_count(const Scenario& scenario) {
  const auto [allowed, seeds_outside] = placeable_parts(scenario);
  return allowed + seeds_outside;
}

std::optional<ScenarioViolation> find_capacity_violation(const Scenario& scenario) {
  const auto [allowed, seeds_outside] = placeable_parts(scenario);
  return capacity_violation(scenario, allowed, seeds_outside);
}

std::vector<Prefix> default_allocated_prefixes() {
  // The /8s IANA had allocated by the end of 2003, after the IANA IPv4 Address Space
  // Registry (www.iana.org/assignments/ipv4-address-space) and its allocation dates,
  // as recalled at /8 granularity: approximate, not a copy of the registry. A /8 given
  // to an RIR counts as allocated although the RIR had handed out only part of it.
  //  - Legacy holders (1991-1995): GE, BBN/Level 3, the US DoD and its agencies, IBM,
  //    AT&T, Xerox, HP, DEC, Apple, MIT, Ford, CSC, UK MoD, Halliburton, MERIT, PSINet,
  //    Eli Lilly, Japan Inet, amateur radio, Interop, BNR, Prudential, UK DSS, DuPont,
  //    Cap Debis, Merck, US Postal Service, SITA; 24/8 (cable, ARIN).
  //  - RIR /8s up to Nov 2003: 60-69 (APNIC 60-61, RIPE 62, ARIN 63-69), 80-84 (RIPE).
  //  - The former class B space administered by the RIRs since 1993: 128-172, 188, 191.
  //  - The former class C space: 192-196 and 198-199 (1993), 200-201 (LACNIC 2002-03),
  //    202-203, 210-211, 218-222 (APNIC), 204-209 and 216 (ARIN), 212-213 and 217
  //    (RIPE), 214-215 (US DoD).
  // Left out: 0/8, 10/8 (private), 127/8 (loopback), 224/3 (multicast, reserved),
  // the /8s IANA still held in 2003 (1, 2, 5, 14, 23, 27, 31, 36, 37, 39, 41, 42, 46,
  // 49, 50, 58, 59, 70-79, 85-126, 173-187, 189, 190, 197, 223), and inside the kept
  // /8s the special-use blocks 169.254/16, 172.16/12 and 192.168/16.
  static constexpr std::array<int, 41> kLegacy = {3,  4,  6,  7,  8,  9,  11, 12, 13, 15, 16, 17, 18, 19,
                                                  20, 21, 22, 24, 25, 26, 28, 29, 30, 32, 33, 34, 35, 38,
                                                  40, 43, 44, 45, 47, 48, 51, 52, 53, 54, 55, 56, 57};
  std::vector<int> slash8s(kLegacy.begin(), kLegacy.end());
  for (int a = 60; a <= 69; ++a) slash8s.push_back(a);
  for (int a = 80; a <= 84; ++a) slash8s.push_back(a);
  for (int a = 128; a <= 172; ++a) slash8s.push_back(a);
  slash8s.push_back(188);
  slash8s.push_back(191);
  for (int a = 192; a <= 222; ++a) {
    if (a != 197) slash8s.push_back(a);
  }
  const std::array<Prefix, 3> special = {{{0xa9fe0000u, 16}, {0xac100000u, 12}, {0xc0a80000u, 16}}};
  std::vector<Prefix> prefixes;
  for (int a : slash8s) {
    const Prefix p{static_cast<std::uint32_t>(a) << 24, 8};
    const Prefix* hole = nullptr;
    for (const Prefix& s : special) {
      if (p.contains(s.base)) hole = &s;
    }
    if (hole == nullptr) {
      prefixes.push_back(p);
      continue;
    }
    // p minus the hole: the sibling of each prefix on the path from p down to the hole.
    for (int length = p.length + 1; length <= hole->length; ++length) {
      const std::uint32_t bit = std::uint32_t{1} << (32 - length);
      const std::uint32_t parent_mask = ~((bit << 1) - 1);
      prefixes.push_back({(hole->base & parent_mask) | ((hole->base & bit) ^ bit), length});
    }
  }
  std::sort(prefixes.begin(), prefixes.end(), [](const Prefix& x, const Prefix& y) { return x.base < y.base; });
  return prefixes;
}

}  // namespace patchrace::detail
