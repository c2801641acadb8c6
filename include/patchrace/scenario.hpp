// Scenario: the single input of a simulation. Plain aggregates with documented
// defaults; every time is in seconds, every rate per second unless its name says
// otherwise. `validate()` states the allowed ranges; docs/scenario.md documents the
// same rules for the TOML form.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
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

/// How exposed a host is to the Internet. Central patch services rank hosts by it
/// (score values 3, 2 and 1).
enum class Exposure : std::uint8_t {
  kInternet = 0,  // internet-facing: reachable from anywhere
  kInternal,      // on an internal network
  kNat,           // behind network address translation
};
inline constexpr int kExposureCount = 3;

/// A management group: hosts administered alike (e.g. "servers", "managed-desktops",
/// "home-users"). Its patch policy is in PatchingSpec::policies.
struct ManagementGroupSpec {
  std::string name;                      // unique label, [A-Za-z0-9_.-]+
  double share = 0.0;                    // fraction of the hosts, (0, 1]; shares sum to 1
  std::optional<std::uint64_t> count;    // exact number of hosts instead of a share; either
                                         // every group gives a count (summing to population.hosts)
                                         // or every group a share
  /// Fractions of the group's hosts per exposure (indexed by Exposure); sum to 1.
  std::vector<double> exposure = {1.0, 0.0, 0.0};
  double criticality = 1.0;              // how critical the group's hosts are, > 0
  bool operator==(const ManagementGroupSpec&) const = default;
};

/// The hosts that run the vulnerable service.
struct PopulationSpec {
  std::uint64_t hosts = 0;           // vulnerable hosts, at distinct addresses
  std::vector<HostTypeSpec> types;   // empty: every host is of one type, "host"
  PlacementSpec placement;
  /// Management groups; each host belongs to one, drawn at random by the shares (or
  /// exact counts). Empty: every host is in one group, "all".
  std::vector<ManagementGroupSpec> groups;
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
  /// The management group (a population.groups name) the seed hosts belong to: the
  /// hosts at `seed_addresses` are put in it, or the `initial_infected` hosts are
  /// chosen among its hosts. Empty: any group.
  std::string seed_group;
  bool operator==(const WormSpec&) const = default;
};

/// The shape of self-patching: the fraction of a group's hosts still unpatched
/// `t` seconds after the patch's release, v(t).
enum class AdoptionKind {
  kExponential,    // v = never_fraction + (1 - never_fraction) 2^(-t / half_life)
  kTwoPopulation,  // v = fast_share 2^(-t / fast_half_life) + (1 - fast_share) 2^(-t / slow_half_life);
                   // slow_half_life 0: the slow class never patches
  kEmpirical,      // v tabulated: linear between the points, flat after the last one
};

/// One point of an empirical adoption curve.
struct CurvePoint {
  double time = 0.0;        // seconds since the release, >= 0; strictly increasing along the curve
  double vulnerable = 1.0;  // fraction still unpatched, [0, 1]; non-increasing along the curve
  bool operator==(const CurvePoint&) const = default;
};

/// Self-patching. Each host patches at the time its own draw from v(t) gives (in
/// hazard form: a unit-exponential budget spent at the rate -d ln v / dt).
struct AdoptionSpec {
  AdoptionKind kind = AdoptionKind::kExponential;
  double half_life = 30.0 * kDay;       // exponential: seconds, > 0
  double never_fraction = 0.0;          // exponential: [0, 1]
  double fast_share = 0.5;              // two-population: [0, 1]
  double fast_half_life = 7.0 * kDay;   // two-population: seconds, > 0
  double slow_half_life = 0.0;          // two-population: seconds, >= 0 (0: never)
  std::vector<CurvePoint> curve;        // empirical: at least one point; v(0) = 1 is implied
                                        // before the first point
  bool operator==(const AdoptionSpec&) const = default;
};

/// The outbreak becomes news: from the trigger on, the patch hazard of every
/// self-patching host of the group still unpatched is multiplied by `factor`
/// (a host of a class that never patches stays unpatched).
struct NewsSpec {
  bool enabled = false;
  std::optional<double> after;                // trigger: seconds since the worm's start, >= 0
  std::optional<std::uint64_t> infected;      // trigger: hosts ever infected (seeds included), >= 1
                                              // (exactly one of the two triggers)
  double factor = 2.0;                        // hazard multiplier, > 0
  bool operator==(const NewsSpec&) const = default;
};

/// Who patches a group's hosts.
enum class PolicyKind {
  kSelf,     // every host on its own, by the adoption curve
  kCentral,  // a central patch service (PatchServiceSpec) pushes the patch
  kNone,     // nobody: the hosts never patch
};

/// A management group's patch policy.
struct PatchPolicySpec {
  std::string group;                   // a population.groups name ("all" without groups)
  PolicyKind kind = PolicyKind::kSelf;
  AdoptionSpec adoption;               // self
  NewsSpec news;                       // self
  std::string service;                 // central: a patching.services name
  bool operator==(const PatchPolicySpec&) const = default;
};

/// How a central service orders the hosts it patches (highest first).
enum class PriorityRule {
  kScore,             // importance^wi * exposure^we * criticality^wc, ties at random
  kExposureFirst,     // by exposure, then criticality, then at random
  kCriticalityFirst,  // by criticality, then exposure, then at random
  kRandom,            // uniformly random order
};

/// Priority of a central service. Exposure scores 3 (internet), 2 (internal), 1 (NAT).
struct PrioritySpec {
  PriorityRule rule = PriorityRule::kScore;
  double importance_weight = 1.0;   // score exponents, >= 0
  double exposure_weight = 1.0;
  double criticality_weight = 1.0;
  bool operator==(const PrioritySpec&) const = default;
};

/// A deployment ring of a central service (test, pilot, broad).
struct RingSpec {
  std::string name;        // unique in its service, [A-Za-z0-9_.-]+
  double share = 1.0;      // fraction of the service's hosts, (0, 1]; shares sum to 1
  double qa_delay = 0.0;   // seconds from the ring's last patch to the next ring's start, >= 0
  bool operator==(const RingSpec&) const = default;
};

/// Working hours of a central service, in the clock of RunSpec::clock.
struct WorkingHoursSpec {
  bool enabled = false;
  double start = 9.0 * kHour;   // seconds after midnight, [0, 1 d)
  double end = 17.0 * kHour;    // seconds after midnight, (start, 1 d]
  bool weekdays_only = true;    // no work on Saturdays and Sundays
  bool operator==(const WorkingHoursSpec&) const = default;
};

/// A central patch service (the SUS/WSUS way). From `approval_delay` after the
/// release it patches the hosts of the groups it serves one at a time, each taking
/// 1 / capacity days of working time, in ring order and inside a ring by priority.
/// A ring starts `qa_delay` after the previous ring's last patch.
struct PatchServiceSpec {
  std::string name;                   // unique, [A-Za-z0-9_.-]+
  double capacity = 1000.0;           // hosts per day (per working day with working hours), > 0
  double approval_delay = 0.0;        // seconds after the release, >= 0
  WorkingHoursSpec working_hours;
  PrioritySpec priority;
  double min_score = 0.0;             // hosts whose score is below are not patched, >= 0
  std::vector<RingSpec> rings;        // empty: one ring, "all"
  bool operator==(const PatchServiceSpec&) const = default;
};

/// A bad patch (Beattie et al. 2002): a host applying the patch at age a (seconds
/// since the release) breaks with probability probability * 2^(-a / half_life);
/// from `fix_release` on the fixed patch breaks nothing. A broken host (state B) is
/// offline for `outage`, then rolled back: unpatched again (an infected host is
/// still infected). It then patches again once the fixed patch is out: through its
/// service, or after an exponential delay of mean `repatch_mean` when self-patching.
struct BadPatchSpec {
  bool enabled = false;
  double probability = 0.0;            // [0, 1]
  double half_life = 7.0 * kDay;       // seconds, > 0
  double outage = 8.0 * kHour;         // seconds, > 0
  std::optional<double> fix_release;   // seconds after the release, >= 0; absent: never
  double repatch_mean = 1.0 * kDay;    // seconds, > 0
  bool operator==(const BadPatchSpec&) const = default;
};

/// The patch process. Without policies every group patches on its own with the
/// exponential curve of `half_life` and `never_fraction`; with policies each group
/// has exactly one. A patched susceptible host is immune (state P). A patched
/// infected host keeps scanning unless `cures_infected`, in which case it is
/// cleaned (state C).
struct PatchingSpec {
  bool enabled = false;
  double release = 0.0;              // seconds relative to the worm's start; may be negative
  double half_life = 30.0 * kDay;    // without policies: seconds; > 0
  double never_fraction = 0.0;       // without policies: share of hosts that never patch, [0, 1]
  bool cures_infected = false;       // patching an infected host removes the worm
  double importance = 1.0;           // the patch's importance in priority scores, > 0
  std::vector<PatchPolicySpec> policies;
  std::vector<PatchServiceSpec> services;
  BadPatchSpec bad_patch;
  bool operator==(const PatchingSpec&) const = default;
};

/// Removal of the worm from infected hosts (disinfection followed by patching):
/// each infected host is cleaned (state C) after an exponential delay.
/// The delay is per management group when `group_mean_delay` names the group.
struct CleanupSpec {
  bool enabled = false;
  double mean_delay = 1.0 * kDay;  // seconds from infection to cleanup, mean; > 0
  /// Per-group mean delays (group name, seconds > 0), overriding mean_delay.
  std::vector<std::pair<std::string, double>> group_mean_delay;
  bool operator==(const CleanupSpec&) const = default;
};

/// How long to simulate, how often to report, and the randomness.
struct RunSpec {
  double duration = 1.0 * kDay;       // seconds of simulated time; > 0
  double report_interval = 60.0;      // seconds between reported points; > 0, <= duration
  std::optional<std::uint64_t> seed;  // absent: the caller picks one and records it
  std::uint32_t replicates = 1;       // independent replicates, >= 1
  /// Time of week at t = 0, seconds since Monday 00:00, [0, 7 d): the clock of
  /// working hours.
  double clock = 0.0;
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
