// Building blocks of the scenario rules: the violation message form and the checks
// several parts of the scenario share. Used by scenario.cpp and patch_rules.cpp.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "patchrace/scenario.hpp"

namespace patchrace::rules {

using Violation = std::optional<ScenarioViolation>;

inline constexpr double kYear = 365.0 * kDay;
inline constexpr double kShareTolerance = 1e-9;  // |sum of shares - 1| allowed

/// The violation "<key> must <requirement>, got <got>".
Violation must(std::string key, const std::string& requirement, const std::string& got);

/// A number as written in messages: shortest exact form ("-3", "0.25", "nan", "inf").
std::string number_text(double value);

/// A time in seconds with a readable form when it is a minute or longer:
/// "90 s (1.5 min)", "-2246400 s (-26 d)", "nan".
std::string seconds_text(double seconds);

/// A string as written in messages: double-quoted and escaped, and cut after
/// kMaxQuotedBytes (at a UTF-8 character boundary) with "..." when longer.
std::string quoted(std::string_view text);

/// "must be > 0 <unit>" for a finite, positive double.
Violation check_positive(const std::string& key, double value, const char* unit);

/// Like check_positive() for a time in seconds (the value is printed readably).
Violation check_positive_time(const std::string& key, double seconds);

/// "must be >= 0 s" for a finite, non-negative time in seconds.
Violation check_non_negative_time(const std::string& key, double seconds);

/// "must be in [0, 1] (<what>)" for a probability or fraction.
Violation check_unit_interval(const std::string& key, double value, const char* what);

/// Shares (each already in [0, 1]) that must sum to 1 within kShareTolerance.
Violation check_share_sum(const std::string& key, double sum);

/// Whether `c` may appear in a label (type, group, service or ring name).
bool is_label_char(char c);

/// A label: non-empty, of letters, digits, '_', '.' and '-', at most kMaxLabelBytes long.
Violation check_label(const std::string& key, const std::string& label);

/// "must be at most <max_bytes> bytes long" for a string longer than that; the message
/// gives its length and its quoted start.
Violation check_length(const std::string& key, std::string_view text, std::size_t max_bytes);

}  // namespace patchrace::rules
