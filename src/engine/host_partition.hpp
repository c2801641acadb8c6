// Hosts partitioned into a fixed number of compartments (pools), with O(1) uniform
// choice inside a pool and cheap moves between pools. Nine bytes per host.
#pragma once

#include <cassert>
#include <cstdint>
#include <numeric>
#include <vector>

namespace patchrace::detail {

/// One array holds every host, ordered so that each pool is a contiguous range;
/// pool k is [begin(k), begin(k+1)). Moving a host from pool a to pool b shifts it
/// across the pools in between with one swap per boundary, so pools that exchange
/// hosts often should be numbered next to each other. Not thread-safe.
class HostPartition {
 public:
  /// All `hosts` hosts start in pool `initial_pool` of `pool_count` (<= 255) pools.
  HostPartition(std::uint32_t hosts, int pool_count, int initial_pool)
      : order_(hosts), slot_(hosts), pool_(hosts, static_cast<std::uint8_t>(initial_pool)),
        begin_(static_cast<std::size_t>(pool_count) + 1, 0) {
    std::iota(order_.begin(), order_.end(), 0u);
    std::iota(slot_.begin(), slot_.end(), 0u);
    for (int k = initial_pool + 1; k <= pool_count; ++k) begin_[k] = hosts;
  }

  /// Hosts in pool k.
  [[nodiscard]] std::uint32_t size(int k) const { return begin_[k + 1] - begin_[k]; }

  /// The i-th host of pool k, 0 <= i < size(k). Order inside a pool is arbitrary.
  [[nodiscard]] std::uint32_t at(int k, std::uint32_t i) const { return order_[begin_[k] + i]; }

  /// Hints the processor to fetch the cache line of the i-th host of pool k.
  void prefetch(int k, std::uint32_t i) const { __builtin_prefetch(&order_[begin_[k] + i]); }

  /// Pool that `host` is in.
  [[nodiscard]] int pool_of(std::uint32_t host) const { return pool_[host]; }

  /// Moves `host` to pool `to`. Cost: one swap per pool boundary crossed.
  void move(std::uint32_t host, int to) { shift(host, slot_[host], pool_[host], to); }

  /// Moves the i-th host of pool `from` to pool `to` and returns it. Cheaper than
  /// move(at(from, i), to): the host's own slot and pool are written, never read,
  /// which saves cache misses on large populations.
  std::uint32_t move_at(int from, std::uint32_t i, int to) {
    const std::uint32_t slot = begin_[from] + i;
    const std::uint32_t host = order_[slot];
    shift(host, slot, from, to);
    return host;
  }

 private:
  void shift(std::uint32_t host, std::uint32_t slot, int from, int to) {
    while (from < to) {  // become the first element of pool from+1
      const std::uint32_t last = --begin_[from + 1];
      swap_slots(host, slot, last);
      slot = last;
      ++from;
    }
    while (from > to) {  // become the last element of pool from-1
      const std::uint32_t first = begin_[from]++;
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

  std::vector<std::uint32_t> order_;  // hosts, grouped by pool
  std::vector<std::uint32_t> slot_;   // position of each host in order_
  std::vector<std::uint8_t> pool_;    // pool of each host
  std::vector<std::uint32_t> begin_;  // pool k occupies [begin_[k], begin_[k+1])
};

}  // namespace patchrace::detail
