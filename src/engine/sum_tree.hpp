// Weighted choice among n items whose weights change: a tree of partial sums with
// 8 children per node, the 8 children of a node in one 64-byte cache line, so an
// update or a descent over 65,536 items reads 6 lines instead of the 16 levels
// (and twice as many lines) of a binary tree. Every update recomputes the sums
// above the leaf from their children, in a fixed order, so rounding errors never
// accumulate over a run and integer weights (below 2^53) stay exact.
//
// A descent compares u with half sums of each group of eight, without branches,
// and can start below the root: a weighted choice inside an aligned range of
// 8^l items costs O(l).
//
// A tree can carry several lanes: independent weights per item that change
// together (local preference's susceptible weight and contact rate per block),
// kept in one tree so that an update walks one path, the lanes of a node side by
// side. Each lane's sums are exactly those of a one-lane tree of its weights.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "engine/prefetch.hpp"

namespace patchrace::detail {

template <std::size_t Lanes>
class SumTreeLanes {
 public:
  static constexpr std::size_t kArity = 8;  // children per node

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
    return descend({levels_.size(), 0, u}, 0, lane).node;
  }

  /// Items [j * 8^l, (j + 1) * 8^l): the range under node j of level l, l <= levels().
  /// Their summed weight, as the tree holds it (level levels() is the root).
  [[nodiscard]] double subtotal(std::size_t l, std::size_t j, std::size_t lane = 0) const {
    if (l == levels_.size()) return total(lane);
    return levels_[l][j / kArity].v[lane][j % kArity];
  }

  /// Levels of groups above the items: the root is node 0 of level levels(), and
  /// node i of level 0 is item i.
  [[nodiscard]] std::size_t levels() const { return levels_.size(); }

  /// A descent under way: at node `node` of level `level`, with `u` in
  /// [0, subtotal(level, node)) left to place under it.
  struct Position {
    std::size_t level;
    std::size_t node;
    double u;
  };

  /// Continues a descent from `from` down to level `to` (<= from.level): at level
  /// 0, the item find() would choose under from.node, and what is left of u (in
  /// about [0, weight(item))). Each level reads one cache line of the lane. In each
  /// group of eight, three halvings compare u with the same half sums that make
  /// up the group's sum (see sum()), without branches. A half is entered only with
  /// a positive sum, so an item of weight 0 is never reached from a positive node;
  /// when rounding leaves u past a group's sum, the descent keeps to its last
  /// positive items.
  [[nodiscard]] Position descend(Position from, std::size_t to, std::size_t lane = 0) const {
    std::size_t j = from.node;
    double u = from.u;
    for (std::size_t l = from.level; l-- > to;) {
      const double* v = levels_[l][j].v[lane];
      const double pair[4] = {v[0] + v[1], v[2] + v[3], v[4] + v[5], v[6] + v[7]};
      const double left = pair[0] + pair[1];
      const double right = pair[2] + pair[3];
      const bool upper = (u >= left) & (right > 0.0);
      u -= upper ? left : 0.0;
      const std::size_t p = upper ? 2 : 0;
      const bool second = (u >= pair[p]) & (pair[p + 1] > 0.0);
      u -= second ? pair[p] : 0.0;
      const std::size_t c = 2 * (p + (second ? 1 : 0));
      const bool odd = (u >= v[c]) & (v[c + 1] > 0.0);
      u -= odd ? v[c] : 0.0;
      j = j * kArity + c + (odd ? 1 : 0);
    }
    return {to, j, u};
  }

  /// Hints the processor to fetch the group a descent from node j of level 1
  /// reads (the items j * 8 .. j * 8 + 7), every lane.
  void prefetch_items_under(std::size_t j) const {
    const Group& g = levels_[0][j];
    for (std::size_t k = 0; k < Lanes; ++k) detail::prefetch(&g.v[k][0]);
  }

 private:
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
