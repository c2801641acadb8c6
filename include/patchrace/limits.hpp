// The limits patchrace puts on its input, in one place.
// docs/scenario.md ("Limits") and the README ("Reliability") list the same numbers.
#pragma once

#include <cstddef>
#include <cstdint>

namespace patchrace {

/// Largest scenario file `patchrace run`, `sweep` and `validate` read, in bytes (4 MiB:
/// a scenario with 200,000 seed addresses fits). Larger files, and files that are not
/// regular files (directories, devices, FIFOs), are refused before they are read.
inline constexpr std::uint64_t kMaxScenarioFileBytes = std::uint64_t{4} << 20;

/// Largest allocation file (population.placement.allocation_file) read, in bytes
/// (64 MiB: a full routing table of about a million prefixes fits three times).
inline constexpr std::uint64_t kMaxAllocationFileBytes = std::uint64_t{64} << 20;

}  // namespace patchrace
