// Counts the bytes the process holds on the heap, to report bytes per host.
#pragma once

#include <cstddef>

namespace patchrace::bench {

/// Bytes currently allocated through operator new.
std::size_t current_heap_bytes();

/// Largest value current_heap_bytes() reached since the last reset_peak_heap_bytes().
std::size_t peak_heap_bytes();

/// Makes the peak equal to the current value.
void reset_peak_heap_bytes();

}  // namespace patchrace::bench
