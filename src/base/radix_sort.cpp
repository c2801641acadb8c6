#include "base/radix_sort.hpp"

#include <algorithm>
#include <initializer_list>

namespace patchrace::detail {
namespace {

constexpr std::size_t kRadixThreshold = 1 << 16;

/// LSD radix sort of `keys` by their 16-bit digits at `shifts`, least significant
/// first; stable.
template <typename Key>
void sort_by_digits(std::vector<Key>& keys, std::initializer_list<int> shifts) {
  std::vector<Key> buffer(keys.size());
  std::vector<std::uint32_t> counts(1 << 16);
  for (int shift : shifts) {
    std::fill(counts.begin(), counts.end(), 0);
    for (Key k : keys) ++counts[(k >> shift) & 0xffff];
    std::uint32_t sum = 0;
    for (auto& c : counts) {
      const std::uint32_t n = c;
      c = sum;
      sum += n;
    }
    for (Key k : keys) buffer[counts[(k >> shift) & 0xffff]++] = k;
    keys.swap(buffer);
  }
}

}  // namespace

void sort_u32(std::vector<std::uint32_t>& keys) {
  if (keys.size() < kRadixThreshold) {
    std::sort(keys.begin(), keys.end());
    return;
  }
  sort_by_digits(keys, {0, 16});
}

void sort_u64_by_high32(std::vector<std::uint64_t>& keys) {
  if (keys.size() < kRadixThreshold) {
    std::stable_sort(keys.begin(), keys.end(),
                     [](std::uint64_t a, std::uint64_t b) { return (a >> 32) < (b >> 32); });
    return;
  }
  sort_by_digits(keys, {32, 48});
}

}  // namespace patchrace::detail
