#include "model/radix_sort.hpp"

#include <algorithm>

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

void sort_u64_by_high32(std::vector<std::uint64_t>& keys) {
  constexpr std::size_t kRadixThreshold = 1 << 16;
  if (keys.size() < kRadixThreshold) {
    std::stable_sort(keys.begin(), keys.end(),
                     [](std::uint64_t a, std::uint64_t b) { return (a >> 32) < (b >> 32); });
    return;
  }
  std::vector<std::uint64_t> buffer(keys.size());
  std::vector<std::uint32_t> counts(1 << 16);
  for (int shift : {32, 48}) {
    std::fill(counts.begin(), counts.end(), 0);
    for (std::uint64_t k : keys) ++counts[(k >> shift) & 0xffff];
    std::uint32_t sum = 0;
    for (auto& c : counts) {
      const std::uint32_t n = c;
      c = sum;
      sum += n;
    }
    for (std::uint64_t k : keys) buffer[counts[(k >> shift) & 0xffff]++] = k;
    keys.swap(buffer);
  }
}

}  // namespace patchrace::detail
