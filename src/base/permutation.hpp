// A keyed pseudo-random permutation of [0, 2^bits), for permutation scanning.
#pragma once

#include <cstdint>

namespace patchrace::detail {

/// Inverse of an odd `a` modulo 2^32 (hence modulo any smaller power of two), by
/// Newton's iteration: each step doubles the number of correct low bits.
constexpr std::uint64_t inverse_mod_2_32(std::uint64_t a) {
  std::uint64_t x = a;
  for (int i = 0; i < 5; ++i) x = (x * (2 - a * x)) & 0xffffffffULL;
  return x;
}

/// A bijection of the integers [0, 2^bits), 0 <= bits <= 32, chosen by `key`:
/// four rounds of (multiply by an odd constant, add a key word, xor-shift right),
/// each invertible modulo 2^bits. Not cryptographic; well mixed for scanning.
/// Every copy of a worm in one replicate walks the same permutation.
class AddressPermutation {
 public:
  AddressPermutation(std::uint64_t key, int bits)
      : mask_(bits == 32 ? 0xffffffffU : static_cast<std::uint32_t>((std::uint64_t{1} << bits) - 1)),
        shift_(bits / 2 + 1),
        bits_(bits) {
    std::uint64_t k = key;
    for (auto& w : add_) {
      k = k * 6364136223846793005ULL + 1442695040888963407ULL;
      w = static_cast<std::uint32_t>(k >> 17) & mask_;
    }
  }

  /// The address offset visited at position `position` of the walk.
  [[nodiscard]] std::uint32_t forward(std::uint32_t position) const {
    if (bits_ == 0) return 0;
    std::uint32_t x = position;
    for (int r = 0; r < kRounds; ++r) {
      x = (x * kMultipliers[r] + add_[r]) & mask_;  // modulo 2^32, then 2^bits
      x ^= x >> shift_;
    }
    return x;
  }

  /// The position at which the walk visits offset `offset` (inverse of forward()).
  [[nodiscard]] std::uint32_t inverse(std::uint32_t offset) const {
    if (bits_ == 0) return 0;
    std::uint32_t x = offset;
    for (int r = kRounds - 1; r >= 0; --r) {
      // Undoes x ^= x >> shift_: as shift_ > bits / 2, x >> (2 shift_) is 0 and
      // one application is its own inverse.
      x ^= x >> shift_;
      x = ((x - add_[r]) * kInverses[r]) & mask_;
    }
    return x;
  }

 private:
  static constexpr int kRounds = 4;
  // All arithmetic is modulo 2^32 (unsigned 32-bit), then masked to bits: the same
  // as modulo 2^bits.
  static constexpr std::uint32_t kMultipliers[kRounds] = {0x9e3779b1U, 0x85ebca6bU, 0xc2b2ae35U, 0x27d4eb2fU};
  static constexpr std::uint32_t kInverses[kRounds] = {
      static_cast<std::uint32_t>(inverse_mod_2_32(0x9e3779b1ULL)), static_cast<std::uint32_t>(inverse_mod_2_32(0x85ebca6bULL)),
      static_cast<std::uint32_t>(inverse_mod_2_32(0xc2b2ae35ULL)), static_cast<std::uint32_t>(inverse_mod_2_32(0x27d4eb2fULL))};

  std::uint32_t mask_;
  int shift_;
  int bits_;
  std::uint32_t add_[kRounds];
};

}  // namespace patchrace::detail
