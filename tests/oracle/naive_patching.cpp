#include "oracle/naive_patching.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <stdexcept>
#include <utility>
#include <vector>

#include "base/samplers.hpp"

namespace patchrace::testing {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

/// Slack for a slot that ends exactly at the close of working hours: an end that
/// overshoots the close by rounding alone still counts as at the close.
constexpr double kClockSlack = 1e-6;  // seconds

void require(bool ok, const std::string& what) {
  if (!ok) throw std::invalid_argument("naive_simulate: " + what);
}

bool in_unit_interval(double x) { return x >= 0.0 && x <= 1.0; }
bool sums_to_one(double sum) { return std::abs(sum - 1.0) <= 1e-9; }

void check_adoption(const AdoptionSpec& a) {
  switch (a.kind) {
    case AdoptionKind::kExponential:
      require(a.half_life > 0.0, "adoption half_life must be > 0");
      require(in_unit_interval(a.never_fraction), "adoption never_fraction outside [0, 1]");
      return;
    case AdoptionKind::kTwoPopulation:
      require(in_unit_interval(a.fast_share), "fast_share outside [0, 1]");
      require(a.fast_half_life > 0.0 && a.slow_half_life >= 0.0, "bad two-population half-lives");
      return;
    case AdoptionKind::kEmpirical:
      require(!a.curve.empty(), "an empirical curve needs a point");
      for (std::size_t i = 0; i < a.curve.size(); ++i) {
        require(a.curve[i].time >= 0.0 && in_unit_interval(a.curve[i].vulnerable), "bad empirical curve point");
        if (i > 0) {
          require(a.curve[i].time > a.curve[i - 1].time && a.curve[i].vulnerable <= a.curve[i - 1].vulnerable,
                  "empirical curve not increasing in time and non-increasing in vulnerable");
        }
      }
      return;
  }
}

void check_service(const PatchServiceSpec& s) {
  require(s.capacity > 0.0 && std::isfinite(s.capacity), "service capacity must be > 0");
  require(s.approval_delay >= 0.0, "approval_delay must be >= 0");
  if (s.working_hours.enabled) {
    require(s.working_hours.start >= 0.0 && s.working_hours.start < kDay && s.working_hours.end > s.working_hours.start &&
                s.working_hours.end <= kDay,
            "bad working hours");
  }
  require(s.priority.importance_weight >= 0.0 && s.priority.exposure_weight >= 0.0 &&
              s.priority.criticality_weight >= 0.0 && s.min_score >= 0.0,
          "priority weights and min_score must be >= 0");
  double sum = 0.0;
  for (const auto& r : s.rings) {
    require(r.share > 0.0 && r.share <= 1.0 && r.qa_delay >= 0.0, "bad ring");
    sum += r.share;
  }
  require(s.rings.empty() || sums_to_one(sum), "ring shares do not sum to 1");
}

std::vector<std::string> names_of_groups(const PopulationSpec& population) {
  std::vector<std::string> names;
  for (const auto& g : population.groups) names.push_back(g.name);
  if (names.empty()) names.emplace_back("all");
  return names;
}

}  // namespace

void check_patch_model(const Scenario& s) {
  const auto& groups = s.population.groups;
  if (!groups.empty()) {
    const bool counted = groups.front().count.has_value();
    double share_sum = 0.0;
    std::uint64_t count_sum = 0;
    for (const auto& g : groups) {
      require(g.count.has_value() == counted, "groups mix counts and shares");
      if (counted) {
        count_sum += *g.count;
      } else {
        require(g.share > 0.0 && g.share <= 1.0, "group share outside (0, 1]");
        share_sum += g.share;
      }
      require(g.exposure.size() == kExposureCount, "a group needs three exposure shares");
      double exposure_sum = 0.0;
      for (double e : g.exposure) {
        require(in_unit_interval(e), "exposure share outside [0, 1]");
        exposure_sum += e;
      }
      require(sums_to_one(exposure_sum), "exposure shares do not sum to 1");
      require(g.criticality > 0.0, "criticality must be > 0");
    }
    require(counted ? count_sum == s.population.hosts : sums_to_one(share_sum),
            "group counts or shares do not add up");
  }
  const std::vector<std::string> names = names_of_groups(s.population);
  const auto known_group = [&](const std::string& n) { return std::find(names.begin(), names.end(), n) != names.end(); };
  const PatchingSpec& p = s.patching;
  if (p.enabled) {
    require(std::isfinite(p.release), "release must be finite");
    require(p.importance > 0.0, "importance must be > 0");
    for (const auto& service : p.services) check_service(service);
    if (p.bad_patch.enabled) {
      const BadPatchSpec& b = p.bad_patch;
      require(in_unit_interval(b.probability), "bad patch probability outside [0, 1]");
      require(b.half_life > 0.0 && b.outage > 0.0 && b.repatch_mean > 0.0, "bad patch times must be > 0");
      require(!b.fix_release || *b.fix_release >= 0.0, "fix_release must be >= 0");
    }
    if (p.policies.empty()) {
      require(p.half_life > 0.0, "half_life must be > 0");
      require(in_unit_interval(p.never_fraction), "never_fraction outside [0, 1]");
    }
    for (const auto& name : names) {
      const auto n = std::count_if(p.policies.begin(), p.policies.end(), [&](const auto& q) { return q.group == name; });
      require(p.policies.empty() || n == 1, "group " + name + " needs exactly one policy");
    }
    for (const auto& policy : p.policies) {
      require(known_group(policy.group), "policy for unknown group " + policy.group);
      if (policy.kind == PolicyKind::kSelf) {
        check_adoption(policy.adoption);
        if (policy.news.enabled) {
          require(policy.news.after.has_value() != policy.news.infected.has_value(), "news needs exactly one trigger");
          require(!policy.news.after || *policy.news.after >= 0.0, "news.after must be >= 0");
          require(!policy.news.infected || *policy.news.infected >= 1, "news.infected must be >= 1");
          require(policy.news.factor > 0.0, "news factor must be > 0");
        }
      } else if (policy.kind == PolicyKind::kCentral) {
        require(std::any_of(p.services.begin(), p.services.end(), [&](const auto& x) { return x.name == policy.service; }),
                "policy names unknown service " + policy.service);
      }
    }
  }
  if (s.cleanup.enabled) {
    for (const auto& [group, delay] : s.cleanup.group_mean_delay) {
      require(known_group(group) && delay > 0.0, "bad cleanup group " + group);
    }
  }
  require(s.run.clock >= 0.0 && s.run.clock < 7.0 * kDay, "run.clock outside [0, 7 d)");
}

// --- Adoption classes ----------------------------------------------------------

AdoptionClass AdoptionClass::never() { return AdoptionClass{}; }

AdoptionClass AdoptionClass::exponential(double half_life) {
  if (!(half_life > 0.0)) throw std::invalid_argument("naive_simulate: adoption half-life must be > 0");
  AdoptionClass c;
  c.kind_ = Kind::kExponential;
  c.rate_ = std::log(2.0) / half_life;
  return c;
}

AdoptionClass AdoptionClass::empirical(std::vector<CurvePoint> curve) {
  if (curve.empty()) throw std::invalid_argument("naive_simulate: an empirical curve needs a point");
  AdoptionClass c;
  c.kind_ = Kind::kEmpirical;
  c.curve_.push_back(CurvePoint{0.0, 1.0});
  c.curve_.insert(c.curve_.end(), curve.begin(), curve.end());
  return c;
}

double AdoptionClass::unpatched(double age) const {
  if (age <= 0.0) return 1.0;
  switch (kind_) {
    case Kind::kNever:
      return 1.0;
    case Kind::kExponential:
      return std::exp(-rate_ * age);
    case Kind::kEmpirical:
      for (std::size_t k = 1; k < curve_.size(); ++k) {
        const CurvePoint& a = curve_[k - 1];
        const CurvePoint& b = curve_[k];
        if (age < b.time) return a.vulnerable + (b.vulnerable - a.vulnerable) * (age - a.time) / (b.time - a.time);
      }
      return curve_.back().vulnerable;
  }
  return 1.0;
}

double AdoptionClass::hazard(double age) const {
  if (age <= 0.0) return 0.0;
  if (kind_ == Kind::kExponential) return rate_ * age;  // exact, no exp/log round trip
  const double v = unpatched(age);
  return v > 0.0 ? -std::log(v) : kInf;
}

std::optional<double> AdoptionClass::age_at(double budget) const {
  if (budget <= 0.0) return kind_ == Kind::kNever ? std::nullopt : std::optional<double>(0.0);
  switch (kind_) {
    case Kind::kNever:
      return std::nullopt;
    case Kind::kExponential:
      return budget / rate_;
    case Kind::kEmpirical: {
      // The first age where v falls to exp(-budget): walk the segments.
      const double target = std::exp(-budget);
      for (std::size_t k = 1; k < curve_.size(); ++k) {
        const CurvePoint& a = curve_[k - 1];
        const CurvePoint& b = curve_[k];
        if (b.vulnerable <= target) {
          if (a.vulnerable <= target) return a.time;
          return a.time + (a.vulnerable - target) / (a.vulnerable - b.vulnerable) * (b.time - a.time);
        }
      }
      return std::nullopt;  // flat after the last point, still above the target
    }
  }
  return std::nullopt;
}

std::optional<double> AdoptionClass::age_with_news(double budget, double trigger_age, double factor) const {
  if (kind_ == Kind::kNever) return std::nullopt;
  const double tau = std::max(trigger_age, 0.0);
  const double spent = hazard(tau);
  const std::optional<double> age = age_at(spent + (budget - spent) / factor);
  if (!age) return std::nullopt;
  return std::max(*age, tau);
}

AdoptionClasses adoption_classes(const AdoptionSpec& a) {
  switch (a.kind) {
    case AdoptionKind::kExponential:
      return {{AdoptionClass::never(), AdoptionClass::exponential(a.half_life)},
              {a.never_fraction, 1.0 - a.never_fraction}};
    case AdoptionKind::kTwoPopulation:
      return {{AdoptionClass::exponential(a.fast_half_life),
               a.slow_half_life > 0.0 ? AdoptionClass::exponential(a.slow_half_life) : AdoptionClass::never()},
              {a.fast_share, 1.0 - a.fast_share}};
    case AdoptionKind::kEmpirical:
      return {{AdoptionClass::empirical(a.curve)}, {1.0}};
  }
  return {};
}

// --- Working hours -------------------------------------------------------------

WorkingClock::WorkingClock(const WorkingHoursSpec& hours, double week_clock) : hours_(hours), week_clock_(week_clock) {}

namespace {

/// Day of the week of day number d (day 0 starts Monday 00:00 of the clock's week): 0 = Monday.
int weekday(double d) {
  const auto n = static_cast<long long>(d);
  return static_cast<int>(((n % 7) + 7) % 7);
}

}  // namespace

double WorkingClock::day_length() const { return hours_.enabled ? hours_.end - hours_.start : kDay; }

double WorkingClock::advance(double t, double work) const {
  if (!hours_.enabled) return t + work;
  double remaining = work;
  double now = t;
  // Day by day from the one holding t: [open, close] of each working day, in run time.
  for (double d = std::floor((week_clock_ + t) / kDay);; d += 1.0) {
    if (hours_.weekdays_only && weekday(d) >= 5) continue;
    const double open = d * kDay + hours_.start - week_clock_;
    const double close = d * kDay + hours_.end - week_clock_;
    if (close <= now) continue;
    const double from = std::max(now, open);
    if (from + remaining <= close + kClockSlack) return std::min(from + remaining, close);
    remaining -= close - from;
    now = close;
  }
}

// --- Bad patch, groups, priority -----------------------------------------------

double break_probability(const BadPatchSpec& bad, double age) {
  if (!bad.enabled) return 0.0;
  if (bad.fix_release && age >= *bad.fix_release) return 0.0;
  return bad.probability * std::exp2(-age / bad.half_life);
}

std::vector<std::uint32_t> draw_groups(const PopulationSpec& population, std::uint64_t hosts, detail::Rng& rng) {
  std::vector<std::uint32_t> group(hosts, 0);
  const auto& groups = population.groups;
  if (groups.size() <= 1) return group;
  if (groups.front().count) {
    // Exactly the counts, in a uniformly random order (full Fisher–Yates).
    std::size_t i = 0;
    for (std::uint32_t g = 0; g < groups.size(); ++g) {
      for (std::uint64_t k = 0; k < *groups[g].count; ++k) group.at(i++) = g;
    }
    if (i != hosts) throw std::invalid_argument("naive_simulate: group counts do not sum to population.hosts");
    for (std::size_t k = 0; k + 1 < group.size(); ++k) {
      std::swap(group[k], group[k + detail::sample_index(rng, group.size() - k)]);
    }
    return group;
  }
  for (auto& g : group) {
    const double u = rng.uniform();
    double cumulative = 0.0;
    g = static_cast<std::uint32_t>(groups.size() - 1);  // the last absorbs rounding
    for (std::uint32_t k = 0; k < groups.size(); ++k) {
      cumulative += groups[k].share;
      if (u < cumulative) {
        g = k;
        break;
      }
    }
  }
  return group;
}

Exposure draw_exposure(const ManagementGroupSpec& group, detail::Rng& rng) {
  const double u = rng.uniform();
  double cumulative = 0.0;
  for (int e = 0; e < kExposureCount; ++e) {
    cumulative += group.exposure[static_cast<std::size_t>(e)];
    if (u < cumulative) return static_cast<Exposure>(e);
  }
  for (int e = kExposureCount - 1; e >= 0; --e) {  // rounding: the last exposure with a share
    if (group.exposure[static_cast<std::size_t>(e)] > 0.0) return static_cast<Exposure>(e);
  }
  return Exposure::kInternet;
}

int exposure_value(Exposure e) {
  switch (e) {
    case Exposure::kInternet: return 3;
    case Exposure::kInternal: return 2;
    case Exposure::kNat: return 1;
  }
  return 1;
}

double priority_score(const PrioritySpec& p, double importance, const ServiceHost& h) {
  return std::pow(importance, p.importance_weight) * std::pow(static_cast<double>(h.exposure), p.exposure_weight) *
         std::pow(h.criticality, p.criticality_weight);
}

std::vector<std::vector<std::uint32_t>> plan_rings(const PatchServiceSpec& service, double importance,
                                                   std::vector<ServiceHost> hosts, detail::Rng& rng) {
  std::erase_if(hosts, [&](const ServiceHost& h) { return priority_score(service.priority, importance, h) < service.min_score; });
  for (std::size_t k = 0; k + 1 < hosts.size(); ++k) {
    std::swap(hosts[k], hosts[k + detail::sample_index(rng, hosts.size() - k)]);
  }
  const std::size_t n = hosts.size();
  const std::size_t ring_count = std::max<std::size_t>(1, service.rings.size());
  std::vector<std::vector<std::uint32_t>> rings(ring_count);
  double cumulative = 0.0;
  std::size_t begin = 0;
  for (std::size_t r = 0; r < ring_count; ++r) {
    std::size_t end = n;
    if (r + 1 < ring_count) {
      cumulative += service.rings[r].share;
      end = std::clamp(static_cast<std::size_t>(std::round(cumulative * static_cast<double>(n))), begin, n);
    }
    // Priority keys, highest first; a random word breaks ties.
    struct Keyed {
      double first, second;
      std::uint64_t tie;
      std::uint32_t host;
    };
    std::vector<Keyed> keyed;
    for (std::size_t i = begin; i < end; ++i) {
      const ServiceHost& h = hosts[i];
      const auto e = static_cast<double>(h.exposure);
      Keyed k{0.0, 0.0, rng.next_u64(), h.host};
      switch (service.priority.rule) {
        case PriorityRule::kScore: k.first = priority_score(service.priority, importance, h); break;
        case PriorityRule::kExposureFirst: k.first = e, k.second = h.criticality; break;
        case PriorityRule::kCriticalityFirst: k.first = h.criticality, k.second = e; break;
        case PriorityRule::kRandom: break;
      }
      keyed.push_back(k);
    }
    std::sort(keyed.begin(), keyed.end(), [](const Keyed& a, const Keyed& b) {
      if (a.first != b.first) return a.first > b.first;
      if (a.second != b.second) return a.second > b.second;
      if (a.tie != b.tie) return a.tie < b.tie;
      return a.host < b.host;
    });
    for (const Keyed& k : keyed) rings[r].push_back(k.host);
    begin = end;
  }
  return rings;
}

// --- The plan ------------------------------------------------------------------

namespace {

/// The groups and their policies, cleanup rates and exposure shares.
std::vector<GroupPlan> plan_groups(const Scenario& s) {
  const PatchingSpec& p = s.patching;
  const auto& specs = s.population.groups;
  std::vector<GroupPlan> groups(std::max<std::size_t>(1, specs.size()));
  for (std::size_t g = 0; g < groups.size(); ++g) {
    GroupPlan& group = groups[g];
    if (!specs.empty()) {
      group.name = specs[g].name;
      group.criticality = specs[g].criticality;
    } else {
      group.name = "all";
    }
    if (p.enabled && p.policies.empty()) {
      AdoptionSpec shorthand;  // patching.half_life and never_fraction
      shorthand.kind = AdoptionKind::kExponential;
      shorthand.half_life = p.half_life;
      shorthand.never_fraction = p.never_fraction;
      group.policy = PolicyKind::kSelf;
      group.adoption = adoption_classes(shorthand);
    }
    for (const auto& policy : p.enabled ? p.policies : std::vector<PatchPolicySpec>{}) {
      if (policy.group != group.name) continue;
      group.policy = policy.kind;
      if (policy.kind == PolicyKind::kSelf) {
        group.adoption = adoption_classes(policy.adoption);
        group.news = policy.news;
      } else if (policy.kind == PolicyKind::kCentral) {
        for (std::size_t k = 0; k < p.services.size(); ++k) {
          if (p.services[k].name == policy.service) group.service = static_cast<int>(k);
        }
      }
    }
    double mean_delay = s.cleanup.mean_delay;
    for (const auto& [name, delay] : s.cleanup.group_mean_delay) {
      if (name == group.name) mean_delay = delay;
    }
    group.cleanup_rate = 1.0 / mean_delay;
  }
  return groups;
}

std::size_t pick_class(const std::vector<double>& probabilities, double u) {
  double cumulative = 0.0;
  for (std::size_t c = 0; c < probabilities.size(); ++c) {
    cumulative += probabilities[c];
    if (u < cumulative) return c;
  }
  return probabilities.size() - 1;  // rounding
}

}  // namespace

PatchPlan plan_patches(const Scenario& s, std::uint64_t hosts, std::size_t explicit_seeds, detail::Rng& rng) {
  PatchPlan plan;
  plan.groups = plan_groups(s);
  plan.hosts.resize(hosts);
  const double release = s.patching.release;
  const std::vector<std::uint32_t> group_of = draw_groups(s.population, hosts, rng);
  for (std::size_t i = 0; i < hosts; ++i) {
    HostPlan& h = plan.hosts[i];
    h.group = group_of[i];
    const GroupPlan& group = plan.groups[h.group];
    if (!s.population.groups.empty()) h.exposure = draw_exposure(s.population.groups[h.group], rng);
    if (group.policy != PolicyKind::kSelf) continue;
    h.adoption_class = pick_class(group.adoption.probabilities, rng.uniform());
    const AdoptionClass& cls = group.adoption.classes[h.adoption_class];
    h.budget = detail::sample_exponential(rng, 1.0);
    std::optional<double> age = cls.age_at(h.budget);
    if (i < explicit_seeds && age && release + *age < 0.0) {
      // A seed is unpatched at t = 0: its curve given no patch before then.
      h.budget = cls.hazard(-release) + detail::sample_exponential(rng, 1.0);
      age = cls.age_at(h.budget);
      if (age) age = std::max(*age, -release);
    }
    h.patch_time = age ? release + *age : kInf;
  }
  if (!s.patching.enabled) return plan;
  for (std::size_t k = 0; k < s.patching.services.size(); ++k) {
    std::vector<ServiceHost> members;
    for (std::uint32_t i = 0; i < hosts; ++i) {
      const HostPlan& h = plan.hosts[i];
      const GroupPlan& group = plan.groups[h.group];
      if (group.policy != PolicyKind::kCentral || group.service != static_cast<int>(k)) continue;
      members.push_back(ServiceHost{i, exposure_value(h.exposure), group.criticality});
    }
    plan.rings.push_back(plan_rings(s.patching.services[k], s.patching.importance, std::move(members), rng));
  }
  return plan;
}

// --- Central service -----------------------------------------------------------

NaiveService::NaiveService(const PatchServiceSpec& spec, double release, double week_clock,
                           std::vector<std::vector<std::uint32_t>> rings, Hooks hooks)
    : spec_(spec),
      release_(release),
      clock_(spec.working_hours, week_clock),
      slot_work_(clock_.day_length() / spec.capacity),
      rings_(std::move(rings)),
      pointer_(rings_.size(), 0),
      ring_last_patch_(rings_.size(), 0.0),
      hooks_(std::move(hooks)) {
  if (rings_.empty()) throw std::invalid_argument("naive_simulate: a service needs a ring");
  for (std::size_t r = 0; r < rings_.size(); ++r) {
    for (std::uint32_t h : rings_[r]) ring_of_[h] = r;
  }
}

void NaiveService::start() {
  phase_ = Phase::kWaiting;
  current_ = 0;
  next_start_ = release_ + spec_.approval_delay;
  hooks_.wake_at(next_start_);
}

bool NaiveService::ring_has_host(std::size_t r, double t) {
  const auto& ring = rings_[r];
  while (pointer_[r] < ring.size() && !hooks_.needs_patch(ring[pointer_[r]], t)) {
    passed_over_.push_back(ring[pointer_[r]]);
    ++pointer_[r];
  }
  return pointer_[r] < ring.size();
}

bool NaiveService::has_work(double t) {
  for (std::uint32_t h : requeue_) {
    if (hooks_.needs_patch(h, t)) return true;
  }
  return phase_ == Phase::kRunning && ring_has_host(current_, t);
}

void NaiveService::finish_slot(double t) {
  std::optional<std::uint32_t> host;
  bool requeued = false;
  while (!requeue_.empty() && !host) {
    const std::uint32_t h = requeue_.front();
    requeue_.pop_front();
    if (hooks_.needs_patch(h, t)) {
      host = h;
      requeued = true;
    }
  }
  if (!host && phase_ == Phase::kRunning && ring_has_host(current_, t)) host = rings_[current_][pointer_[current_]++];
  if (host) {
    const std::size_t r = ring_of_.at(*host);
    if (!requeued) ring_last_patch_[r] = t;
    hooks_.apply(*host, t, r, requeued);
  }
  check_complete(t);
}

void NaiveService::check_complete(double t) {
  if (phase_ != Phase::kRunning || ring_has_host(current_, t)) return;
  const double completed = ring_last_patch_[current_];
  if (current_ + 1 == rings_.size()) {
    phase_ = Phase::kDone;
    return;
  }
  const double qa = spec_.rings.empty() ? 0.0 : spec_.rings[current_].qa_delay;
  ++current_;
  phase_ = Phase::kWaiting;
  next_start_ = std::max(t, completed + qa);
  hooks_.wake_at(next_start_);
}

void NaiveService::wake(double t) {
  for (;;) {
    bool changed = false;
    if (busy_ && slot_end_ <= t) {
      busy_ = false;
      finish_slot(slot_end_);
      changed = true;
    }
    if (phase_ == Phase::kWaiting && next_start_ <= t) {
      phase_ = Phase::kRunning;
      ring_last_patch_[current_] = next_start_;
      check_complete(t);  // complete at its start if none of its hosts needs the patch
      changed = true;
    }
    if (!busy_ && has_work(t)) {
      busy_ = true;
      slot_end_ = clock_.advance(t, slot_work_);
      hooks_.wake_at(slot_end_);
      changed = true;
    }
    if (!changed) return;
  }
}

void NaiveService::requeue(std::uint32_t host, double t) {
  requeue_.push_back(host);
  wake(t);
}

}  // namespace patchrace::testing
