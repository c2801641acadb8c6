// Weighted choice among n items whose weights change: a complete binary tree of
// partial sums. Every update recomputes the sums above the leaf from their
// children, so rounding errors never accumulate over a run.
#pragma once

#include <cstdint>
#include <vector>

namespace patchrace::detail {

class SumTree {
 public:
  explicit SumTree(std::size_t n = 0) {
    leaves_ = 1;
    while (leaves_ < n) leaves_ *= 2;
    node_.assign(2 * leaves_, 0.0);
    n_ = n;
  }

  [[nodiscard]] std::size_t size() const { return n_; }
  [[nodiscard]] double total() const { return node_[1]; }
  [[nodiscard]] double weight(std::size_t i) const { return node_[leaves_ + i]; }

  /// Sets item i's weight (>= 0). O(log n).
  void set(std::size_t i, double weight) {
    std::size_t k = leaves_ + i;
    node_[k] = weight;
    for (k /= 2; k >= 1; k /= 2) node_[k] = node_[2 * k] + node_[2 * k + 1];
  }

  /// Sum of the weights of items [0, i). O(log n).
  [[nodiscard]] double prefix(std::size_t i) const {
    double sum = 0.0;
    std::size_t lo = leaves_, hi = leaves_ + i;
    // Sum of node_[lo, hi) at leaf level, climbing.
    while (lo < hi) {
      if (lo & 1) sum += node_[lo++];
      if (hi & 1) sum += node_[--hi];
      lo /= 2;
      hi /= 2;
    }
    return sum;
  }

  /// The item where the running sum of weights first exceeds u, for u in
  /// [0, total()): item i with probability weight(i) / total() when u is uniform.
  /// Never returns an item of weight 0 while some item has a positive weight.
  [[nodiscard]] std::size_t find(double u) const {
    std::size_t k = 1;
    while (k < leaves_) {
      const double left = node_[2 * k];
      if (u < left || node_[2 * k + 1] <= 0.0) {
        k = 2 * k;
      } else {
        u -= left;
        k = 2 * k + 1;
      }
    }
    return k - leaves_;
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
  std::size_t n_ = 0;
  std::size_t leaves_ = 1;
  std::vector<double> node_;
};

}  // namespace patchrace::detail
