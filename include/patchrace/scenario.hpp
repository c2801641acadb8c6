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

/// An IPv4 prefix a.b.c.d/n (address block).
struct Prefix {
  std::uint32_t base = 0;  // network address, host byte order; bits below the prefix are zero
  int length = 0;          // 0..32

  /// Number of addresses, 2^(32 - length).
  [[nodiscard]] std::uint64_t size() const { return std::uint64_t{1} << (32 - length); }
  /// Whether `address` lies inside the block.
  [[nodiscard]] bool contains(std::uint32_t address) const {
    return length == 0 || (address >> (32 - length)) == (base >> (32 - length));
  }
  bool operator==(const Prefix&) const = default;
};

/// A kind of vulnerable host (an OS or service variant, e.g. "win2000", "winxp").
/// The worm's exploit may succeed on some kinds and fail, or crash, on others.
struct HostTypeSpec {
  std::string name;    // unique label, [A-Za-z0-9_.-]+
  double share = 1.0;  // fraction of the hosts of this type; the shares of all types sum to 1
  bool operator==(const HostTypeSpec&) const = default;
};

/// How hosts are spread over the address space.
enum class PlacementKind {
  kUniform,    // distinct uniformly random addresses of the space (outside worm.excluded)
  kClustered,  // organisations' blocks inside allocated prefixes, heavy-tailed host density
};

/// Share of organisation blocks of one size (clustered placement).
struct BlockSizeSpec {
  int prefix_length = 24;  // block size as a prefix length, 8..32 (a /24 holds 256 addresses)
  double share = 1.0;      // fraction of organisation blocks of this size; shares sum to 1
  bool operator==(const BlockSizeSpec&) const = default;
};

/// Clustered placement: the hosts live in organisation and ISP-customer blocks that
/// sit inside the allocated prefixes; the number of vulnerable hosts per block is
/// heavy-tailed (Pareto), so the density per /16 is heavy-tailed too.
struct PlacementSpec {
  PlacementKind kind = PlacementKind::kUniform;
  /// Prefixes where hosts may live (clustered). Empty: the documented default set of
  /// /8s allocated by 2003 (listed in docs/placement.md), intersected with the address space.
  std::vector<Prefix> allocated;
  /// File the allocated prefixes were read from (one CIDR a line, # comments), as
  /// given in the scenario; empty if they were written inline. Informational.
  std::string allocation_file;
  std::vector<BlockSizeSpec> block_sizes = {{24, 0.6}, {22, 0.2}, {20, 0.12}, {16, 0.08}};
  double hosts_per_block_alpha = 1.2;  // Pareto tail index of vulnerable hosts per block, > 0
  double min_hosts_per_block = 1.0;    // Pareto scale: the fewest vulnerable hosts a block holds, >= 1
  bool operator==(const PlacementSpec&) const = default;
};

/// The hosts that run the vulnerable service.
struct PopulationSpec {
  std::uint64_t hosts = 0;           // vulnerable hosts, at distinct addresses
  std::vector<HostTypeSpec> types;   // empty: every host is of one type, "host"
  PlacementSpec placement;
  bool operator==(const PopulationSpec&) const = default;
};

/// How the worm picks the addresses it probes.
enum class ScanStrategy {
  kUniform,          // every probe to a uniformly random address of the space
  kLocalPreference,  // Code Red II: own /8, own /16 or anywhere, with fixed probabilities
  kSequential,       // Blaster: a start address, then an upward sweep in batches
  kPermutation,      // Staniford et al.: a shared pseudo-random permutation of the space
};

/// Code Red II's target choice. Each probe goes to a uniformly random address of
/// the source's own /8 with probability `same_slash8`, of its own /16 with
/// `same_slash16`, and anywhere in the space (outside worm.excluded) otherwise.
struct LocalPreferenceSpec {
  double same_slash8 = 0.5;     // probability, [0, 1]
  double same_slash16 = 0.375;  // probability, [0, 1]; same_slash8 + same_slash16 <= 1
  bool operator==(const LocalPreferenceSpec&) const = default;
};

/// Blaster's sweep. On infection a host picks a base address A.B.C.0: with
/// probability `local_start` in its own /16 (its own A.B, its own C lowered by a
/// uniform integer in [0, local_backoff) when C > local_backoff), otherwise a
/// uniformly random /24 of the space. It then probes base, base+1, ... upward,
/// `batch` addresses at a time: batch k leaves k * batch / rate seconds after
/// infection. At the top of the space it wraps to the bottom.
struct SequentialSpec {
  double local_start = 0.4;           // probability, [0, 1]
  std::uint32_t local_backoff = 20;   // >= 1
  std::uint32_t batch = 20;           // addresses per batch, >= 1
  bool operator==(const SequentialSpec&) const = default;
};

/// Permutation scanning (Staniford et al. 2002). All copies walk one pseudo-random
/// permutation of the space (a keyed bijection, the key drawn per replicate), each
/// starting just after its own host's position on the walk, one address every
/// 1 / rate seconds. A copy that probes an already infected host jumps to a new
/// uniformly random position; after `dormant_after` such hits it stops scanning
/// (0: never).
struct PermutationSpec {
  std::uint32_t dormant_after = 0;
  bool operator==(const PermutationSpec&) const = default;
};

/// What a failed exploit does to the target.
enum class FailureOutcome {
  kNothing,  // the probe has no effect
  kCrash,    // the service (or host) crashes: offline for `downtime`, then susceptible again
};

/// The exploit's effect on one host type.
struct ExploitSpec {
  std::string type;                                 // a population.types name
  double success = 1.0;                             // probability, [0, 1]
  FailureOutcome on_failure = FailureOutcome::kNothing;
  double downtime = 60.0;                           // seconds offline after a crash, > 0
  bool operator==(const ExploitSpec&) const = default;
};

/// A class of access links (bandwidth-limited scanning).
struct LinkClassSpec {
  double share = 1.0;             // fraction of hosts on such links; shares sum to 1
  double bits_per_second = 1e6;   // access-link capacity, > 0
  bool operator==(const LinkClassSpec&) const = default;
};

/// Bandwidth-limited scanning (Slammer). Each host scans at
/// min(worm.scan_rate, its link's bits_per_second / (8 probe_bytes)) probes/s. When
/// all infected hosts together send more than `capacity` probes/s, every probe is
/// dropped with the probability that brings the aggregate down to `capacity`.
struct BandwidthSpec {
  bool enabled = false;
  double probe_bytes = 404;          // bytes on the wire per probe, > 0 (Slammer: 376 + headers)
  std::vector<LinkClassSpec> links;  // at least one class
  double capacity = 0;               // probes/s carried in all; 0: unlimited
  bool operator==(const BandwidthSpec&) const = default;
};

/// How the initial infected hosts (the hit-list) are chosen.
enum class SeedRule {
  kRandom,           // uniformly among the hosts unpatched at t = 0
  kLargestPrefixes,  // the hosts of the /16s with the most vulnerable hosts first
};

/// The worm: how it chooses targets and how fast it scans.
struct WormSpec {
  std::string name = "worm";     // label used in reports
  ScanStrategy strategy = ScanStrategy::kUniform;
  double scan_rate = 10.0;       // probes per second sent by each infected host (its maximum
                                 // when bandwidth-limited)
  double exploit_success = 1.0;  // probability that a probe reaching a susceptible host infects
                                 // it (host types without an entry in `exploits`)
  std::vector<ExploitSpec> exploits;  // per host type; overrides exploit_success
  std::vector<Prefix> excluded;  // never targeted by random choices (e.g. 127/8, 224/3);
                                 // no host is placed there
  LocalPreferenceSpec local_preference;
  SequentialSpec sequential;
  PermutationSpec permutation;
  BandwidthSpec bandwidth;
  SeedRule seed_rule = SeedRule::kRandom;
  double seed_window = 0.0;      // seconds: seeds are infected at i.i.d. uniform times in
                                 // [0, seed_window]; 0: all at t = 0
  /// Size of the hit-list: hosts infected at the start (see seed_rule and
  /// seed_window), chosen among the hosts unpatched at t = 0. Ignored when
  /// `seed_addresses` is not empty.
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
