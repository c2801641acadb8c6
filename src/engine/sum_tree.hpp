// Weighted choice among n items whose weights change: a tree of partial sums with
// 8 children per node, the 8 children of a node in one 64-byte cache line, so an
// update or a descent over 65,536 items reads 6 lines instead of the 16 levels
// (and twice as many lines) of a binary tree. Every update recomputes the sums
// above the leaf from their children, in a fixed order, so rounding errors never
// accumulate over a run and integer weights (below 2^53) stay exact.
#pragma once

#include <cstdint>
#include <vector>

namespace patchrace::detail {

class SumTree {
 public:
  explicit SumTree(std::size_t n = 0) : n_(n) {
    // levels_[0] holds the items; entry j of levels_[l + 1] is the sum of group j
    // (entries 8j .. 8j + 7) of levels_[l]; the last level is a single group.
    std::size_t count = n;
    do {
      const std::size_t groups = count > 0 ? (count + kArity - 1) / kArity : 1;
      levels_.emplace_back(groups);
      count = groups;
    } while (count > 1);
  }

  [[nodiscard]] std::size_t size() const { return n_; }
  [[nodiscard]] double total() const { return sum(levels_.back()[0]); }
  [[nodiscard]] double weight(std::size_t i) const { return levels_[0][i / kArity].v[i % kArity]; }

  /// Sets item i's weight (>= 0). O(log_8 n).
  void set(std::size_t i, double weight) {
    levels_[0][i / kArity].v[i % kArity] = weight;
    for (std::size_t l = 1; l < levels_.size(); ++l) {
      const double s = sum(levels_[l - 1][i / kArity]);
      i /= kArity;
      levels_[l][i / kArity].v[i % kArity] = s;
    }
  }

  /// Sum of the weights of items [0, i). O(log_8 n).
  [[nodiscard]] double prefix(std::size_t i) const {
    if (i >= n_) return total();
    double s = 0.0;
    for (const auto& level : levels_) {
      const Group& g = level[i / kArity];
      for (std::size_t c = 0; c < i % kArity; ++c) s += g.v[c];
      i /= kArity;
    }
    return s;
  }

  /// The item where the running sum of weights first exceeds u, for u in
  /// [0, total()): item i with probability weight(i) / total() when u is uniform.
  /// Never returns an item of weight 0 while some item has a positive weight.
  [[nodiscard]] std::size_t find(double u) const {
    std::size_t j = 0;  // group at the current level
    for (std::size_t l = levels_.size(); l-- > 0;) {
      const Group& g = levels_[l][j];
      // The first child whose sum exceeds what is left of u; when rounding leaves
      // u past them all, the last child with a positive sum.
      std::size_t chosen = kArity;
      std::size_t last_positive = 0;
      for (std::size_t c = 0; c < kArity; ++c) {
        if (g.v[c] > 0.0) {
          last_positive = c;
          if (u < g.v[c]) {
            chosen = c;
            break;
          }
          u -= g.v[c];
        }
      }
      if (chosen == kArity) {
        chosen = last_positive;
        u = 0.0;
      }
      j = j * kArity + chosen;
    }
    return j;
  }

  /// Like find(u + prefix(lo)) but confined to items [lo, hi): the choice inside a
  /// range in proportion to the weights, u in [0, sum of the range).
  [[nodiscard]] std::size_t find_in(std::size_t lo, std::size_t hi, double u) const {
    std::size_t i = find(u + prefix(lo));
    if (i < lo) i = lo;
    if (i >= hi) i = hi - 1;
    // Rounding can land on a zero-weight item at the edge of the range: step to
    // the nearest positive one inside it.
    if (weight(i) > 0.0) return i;
    for (std::size_t j = i + 1; j < hi; ++j) {
      if (weight(j) > 0.0) return j;
    }
    for (std::size_t j = i; j-- > lo;) {
      if (weight(j) > 0.0) return j;
    }
    return i;
  }

 private:
  static constexpr std::size_t kArity = 8;
  struct alignas(64) Group {
    double v[kArity] = {};
  };

  /// The sum of a group, always added in the same order.
  static double sum(const Group& g) {
    return ((g.v[0] + g.v[1]) + (g.v[2] + g.v[3])) + ((g.v[4] + g.v[5]) + (g.v[6] + g.v[7]));
  }

  std::size_t n_ = 0;
  std::vector<std::vector<Group>> levels_;
};

}  // namespace patchrace::detail
