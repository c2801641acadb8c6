// The limits patchrace puts on its input, in one place: file sizes and string lengths.
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


/// Longest scenario `description`, in bytes of UTF-8.
inline constexpr std::size_t kMaxDescriptionBytes = 4096;

/// Longest scenario `name` and `worm.name`, in bytes of UTF-8.
inline constexpr std::size_t kMaxTitleBytes = 128;

/// Longest label: a host type, management group, patch service or ring name, in bytes
/// (labels are ASCII). A policy's group and service and an exploit's type must name one.
inline constexpr std::size_t kMaxLabelBytes = 64;

/// Most parts of one dotted key or table name in a scenario file (`a.b.c` has 3); the
/// keys patchrace reads need a few. Checked before the TOML library parses the file.
inline constexpr std::size_t kMaxKeyParts = 32;

/// Most values of a scenario's [sweep] (`sweep.values`). Each value is validated on a copy
/// of the whole document, so without a bound a 40 KB file of 20,000 values took minutes
/// to validate.
inline constexpr std::size_t kMaxSweepValues = 100;

/// Longest part of a string value quoted in an error message, in bytes; longer values are
/// cut (at a character boundary) and marked with "...".
inline constexpr std::size_t kMaxQuotedBytes = 60;

}  // namespace patchrace
