// The queue of the per-host scheduled events (seeding, return from a crash,
// cleanup). A 4-ary heap ordered by time, ties broken by kind and id, so the order
// never depends on insertion history; beside it, first-in-first-out runs for events
// scheduled in time order.
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

/// Pops events in the order of ScheduledEvent::operator<. Events that a caller
/// schedules in time order (a return from a crash, a constant downtime after the
/// crash, for each host type) can name a run: a run keeps its events in a
/// first-in-first-out list, O(1) per event instead of O(log n) in the heap. An
/// event not later than its run's last one goes to the heap instead, so the order
/// of pops is the same as without runs.
class EventQueue {
 public:
  static constexpr int kNoRun = -1;

  [[nodiscard]] bool empty() { return next_source() == kNone; }
  /// Time of the next event, or +infinity when there is none.
  [[nodiscard]] double next_time() {
    const int s = next_source();
    return s == kNone ? std::numeric_limits<double>::infinity() : front(s).time;
  }
  /// Kind of the next event (the queue must not be empty).
  [[nodiscard]] EventKind next_kind() { return front(next_source()).kind; }
  /// Makes room for `n` events in the heap without reallocating.
  void reserve(std::size_t n) { heap_.reserve(n); }

  /// Schedules an event of `kind` for `id` at `time` (seconds), in run `run` (from
  /// 0; a few, as each pop compares the runs' first events) if the caller's events
  /// of that run come in time order.
  void push(double time, std::uint32_t id, EventKind kind, int run = kNoRun) {
    const ScheduledEvent e{time, id, kind};
    source_ = kUnknown;
    if (run != kNoRun) {
      if (static_cast<std::size_t>(run) >= runs_.size()) runs_.resize(static_cast<std::size_t>(run) + 1);
      Run& r = runs_[static_cast<std::size_t>(run)];
      if (r.head == r.items.size() || r.items.back().time < time) {
        r.push(e);
        return;
      }
    }
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
    const int s = next_source();
    source_ = kUnknown;
    if (s == kHeap) {
      hole_at_top_ = true;
      return heap_[0];
    }
    Run& r = runs_[static_cast<std::size_t>(s)];
    return r.items[r.head++];
  }

  /// The k-th event still to come of run `run` in its order (k = 0: its earliest),
  /// or nullptr when the run has fewer: what will soon be needed, to fetch ahead.
  [[nodiscard]] const ScheduledEvent* ahead(int run, std::size_t k) const {
    if (static_cast<std::size_t>(run) >= runs_.size()) return nullptr;
    const Run& r = runs_[static_cast<std::size_t>(run)];
    return r.head + k < r.items.size() ? &r.items[r.head + k] : nullptr;
  }

 private:
  static constexpr std::size_t kArity = 4;
  static constexpr int kHeap = -1;
  static constexpr int kNone = -2;
  static constexpr int kUnknown = -3;

  /// A run's events in time order: items[head..] are still to come.
  struct Run {
    std::vector<ScheduledEvent> items;
    std::size_t head = 0;

    void push(const ScheduledEvent& e) {
      if (head == items.size()) {
        items.clear();
        head = 0;
      } else if (head >= 4096 && 2 * head >= items.size()) {  // drop what was popped
        items.erase(items.begin(), items.begin() + static_cast<std::ptrdiff_t>(head));
        head = 0;
      }
      items.push_back(e);
    }
  };

  [[nodiscard]] const ScheduledEvent& front(int source) const {
    if (source == kHeap) return heap_[0];
    const Run& r = runs_[static_cast<std::size_t>(source)];
    return r.items[r.head];
  }

  /// Where the next event is: kHeap, a run, or kNone.
  int next_source() {
    if (source_ != kUnknown) return source_;
    settle();
    int best = heap_.empty() ? kNone : kHeap;
    for (std::size_t i = 0; i < runs_.size(); ++i) {
      const Run& r = runs_[i];
      if (r.head == r.items.size()) continue;
      if (best == kNone || r.items[r.head] < front(best)) best = static_cast<int>(i);
    }
    source_ = best;
    return best;
  }

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
  std::vector<Run> runs_;
  int source_ = kUnknown;  // next_source(), until a push or pop
};

}  // namespace patchrace::detail
