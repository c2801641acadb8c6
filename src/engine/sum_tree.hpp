// Weighted choice among n items whose weights change: a tree of partial sums with
// 8 children per node, the 8 children of a node in one 64-byte cache line, so an
// update or a descent over 65,536 items reads 6 lines instead of the 16 levels
// (and twice as many lines) of a binary tree. Every update recomputes the sums
// above the leaf from their children, in a fixed order, so rounding errors never
// accumulate over a run and integer weights (below 2^53) stay exact.
//
// A tree can carry several lanes: independent weights per item that change
// together (local preference's susceptible weight and contact rate per block),
// kept in one tree so that an update walks one path, the lanes of a node side by
// side. Each lane's sums are exactly those of a one-lane tree of its weights.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

namespace patchrace::detail {

template <std::size_t Lanes>
class SumTreeLanes {
 public:
  explicit SumTreeLanes(std::size_t n = 0) : n_(n) {
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
  [[nodiscard]] double total(std::size_t lane = 0) const { return sum(levels_.back()[0], lane); }
  [[nodiscard]] double weight(std::size_t i, std::size_t lane = 0) const {
    return levels_[0][i / kArity].v[lane][i % kArity];
  }

  /// Sets item i's weight (>= 0) in a one-lane tree. O(log_8 n).
  void set(std::size_t i, double weight) requires(Lanes == 1) { set(i, std::array<double, 1>{weight}); }

  /// Sets item i's weights (>= 0), one per lane. O(log_8 n).
  void set(std::size_t i, const std::array<double, Lanes>& weights) {
    for (std::size_t k = 0; k < Lanes; ++k) levels_[0][i / kArity].v[k][i % kArity] = weights[k];
    for (std::size_t l = 1; l < levels_.size(); ++l) {
      const Group& below = levels_[l - 1][i / kArity];
      i /= kArity;
      Group& g = levels_[l][i / kArity];
      for (std::size_t k = 0; k < Lanes; ++k) g.v[k][i % kArity] = sum(below, k);
    }
  }

  /// Sum of the weights of items [0, i). O(log_8 n).
  [[nodiscard]] double prefix(std::size_t i, std::size_t lane = 0) const {
    if (i >= n_) return total(lane);
    double s = 0.0;
    for (const auto& level : levels_) {
      const Group& g = level[i / kArity];
      for (std::size_t c = 0; c < i % kArity; ++c) s += g.v[lane][c];
      i /= kArity;
    }
    return s;
  }

  /// The item where the running sum of weights first exceeds u, for u in
  /// [0, total()): item i with probability weight(i) / total() when u is uniform.
  /// Never returns an item of weight 0 while some item has a positive weight.
  [[nodiscard]] std::size_t find(double u, std::size_t lane = 0) const {
    std::size_t j = 0;  // group at the current level
    for (std::size_t l = levels_.size(); l-- > 0;) {
      const double* v = levels_[l][j].v[lane];
      // The first child whose sum exceeds what is left of u; when rounding leaves
      // u past them all, the last child with a positive sum.
      std::size_t chosen = kArity;
      std::size_t last_positive = 0;
      for (std::size_t c = 0; c < kArity; ++c) {
        if (v[c] > 0.0) {
          last_positive = c;
          if (u < v[c]) {
            chosen = c;
            break;
          }
          u -= v[c];
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
  [[nodiscard]] std::size_t find_in(std::size_t lo, std::size_t hi, double u, std::size_t lane = 0) const {
    std::size_t i = find(u + prefix(lo, lane), lane);
    if (i < lo) i = lo;
    if (i >= hi) i = hi - 1;
    // Rounding can land on a zero-weight item at the edge of the range: step to
    // the nearest positive one inside it.
    if (weight(i, lane) > 0.0) return i;
    for (std::size_t j = i + 1; j < hi; ++j) {
      if (weight(j, lane) > 0.0) return j;
    }
    for (std::size_t j = i; j-- > lo;) {
      if (weight(j, lane) > 0.0) return j;
    }
    return i;
  }

 private:
  static constexpr std::size_t kArity = 8;
  struct alignas(64) Group {
    double v[Lanes][kArity] = {};  // lane k's children in one cache line
  };

  /// The sum of a group's lane, always added in the same order.
  static double sum(const Group& g, std::size_t lane) {
    const double* v = g.v[lane];
    return ((v[0] + v[1]) + (v[2] + v[3])) + ((v[4] + v[5]) + (v[6] + v[7]));
  }

  std::size_t n_ = 0;
  std::vector<std::vector<Group>> levels_;
};

using SumTree = SumTreeLanes<1>;

}  // namespace patchrace::detail
