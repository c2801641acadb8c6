#include "model/rule_checks.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <utility>

#include "patchrace/limits.hpp"

namespace patchrace::rules {

Violation must(std::string key, const std::string& requirement, const std::string& got) {
  std::string message = fmt::format("{} must {}, got {}", key, requirement, got);
  return ScenarioViolation{std::move(key), std::move(message)};
}

std::string number_text(double value) { return fmt::format("{}", value); }

std::string seconds_text(double seconds) {
  if (!std::isfinite(seconds)) return number_text(seconds);
  const double magnitude = std::abs(seconds);
  struct Unit {
    double seconds;
    const char* name;
  };
  constexpr Unit kUnits[] = {{kYear, "years"}, {kDay, "d"}, {kHour, "h"}, {kMinute, "min"}};
  for (const Unit& unit : kUnits) {
    if (magnitude >= unit.seconds) {
      return fmt::format("{} s ({:.3g} {})", seconds, seconds / unit.seconds, unit.name);
    }
  }
  return fmt::format("{} s", seconds);
}

std::string quoted(std::string_view text) {
  if (text.size() <= kMaxQuotedBytes) return fmt::format("{:?}", text);
  std::size_t cut = kMaxQuotedBytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // continuation byte
  return fmt::format("{:?}...", text.substr(0, cut));
}

Violation check_positive(const std::string& key, double value, const char* unit) {
  if (!std::isfinite(value)) {
    return must(key, fmt::format("be a finite number of {}", unit), number_text(value));
  }
  if (!(value > 0)) return must(key, fmt::format("be > 0 {}", unit), number_text(value));
  return std::nullopt;
}

Violation check_positive_time(const std::string& key, double seconds) {
  if (!std::isfinite(seconds)) return must(key, "be a finite time in s", seconds_text(seconds));
  if (!(seconds > 0)) return must(key, "be > 0 s", seconds_text(seconds));
  return std::nullopt;
}

Violation check_non_negative_time(const std::string& key, double seconds) {
  if (!std::isfinite(seconds)) return must(key, "be a finite time in s", seconds_text(seconds));
  if (!(seconds >= 0)) return must(key, "be >= 0 s", seconds_text(seconds));
  return std::nullopt;
}

Violation check_unit_interval(const std::string& key, double value, const char* what) {
  if (!(value >= 0 && value <= 1)) {
    return must(key, fmt::format("be in [0, 1] ({})", what), number_text(value));
  }
  return std::nullopt;
}

Violation check_share_sum(const std::string& key, double sum) {
  if (!(std::abs(sum - 1.0) <= kShareTolerance)) {
    return must(key, "have shares that sum to 1", fmt::format("a sum of {}", number_text(sum)));
  }
  return std::nullopt;
}

bool is_label_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-';
}

Violation check_label(const std::string& key, const std::string& label) {
  if (label.empty() || !std::all_of(label.begin(), label.end(), is_label_char)) {
    return must(key, "be a non-empty string of letters, digits, '_', '.' and '-'", quoted(label));
  }
  return check_length(key, label, kMaxLabelBytes);
}

Violation check_length(const std::string& key, std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return std::nullopt;
  return must(key, fmt::format("be at most {} bytes long", max_bytes),
              fmt::format("{} bytes: {}", text.size(), quoted(text)));
}

}  // namespace patchrace::rules
