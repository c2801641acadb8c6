// The scenario as summary.json echoes it: every key of the TOML form under its TOML name.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "patchrace/scenario.hpp"

namespace patchrace::detail {

/// The echo of `scenario`, keys in the order of the TOML reference (docs/scenario.md).
/// Every time is a number of seconds (run.duration, patching.release, a ring's qa_delay,
/// ...) except the two clock readings, which keep their TOML form: a service's
/// working_hours as ["HH:MM", "HH:MM"] (null when disabled) and run.clock as "Mon 16:00".
/// Addresses are dotted quads, prefixes CIDR text, enum settings their TOML strings.
/// Tables whose presence turns a feature on in TOML (patching, cleanup, worm.bandwidth,
/// patching.bad_patch, a policy's news) carry "enabled". Every setting is echoed, used or
/// not; optional settings that are absent are null. Does not throw for a scenario that
/// failed validation (odd values are echoed as they are).
[[nodiscard]] nlohmann::ordered_json scenario_json(const Scenario& scenario);

/// A time of day, seconds after midnight, as "HH:MM" (0 -> "00:00", 86400 -> "24:00"),
/// with ":SS" added when it is not a whole minute. Rounded to the nearest second.
[[nodiscard]] std::string format_time_of_day(double seconds);

/// A time of week, seconds since Monday 00:00, as run.clock is written: "Mon 16:00"
/// (":SS" added when not a whole minute). Rounded to the nearest second, modulo a week.
[[nodiscard]] std::string format_time_of_week(double seconds);

}  // namespace patchrace::detail
