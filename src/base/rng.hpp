// Counter-based random stream: Philox4x64-10 keyed by (seed, replicate, purpose).
#pragma once

#include <Random123/philox.h>

#include <cstdint>

namespace patchrace::detail {

/// What a stream is used for. Each process and each per-host attribute draws from
/// its own stream, keyed by (seed, replicate, purpose, entity), so that changing how
/// much randomness one part consumes never shifts another part's draws, and two
/// scenarios that differ in one part share every other draw (common random numbers).
/// The entity is the substream's second key: a host, a group, a patch class, a service.
enum class StreamPurpose : std::uint64_t {
  kPlacement = 1,     // host addresses
  kContacts = 2,      // random-target contacts: times, targets, exploit outcomes
  kHostType = 3,      // each host's type
  kHostLink = 4,      // each host's access-link class
  kGroup = 5,         // each host's management group
  kExposure = 6,      // each host's exposure
  kSeeds = 7,         // the hit-list and its seeding times
  kCleanup = 8,       // entity: host; its delay from infection to cleanup
  kPatchClass = 9,    // entity: group; which adoption class each of its hosts joins
  kSelfPatch = 10,    // entity: patch class (group * 256 + class); its patch times and order
  kServiceOrder = 11, // entity: service; ties of its priority order
  kBadPatch = 12,     // breaks by a bad patch and self-patching hosts' repatch delays
  kSweeps = 13,       // entity kSweepArrivals, kSweepPositions or kPermutationKey
  kTest = 1000,       // tests and reference oracles (add an offset for several)
};

/// Entities of StreamPurpose::kBadPatch.
inline constexpr std::uint64_t kBadPatchBreaks = 0;     // whether a patch breaks its host
inline constexpr std::uint64_t kBadPatchRepatches = 1;  // self-patching hosts' repatch delays

/// Entities of StreamPurpose::kSweeps.
inline constexpr std::uint64_t kSweepArrivals = 0;   // starts' choices, delivery and exploit outcomes
inline constexpr std::uint64_t kSweepPositions = 1;  // random starts and permutation jumps
inline constexpr std::uint64_t kPermutationKey = 2;  // the permutation's key

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

/// The key of one replicate's streams: what every component that draws needs to
/// make its own.
struct StreamKey {
  std::uint64_t seed = 0;
  std::uint64_t replicate = 0;

  /// The stream of `purpose` for `entity`.
  [[nodiscard]] Rng stream(StreamPurpose purpose, std::uint64_t entity = 0) const {
    return Rng(seed, replicate, purpose, entity);
  }
};

}  // namespace patchrace::detail
