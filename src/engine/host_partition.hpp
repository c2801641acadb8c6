// Hosts partitioned into strata (fixed per host: type, later address block) and,
// inside each stratum, into pools (state compartments), with O(1) uniform choice
// inside a (stratum, pool) and cheap moves between pools of the same stratum.
// Nine bytes per host plus (pools + 1) words per stratum; without uniform choice
// (counts only) one byte per host, three with several strata.
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>
#include <vector>

#include "base/prefetch.hpp"

namespace patchrace::detail {

/// What a partition offers besides each host's pool and the counts.
enum class PoolPicks : std::uint8_t {
  kUniform,  // the i-th host of a pool (at, move_at, prefetch): uniform choice inside a pool
  kNone,     // no choice inside a pool: no per-host order to keep up, fewer cache misses per move
};

/// One array holds every host, ordered by stratum, and inside each stratum so that
/// each pool is a contiguous range. Moving a host from pool a to pool b shifts it
/// across the pools in between with one swap per boundary, so pools that exchange
/// hosts often should be numbered next to each other. Without picks only the
/// boundaries move. Not thread-safe.
class HostPartition {
 public:
  /// Every one of `hosts` hosts starts in pool `initial_pool`; host h belongs to
  /// stratum `stratum_of[h]` (< stratum_count), or to stratum 0 if `stratum_of` is
  /// empty. `pool_count` <= 255; without picks, `stratum_count` <= 65,536.
  HostPartition(std::uint32_t hosts, std::span<const std::uint32_t> stratum_of, int stratum_count,
                int pool_count, int initial_pool, PoolPicks picks = PoolPicks::kUniform)
      : pools_(pool_count),
        order_(picks == PoolPicks::kUniform ? hosts : 0),
        slot_(picks == PoolPicks::kUniform ? hosts : 0),
        pool_(hosts, static_cast<std::uint8_t>(initial_pool)),
        begin_(static_cast<std::size_t>(stratum_count) * (pool_count + 1), 0),
        total_(pool_count, 0) {
    // Counting sort of the hosts by stratum.
    std::vector<std::uint32_t> start(static_cast<std::size_t>(stratum_count) + 1, 0);
    if (stratum_of.empty()) {
      start[1] = hosts;
    } else {
      for (std::uint32_t s : stratum_of) ++start[s + 1];
    }
    for (int s = 0; s < stratum_count; ++s) start[s + 1] += start[s];
    stratum_start_.assign(start.begin(), start.end());
    if (picks == PoolPicks::kUniform) {
      std::vector<std::uint32_t> next(start.begin(), start.end() - 1);
      for (std::uint32_t h = 0; h < hosts; ++h) {
        const std::uint32_t slot = stratum_of.empty() ? h : next[stratum_of[h]]++;
        order_[slot] = h;
        slot_[h] = slot;
      }
    } else if (!stratum_of.empty() && stratum_count > 1) {
      stratum_.assign(stratum_of.begin(), stratum_of.end());
    }
    for (int s = 0; s < stratum_count; ++s) {
      std::uint32_t* b = &begin_[static_cast<std::size_t>(s) * (pools_ + 1)];
      for (int k = 0; k <= pools_; ++k) b[k] = k <= initial_pool ? start[s] : start[s + 1];
    }
    total_[initial_pool] = hosts;
  }

  /// A partition with a single stratum holding every host.
  HostPartition(std::uint32_t hosts, int pool_count, int initial_pool, PoolPicks picks = PoolPicks::kUniform)
      : HostPartition(hosts, {}, 1, pool_count, initial_pool, picks) {}

  [[nodiscard]] int stratum_count() const {
    return static_cast<int>(stratum_start_.size()) - 1;
  }

  /// Hosts in pool k of stratum s.
  [[nodiscard]] std::uint32_t size(int s, int k) const { return begin(s)[k + 1] - begin(s)[k]; }

  /// Hosts in pool k over all strata.
  [[nodiscard]] std::uint32_t total(int k) const { return total_[k]; }

  /// The i-th host of pool k of stratum s, 0 <= i < size(s, k). Order is arbitrary.
  /// (With picks only, as are move_at and prefetch.)
  [[nodiscard]] std::uint32_t at(int s, int k, std::uint32_t i) const {
    return order_[begin(s)[k] + i];
  }

  /// Pool that `host` is in.
  [[nodiscard]] int pool_of(std::uint32_t host) const { return pool_[host]; }

  /// Stratum that `host` is in (with picks, a binary search over the strata).
  [[nodiscard]] int stratum_of(std::uint32_t host) const {
    if (slot_.empty()) return stratum_.empty() ? 0 : stratum_[host];
    const auto it = std::upper_bound(stratum_start_.begin(), stratum_start_.end(), slot_[host]);
    return static_cast<int>(it - stratum_start_.begin()) - 1;
  }

  /// Hints the processor to fetch the cache line of the i-th host of pool k of stratum s.
  void prefetch(int s, int k, std::uint32_t i) const { detail::prefetch(&order_[begin(s)[k] + i]); }

  /// Hints the processor to fetch stratum s's pool boundaries and, with picks,
  /// `lines` cache lines of the host order from position `position` (the caller's
  /// knowledge of where the stratum starts, which saves reading it).
  void prefetch_order(int s, std::uint32_t position, int lines) const {
    detail::prefetch(begin(s));
    constexpr std::size_t kPerLine = 64 / sizeof(std::uint32_t);
    for (std::size_t i = position, k = 0; i < order_.size() && k < static_cast<std::size_t>(lines); i += kPerLine, ++k) {
      detail::prefetch(&order_[i]);
    }
  }

  /// Hints the processor to fetch the pool boundaries of strata [s, s + n) (clamped
  /// to the strata there are).
  void prefetch_boundaries(int s, int n) const {
    const std::size_t end = std::min(begin_.size(), static_cast<std::size_t>(s + n) * (pools_ + 1));
    const auto* first = reinterpret_cast<const char*>(begin(s));
    const auto* last = reinterpret_cast<const char*>(begin_.data() + end);
    for (const char* p = first; p < last; p += 64) detail::prefetch(p);
    if (last > first) detail::prefetch(last - 1);
  }

  /// Hints the processor to fetch what pool_of(host) and a move of `host` read.
  void prefetch_host(std::uint32_t host) const {
    detail::prefetch(&pool_[host]);
    if (!slot_.empty()) detail::prefetch(&slot_[host]);
    if (!stratum_.empty()) detail::prefetch(&stratum_[host]);
  }

  /// Moves `host` to pool `to` of its stratum. Cost: one swap per pool boundary
  /// crossed (with picks; without, one count per boundary).
  void move(std::uint32_t host, int to) {
    shift(host, slot_.empty() ? 0 : slot_[host], stratum_of(host), pool_[host], to);
  }

  /// Moves the i-th host of pool `from` of stratum s to pool `to` and returns it.
  /// Cheaper than move(at(s, from, i), to): the host's own slot and pool are written,
  /// never read, which saves cache misses on large populations.
  std::uint32_t move_at(int s, int from, std::uint32_t i, int to) {
    const std::uint32_t slot = begin(s)[from] + i;
    const std::uint32_t host = order_[slot];
    shift(host, slot, s, from, to);
    return host;
  }

 private:
  [[nodiscard]] const std::uint32_t* begin(int s) const {
    return &begin_[static_cast<std::size_t>(s) * (pools_ + 1)];
  }
  [[nodiscard]] std::uint32_t* begin(int s) { return &begin_[static_cast<std::size_t>(s) * (pools_ + 1)]; }

  void shift(std::uint32_t host, std::uint32_t slot, int s, int from, int to) {
    std::uint32_t* b = begin(s);
    --total_[from];
    ++total_[to];
    if (slot_.empty()) {  // no order to keep: the boundaries move
      for (; from < to; ++from) --b[from + 1];
      for (; from > to; --from) ++b[from];
      pool_[host] = static_cast<std::uint8_t>(to);
      return;
    }
    while (from < to) {  // become the first element of pool from+1
      const std::uint32_t last = --b[from + 1];
      swap_slots(host, slot, last);
      slot = last;
      ++from;
    }
    while (from > to) {  // become the last element of pool from-1
      const std::uint32_t first = b[from]++;
      swap_slots(host, slot, first);
      slot = first;
      --from;
    }
    pool_[host] = static_cast<std::uint8_t>(to);
  }

  /// Exchanges `host` (at slot a) with whatever is at slot b.
  void swap_slots(std::uint32_t host, std::uint32_t a, std::uint32_t b) {
    if (a == b) {
      slot_[host] = a;
      return;
    }
    const std::uint32_t other = order_[b];
    order_[a] = other;
    order_[b] = host;
    slot_[other] = a;
    slot_[host] = b;
  }

  int pools_;
  std::vector<std::uint32_t> order_;          // with picks: hosts, grouped by stratum then pool
  std::vector<std::uint32_t> slot_;           // with picks: position of each host in order_
  std::vector<std::uint16_t> stratum_;        // without picks, several strata: stratum of each host
  std::vector<std::uint8_t> pool_;            // pool of each host
  std::vector<std::uint32_t> begin_;          // pool k of stratum s: [begin_[s(P+1)+k], begin_[s(P+1)+k+1])
  std::vector<std::uint32_t> stratum_start_;  // stratum s occupies [stratum_start_[s], stratum_start_[s+1])
  std::vector<std::uint32_t> total_;          // hosts per pool over all strata
};

}  // namespace patchrace::detail
