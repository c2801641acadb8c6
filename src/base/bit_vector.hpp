// A fixed-size vector of bits, one per index, that can hint the processor to fetch
// the word of an index: an eighth of a byte per index, so that a flag read at
// every event stays in a near cache where a byte per index would not.
#pragma once

#include <cstdint>
#include <vector>

#include "base/prefetch.hpp"

namespace patchrace::detail {

class BitVector {
 public:
  BitVector() = default;
  /// n bits, all clear.
  explicit BitVector(std::uint64_t n) : words_((n + 63) / 64, 0) {}

  /// Whether the vector has no bits (was default-constructed).
  [[nodiscard]] bool empty() const { return words_.empty(); }

  [[nodiscard]] bool test(std::uint64_t i) const { return (words_[i >> 6] >> (i & 63)) & 1; }
  void set(std::uint64_t i) { words_[i >> 6] |= std::uint64_t{1} << (i & 63); }
  void reset(std::uint64_t i) { words_[i >> 6] &= ~(std::uint64_t{1} << (i & 63)); }

  /// Hints the processor to fetch the word of bit i.
  void prefetch(std::uint64_t i) const { detail::prefetch(&words_[i >> 6]); }

 private:
  std::vector<std::uint64_t> words_;
};

}  // namespace patchrace::detail
