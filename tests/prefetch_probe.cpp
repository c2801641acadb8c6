// A probe for tests/check_prefetch.cmake: a function that only prefetches, through
// the engine's helpers, in the shape GCC 12 at -O2 turns into nothing when the
// helpers use __builtin_prefetch. The check disassembles this function and counts
// its prefetch instructions.
#include <cstdint>
#include <vector>

#include "engine/host_partition.hpp"
#include "base/prefix_index.hpp"

using patchrace::detail::HostPartition;
using patchrace::detail::PrefixIndex;

extern "C" [[gnu::noinline]] void patchrace_prefetch_probe(const PrefixIndex& index, const HostPartition& pools,
                                                           const std::uint64_t* offsets, int n) {
  for (int i = 0; i < n; ++i) {
    index.prefetch_entry(offsets[i]);                             // one hint
    pools.prefetch_host(static_cast<std::uint32_t>(offsets[i]));  // two hints: state and slot
  }
}

int main(int argc, char**) {
  std::vector<std::uint32_t> keys(1000);
  for (std::uint32_t i = 0; i < keys.size(); ++i) keys[i] = i * 4000;
  const PrefixIndex index(keys, 0, 32);
  const HostPartition pools(1000, 3, 0);
  const std::uint64_t offsets[4] = {1, 2, 3, 4};
  patchrace_prefetch_probe(index, pools, offsets, argc);
  return 0;
}
