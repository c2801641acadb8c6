// The pending arrivals of sweeping scanners: at most one time per scanner id,
// taken earliest first (ties by id). With up to one scanner per host, a binary or
// 4-ary heap pays a cache miss per level on every reschedule; this is a calendar
// queue instead, O(1) amortised per operation:
//   - a window [lo, hi] of simulated time cut into buckets of equal width, each an
//     intrusive list of ids (the link lives in a per-id node, so no allocation);
//   - a short sorted run of the earliest arrivals, taken from the buckets in order,
//     which the caller can look ahead into (to prefetch what those arrivals touch);
//   - later times in an unsorted far list, from which the next window is cut (about
//     its earlier half, by a sampled median) once the current one is used up.
// Every time in the sorted run precedes every time in the buckets not yet taken,
// which precede every time in the far list, so the order is exactly that of
// (time, id) and does not depend on bucket widths or insertion history.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

namespace patchrace::detail {

class ArrivalQueue {
 public:
  struct Entry {
    double time;  // seconds
    std::uint32_t id;
  };

  /// Makes room for ids [0, ids) without reallocating.
  void reserve(std::size_t ids) {
    node_.reserve(ids);
    far_.reserve(ids);
  }

  [[nodiscard]] bool empty() const { return size_ == 0; }
  [[nodiscard]] std::size_t size() const { return size_; }

  /// Time of the earliest arrival (seconds), or +infinity when there is none.
  [[nodiscard]] double next_time() {
    settle();
    return run_begin_ < run_.size() ? run_[run_begin_].time : std::numeric_limits<double>::infinity();
  }
  /// Id of the earliest arrival (the queue must not be empty).
  [[nodiscard]] std::uint32_t next_id() {
    settle();
    return run_[run_begin_].id;
  }

  /// The earliest arrivals in order, at least min(size(), kLookahead) of them, the
  /// first being the next to be taken. Valid until the next push or pop.
  [[nodiscard]] std::span<const Entry> upcoming() {
    settle();
    return {run_.data() + run_begin_, run_.size() - run_begin_};
  }

  /// Adds the arrival of `id` at `time`. `id` must not be pending already, and
  /// `time` should not precede the last time taken (a time that does is still
  /// taken in order, only without the calendar's speed).
  void push(double time, std::uint32_t id) {
    if (id >= node_.size()) node_.resize(id + 1);
    node_[id].time = time;
    ++size_;
    place(time, id);
  }

  /// Removes the earliest arrival and returns its id (the queue must not be empty).
  std::uint32_t pop() {
    settle();
    const std::uint32_t id = run_[run_begin_++].id;
    --size_;
    return id;
  }

  static constexpr std::size_t kLookahead = 16;

 private:
  static constexpr std::uint32_t kNil = std::numeric_limits<std::uint32_t>::max();
  static constexpr std::size_t kSamples = 255;
  static constexpr std::size_t kPrefetchBuckets = 16;

  struct Node {
    double time;        // pending time of this id
    std::uint32_t next; // next id in the same bucket, or kNil
  };

  static bool earlier(const Entry& a, const Entry& b) {
    return a.time != b.time ? a.time < b.time : a.id < b.id;
  }

  /// Bucket of `time` inside the window: non-decreasing in time.
  [[nodiscard]] std::size_t bucket_of(double time) const {
    const double x = (time - lo_) * inverse_width_;
    if (!(x > 0.0)) return 0;
    const std::size_t last = head_.size() - 1;
    return x < static_cast<double>(last) ? static_cast<std::size_t>(x) : last;
  }

  void place(double time, std::uint32_t id) {
    if (!(time <= hi_)) {
      far_.push_back(id);
      return;
    }
    const Entry e{time, id};
    // Into the run, in order, when its bucket has been taken already or when it
    // precedes the run's last arrival (a new window can start after arrivals of
    // the previous one still in the run).
    const std::size_t b = bucket_of(time);
    if (b < taken_ || (run_.size() > run_begin_ && earlier(e, run_.back()))) {
      run_.push_back(e);
      auto it = run_.end() - 1;
      for (; it != run_.begin() + static_cast<std::ptrdiff_t>(run_begin_) && earlier(e, *(it - 1)); --it) *it = *(it - 1);
      *it = e;
    } else {
      node_[id].next = head_[b];
      head_[b] = id;
    }
  }

  /// Makes the run hold at least kLookahead arrivals, or all of them.
  void settle() {
    if (run_.size() - run_begin_ >= kLookahead || run_.size() - run_begin_ == size_) return;
    if (run_begin_ > 0) {  // drop the taken prefix
      run_.erase(run_.begin(), run_.begin() + static_cast<std::ptrdiff_t>(run_begin_));
      run_begin_ = 0;
    }
    while (run_.size() < kLookahead && run_.size() < size_) {
      while (taken_ < head_.size() && head_[taken_] == kNil) ++taken_;
      if (taken_ == head_.size()) {
        cut_window();
        continue;
      }
      const std::size_t first = run_.size();
      for (std::uint32_t id = head_[taken_]; id != kNil; id = node_[id].next) run_.push_back({node_[id].time, id});
      head_[taken_] = kNil;
      ++taken_;
      std::sort(run_.begin() + static_cast<std::ptrdiff_t>(first), run_.end(), earlier);
      // The first nodes of the next buckets will be read soon.
      for (prefetched_ = std::max(prefetched_, taken_);
           prefetched_ < std::min(taken_ + kPrefetchBuckets, head_.size()); ++prefetched_) {
        if (head_[prefetched_] != kNil) __builtin_prefetch(&node_[head_[prefetched_]]);
      }
    }
  }

  /// Moves about the earlier half of the far list into a new window (every bucket
  /// of the old one has been taken).
  void cut_window() {
    const std::size_t n = far_.size();
    // The window ends at the median of up to kSamples evenly spaced far times.
    std::vector<double> sample;
    const std::size_t s = std::min<std::size_t>(n, kSamples);
    sample.reserve(s);
    for (std::size_t k = 0; k < s; ++k) sample.push_back(node_[far_[k * n / s]].time);
    const auto mid = sample.begin() + static_cast<std::ptrdiff_t>(s / 2);
    std::nth_element(sample.begin(), mid, sample.end());
    hi_ = *mid;
    lo_ = *std::min_element(sample.begin(), sample.end());
    const double span = hi_ - lo_;
    const std::size_t buckets = span > 0.0 && std::isfinite(span) ? std::max<std::size_t>(1, n / 2) : 1;
    inverse_width_ = buckets > 1 ? static_cast<double>(buckets) / span : 0.0;
    head_.assign(buckets, kNil);
    taken_ = 0;
    prefetched_ = 0;
    std::size_t kept = 0;
    for (std::size_t k = 0; k < n; ++k) {
      const std::uint32_t id = far_[k];
      const double time = node_[id].time;
      if (time <= hi_) {
        place(time, id);
      } else {
        far_[kept++] = id;
      }
    }
    far_.resize(kept);
  }

  std::vector<Node> node_;           // per id
  std::vector<std::uint32_t> head_;  // per bucket of the window: first id of its list, or kNil
  std::vector<Entry> run_;           // [run_begin_, end): the earliest arrivals, sorted
  std::size_t run_begin_ = 0;
  std::vector<std::uint32_t> far_;   // ids of times past the window
  std::size_t taken_ = 0;            // buckets [0, taken_) have moved into the run
  std::size_t prefetched_ = 0;       // buckets [taken_, prefetched_) had their first node prefetched
  std::size_t size_ = 0;
  double lo_ = 0.0;                  // window start (seconds)
  double hi_ = -std::numeric_limits<double>::infinity();  // window end, inclusive
  double inverse_width_ = 0.0;       // buckets per second
};

}  // namespace patchrace::detail
