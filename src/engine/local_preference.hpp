// Aggregates for local-preference scanning (Code Red II). A probe from a host in
// /16 block b of /8 a goes to a uniformly random address of a with probability p8,
// of b with probability p16, and of the allowed space otherwise. Summed over the
// scanning hosts, the rate of contacts that change a host is
//   p16 / 2^16 * sum_b R_b W_b  +  p8 / 2^24 * sum_a R_a W_a  +  p_any / |allowed| * R W
// with R_x the summed scan rate of the scanning hosts in x and W_x the summed
// change probability (weight) of the susceptible hosts in x. All per-block and
// per-/8 quantities are recomputed from integer counts on every change, and the
// sums live in SumTrees, so nothing drifts.
//
// Blocks are leaves: the blocks of each /8 that holds hosts have 256 consecutive
// leaves (a /8 has 256 /16s), and each leaf its counts, 64-byte aligned in leaf
// order. A leaf's weights are computed from its counts whenever they are needed:
// the tree (block_sums_) holds the sums of groups of eight leaves, so that a choice
// reads the counts line of the chosen group and no line of leaf sums besides. A
// /8's 32 groups are half of the range under a node of the tree's second level, so
// a choice inside a /8 descends from there.
#pragma once

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <memory>
#include <new>
#include <vector>

#include "base/prefetch.hpp"
#include "base/rng.hpp"
#include "base/sum_tree.hpp"
#include "engine/worm_model.hpp"

namespace patchrace::detail {

class LocalPreferenceIndex {
 public:
  /// `address`: sorted host addresses. Blocks are the /16s that hold hosts.
  LocalPreferenceIndex(const std::vector<std::uint32_t>& address, const WormModel& model,
                       const LocalPreferenceSpec& spec)
      : p16_(spec.same_slash16),
        p8_(spec.same_slash8),
        p_any_(1.0 - spec.same_slash8 - spec.same_slash16),
        types_(model.type_count()),
        links_(model.link_count()) {
    for (std::uint32_t h = 0; h < address.size(); ++h) {
      if (h == 0 || (address[h] >> 16) != (address[h - 1] >> 16)) {
        block_first_host_.push_back(h);
        block_slash8_.push_back(static_cast<std::uint8_t>(address[h] >> 24));
      }
    }
    const std::size_t blocks = block_first_host_.size();
    slash8_first_block_.assign(257, static_cast<std::uint32_t>(blocks));
    for (std::size_t b = blocks; b-- > 0;) slash8_first_block_[block_slash8_[b]] = static_cast<std::uint32_t>(b);
    for (int a = 255; a >= 0; --a) {
      if (slash8_first_block_[a] > slash8_first_block_[a + 1]) slash8_first_block_[a] = slash8_first_block_[a + 1];
    }
    slot_of_slash8_.assign(256, 0);
    for (int a = 0; a < 256; ++a) {
      if (slash8_first_block_[a] == slash8_first_block_[a + 1]) continue;  // no hosts
      slot_of_slash8_[a] = static_cast<std::uint32_t>(slash8_of_slot_.size());
      slash8_of_slot_.push_back(static_cast<std::uint8_t>(a));
    }
    stride_ = static_cast<std::size_t>(types_ + links_);
    // An even number of slots, so that every slot's half of a node exists.
    const std::size_t leaves = ((slash8_of_slot_.size() + 1) & ~std::size_t{1}) << kLeafBitsPerSlash8;
    const std::size_t counts = leaves * stride_;
    counts_.reset(static_cast<std::int32_t*>(::operator new[](counts * sizeof(std::int32_t), std::align_val_t{64})));
    std::fill_n(counts_.get(), counts, 0);
    counts_size_ = counts;
    for (int t = 0; t < types_; ++t) type_weight_.push_back(model.weight(t));
    for (int l = 0; l < links_; ++l) link_rate_.push_back(model.link_rate(l));
    susceptible_slash8_.assign(256 * static_cast<std::size_t>(types_), 0);
    scanning_slash8_.assign(256 * static_cast<std::size_t>(links_), 0);
    block_sums_ = SumTreeLanes<2>(leaves / kGroup);
    per_slash8_ = SumTree(256);
    dirty_flag_.assign(blocks, 0);
  }

  [[nodiscard]] int block_count() const { return static_cast<int>(block_first_host_.size()); }

  /// First host of block b: block b holds the hosts [first_host(b), first_host(b + 1)),
  /// the last block those from first_host(b) on.
  [[nodiscard]] std::uint32_t first_host(int b) const { return block_first_host_[b]; }

  /// Block (compact /16 index) of host h.
  [[nodiscard]] int block_of(std::uint32_t host) const {
    const auto it = std::upper_bound(block_first_host_.begin(), block_first_host_.end(), host);
    return static_cast<int>(it - block_first_host_.begin()) - 1;
  }

  /// Susceptible hosts of `type` in `block`.
  [[nodiscard]] std::uint32_t susceptible(int block, int type) const {
    return static_cast<std::uint32_t>(counts_[leaf_of_block(block) * stride_ + type]);
  }

  /// Recomputes the sums of the blocks changed since the last query now (each
  /// query does so first). Counts change at once; the sums of a changed block are
  /// recomputed once (an infection changes one block twice: susceptible and
  /// scanning).
  void update_sums() {
    for (int block : dirty_) {
      refresh(block);
      dirty_flag_[block] = 0;
    }
    dirty_.clear();
  }

  /// A susceptible host of `type` in `block` appeared (+1) or left (-1).
  void susceptible_changed(int block, int type, int delta) {
    counts_[leaf_of_block(block) * stride_ + type] += delta;
    susceptible_slash8_[static_cast<std::size_t>(block_slash8_[block]) * types_ + type] += delta;
    mark(block);
  }

  /// A scanning host of link class `link` in `block` started (+1) or stopped (-1).
  void scanning_changed(int block, int link, int delta) {
    counts_[leaf_of_block(block) * stride_ + types_ + link] += delta;
    scanning_slash8_[static_cast<std::size_t>(block_slash8_[block]) * links_ + link] += delta;
    mark(block);
  }

  /// Rate of contacts that change a host, per unit of delivered share, given the
  /// summed scan rate `sent` and summed susceptible weight `weight` of all hosts.
  [[nodiscard]] double contact_rate(double sent, double weight, double allowed_space) {
    update_sums();
    return p16_ / 65536.0 * block_sums_.total(kContactLane) + p8_ / 16777216.0 * per_slash8_.total() +
           p_any_ / allowed_space * sent * weight;
  }

  /// Draws the block of the next contacted host: first the component (own /16,
  /// own /8, anywhere) in proportion to its rate, then the block. One uniform makes
  /// the whole choice: rescaled to the chosen component (and to the chosen /8), it
  /// is uniform again for the next step. Once the choice has narrowed to at most
  /// eight consecutive blocks [first, first + 8), before it reads their counts,
  /// `narrowed(first)` is called: the caller can fetch what it will read of the block.
  template <typename Narrowed>
  int choose_block(Rng& rng, double sent, double weight, double allowed_space, Narrowed&& narrowed) {
    update_sums();
    const Start start = start_for(rng.uniform(), sent, weight, allowed_space);
    // One level above the groups, the eight groups (64 leaves) the choice is among
    // are known: their counts are fetched alongside the groups' sums.
    const auto above = block_sums_.descend(start.at, 1, start.lane);
    prefetch_groups_under(above.node);
    auto in_group = block_sums_.descend(above, 0, start.lane);
    const std::size_t first_leaf = in_group.node * kGroup;
    prefetch_blocks_at(first_leaf);
    if (leaf_is_block(first_leaf)) narrowed(block_of_leaf(first_leaf));
    double weights[kGroup];
    lane_weights(first_leaf, start.lane, weights);
    const std::size_t c = choose_child<1>(weights, in_group.u);
    return block_of_leaf(first_leaf + c);
  }

 private:
  // Leaves of the block tree: slot s (the s-th /8 holding hosts) owns leaves
  // [s * 256, (s + 1) * 256), one per block of the /8 in order, the rest unused;
  // they are one half of the range under node s / 2 of level kSlash8Level.
  static constexpr int kLeafBitsPerSlash8 = 8;
  static constexpr std::size_t kGroup = SumTreeLanes<2>::kArity;  // leaves per item of the tree
  static constexpr std::size_t kSlash8Level = 2;
  // A node of level 2 has 64 groups (512 leaves) under it, two /8s; a /8 is four
  // nodes of level 1.
  static constexpr std::size_t kQuartersPerSlash8 = 4;
  static_assert(std::size_t{2} << kLeafBitsPerSlash8 == kGroup * kGroup * kGroup);

  /// The weight-lane sum of nodes [first, first + 4) of level 1, added as a descent
  /// adds the half of a group: (n0 + n1) + (n2 + n3).
  [[nodiscard]] double quarter_sum(std::size_t first) const {
    const auto w = [&](std::size_t k) { return block_sums_.subtotal(1, first + k, kWeightLane); };
    return (w(0) + w(1)) + (w(2) + w(3));
  }

  [[nodiscard]] std::size_t leaf_of_block(int b) const {
    const std::uint8_t a = block_slash8_[b];
    return (std::size_t{slot_of_slash8_[a]} << kLeafBitsPerSlash8) + (b - slash8_first_block_[a]);
  }
  [[nodiscard]] int block_of_leaf(std::size_t leaf) const {
    const std::uint8_t a = slash8_of_slot_[leaf >> kLeafBitsPerSlash8];
    return static_cast<int>(slash8_first_block_[a] + (leaf & ((std::size_t{1} << kLeafBitsPerSlash8) - 1)));
  }

  /// Where the descent of the block tree for a uniform u starts: the component's
  /// lane, from the root or (own /8) from the chosen /8's node.
  struct Start {
    SumTreeLanes<2>::Position at;
    std::size_t lane;
  };
  [[nodiscard]] Start start_for(double u, double sent, double weight, double allowed_space) const {
    const double c16 = p16_ / 65536.0 * block_sums_.total(kContactLane);
    const double c8 = p8_ / 16777216.0 * per_slash8_.total();
    const double c_any = p_any_ / allowed_space * sent * weight;
    u *= c16 + c8 + c_any;
    const std::size_t root = block_sums_.levels();
    if (u < c16) return {{root, 0, rescaled(u, 0.0, c16) * block_sums_.total(kContactLane)}, kContactLane};
    if (u < c16 + c8) {
      const auto in_slash8 = per_slash8_.descend({per_slash8_.levels(), 0, rescaled(u, c16, c8) * per_slash8_.total()}, 0);
      const std::size_t a = in_slash8.node;
      const std::size_t slot = slot_of_slash8_[a];
      const double fraction = std::max(std::min(in_slash8.u / per_slash8_.weight(a), kBelowOne), 0.0);
      // The slot is one half of the group below node slot / 2: the descent from
      // that node compares u with the half sums it reads there, so u starts past
      // the first half for an odd slot, and stays below the first half's sum for
      // an even one.
      const std::size_t first = (slot & ~std::size_t{1}) * kQuartersPerSlash8;
      const double lower = quarter_sum(first);
      if ((slot & 1) == 0) {
        return {{kSlash8Level, slot / 2, std::min(fraction * lower, below(lower))}, kWeightLane};
      }
      return {{kSlash8Level, slot / 2, lower + fraction * quarter_sum(first + kQuartersPerSlash8)}, kWeightLane};
    }
    return {{root, 0, rescaled(u, c16 + c8, c_any) * block_sums_.total(kWeightLane)}, kWeightLane};
  }
  static constexpr double kBelowOne = 1.0 - 0x1p-53;
  /// The largest double below x > 0 (0 for x = 0).
  static double below(double x) {
    return x > 0.0 ? std::bit_cast<double>(std::bit_cast<std::uint64_t>(x) - 1) : 0.0;
  }
  /// (u - from) / width, in [0, 1).
  static double rescaled(double u, double from, double width) { return std::min((u - from) / width, kBelowOne); }

  /// Hints the processor to fetch what a choice among the groups under node j of
  /// level 1 reads: those groups' sums and the counts of their 64 leaves.
  void prefetch_groups_under(std::size_t j) const {
    block_sums_.prefetch_items_under(j);
    constexpr std::size_t kCountsPerLine = 64 / sizeof(std::int32_t);
    const std::size_t first = j * kGroup * kGroup * stride_;
    if (stride_ == 2) {  // eight lines, one per group
      const std::int32_t* c = counts_.get() + first;
      for (std::size_t k = 0; k < kGroup; ++k) detail::prefetch(c + k * kCountsPerLine);
      return;
    }
    const std::size_t end = std::min(first + kGroup * kGroup * stride_, counts_size_);
    for (std::size_t i = first; i < end; i += kCountsPerLine) detail::prefetch(&counts_[i]);
  }

  /// Hints the processor to fetch what a contact in one of the blocks of leaves
  /// [leaf, leaf + 8) reads and changes here besides the counts: its first host,
  /// /8 and change flag.
  void prefetch_blocks_at(std::size_t leaf) const {
    if (!leaf_is_block(leaf)) return;
    const std::size_t b = static_cast<std::size_t>(block_of_leaf(leaf));
    detail::prefetch(&block_first_host_[b]);
    detail::prefetch(&dirty_flag_[b]);
    detail::prefetch(&block_slash8_[b]);
  }

  /// Whether a leaf of the block tree stands for a block (and is not one of a /8's
  /// unused leaves).
  [[nodiscard]] bool leaf_is_block(std::size_t leaf) const {
    const std::uint8_t a = slash8_of_slot_[leaf >> kLeafBitsPerSlash8];
    return (leaf & ((std::size_t{1} << kLeafBitsPerSlash8) - 1)) < slash8_first_block_[a + 1] - slash8_first_block_[a];
  }

  /// Lists a block whose sums update_sums() must recompute.
  void mark(int block) {
    if (dirty_flag_[block]) return;
    dirty_flag_[block] = 1;
    dirty_.push_back(block);
  }

  /// The weights of leaves [first, first + 8) (first a multiple of 8), both lanes:
  /// W_b, the summed weight of the leaf's susceptible hosts, and R_b W_b.
  void leaf_weights(std::size_t first, double (&weights)[kGroup][2]) const {
    const std::int32_t* c = counts_.get() + first * stride_;
    if (stride_ == 2) {
      for (std::size_t k = 0; k < kGroup; ++k) {
        const double w = weight_of_pair(c + 2 * k);
        weights[k][kWeightLane] = w;
        weights[k][kContactLane] = contact_of_pair(w, c + 2 * k);
      }
      return;
    }
    for (std::size_t k = 0; k < kGroup; ++k, c += stride_) {
      double w = 0.0;
      for (int t = 0; t < types_; ++t) w += type_weight_[t] * static_cast<double>(c[t]);
      double r = 0.0;
      for (int l = 0; l < links_; ++l) r += link_rate_[l] * static_cast<double>(c[types_ + l]);
      weights[k][kWeightLane] = w;
      weights[k][kContactLane] = w * r;
    }
  }

  /// With one host type and one link class (stride 2), a leaf's counts c[0]
  /// (susceptible) and c[1] (scanning) give W_b and, from W_b, R_b W_b: the sums of
  /// the general case, written out.
  [[nodiscard]] double weight_of_pair(const std::int32_t* c) const {
    return type_weight_[0] * static_cast<double>(c[0]);
  }
  [[nodiscard]] double contact_of_pair(double weight, const std::int32_t* c) const {
    return weight * (link_rate_[0] * static_cast<double>(c[1]));
  }

  /// The weights of leaves [first, first + 8) in one lane, as leaf_weights() gives them.
  void lane_weights(std::size_t first, std::size_t lane, double (&weights)[kGroup]) const {
    if (stride_ == 2) {
      const std::int32_t* c = counts_.get() + first * 2;
      if (lane == kWeightLane) {
        for (std::size_t k = 0; k < kGroup; ++k) weights[k] = weight_of_pair(c + 2 * k);
      } else {
        for (std::size_t k = 0; k < kGroup; ++k) weights[k] = contact_of_pair(weight_of_pair(c + 2 * k), c + 2 * k);
      }
      return;
    }
    double both[kGroup][2];
    leaf_weights(first, both);
    for (std::size_t k = 0; k < kGroup; ++k) weights[k] = both[k][lane];
  }

  /// Frees the counts (allocated 64-byte aligned).
  struct AlignedFree {
    void operator()(std::int32_t* p) const { ::operator delete[](p, std::align_val_t{64}); }
  };

  [[nodiscard]] double slash8_weight(std::size_t a) const {
    double w = 0.0;
    for (int t = 0; t < types_; ++t) {
      w += type_weight_[t] * static_cast<double>(susceptible_slash8_[a * types_ + t]);
    }
    return w;
  }
  [[nodiscard]] double slash8_rate(std::size_t a) const {
    double r = 0.0;
    for (int c = 0; c < links_; ++c) {
      r += link_rate_[c] * static_cast<double>(scanning_slash8_[a * links_ + c]);
    }
    return r;
  }

  void refresh(int block) {
    const std::size_t group = leaf_of_block(block) / kGroup;
    double weights[kGroup][2];
    leaf_weights(group * kGroup, weights);
    block_sums_.set(group, {sum_of_eight<2>(&weights[0][kWeightLane]), sum_of_eight<2>(&weights[0][kContactLane])});
    const std::size_t a = block_slash8_[block];
    per_slash8_.set(a, slash8_weight(a) * slash8_rate(a));
  }

  double p16_, p8_, p_any_;
  int types_, links_;
  std::vector<std::uint32_t> block_first_host_;   // first host of each block (hosts sorted)
  std::vector<std::uint8_t> block_slash8_;        // /8 of each block
  std::vector<std::uint32_t> slash8_first_block_; // blocks of /8 a: [first[a], first[a+1])
  std::vector<std::uint32_t> slot_of_slash8_;     // per /8 holding hosts: its slot in the block tree
  std::vector<std::uint8_t> slash8_of_slot_;      // the /8 of each slot
  // Per leaf, side by side (eight leaves in a cache line when types + links = 2):
  // the susceptible hosts of each type, then the scanning hosts of each link class
  // (at most 65,536 each); zero for the leaves that are no block.
  std::size_t stride_ = 0;
  std::unique_ptr<std::int32_t[], AlignedFree> counts_;
  std::size_t counts_size_ = 0;
  std::vector<double> type_weight_;  // per host type: the model's weight
  std::vector<double> link_rate_;    // per link class: the model's scan rate
  std::vector<std::int64_t> susceptible_slash8_;  // per (/8, type)
  std::vector<std::int64_t> scanning_slash8_;     // per (/8, link)
  static constexpr std::size_t kWeightLane = 0;   // W_b
  static constexpr std::size_t kContactLane = 1;  // R_b W_b
  SumTreeLanes<2> block_sums_;  // per group of eight leaves: their summed weights, both lanes
  SumTree per_slash8_;   // R_a W_a
  std::vector<int> dirty_;                 // blocks whose sums are out of date
  std::vector<std::uint8_t> dirty_flag_;   // per block: listed in dirty_
};

}  // namespace patchrace::detail
