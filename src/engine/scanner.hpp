// A sweeping scanner (sequential or permutation) as it waits for its next arrival:
// the record travels inside the arrival queue, so an arrival reads it with the
// queue's entry and no scanner is looked up anywhere else.
#pragma once

#include <cstdint>

namespace patchrace::detail {

/// A scanner whose next event is its probe of the host at walk rank `rank`.
struct Scanner {
  std::uint32_t rank;   // walk rank of the next target
  std::uint32_t self;   // the scanning host
  std::uint32_t phase;  // sequential: index of the next target inside its batch
  std::uint8_t link;    // link class (bandwidth)
  std::uint8_t hits;    // permutation: hits on infected hosts so far (saturating)
  std::uint8_t epoch;   // with a bad patch: the host's sweep epoch when it started
};

}  // namespace patchrace::detail
