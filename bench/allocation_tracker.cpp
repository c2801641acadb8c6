// Replaces the global operator new/delete of the benchmark binary, plain and
// over-aligned, with versions that keep a running total and peak of heap bytes.
// Each block carries its size in a header of 16 bytes (of the alignment, when
// that is larger).
#include "allocation_tracker.hpp"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <new>

namespace {

std::atomic<std::size_t> g_current{0};
std::atomic<std::size_t> g_peak{0};
constexpr std::size_t kHeader = 16;

void count(std::size_t size) {
  const std::size_t now = g_current.fetch_add(size) + size;
  std::size_t peak = g_peak.load();
  while (now > peak && !g_peak.compare_exchange_weak(peak, now)) {
  }
}

void* tracked_alloc(std::size_t size) {
  void* block = std::malloc(size + kHeader);
  if (block == nullptr) throw std::bad_alloc();
  *static_cast<std::size_t*>(block) = size;
  count(size);
  return static_cast<char*>(block) + kHeader;
}

void tracked_free(void* p) noexcept {
  if (p == nullptr) return;
  void* block = static_cast<char*>(p) - kHeader;
  g_current.fetch_sub(*static_cast<std::size_t*>(block));
  std::free(block);
}

// Over-aligned blocks: the header takes a whole alignment unit, so that what
// follows it keeps the alignment.
std::size_t header_for(std::align_val_t align) { return std::max(kHeader, static_cast<std::size_t>(align)); }

void* tracked_alloc(std::size_t size, std::align_val_t align) {
  const std::size_t unit = static_cast<std::size_t>(align);
  const std::size_t header = header_for(align);
  const std::size_t total = (header + size + unit - 1) / unit * unit;  // a multiple of the alignment
  void* block = std::aligned_alloc(unit, total);
  if (block == nullptr) throw std::bad_alloc();
  *static_cast<std::size_t*>(block) = size;
  count(size);
  return static_cast<char*>(block) + header;
}

void tracked_free(void* p, std::align_val_t align) noexcept {
  if (p == nullptr) return;
  void* block = static_cast<char*>(p) - header_for(align);
  g_current.fetch_sub(*static_cast<std::size_t*>(block));
  std::free(block);
}

}  // namespace

void* operator new(std::size_t size) { return tracked_alloc(size); }
void* operator new[](std::size_t size) { return tracked_alloc(size); }
void operator delete(void* p) noexcept { tracked_free(p); }
void operator delete[](void* p) noexcept { tracked_free(p); }
void operator delete(void* p, std::size_t) noexcept { tracked_free(p); }
void operator delete[](void* p, std::size_t) noexcept { tracked_free(p); }
void* operator new(std::size_t size, std::align_val_t align) { return tracked_alloc(size, align); }
void* operator new[](std::size_t size, std::align_val_t align) { return tracked_alloc(size, align); }
void operator delete(void* p, std::align_val_t align) noexcept { tracked_free(p, align); }
void operator delete[](void* p, std::align_val_t align) noexcept { tracked_free(p, align); }
void operator delete(void* p, std::size_t, std::align_val_t align) noexcept { tracked_free(p, align); }
void operator delete[](void* p, std::size_t, std::align_val_t align) noexcept { tracked_free(p, align); }

namespace patchrace::bench {

std::size_t current_heap_bytes() { return g_current.load(); }
std::size_t peak_heap_bytes() { return g_peak.load(); }
void reset_peak_heap_bytes() { g_peak.store(g_current.load()); }

}  // namespace patchrace::bench
