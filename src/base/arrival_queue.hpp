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
// batch clock meet often) come out first in, first out, except those added behind
// the run (which come out in an order fixed by the queue's history): the same order
// for the same pushes and pops.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <span>
#include <type_traits>
#include <utility>
#include <vector>

#include "base/prefetch.hpp"

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
  static constexpr std::size_t kSamples = 255;
  static constexpr std::size_t kMaxBuckets = 1024;
  static constexpr std::size_t kEntriesPerBucket = 64;  // aimed at when a window is cut
  static constexpr std::size_t kChunkBytes = 512;
  static constexpr std::size_t kChunkEntries = (kChunkBytes - 8) / sizeof(Entry);
  static constexpr std::size_t kChunksPerBlock = 128;
  static_assert(kChunkEntries >= 4, "records this large want larger chunks");

  struct alignas(64) Chunk {
    std::array<Entry, kChunkEntries> entries;  // filled front to back
    Chunk* next;                               // next chunk of the same list, or null
  };

  /// A list of chunks, appended to at its tail; every chunk but the tail is full.
  /// (The tail's count lives here, so that an append writes one line of the chunk.)
  struct List {
    Chunk* head = nullptr;
    Chunk* tail = nullptr;
    std::uint32_t tail_count = kChunkEntries;  // entries in the tail chunk; "full" when there is none
    std::uint32_t chunks = 0;

    [[nodiscard]] bool empty() const { return head == nullptr; }
    [[nodiscard]] std::size_t size() const {
      return chunks == 0 ? 0 : (std::size_t{chunks} - 1) * kChunkEntries + tail_count;
    }
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

  /// The far list: its chunks held in order by an array, so that a pass over it can
  /// fetch chunks well ahead and a sample can go straight to any chunk, where
  /// following links would wait for each cold chunk in turn.
  struct FarList {
    std::vector<Chunk*> chunks;
    Chunk* tail = nullptr;
    std::uint32_t tail_count = kChunkEntries;  // entries in the tail chunk; "full" when there is none

    [[nodiscard]] std::size_t size() const {
      return chunks.empty() ? 0 : (chunks.size() - 1) * kChunkEntries + tail_count;
    }
  };

  /// Hints the processor to fetch every line of chunk c (read front to back soon).
  static void prefetch_chunk(const Chunk* c) {
    const char* bytes = reinterpret_cast<const char*>(c);
    for (std::size_t offset = 0; offset < sizeof(Chunk); offset += 64) detail::prefetch(bytes + offset);
  }

  [[gnu::noinline]] Chunk* new_chunk() {
    if (free_.empty()) {
      blocks_.push_back(std::make_unique_for_overwrite<Chunk[]>(kChunksPerBlock));
      Chunk* block = blocks_.back().get();
      for (std::size_t c = kChunksPerBlock; c-- > 0;) free_.push_back(&block[c]);
    }
    Chunk* c = free_.back();
    free_.pop_back();
    c->next = nullptr;
    return c;
  }

  /// Appends e to `list`. A list held in a local variable keeps its tail in
  /// registers: an entry holds bytes, whose stores may alias any member.
  [[gnu::always_inline]] void append(List& list, const Entry& e) {
    if (list.tail_count == kChunkEntries) [[unlikely]] {
      Chunk* c = new_chunk();
      (list.tail == nullptr ? list.head : list.tail->next) = c;
      list.tail = c;
      list.tail_count = 0;
      ++list.chunks;
    }
    list.tail->entries[list.tail_count++] = e;
  }

  [[gnu::always_inline]] void append(FarList& far, const Entry& e) {
    if (far.tail_count == kChunkEntries) [[unlikely]] {
      far.tail = new_chunk();
      far.chunks.push_back(far.tail);
      far.tail_count = 0;
    }
    far.tail->entries[far.tail_count++] = e;
  }

  /// Calls f(entry) for every entry of `list` in order.
  template <typename F>
  static void for_each(const List& list, F&& f) {
    for (const Chunk* c = list.head; c != nullptr; c = c->next) {
      if (c->next != nullptr) prefetch_chunk(c->next);
      const std::size_t count = c == list.tail ? list.tail_count : kChunkEntries;
      for (std::size_t i = 0; i < count; ++i) f(c->entries[i]);
    }
  }

  /// Calls f(entry) for every entry of `list` in order, giving each chunk back once
  /// read: the next chunk taken is then one just read, still in the cache.
  template <typename F>
  void drain(List& list, F&& f) {
    for (Chunk* c = list.head; c != nullptr;) {
      Chunk* const next = c->next;
      if (next != nullptr) prefetch_chunk(next);
      const std::size_t count = c == list.tail ? list.tail_count : kChunkEntries;
      for (std::size_t i = 0; i < count; ++i) f(c->entries[i]);
      free_.push_back(c);
      c = next;
    }
    list = List{};
  }

  /// Bucket of `time` inside a window starting at `lo` with `inverse_width` buckets
  /// per second and `last` + 1 buckets: non-decreasing in time.
  [[nodiscard]] static std::size_t bucket_of(double time, double lo, double inverse_width, std::size_t last) {
    const double x = (time - lo) * inverse_width;
    if (!(x > 0.0)) return 0;
    // Through a signed integer: x86 converts doubles to it in one instruction.
    return x < static_cast<double>(last) ? static_cast<std::size_t>(static_cast<std::int64_t>(x)) : last;
  }

  [[gnu::always_inline]] void place(const Entry& e) {
    if (!(e.time <= hi_)) {
      append(far_, e);
      return;
    }
    // Behind the run when its bucket has been taken already or when it precedes
    // the run's last arrival (a new window can start while arrivals of the previous
    // one are still in the run).
    const std::size_t b = bucket_of(e.time, lo_, inverse_width_, buckets_.size() - 1);
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
      while (taken_ < buckets_.size() && buckets_[taken_].empty()) ++taken_;
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
        if (far_.chunks.empty()) return;
        cut_window();
        continue;
      }
      take_bucket(taken_);
      ++taken_;
      // The next buckets will be read soon.
      for (std::size_t b = taken_; b < std::min(taken_ + 2, buckets_.size()); ++b) {
        if (!buckets_[b].empty()) prefetch_chunk(buckets_[b].head);
      }
    }
  }

  /// Moves the arrivals of bucket b to the end of the run, sorted by time: a
  /// counting sort into about one slot per two arrivals over the bucket's span of
  /// time, then one pass of insertion sort (which moves arrivals only inside their
  /// slots), after slots of more than kSmallSlot arrivals have been sorted whole. A
  /// bucket's arrivals fit in the first-level cache. Stable: arrivals at equal times
  /// keep the order in which they joined the bucket.
  void take_bucket(std::size_t b) {
    List& bucket = buckets_[b];
    const std::size_t first = run_.size();
    const std::size_t n = bucket.size();
    run_.resize(first + n);
    Entry* const out = run_.data() + first;
    const std::size_t slots = n / 2;
    // The slot of a time: the bucket's span cut into equal slots, clamped (the
    // first bucket can hold times before the window, a single bucket any time).
    double origin = lo_;
    double scale = inverse_width_ * static_cast<double>(slots);
    double offset = static_cast<double>(b) * static_cast<double>(slots);
    if (buckets_.size() == 1) {
      double lo = std::numeric_limits<double>::infinity();
      double hi = -lo;
      for_each(bucket, [&](const Entry& e) {
        lo = std::min(lo, e.time);
        hi = std::max(hi, e.time);
      });
      const double span = hi - lo;
      origin = lo;
      scale = span > 0.0 && std::isfinite(span) ? static_cast<double>(slots) / span : 0.0;
      offset = 0.0;
    }
    if (slots < 2 || !(scale > 0.0) || !std::isfinite(scale)) {
      std::size_t i = 0;
      drain(bucket, [&](const Entry& e) { out[i++] = e; });
      sort_range(out, out + n);
      return;
    }
    auto slot_of = [origin, scale, offset, slots](double time) {  // non-decreasing in time
      const double x = (time - origin) * scale - offset;
      if (!(x > 0.0)) return std::size_t{0};
      return x < static_cast<double>(slots - 1) ? static_cast<std::size_t>(static_cast<std::int64_t>(x)) : slots - 1;
    };
    if (slot_end_.size() < slots + 1) slot_end_.resize(slots + 1);
    std::uint32_t* const end = slot_end_.data();
    std::memset(end, 0, (slots + 1) * sizeof(std::uint32_t));
    for_each(bucket, [&](const Entry& e) { ++end[slot_of(e.time) + 1]; });
    bool large = false;
    for (std::size_t k = 0; k < slots; ++k) {
      large |= end[k + 1] > kSmallSlot;
      end[k + 1] += end[k];
    }
    drain(bucket, [&](const Entry& e) { out[end[slot_of(e.time)]++] = e; });
    // end[k] is now the end of slot k.
    if (large) {
      for (std::size_t k = 0; k < slots; ++k) {
        const std::uint32_t begin = k == 0 ? 0 : end[k - 1];
        if (end[k] - begin > kSmallSlot) sort_range(out + begin, out + end[k]);
      }
    }
    insertion_sort(out, out + n);
  }

  /// Sorts [begin, end) by time, stably: by insertion when short, not at all when
  /// all at one time, else by std::stable_sort.
  static void sort_range(Entry* begin, Entry* end) {
    if (end - begin <= static_cast<std::ptrdiff_t>(kSmallSlot)) {
      insertion_sort(begin, end);
      return;
    }
    const double time = begin->time;
    if (std::all_of(begin, end, [time](const Entry& e) { return e.time == time; })) return;
    std::stable_sort(begin, end, kEarlier);
  }

  static void insertion_sort(Entry* begin, Entry* end) {
    for (Entry* i = begin + 1; i < end; ++i) {
      if (!earlier(*i, i[-1])) continue;
      const Entry e = *i;
      Entry* j = i;
      for (; j > begin && earlier(e, j[-1]); --j) *j = j[-1];
      *j = e;
    }
  }

  /// Moves about the earlier half of the far list into a new window (every bucket
  /// of the old one has been taken, and nothing waits behind the run).
  void cut_window() {
    // The window ends at the median of up to kSamples evenly spaced far times.
    const std::size_t n = far_.size();
    const std::size_t s = std::min(n, kSamples);
    sample_.clear();
    for (std::size_t k = 0; k < s; ++k) {
      const std::size_t i = k * n / s;
      sample_.push_back(far_.chunks[i / kChunkEntries]->entries[i % kChunkEntries].time);
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
    // Every far arrival comes after the run (which holds no more than the old window),
    // so it goes to a bucket of the new window or back to the far list. In locals:
    // the entries' stores could alias the members.
    FarList old = std::exchange(far_, FarList{});
    FarList far;
    const double lo = lo_;
    const double hi = hi_;
    const double inverse_width = inverse_width_;
    const std::size_t last = buckets - 1;
    List* const lists = buckets_.data();
    const std::size_t chunks = old.chunks.size();
    for (std::size_t k = 0; k < chunks; ++k) {
      if (k + kFarAhead < chunks) prefetch_chunk(old.chunks[k + kFarAhead]);
      Chunk* const c = old.chunks[k];
      const std::size_t count = k + 1 == chunks ? old.tail_count : kChunkEntries;
      for (std::size_t i = 0; i < count; ++i) {
        const Entry& e = c->entries[i];
        if (!(e.time <= hi)) {
          append(far, e);
        } else {
          append(lists[bucket_of(e.time, lo, inverse_width, last)], e);
        }
      }
      free_.push_back(c);  // the next chunk taken is this one, still in the cache
    }
    far_ = std::move(far);
  }

  static constexpr std::size_t kSmallSlot = 16;  // slots up to this size are sorted by insertion
  static constexpr std::size_t kFarAhead = 4;     // chunks fetched ahead of a pass over the far list

  std::vector<std::unique_ptr<Chunk[]>> blocks_;  // the chunks, kChunksPerBlock to a block
  std::vector<Chunk*> free_;                      // free chunks, the last freed last
  std::vector<List> buckets_;                     // of the window
  std::vector<Entry> run_;                        // [run_begin_, end): the earliest arrivals, sorted
  std::size_t run_begin_ = 0;
  std::vector<Entry> early_;                      // min-heap: arrivals added behind the run
  FarList far_;                                   // arrivals after the window
  std::size_t taken_ = 0;                         // buckets [0, taken_) have moved into the run
  std::size_t size_ = 0;
  std::vector<double> sample_;                    // far times sampled to cut a window
  std::vector<std::uint32_t> slot_end_;           // counting sort of a bucket being taken
  double lo_ = 0.0;                               // window start (seconds)
  double hi_ = -std::numeric_limits<double>::infinity();  // window end, inclusive
  double inverse_width_ = 0.0;                    // buckets per second
};

}  // namespace patchrace::detail
