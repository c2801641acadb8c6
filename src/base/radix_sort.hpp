// Sorting host addresses (placement) and hosts by walk position (permutation
// scanning): the sorts of millions of keys a replicate's set-up needs.
#pragma once

#include <cstdint>
#include <vector>

namespace patchrace::detail {

/// Sorts 32-bit keys ascending: LSD radix sort with 16-bit digits for large inputs,
/// std::sort for small ones.
void sort_u32(std::vector<std::uint32_t>& keys);

/// Sorts 64-bit keys ascending by their upper 32 bits, stably (keys whose upper
/// halves are equal keep their order): LSD radix sort with 16-bit digits for large
/// inputs, std::stable_sort for small ones.
void sort_u64_by_high32(std::vector<std::uint64_t>& keys);

}  // namespace patchrace::detail
