#include "patching/patch_service.hpp"

#include <utility>

namespace patchrace::detail {
namespace {
constexpr double kInfinity = std::numeric_limits<double>::infinity();
}  // namespace

PatchService::PatchService(std::vector<std::uint32_t> order, std::vector<std::size_t> ring_end,
                           std::vector<double> qa_delay, double start, double per_host,
                           WorkingClock clock)
    : order_(std::move(order)),
      ring_end_(std::move(ring_end)),
      qa_delay_(std::move(qa_delay)),
      clock_(clock),
      per_host_(per_host),
      ring_start_(start),
      next_time_(clock_.after(start, per_host)) {}

void PatchService::schedule_after(double t) {
  const bool rings_left = ring_ < static_cast<int>(ring_end_.size());
  if (!requeued_.empty() || (rings_left && ring_start_ <= t)) {
    next_time_ = clock_.after(t, per_host_);
    waiting_ = false;
  } else if (rings_left && ring_start_ > t) {
    // Idle until the ring starts; its first host is done one host's work later.
    next_time_ = clock_.after(ring_start_, per_host_);
    waiting_ = true;
  } else {
    next_time_ = kInfinity;
    waiting_ = false;
  }
}

void PatchService::requeue(std::uint32_t host, double t) {
  requeued_.push_back(host);
  // An idle service starts on it at once.
  if (next_time_ == kInfinity || waiting_) {
    const double done = clock_.after(t, per_host_);
    if (done < next_time_) {
      next_time_ = done;
      waiting_ = false;
    }
  }
}

}  // namespace patchrace::detail
