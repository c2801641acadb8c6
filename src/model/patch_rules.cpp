#include "model/patch_rules.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace patchrace::rules {
namespace {

constexpr std::size_t kMaxGroups = 100;  // the engine keeps a host's group in a byte

/// A finite number >= 0 ("must be a finite number >= 0").
Violation check_non_negative(const std::string& key, double value, const char* what) {
  if (!(std::isfinite(value) && value >= 0)) {
    return must(key, fmt::format("be a finite number >= 0 ({})", what), number_text(value));
  }
  return std::nullopt;
}

/// A share in (0, 1].
Violation check_share(const std::string& key, double value, const char* what) {
  if (!(value > 0 && value <= 1)) {
    return must(key, fmt::format("be in (0, 1] ({})", what), number_text(value));
  }
  return std::nullopt;
}

/// Names of a list of labelled entries: each a label, none twice.
template <typename Entry, typename NameOf>
Violation check_names(const std::string& list_key, const std::vector<Entry>& entries,
                      NameOf name_of) {
  std::unordered_map<std::string, std::size_t> first_index;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const std::string key = fmt::format("{}[{}].name", list_key, i);
    const std::string& name = name_of(entries[i]);
    if (auto v = check_label(key, name)) return v;
    const auto [it, inserted] = first_index.emplace(name, i);
    if (!inserted) {
      return must(key, fmt::format("be distinct from {}[{}].name", list_key, it->second),
                  fmt::format("{} again", quoted(name)));
    }
  }
  return std::nullopt;
}

Violation check_groups(const PopulationSpec& population) {
  const auto& groups = population.groups;
  if (groups.empty()) return std::nullopt;
  if (groups.size() > kMaxGroups) {
    return must("population.groups", fmt::format("have at most {} groups", kMaxGroups),
                fmt::format("{} groups", groups.size()));
  }
  if (auto v = check_names("population.groups", groups,
                           [](const ManagementGroupSpec& g) -> const std::string& { return g.name; })) {
    return v;
  }
  const bool counted = groups.front().count.has_value();
  double share_sum = 0;
  std::uint64_t count_sum = 0;
  for (std::size_t i = 0; i < groups.size(); ++i) {
    const ManagementGroupSpec& g = groups[i];
    const std::string key = fmt::format("population.groups[{}]", i);
    if (g.name == "all") {
      return must(key + ".name", "not be \"all\" (the name of the group of every host)",
                  quoted(g.name));
    }
    if (g.count.has_value() != counted) {
      return must(key, "give a count like population.groups[0] does, or a share like it does",
                  g.count ? "a count" : "a share");
    }
    if (counted) {
      count_sum += *g.count;
    } else {
      if (auto v = check_share(key + ".share", g.share, "a fraction of the hosts")) return v;
      share_sum += g.share;
    }
    if (g.exposure.size() != kExposureCount) {
      return must(key + ".exposure", "have a share for internet, internal and nat",
                  fmt::format("{} shares", g.exposure.size()));
    }
    double exposure_sum = 0;
    for (double share : g.exposure) {
      if (auto v = check_unit_interval(key + ".exposure", share, "a fraction of the group's hosts")) {
        return v;
      }
      exposure_sum += share;
    }
    if (auto v = check_share_sum(key + ".exposure", exposure_sum)) return v;
    if (auto v = check_positive(key + ".criticality", g.criticality, "(a relative weight)")) return v;
  }
  if (counted && count_sum != population.hosts) {
    return must("population.groups",
                fmt::format("have counts that sum to population.hosts = {}", population.hosts),
                fmt::format("a sum of {}", count_sum));
  }
  if (!counted) return check_share_sum("population.groups", share_sum);
  return std::nullopt;
}

Violation check_adoption(const std::string& key, const AdoptionSpec& a) {
  switch (a.kind) {
    case AdoptionKind::kExponential:
      if (auto v = check_positive_time(key + ".half_life", a.half_life)) return v;
      return check_unit_interval(key + ".never_fraction", a.never_fraction,
                                 "a fraction of the hosts");
    case AdoptionKind::kTwoPopulation:
      if (auto v = check_unit_interval(key + ".fast_share", a.fast_share, "a fraction of the hosts")) {
        return v;
      }
      if (auto v = check_positive_time(key + ".fast_half_life", a.fast_half_life)) return v;
      return check_non_negative_time(key + ".slow_half_life", a.slow_half_life);
    case AdoptionKind::kEmpirical: {
      if (a.curve.empty()) return must(key + ".curve", "have at least one point", "none");
      for (std::size_t i = 0; i < a.curve.size(); ++i) {
        const std::string point = fmt::format("{}.curve[{}]", key, i);
        const CurvePoint& p = a.curve[i];
        if (auto v = check_non_negative_time(point, p.time)) return v;
        if (auto v = check_unit_interval(point, p.vulnerable, "the fraction still vulnerable")) {
          return v;
        }
        if (i == 0) continue;
        const CurvePoint& q = a.curve[i - 1];
        if (!(p.time > q.time)) {
          return must(point,
                      fmt::format("come after the previous point's time {} (points sorted by time)",
                                  seconds_text(q.time)),
                      seconds_text(p.time));
        }
        if (!(p.vulnerable <= q.vulnerable)) {
          return must(point,
                      fmt::format("have a fraction still vulnerable <= the previous point's {} "
                                  "(the curve cannot rise)",
                                  number_text(q.vulnerable)),
                      number_text(p.vulnerable));
        }
      }
      return std::nullopt;
    }
  }
  return std::nullopt;
}

Violation check_news(const std::string& key, const NewsSpec& news) {
  if (!news.enabled) return std::nullopt;
  if (news.after.has_value() == news.infected.has_value()) {
    return must(key, "have exactly one trigger, 'after' or 'infected'",
                news.after ? "both" : "neither");
  }
  if (news.after) {
    if (auto v = check_non_negative_time(key + ".after", *news.after)) return v;
  }
  if (news.infected && *news.infected < 1) {
    return must(key + ".infected", "be >= 1 (hosts ever infected)", "0");
  }
  return check_positive(key + ".factor", news.factor, "(a hazard multiplier)");
}

Violation check_service(const std::string& key, const PatchServiceSpec& s) {
  if (auto v = check_positive(key + ".capacity", s.capacity, "hosts per day")) return v;
  if (auto v = check_non_negative_time(key + ".approval_delay", s.approval_delay)) return v;
  const WorkingHoursSpec& hours = s.working_hours;
  if (hours.enabled) {
    if (!(hours.start >= 0 && hours.start < kDay)) {
      return must(key + ".working_hours", "start in [00:00, 24:00)", seconds_text(hours.start));
    }
    if (!(hours.end > hours.start && hours.end <= kDay)) {
      return must(key + ".working_hours",
                  fmt::format("end after its start ({}) and no later than 24:00",
                              seconds_text(hours.start)),
                  seconds_text(hours.end));
    }
  }
  const PrioritySpec& p = s.priority;
  if (auto v = check_non_negative(key + ".priority.importance", p.importance_weight, "a score exponent")) return v;
  if (auto v = check_non_negative(key + ".priority.exposure", p.exposure_weight, "a score exponent")) return v;
  if (auto v = check_non_negative(key + ".priority.criticality", p.criticality_weight, "a score exponent")) return v;
  if (auto v = check_non_negative(key + ".min_score", s.min_score, "a priority score")) return v;
  if (s.rings.empty()) return std::nullopt;
  const std::string rings = key + ".rings";
  if (auto v = check_names(rings, s.rings, [](const RingSpec& r) -> const std::string& { return r.name; })) {
    return v;
  }
  double sum = 0;
  for (std::size_t i = 0; i < s.rings.size(); ++i) {
    const std::string ring = fmt::format("{}[{}]", rings, i);
    if (auto v = check_share(ring + ".share", s.rings[i].share, "a fraction of the service's hosts")) {
      return v;
    }
    if (auto v = check_non_negative_time(ring + ".qa_delay", s.rings[i].qa_delay)) return v;
    sum += s.rings[i].share;
  }
  return check_share_sum(rings, sum);
}

Violation check_bad_patch(const BadPatchSpec& bad) {
  if (!bad.enabled) return std::nullopt;
  const std::string key = "patching.bad_patch";
  if (auto v = check_unit_interval(key + ".probability", bad.probability, "a probability")) return v;
  if (auto v = check_positive_time(key + ".half_life", bad.half_life)) return v;
  if (auto v = check_positive_time(key + ".outage", bad.outage)) return v;
  if (bad.fix_release) {
    if (auto v = check_non_negative_time(key + ".fix_release", *bad.fix_release)) return v;
  }
  return check_positive_time(key + ".repatch_mean", bad.repatch_mean);
}

/// Names of the management groups ("all" without population.groups).
std::vector<std::string> group_names(const PopulationSpec& population) {
  if (population.groups.empty()) return {"all"};
  std::vector<std::string> names;
  for (const auto& g : population.groups) names.push_back(g.name);
  return names;
}

std::string names_text(const std::vector<std::string>& names) {
  std::vector<std::string> q;
  for (const auto& n : names) q.push_back(quoted(n));
  return fmt::format("{}", fmt::join(q, ", "));
}

Violation check_patching(const Scenario& scenario) {
  const PatchingSpec& patching = scenario.patching;
  if (!patching.enabled) return std::nullopt;
  if (!std::isfinite(patching.release)) {
    return must("patching.release", "be a finite time in s", seconds_text(patching.release));
  }
  if (auto v = check_positive("patching.importance", patching.importance, "(a score factor)")) return v;
  if (auto v = check_names("patching.services", patching.services,
                           [](const PatchServiceSpec& s) -> const std::string& { return s.name; })) {
    return v;
  }
  for (std::size_t i = 0; i < patching.services.size(); ++i) {
    if (auto v = check_service(fmt::format("patching.services[{}]", i), patching.services[i])) return v;
  }
  if (auto v = check_bad_patch(patching.bad_patch)) return v;
  if (patching.policies.empty()) {
    if (auto v = check_positive_time("patching.half_life", patching.half_life)) return v;
    return check_unit_interval("patching.never_fraction", patching.never_fraction,
                               "a fraction of the hosts");
  }
  const std::vector<std::string> groups = group_names(scenario.population);
  std::unordered_map<std::string, std::size_t> policy_of;
  for (std::size_t i = 0; i < patching.policies.size(); ++i) {
    const PatchPolicySpec& p = patching.policies[i];
    const std::string key = fmt::format("patching.policies[{}]", i);
    if (std::find(groups.begin(), groups.end(), p.group) == groups.end()) {
      return must(key + ".group", fmt::format("name a management group ({})", names_text(groups)),
                  quoted(p.group));
    }
    const auto [it, inserted] = policy_of.emplace(p.group, i);
    if (!inserted) {
      return must(key + ".group",
                  fmt::format("name a group without a policy (patching.policies[{}] has {})",
                              it->second, quoted(p.group)),
                  fmt::format("{} again", quoted(p.group)));
    }
    if (p.kind == PolicyKind::kSelf) {
      if (auto v = check_adoption(key, p.adoption)) return v;
      if (auto v = check_news(key + ".news", p.news)) return v;
    } else if (p.kind == PolicyKind::kCentral) {
      const auto& services = patching.services;
      const bool known = std::any_of(services.begin(), services.end(),
                                     [&](const PatchServiceSpec& s) { return s.name == p.service; });
      if (!known) {
        std::vector<std::string> names;
        for (const auto& s : services) names.push_back(s.name);
        return must(key + ".service",
                    names.empty() ? std::string("name a patching.services entry (there is none)")
                                  : fmt::format("name a patching.services entry ({})", names_text(names)),
                    quoted(p.service));
      }
    }
  }
  for (const auto& g : groups) {
    if (!policy_of.contains(g)) {
      return must("patching.policies", "give every management group a policy",
                  fmt::format("none for group {}", quoted(g)));
    }
  }
  return std::nullopt;
}

Violation check_cleanup(const Scenario& scenario) {
  const CleanupSpec& cleanup = scenario.cleanup;
  if (!cleanup.enabled) return std::nullopt;
  if (auto v = check_positive_time("cleanup.mean_delay", cleanup.mean_delay)) return v;
  const std::vector<std::string> groups = group_names(scenario.population);
  for (const auto& [group, delay] : cleanup.group_mean_delay) {
    const std::string key = fmt::format("cleanup.groups.{}", group);
    if (std::find(groups.begin(), groups.end(), group) == groups.end()) {
      return must("cleanup.groups", fmt::format("name management groups ({})", names_text(groups)),
                  quoted(group));
    }
    if (auto v = check_positive_time(key, delay)) return v;
  }
  return std::nullopt;
}

}  // namespace

Violation find_patch_violation(const Scenario& scenario) {
  if (auto v = check_groups(scenario.population)) return v;
  if (auto v = check_patching(scenario)) return v;
  if (auto v = check_cleanup(scenario)) return v;
  const double clock = scenario.run.clock;
  if (!(clock >= 0 && clock < 7 * kDay)) {
    return must("run.clock", "be a time of week in [Mon 00:00, Sun 24:00)", seconds_text(clock));
  }
  return std::nullopt;
}

}  // namespace patchrace::rules
