// Aggregates for local-preference scanning (Code Red II). A probe from a host in
// /16 block b of /8 a goes to a uniformly random address of a with probability p8,
// of b with probability p16, and of the allowed space otherwise. Summed over the
// scanning hosts, the rate of contacts that change a host is
//   p16 / 2^16 * sum_b R_b W_b  +  p8 / 2^24 * sum_a R_a W_a  +  p_any / |allowed| * R W
// with R_x the summed scan rate of the scanning hosts in x and W_x the summed
// change probability (weight) of the susceptible hosts in x. All per-block and
// per-/8 quantities are recomputed from integer counts on every change, and the
// sums live in SumTrees, so nothing drifts. The blocks of each /8 that holds hosts
// have 256 consecutive leaves of the block tree (a /8 has 256 /16s), half of the
// range under one node, so that a choice inside a /8 descends four levels.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "engine/prefetch.hpp"
#include "engine/rng.hpp"
#include "engine/sum_tree.hpp"
#include "engine/worm_model.hpp"

namespace patchrace::detail {

class LocalPreferenceIndex {
 public:
  /// `address`: sorted host addresses. Blocks are the /16s that hold hosts.
  LocalPreferenceIndex(const std::vector<std::uint32_t>& address, const WormModel& model,
                       const LocalPreferenceSpec& spec)
      : model_(&model),
        p16_(spec.same_slash16),
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
    block_counts_.assign(blocks * stride_, 0);
    susceptible_slash8_.assign(256 * static_cast<std::size_t>(types_), 0);
    scanning_slash8_.assign(256 * static_cast<std::size_t>(links_), 0);
    // An even number of slots, so that every slot's half of a node exists.
    block_sums_ = SumTreeLanes<2>(((slash8_of_slot_.size() + 1) & ~std::size_t{1}) << kLeafBitsPerSlash8);
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

  /// A susceptible host of `type` in `block` appeared (+1) or left (-1).
  void susceptible_changed(int block, int type, int delta) {
    block_counts_[static_cast<std::size_t>(block) * stride_ + type] += delta;
    susceptible_slash8_[static_cast<std::size_t>(block_slash8_[block]) * types_ + type] += delta;
    mark(block);
  }

  /// A scanning host of link class `link` in `block` started (+1) or stopped (-1).
  void scanning_changed(int block, int link, int delta) {
    block_counts_[static_cast<std::size_t>(block) * stride_ + types_ + link] += delta;
    scanning_slash8_[static_cast<std::size_t>(block_slash8_[block]) * links_ + link] += delta;
    mark(block);
  }

  /// Rate of contacts that change a host, per unit of delivered share, given the
  /// summed scan rate `sent` and summed susceptible weight `weight` of all hosts.
  [[nodiscard]] double contact_rate(double sent, double weight, double allowed_space) {
    flush();
    return p16_ / 65536.0 * block_sums_.total(kContactLane) + p8_ / 16777216.0 * per_slash8_.total() +
           p_any_ / allowed_space * sent * weight;
  }

  /// Draws the block of the next contacted host: first the component (own /16,
  /// own /8, anywhere) in proportion to its rate, then the block. One uniform makes
  /// the whole choice: rescaled to the chosen component (and to the chosen /8), it
  /// is uniform again for the next step.
  int choose_block(Rng& rng, double sent, double weight, double allowed_space) {
    flush();
    const Start start = start_for(rng.uniform(), sent, weight, allowed_space);
    // One level above the items the group of eight blocks is known: what a contact
    // in any of them reads is fetched alongside the group's sums.
    const auto group = block_sums_.descend(start.at, 1, start.lane);
    prefetch_group(group.node);
    return block_of_leaf(block_sums_.descend(group, 0, start.lane).node);
  }

 private:
  // Leaves of the block tree: slot s (the s-th /8 holding hosts) owns leaves
  // [s * 256, (s + 1) * 256), one per block of the /8 in order, the rest unused;
  // they are one half of the range under node s / 2 of level kSlash8Level.
  static constexpr int kLeafBitsPerSlash8 = 8;
  static constexpr std::size_t kSlash8Level = 3;
  // A node of level 3 has 512 leaves under it, two /8s; a /8 is four nodes of level 2.
  static constexpr std::size_t kQuartersPerSlash8 = 4;
  static_assert(std::size_t{2} << kLeafBitsPerSlash8 ==
                SumTreeLanes<2>::kArity * SumTreeLanes<2>::kArity * SumTreeLanes<2>::kArity);

  /// The weight-lane sum of nodes [first, first + 4) of level 2, added as a descent
  /// adds the half of a group: (n0 + n1) + (n2 + n3).
  [[nodiscard]] double quarter_sum(std::size_t first) const {
    const auto w = [&](std::size_t k) { return block_sums_.subtotal(2, first + k, kWeightLane); };
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
        return {{kSlash8Level, slot / 2, std::min(fraction * lower, std::nextafter(lower, 0.0))}, kWeightLane};
      }
      return {{kSlash8Level, slot / 2, lower + fraction * quarter_sum(first + kQuartersPerSlash8)}, kWeightLane};
    }
    return {{root, 0, rescaled(u, c16 + c8, c_any) * block_sums_.total(kWeightLane)}, kWeightLane};
  }
  static constexpr double kBelowOne = 1.0 - 0x1p-53;
  /// (u - from) / width, in [0, 1).
  static double rescaled(double u, double from, double width) { return std::min((u - from) / width, kBelowOne); }

  /// Hints the processor to fetch, for the blocks of leaves [8j, 8j + 8), their
  /// sums in every lane, first hosts, /8s, counts and change flags: what a contact in
  /// one of them reads and changes in this index.
  void prefetch_group(std::size_t j) const {
    block_sums_.prefetch_items_under(j);
    const std::size_t leaf = j * SumTreeLanes<2>::kArity;
    if (!leaf_is_block(leaf)) return;
    const std::size_t b = static_cast<std::size_t>(block_of_leaf(leaf));
    detail::prefetch(&block_first_host_[b]);
    detail::prefetch(&dirty_flag_[b]);
    detail::prefetch(&block_slash8_[b]);
    // The counts of eight blocks: two lines when a block has two counts.
    const std::size_t first = b * stride_;
    const std::size_t last = std::min(first + SumTreeLanes<2>::kArity * stride_, block_counts_.size()) - 1;
    detail::prefetch(&block_counts_[first]);
    detail::prefetch(&block_counts_[last]);
  }

  /// Whether a leaf of the block tree stands for a block (and is not one of a /8's
  /// unused leaves).
  [[nodiscard]] bool leaf_is_block(std::size_t leaf) const {
    const std::uint8_t a = slash8_of_slot_[leaf >> kLeafBitsPerSlash8];
    return (leaf & ((std::size_t{1} << kLeafBitsPerSlash8) - 1)) < slash8_first_block_[a + 1] - slash8_first_block_[a];
  }

  /// Counts change at once; the sums of a changed block are recomputed once, at the
  /// next query (an infection changes one block twice: susceptible and scanning).
  void mark(int block) {
    if (dirty_flag_[block]) return;
    dirty_flag_[block] = 1;
    dirty_.push_back(block);
  }
  void flush() {
    for (int block : dirty_) {
      refresh(block);
      dirty_flag_[block] = 0;
    }
    dirty_.clear();
  }

  [[nodiscard]] double block_weight(int b) const {
    double w = 0.0;
    for (int t = 0; t < types_; ++t) {
      w += model_->weight(t) * static_cast<double>(block_counts_[static_cast<std::size_t>(b) * stride_ + t]);
    }
    return w;
  }
  [[nodiscard]] double block_rate(int b) const {
    double r = 0.0;
    for (int c = 0; c < links_; ++c) {
      r += model_->link_rate(c) * static_cast<double>(block_counts_[static_cast<std::size_t>(b) * stride_ + types_ + c]);
    }
    return r;
  }
  [[nodiscard]] double slash8_weight(std::size_t a) const {
    double w = 0.0;
    for (int t = 0; t < types_; ++t) {
      w += model_->weight(t) * static_cast<double>(susceptible_slash8_[a * types_ + t]);
    }
    return w;
  }
  [[nodiscard]] double slash8_rate(std::size_t a) const {
    double r = 0.0;
    for (int c = 0; c < links_; ++c) {
      r += model_->link_rate(c) * static_cast<double>(scanning_slash8_[a * links_ + c]);
    }
    return r;
  }

  void refresh(int block) {
    const double w = block_weight(block);
    block_sums_.set(leaf_of_block(block), {w, w * block_rate(block)});
    const std::size_t a = block_slash8_[block];
    per_slash8_.set(a, slash8_weight(a) * slash8_rate(a));
  }

  const WormModel* model_;
  double p16_, p8_, p_any_;
  int types_, links_;
  std::vector<std::uint32_t> block_first_host_;   // first host of each block (hosts sorted)
  std::vector<std::uint8_t> block_slash8_;        // /8 of each block
  std::vector<std::uint32_t> slash8_first_block_; // blocks of /8 a: [first[a], first[a+1])
  std::vector<std::uint32_t> slot_of_slash8_;     // per /8 holding hosts: its slot in the block tree
  std::vector<std::uint8_t> slash8_of_slot_;      // the /8 of each slot
  // Per block, side by side (one cache line for both when types + links <= 8): the
  // susceptible hosts of each type, then the scanning hosts of each link class.
  std::size_t stride_ = 0;
  std::vector<std::int32_t> block_counts_;  // at most 65,536 hosts per block
  std::vector<std::int64_t> susceptible_slash8_;  // per (/8, type)
  std::vector<std::int64_t> scanning_slash8_;     // per (/8, link)
  static constexpr std::size_t kWeightLane = 0;   // W_b
  static constexpr std::size_t kContactLane = 1;  // R_b W_b
  SumTreeLanes<2> block_sums_;  // per block (leaf_of_block), in one tree (both change together)
  SumTree per_slash8_;   // R_a W_a
  std::vector<int> dirty_;                 // blocks whose sums are out of date
  std::vector<std::uint8_t> dirty_flag_;   // per block: listed in dirty_
};

}  // namespace patchrace::detail
