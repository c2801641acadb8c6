// Counter-based random stream: Philox4x64-10 keyed by (seed, replicate, purpose).
#pragma once

#include <Random123/philox.h>

#include <cstdint>

namespace patchrace::detail {

/// What a stream is used for. Each purpose gets its own stream, so changing how
/// much randomness one part consumes never shifts another part's draws.
enum class StreamPurpose : std::uint64_t {
  kPlacement = 1,  // host addresses and per-host attributes
  kEngine = 2,     // event times and choices of the simulation
  kTest = 1000,    // tests and reference oracles (add an offset for several)
};

/// SplitMix64 finaliser: a bijective mixer with good avalanche.
constexpr std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

/// A stream of 64-bit words, identical on every platform for the same
/// (seed, replicate, purpose). Not thread-safe; cheap to create.
class Rng {
 public:
  Rng(std::uint64_t seed, std::uint64_t replicate, StreamPurpose purpose,
      std::uint64_t substream = 0) {
    key_[0] = splitmix64(seed);
    key_[1] = splitmix64(replicate ^ 0x6a09e667f3bcc908ULL);
    counter_[0] = 0;
    counter_[1] = static_cast<std::uint64_t>(purpose);
    counter_[2] = substream;
    counter_[3] = 0;
  }

  /// Next uniformly distributed 64-bit word.
  std::uint64_t next_u64() {
    if (index_ == 4) refill();
    return block_[index_++];
  }

  /// Uniform double in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

  /// Uniform double in (0, 1] with 53 random bits (safe to take the logarithm of).
  double uniform_positive() { return static_cast<double>((next_u64() >> 11) + 1) * 0x1.0p-53; }

 private:
  void refill() {
    r123::Philox4x64::ctr_type c = {{counter_[0], counter_[1], counter_[2], counter_[3]}};
    r123::Philox4x64::key_type k = {{key_[0], key_[1]}};
    const auto out = philox_(c, k);
    for (int i = 0; i < 4; ++i) block_[i] = out.v[i];
    ++counter_[0];
    index_ = 0;
  }

  r123::Philox4x64 philox_;
  std::uint64_t key_[2];
  std::uint64_t counter_[4];
  std::uint64_t block_[4] = {0, 0, 0, 0};
  int index_ = 4;
};

}  // namespace patchrace::detail
