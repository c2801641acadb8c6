// Placement of the vulnerable hosts in the address space.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "engine/rng.hpp"
#include "patchrace/scenario.hpp"

namespace patchrace::detail {

/// Returns `hosts` distinct addresses of `space`, sorted ascending, that include
/// every address in `required` (which must be distinct and inside the space) and
/// are otherwise a uniformly random subset of the space's remaining addresses.
/// Host i of a simulation lives at the i-th address, so host order is address order.
/// Cost O(hosts) expected (radix sort), memory 4 bytes per host plus a sort buffer.
[[nodiscard]] std::vector<std::uint32_t> place_hosts_uniform(const AddressSpaceSpec& space,
                                                             std::uint64_t hosts,
                                                             std::span<const std::uint32_t> required,
                                                             Rng& rng);

/// Sorts 32-bit keys ascending: LSD radix sort with 16-bit digits for large inputs,
/// std::sort for small ones.
void sort_u32(std::vector<std::uint32_t>& keys);

}  // namespace patchrace::detail
