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
      : mask_(bits == 32 ? 0xffffffffULL : (std::uint64_t{1} << bits) - 1),
        shift_(bits / 2 + 1),
        bits_(bits) {
    std::uint64_t k = key;
    for (auto& w : add_) {
      k = k * 6364136223846793005ULL + 1442695040888963407ULL;
      w = (k >> 17) & mask_;
    }
  }

  /// The address offset visited at position `position` of the walk.
  [[nodiscard]] std::uint32_t forward(std::uint32_t position) const {
    if (bits_ == 0) return 0;
    std::uint64_t x = position;
    for (int r = 0; r < kRounds; ++r) {
      x = (x * kMultipliers[r] + add_[r]) & mask_;
      x ^= x >> shift_;
    }
    return static_cast<std::uint32_t>(x);
  }

  /// The position at which the walk visits offset `offset` (inverse of forward()).
  [[nodiscard]] std::uint32_t inverse(std::uint32_t offset) const {
    if (bits_ == 0) return 0;
    std::uint64_t x = offset;
    for (int r = kRounds - 1; r >= 0; --r) {
      // Undo x ^= x >> s by repeated application (converges in bits / s steps).
      std::uint64_t y = x;
      for (int s = shift_; s < bits_; s += shift_) y = x ^ (y >> shift_);
      x = y & mask_;
      x = ((x - add_[r]) * kInverses[r]) & mask_;
    }
    return static_cast<std::uint32_t>(x);
  }

 private:
  static constexpr int kRounds = 4;
  static constexpr std::uint64_t kMultipliers[kRounds] = {0x9e3779b1ULL, 0x85ebca6bULL,
                                                          0xc2b2ae35ULL, 0x27d4eb2fULL};
  static constexpr std::uint64_t kInverses[kRounds] = {
      inverse_mod_2_32(0x9e3779b1ULL), inverse_mod_2_32(0x85ebca6bULL),
      inverse_mod_2_32(0xc2b2ae35ULL), inverse_mod_2_32(0x27d4eb2fULL)};

  std::uint64_t mask_;
  int shift_;
  int bits_;
  std::uint64_t add_[kRounds];
};

}  // namespace patchrace::detail
