// Scenario: the single input of a simulation. Plain aggregates with documented
// defaults; every time is in seconds, every rate per second unless its name says
// otherwise. `validate()` states the allowed ranges; docs/scenario.md documents the
// same rules for the TOML form.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace patchrace {

/// Seconds in common units, for writing durations in code.
inline constexpr double kMinute = 60.0;
inline constexpr double kHour = 3600.0;
inline constexpr double kDay = 86400.0;

/// The scanned address space: an IPv4 prefix. The default, 0.0.0.0/0, is all of
/// IPv4 (2^32 addresses). Scanning worms draw targets from this space only.
struct AddressSpaceSpec {
  std::uint32_t base = 0;  // network address, host byte order; low bits below the prefix are zero
  int prefix_length = 0;   // 0..32

  /// Number of addresses in the space, 2^(32 - prefix_length).
  [[nodiscard]] std::uint64_t size() const { return std::uint64_t{1} << (32 - prefix_length); }
  bool operator==(const AddressSpaceSpec&) const = default;
};

/// The hosts that run the vulnerable service.
struct PopulationSpec {
  std::uint64_t hosts = 0;  // vulnerable hosts, placed at distinct uniformly random addresses
  bool operator==(const PopulationSpec&) const = default;
};

/// The worm: how it chooses targets and how fast it scans.
struct WormSpec {
  std::string name = "worm";     // label used in reports
  double scan_rate = 10.0;       // probes per second sent by each infected host
  double exploit_success = 1.0;  // probability that a probe reaching a susceptible host infects it
  /// Hosts infected at t = 0, chosen uniformly among the hosts unpatched at t = 0.
  /// Ignored when `seed_addresses` is not empty.
  std::uint64_t initial_infected = 1;
  /// Explicit addresses of the hosts infected at t = 0 (host byte order, distinct,
  /// inside the address space). Hosts are placed at these addresses first.
  std::vector<std::uint32_t> seed_addresses;
  bool operator==(const WormSpec&) const = default;
};

/// Minimal patch process: after `release` every host that patches at all does so
/// after an exponential delay with the given half-life. A patched susceptible host
/// is immune (state P). A patched infected host keeps scanning unless
/// `cures_infected`, in which case it is cleaned (state C).
struct PatchingSpec {
  bool enabled = false;
  double release = 0.0;              // seconds relative to the worm's start; may be negative
  double half_life = 30.0 * kDay;    // seconds; > 0
  double never_fraction = 0.0;       // share of hosts that never patch, [0, 1]
  bool cures_infected = false;       // patching an infected host removes the worm
  bool operator==(const PatchingSpec&) const = default;
};

/// Removal of the worm from infected hosts (disinfection followed by patching):
/// each infected host is cleaned (state C) after an exponential delay.
struct CleanupSpec {
  bool enabled = false;
  double mean_delay = 1.0 * kDay;  // seconds from infection to cleanup, mean; > 0
  bool operator==(const CleanupSpec&) const = default;
};

/// How long to simulate, how often to report, and the randomness.
struct RunSpec {
  double duration = 1.0 * kDay;       // seconds of simulated time; > 0
  double report_interval = 60.0;      // seconds between reported points; > 0, <= duration
  std::optional<std::uint64_t> seed;  // absent: the caller picks one and records it
  std::uint32_t replicates = 1;       // independent replicates, >= 1
  bool operator==(const RunSpec&) const = default;
};

/// Everything a simulation needs.
struct Scenario {
  std::string name = "scenario";
  std::string description;
  AddressSpaceSpec address_space;
  PopulationSpec population;
  WormSpec worm;
  PatchingSpec patching;
  CleanupSpec cleanup;
  RunSpec run;
  bool operator==(const Scenario&) const = default;
};

/// The first rule a scenario breaks: the key as written in the TOML form
/// (e.g. "worm.scan_rate" or "worm.seed_addresses[2]") and a message that names the
/// key, the bad value and what is allowed
/// (e.g. "worm.scan_rate must be > 0 probes/s, got -3").
struct ScenarioViolation {
  std::string key;
  std::string message;
};

/// Checks every field against its allowed range and the fields against each other;
/// returns the first broken rule, or std::nullopt for a valid scenario.
/// This is the one place the rules live: validate() and the TOML loader both use it.
[[nodiscard]] std::optional<ScenarioViolation> find_violation(const Scenario& scenario);

/// Throws patchrace::InvalidScenario with "<where>: <message>" if find_violation()
/// finds a broken rule.
void validate(const Scenario& scenario, const std::string& where = "scenario");

/// Bytes the engine will allocate for one replicate of `scenario` (hosts and
/// reported series), estimated before anything is allocated.
[[nodiscard]] std::uint64_t estimated_memory_bytes(const Scenario& scenario);

/// Formats an address as dotted quad, e.g. 0x0a000001 -> "10.0.0.1".
[[nodiscard]] std::string format_address(std::uint32_t address);

/// Parses a dotted-quad address. Returns std::nullopt if `text` is not one.
[[nodiscard]] std::optional<std::uint32_t> parse_address(const std::string& text);

}  // namespace patchrace
