// Sorting host addresses: the one sort the placement of millions of hosts needs.
#pragma once

#include <cstdint>
#include <vector>

namespace patchrace::detail {

/// Sorts 32-bit keys ascending: LSD radix sort with 16-bit digits for large inputs,
/// std::sort for small ones.
void sort_u32(std::vector<std::uint32_t>& keys);

}  // namespace patchrace::detail
