#include "model/population.hpp"

#include <algorithm>
#include <array>

#include "engine/samplers.hpp"

namespace patchrace::detail {

void sort_u32(std::vector<std::uint32_t>& keys) {
  constexpr std::size_t kRadixThreshold = 1 << 16;
  if (keys.size() < kRadixThreshold) {
    std::sort(keys.begin(), keys.end());
    return;
  }
  std::vector<std::uint32_t> buffer(keys.size());
  std::vector<std::uint32_t> counts(1 << 16);
  for (int shift : {0, 16}) {
    std::fill(counts.begin(), counts.end(), 0);
    for (std::uint32_t k : keys) ++counts[(k >> shift) & 0xffff];
    std::uint32_t sum = 0;
    for (auto& c : counts) {
      const std::uint32_t n = c;
      c = sum;
      sum += n;
    }
    for (std::uint32_t k : keys) buffer[counts[(k >> shift) & 0xffff]++] = k;
    keys.swap(buffer);
  }
}

namespace {

/// Dense case (more than half the space is taken): partial Fisher-Yates shuffle
/// over every free offset. O(space size), which is then at most 2 x hosts.
std::vector<std::uint32_t> place_dense(std::uint64_t size, std::uint64_t hosts,
                                       std::vector<std::uint32_t> taken, Rng& rng) {
  std::vector<std::uint32_t> free_offsets;
  free_offsets.reserve(size - taken.size());
  std::size_t next_taken = 0;
  for (std::uint64_t v = 0; v < size; ++v) {
    if (next_taken < taken.size() && taken[next_taken] == v) {
      ++next_taken;
    } else {
      free_offsets.push_back(static_cast<std::uint32_t>(v));
    }
  }
  const std::uint64_t wanted = hosts - taken.size();
  for (std::uint64_t i = 0; i < wanted; ++i) {
    const std::uint64_t j = i + sample_index(rng, free_offsets.size() - i);
    std::swap(free_offsets[i], free_offsets[j]);
  }
  free_offsets.resize(wanted);
  taken.insert(taken.end(), free_offsets.begin(), free_offsets.end());
  sort_u32(taken);
  return taken;
}

}  // namespace

std::vector<std::uint32_t> place_hosts_uniform(const AddressSpaceSpec& space, std::uint64_t hosts,
                                               std::span<const std::uint32_t> required,
                                               Rng& rng) {
  const std::uint64_t size = space.size();
  // Work with offsets from the base: sorted offsets give sorted addresses.
  std::vector<std::uint32_t> offsets;
  offsets.reserve(hosts);
  for (std::uint32_t a : required) offsets.push_back(a - space.base);
  std::sort(offsets.begin(), offsets.end());
  offsets.erase(std::unique(offsets.begin(), offsets.end()), offsets.end());

  if (2 * hosts > size) {
    offsets = place_dense(size, hosts, std::move(offsets), rng);
    for (auto& v : offsets) v += space.base;
    return offsets;
  }
  // The first `hosts` distinct values of an i.i.d. uniform sequence form a uniform
  // random subset; drawing the shortfall in batches and discarding repeats is that
  // sequence cut into pieces, so the result is exactly uniform.
  std::vector<std::uint32_t> batch;
  while (offsets.size() < hosts) {
    const std::size_t missing = hosts - offsets.size();
    batch.resize(missing);
    for (auto& v : batch) v = static_cast<std::uint32_t>(sample_index(rng, size));
    sort_u32(batch);
    const std::size_t old_size = offsets.size();
    offsets.insert(offsets.end(), batch.begin(), batch.end());
    std::inplace_merge(offsets.begin(), offsets.begin() + static_cast<std::ptrdiff_t>(old_size),
                       offsets.end());
    offsets.erase(std::unique(offsets.begin(), offsets.end()), offsets.end());
  }
  for (auto& v : offsets) v += space.base;
  return offsets;
}

}  // namespace patchrace::detail
