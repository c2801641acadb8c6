// Weighted choice among n items whose weights change: a tree of partial sums with
// 8 children per node, the 8 children of a node in one 64-byte cache line per
// lane, so an update or a descent over 65,536 items reads 6 groups instead of the
// 16 levels of a binary tree. Every update recomputes the sums above the leaf from
// their children, in a fixed order, so rounding errors never accumulate over a run
// and integer weights (below 2^53) stay exact.
//
// A descent compares u with half sums of each group of eight, and can start below
// the root: a weighted choice inside an aligned range of 8^l items costs O(l).
//
// A tree can carry several lanes: independent weights per item that change
// together (local preference's susceptible weight and contact rate per block),
// kept in one tree so that an update walks one path. A child's lanes sit side by
// side, so an update adds every lane with one vector addition; each lane's sums
// are exactly those of a one-lane tree of its weights.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "base/prefetch.hpp"

namespace patchrace::detail {

/// The weights of one item in every lane, as one value: a double, or for two
/// lanes a vector of two (GCC and Clang vector extension), added in one instruction.
template <std::size_t Lanes>
struct LaneVector;
template <>
struct LaneVector<1> {
  using type = double;
  static double at(type x, std::size_t) { return x; }
  static type of(const std::array<double, 1>& w) { return w[0]; }
};
template <>
struct LaneVector<2> {
  typedef double type __attribute__((vector_size(16)));
  static double at(type x, std::size_t lane) { return x[lane]; }
  static type of(const std::array<double, 2>& w) { return type{w[0], w[1]}; }
};

/// The sum of eight weights v[0], v[S], ..., v[7S] (stride S), added in the order
/// every SumTreeLanes adds a group: ((v0 + v1) + (v2 + v3)) + ((v4 + v5) + (v6 + v7)).
template <std::size_t S>
double sum_of_eight(const double* v) {
  return ((v[0] + v[S]) + (v[2 * S] + v[3 * S])) + ((v[4 * S] + v[5 * S]) + (v[6 * S] + v[7 * S]));
}

/// One step of a descent: the child c of a group of eight weights v[0], v[S], ...,
/// v[7S] (stride S) under which u (in [0, sum_of_eight)) falls, with u made relative
/// to it. Three halvings compare u with the half sums that make up sum_of_eight.
/// (GCC compiles them to branches; a form without branches, whose subtractions
/// come from tables indexed by the comparisons, measured 4 % slower on local
/// preference: the branches let the processor run ahead.) A half is entered only
/// with a positive sum, so a child of weight 0 is never chosen while the group's
/// sum is positive; when rounding leaves u past the sum, the step keeps to the
/// last positive children.
template <std::size_t S>
std::size_t choose_child(const double* v, double& u) {
  const double pair[4] = {v[0] + v[S], v[2 * S] + v[3 * S], v[4 * S] + v[5 * S], v[6 * S] + v[7 * S]};
  const double left = pair[0] + pair[1];
  const double right = pair[2] + pair[3];
  const bool upper = (u >= left) & (right > 0.0);
  u -= upper ? left : 0.0;
  const std::size_t p = upper ? 2 : 0;
  const bool second = (u >= pair[p]) & (pair[p + 1] > 0.0);
  u -= second ? pair[p] : 0.0;
  const std::size_t c = 2 * (p + (second ? 1 : 0));
  const bool odd = (u >= v[c * S]) & (v[(c + 1) * S] > 0.0);
  u -= odd ? v[c * S] : 0.0;
  return c + (odd ? 1 : 0);
}

template <std::size_t Lanes>
class SumTreeLanes {

 public:
  static constexpr std::size_t kArity = 8;  // children per node

  explicit SumTreeLanes(std::size_t n = 0) : n_(n) {
    // Level 0 holds the items; entry j of level l + 1 is the sum of group j
    // (entries 8j .. 8j + 7) of level l; the last level is a single group.
    // Levels lie one after another in groups_, from level 0.
    std::size_t count = n;
    std::size_t at = 0;
    do {
      const std::size_t groups = count > 0 ? (count + kArity - 1) / kArity : 1;
      first_group_[levels_++] = at;
      at += groups;
      count = groups;
    } while (count > 1);
    groups_.assign(at, Group{});
  }

  [[nodiscard]] std::size_t size() const { return n_; }
  [[nodiscard]] double total(std::size_t lane = 0) const { return total_[lane]; }
  [[nodiscard]] double weight(std::size_t i, std::size_t lane = 0) const {
    return lane_of(group(0, i / kArity), lane)[(i % kArity) * Lanes];
  }

  /// Sets item i's weight (>= 0) in a one-lane tree. O(log_8 n).
  void set(std::size_t i, double weight) requires(Lanes == 1) { set(i, std::array<double, 1>{weight}); }

  /// Sets item i's weights (>= 0), one per lane. O(log_8 n).
  void set(std::size_t i, const std::array<double, Lanes>& weights) {
    group(0, i / kArity).c[i % kArity] = LaneVector<Lanes>::of(weights);
    for (std::size_t l = 1; l < levels(); ++l) {
      const Group& below = group(l - 1, i / kArity);
      i /= kArity;
      group(l, i / kArity).c[i % kArity] = sum(below);
    }
    const Lane t = sum(group(levels() - 1, 0));
    for (std::size_t k = 0; k < Lanes; ++k) total_[k] = at(t, k);
  }

  /// Sum of the weights of items [0, i). O(log_8 n).
  [[nodiscard]] double prefix(std::size_t i, std::size_t lane = 0) const {
    if (i >= n_) return total(lane);
    double s = 0.0;
    for (std::size_t l = 0; l < levels(); ++l) {
      const Group& g = group(l, i / kArity);
      for (std::size_t c = 0; c < i % kArity; ++c) s += lane_of(g, lane)[c * Lanes];
      i /= kArity;
    }
    return s;
  }

  /// The item where the running sum of weights first exceeds u, for u in
  /// [0, total()): item i with probability weight(i) / total() when u is uniform.
  /// Never returns an item of weight 0 while some item has a positive weight.
  [[nodiscard]] std::size_t find(double u, std::size_t lane = 0) const {
    return descend({levels(), 0, u}, 0, lane).node;
  }

  /// Items [j * 8^l, (j + 1) * 8^l): the range under node j of level l, l <= levels().
  /// Their summed weight, as the tree holds it (level levels() is the root).
  [[nodiscard]] double subtotal(std::size_t l, std::size_t j, std::size_t lane = 0) const {
    if (l == levels()) return total(lane);
    return lane_of(group(l, j / kArity), lane)[(j % kArity) * Lanes];
  }

  /// Levels of groups above the items: the root is node 0 of level levels(), and
  /// node i of level 0 is item i.
  [[nodiscard]] std::size_t levels() const { return levels_; }

  /// A descent under way: at node `node` of level `level`, with `u` in
  /// [0, subtotal(level, node)) left to place under it.
  struct Position {
    std::size_t level;
    std::size_t node;
    double u;
  };

  /// Continues a descent from `from` down to level `to` (<= from.level): at level
  /// 0, the item find() would choose under from.node, and what is left of u (in
  /// about [0, weight(item))). Each level reads one group and takes one
  /// choose_child() step, so an item of weight 0 is never reached from a positive
  /// node.
  [[nodiscard]] Position descend(Position from, std::size_t to, std::size_t lane = 0) const {
    std::size_t j = from.node;
    double u = from.u;
    for (std::size_t l = from.level; l-- > to;) {
      j = j * kArity + choose_child<Lanes>(lane_of(group(l, j), lane), u);
    }
    return {to, j, u};
  }

  /// Hints the processor to fetch the group a descent from node j of level 1
  /// reads (the items j * 8 .. j * 8 + 7), every lane.
  void prefetch_items_under(std::size_t j) const {
    const Group& g = group(0, j);
    for (std::size_t k = 0; k < Lanes; ++k) detail::prefetch(reinterpret_cast<const char*>(&g) + 64 * k);
  }

 private:
  /// One child's weights, a lane per element.
  using Lane = typename LaneVector<Lanes>::type;
  static double at(const Lane& x, std::size_t lane) { return LaneVector<Lanes>::at(x, lane); }
  struct alignas(64) Group {
    Lane c[kArity] = {};  // child c's lanes side by side; Lanes cache lines
  };

  /// Lane `lane` of a group's first child, as doubles (vector types may alias their
  /// elements): child c's weight in that lane is at offset c * Lanes.
  static const double* lane_of(const Group& g, std::size_t lane) {
    return reinterpret_cast<const double*>(&g.c[0]) + lane;
  }

  [[nodiscard]] const Group& group(std::size_t level, std::size_t j) const { return groups_[first_group_[level] + j]; }
  [[nodiscard]] Group& group(std::size_t level, std::size_t j) { return groups_[first_group_[level] + j]; }

  /// The sums of a group, every lane at once, always added in the same order.
  static Lane sum(const Group& g) {
    const Lane* v = g.c;
    return ((v[0] + v[1]) + (v[2] + v[3])) + ((v[4] + v[5]) + (v[6] + v[7]));
  }

  std::size_t n_ = 0;
  std::vector<Group> groups_;               // every level's groups, level 0 first
  // Per level: index of its first group in groups_ (at most 22 levels: n < 2^64).
  std::array<std::size_t, 22> first_group_{};
  std::size_t levels_ = 0;
  std::array<double, Lanes> total_{};       // the root's sums
};

using SumTree = SumTreeLanes<1>;

}  // namespace patchrace::detail
