// Division by a divisor fixed at run time, as a multiplication: a sweep divides its
// walk distance by the batch size at every stop, where a 64-bit division costs tens
// of cycles.
#pragma once

#include <cstdint>

#include "base/samplers.hpp"  // Uint128

namespace patchrace::detail {

class Divider {
 public:
  /// Divides by `divisor`, 1 <= divisor < 2^32.
  explicit Divider(std::uint64_t divisor = 1)
      : divisor_(divisor), magic_(divisor > 1 ? ~std::uint64_t{0} / divisor : 0) {}

  struct Result {
    std::uint64_t quotient;
    std::uint64_t remainder;
  };

  /// x / divisor and x % divisor, exactly, for x < 2^63. (magic_ = floor((2^64 - 1) / d)
  /// makes the estimate x * magic_ / 2^64 low by less than 2, which the two corrections
  /// below take up.)
  [[nodiscard]] Result divide(std::uint64_t x) const {
    if (divisor_ == 1) return {x, 0};
    std::uint64_t q = static_cast<std::uint64_t>((static_cast<Uint128>(x) * magic_) >> 64);
    std::uint64_t r = x - q * divisor_;
    if (r >= divisor_) {
      ++q;
      r -= divisor_;
    }
    if (r >= divisor_) {
      ++q;
      r -= divisor_;
    }
    return {q, r};
  }

 private:
  std::uint64_t divisor_;
  std::uint64_t magic_;
};

}  // namespace patchrace::detail
