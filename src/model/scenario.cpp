// The scenario rules (find_violation) and small helpers on scenario values.
#include "patchrace/scenario.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "patchrace/error.hpp"
#include "patchrace/limits.hpp"
#include "patchrace/result.hpp"
#include "model/patch_rules.hpp"
#include "model/placement.hpp"
#include "model/rule_checks.hpp"

namespace patchrace {
namespace {

using namespace rules;

constexpr double kMaxDuration = 10.0 * kYear;  // seconds
constexpr std::uint64_t kMaxReportedPoints = 1'000'000;
constexpr std::uint32_t kMaxReplicates = 1'000'000;
constexpr int kMinBlockPrefixLength = 8;
constexpr int kMaxBlockPrefixLength = 32;
constexpr std::uint32_t kMaxLocalBackoff = 256;
constexpr std::uint64_t kMaxHosts = 0xFFFFFFFF;  // 2^32 - 1: host indices are 32-bit

std::string prefix_text(const AddressSpaceSpec& space) {
  return fmt::format("{}/{}", format_address(space.base), space.prefix_length);
}

std::string prefix_text(const Prefix& prefix) {
  return fmt::format("{}/{}", format_address(prefix.base), prefix.length);
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

Violation check_name(const Scenario& scenario) {
  if (scenario.name.empty()) return must("name", "be a non-empty string", "\"\"");
  if (auto v = check_length("name", scenario.name, kMaxTitleBytes)) return v;
  if (auto v = check_length("description", scenario.description, kMaxDescriptionBytes)) return v;
  return check_length("worm.name", scenario.worm.name, kMaxTitleBytes);
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
  if (hosts > kMaxHosts) {
    return must("population.hosts",
                fmt::format("be between 1 and {} (the engine counts hosts in 32 bits)", kMaxHosts),
                std::to_string(hosts));
  }
  return std::nullopt;
}

/// A prefix of a list (worm.excluded[i], population.placement.allocated[i]): a length in
/// 0..32 and zero host bits, the rules of address_space.prefix.
Violation check_prefix(const std::string& key, const Prefix& prefix) {
  if (prefix.length < 0 || prefix.length > 32) {
    return must(key, "have a prefix length between /0 and /32", fmt::format("/{}", prefix.length));
  }
  if ((prefix.base & (prefix.size() - 1)) != 0) {
    return must(key, fmt::format("have zero host bits for /{}", prefix.length),
                prefix_text(prefix));
  }
  return std::nullopt;
}

Violation check_types(const std::vector<HostTypeSpec>& types) {
  if (types.empty()) return std::nullopt;
  std::unordered_map<std::string, std::size_t> first_index;
  double sum = 0;
  for (std::size_t i = 0; i < types.size(); ++i) {
    const HostTypeSpec& type = types[i];
    const std::string key = fmt::format("population.types[{}]", i);
    if (auto v = check_label(key + ".name", type.name)) return v;
    const auto [it, inserted] = first_index.emplace(type.name, i);
    if (!inserted) {
      return must(key + ".name",
                  fmt::format("be distinct from population.types[{}].name", it->second),
                  fmt::format("{} again", quoted(type.name)));
    }
    if (auto v = check_unit_interval(key + ".share", type.share, "a fraction of the hosts")) {
      return v;
    }
    sum += type.share;
  }
  return check_share_sum("population.types", sum);
}

/// The clustered placement's settings; ignored (not checked) with uniform placement.
Violation check_placement(const PlacementSpec& placement) {
  if (placement.kind != PlacementKind::kClustered) return std::nullopt;
  for (std::size_t i = 0; i < placement.allocated.size(); ++i) {
    const std::string key = fmt::format("population.placement.allocated[{}]", i);
    if (auto v = check_prefix(key, placement.allocated[i])) return v;
  }
  const auto& sizes = placement.block_sizes;
  if (sizes.empty()) {
    return must("population.placement.block_sizes", "have at least one block size", "none");
  }
  double sum = 0;
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    const std::string key = fmt::format("population.placement.block_sizes[{}]", i);
    const int length = sizes[i].prefix_length;
    if (length < kMinBlockPrefixLength || length > kMaxBlockPrefixLength) {
      return must(key + ".prefix_length",
                  fmt::format("be between {} and {}", kMinBlockPrefixLength, kMaxBlockPrefixLength),
                  std::to_string(length));
    }
    if (auto v = check_unit_interval(key + ".share", sizes[i].share, "a fraction of the blocks")) {
      return v;
    }
    sum += sizes[i].share;
  }
  if (auto v = check_share_sum("population.placement.block_sizes", sum)) return v;
  const double alpha = placement.hosts_per_block_alpha;
  if (!(std::isfinite(alpha) && alpha > 0)) {
    return must("population.placement.hosts_per_block_alpha",
                "be a finite number > 0 (a Pareto tail index)", number_text(alpha));
  }
  const double min_hosts = placement.min_hosts_per_block;
  if (!(std::isfinite(min_hosts) && min_hosts >= 1)) {
    return must("population.placement.min_hosts_per_block", "be a finite number of hosts >= 1",
                number_text(min_hosts));
  }
  return std::nullopt;
}

/// Addresses of `space` covered by at least one of `excluded` (overlaps counted once).
/// Precondition: every prefix has a length in 0..32.
std::uint64_t excluded_addresses(const AddressSpaceSpec& space,
                                 const std::vector<Prefix>& excluded) {
  const std::uint64_t space_begin = space.base;
  const std::uint64_t space_end = space_begin + space.size();
  std::vector<std::pair<std::uint64_t, std::uint64_t>> ranges;  // [begin, end) inside the space
  ranges.reserve(excluded.size());
  for (const Prefix& prefix : excluded) {
    const std::uint64_t begin = std::max<std::uint64_t>(prefix.base, space_begin);
    const std::uint64_t end = std::min<std::uint64_t>(prefix.base + prefix.size(), space_end);
    if (begin < end) ranges.emplace_back(begin, end);
  }
  std::sort(ranges.begin(), ranges.end());
  std::uint64_t covered = 0;
  std::uint64_t reached = 0;  // end of the union so far
  for (const auto& [begin, end] : ranges) {
    const std::uint64_t from = std::max(begin, reached);
    if (end > from) covered += end - from;
    reached = std::max(reached, end);
  }
  return covered;
}

Violation check_excluded(const Scenario& scenario) {
  const auto& excluded = scenario.worm.excluded;
  for (std::size_t i = 0; i < excluded.size(); ++i) {
    if (auto v = check_prefix(fmt::format("worm.excluded[{}]", i), excluded[i])) return v;
  }
  if (scenario.population.placement.kind != PlacementKind::kUniform || excluded.empty()) {
    return std::nullopt;
  }
  const std::uint64_t available =
      scenario.address_space.size() - excluded_addresses(scenario.address_space, excluded);
  const std::uint64_t hosts = scenario.population.hosts;
  if (hosts > available) {
    return must("population.hosts",
                fmt::format("be between 1 and {} (the addresses in {} outside worm.excluded)",
                            available, prefix_text(scenario.address_space)),
                std::to_string(hosts));
  }
  return std::nullopt;
}

Violation check_exploits(const Scenario& scenario) {
  const auto& types = scenario.population.types;
  const auto& exploits = scenario.worm.exploits;
  const auto is_type = [&types](const std::string& name) {
    if (types.empty()) return name == "host";
    return std::any_of(types.begin(), types.end(),
                       [&name](const HostTypeSpec& type) { return type.name == name; });
  };
  std::unordered_map<std::string, std::size_t> first_index;
  for (std::size_t i = 0; i < exploits.size(); ++i) {
    const ExploitSpec& exploit = exploits[i];
    const std::string key = fmt::format("worm.exploits[{}]", i);
    if (!is_type(exploit.type)) {
      std::string allowed = "be \"host\" (the only host type when population.types is empty)";
      if (!types.empty()) {
        std::vector<std::string> names;
        for (const HostTypeSpec& type : types) names.push_back(quoted(type.name));
        allowed = fmt::format("be one of the population.types names ({})", fmt::join(names, ", "));
      }
      return must(key + ".type", allowed, quoted(exploit.type));
    }
    const auto [it, inserted] = first_index.emplace(exploit.type, i);
    if (!inserted) {
      return must(key + ".type", fmt::format("be distinct from worm.exploits[{}].type", it->second),
                  fmt::format("{} again", quoted(exploit.type)));
    }
    if (auto v =
            check_unit_interval(key + ".success", exploit.success, "a probability per probe")) {
      return v;
    }
    if (auto v = check_positive_time(key + ".downtime", exploit.downtime)) return v;
  }
  return std::nullopt;
}

/// The selected strategy's settings; the other strategies' settings are ignored.
Violation check_strategy(const WormSpec& worm) {
  switch (worm.strategy) {
    case ScanStrategy::kUniform:
    case ScanStrategy::kPermutation:  // every dormant_after is allowed
      return std::nullopt;
    case ScanStrategy::kLocalPreference: {
      const LocalPreferenceSpec& local = worm.local_preference;
      if (auto v = check_unit_interval("worm.local_preference.same_slash8", local.same_slash8,
                                       "a probability per probe")) {
        return v;
      }
      if (auto v = check_unit_interval("worm.local_preference.same_slash16", local.same_slash16,
                                       "a probability per probe")) {
        return v;
      }
      const double sum = local.same_slash8 + local.same_slash16;
      if (!(sum <= 1 + kShareTolerance)) {
        return must("worm.local_preference",
                    "have same_slash8 + same_slash16 <= 1 (probabilities of one probe)",
                    fmt::format("{} + {} = {}", number_text(local.same_slash8),
                                number_text(local.same_slash16), number_text(sum)));
      }
      return std::nullopt;
    }
    case ScanStrategy::kSequential: {
      const SequentialSpec& sequential = worm.sequential;
      if (auto v = check_unit_interval("worm.sequential.local_start", sequential.local_start,
                                       "a probability per infection")) {
        return v;
      }
      if (sequential.local_backoff < 1 || sequential.local_backoff > kMaxLocalBackoff) {
        return must("worm.sequential.local_backoff",
                    fmt::format("be between 1 and {} (a number of /24s)", kMaxLocalBackoff),
                    std::to_string(sequential.local_backoff));
      }
      if (sequential.batch < 1) {
        return must("worm.sequential.batch", "be >= 1 (addresses per batch)",
                    std::to_string(sequential.batch));
      }
      return std::nullopt;
    }
  }
  return std::nullopt;
}

/// Bandwidth-limited scanning; ignored (not checked) when disabled.
Violation check_bandwidth(const BandwidthSpec& bandwidth) {
  if (!bandwidth.enabled) return std::nullopt;
  if (auto v = check_positive("worm.bandwidth.probe_bytes", bandwidth.probe_bytes, "bytes")) {
    return v;
  }
  if (bandwidth.links.empty()) {
    return must("worm.bandwidth.links", "have at least one link class", "none");
  }
  double sum = 0;
  for (std::size_t i = 0; i < bandwidth.links.size(); ++i) {
    const LinkClassSpec& link = bandwidth.links[i];
    const std::string key = fmt::format("worm.bandwidth.links[{}]", i);
    if (auto v = check_unit_interval(key + ".share", link.share, "a fraction of the hosts")) {
      return v;
    }
    if (auto v = check_positive(key + ".bits_per_second", link.bits_per_second, "bits/s")) {
      return v;
    }
    sum += link.share;
  }
  if (auto v = check_share_sum("worm.bandwidth.links", sum)) return v;
  const double capacity = bandwidth.capacity;
  if (!(std::isfinite(capacity) && capacity >= 0)) {
    return must("worm.bandwidth.capacity", "be a finite number >= 0 probes/s (0: unlimited)",
                number_text(capacity));
  }
  return std::nullopt;
}

Violation check_seed_addresses(const Scenario& scenario) {
  const auto& seeds = scenario.worm.seed_addresses;
  const auto& excluded = scenario.worm.excluded;
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
    for (std::size_t j = 0; j < excluded.size(); ++j) {
      if (excluded[j].contains(seeds[i])) {
        return must(key,
                    fmt::format("be outside worm.excluded[{}] = {}", j, prefix_text(excluded[j])),
                    format_address(seeds[i]));
      }
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
  if (auto v = check_excluded(scenario)) return v;
  if (auto v = check_exploits(scenario)) return v;
  if (auto v = check_strategy(worm)) return v;
  if (auto v = check_bandwidth(worm.bandwidth)) return v;
  if (!worm.seed_addresses.empty()) return check_seed_addresses(scenario);
  const std::uint64_t hosts = scenario.population.hosts;
  if (worm.initial_infected < 1 || worm.initial_infected > hosts) {
    return must("worm.initial_infected",
                fmt::format("be between 1 and population.hosts = {}", hosts),
                std::to_string(worm.initial_infected));
  }
  return std::nullopt;
}

/// Checked after run.duration, which bounds it.
Violation check_seed_window(const Scenario& scenario) {
  const double window = scenario.worm.seed_window;
  if (!(std::isfinite(window) && window >= 0 && window <= scenario.run.duration)) {
    return must(
        "worm.seed_window",
        fmt::format("be >= 0 s and <= run.duration = {}", seconds_text(scenario.run.duration)),
        seconds_text(window));
  }
  return std::nullopt;
}

/// Checked after the groups.
Violation check_seed_group(const Scenario& scenario) {
  const WormSpec& worm = scenario.worm;
  if (worm.seed_group.empty()) return std::nullopt;
  const auto& groups = scenario.population.groups;
  const auto it = std::find_if(groups.begin(), groups.end(),
                               [&](const ManagementGroupSpec& g) { return g.name == worm.seed_group; });
  if (it == groups.end()) {
    std::vector<std::string> names;
    for (const auto& g : groups) names.push_back(quoted(g.name));
    return must("worm.seed_group",
                groups.empty() ? std::string("name a population.groups entry (the scenario has no groups)")
                               : fmt::format("name a population.groups entry ({})", fmt::join(names, ", ")),
                quoted(worm.seed_group));
  }
  const std::uint64_t seeds = worm.seed_addresses.empty() ? worm.initial_infected : worm.seed_addresses.size();
  if (it->count && *it->count < seeds) {
    return must("worm.seed_group",
                fmt::format("name a group with room for the {} seed hosts", seeds),
                fmt::format("{} ({} hosts)", quoted(worm.seed_group), *it->count));
  }
  return std::nullopt;
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
  // The largest TOML integer: a seed set in code must be writable back into a file.
  constexpr std::uint64_t kMaxSeed = 0x7fff'ffff'ffff'ffffULL;
  if (run.seed && *run.seed > kMaxSeed) {
    return must("run.seed", fmt::format("be at most {} (the largest TOML integer)", kMaxSeed),
                std::to_string(*run.seed));
  }
  return std::nullopt;
}

}  // namespace

std::optional<ScenarioViolation> find_violation(const Scenario& scenario) {
  if (auto v = check_name(scenario)) return v;
  if (auto v = check_address_space(scenario.address_space)) return v;
  if (auto v = check_population(scenario)) return v;
  if (auto v = check_types(scenario.population.types)) return v;
  if (auto v = check_placement(scenario.population.placement)) return v;
  if (auto v = check_worm(scenario)) return v;
  if (auto v = detail::find_capacity_violation(scenario)) return v;
  if (auto v = check_run(scenario.run)) return v;
  if (auto v = check_seed_window(scenario)) return v;
  if (auto v = find_patch_violation(scenario)) return v;
  return check_seed_group(scenario);
}

void validate(const Scenario& scenario, const std::string& where) {
  if (auto v = find_violation(scenario)) {
    throw InvalidScenario(fmt::format("{}: {}", where, v->message));
  }
}

std::uint64_t estimated_memory_bytes(const Scenario& scenario) {
  constexpr std::uint64_t kBytesPerHost = 48;  // the engine peaks at 42 (blaster-2003)
  constexpr std::uint64_t kFixedBytes = 4096;
  // Reported rows: the time, the global series, each group's series, each ring's count.
  std::uint64_t rows = kSeriesCount + 1 + scenario.population.groups.size() * kGroupSeriesCount;
  if (scenario.patching.enabled) {
    for (const auto& service : scenario.patching.services) {
      rows += std::max<std::uint64_t>(1, service.rings.size());
    }
  }
  const std::uint64_t bytes_per_point = rows * sizeof(double);
  const RunSpec& run = scenario.run;
  const bool times_usable = std::isfinite(run.duration) && std::isfinite(run.report_interval) &&
                            run.duration > 0 && run.report_interval > 0;
  const std::uint64_t points = times_usable ? reported_points(run) : 1;
  const std::uint64_t hosts = scenario.population.hosts;
  // Saturate rather than wrap: an absurd scenario must look huge, not small.
  if (hosts > UINT64_MAX / 2 / kBytesPerHost || points > UINT64_MAX / 2 / bytes_per_point) {
    return UINT64_MAX;
  }
  return hosts * kBytesPerHost + points * bytes_per_point + kFixedBytes;
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
