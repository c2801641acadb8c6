// The scenario echo of summary.json (see scenario_json.hpp). The TOML spellings of the enum
// settings are those of the loader's tables in scenario_toml.cpp.
#include "io/scenario_json.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace patchrace::detail {
namespace {

using json = nlohmann::ordered_json;  // keys in the order written

constexpr std::string_view kWeekdays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
constexpr std::string_view kExposureNames[] = {"internet", "internal", "nat"};

template <typename T>
json optional_json(const std::optional<T>& value) {
  return value ? json(*value) : json(nullptr);
}

const char* placement_kind_name(PlacementKind kind) {
  switch (kind) {
    case PlacementKind::kUniform:
      return "uniform";
    case PlacementKind::kClustered:
      return "clustered";
  }
  return "unknown";
}

const char* strategy_name(ScanStrategy strategy) {
  switch (strategy) {
    case ScanStrategy::kUniform:
      return "uniform";
    case ScanStrategy::kLocalPreference:
      return "local-preference";
    case ScanStrategy::kSequential:
      return "sequential";
    case ScanStrategy::kPermutation:
      return "permutation";
  }
  return "unknown";
}

const char* failure_outcome_name(FailureOutcome outcome) {
  switch (outcome) {
    case FailureOutcome::kNothing:
      return "nothing";
    case FailureOutcome::kCrash:
      return "crash";
  }
  return "unknown";
}

const char* seed_rule_name(SeedRule rule) {
  switch (rule) {
    case SeedRule::kRandom:
      return "random";
    case SeedRule::kLargestPrefixes:
      return "largest-prefixes";
  }
  return "unknown";
}

const char* policy_kind_name(PolicyKind kind) {
  switch (kind) {
    case PolicyKind::kSelf:
      return "self";
    case PolicyKind::kCentral:
      return "central";
    case PolicyKind::kNone:
      return "none";
  }
  return "unknown";
}

const char* adoption_kind_name(AdoptionKind kind) {
  switch (kind) {
    case AdoptionKind::kExponential:
      return "exponential";
    case AdoptionKind::kTwoPopulation:
      return "two-population";
    case AdoptionKind::kEmpirical:
      return "empirical";
  }
  return "unknown";
}

const char* priority_rule_name(PriorityRule rule) {
  switch (rule) {
    case PriorityRule::kScore:
      return "score";
    case PriorityRule::kExposureFirst:
      return "exposure-first";
    case PriorityRule::kCriticalityFirst:
      return "criticality-first";
    case PriorityRule::kRandom:
      return "random";
  }
  return "unknown";
}

/// Prefixes as CIDR text: ["10.0.0.0/8", ...].
json prefixes_json(const std::vector<Prefix>& prefixes) {
  json out = json::array();
  for (const Prefix& p : prefixes)
    out.push_back(fmt::format("{}/{}", format_address(p.base), p.length));
  return out;
}

/// {"internet": f, "internal": f, "nat": f}; a share missing from `exposure` is null.
json exposure_json(const std::vector<double>& exposure) {
  json out = json::object();
  for (std::size_t e = 0; e < std::size(kExposureNames); ++e) {
    out[std::string(kExposureNames[e])] = e < exposure.size() ? json(exposure[e]) : json(nullptr);
  }
  return out;
}

json groups_json(const std::vector<ManagementGroupSpec>& groups) {
  json out = json::array();
  for (const ManagementGroupSpec& group : groups) {
    out.push_back({{"name", group.name},
                   {"share", group.share},
                   {"count", optional_json(group.count)},
                   {"exposure", exposure_json(group.exposure)},
                   {"criticality", group.criticality}});
  }
  return out;
}

json population_json(const PopulationSpec& population) {
  json types = json::array();
  for (const HostTypeSpec& type : population.types) {
    types.push_back({{"name", type.name}, {"share", type.share}});
  }
  const PlacementSpec& placement = population.placement;
  json block_sizes = json::array();
  for (const BlockSizeSpec& size : placement.block_sizes) {
    block_sizes.push_back({{"prefix_length", size.prefix_length}, {"share", size.share}});
  }
  return {
      {"hosts", population.hosts},
      {"types", std::move(types)},
      {"placement",
       {{"kind", placement_kind_name(placement.kind)},
        {"allocated", prefixes_json(placement.allocated)},
        {"allocation_file", placement.allocation_file},
        {"block_sizes", std::move(block_sizes)},
        {"hosts_per_block_alpha", placement.hosts_per_block_alpha},
        {"min_hosts_per_block", placement.min_hosts_per_block}}},
      {"groups", groups_json(population.groups)},
  };
}

json worm_json(const WormSpec& worm) {
  json exploits = json::array();
  for (const ExploitSpec& exploit : worm.exploits) {
    exploits.push_back({{"type", exploit.type},
                        {"success", exploit.success},
                        {"on_failure", failure_outcome_name(exploit.on_failure)},
                        {"downtime", exploit.downtime}});
  }
  json links = json::array();
  for (const LinkClassSpec& link : worm.bandwidth.links) {
    links.push_back({{"share", link.share}, {"bits_per_second", link.bits_per_second}});
  }
  json seeds = json::array();
  for (std::uint32_t address : worm.seed_addresses) seeds.push_back(format_address(address));
  return {
      {"name", worm.name},
      {"strategy", strategy_name(worm.strategy)},
      {"scan_rate", worm.scan_rate},
      {"exploit_success", worm.exploit_success},
      {"exploits", std::move(exploits)},
      {"excluded", prefixes_json(worm.excluded)},
      {"local_preference",
       {{"same_slash8", worm.local_preference.same_slash8},
        {"same_slash16", worm.local_preference.same_slash16}}},
      {"sequential",
       {{"local_start", worm.sequential.local_start},
        {"local_backoff", worm.sequential.local_backoff},
        {"batch", worm.sequential.batch}}},
      {"permutation", {{"dormant_after", worm.permutation.dormant_after}}},
      {"bandwidth",
       {{"enabled", worm.bandwidth.enabled},
        {"probe_bytes", worm.bandwidth.probe_bytes},
        {"capacity", worm.bandwidth.capacity},
        {"links", std::move(links)}}},
      {"seed_rule", seed_rule_name(worm.seed_rule)},
      {"seed_window", worm.seed_window},
      {"initial_infected", worm.initial_infected},
      {"seed_addresses", std::move(seeds)},
      {"seed_group", worm.seed_group},
  };
}

/// A policy with every setting of every kind and curve (the loader reads only those of its
/// kind; the others are at their defaults).
json policy_json(const PatchPolicySpec& policy) {
  const AdoptionSpec& a = policy.adoption;
  json curve = json::array();
  for (const CurvePoint& point : a.curve) {
    curve.push_back(json::array({point.time, point.vulnerable}));
  }
  return {
      {"group", policy.group},
      {"kind", policy_kind_name(policy.kind)},
      {"adoption", adoption_kind_name(a.kind)},
      {"half_life", a.half_life},
      {"never_fraction", a.never_fraction},
      {"fast_share", a.fast_share},
      {"fast_half_life", a.fast_half_life},
      {"slow_half_life", a.slow_half_life},
      {"curve", std::move(curve)},
      {"news",
       {{"enabled", policy.news.enabled},
        {"after", optional_json(policy.news.after)},
        {"infected", optional_json(policy.news.infected)},
        {"factor", policy.news.factor}}},
      {"service", policy.service},
  };
}

json service_json(const PatchServiceSpec& service) {
  const WorkingHoursSpec& hours = service.working_hours;
  json rings = json::array();
  for (const RingSpec& ring : service.rings) {
    rings.push_back({{"name", ring.name}, {"share", ring.share}, {"qa_delay", ring.qa_delay}});
  }
  return {
      {"name", service.name},
      {"capacity", service.capacity},
      {"approval_delay", service.approval_delay},
      {"working_hours",
       hours.enabled ? json::array({format_time_of_day(hours.start), format_time_of_day(hours.end)})
                     : json(nullptr)},
      {"weekdays_only", hours.weekdays_only},
      {"priority",
       {{"rule", priority_rule_name(service.priority.rule)},
        {"weights",
         {{"importance", service.priority.importance_weight},
          {"exposure", service.priority.exposure_weight},
          {"criticality", service.priority.criticality_weight}}}}},
      {"min_score", service.min_score},
      {"rings", std::move(rings)},
  };
}

json patching_json(const PatchingSpec& patching) {
  json policies = json::array();
  for (const PatchPolicySpec& policy : patching.policies) policies.push_back(policy_json(policy));
  json services = json::array();
  for (const PatchServiceSpec& service : patching.services) {
    services.push_back(service_json(service));
  }
  const BadPatchSpec& bad = patching.bad_patch;
  return {
      {"enabled", patching.enabled},
      {"release", patching.release},
      {"half_life", patching.half_life},
      {"never_fraction", patching.never_fraction},
      {"cures_infected", patching.cures_infected},
      {"importance", patching.importance},
      {"policies", std::move(policies)},
      {"services", std::move(services)},
      {"bad_patch",
       {{"enabled", bad.enabled},
        {"probability", bad.probability},
        {"half_life", bad.half_life},
        {"outage", bad.outage},
        {"fix_release", optional_json(bad.fix_release)},
        {"repatch_mean", bad.repatch_mean}}},
  };
}

json cleanup_json(const CleanupSpec& cleanup) {
  json groups = json::object();
  for (const auto& [name, delay] : cleanup.group_mean_delay) groups[name] = delay;
  return {{"enabled", cleanup.enabled},
          {"mean_delay", cleanup.mean_delay},
          {"groups", std::move(groups)}};
}

/// "HH:MM" or "HH:MM:SS" of a whole number of seconds in [0, 1 d].
std::string clock_text(std::int64_t seconds) {
  const std::int64_t hours = seconds / 3600;
  const std::int64_t minutes = seconds % 3600 / 60;
  const std::int64_t rest = seconds % 60;
  if (rest == 0) return fmt::format("{:02}:{:02}", hours, minutes);
  return fmt::format("{:02}:{:02}:{:02}", hours, minutes, rest);
}

}  // namespace

std::string format_time_of_day(double seconds) {
  if (!std::isfinite(seconds)) return fmt::format("{}", seconds);
  const auto whole = static_cast<std::int64_t>(std::llround(seconds));
  if (whole < 0) return fmt::format("-{}", clock_text(-whole));
  return clock_text(whole);
}

std::string format_time_of_week(double seconds) {
  if (!std::isfinite(seconds)) return fmt::format("{}", seconds);
  constexpr std::int64_t kWeek = 7 * 86400;
  std::int64_t whole =
      static_cast<std::int64_t>(std::llround(std::fmod(seconds, static_cast<double>(kWeek))));
  whole = (whole % kWeek + kWeek) % kWeek;
  return fmt::format("{} {}", kWeekdays[whole / 86400], clock_text(whole % 86400));
}

nlohmann::ordered_json scenario_json(const Scenario& s) {
  return {
      {"name", s.name},
      {"description", s.description},
      {"address_space",
       {{"prefix", fmt::format("{}/{}", format_address(s.address_space.base),
                               s.address_space.prefix_length)}}},
      {"population", population_json(s.population)},
      {"worm", worm_json(s.worm)},
      {"patching", patching_json(s.patching)},
      {"cleanup", cleanup_json(s.cleanup)},
      {"run",
       {{"duration", s.run.duration},
        {"report_interval", s.run.report_interval},
        {"seed", optional_json(s.run.seed)},
        {"replicates", s.run.replicates},
        {"clock", format_time_of_week(s.run.clock)}}},
  };
}

}  // namespace patchrace::detail
