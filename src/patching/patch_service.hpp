// A central patch service (docs/patching.md): its hosts in ring order and, inside a
// ring, by priority; one host patched each 1 / capacity days of working time; a ring
// starts qa_delay after the previous ring's last patch; re-queued hosts (rolled back
// after a bad patch, or seeds passed over before t = 0) go first, in the order they
// came.
#pragma once

#include <cstdint>
#include <deque>
#include <limits>
#include <vector>

#include "patching/working_clock.hpp"

namespace patchrace::detail {

/// Whether a host still needs the patch when the service reaches it.
enum class Need : std::uint8_t {
  kPatch,  // patch it now
  kSkip,   // no longer needs it: passed over without using working time
  kDefer,  // cannot have it yet (a seed before t = 0): passed over, re-queued by the caller
};

class PatchService {
 public:
  /// `order`: the hosts, ring by ring, each ring by priority; `ring_end[r]`: one past
  /// ring r's last index in `order`; `qa_delay[r]`: seconds after ring r's last patch
  /// until ring r + 1 starts; `start`: simulation time the first ring starts;
  /// `per_host`: working seconds per host.
  PatchService(std::vector<std::uint32_t> order, std::vector<std::size_t> ring_end,
               std::vector<double> qa_delay, double start, double per_host, WorkingClock clock);

  /// Simulation time of the next patch, +infinity while idle with nothing to wait for.
  [[nodiscard]] double next_time() const { return next_time_; }

  struct Patch {
    std::uint32_t host;
    int ring;  // the ring whose deployment patched it, -1 for a re-queued host
  };

  /// At next_time(): the host to patch, passing over hosts `need` rejects; false if
  /// there is none (the service then waits for a ring start or a re-queue).
  template <typename NeedOf, typename Deferred>
  bool take(NeedOf need, Deferred deferred, Patch& out);

  /// Adds a host to patch before the rest, at simulation time `t`.
  void requeue(std::uint32_t host, double t);

 private:
  /// After a patch or an idle slot at time t: when the next one is done.
  void schedule_after(double t);

  std::vector<std::uint32_t> order_;
  std::vector<std::size_t> ring_end_;
  std::vector<double> qa_delay_;
  WorkingClock clock_;
  double per_host_;
  std::size_t next_ = 0;        // index in order_ of the next candidate
  int ring_ = 0;                // ring being deployed
  double ring_start_;           // its start
  double last_patch_ = -std::numeric_limits<double>::infinity();  // its last patch so far
  std::deque<std::uint32_t> requeued_;
  double next_time_;
  bool waiting_ = false;        // next_time_ is a wait for a ring start, not a finished host
};

template <typename NeedOf, typename Deferred>
bool PatchService::take(NeedOf need, Deferred deferred, Patch& out) {
  const double t = next_time_;
  bool got = false;
  while (!got && !requeued_.empty()) {
    const std::uint32_t host = requeued_.front();
    requeued_.pop_front();
    const Need n = need(host);
    if (n == Need::kPatch) {
      out = Patch{host, -1};
      got = true;
    } else if (n == Need::kDefer) {
      deferred(host);
    }
  }
  if (!got && ring_ < static_cast<int>(ring_end_.size()) && ring_start_ <= t) {
    // The first host of the ring, in order, that still needs the patch.
    while (next_ < ring_end_[ring_]) {
      const std::uint32_t host = order_[next_++];
      const Need n = need(host);
      if (n == Need::kPatch) {
        last_patch_ = t;
        out = Patch{host, ring_};
        got = true;
        break;
      }
      if (n == Need::kDefer) deferred(host);
    }
  }
  // Rings with no host left that needs the patch are complete (at their last patch,
  // or their start); the next ring starts qa_delay later.
  while (ring_ < static_cast<int>(ring_end_.size()) && ring_start_ <= t) {
    while (next_ < ring_end_[ring_]) {
      const Need n = need(order_[next_]);
      if (n == Need::kPatch) break;
      if (n == Need::kDefer) deferred(order_[next_]);
      ++next_;
    }
    if (next_ < ring_end_[ring_]) break;
    const double complete = last_patch_ > ring_start_ ? last_patch_ : ring_start_;
    ring_start_ = complete + qa_delay_[ring_];
    last_patch_ = -std::numeric_limits<double>::infinity();
    ++ring_;
  }
  schedule_after(t);
  return got;
}

}  // namespace patchrace::detail
