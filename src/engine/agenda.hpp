// Everything scheduled: the per-host events (seeding, return from a crash, cleanup) in
// an EventQueue, and the sweeping scanners' arrivals, up to one per scanning host,
// in an ArrivalQueue that carries the scanners' records. Taken by time, then kind
// (arrivals last), then id; arrivals at equal times in the order the ArrivalQueue
// gives them.
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>

#include "base/arrival_queue.hpp"
#include "base/event_queue.hpp"
#include "engine/scanner.hpp"

namespace patchrace::detail {

class Agenda {
 public:
  using Arrival = ArrivalQueue<Scanner>::Entry;

  /// Makes room for `events` events other than arrivals.
  void reserve(std::size_t events) { events_.reserve(events); }

  [[nodiscard]] bool empty() { return arrivals_.empty() && events_.empty(); }

  /// Time of the next event (seconds), or +infinity when there is none.
  [[nodiscard]] double next_time() {
    return arrivals_.empty() ? events_.next_time() : std::min(events_.next_time(), arrivals_.next_time());
  }

  /// Time of the next arrival, or +infinity when there is none.
  [[nodiscard]] double next_arrival_time() { return arrivals_.next_time(); }

  /// Time of the next event other than an arrival, or +infinity when there is none.
  [[nodiscard]] double next_other_time() { return events_.next_time(); }

  /// Kind of the next event (the agenda must not be empty).
  [[nodiscard]] EventKind next_kind() {
    return arrival_next() ? EventKind::kScannerArrival : events_.next_kind();
  }

  /// Schedules an event of `kind` (not an arrival) for `id` at `time`, in run `run`
  /// when the caller's events of that run come in time order (see EventQueue).
  void push(double time, std::uint32_t id, EventKind kind, int run = EventQueue::kNoRun) {
    events_.push(time, id, kind, run);
  }

  /// The k-th event still to come of run `run` (see EventQueue::ahead), or nullptr.
  [[nodiscard]] const ScheduledEvent* ahead(int run, std::size_t k) const { return events_.ahead(run, k); }

  /// Schedules `scanner`'s arrival at its target at `time`.
  void push_arrival(double time, const Scanner& scanner) { arrivals_.push(time, scanner); }

  /// Arrivals that come soon, in order (see ArrivalQueue::upcoming).
  [[nodiscard]] std::span<const Arrival> upcoming_arrivals() { return arrivals_.upcoming(); }

  /// Removes and returns the earliest event, which must not be an arrival.
  ScheduledEvent pop() { return events_.pop(); }

  /// Removes and returns the earliest event, which must be an arrival.
  Arrival pop_arrival() { return arrivals_.pop(); }

 private:
  /// Whether the next event is an arrival: at equal times the other event goes first.
  [[nodiscard]] bool arrival_next() {
    return !arrivals_.empty() && (events_.empty() || arrivals_.next_time() < events_.next_time());
  }

  EventQueue events_;
  ArrivalQueue<Scanner> arrivals_;
};

}  // namespace patchrace::detail
