// A hint to fetch a cache line early, which the compiler keeps.
//
// GCC 12 drops __builtin_prefetch from functions whose only other effects are
// loads: it deems them free of side effects (after splitting out their
// conditional parts), and then removes every call to them as dead code. A helper
// such as "fetch this host's state" then compiles to nothing, silently. An asm
// statement marked volatile cannot be removed, so this one stays wherever it is
// written. tests/check_prefetch.cmake checks, on the machine code of
// tests/prefetch_probe.cpp, that it stays.
#pragma once

namespace patchrace::detail {

/// Hints the processor to fetch the cache line holding `address` into every cache
/// level. No effect on the program's results; never faults.
inline void prefetch(const void* address) {
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
  asm volatile("prefetcht0 %0" : : "m"(*static_cast<const char*>(address)));
#else
  __builtin_prefetch(address);
#endif
}

}  // namespace patchrace::detail
