// A set of indices [0, n) with "next member at or after i" in O(log_64 n) and
// O(log_64 n) erase: a hierarchy of bitsets, each level one bit per word of the
// level below. About 1.02 bits per index.
#pragma once

#include <bit>
#include <cstdint>
#include <limits>
#include <vector>

#include "engine/prefetch.hpp"

namespace patchrace::detail {

class NextSet {
 public:
  static constexpr std::uint64_t kNone = std::numeric_limits<std::uint64_t>::max();

  /// All of [0, n) are members at first.
  explicit NextSet(std::uint64_t n) : n_(n) {
    std::uint64_t count = n;
    do {
      const std::uint64_t words = (count + 63) / 64;
      std::vector<std::uint64_t> level(words, ~std::uint64_t{0});
      if (count % 64 != 0) level.back() = (std::uint64_t{1} << (count % 64)) - 1;
      levels_.push_back(std::move(level));
      count = words;
    } while (count > 1);
  }

  [[nodiscard]] std::uint64_t size() const { return n_; }

  [[nodiscard]] bool contains(std::uint64_t i) const {
    return (levels_[0][i >> 6] >> (i & 63)) & 1;
  }

  /// Hints the processor to fetch the word contains(i) reads.
  void prefetch(std::uint64_t i) const { detail::prefetch(&levels_[0][i >> 6]); }

  /// Removes i (no effect if it is not a member).
  void erase(std::uint64_t i) {
    for (auto& level : levels_) {
      std::uint64_t& word = level[i >> 6];
      word &= ~(std::uint64_t{1} << (i & 63));
      if (word != 0) return;  // the word still has members: upper levels unchanged
      i >>= 6;
    }
  }

  /// Smallest member >= i, or kNone.
  [[nodiscard]] std::uint64_t next(std::uint64_t i) const {
    if (i >= n_) return kNone;
    // Climb while the rest of the current word at each level is empty.
    std::size_t level = 0;
    std::uint64_t index = i;
    while (true) {
      const std::uint64_t word = levels_[level][index >> 6] & (~std::uint64_t{0} << (index & 63));
      if (word != 0) {
        index = (index & ~std::uint64_t{63}) | static_cast<std::uint64_t>(std::countr_zero(word));
        break;
      }
      index = (index >> 6) + 1;
      ++level;
      if (level == levels_.size() || (index >> 6) >= levels_[level].size()) return kNone;
    }
    // Descend to the first member under the found bit.
    while (level > 0) {
      --level;
      index = index * 64 + static_cast<std::uint64_t>(std::countr_zero(levels_[level][index]));
    }
    return index;
  }

  /// Smallest member >= i, wrapping around to the smallest member; kNone if empty.
  [[nodiscard]] std::uint64_t next_cyclic(std::uint64_t i) const {
    const std::uint64_t found = next(i);
    return found != kNone || i == 0 ? found : next(0);
  }

 private:
  std::uint64_t n_;
  std::vector<std::vector<std::uint64_t>> levels_;  // levels_[0]: one bit per index
};

}  // namespace patchrace::detail
