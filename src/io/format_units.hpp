// Human-readable numbers for summaries and messages: durations, counts, byte sizes.
#pragma once

#include <cstdint>
#include <string>

namespace patchrace::detail {

/// Formats a duration given in seconds in the largest fitting unit of s, min, h, d:
/// 8.5 -> "8.5 s", 1380 -> "23 min", 21240 -> "5.9 h", 86400 -> "1 d". One decimal
/// below 100 units (a trailing ".0" dropped), none above; two significant digits
/// below 1 s ("0.12 s"). Negative durations get a leading "-"; NaN gives "nan".
[[nodiscard]] std::string format_duration(double seconds);

/// Formats a count with comma thousands separators: 359000 -> "359,000".
[[nodiscard]] std::string format_count(std::uint64_t count);

/// Formats a non-negative real count rounded to the nearest integer with thousands
/// separators: 2683.6 -> "2,684". Values that are negative, NaN or above 2^64 are
/// printed in scientific notation ("1.3e+20").
[[nodiscard]] std::string format_count(double count);

/// Formats a size in bytes with binary units: 512 -> "512 B", 3'221'225'472 -> "3.0 GiB".
[[nodiscard]] std::string format_bytes(std::uint64_t bytes);

}  // namespace patchrace::detail
