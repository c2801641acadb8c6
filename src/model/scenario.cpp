// The scenario rules (find_violation) and small helpers on scenario values.
#include "patchrace/scenario.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "patchrace/error.hpp"
#include "patchrace/result.hpp"

namespace patchrace {
namespace {

constexpr double kYear = 365.0 * kDay;
constexpr double kMaxDuration = 10.0 * kYear;  // seconds
constexpr std::uint64_t kMaxReportedPoints = 1'000'000;
constexpr std::uint32_t kMaxReplicates = 1'000'000;

using Violation = std::optional<ScenarioViolation>;

/// The violation "<key> must <requirement>, got <got>".
Violation must(std::string key, const std::string& requirement, const std::string& got) {
  std::string message = fmt::format("{} must {}, got {}", key, requirement, got);
  return ScenarioViolation{std::move(key), std::move(message)};
}

/// A number as written in messages: shortest exact form ("-3", "0.25", "nan", "inf").
std::string number_text(double value) { return fmt::format("{}", value); }

/// A time in seconds with a readable form when it is a minute or longer:
/// "90 s (1.5 min)", "-2246400 s (-26 d)", "nan".
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

std::string prefix_text(const AddressSpaceSpec& space) {
  return fmt::format("{}/{}", format_address(space.base), space.prefix_length);
}

bool inside(const AddressSpaceSpec& space, std::uint32_t address) {
  return address >= space.base && std::uint64_t{address} - space.base < space.size();
}

/// Number of reported points as the engine counts them (report_point_count()),
/// saturated when the count would not fit. Precondition: both times finite and > 0.
std::uint64_t reported_points(const RunSpec& run) {
  if (!(run.duration / run.report_interval < 1e15)) return UINT64_MAX;
  return report_point_count(run);
}

/// `value` > 0 rounded up to `digits` significant digits, so that a bound printed
/// from it is never below the true bound: 0.0864000864 -> 0.08641.
double round_up(double value, int digits) {
  const double scale = std::pow(10.0, digits - 1 - std::floor(std::log10(value)));
  return std::ceil(value * scale) / scale;
}

/// "must be > 0 <unit>" for a finite, positive double.
Violation check_positive(const char* key, double value, const char* unit) {
  if (!std::isfinite(value)) {
    return must(key, fmt::format("be a finite number of {}", unit), number_text(value));
  }
  if (!(value > 0)) return must(key, fmt::format("be > 0 {}", unit), number_text(value));
  return std::nullopt;
}

/// Like check_positive() for a time in seconds (the value is printed readably).
Violation check_positive_time(const char* key, double seconds) {
  if (!std::isfinite(seconds)) return must(key, "be a finite time in s", seconds_text(seconds));
  if (!(seconds > 0)) return must(key, "be > 0 s", seconds_text(seconds));
  return std::nullopt;
}

Violation check_name(const Scenario& scenario) {
  if (scenario.name.empty()) return must("name", "be a non-empty string", "\"\"");
  return std::nullopt;
}

Violation check_address_space(const AddressSpaceSpec& space) {
  if (space.prefix_length < 0 || space.prefix_length > 32) {
    return must("address_space.prefix", "have a prefix length between /0 and /32",
                fmt::format("/{}", space.prefix_length));
  }
  const std::uint64_t host_mask = space.size() - 1;
  if ((space.base & host_mask) != 0) {
    return must("address_space.prefix",
                fmt::format("have zero host bits for /{}", space.prefix_length),
                prefix_text(space));
  }
  return std::nullopt;
}

Violation check_population(const Scenario& scenario) {
  const std::uint64_t hosts = scenario.population.hosts;
  const std::uint64_t size = scenario.address_space.size();
  if (hosts < 1 || hosts > size) {
    return must("population.hosts",
                fmt::format("be between 1 and {} (the addresses in {})", size,
                            prefix_text(scenario.address_space)),
                std::to_string(hosts));
  }
  return std::nullopt;
}

Violation check_seed_addresses(const Scenario& scenario) {
  const auto& seeds = scenario.worm.seed_addresses;
  const std::uint64_t hosts = scenario.population.hosts;
  if (seeds.size() > hosts) {
    return must("worm.seed_addresses",
                fmt::format("have at most population.hosts = {} entries", hosts),
                fmt::format("{} entries", seeds.size()));
  }
  std::unordered_map<std::uint32_t, std::size_t> first_index;
  first_index.reserve(seeds.size());
  for (std::size_t i = 0; i < seeds.size(); ++i) {
    const std::string key = fmt::format("worm.seed_addresses[{}]", i);
    if (!inside(scenario.address_space, seeds[i])) {
      return must(
          key, fmt::format("be inside the address space {}", prefix_text(scenario.address_space)),
          format_address(seeds[i]));
    }
    const auto [it, inserted] = first_index.emplace(seeds[i], i);
    if (!inserted) {
      return must(key, fmt::format("be distinct from worm.seed_addresses[{}]", it->second),
                  fmt::format("{} again", format_address(seeds[i])));
    }
  }
  return std::nullopt;
}

Violation check_worm(const Scenario& scenario) {
  const WormSpec& worm = scenario.worm;
  if (auto v = check_positive("worm.scan_rate", worm.scan_rate, "probes/s")) return v;
  const double p = worm.exploit_success;
  if (!(p > 0 && p <= 1)) {
    return must("worm.exploit_success", "be in (0, 1] (a probability per probe)", number_text(p));
  }
  if (!worm.seed_addresses.empty()) return check_seed_addresses(scenario);
  const std::uint64_t hosts = scenario.population.hosts;
  if (worm.initial_infected < 1 || worm.initial_infected > hosts) {
    return must("worm.initial_infected",
                fmt::format("be between 1 and population.hosts = {}", hosts),
                std::to_string(worm.initial_infected));
  }
  return std::nullopt;
}

Violation check_patching(const PatchingSpec& patching) {
  if (!patching.enabled) return std::nullopt;
  if (!std::isfinite(patching.release)) {
    return must("patching.release", "be a finite time in s", seconds_text(patching.release));
  }
  if (auto v = check_positive_time("patching.half_life", patching.half_life)) return v;
  const double never = patching.never_fraction;
  if (!(never >= 0 && never <= 1)) {
    return must("patching.never_fraction", "be in [0, 1] (a fraction of the hosts)",
                number_text(never));
  }
  return std::nullopt;
}

Violation check_cleanup(const CleanupSpec& cleanup) {
  if (!cleanup.enabled) return std::nullopt;
  return check_positive_time("cleanup.mean_delay", cleanup.mean_delay);
}

Violation check_run(const RunSpec& run) {
  if (!(std::isfinite(run.duration) && run.duration > 0 && run.duration <= kMaxDuration)) {
    return must("run.duration", fmt::format("be > 0 s and <= {}", seconds_text(kMaxDuration)),
                seconds_text(run.duration));
  }
  if (!(std::isfinite(run.report_interval) && run.report_interval > 0 &&
        run.report_interval <= run.duration)) {
    return must("run.report_interval",
                fmt::format("be > 0 s and <= run.duration = {}", seconds_text(run.duration)),
                seconds_text(run.report_interval));
  }
  if (reported_points(run) > kMaxReportedPoints) {
    // k intervals give k + 1 points, the duration itself always reported.
    const double shortest = run.duration / static_cast<double>(kMaxReportedPoints - 1);
    return must(
        "run.report_interval",
        fmt::format("be >= {} s (at most {} reported points over run.duration = {})",
                    round_up(shortest, 4), kMaxReportedPoints, seconds_text(run.duration)),
        fmt::format("{} ({} points)", seconds_text(run.report_interval), reported_points(run)));
  }
  if (run.replicates < 1 || run.replicates > kMaxReplicates) {
    return must("run.replicates", fmt::format("be between 1 and {}", kMaxReplicates),
                std::to_string(run.replicates));
  }
  return std::nullopt;
}

}  // namespace

std::optional<ScenarioViolation> find_violation(const Scenario& scenario) {
  if (auto v = check_name(scenario)) return v;
  if (auto v = check_address_space(scenario.address_space)) return v;
  if (auto v = check_population(scenario)) return v;
  if (auto v = check_worm(scenario)) return v;
  if (auto v = check_patching(scenario.patching)) return v;
  if (auto v = check_cleanup(scenario.cleanup)) return v;
  return check_run(scenario.run);
}

void validate(const Scenario& scenario, const std::string& where) {
  if (auto v = find_violation(scenario)) {
    throw InvalidScenario(fmt::format("{}: {}", where, v->message));
  }
}

std::uint64_t estimated_memory_bytes(const Scenario& scenario) {
  constexpr std::uint64_t kBytesPerHost = 32;
  constexpr std::uint64_t kBytesPerPoint = (kSeriesCount + 1) * sizeof(double);
  constexpr std::uint64_t kFixedBytes = 4096;
  const RunSpec& run = scenario.run;
  const bool times_usable = std::isfinite(run.duration) && std::isfinite(run.report_interval) &&
                            run.duration > 0 && run.report_interval > 0;
  const std::uint64_t points = times_usable ? reported_points(run) : 1;
  const std::uint64_t hosts = scenario.population.hosts;
  // Saturate rather than wrap: an absurd scenario must look huge, not small.
  if (hosts > UINT64_MAX / 2 / kBytesPerHost || points > UINT64_MAX / 2 / kBytesPerPoint) {
    return UINT64_MAX;
  }
  return hosts * kBytesPerHost + points * kBytesPerPoint + kFixedBytes;
}

std::string format_address(std::uint32_t address) {
  return fmt::format("{}.{}.{}.{}", address >> 24, (address >> 16) & 0xff, (address >> 8) & 0xff,
                     address & 0xff);
}

std::optional<std::uint32_t> parse_address(const std::string& text) {
  std::uint32_t address = 0;
  std::string_view rest = text;
  for (int octet = 0; octet < 4; ++octet) {
    if (octet > 0) {
      if (rest.empty() || rest.front() != '.') return std::nullopt;
      rest.remove_prefix(1);
    }
    std::size_t digits = 0;
    while (digits < rest.size() && rest[digits] >= '0' && rest[digits] <= '9') ++digits;
    // One to three digits, no leading zero (which some parsers read as octal).
    if (digits == 0 || digits > 3 || (digits > 1 && rest.front() == '0')) return std::nullopt;
    unsigned value = 0;
    std::from_chars(rest.data(), rest.data() + digits, value);
    if (value > 255) return std::nullopt;
    address = (address << 8) | value;
    rest.remove_prefix(digits);
  }
  if (!rest.empty()) return std::nullopt;
  return address;
}

}  // namespace patchrace
