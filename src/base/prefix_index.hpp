// Lower bound in a sorted array of 32-bit keys through a table of where each
// high-bit prefix of the keys starts: one table read and a short search among the
// keys that share the prefix (about 16 when the keys are spread evenly), instead of a binary search over
// the whole array (a cache miss per step at 10^6 keys). The table costs about a
// quarter of a byte per key. The keys may be a field of larger records: the
// functions take the array and a projection from a record to its key.
#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "base/prefetch.hpp"

namespace patchrace::detail {

class PrefixIndex {
 public:
  PrefixIndex() = default;

  /// `keys`: records sorted by key(record), a 32-bit key; every key - `base` (modulo
  /// 2^32) below 2^`bits`, 0 <= bits <= 32, and in the same order as the keys. The
  /// records are not copied: queries take them again, with the same projection.
  template <typename T, typename Key = std::identity>
  PrefixIndex(std::span<const T> keys, std::uint32_t base, int bits, Key key = {}) : base_(base), bits_(bits) {
    const int width = std::bit_width(keys.size());
    const int prefix_bits = std::clamp(width - 4, 0, bits);
    shift_ = bits - prefix_bits;
    const std::size_t slots = std::size_t{1} << prefix_bits;
    start_.assign(slots + 1, static_cast<std::uint32_t>(keys.size()));
    // start_[s]: first key whose prefix is >= s.
    std::size_t s = 0;
    for (std::size_t i = 0; i < keys.size(); ++i) {
      const std::uint64_t prefix = std::uint64_t{static_cast<std::uint32_t>(std::invoke(key, keys[i]) - base_)} >> shift_;
      while (s <= prefix) start_[s++] = static_cast<std::uint32_t>(i);
    }
  }

  /// A plain array of keys.
  PrefixIndex(const std::vector<std::uint32_t>& keys, std::uint32_t base, int bits)
      : PrefixIndex(std::span<const std::uint32_t>(keys), base, bits) {}

  /// Index of the first record with key - base >= `offset`, or keys.size() if none.
  /// `keys` and `key` must be those the index was built from.
  template <typename T, typename Key = std::identity>
  [[nodiscard]] std::size_t lower_bound(std::span<const T> keys, std::uint64_t offset, Key key = {}) const {
    if (offset >> bits_ != 0) return keys.size();
    const std::size_t slot = static_cast<std::size_t>(offset >> shift_);
    const auto first = keys.begin() + start_[slot];
    const auto last = keys.begin() + start_[slot + 1];
    const auto wanted = static_cast<std::uint32_t>(base_ + offset);
    return static_cast<std::size_t>(std::ranges::lower_bound(first, last, wanted, {}, key) - keys.begin());
  }
  [[nodiscard]] std::size_t lower_bound(const std::vector<std::uint32_t>& keys, std::uint64_t offset) const {
    return lower_bound(std::span<const std::uint32_t>(keys), offset);
  }

  /// Hints the processor to fetch the table entry lower_bound(keys, offset) reads.
  void prefetch_entry(std::uint64_t offset) const {
    if (offset >> bits_ == 0) detail::prefetch(&start_[offset >> shift_]);
  }

  /// Hints the processor to fetch the records lower_bound(keys, offset) searches:
  /// every cache line of them when they span at most kPrefetchLines, else the first
  /// and the last. Reads the table entry: best after prefetch_entry(offset) has had
  /// time. Returns the index of the first record searched, near the answer (at most
  /// the records sharing the offset's prefix before it), or keys.size() if none.
  template <typename T>
  std::size_t prefetch_keys(std::span<const T> keys, std::uint64_t offset) const {
    if (offset >> bits_ != 0) return keys.size();
    const std::size_t slot = static_cast<std::size_t>(offset >> shift_);
    const std::uint32_t first = start_[slot];
    const std::uint32_t last = start_[slot + 1];
    if (first == last) return first;
    const auto begin = reinterpret_cast<std::uintptr_t>(&keys[first]) & ~std::uintptr_t{63};
    const auto end = reinterpret_cast<std::uintptr_t>(&keys[last - 1]);
    if (end - begin < kPrefetchLines * 64) {
      for (std::uintptr_t line = begin; line <= end; line += 64) detail::prefetch(reinterpret_cast<const void*>(line));
    } else {
      detail::prefetch(&keys[first]);
      detail::prefetch(&keys[last - 1]);
    }
    return first;
  }

 private:
  static constexpr std::uintptr_t kPrefetchLines = 4;

  std::uint32_t base_ = 0;
  int bits_ = 0;
  int shift_ = 0;
  std::vector<std::uint32_t> start_;  // per prefix, then the key count
};

}  // namespace patchrace::detail
