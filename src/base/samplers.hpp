// Hand-written samplers: identical results on every standard library, unlike the
// std:: distributions. Each is exact up to floating-point rounding.
#pragma once

#include <cmath>
#include <cstdint>

#include "base/rng.hpp"

namespace patchrace::detail {

/// Exponential waiting time with the given rate (events per unit time, > 0):
/// mean 1/rate. Inversion of one uniform.
inline double sample_exponential(Rng& rng, double rate) { return -std::log(rng.uniform_positive()) / rate; }

__extension__ using Uint128 = unsigned __int128;

/// Uniform integer in [0, n), n >= 1, from a uniform word `first` already drawn
/// (further words come from `rng` in the rare case of a rejection). Lemire's
/// multiply-shift with rejection: exactly uniform, one multiplication in the common
/// case. Lets a caller draw the word early, e.g. to prefetch the memory it selects.
inline std::uint64_t sample_index_from(std::uint64_t first, Rng& rng, std::uint64_t n) {
  Uint128 m = static_cast<Uint128>(first) * n;
  auto low = static_cast<std::uint64_t>(m);
  if (low < n) {
    const std::uint64_t threshold = (0 - n) % n;
    while (low < threshold) {
      m = static_cast<Uint128>(rng.next_u64()) * n;
      low = static_cast<std::uint64_t>(m);
    }
  }
  return static_cast<std::uint64_t>(m >> 64);
}

/// Uniform integer in [0, n), n >= 1 (see sample_index_from()).
inline std::uint64_t sample_index(Rng& rng, std::uint64_t n) {
  return sample_index_from(rng.next_u64(), rng, n);
}

/// True with probability p (p <= 0: never, p >= 1: always).
inline bool sample_bernoulli(Rng& rng, double p) { return rng.uniform() < p; }

/// Poisson count with the given mean (>= 0). Inversion below mean 10, Hörmann's
/// transformed rejection (PTRS) above.
std::uint64_t sample_poisson(Rng& rng, double mean);

/// Binomial count of successes in n trials of probability p in [0, 1]. Inversion
/// when n·min(p, 1-p) < 10, Hörmann's BTRS otherwise.
std::uint64_t sample_binomial(Rng& rng, std::uint64_t n, double p);

}  // namespace patchrace::detail
