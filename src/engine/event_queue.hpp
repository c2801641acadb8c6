// The queue of the per-host scheduled events (seeding, return from a crash,
// cleanup). A 4-ary heap ordered by time, ties broken by kind and id, so the order
// never depends on insertion history.
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

namespace patchrace::detail {

enum class EventKind : std::uint8_t {
  kSeedInfection = 0,  // id: host to infect (hit-list seeding window)
  kCrashReturn = 1,    // id: host coming back online after a crash
  kCleanup = 2,        // id: infected host whose cleanup falls due
  kScannerArrival = 3, // a scanner reaching its next target: kept by the Agenda with the
                       // scanner's record, never in an EventQueue (the last kind)
};

struct ScheduledEvent {
  double time;  // seconds
  std::uint32_t id;
  EventKind kind;

  bool operator<(const ScheduledEvent& o) const {
    if (time != o.time) return time < o.time;
    if (kind != o.kind) return kind < o.kind;
    return id < o.id;
  }
};

class EventQueue {
 public:
  [[nodiscard]] bool empty() {
    settle();
    return heap_.empty();
  }
  /// Time of the next event, or +infinity when there is none.
  [[nodiscard]] double next_time() {
    settle();
    return heap_.empty() ? std::numeric_limits<double>::infinity() : heap_[0].time;
  }
  /// Kind of the next event (the queue must not be empty).
  [[nodiscard]] EventKind next_kind() {
    settle();
    return heap_[0].kind;
  }
  /// Makes room for `n` events without reallocating.
  void reserve(std::size_t n) { heap_.reserve(n); }

  void push(double time, std::uint32_t id, EventKind kind) {
    const ScheduledEvent e{time, id, kind};
    if (hole_at_top_) {  // fill the popped root and sift down
      hole_at_top_ = false;
      sift_down(0, e);
      return;
    }
    heap_.push_back(e);
    sift_up(heap_.size() - 1);
  }
  /// Removes and returns the earliest event (the queue must not be empty).
  ScheduledEvent pop() {
    settle();
    const ScheduledEvent e = heap_[0];
    hole_at_top_ = true;
    return e;
  }

 private:
  static constexpr std::size_t kArity = 4;

  /// Completes a pop that no push has filled.
  void settle() {
    if (!hole_at_top_) return;
    hole_at_top_ = false;
    const ScheduledEvent last = heap_.back();
    heap_.pop_back();
    if (!heap_.empty()) sift_down(0, last);
  }

  void sift_up(std::size_t i) {
    const ScheduledEvent e = heap_[i];
    while (i > 0) {
      const std::size_t parent = (i - 1) / kArity;
      if (!(e < heap_[parent])) break;
      heap_[i] = heap_[parent];
      i = parent;
    }
    heap_[i] = e;
  }

  /// Places e at position i (whose old content is discarded) and restores order below.
  void sift_down(std::size_t i, const ScheduledEvent& e) {
    const std::size_t n = heap_.size();
    while (true) {
      const std::size_t first = i * kArity + 1;
      if (first >= n) break;
      std::size_t best = first;
      const std::size_t end = first + kArity < n ? first + kArity : n;
      for (std::size_t c = first + 1; c < end; ++c) {
        if (heap_[c] < heap_[best]) best = c;
      }
      if (!(heap_[best] < e)) break;
      heap_[i] = heap_[best];
      i = best;
    }
    heap_[i] = e;
  }

  std::vector<ScheduledEvent> heap_;
  bool hole_at_top_ = false;
};

}  // namespace patchrace::detail
