// Everything scheduled: the per-host events (seeding, return from a crash, cleanup) in
// an EventQueue, and the sweeping scanners' arrivals, up to one per host, in an
// ArrivalQueue. Taken in the same order as one EventQueue holding them all: by
// time, then kind, then id.
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>

#include "engine/arrival_queue.hpp"
#include "engine/event_queue.hpp"

namespace patchrace::detail {

class Agenda {
 public:
  /// Makes room for `scanners` scanner ids and `events` other events.
  void reserve(std::size_t scanners, std::size_t events) {
    arrivals_.reserve(scanners);
    events_.reserve(events);
  }

  [[nodiscard]] bool empty() { return arrivals_.empty() && events_.empty(); }

  /// Time of the next event (seconds), or +infinity when there is none.
  [[nodiscard]] double next_time() {
    return arrivals_.empty() ? events_.next_time() : std::min(events_.next_time(), arrivals_.next_time());
  }

  /// Kind of the next event (the agenda must not be empty), as pop() would return it.
  [[nodiscard]] EventKind next_kind() {
    if (!arrivals_.empty() && (events_.empty() || arrivals_.next_time() < events_.next_time())) {
      return EventKind::kScannerArrival;
    }
    return events_.next_kind();
  }

  void push(double time, std::uint32_t id, EventKind kind) {
    if (kind == EventKind::kScannerArrival) {
      arrivals_.push(time, id);
    } else {
      events_.push(time, id, kind);
    }
  }

  /// The next scanner arrivals in order (see ArrivalQueue::upcoming).
  [[nodiscard]] std::span<const ArrivalQueue::Entry> upcoming_arrivals() { return arrivals_.upcoming(); }

  /// Removes and returns the earliest event (the agenda must not be empty).
  ScheduledEvent pop() {
    // Arrivals are the last kind: at equal times the other event goes first.
    if (!arrivals_.empty() && (events_.empty() || arrivals_.next_time() < events_.next_time())) {
      const double time = arrivals_.next_time();
      return {time, arrivals_.pop(), EventKind::kScannerArrival};
    }
    return events_.pop();
  }

 private:
  EventQueue events_;
  ArrivalQueue arrivals_;
};

}  // namespace patchrace::detail
