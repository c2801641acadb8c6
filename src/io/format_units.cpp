// Human-readable numbers for summaries and messages.
#include "io/format_units.hpp"

#include <fmt/format.h>

#include <array>
#include <cmath>
#include <string_view>

#include "patchrace/scenario.hpp"

namespace patchrace::detail {
namespace {

/// `value` with one decimal below 100 (dropping a trailing ".0"), none above.
std::string format_short(double value) {
  if (value >= 99.95) return fmt::format("{:.0f}", value);
  std::string text = fmt::format("{:.1f}", value);
  if (text.size() > 2 && text.ends_with(".0")) text.resize(text.size() - 2);
  return text;
}

}  // namespace

std::string format_duration(double seconds) {
  if (std::isnan(seconds)) return "nan";
  if (seconds < 0) return "-" + format_duration(-seconds);
  if (std::isinf(seconds)) return "inf";
  if (seconds == 0) return "0 s";
  if (seconds < 1) return fmt::format("{:.2g} s", seconds);
  // Switch unit where the smaller one would round up to the next unit's size.
  if (seconds < 59.95) return format_short(seconds) + " s";
  if (seconds < 59.95 * kMinute) return format_short(seconds / kMinute) + " min";
  if (seconds < 23.95 * kHour) return format_short(seconds / kHour) + " h";
  return format_short(seconds / kDay) + " d";
}

std::string format_count(std::uint64_t count) {
  const std::string digits = fmt::format("{}", count);
  std::string text;
  text.reserve(digits.size() + digits.size() / 3);
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) text.push_back(',');
    text.push_back(digits[i]);
  }
  return text;
}

std::string format_count(double count) {
  constexpr double kTwoTo64 = 18446744073709551616.0;
  const double rounded = std::round(count);
  if (!(rounded >= 0) || rounded >= kTwoTo64) return fmt::format("{:.1e}", count);
  return format_count(static_cast<std::uint64_t>(rounded));
}

std::string format_bytes(std::uint64_t bytes) {
  constexpr std::array<std::string_view, 6> kUnits = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
  if (bytes < 1024) return fmt::format("{} B", bytes);
  double value = static_cast<double>(bytes);
  std::size_t unit = 0;
  while (value >= 1023.95 && unit + 1 < kUnits.size()) {
    value /= 1024;
    ++unit;
  }
  return fmt::format("{:.1f} {}", value, kUnits[unit]);
}

}  // namespace patchrace::detail
