// A set of indices [0, n) with "next member at or after i" in O(log_64 n) and
// O(log_64 n) erase: a hierarchy of bitsets, each level one bit per word of the
// level below. About 1.02 bits per index. Optionally a flag per index, kept in the
// word beside its membership bits, so that one cache line gives both.
#pragma once

#include <bit>
#include <cstdint>
#include <limits>
#include <vector>

#include "base/prefetch.hpp"

namespace patchrace::detail {

class NextSet {
 public:
  static constexpr std::uint64_t kNone = std::numeric_limits<std::uint64_t>::max();

  /// All of [0, n) are members at first. With `flags`, each index also has a flag,
  /// clear at first (one more bit per index).
  explicit NextSet(std::uint64_t n, bool flags = false) : n_(n), flag_shift_(flags ? 1 : 0) {
    std::uint64_t count = n;
    do {
      const std::uint64_t words = (count + 63) / 64;
      std::vector<std::uint64_t> level(words, ~std::uint64_t{0});
      if (count % 64 != 0) level.back() = (std::uint64_t{1} << (count % 64)) - 1;
      levels_.push_back(std::move(level));
      count = words;
    } while (count > 1);
    if (flags) {
      // Level 0 as pairs of words: the members of 64 indices, then their flags.
      std::vector<std::uint64_t> paired(2 * levels_[0].size(), 0);
      for (std::size_t w = 0; w < levels_[0].size(); ++w) paired[2 * w] = levels_[0][w];
      levels_[0] = std::move(paired);
    }
  }

  [[nodiscard]] std::uint64_t size() const { return n_; }

  [[nodiscard]] bool contains(std::uint64_t i) const { return (member_word(i >> 6) >> (i & 63)) & 1; }

  /// Whether index i's flag is set (the set must have been built with flags).
  [[nodiscard]] bool flag(std::uint64_t i) const { return (flag_word(i >> 6) >> (i & 63)) & 1; }
  void set_flag(std::uint64_t i) { flag_word(i >> 6) |= std::uint64_t{1} << (i & 63); }
  void reset_flag(std::uint64_t i) { flag_word(i >> 6) &= ~(std::uint64_t{1} << (i & 63)); }

  /// Hints the processor to fetch the word contains(i) reads (and flag(i)'s, beside it).
  void prefetch(std::uint64_t i) const { detail::prefetch(&member_word(i >> 6)); }

  /// Removes i (no effect if it is not a member). Its flag stays as it was.
  void erase(std::uint64_t i) {
    std::uint64_t& bottom = member_word(i >> 6);
    bottom &= ~(std::uint64_t{1} << (i & 63));
    if (bottom != 0) return;  // the word still has members: upper levels unchanged
    for (std::size_t level = 1; level < levels_.size(); ++level) {
      i >>= 6;
      std::uint64_t& word = levels_[level][i >> 6];
      word &= ~(std::uint64_t{1} << (i & 63));
      if (word != 0) return;
    }
  }

  /// Smallest member >= i, or kNone.
  [[nodiscard]] std::uint64_t next(std::uint64_t i) const {
    if (i >= n_) return kNone;
    // Climb while the rest of the current word at each level is empty.
    std::size_t level = 0;
    std::uint64_t index = i;
    while (true) {
      const std::uint64_t w = index >> 6;
      const std::uint64_t word = (level == 0 ? member_word(w) : levels_[level][w]) & (~std::uint64_t{0} << (index & 63));
      if (word != 0) {
        index = (index & ~std::uint64_t{63}) | static_cast<std::uint64_t>(std::countr_zero(word));
        break;
      }
      index = w + 1;
      ++level;
      if (level == levels_.size() || (index >> 6) >= levels_[level].size()) return kNone;
    }
    // Descend to the first member under the found bit.
    while (level > 0) {
      --level;
      const std::uint64_t word = level == 0 ? member_word(index) : levels_[level][index];
      index = index * 64 + static_cast<std::uint64_t>(std::countr_zero(word));
    }
    return index;
  }

  /// Smallest member >= i, wrapping around to the smallest member; kNone if empty.
  [[nodiscard]] std::uint64_t next_cyclic(std::uint64_t i) const {
    const std::uint64_t found = next(i);
    return found != kNone || i == 0 ? found : next(0);
  }

 private:
  /// Level 0's word of members w, and with flags its word of flags.
  [[nodiscard]] const std::uint64_t& member_word(std::uint64_t w) const { return levels_[0][w << flag_shift_]; }
  [[nodiscard]] std::uint64_t& member_word(std::uint64_t w) { return levels_[0][w << flag_shift_]; }
  [[nodiscard]] const std::uint64_t& flag_word(std::uint64_t w) const { return levels_[0][(w << 1) + 1]; }
  [[nodiscard]] std::uint64_t& flag_word(std::uint64_t w) { return levels_[0][(w << 1) + 1]; }

  std::uint64_t n_;
  int flag_shift_;                                   // 1 with flags (level 0 holds pairs of words), else 0
  std::vector<std::vector<std::uint64_t>> levels_;  // levels_[0]: one bit per index
};

}  // namespace patchrace::detail
