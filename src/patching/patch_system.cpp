#include "patching/patch_system.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <utility>

#include "base/samplers.hpp"

namespace patchrace::detail {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();
constexpr double kExposureScore[kExposureCount] = {3.0, 2.0, 1.0};  // internet, internal, NAT

/// Index drawn with probabilities `shares` (summing to 1; the last takes the rest).
int sample_share(Rng& rng, const std::vector<double>& shares) {
  double u = rng.uniform();
  for (std::size_t i = 0; i + 1 < shares.size(); ++i) {
    if (u < shares[i]) return static_cast<int>(i);
    u -= shares[i];
  }
  return static_cast<int>(shares.size()) - 1;
}

template <typename T>
void shuffle(std::vector<T>& v, Rng& rng) {
  for (std::size_t i = v.size(); i > 1; --i) {
    std::swap(v[i - 1], v[sample_index(rng, i)]);
  }
}

}  // namespace

PatchSystem::PatchSystem(const Scenario& scenario, std::uint32_t host_count, StreamKey key,
                         std::span<const std::uint32_t> seed_hosts)
    : scenario_(scenario),
      release_(scenario.patching.release),
      fix_time_(release_),
      repatch_rng_(key.stream(StreamPurpose::kBadPatch, kBadPatchRepatches)) {
  const BadPatchSpec& bad = scenario.patching.bad_patch;
  if (bad.enabled && bad.fix_release) fix_time_ = release_ + *bad.fix_release;
  assign_groups(scenario, host_count, key, seed_hosts);
  if (scenario.patching.enabled) {
    build_classes(scenario, host_count, key);
    build_services(scenario, host_count, key);
    for (int g = 0; g < group_count_; ++g) {
      const NewsSpec& news = groups_[g].news;
      if (!news.enabled) continue;
      if (news.after) timed_.push(Timed{*news.after, static_cast<std::uint32_t>(g), kNewsDue});
      if (news.infected) next_count_trigger_ = std::min(next_count_trigger_, *news.infected);
    }
  }
  update_next_time();
}

void PatchSystem::assign_groups(const Scenario& scenario, std::uint32_t host_count, StreamKey key,
                                std::span<const std::uint32_t> seed_hosts) {
  Rng placement = key.stream(StreamPurpose::kGroup);
  const auto& specs = scenario.population.groups;
  group_count_ = specs.empty() ? 1 : static_cast<int>(specs.size());
  groups_.assign(group_count_, Group{});
  group_size_.assign(group_count_, 0);
  if (specs.empty()) {
    group_size_[0] = host_count;
    return;
  }
  group_.assign(host_count, 0);
  if (specs.front().count) {
    // Exact counts: a uniformly random assignment.
    std::vector<std::uint32_t> hosts(host_count);
    std::iota(hosts.begin(), hosts.end(), 0u);
    shuffle(hosts, placement);
    std::size_t i = 0;
    for (int g = 0; g < group_count_; ++g) {
      for (std::uint64_t k = 0; k < *specs[g].count; ++k) group_[hosts[i++]] = static_cast<std::uint8_t>(g);
    }
  } else {
    std::vector<double> shares;
    for (const auto& g : specs) shares.push_back(g.share);
    for (std::uint32_t h = 0; h < host_count; ++h) {
      group_[h] = static_cast<std::uint8_t>(sample_share(placement, shares));
    }
  }
  place_seeds_in_group(scenario, seed_hosts);
  for (std::uint32_t h = 0; h < host_count; ++h) ++group_size_[group_[h]];
}

void PatchSystem::place_seeds_in_group(const Scenario& scenario, std::span<const std::uint32_t> seed_hosts) {
  const auto& specs = scenario.population.groups;
  const std::string& name = scenario.worm.seed_group;
  if (name.empty()) return;
  seed_group_ = static_cast<int>(
      std::find_if(specs.begin(), specs.end(), [&](const ManagementGroupSpec& g) { return g.name == name; }) -
      specs.begin());
  if (seed_hosts.empty()) return;
  const auto target = static_cast<std::uint8_t>(seed_group_);
  if (!specs.front().count) {
    for (std::uint32_t h : seed_hosts) group_[h] = target;
    return;
  }
  // Exact counts: each seed outside the group trades places with the first host of
  // the group (in host order) that is not a seed, so every count stays exact.
  std::vector<bool> is_seed(group_.size(), false);
  for (std::uint32_t h : seed_hosts) is_seed[h] = true;
  std::uint32_t next = 0;
  for (std::uint32_t h : seed_hosts) {
    if (group_[h] == target) continue;
    while (group_[next] != target || is_seed[next]) ++next;  // the rules leave room
    std::swap(group_[h], group_[next]);
  }
}

void PatchSystem::build_classes(const Scenario& scenario, std::uint32_t host_count, StreamKey key) {
  const PatchingSpec& patching = scenario.patching;
  const std::vector<std::string> names = [&] {
    std::vector<std::string> n;
    for (const auto& g : scenario.population.groups) n.push_back(g.name);
    if (n.empty()) n.emplace_back("all");
    return n;
  }();
  // Each group's policy, and its classes as (curve, share of the group's hosts).
  std::vector<std::vector<std::pair<HazardCurve, double>>> curves(group_count_);
  for (int g = 0; g < group_count_; ++g) {
    PatchPolicySpec policy;
    if (patching.policies.empty()) {
      policy.kind = PolicyKind::kSelf;
      policy.adoption.half_life = patching.half_life;
      policy.adoption.never_fraction = patching.never_fraction;
    } else {
      policy = *std::find_if(patching.policies.begin(), patching.policies.end(),
                             [&](const PatchPolicySpec& p) { return p.group == names[g]; });
    }
    Group& group = groups_[g];
    group.kind = policy.kind;
    if (policy.kind == PolicyKind::kCentral) {
      const auto& services = patching.services;
      group.service = static_cast<int>(
          std::find_if(services.begin(), services.end(),
                       [&](const PatchServiceSpec& s) { return s.name == policy.service; }) -
          services.begin());
    }
    if (policy.kind != PolicyKind::kSelf) continue;
    group.news = policy.news;
    const AdoptionSpec& a = policy.adoption;
    const double ln2 = std::log(2.0);
    switch (a.kind) {
      case AdoptionKind::kExponential:
        curves[g].emplace_back(HazardCurve::exponential(ln2 / a.half_life), 1.0 - a.never_fraction);
        break;
      case AdoptionKind::kTwoPopulation:
        curves[g].emplace_back(HazardCurve::exponential(ln2 / a.fast_half_life), a.fast_share);
        if (a.slow_half_life > 0.0) {
          curves[g].emplace_back(HazardCurve::exponential(ln2 / a.slow_half_life), 1.0 - a.fast_share);
        }
        break;
      case AdoptionKind::kEmpirical:
        curves[g].emplace_back(HazardCurve::empirical(a.curve), 1.0);
        break;
    }
  }
  // Each self-patching host joins one class of its group, or none (never patches).
  std::vector<int> first_class(group_count_, 0);
  int total = 0;
  for (int g = 0; g < group_count_; ++g) {
    first_class[g] = total;
    total += static_cast<int>(curves[g].size());
  }
  // Each host's class first (one byte a host, kNoClass: never patches), so that the
  // member lists are allocated at their exact sizes.
  constexpr std::uint8_t kNoClass = 0xff;
  std::vector<std::uint8_t> class_of(host_count, kNoClass);
  std::vector<std::size_t> sizes(total, 0);
  std::vector<Rng> class_choice;  // per group
  for (int g = 0; g < group_count_; ++g) class_choice.push_back(key.stream(StreamPurpose::kPatchClass, g));
  for (std::uint32_t h = 0; h < host_count; ++h) {
    const int g = group_of(h);
    const auto& c = curves[g];
    if (c.empty()) continue;
    double u = c.size() == 1 && c[0].second == 1.0 ? 0.0 : class_choice[g].uniform();
    for (std::size_t k = 0; k < c.size(); ++k) {
      if (u < c[k].second) {
        class_of[h] = static_cast<std::uint8_t>(first_class[g] + static_cast<int>(k));
        ++sizes[class_of[h]];
        break;
      }
      u -= c[k].second;
    }
  }
  std::vector<std::vector<std::uint32_t>> members(total);
  for (int c = 0; c < total; ++c) members[c].reserve(sizes[c]);
  for (std::uint32_t h = 0; h < host_count; ++h) {
    if (class_of[h] != kNoClass) members[class_of[h]].push_back(h);
  }
  class_of = {};
  for (int g = 0; g < group_count_; ++g) {
    for (std::size_t k = 0; k < curves[g].size(); ++k) {
      const int index = first_class[g] + static_cast<int>(k);
      Rng rng = key.stream(StreamPurpose::kSelfPatch, static_cast<std::uint64_t>(g) * 256 + k);
      shuffle(members[index], rng);
      groups_[g].classes.push_back(static_cast<int>(classes_.size()));
      classes_.emplace_back(std::move(curves[g][k].first), release_, std::move(members[index]), rng);
      class_group_.push_back(g);
    }
  }
}

void PatchSystem::build_services(const Scenario& scenario, std::uint32_t host_count, StreamKey key) {
  const PatchingSpec& patching = scenario.patching;
  const auto& group_specs = scenario.population.groups;
  if (patching.services.empty()) return;
  // Every host's exposure, in host order from its own stream, whichever services exist.
  std::vector<std::uint8_t> exposure_of(host_count);
  {
    Rng rng = key.stream(StreamPurpose::kExposure);
    const std::vector<double> all_internet{1.0, 0.0, 0.0};
    for (std::uint32_t h = 0; h < host_count; ++h) {
      const std::vector<double>& shares = group_specs.empty() ? all_internet : group_specs[group_of(h)].exposure;
      exposure_of[h] = static_cast<std::uint8_t>(sample_share(rng, shares));
    }
  }
  for (std::size_t s = 0; s < patching.services.size(); ++s) {
    const PatchServiceSpec& spec = patching.services[s];
    const PrioritySpec& priority = spec.priority;
    // 12 bytes a host while the order is built: float keys order the few distinct
    // scores exactly (equal scores come from equal inputs).
    struct Entry {
      float key1, key2;
      std::uint32_t host;
    };
    std::vector<Entry> entries;
    std::size_t members = 0;
    for (std::uint32_t h = 0; h < host_count; ++h) {
      const Group& group = groups_[group_of(h)];
      members += group.kind == PolicyKind::kCentral && group.service == static_cast<int>(s);
    }
    entries.reserve(members);
    for (std::uint32_t h = 0; h < host_count; ++h) {
      const int g = group_of(h);
      if (groups_[g].kind != PolicyKind::kCentral || groups_[g].service != static_cast<int>(s)) continue;
      const double criticality = group_specs.empty() ? 1.0 : group_specs[g].criticality;
      const double exposure = kExposureScore[exposure_of[h]];
      const double score = std::pow(patching.importance, priority.importance_weight) *
                           std::pow(exposure, priority.exposure_weight) *
                           std::pow(criticality, priority.criticality_weight);
      if (score < spec.min_score) continue;
      switch (priority.rule) {
        case PriorityRule::kScore: entries.push_back({float(score), 0.0f, h}); break;
        case PriorityRule::kExposureFirst: entries.push_back({float(exposure), float(criticality), h}); break;
        case PriorityRule::kCriticalityFirst: entries.push_back({float(criticality), float(exposure), h}); break;
        case PriorityRule::kRandom: entries.push_back({0.0f, 0.0f, h}); break;
      }
    }
    // Random order first: it decides the rings and breaks priority ties.
    Rng ties = key.stream(StreamPurpose::kServiceOrder, s);
    shuffle(entries, ties);
    const std::vector<RingSpec> rings =
        spec.rings.empty() ? std::vector<RingSpec>{RingSpec{"all", 1.0, 0.0}} : spec.rings;
    std::vector<std::size_t> ring_end;
    std::vector<double> qa;
    double cumulative = 0.0;
    std::size_t begin = 0;
    for (std::size_t r = 0; r < rings.size(); ++r) {
      cumulative += rings[r].share;
      const std::size_t end =
          r + 1 == rings.size()
              ? entries.size()
              : std::min(entries.size(), static_cast<std::size_t>(std::llround(cumulative * static_cast<double>(entries.size()))));
      std::stable_sort(entries.begin() + static_cast<std::ptrdiff_t>(begin),
                       entries.begin() + static_cast<std::ptrdiff_t>(std::max(begin, end)),
                       [](const Entry& a, const Entry& b) {
                         return a.key1 != b.key1 ? a.key1 > b.key1 : a.key2 > b.key2;
                       });
      begin = std::max(begin, end);
      ring_end.push_back(begin);
      qa.push_back(rings[r].qa_delay);
    }
    std::vector<std::uint32_t> order;
    order.reserve(entries.size());
    for (const Entry& e : entries) order.push_back(e.host);
    ring_base_.push_back(ring_count_);
    ring_count_ += static_cast<int>(rings.size());
    const WorkingClock clock(spec.working_hours, scenario.run.clock);
    const double per_host = clock.working_day() / spec.capacity;
    services_.emplace_back(std::move(order), std::move(ring_end), std::move(qa),
                           release_ + spec.approval_delay, per_host, clock);
  }
}

double PatchSystem::break_probability(double t) const {
  const BadPatchSpec& bad = scenario_.patching.bad_patch;
  if (!bad.enabled || bad.probability <= 0.0) return 0.0;
  if (bad.fix_release && t >= fix_time_) return 0.0;
  const double age = std::max(0.0, t - release_);
  return bad.probability * std::exp2(-age / bad.half_life);
}

void PatchSystem::broke(std::uint32_t host, double t) {
  timed_.push(Timed{t + scenario_.patching.bad_patch.outage, host, kRollbackDue});
  update_next_time();
}

void PatchSystem::rolled_back(std::uint32_t host, double t) {
  const Group& group = groups_[group_of(host)];
  const double available = std::max(t, fix_time_);
  if (group.kind == PolicyKind::kCentral) {
    timed_.push(Timed{available, host, kRequeueDue});
  } else if (group.kind == PolicyKind::kSelf) {
    const double delay = sample_exponential(repatch_rng_, 1.0 / scenario_.patching.bad_patch.repatch_mean);
    timed_.push(Timed{available + delay, host, kRepatchDue});
  }
  update_next_time();
}

void PatchSystem::fire_news(int group, double t) {
  Group& g = groups_[group];
  if (g.news_fired) return;
  g.news_fired = true;
  for (int c : g.classes) classes_[c].speed_up(t, g.news.factor);
}

void PatchSystem::infected_count(std::uint64_t count, double t) {
  next_count_trigger_ = UINT64_MAX;
  for (int g = 0; g < group_count_; ++g) {
    const NewsSpec& news = groups_[g].news;
    if (!news.enabled || !news.infected || groups_[g].news_fired) continue;
    if (count >= *news.infected) {
      fire_news(g, t);
    } else {
      next_count_trigger_ = std::min(next_count_trigger_, *news.infected);
    }
  }
  update_next_time();
}

void PatchSystem::release_deferred() {
  // All are re-queued at once: in host order.
  std::stable_sort(deferred_.begin(), deferred_.end(),
                   [](const auto& a, const auto& b) { return a.second < b.second; });
  for (const auto& [source, host] : deferred_) {
    if (source >= 0) {
      classes_[source].defer(host, 0.0);
    } else {
      services_[-1 - source].requeue(host, 0.0);
    }
  }
  deferred_.clear();
  deferred_.shrink_to_fit();
  update_next_time();
}

void PatchSystem::update_next_time() {
  next_time_ = kInfinity;
  due_ = -1;
  int index = 0;
  for (const SelfPatchClass& c : classes_) {
    if (c.next_time() < next_time_) {
      next_time_ = c.next_time();
      due_ = index;
    }
    ++index;
  }
  for (const PatchService& s : services_) {
    if (s.next_time() < next_time_) {
      next_time_ = s.next_time();
      due_ = index;
    }
    ++index;
  }
  if (!timed_.empty() && timed_.top().time < next_time_) {
    next_time_ = timed_.top().time;
    due_ = index;
  }
}

}  // namespace patchrace::detail
