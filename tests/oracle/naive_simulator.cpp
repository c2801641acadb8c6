#include "oracle/naive_simulator.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <queue>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "base/permutation.hpp"
#include "base/rng.hpp"
#include "base/samplers.hpp"
#include "oracle/naive_patching.hpp"

namespace patchrace::testing {
namespace {

using detail::Rng;
using detail::StreamPurpose;

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr std::uint32_t kNoHost = std::numeric_limits<std::uint32_t>::max();
// The permutation's key is the engine's (StreamPurpose::kSweeps, kPermutationKey): a
// replicate's walk order is part of the scenario's semantics, not of the sampling.

StreamPurpose test_stream(std::uint64_t offset) {
  return static_cast<StreamPurpose>(static_cast<std::uint64_t>(StreamPurpose::kTest) + offset);
}

enum class State { kS, kI, kP, kC };

/// Where a host stands for the reports: S (offline included), I unpatched, I patched,
/// P, C, or B (broken, whatever lies under it).
enum Category : int { kCatS = 0, kCatIu, kCatIp, kCatP, kCatC, kCatB, kCategoryCount };

struct Host {
  std::uint32_t address = 0;  // offset inside the space
  State state = State::kS;
  bool offline = false;       // crashed by a failed exploit, back online at a kRecover event
  bool broken = false;        // B: broken by the bad patch, until its kRollback
  bool patched = false;       // I only: patched without removing the worm ("I (patched)")
  bool scanning = false;      // I, not broken, not dormant
  bool cleanup_due = false;   // its cleanup fell due while broken: cleaned at the rollback
  bool explicit_seed = false; // in worm.seed_addresses
  bool adopted = false;       // self-patching: its adoption-curve patch has come
  std::uint32_t group = 0;
  Exposure exposure = Exposure::kInternet;
  int service = -1;              // central: index of its service
  std::size_t adoption_class = 0;  // self: index into its group's classes
  double budget = 0.0;           // self: unit-exponential hazard budget E
  double self_patch_time = kInf; // self: when its adoption-curve patch comes
  double broken_at = 0.0;        // B: since when
  double first_patched = kInf;   // first time it was P, I (patched) or C
  std::size_t type = 0;       // index into the exploit table
  std::size_t link = 0;       // link class (0 without bandwidth limits)
  std::uint32_t slot = 0;     // index in scanners_[link] while scanning
  // Deterministic scanners (sequential, permutation).
  double infected_at = 0.0;   // start of the current sweep
  std::uint64_t steps = 0;    // batches (sequential) or probes (permutation) sent
  std::uint64_t base = 0;     // sequential: offset of the sweep's base
  std::uint64_t position = 0; // permutation: current position of the walk
  std::uint32_t hits = 0;     // permutation: probes that reached an infected host
};

Category category(const Host& h) {
  if (h.broken) return kCatB;
  switch (h.state) {
    case State::kS: return kCatS;
    case State::kI: return h.patched ? kCatIp : kCatIu;
    case State::kP: return kCatP;
    case State::kC: return kCatC;
  }
  return kCatS;
}

bool is_patched(Category c) { return c == kCatIp || c == kCatP || c == kCatC; }

// Kinds in the order simultaneous events are handled.
enum class EventKind { kRecover, kRollback, kSeed, kNews, kRequeue, kPatch, kRepatch, kService, kCleanup, kScan };

struct Event {
  double time;
  EventKind kind;
  std::uint32_t host;  // the group for kNews, the service for kService
  bool operator>(const Event& o) const {
    if (time != o.time) return time > o.time;
    if (kind != o.kind) return kind > o.kind;
    return host > o.host;
  }
};

/// The effect of a failed exploit on one host type.
struct Exploit {
  double success = 1.0;
  bool crash = false;
  double downtime = 0.0;  // seconds
};

/// A management group: its plan and what happened to it.
struct Group {
  GroupPlan plan;
  bool news_done = false;
  std::vector<std::uint32_t> members;         // host indices, ascending
  std::uint64_t infected = 0, breaks = 0;
  double outage_seconds = 0.0;                // of outages already over
  double patched_at_start = 0.0;              // share
};

void require(bool ok, const std::string& what) {
  if (!ok) throw std::invalid_argument("naive_simulate: " + what);
}

bool shares_sum_to_one(double sum) { return std::abs(sum - 1.0) <= 1e-9; }

void check(const Scenario& s) {
  const std::uint64_t space = s.address_space.size();
  const WormSpec& w = s.worm;
  require(s.address_space.prefix_length >= 0 && s.address_space.prefix_length <= 32, "bad prefix length");
  require(space <= kNaiveMaxSpace, "address space larger than 2^24 addresses");
  require((s.address_space.base & (space - 1)) == 0, "address space base has host bits set");
  require(s.population.hosts >= 1 && s.population.hosts <= space, "need 1 <= hosts <= space");
  require(s.population.placement.kind == PlacementKind::kUniform, "only uniform placement is modelled");
  require(w.scan_rate > 0.0, "scan_rate must be > 0");
  require(w.exploit_success >= 0.0 && w.exploit_success <= 1.0, "exploit_success outside [0, 1]");
  require(s.run.duration > 0.0 && s.run.report_interval > 0.0, "duration and report_interval must be > 0");
  require(w.seed_addresses.size() <= s.population.hosts, "more seed addresses than hosts");
  require(w.seed_window >= 0.0, "seed_window must be >= 0");
  double type_sum = 0.0;
  for (const auto& t : s.population.types) {
    require(t.share >= 0.0 && t.share <= 1.0, "type share outside [0, 1]");
    type_sum += t.share;
  }
  require(s.population.types.empty() || shares_sum_to_one(type_sum), "type shares do not sum to 1");
  for (const auto& e : w.exploits) {
    require(e.success >= 0.0 && e.success <= 1.0, "exploit success outside [0, 1]");
    require(e.downtime > 0.0, "downtime must be > 0");
  }
  for (const auto& p : w.excluded) require(p.length >= 0 && p.length <= 32, "bad excluded prefix length");
  switch (w.strategy) {
    case ScanStrategy::kLocalPreference:
      require(w.local_preference.same_slash8 >= 0.0 && w.local_preference.same_slash16 >= 0.0 &&
                  w.local_preference.same_slash8 + w.local_preference.same_slash16 <= 1.0 + 1e-9,
              "bad local preference probabilities");
      break;
    case ScanStrategy::kSequential:
      require(w.sequential.local_start >= 0.0 && w.sequential.local_start <= 1.0, "local_start outside [0, 1]");
      require(w.sequential.local_backoff >= 1 && w.sequential.local_backoff <= 256, "local_backoff outside 1..256");
      require(w.sequential.batch >= 1, "batch must be >= 1");
      break;
    case ScanStrategy::kUniform:
    case ScanStrategy::kPermutation:
      break;
  }
  if (w.bandwidth.enabled) {
    require(w.bandwidth.probe_bytes > 0.0, "probe_bytes must be > 0");
    require(!w.bandwidth.links.empty(), "bandwidth needs a link class");
    double link_sum = 0.0;
    for (const auto& l : w.bandwidth.links) {
      require(l.share >= 0.0 && l.share <= 1.0 && l.bits_per_second > 0.0, "bad link class");
      link_sum += l.share;
    }
    require(shares_sum_to_one(link_sum), "link shares do not sum to 1");
    require(w.bandwidth.capacity >= 0.0, "capacity must be >= 0");
  }
  if (s.patching.enabled) {
    require(s.patching.half_life > 0.0, "half_life must be > 0");
    require(s.patching.never_fraction >= 0.0 && s.patching.never_fraction <= 1.0, "never_fraction outside [0, 1]");
  }
  if (s.cleanup.enabled) require(s.cleanup.mean_delay > 0.0, "mean_delay must be > 0");
}

// ceil(tenths / 10 · n) in exact integer arithmetic.
std::uint64_t ceil_fraction(std::uint64_t tenths, std::uint64_t n) { return (tenths * n + 9) / 10; }

/// Index drawn by cumulative shares (one uniform word); the last index absorbs rounding.
template <typename Item>
std::size_t pick_by_share(Rng& rng, const std::vector<Item>& items) {
  if (items.size() <= 1) return 0;
  const double u = rng.uniform();
  double cumulative = 0.0;
  for (std::size_t i = 0; i < items.size(); ++i) {
    cumulative += items[i].share;
    if (u < cumulative) return i;
  }
  return items.size() - 1;
}


class NaiveSimulator {
 public:
  NaiveSimulator(const Scenario& s, std::uint64_t seed, std::uint64_t replicate, NaiveTrace* trace)
      : s_(s),
        w_(s.worm),
        space_(s.address_space.size()),
        base_(s.address_space.base),
        trace_(trace),
        placement_rng_(seed, replicate, test_stream(1)),
        attribute_rng_(seed, replicate, test_stream(2)),
        rng_(seed, replicate, test_stream(3)),  // seeds, probes, scan starts, exploits, cleanup delays
        patch_plan_rng_(seed, replicate, test_stream(4)),  // groups, exposures, adoption, rings, priority ties
        patch_rng_(seed, replicate, test_stream(5)),       // breaks, repatch delays
        permutation_(Rng(seed, replicate, StreamPurpose::kSweeps, detail::kPermutationKey).next_u64(),
                     32 - s.address_space.prefix_length),
        capacity_(w_.bandwidth.enabled ? w_.bandwidth.capacity : 0.0),
        release_(s.patching.release) {
    result_.seed = seed;
    result_.replicate = replicate;
  }

  Result run() {
    mark_excluded();
    place_hosts();
    draw_attributes();
    plan_patch_system();
    start_reports();
    run_before_start();
    choose_seeds();
    take_up_passed_seeds();
    event_loop();
    return finish();
  }

 private:
  // --- Address space ---------------------------------------------------------------

  [[nodiscard]] bool in_space(std::uint64_t address) const {
    return address >= base_ && address - base_ < space_;
  }

  void mark_excluded() {
    std::vector<char> excluded(space_, 0);
    for (const Prefix& p : w_.excluded) {
      if (p.length >= s_.address_space.prefix_length && in_space(p.base)) {
        std::fill_n(excluded.begin() + static_cast<std::ptrdiff_t>(p.base - base_), p.size(), 1);
      } else if (p.length < s_.address_space.prefix_length && p.contains(base_)) {
        std::fill(excluded.begin(), excluded.end(), 1);
      }
    }
    if (std::find(excluded.begin(), excluded.end(), 1) != excluded.end()) {
      for (std::uint64_t offset = 0; offset < space_; ++offset) {
        if (!excluded[offset]) allowed_.push_back(static_cast<std::uint32_t>(offset));
      }
      require(s_.population.hosts <= allowed_.size(), "more hosts than addresses outside worm.excluded");
    }
  }

  [[nodiscard]] bool is_allowed(std::uint64_t offset) const {
    return allowed_.empty() || std::binary_search(allowed_.begin(), allowed_.end(), offset);
  }

  /// A uniformly random offset of the space outside worm.excluded.
  std::uint64_t random_allowed_offset(Rng& rng) {
    if (allowed_.empty()) return detail::sample_index(rng, space_);  // nothing excluded
    return allowed_[detail::sample_index(rng, allowed_.size())];
  }

  // --- Hosts -----------------------------------------------------------------------

  /// Seed addresses first, then distinct uniform allowed addresses by rejection.
  void place_hosts() {
    table_.assign(space_, kNoHost);
    hosts_.resize(s_.population.hosts);
    const auto& seeds = w_.seed_addresses;
    for (std::size_t i = 0; i < seeds.size(); ++i) {
      require(in_space(seeds[i]), "seed address outside the space");
      const std::uint64_t offset = seeds[i] - base_;
      require(table_[offset] == kNoHost, "seed addresses are not distinct");
      require(is_allowed(offset), "seed address inside worm.excluded");
      table_[offset] = static_cast<std::uint32_t>(i);
      hosts_[i].address = static_cast<std::uint32_t>(offset);
    }
    for (std::size_t i = seeds.size(); i < hosts_.size(); ++i) {
      std::uint64_t offset;
      do {
        offset = random_allowed_offset(placement_rng_);
      } while (table_[offset] != kNoHost);
      table_[offset] = static_cast<std::uint32_t>(i);
      hosts_[i].address = static_cast<std::uint32_t>(offset);
    }
  }

  /// Per host: type and link class.
  void draw_attributes() {
    // Exploit table by type index; no types: the one type "host".
    std::vector<std::string> type_names;
    for (const auto& t : s_.population.types) type_names.push_back(t.name);
    if (type_names.empty()) type_names.push_back("host");
    for (const auto& e : w_.exploits) {
      require(std::find(type_names.begin(), type_names.end(), e.type) != type_names.end(),
              "exploit for unknown type " + e.type);
    }
    for (const auto& name : type_names) {
      Exploit x{w_.exploit_success, false, 0.0};
      for (const auto& e : w_.exploits) {
        if (e.type == name) x = Exploit{e.success, e.on_failure == FailureOutcome::kCrash, e.downtime};
      }
      exploits_.push_back(x);
    }
    if (w_.bandwidth.enabled) {
      for (const auto& l : w_.bandwidth.links) {
        link_rate_.push_back(std::min(w_.scan_rate, l.bits_per_second / (8.0 * w_.bandwidth.probe_bytes)));
      }
    } else {
      link_rate_.push_back(w_.scan_rate);
    }
    scanners_.assign(link_rate_.size(), {});
    for (std::size_t i = 0; i < hosts_.size(); ++i) {
      Host& h = hosts_[i];
      h.type = pick_by_share(attribute_rng_, s_.population.types);
      if (w_.bandwidth.enabled) h.link = pick_by_share(attribute_rng_, w_.bandwidth.links);
      h.explicit_seed = i < w_.seed_addresses.size();
    }
  }

  // --- Patch system: plan ----------------------------------------------------------

  /// The plan (groups, per-host draws, rings), the services and the first events.
  void plan_patch_system() {
    PatchPlan plan = plan_patches(s_, hosts_.size(), w_.seed_addresses.size(), patch_plan_rng_);
    for (auto& g : plan.groups) {
      Group group;
      group.plan = std::move(g);
      groups_.push_back(std::move(group));
    }
    tally_.assign(groups_.size(), {});
    for (std::uint32_t i = 0; i < hosts_.size(); ++i) {
      Host& h = hosts_[i];
      const HostPlan& x = plan.hosts[i];
      h.group = x.group;
      h.exposure = x.exposure;
      h.adoption_class = x.adoption_class;
      h.budget = x.budget;
      h.self_patch_time = x.patch_time;
      const GroupPlan& group = groups_[h.group].plan;
      if (group.policy == PolicyKind::kCentral) h.service = group.service;
      groups_[h.group].members.push_back(i);
      ++tally_[h.group][kCatS];
    }
    if (!s_.patching.enabled) return;
    for (std::size_t k = 0; k < plan.rings.size(); ++k) add_service(k, std::move(plan.rings[k]));
    for (std::uint32_t i = 0; i < hosts_.size(); ++i) {
      if (hosts_[i].self_patch_time <= s_.run.duration) push(hosts_[i].self_patch_time, EventKind::kPatch, i);
    }
    for (std::uint32_t g = 0; g < groups_.size(); ++g) {
      const GroupPlan& group = groups_[g].plan;
      if (group.policy == PolicyKind::kSelf && group.news.enabled && group.news.after &&
          *group.news.after <= s_.run.duration) {
        push(*group.news.after, EventKind::kNews, g);
      }
    }
    for (auto& service : services_) service.start();
  }

  /// Service k over its rings, with the hooks into this simulation.
  void add_service(std::size_t k, std::vector<std::vector<std::uint32_t>> rings) {
    const std::size_t first_row = ring_patched_.size();
    ring_patched_.resize(first_row + rings.size(), 0);
    const auto index = static_cast<std::uint32_t>(k);
    NaiveService::Hooks hooks{
        .needs_patch = [this](std::uint32_t h, double t) { return needs_patch(h) && !(t < 0.0 && hosts_[h].explicit_seed); },
        .apply =
            [this, index, first_row](std::uint32_t h, double t, std::size_t ring, bool requeued) {
              if (apply_patch(h, t, static_cast<int>(index), static_cast<int>(ring), requeued) && !requeued) {
                ++ring_patched_[first_row + ring];
              }
            },
        .wake_at =
            [this, index](double t) {
              if (t <= s_.run.duration) push(t, EventKind::kService, index);
            }};
    services_.emplace_back(s_.patching.services[k], release_, s_.run.clock, std::move(rings), std::move(hooks));
  }

  /// Everything of the patch system before the worm's start (release < 0).
  void run_before_start() {
    while (!events_.empty() && events_.top().time < 0.0) {
      const Event e = events_.top();
      events_.pop();
      handle(e);
    }
  }

  /// Seed hosts a central service passed over before t = 0 are re-queued at t = 0,
  /// in host order.
  void take_up_passed_seeds() {
    for (auto& service : services_) {
      std::vector<std::uint32_t> seeds;
      for (std::uint32_t h : service.passed_over()) {
        if (hosts_[h].explicit_seed && needs_patch(h)) seeds.push_back(h);
      }
      std::sort(seeds.begin(), seeds.end());
      for (std::uint32_t h : seeds) service.requeue(h, 0.0);
    }
  }

  /// Unpatched at t = 0 and able to be infected: S, online, not broken.
  [[nodiscard]] bool can_be_seed(std::uint32_t h) const {
    const Host& x = hosts_[h];
    return x.state == State::kS && !x.offline && !x.broken;
  }

  /// Explicit seeds at t = 0; otherwise the hit-list by seed_rule, infected at t = 0
  /// or at uniform times in [0, seed_window].
  void choose_seeds() {
    if (!w_.seed_addresses.empty()) {
      for (std::uint32_t i = 0; i < w_.seed_addresses.size(); ++i) infect(i, 0.0, true);
      return;
    }
    std::vector<std::uint32_t> chosen;
    if (w_.seed_rule == SeedRule::kRandom) {
      std::vector<std::uint32_t> candidates;  // hosts unpatched at t = 0
      for (std::uint32_t i = 0; i < hosts_.size(); ++i) {
        if (can_be_seed(i)) candidates.push_back(i);
      }
      require(w_.initial_infected <= candidates.size(), "more initial_infected than hosts unpatched at t = 0");
      // Partial Fisher–Yates: a uniform subset of size initial_infected.
      for (std::uint64_t k = 0; k < w_.initial_infected; ++k) {
        const std::uint64_t j = k + detail::sample_index(rng_, candidates.size() - k);
        std::swap(candidates[k], candidates[j]);
        chosen.push_back(candidates[k]);
      }
    } else {
      // /16 → its hosts (all of them, in host order); std::map orders by address.
      std::map<std::uint32_t, std::vector<std::uint32_t>> by_slash16;
      for (std::uint32_t i = 0; i < hosts_.size(); ++i) {
        by_slash16[(base_ + hosts_[i].address) >> 16].push_back(i);
      }
      std::vector<std::pair<std::size_t, std::uint32_t>> order;  // (vulnerable hosts, /16)
      for (const auto& [prefix, members] : by_slash16) order.emplace_back(members.size(), prefix);
      std::stable_sort(order.begin(), order.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
      for (const auto& [count, prefix] : order) {
        if (chosen.size() == w_.initial_infected) break;
        std::vector<std::uint32_t> unpatched;
        for (std::uint32_t h : by_slash16[prefix]) {
          if (can_be_seed(h)) unpatched.push_back(h);
        }
        // Full Fisher–Yates: the /16's unpatched hosts in uniformly random order.
        for (std::size_t k = 0; k + 1 < unpatched.size(); ++k) {
          std::swap(unpatched[k], unpatched[k + detail::sample_index(rng_, unpatched.size() - k)]);
        }
        for (std::uint32_t h : unpatched) {
          if (chosen.size() == w_.initial_infected) break;
          chosen.push_back(h);
        }
      }
      require(chosen.size() == w_.initial_infected, "more initial_infected than hosts unpatched at t = 0");
    }
    for (std::uint32_t h : chosen) {
      if (w_.seed_window > 0.0) {
        events_.push(Event{rng_.uniform() * w_.seed_window, EventKind::kSeed, h});
      } else {
        infect(h, 0.0, true);
      }
    }
  }

  // --- Scanners --------------------------------------------------------------------

  [[nodiscard]] double rate_of(const Host& h) const { return link_rate_[h.link]; }

  /// Summed rate of the scanning hosts, probes/s.
  [[nodiscard]] double total_rate() const {
    double r = 0.0;
    for (std::size_t c = 0; c < scanners_.size(); ++c) r += static_cast<double>(scanners_[c].size()) * link_rate_[c];
    return r;
  }

  void start_scanning(std::uint32_t h) {
    Host& host = hosts_[h];
    host.scanning = true;
    host.slot = static_cast<std::uint32_t>(scanners_[host.link].size());
    scanners_[host.link].push_back(h);
  }

  void stop_scanning(std::uint32_t h) {
    Host& host = hosts_[h];
    if (!host.scanning) return;
    auto& list = scanners_[host.link];
    const std::uint32_t moved = list.back();
    list[host.slot] = moved;
    hosts_[moved].slot = host.slot;
    list.pop_back();
    host.scanning = false;
  }

  /// The sender of the next Poisson probe, drawn in proportion to its rate.
  std::uint32_t pick_poisson_source(double rate_sum) {
    std::size_t c = 0;
    if (scanners_.size() > 1) {
      double u = rng_.uniform() * rate_sum;
      for (c = 0; c + 1 < scanners_.size(); ++c) {
        const double r = static_cast<double>(scanners_[c].size()) * link_rate_[c];
        if (u < r) break;
        u -= r;
      }
      while (scanners_[c].empty()) --c;  // rounding pushed us past the last non-empty class
    }
    return scanners_[c][detail::sample_index(rng_, scanners_[c].size())];
  }

  /// The sweep base (an offset) of a sequential scanner infected now.
  std::uint64_t sequential_base(const Host& host) {
    const SequentialSpec& q = w_.sequential;
    if (detail::sample_bernoulli(rng_, q.local_start)) {
      const std::uint32_t address = base_ + host.address;
      std::uint32_t c = (address >> 8) & 0xff;
      if (c > q.local_backoff) c -= static_cast<std::uint32_t>(detail::sample_index(rng_, q.local_backoff));
      const std::uint32_t local = (address & 0xffff0000u) | (c << 8);
      return in_space(local) ? local - base_ : 0;
    }
    if (space_ < 256) return 0;
    return random_allowed_offset(rng_) & ~std::uint64_t{0xff};
  }

  /// Time of the next scan step of a deterministic scanner.
  [[nodiscard]] double next_scan_time(const Host& host) const {
    const double per_step = w_.strategy == ScanStrategy::kSequential ? static_cast<double>(w_.sequential.batch) : 1.0;
    return host.infected_at + static_cast<double>(host.steps) * per_step / rate_of(host);
  }

  void schedule_scan(std::uint32_t h) {
    const double t = next_scan_time(hosts_[h]);
    if (t <= s_.run.duration) events_.push(Event{t, EventKind::kScan, h});
  }

  // --- State changes ---------------------------------------------------------------

  void push(double t, EventKind kind, std::uint32_t who) { events_.push(Event{t, kind, who}); }

  /// Re-counts host h, whose category was `before`, after a change at t.
  void recount(std::uint32_t h, Category before, double t) {
    Host& host = hosts_[h];
    const Category after = category(host);
    if (after == before) return;
    --tally_[host.group][before];
    ++tally_[host.group][after];
    if (is_patched(after) && host.first_patched == kInf) host.first_patched = t;
  }

  /// Whether a patch reaching h now would do anything: S (online or not) or I
  /// unpatched, and not broken.
  [[nodiscard]] bool needs_patch(std::uint32_t h) const {
    const Host& x = hosts_[h];
    return !x.broken && (x.state == State::kS || (x.state == State::kI && !x.patched));
  }

  /// A new sweep from t: scanning, and the first step of a deterministic scanner.
  void begin_sweep(std::uint32_t h, double t) {
    Host& host = hosts_[h];
    start_scanning(h);
    host.infected_at = t;
    host.steps = 0;
    host.hits = 0;
    if (w_.strategy == ScanStrategy::kSequential) {
      host.base = sequential_base(host);
      schedule_scan(h);
    } else if (w_.strategy == ScanStrategy::kPermutation) {
      // Just after its own position on the walk.
      host.position = (std::uint64_t{permutation_.inverse(host.address)} + 1) % space_;
      schedule_scan(h);
    }
  }

  void infect(std::uint32_t h, double t, bool seed) {
    Host& host = hosts_[h];
    const Category before = category(host);
    host.state = State::kI;
    infection_times_.push_back(t);
    ++groups_[host.group].infected;
    if (trace_) trace_->infections.push_back(InfectionRecord{t, base_ + host.address, seed});
    if (s_.cleanup.enabled) {
      push(t + detail::sample_exponential(rng_, groups_[host.group].plan.cleanup_rate), EventKind::kCleanup, h);
    }
    begin_sweep(h, t);
    recount(h, before, t);
    for (std::uint32_t g = 0; g < groups_.size(); ++g) {
      const NewsSpec& news = groups_[g].plan.news;
      if (news.enabled && news.infected && infection_times_.size() >= *news.infected) trigger_news(g, t);
    }
  }

  /// Offline for `downtime`; a patch may still reach it meanwhile.
  void crash(std::uint32_t h, double t, double downtime) {
    hosts_[h].offline = true;
    ++event_count_;
    ++crash_count_;
    push(t + downtime, EventKind::kRecover, h);
  }

  void clean(std::uint32_t h, double t) {
    Host& host = hosts_[h];
    const Category before = category(host);
    host.state = State::kC;
    stop_scanning(h);
    recount(h, before, t);
    ++event_count_;
  }

  // --- Patch system: dynamics ------------------------------------------------------

  /// A patch reaches h at t (from its own curve, a repatch, or service `service`'s ring
  /// `ring`). Returns whether it patched the host (false: it broke it, or the host did
  /// not need the patch and was left alone).
  bool apply_patch(std::uint32_t h, double t, int service, int ring, bool again) {
    if (!needs_patch(h)) return false;
    Host& host = hosts_[h];
    const Category before = category(host);
    const double p = break_probability(s_.patching.bad_patch, t - release_);
    const bool breaks = p > 0.0 && detail::sample_bernoulli(patch_rng_, p);
    if (trace_) {
      trace_->patches.push_back(PatchRecord{t, base_ + host.address, host.group, host.exposure, service, ring, again, breaks});
    }
    ++event_count_;
    if (breaks) {
      host.broken = true;
      host.broken_at = t;
      stop_scanning(h);
      ++breaks_;
      ++groups_[host.group].breaks;
      ++broken_now_;
      broken_since_sum_ += t;
      const double back = t + s_.patching.bad_patch.outage;
      if (back <= s_.run.duration) push(back, EventKind::kRollback, h);
    } else if (host.state == State::kS) {
      host.state = State::kP;  // online or not: a patched crashed host comes back immune
    } else if (s_.patching.cures_infected) {
      host.state = State::kC;
      stop_scanning(h);
    } else {
      host.patched = true;  // keeps scanning
    }
    recount(h, before, t);
    return !breaks;
  }

  /// The end of h's outage: unpatched again, infected if it was (a new sweep, or
  /// cleaned now if its cleanup fell due meanwhile); then patched again once the
  /// fixed patch is out.
  void rollback(std::uint32_t h, double t) {
    Host& host = hosts_[h];
    const Category before = category(host);
    host.broken = false;
    --broken_now_;
    broken_since_sum_ -= host.broken_at;
    outage_seconds_ += t - host.broken_at;
    groups_[host.group].outage_seconds += t - host.broken_at;
    ++event_count_;
    if (host.state == State::kI) {
      if (host.cleanup_due) {
        host.state = State::kC;
      } else {
        begin_sweep(h, t);
      }
    }
    recount(h, before, t);
    if (!needs_patch(h)) return;
    const BadPatchSpec& bad = s_.patching.bad_patch;
    const double fixed = bad.fix_release ? std::max(t, release_ + *bad.fix_release) : t;
    if (host.service >= 0) {
      if (fixed <= s_.run.duration) push(fixed, EventKind::kRequeue, h);
    } else {
      const double again = fixed + detail::sample_exponential(patch_rng_, 1.0 / bad.repatch_mean);
      if (again <= s_.run.duration) push(again, EventKind::kRepatch, h);
    }
  }

  /// News for group g at t: every self-patching host of the group that has not
  /// patched yet gets the time where its budget is spent at the multiplied hazard.
  void trigger_news(std::uint32_t g, double t) {
    Group& group = groups_[g];
    const GroupPlan& plan = group.plan;
    if (group.news_done || plan.policy != PolicyKind::kSelf || !plan.news.enabled) return;
    group.news_done = true;
    for (std::uint32_t h : group.members) {
      Host& host = hosts_[h];
      if (host.adopted) continue;
      const AdoptionClass& cls = plan.adoption.classes[host.adoption_class];
      const std::optional<double> age = cls.age_with_news(host.budget, t - release_, plan.news.factor);
      host.self_patch_time = age ? release_ + *age : kInf;
      if (host.self_patch_time <= s_.run.duration) push(host.self_patch_time, EventKind::kPatch, h);
    }
  }

  /// One probe from `source` to `target` (a full address) at time t.
  ProbeOutcome deliver(std::uint32_t source, std::uint64_t target, double t) {
    ++probes_;
    const ProbeOutcome outcome = resolve(target, t);
    if (trace_) {
      trace_->probes.push_back(
          ProbeRecord{t, base_ + hosts_[source].address, static_cast<std::uint32_t>(target), outcome});
    }
    return outcome;
  }

  ProbeOutcome resolve(std::uint64_t target, double t) {
    if (capacity_ > 0.0) {
      const double r = total_rate();
      if (r > capacity_ && !detail::sample_bernoulli(rng_, capacity_ / r)) return ProbeOutcome::kLost;
    }
    if (!in_space(target)) return ProbeOutcome::kEmpty;
    const std::uint32_t h = table_[target - base_];
    if (h == kNoHost) return ProbeOutcome::kEmpty;
    Host& host = hosts_[h];
    if (host.broken) return ProbeOutcome::kBroken;
    if (host.state == State::kI) return ProbeOutcome::kAlreadyInfected;
    if (host.state != State::kS) return ProbeOutcome::kImmune;
    if (host.offline) return ProbeOutcome::kOffline;
    const Exploit& x = exploits_[host.type];
    if (detail::sample_bernoulli(rng_, x.success)) {
      infect(h, t, false);
      ++event_count_;
      return ProbeOutcome::kInfected;
    }
    if (!x.crash) return ProbeOutcome::kFailed;
    crash(h, t, x.downtime);
    return ProbeOutcome::kCrashed;
  }

  /// A target of a Poisson probe from `source` (a full address).
  std::uint64_t poisson_target(std::uint32_t source) {
    if (w_.strategy == ScanStrategy::kLocalPreference) {
      const std::uint64_t address = base_ + hosts_[source].address;
      const double u = rng_.uniform();
      const LocalPreferenceSpec& lp = w_.local_preference;
      if (u < lp.same_slash8) return (address & 0xff000000u) | detail::sample_index(rng_, std::uint64_t{1} << 24);
      if (u < lp.same_slash8 + lp.same_slash16) {
        return (address & 0xffff0000u) | detail::sample_index(rng_, std::uint64_t{1} << 16);
      }
    }
    return base_ + random_allowed_offset(rng_);
  }

  /// The next batch (sequential) or probe (permutation) of a deterministic scanner.
  void scan_step(std::uint32_t h, double t) {
    Host& host = hosts_[h];
    if (w_.strategy == ScanStrategy::kSequential) {
      const std::uint64_t first = host.base + host.steps * w_.sequential.batch;
      for (std::uint64_t j = 0; j < w_.sequential.batch; ++j) deliver(h, base_ + (first + j) % space_, t);
      ++host.steps;
      schedule_scan(h);
      return;
    }
    const std::uint64_t target = base_ + permutation_.forward(static_cast<std::uint32_t>(host.position % space_));
    const ProbeOutcome outcome = deliver(h, target, t);
    ++host.steps;
    if (outcome == ProbeOutcome::kAlreadyInfected) {
      ++host.hits;
      if (w_.permutation.dormant_after > 0 && host.hits >= w_.permutation.dormant_after) {
        stop_scanning(h);  // dormant: stays infected, never scans again
        return;
      }
      host.position = detail::sample_index(rng_, space_);
    } else {
      ++host.position;
    }
    schedule_scan(h);
  }

  // --- Event loop ------------------------------------------------------------------

  void start_reports() {
    report_at_ = report_times(s_.run);
    const std::size_t n = report_at_.size();
    result_.series.time = report_at_;
    result_.series.values.assign(kSeriesCount, std::vector<double>(n, 0.0));
    if (!s_.population.groups.empty()) {
      result_.series.group_values.assign(groups_.size(),
                                         std::vector<std::vector<double>>(kGroupSeriesCount, std::vector<double>(n, 0.0)));
    }
    result_.series.ring_patched.assign(ring_patched_.size(), std::vector<double>(n, 0.0));
  }

  /// The next Poisson probe is at t + Exp(summed rate); if a queued event comes first,
  /// that happens instead and the probe time is drawn afresh (memoryless).
  void event_loop() {
    const bool poisson = w_.strategy == ScanStrategy::kUniform || w_.strategy == ScanStrategy::kLocalPreference;
    const double duration = s_.run.duration;
    double t = 0.0;
    for (;;) {
      const double poisson_rate = poisson ? total_rate() : 0.0;
      const double probe_time = poisson_rate > 0.0 ? t + detail::sample_exponential(rng_, poisson_rate) : kInf;
      const double event_time = events_.empty() ? kInf : events_.top().time;
      const double next = std::min(probe_time, event_time);
      if (next > duration) break;
      record_reports_before(next);
      t = next;
      if (probe_time < event_time) {
        const std::uint32_t source = pick_poisson_source(poisson_rate);
        deliver(source, poisson_target(source), t);
        continue;
      }
      const Event e = events_.top();
      events_.pop();
      handle(e);
    }
    record_reports_before(kInf);
  }

  void handle(const Event& e) {
    switch (e.kind) {
      case EventKind::kNews:
        trigger_news(e.host, e.time);
        return;
      case EventKind::kService:
        services_[e.host].wake(e.time);
        return;
      default:
        break;
    }
    Host& host = hosts_[e.host];
    switch (e.kind) {
      case EventKind::kRecover:
        host.offline = false;
        ++event_count_;
        return;
      case EventKind::kRollback:
        rollback(e.host, e.time);
        return;
      case EventKind::kSeed:
        if (can_be_seed(e.host)) infect(e.host, e.time, true);
        return;
      case EventKind::kRequeue:
        services_[static_cast<std::size_t>(host.service)].requeue(e.host, e.time);
        return;
      case EventKind::kPatch:
        if (host.adopted || e.time != host.self_patch_time) return;  // stale: moved by news
        host.adopted = true;
        apply_patch(e.host, e.time, -1, -1, false);
        return;
      case EventKind::kRepatch:
        apply_patch(e.host, e.time, -1, -1, true);
        return;
      case EventKind::kCleanup:
        if (host.state != State::kI) return;
        if (host.broken) {
          host.cleanup_due = true;  // cleaned when rolled back
        } else {
          clean(e.host, e.time);
        }
        return;
      case EventKind::kScan:
        // Stale if from a sweep the host has since left (broken, then a new sweep).
        if (host.scanning && e.time == next_scan_time(host)) scan_step(e.host, e.time);
        return;
      case EventKind::kNews:
      case EventKind::kService:
        return;
    }
  }

  /// Seconds spent in B from the release up to t (all events up to t done).
  [[nodiscard]] double outage_seconds_at(double t) const {
    return outage_seconds_ + static_cast<double>(broken_now_) * t - broken_since_sum_;
  }

  /// Records every report instant < t.
  void record_reports_before(double t) {
    while (next_report_ < report_at_.size() && report_at_[next_report_] < t) {
      const std::size_t k = next_report_++;
      std::array<std::uint64_t, kCategoryCount> total{};
      for (const auto& counts : tally_) {
        for (int c = 0; c < kCategoryCount; ++c) total[c] += counts[c];
      }
      auto& v = result_.series.values;
      const auto set = [&](Series s, double value) { v[static_cast<int>(s)][k] = value; };
      set(Series::kSusceptible, static_cast<double>(total[kCatS]));  // offline included
      set(Series::kInfected, static_cast<double>(total[kCatIu] + total[kCatIp]));
      set(Series::kPatched, static_cast<double>(total[kCatP]));
      set(Series::kCleaned, static_cast<double>(total[kCatC]));
      set(Series::kNewInfections, static_cast<double>(infection_times_.size() - reported_cumulative_));
      set(Series::kCumulativeInfected, static_cast<double>(infection_times_.size()));
      set(Series::kBroken, static_cast<double>(total[kCatB]));
      set(Series::kOutageHostHours, outage_seconds_at(report_at_[k]) / kHour);
      reported_cumulative_ = infection_times_.size();
      for (std::size_t g = 0; g < result_.series.group_values.size(); ++g) {
        const auto& c = tally_[g];
        auto& gv = result_.series.group_values[g];
        gv[static_cast<int>(GroupSeries::kVulnerable)][k] = static_cast<double>(c[kCatS] + c[kCatIu] + c[kCatB]);
        gv[static_cast<int>(GroupSeries::kPatched)][k] = static_cast<double>(c[kCatIp] + c[kCatP] + c[kCatC]);
        gv[static_cast<int>(GroupSeries::kInfected)][k] = static_cast<double>(c[kCatIu] + c[kCatIp]);
        gv[static_cast<int>(GroupSeries::kCleaned)][k] = static_cast<double>(c[kCatC]);
        gv[static_cast<int>(GroupSeries::kBroken)][k] = static_cast<double>(c[kCatB]);
      }
      for (std::size_t r = 0; r < ring_patched_.size(); ++r) {
        result_.series.ring_patched[r][k] = static_cast<double>(ring_patched_[r]);
      }
      if (k == 0) {
        for (std::size_t g = 0; g < groups_.size(); ++g) {
          const auto& c = tally_[g];
          const double n = static_cast<double>(groups_[g].members.size());
          groups_[g].patched_at_start = n > 0 ? static_cast<double>(c[kCatIp] + c[kCatP] + c[kCatC]) / n : 0.0;
        }
        patched_at_start_ = static_cast<double>(total[kCatIp] + total[kCatP] + total[kCatC]) /
                            static_cast<double>(hosts_.size());
      }
    }
  }

  Result finish() {
    const std::uint64_t n_hosts = hosts_.size();
    const double duration = s_.run.duration;
    std::array<std::uint64_t, kCategoryCount> total{};
    for (const auto& counts : tally_) {
      for (int c = 0; c < kCategoryCount; ++c) total[c] += counts[c];
    }
    Figures& f = result_.figures;
    f.vulnerable = n_hosts;
    f.final_infected = total[kCatIu] + total[kCatIp];
    f.total_infected = infection_times_.size();
    f.final_patched = total[kCatP];
    f.final_cleaned = total[kCatC];
    f.probes = static_cast<double>(probes_);
    f.events = event_count_;
    f.crashes = crash_count_;
    const auto time_to = [&](std::uint64_t tenths) -> std::optional<double> {
      const std::uint64_t needed = ceil_fraction(tenths, n_hosts);
      if (needed == 0) return 0.0;
      if (infection_times_.size() < needed) return std::nullopt;
      return infection_times_[needed - 1];
    };
    f.time_to_10 = time_to(1);
    f.time_to_50 = time_to(5);
    f.time_to_90 = time_to(9);
    // Minutes [60k, 60k + 60) that start before the end of the run.
    const auto n_minutes = static_cast<std::size_t>(std::ceil(duration / 60.0));
    std::vector<std::uint64_t> per_minute(n_minutes, 0);
    for (double ti : infection_times_) {
      per_minute[std::min(n_minutes - 1, static_cast<std::size_t>(std::floor(ti / 60.0)))]++;
    }
    const auto peak = std::max_element(per_minute.begin(), per_minute.end());  // first of equals
    f.peak_new_per_minute = *peak;
    f.peak_minute_start = 60.0 * static_cast<double>(peak - per_minute.begin());
    f.breaks = breaks_;
    f.outage_host_hours = outage_seconds_at(duration) / kHour;
    f.patched_at_start = patched_at_start_;
    for (std::size_t g = 0; g < groups_.size(); ++g) {
      const Group& group = groups_[g];
      const auto& c = tally_[g];
      GroupFigures gf;
      gf.name = group.plan.name;
      gf.hosts = group.members.size();
      gf.patched_at_start = group.patched_at_start;
      std::vector<double> first_patched;
      double outage = group.outage_seconds;
      for (std::uint32_t h : group.members) {
        if (hosts_[h].first_patched <= duration) first_patched.push_back(hosts_[h].first_patched);
        if (hosts_[h].broken) outage += duration - hosts_[h].broken_at;
      }
      const std::size_t half = (gf.hosts + 1) / 2;  // half of the hosts, rounded up
      if (gf.hosts > 0 && first_patched.size() >= half) {
        std::nth_element(first_patched.begin(), first_patched.begin() + static_cast<std::ptrdiff_t>(half - 1),
                         first_patched.end());
        gf.half_life = first_patched[half - 1] - release_;
      }
      gf.infected = group.infected;
      gf.final_patched = c[kCatIp] + c[kCatP] + c[kCatC];
      gf.final_cleaned = c[kCatC];
      gf.breaks = group.breaks;
      gf.outage_host_hours = outage / kHour;
      f.groups.push_back(std::move(gf));
    }
    return std::move(result_);
  }

  const Scenario& s_;
  const WormSpec& w_;
  const std::uint64_t space_;
  const std::uint32_t base_;
  NaiveTrace* trace_;
  Rng placement_rng_;
  Rng attribute_rng_;
  Rng rng_;
  Rng patch_plan_rng_;
  Rng patch_rng_;
  const detail::AddressPermutation permutation_;
  const double capacity_;  // probes/s; 0: unlimited
  const double release_;   // seconds

  std::vector<std::uint32_t> allowed_;  // offsets outside worm.excluded, ascending; empty if none is excluded
  std::vector<std::uint32_t> table_;  // offset -> host index
  std::vector<Host> hosts_;
  std::vector<Exploit> exploits_;                      // per type
  std::vector<double> link_rate_;                      // per link class, probes/s
  std::vector<std::vector<std::uint32_t>> scanners_;   // per link class: scanning hosts
  std::priority_queue<Event, std::vector<Event>, std::greater<>> events_;

  std::vector<Group> groups_;
  std::vector<std::array<std::uint64_t, kCategoryCount>> tally_;  // per group: hosts per category
  std::vector<NaiveService> services_;
  std::vector<std::uint64_t> ring_patched_;  // per ring row: the deployment's patches so far
  std::uint64_t breaks_ = 0;
  std::uint64_t broken_now_ = 0;
  double broken_since_sum_ = 0.0;  // sum of broken_at over the hosts now broken
  double outage_seconds_ = 0.0;    // of outages already over
  double patched_at_start_ = 0.0;

  std::vector<double> infection_times_;  // in order of infection, seeds included
  std::uint64_t event_count_ = 0;
  std::uint64_t crash_count_ = 0;  // hosts crashed by failed exploits, each crash counted
  std::uint64_t probes_ = 0;
  std::vector<double> report_at_;
  std::size_t next_report_ = 0;
  std::uint64_t reported_cumulative_ = 0;
  Result result_;
};

}  // namespace

Result naive_simulate(const Scenario& scenario, std::uint64_t seed, std::uint64_t replicate, NaiveTrace* trace) {
  const auto wall_start = std::chrono::steady_clock::now();
  check(scenario);
  NaiveSimulator simulator(scenario, seed, replicate, trace);
  Result result = simulator.run();
  result.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  return result;
}

}  // namespace patchrace::testing
