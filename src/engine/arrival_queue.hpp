// The pending arrivals of sweeping scanners, each carrying its scanner's whole
// record, taken earliest first. With up to one scanner per host, a heap pays a
// cache miss per level on every reschedule, and an array of records indexed by
// scanner one more per arrival; this is a calendar queue whose entries hold the
// records themselves and live in contiguous chunks, so that adding an arrival
// writes to one of at most kMaxBuckets chunk tails (which stay in the cache) and
// taking one reads chunks front to back. O(1) amortised per operation:
//   - a window [lo, hi] of simulated time cut into at most kMaxBuckets buckets of
//     equal width, each a list of chunks, appended to in any order;
//   - a sorted run of the earliest arrivals: the buckets taken so far, each sorted
//     when taken (a counting sort on time), which the caller can look into (to
//     prefetch what they touch);
//   - a small heap of arrivals added after their bucket was taken;
//   - later times in a far list of chunks, from which the next window is cut (about
//     its earlier half, by a sampled median) once the current one is used up.
// Every arrival in the run or the heap comes no later than every arrival in the
// buckets not yet taken, which come no later than every arrival in the far list, so
// arrivals are taken in order of time. Arrivals at equal times (sweeps that share a
// batch clock meet often) come out in an order fixed by the queue's history: the
// same for the same pushes and pops, but not a documented one.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <span>
#include <type_traits>
#include <vector>

#include "engine/prefetch.hpp"

namespace patchrace::detail {

/// What an ArrivalQueue carries: a plain record.
template <typename R>
concept ArrivalRecord = std::is_trivially_copyable_v<R>;

template <ArrivalRecord Record>
class ArrivalQueue {
 public:
  struct Entry {
    double time;  // seconds
    Record record;
  };

  static constexpr std::size_t kLookahead = 16;

  [[nodiscard]] bool empty() const { return size_ == 0; }
  [[nodiscard]] std::size_t size() const { return size_; }

  /// Time of the earliest arrival (seconds), or +infinity when there is none.
  [[nodiscard]] double next_time() {
    settle();
    const Entry* e = earliest();
    return e != nullptr ? e->time : std::numeric_limits<double>::infinity();
  }

  /// Arrivals that come soon, in order: the sorted run, at least
  /// min(size(), kLookahead) of them unless arrivals were added behind the run (those
  /// are not shown). A hint for prefetching; valid until the next push or pop.
  [[nodiscard]] std::span<const Entry> upcoming() {
    settle();
    return {run_next(), run_end()};
  }

  /// Adds an arrival at `time`. `time` should not precede the last time taken (a
  /// time that does is still taken in order, only without the calendar's speed).
  void push(double time, const Record& record) {
    ++size_;
    place(Entry{time, record});
  }

  /// Removes and returns the earliest arrival (the queue must not be empty).
  Entry pop() {
    settle();
    --size_;
    const bool from_run = run_next() != run_end();
    if (from_run && (early_.empty() || !earlier(early_.front(), run_[run_begin_]))) return run_[run_begin_++];
    std::pop_heap(early_.begin(), early_.end(), kLater);
    const Entry e = early_.back();
    early_.pop_back();
    return e;
  }

 private:
  static constexpr std::uint32_t kNil = std::numeric_limits<std::uint32_t>::max();
  static constexpr std::size_t kSamples = 255;
  static constexpr std::size_t kMaxBuckets = 1024;
  static constexpr std::size_t kEntriesPerBucket = 64;  // aimed at when a window is cut
  static constexpr std::size_t kChunkBytes = 512;
  static constexpr std::size_t kChunkEntries = (kChunkBytes - 8) / sizeof(Entry);
  static constexpr std::size_t kChunksPerBlock = 128;
  static_assert(kChunkEntries >= 4, "records this large want larger chunks");

  struct alignas(64) Chunk {
    std::array<Entry, kChunkEntries> entries;  // filled front to back
    std::uint32_t next;                        // next chunk of the same list, or kNil
  };

  /// A list of chunks, appended to at its tail; every chunk but the tail is full.
  /// (The tail's count lives here, so that an append writes one line of the chunk.)
  struct List {
    std::uint32_t head = kNil;
    std::uint32_t tail = kNil;
    std::uint32_t tail_count = 0;  // entries in the tail chunk
  };

  static bool earlier(const Entry& a, const Entry& b) { return a.time < b.time; }
  // As function objects, so that the sorts and heaps inline them.
  static constexpr auto kEarlier = [](const Entry& a, const Entry& b) { return earlier(a, b); };
  static constexpr auto kLater = [](const Entry& a, const Entry& b) { return earlier(b, a); };

  [[nodiscard]] const Entry* earliest() const {
    const Entry* r = run_next() != run_end() ? run_next() : nullptr;
    if (early_.empty()) return r;
    return r == nullptr || earlier(early_.front(), *r) ? &early_.front() : r;
  }

  Chunk& chunk(std::uint32_t c) { return blocks_[c / kChunksPerBlock][c % kChunksPerBlock]; }

  /// Hints the processor to fetch every line of chunk c (read front to back soon).
  void prefetch_chunk(std::uint32_t c) {
    const char* bytes = reinterpret_cast<const char*>(&chunk(c));
    for (std::size_t offset = 0; offset < sizeof(Chunk); offset += 64) detail::prefetch(bytes + offset);
  }

  std::uint32_t new_chunk() {
    if (free_.empty()) {
      const auto first = static_cast<std::uint32_t>(blocks_.size() * kChunksPerBlock);
      blocks_.push_back(std::make_unique_for_overwrite<Chunk[]>(kChunksPerBlock));
      for (std::uint32_t c = first + kChunksPerBlock; c-- > first;) free_.push_back(c);
    }
    const std::uint32_t c = free_.back();
    free_.pop_back();
    chunk(c).next = kNil;
    return c;
  }

  [[gnu::always_inline]] void append(List& list, const Entry& e) {
    if (list.tail == kNil || list.tail_count == kChunkEntries) {
      const std::uint32_t c = new_chunk();
      if (list.tail == kNil) {
        list.head = c;
      } else {
        chunk(list.tail).next = c;
      }
      list.tail = c;
      list.tail_count = 0;
    }
    chunk(list.tail).entries[list.tail_count++] = e;
  }

  /// Calls f(entry) for every entry of `list` in order.
  template <typename F>
  void for_each(const List& list, F&& f) {
    for (std::uint32_t c = list.head; c != kNil;) {
      const Chunk& k = chunk(c);
      if (k.next != kNil) prefetch_chunk(k.next);
      const std::size_t count = c == list.tail ? list.tail_count : kChunkEntries;
      for (std::size_t i = 0; i < count; ++i) f(k.entries[i]);
      c = k.next;
    }
  }

  /// Calls f(entry) for every entry of `list` in order and frees its chunks.
  template <typename F>
  void drain(List& list, F&& f) {
    for (std::uint32_t c = list.head; c != kNil;) {
      Chunk& k = chunk(c);
      if (k.next != kNil) prefetch_chunk(k.next);
      const std::size_t count = c == list.tail ? list.tail_count : kChunkEntries;
      for (std::size_t i = 0; i < count; ++i) f(k.entries[i]);
      const std::uint32_t next = k.next;
      free_.push_back(c);
      c = next;
    }
    list = List{};
  }

  /// Bucket of `time` inside the window: non-decreasing in time.
  [[nodiscard]] std::size_t bucket_of(double time) const {
    const double x = (time - lo_) * inverse_width_;
    if (!(x > 0.0)) return 0;
    const std::size_t last = buckets_.size() - 1;
    return x < static_cast<double>(last) ? static_cast<std::size_t>(x) : last;
  }

  [[gnu::always_inline]] void place(const Entry& e) {
    if (!(e.time <= hi_)) {
      append(far_, e);
      ++far_size_;
      return;
    }
    // Behind the run when its bucket has been taken already or when it precedes
    // the run's last arrival (a new window can start while arrivals of the previous
    // one are still in the run).
    const std::size_t b = bucket_of(e.time);
    if (b < taken_ || (run_next() != run_end() && earlier(e, run_.back()))) {
      early_.push_back(e);
      std::push_heap(early_.begin(), early_.end(), kLater);
    } else {
      append(buckets_[b], e);
    }
  }

  /// Makes the run hold at least kLookahead arrivals, or all that are not behind it.
  void settle() {
    // In bytes: the entries' count would take a division by sizeof(Entry).
    const auto bytes = reinterpret_cast<const char*>(run_end()) - reinterpret_cast<const char*>(run_next());
    if (bytes < static_cast<std::ptrdiff_t>(kLookahead * sizeof(Entry))) refill();
  }

  /// The run's first arrival not yet taken, and its end.
  [[nodiscard]] const Entry* run_next() const { return run_.data() + run_begin_; }
  [[nodiscard]] const Entry* run_end() const { return std::to_address(run_.end()); }

  [[gnu::noinline]] void refill() {
    if (run_begin_ > 0) {  // drop the taken prefix
      run_.erase(run_.begin(), run_.begin() + static_cast<std::ptrdiff_t>(run_begin_));
      run_begin_ = 0;
    }
    while (run_.size() < kLookahead) {
      while (taken_ < buckets_.size() && buckets_[taken_].head == kNil) ++taken_;
      if (taken_ == buckets_.size()) {
        // The window is used up: the arrivals behind the run join it (all of them
        // precede the far list), then the next window is cut.
        if (!early_.empty()) {
          const auto middle = run_.insert(run_.end(), early_.begin(), early_.end());
          early_.clear();
          std::sort(middle, run_.end(), kEarlier);
          std::inplace_merge(run_.begin(), middle, run_.end(), kEarlier);
          continue;
        }
        if (far_size_ == 0) return;
        cut_window();
        continue;
      }
      take_bucket(buckets_[taken_]);
      ++taken_;
      // The next buckets will be read soon.
      for (std::size_t b = taken_; b < std::min(taken_ + 2, buckets_.size()); ++b) {
        if (buckets_[b].head != kNil) prefetch_chunk(buckets_[b].head);
      }
    }
  }

  /// Moves the arrivals of `bucket` to the end of the run, sorted by time: a
  /// counting sort into about one slot per two arrivals, then each slot sorted (by
  /// insertion when small). A bucket's arrivals fit in the first-level cache.
  void take_bucket(List& bucket) {
    const std::size_t first = run_.size();
    double lo = std::numeric_limits<double>::infinity();
    double hi = -lo;
    std::size_t n = 0;
    for_each(bucket, [&](const Entry& e) {
      lo = std::min(lo, e.time);
      hi = std::max(hi, e.time);
      ++n;
    });
    run_.resize(first + n);
    const std::size_t slots = n / 2;
    const double span = hi - lo;
    if (slots < 2 || !(span > 0.0) || !std::isfinite(span)) {
      std::size_t i = first;
      drain(bucket, [&](const Entry& e) { run_[i++] = e; });
      sort_range(first, run_.size());
      return;
    }
    const double scale = static_cast<double>(slots) / span;
    auto slot_of = [&](double time) {  // non-decreasing in time
      const auto k = static_cast<std::size_t>((time - lo) * scale);
      return k < slots ? k : slots - 1;
    };
    slot_end_.assign(slots + 1, 0);
    for_each(bucket, [&](const Entry& e) { ++slot_end_[slot_of(e.time) + 1]; });
    for (std::size_t k = 0; k < slots; ++k) slot_end_[k + 1] += slot_end_[k];
    drain(bucket, [&](const Entry& e) { run_[first + slot_end_[slot_of(e.time)]++] = e; });
    // slot_end_[k] is now the end of slot k (relative to first).
    std::size_t begin = first;
    for (std::size_t k = 0; k < slots; ++k) {
      const std::size_t end = first + slot_end_[k];
      sort_range(begin, end);
      begin = end;
    }
  }

  /// Sorts run_[begin, end) by time: by insertion when short, not at all when all
  /// at one time, else by std::sort.
  void sort_range(std::size_t begin, std::size_t end) {
    if (end - begin <= 16) {
      insertion_sort(begin, end);
      return;
    }
    const auto first = run_.begin() + static_cast<std::ptrdiff_t>(begin);
    const auto last = run_.begin() + static_cast<std::ptrdiff_t>(end);
    const double time = first->time;
    if (std::all_of(first, last, [time](const Entry& e) { return e.time == time; })) return;
    std::sort(first, last, kEarlier);
  }

  void insertion_sort(std::size_t begin, std::size_t end) {
    for (std::size_t i = begin + 1; i < end; ++i) {
      const Entry e = run_[i];
      std::size_t j = i;
      for (; j > begin && earlier(e, run_[j - 1]); --j) run_[j] = run_[j - 1];
      run_[j] = e;
    }
  }

  /// Moves about the earlier half of the far list into a new window (every bucket
  /// of the old one has been taken, and nothing waits behind the run).
  void cut_window() {
    // The window ends at the median of up to kSamples evenly spaced far times.
    const std::size_t n = far_size_;
    const std::size_t s = std::min(n, kSamples);
    sample_.clear();
    std::size_t index = 0;
    std::size_t wanted = 0;  // index of the next sample: k * n / s for k = sample_.size()
    for (std::uint32_t c = far_.head; c != kNil && sample_.size() < s; c = chunk(c).next) {
      const Chunk& k = chunk(c);
      const std::size_t count = c == far_.tail ? far_.tail_count : kChunkEntries;
      while (sample_.size() < s && wanted < index + count) {
        sample_.push_back(k.entries[wanted - index].time);
        wanted = (sample_.size() * n) / s;
      }
      index += count;
    }
    const auto mid = sample_.begin() + static_cast<std::ptrdiff_t>(sample_.size() / 2);
    std::nth_element(sample_.begin(), mid, sample_.end());
    hi_ = *mid;
    lo_ = *std::min_element(sample_.begin(), sample_.end());
    const double span = hi_ - lo_;
    const std::size_t buckets =
        span > 0.0 && std::isfinite(span) ? std::clamp<std::size_t>(n / 2 / kEntriesPerBucket, 1, kMaxBuckets) : 1;
    inverse_width_ = buckets > 1 ? static_cast<double>(buckets) / span : 0.0;
    buckets_.assign(buckets, List{});
    taken_ = 0;
    List old = far_;
    far_ = List{};
    far_size_ = 0;
    drain(old, [&](const Entry& e) { place(e); });
  }

  std::vector<std::unique_ptr<Chunk[]>> blocks_;  // chunk c lives in block c / kChunksPerBlock
  std::vector<std::uint32_t> free_;               // free chunks, the last freed last
  std::vector<List> buckets_;                     // of the window
  std::vector<Entry> run_;                        // [run_begin_, end): the earliest arrivals, sorted
  std::size_t run_begin_ = 0;
  std::vector<Entry> early_;                      // min-heap: arrivals added behind the run
  List far_;                                      // arrivals after the window
  std::size_t far_size_ = 0;
  std::size_t taken_ = 0;                         // buckets [0, taken_) have moved into the run
  std::size_t size_ = 0;
  std::vector<double> sample_;                    // far times sampled to cut a window
  std::vector<std::size_t> slot_end_;             // counting sort of a bucket being taken
  double lo_ = 0.0;                               // window start (seconds)
  double hi_ = -std::numeric_limits<double>::infinity();  // window end, inclusive
  double inverse_width_ = 0.0;                    // buckets per second
};

}  // namespace patchrace::detail
