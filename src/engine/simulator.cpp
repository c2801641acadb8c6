// The exact event-driven engine.
//
// Random-target strategies (uniform scanning) are Poisson processes whose rates
// depend only on pool sizes:
//   contacts   f * R * sum_t w_t S_t / |allowed space|   (R: summed scan rate of the
//              scanning hosts, f: share of probes the network carries, w_t: chance a
//              contact with a type-t host changes it, by infection or crash)
//   patching   ln 2 / half_life * (unpatched hosts that will patch), after release
//   cleanup    infected / mean_delay
// Probes that cannot change anything (empty addresses, hosts already infected or
// patched, failed exploits without effect) are never drawn: superposition and
// thinning fold them into the rates. The next event time is exponential in the
// summed rate, the event kind is chosen in proportion to its rate and the host
// uniformly inside its pool.
//
// Sweeping strategies (sequential, permutation) are exact per scanner: each
// scanner's next event is its arrival at the next host ahead of it on its walk that
// could change (susceptible or offline; for permutation also infected, which makes
// it jump), found through a NextSet; scanners wait in a calendar queue
// (ArrivalQueue) beside the heap of the few other scheduled events.
//
// Scheduled changes (patch release, report times, queued events) end the current
// exponential waiting time; by memorylessness a fresh one is drawn afterwards.
#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <limits>
#include <optional>
#include <unordered_map>

#include <fmt/format.h>

#include "engine/agenda.hpp"
#include "engine/host_partition.hpp"
#include "engine/local_preference.hpp"
#include "engine/next_set.hpp"
#include "engine/sum_tree.hpp"
#include "engine/permutation.hpp"
#include "engine/prefix_index.hpp"
#include "engine/rng.hpp"
#include "engine/samplers.hpp"
#include "engine/worm_model.hpp"
#include "patchrace/error.hpp"
#include "patchrace/simulate.hpp"

namespace patchrace {
namespace detail {
namespace {

// Pools, numbered so that frequent moves cross one boundary.
enum Pool : int {
  kOfflineWillPatch = 0,  // crashed, back later; will patch
  kPatchedPool,           // P: patched while susceptible
  kSusceptibleWillPatch,  // S, patches at its own pace
  kInfectedWillPatch,     // I, not yet patched
  kInfectedPatched,       // I, patched but the worm still runs
  kCleanedPool,           // C
  kInfectedNever,         // I, never patches
  kSusceptibleNever,      // S, never patches
  kOfflineNever,          // crashed, back later; never patches
  kPoolCount
};

constexpr bool is_susceptible_pool(int pool) {
  return pool == kSusceptibleWillPatch || pool == kSusceptibleNever;
}
constexpr bool is_offline_pool(int pool) { return pool == kOfflineWillPatch || pool == kOfflineNever; }
constexpr bool is_infected_pool(int pool) {
  return pool == kInfectedWillPatch || pool == kInfectedPatched || pool == kInfectedNever;
}

/// Thresholds of cumulative infections at which time_to_10/50/90 are taken.
struct Milestones {
  std::uint64_t count[3];
  std::optional<double>* figure[3];
};

/// A sweeping scanner (sequential or permutation). Its next event, in the queue,
/// is its probe of the host at walk rank `rank` (walk position `position`).
struct Scanner {
  std::uint32_t position;  // walk position of the next target (address offset for sequential)
  std::uint32_t rank;      // walk rank of the next target
  std::uint32_t self;      // the scanning host
  std::uint16_t phase;     // index of the next target inside its batch (sequential)
  std::uint8_t link;       // link class (bandwidth)
  std::uint8_t hits;       // hits on infected hosts so far (permutation, saturating)
};

class Simulator {
 public:
  Simulator(const Scenario& scenario, std::uint64_t seed, std::uint64_t replicate)
      : scenario_(scenario),
        model_(scenario),
        rng_(seed, replicate, StreamPurpose::kEngine),
        hosts_(place(scenario, seed, replicate, model_)),
        local_(make_local_index(scenario, model_, hosts_)),
        pools_(static_cast<std::uint32_t>(hosts_.address.size()), strata_of_hosts(),
               stratum_count(), kPoolCount, kSusceptibleWillPatch),
        patch_rate_(scenario.patching.enabled ? std::log(2.0) / scenario.patching.half_life : 0.0),
        cleanup_rate_(scenario.cleanup.enabled ? 1.0 / scenario.cleanup.mean_delay : 0.0),
        active_scanners_(model_.link_count(), 0) {
    result_.replicate = replicate;
    result_.seed = seed;
    init_stratum_counts();
    for (auto& word : target_words_) word = rng_.next_u64();
    setup_walk(seed, replicate);
    apply_patching_before_start(seed, replicate);
    if (!model_.random_targets()) {
      // At most every host unpatched now ever scans: room for all of their scanners
      // and queued arrivals, so the vectors never grow past it by doubling.
      const std::size_t most = susceptible() + infected();
      scanners_.reserve(most);
      queue_.reserve(most, 1024);
    }
    seed_infections();
    const std::size_t points = report_point_count(scenario.run);
    result_.series.time.reserve(points);
    result_.series.values.assign(kSeriesCount, {});
    for (auto& row : result_.series.values) row.reserve(points);
    // One bin per started minute, plus one for rounding of t / 60 at the very end.
    minute_counts_.assign(static_cast<std::size_t>(scenario.run.duration / kMinute) + 2, 0);
    const double fractions[3] = {0.1, 0.5, 0.9};
    std::optional<double>* figures[3] = {&result_.figures.time_to_10, &result_.figures.time_to_50,
                                         &result_.figures.time_to_90};
    for (int i = 0; i < 3; ++i) {
      milestones_.count[i] =
          static_cast<std::uint64_t>(std::ceil(fractions[i] * static_cast<double>(host_count())));
      milestones_.figure[i] = figures[i];
    }
  }

  Result run() {
    const std::vector<double> report_at = report_times(scenario_.run);
    bool release_pending = scenario_.patching.enabled && scenario_.patching.release > 0.0;
    std::size_t next_report = 0;
    double t = 0.0;
    check_milestones(0.0);
    while (next_report < report_at.size()) {
      double scheduled = std::min(report_at[next_report], queue_.next_time());
      if (release_pending) scheduled = std::min(scheduled, scenario_.patching.release);

      const double sent = sent_probe_rate();
      const double contact_rate = random_contact_rate(sent);
      const double patch_rate =
          release_pending ? 0.0
                          : patch_rate_ * static_cast<double>(pools_.total(kSusceptibleWillPatch) +
                                                              pools_.total(kInfectedWillPatch));
      const double cleanup_rate = cleanup_rate_ * static_cast<double>(infected());
      const double total_rate = contact_rate + patch_rate + cleanup_rate;
      const double wait = total_rate > 0.0 ? sample_exponential(rng_, total_rate)
                                           : std::numeric_limits<double>::infinity();

      if (t + wait >= scheduled) {
        result_.figures.probes += sent * (scheduled - t);
        t = scheduled;
        if (release_pending && t >= scenario_.patching.release) release_pending = false;
        if (!queue_.empty() && queue_.next_time() <= t) {
          handle_scheduled(queue_.pop());
        } else if (t >= report_at[next_report]) {
          record(t);
          ++next_report;
        }
        continue;
      }
      result_.figures.probes += sent * wait;
      t += wait;
      ++result_.figures.events;
      // With only one process running no choice is needed (and no word drawn).
      const double pick = contact_rate == total_rate ? 0.0 : rng_.uniform() * total_rate;
      if (pick < contact_rate) {
        if (local_) {
          contact_local(t, sent);
        } else {
          contact_random_susceptible(t);
        }
      } else if (pick < contact_rate + patch_rate) {
        patch_random_host();
      } else {
        clean_random_infected();
      }
    }
    finish_figures();
    return std::move(result_);
  }

 private:
  static constexpr double kPerMinute = 1.0 / kMinute;
  static constexpr int kLookahead = 8;  // contacts between drawing a target word and using it
  static constexpr int kLinearStrata = 8;  // above this, per-stratum counts live in SumTrees
  static constexpr std::uint64_t kUnknownRank = std::numeric_limits<std::uint64_t>::max();

  /// Places the hosts and draws their types and link classes (placement stream).
  static HostAttributes place(const Scenario& scenario, std::uint64_t seed,
                              std::uint64_t replicate, const WormModel& model) {
    Rng placement(seed, replicate, StreamPurpose::kPlacement);
    return place_population(scenario, model, placement);
  }

  [[nodiscard]] std::uint32_t host_count() const {
    return static_cast<std::uint32_t>(hosts_.address.size());
  }
  [[nodiscard]] std::uint64_t susceptible() const {
    return pools_.total(kSusceptibleWillPatch) + pools_.total(kSusceptibleNever);
  }
  [[nodiscard]] std::uint64_t infected() const {
    return pools_.total(kInfectedWillPatch) + pools_.total(kInfectedPatched) +
           pools_.total(kInfectedNever);
  }
  [[nodiscard]] std::uint64_t offline() const {
    return pools_.total(kOfflineWillPatch) + pools_.total(kOfflineNever);
  }
  /// Susceptible (online) hosts of stratum st.
  [[nodiscard]] std::uint32_t susceptible_in(int st) const {
    return pools_.size(st, kSusceptibleWillPatch) + pools_.size(st, kSusceptibleNever);
  }

  static std::optional<LocalPreferenceIndex> make_local_index(const Scenario& scenario,
                                                              const WormModel& model,
                                                              const HostAttributes& hosts) {
    if (scenario.worm.strategy != ScanStrategy::kLocalPreference) return std::nullopt;
    return LocalPreferenceIndex(hosts.address, model, scenario.worm.local_preference);
  }

  [[nodiscard]] int stratum_count() const {
    return (local_ ? local_->block_count() : 1) * model_.type_count();
  }
  [[nodiscard]] int type_of_stratum(int s) const { return s % model_.type_count(); }
  [[nodiscard]] int block_of_stratum(int s) const { return s / model_.type_count(); }

  /// Stratum of every host: block * types + type (empty when there is one stratum).
  [[nodiscard]] std::vector<std::uint32_t> strata_of_hosts() const {
    if (!local_ && hosts_.type.empty()) return {};
    std::vector<std::uint32_t> strata(host_count());
    const auto types = static_cast<std::uint32_t>(model_.type_count());
    for (std::uint32_t h = 0; h < host_count(); ++h) {
      const std::uint32_t block = local_ ? static_cast<std::uint32_t>(local_->block_of(h)) : 0;
      strata[h] = block * types + (hosts_.type.empty() ? 0 : hosts_.type[h]);
    }
    return strata;
  }

  /// Counts per type and per stratum once every host sits in its initial pool.
  void init_stratum_counts() {
    const int strata = pools_.stratum_count();
    susceptible_by_type_.assign(model_.type_count(), 0);
    use_trees_ = strata > kLinearStrata;
    if (use_trees_) {
      // Only the trees someone reads are kept up to date: patching and cleanup
      // picks during the run, susceptible picks while the seeds are chosen.
      track_susceptible_ = true;
      track_patchable_ = scenario_.patching.enabled;
      track_infected_ = scenario_.cleanup.enabled;
      susceptible_tree_ = SumTree(strata);
      if (track_patchable_) patchable_tree_ = SumTree(strata);
      if (track_infected_) infected_tree_ = SumTree(strata);
    }
    for (int st = 0; st < strata; ++st) {
      const std::uint32_t n = susceptible_in(st);
      susceptible_by_type_[type_of_stratum(st)] += n;
      if (local_ && n > 0) local_->susceptible_changed(block_of_stratum(st), type_of_stratum(st), n);
      if (use_trees_) refresh_trees(st);
    }
  }

  void refresh_trees(int st) {
    if (track_susceptible_) susceptible_tree_.set(st, susceptible_in(st));
    if (track_patchable_) {
      patchable_tree_.set(st, pools_.size(st, kSusceptibleWillPatch) + pools_.size(st, kInfectedWillPatch));
    }
    if (track_infected_) infected_tree_.set(st, pools_.size(st, kInfectedWillPatch) + pools_.size(st, kInfectedPatched) +
                               pools_.size(st, kInfectedNever));
  }

  /// Every pool move goes through these two, which keep the counts in step.
  void move(std::uint32_t host, int to) {
    const int st = pools_.stratum_of(host);
    const int from = pools_.pool_of(host);
    pools_.move(host, to);
    moved(st, from, to);
  }
  std::uint32_t move_at(int st, int from, std::uint32_t i, int to) {
    const std::uint32_t host = pools_.move_at(st, from, i, to);
    moved(st, from, to);
    return host;
  }
  void moved(int st, int from, int to) {
    const bool was = is_susceptible_pool(from);
    const bool is = is_susceptible_pool(to);
    if (was != is) {
      const int type = type_of_stratum(st);
      const int delta = is ? 1 : -1;
      susceptible_by_type_[type] += delta;
      if (local_) local_->susceptible_changed(block_of_stratum(st), type, delta);
    }
    if (use_trees_) refresh_trees(st);
  }

  /// The stratum that holds member i (in stratum order) of the category counted by
  /// `tree` (or by `count_in` when there are few strata); i becomes relative to it.
  template <typename CountIn>
  int locate(const SumTree& tree, CountIn count_in, std::uint64_t& i) const {
    if (use_trees_) {
      const int st = static_cast<int>(tree.find(static_cast<double>(i)));
      i -= static_cast<std::uint64_t>(tree.prefix(st));
      return st;
    }
    int st = 0;
    for (; st + 1 < pools_.stratum_count(); ++st) {
      const std::uint64_t n = count_in(st);
      if (i < n) break;
      i -= n;
    }
    return st;
  }

  /// A scanning host started (+1) or stopped (-1) scanning.
  void scanning_changed(std::uint32_t host, int link, int delta) {
    scanning_changed_in(local_ ? local_->block_of(host) : 0, link, delta);
  }
  /// The same for a host of (local preference) block `block`, known to the caller.
  void scanning_changed_in(int block, int link, int delta) {
    active_scanners_[link] += delta;
    if (local_) local_->scanning_changed(block, link, delta);
  }

  /// Rate of contacts by random-target strategies that change a host.
  [[nodiscard]] double random_contact_rate(double sent) {
    if (!model_.random_targets() || sent <= 0.0) return 0.0;
    const double share = delivered_share(sent);
    if (local_) return share * local_->contact_rate(sent, weighted_susceptible(), model_.allowed_space());
    return share * sent * weighted_susceptible() / model_.allowed_space();
  }

  /// Probes per second sent by all scanning hosts.
  [[nodiscard]] double sent_probe_rate() const {
    double rate = 0.0;
    for (int c = 0; c < model_.link_count(); ++c) {
      rate += static_cast<double>(active_scanners_[c]) * model_.link_rate(c);
    }
    return rate;
  }

  /// Share of sent probes the network delivers (bandwidth capacity).
  [[nodiscard]] double delivered_share(double sent) const {
    const double capacity = model_.capacity();
    return capacity > 0.0 && sent > capacity ? capacity / sent : 1.0;
  }

  /// sum over types of w_t * (susceptible hosts of type t).
  [[nodiscard]] double weighted_susceptible() const {
    if (model_.type_count() == 1) return model_.weight(0) * static_cast<double>(susceptible());
    double sum = 0.0;
    for (int t = 0; t < model_.type_count(); ++t) {
      sum += model_.weight(t) * static_cast<double>(susceptible_by_type_[t]);
    }
    return sum;
  }

  // ---- set-up -------------------------------------------------------------

  /// Assigns who never patches and applies patches released before t = 0.
  void apply_patching_before_start(std::uint64_t seed, std::uint64_t replicate) {
    const auto& patching = scenario_.patching;
    if (!patching.enabled) return;
    Rng placement(seed, replicate, StreamPurpose::kPlacement, 1);
    const double pre_patched = patching.release < 0.0 ? -std::expm1(patch_rate_ * patching.release) : 0.0;
    std::vector<bool> is_seed(hosts_.seed_hosts.empty() ? 0 : host_count(), false);
    for (std::uint32_t h : hosts_.seed_hosts) is_seed[h] = true;
    for (std::uint32_t h = 0; h < host_count(); ++h) {
      if (sample_bernoulli(placement, patching.never_fraction)) {
        move(h, kSusceptibleNever);
      } else if (pre_patched > 0.0 && !(!is_seed.empty() && is_seed[h]) &&
                 sample_bernoulli(placement, pre_patched)) {
        move(h, kPatchedPool);
        leave_walk(h);
      }
    }
  }

  /// Infects the hit-list: explicit addresses, or `initial_infected` hosts chosen by
  /// the seed rule, at t = 0 or at uniform times inside the seeding window.
  void seed_infections() {
    const auto& worm = scenario_.worm;
    std::vector<std::uint32_t> seeds = hosts_.seed_hosts;
    if (seeds.empty()) seeds = choose_seeds(worm.initial_infected);
    track_susceptible_ = false;  // no susceptible picks after this
    if (worm.seed_window > 0.0) {
      for (std::uint32_t h : seeds) {
        queue_.push(rng_.uniform() * worm.seed_window, h, EventKind::kSeedInfection);
      }
    } else {
      for (std::uint32_t h : seeds) infect(h, 0.0);
    }
    new_infections_ = cumulative_infected_;
  }

  /// `count` distinct unpatched hosts by the seed rule (engine stream).
  std::vector<std::uint32_t> choose_seeds(std::uint64_t count) {
    std::vector<std::uint32_t> seeds;
    seeds.reserve(count);
    if (scenario_.worm.seed_rule == SeedRule::kRandom) {
      // Uniform without replacement among the susceptible hosts: repeated uniform
      // picks, a repeat being drawn again (the hit-list is small beside the hosts).
      std::vector<bool> taken(host_count(), false);
      while (seeds.size() < count) {
        const std::uint32_t h = random_susceptible_host();
        if (taken[h]) continue;
        taken[h] = true;
        seeds.push_back(h);
      }
      return seeds;
    }
    // Largest prefixes: /16s by decreasing number of vulnerable hosts (ties: lower
    // address first); inside each, its unpatched hosts in uniformly random order.
    struct Block {
      std::uint32_t first, end;
    };
    std::vector<Block> blocks;
    for (std::uint32_t h = 0; h < host_count();) {
      std::uint32_t e = h;
      while (e < host_count() && (hosts_.address[e] >> 16) == (hosts_.address[h] >> 16)) ++e;
      blocks.push_back({h, e});
      h = e;
    }
    std::stable_sort(blocks.begin(), blocks.end(),
                     [](const Block& a, const Block& b) { return a.end - a.first > b.end - b.first; });
    for (const Block& b : blocks) {
      std::vector<std::uint32_t> candidates;
      for (std::uint32_t h = b.first; h < b.end; ++h) {
        if (is_susceptible_pool(pools_.pool_of(h))) candidates.push_back(h);
      }
      for (std::size_t i = 0; i < candidates.size() && seeds.size() < count; ++i) {
        const std::uint64_t j = i + sample_index(rng_, candidates.size() - i);
        std::swap(candidates[i], candidates[j]);
        seeds.push_back(candidates[i]);
      }
      if (seeds.size() == count) break;
    }
    return seeds;
  }

  /// A host drawn uniformly from all susceptible hosts (there must be one).
  std::uint32_t random_susceptible_host() {
    std::uint64_t i = sample_index(rng_, susceptible());
    const int st = locate(susceptible_tree_, [&](int k) { return susceptible_in(k); }, i);
    const std::uint32_t will_patch = pools_.size(st, kSusceptibleWillPatch);
    return i < will_patch ? pools_.at(st, kSusceptibleWillPatch, static_cast<std::uint32_t>(i))
                          : pools_.at(st, kSusceptibleNever, static_cast<std::uint32_t>(i - will_patch));
  }

  // ---- state changes ---------------------------------------------------------

  /// A susceptible host becomes infected at time t and, if it sweeps, starts its walk.
  /// `rank`: the host's walk rank when the caller knows it (a sweep just reached it).
  void infect(std::uint32_t host, double t, std::uint64_t rank = kUnknownRank) {
    const int pool = pools_.pool_of(host);
    move(host, pool == kSusceptibleNever ? kInfectedNever : kInfectedWillPatch);
    ++cumulative_infected_;
    const int link = model_.link_of(hosts_, host);
    scanning_changed(host, link, +1);
    if (!model_.random_targets()) {
      if (model_.strategy() == ScanStrategy::kSequential) walk_.erase(host);
      start_scanner(host, link, t, rank);
    }
  }

  void count_infection(double t) {
    ++new_infections_;
    ++minute_counts_[static_cast<std::size_t>(t * kPerMinute)];
    if (cumulative_infected_ >= next_milestone_) check_milestones(t);
  }

  /// A contact by a random-target strategy: a susceptible host chosen with
  /// probability proportional to its type's weight, infected or crashed.
  void contact_random_susceptible(double t) {
    int type = 0;
    if (model_.type_count() > 1) {
      double u = rng_.uniform() * weighted_susceptible();
      for (; type + 1 < model_.type_count(); ++type) {
        u -= model_.weight(type) * susceptible_in(type);
        if (u < 0.0) break;
      }
    }
    const std::uint64_t word = target_words_[next_word_];
    target_words_[next_word_] = rng_.next_u64();
    prefetch_target(type, target_words_[next_word_]);
    next_word_ = (next_word_ + 1) % kLookahead;
    const std::uint32_t will_patch = pools_.size(type, kSusceptibleWillPatch);
    const std::uint64_t i = sample_index_from(word, rng_, susceptible_in(type));
    const bool infects = model_.crash_share(type) == 0.0 || rng_.uniform() * model_.weight(type) <
                                                                 model_.success(type);
    if (!infects) {
      const std::uint32_t host =
          i < will_patch ? pools_.at(type, kSusceptibleWillPatch, static_cast<std::uint32_t>(i))
                         : pools_.at(type, kSusceptibleNever, static_cast<std::uint32_t>(i - will_patch));
      crash(host, t);
      return;
    }
    std::uint32_t host;
    if (i < will_patch) {
      host = move_at(type, kSusceptibleWillPatch, static_cast<std::uint32_t>(i), kInfectedWillPatch);
    } else {
      host = move_at(type, kSusceptibleNever, static_cast<std::uint32_t>(i - will_patch), kInfectedNever);
    }
    ++cumulative_infected_;
    scanning_changed(host, model_.link_of(hosts_, host), +1);
    count_infection(t);
  }

  /// A contact by local-preference scanning: the block by the three components,
  /// the type in proportion to its weight there, the host uniformly.
  void contact_local(double t, double sent) {
    const int block = local_->choose_block(rng_, sent, weighted_susceptible(), model_.allowed_space());
    const int types = model_.type_count();
    int type = 0;
    if (types > 1) {
      double total = 0.0;
      for (int k = 0; k < types; ++k) total += model_.weight(k) * susceptible_in(block * types + k);
      double u = rng_.uniform() * total;
      for (; type + 1 < types; ++type) {
        const double w = model_.weight(type) * susceptible_in(block * types + type);
        if (u < w) break;
        u -= w;
      }
    }
    const int st = block * types + type;
    const std::uint32_t n = susceptible_in(st);
    if (n == 0) return;  // unreachable: blocks are chosen by positive weight
    const std::uint64_t i = sample_index(rng_, n);
    const std::uint32_t will_patch = pools_.size(st, kSusceptibleWillPatch);
    const int from = i < will_patch ? kSusceptibleWillPatch : kSusceptibleNever;
    const auto index = static_cast<std::uint32_t>(i < will_patch ? i : i - will_patch);
    if (model_.crash_share(type) > 0.0 && rng_.uniform() * model_.weight(type) >= model_.success(type)) {
      crash(pools_.at(st, from, index), t);
      return;
    }
    const std::uint32_t host =
        move_at(st, from, index, from == kSusceptibleNever ? kInfectedNever : kInfectedWillPatch);
    ++cumulative_infected_;
    scanning_changed_in(block, model_.link_of(hosts_, host), +1);
    count_infection(t);
  }

  /// Prefetches the entry `word` would select among the susceptible hosts of `type` now.
  void prefetch_target(int type, std::uint64_t word) const {
    const std::uint64_t n = susceptible_in(type);
    if (n == 0) return;
    const auto i = static_cast<std::uint64_t>((static_cast<Uint128>(word) * n) >> 64);
    const std::uint32_t will_patch = pools_.size(type, kSusceptibleWillPatch);
    if (i < will_patch) {
      pools_.prefetch(type, kSusceptibleWillPatch, static_cast<std::uint32_t>(i));
    } else {
      pools_.prefetch(type, kSusceptibleNever, static_cast<std::uint32_t>(i - will_patch));
    }
  }

  /// A failed exploit crashes a susceptible host: offline for its type's downtime.
  void crash(std::uint32_t host, double t) {
    const int pool = pools_.pool_of(host);
    move(host, pool == kSusceptibleNever ? kOfflineNever : kOfflineWillPatch);
    ++result_.figures.crashes;
    if (walk_.size() > 0) offline_until_[host] = t + model_.downtime(type_of_stratum(pools_.stratum_of(host)));
    queue_.push(t + model_.downtime(type_of_stratum(pools_.stratum_of(host))), host,
                EventKind::kCrashReturn);
  }

  void patch_random_host() {
    std::uint64_t i = sample_index(rng_, pools_.total(kSusceptibleWillPatch) +
                                             pools_.total(kInfectedWillPatch));
    const int st = locate(patchable_tree_, [&](int k) {
      return pools_.size(k, kSusceptibleWillPatch) + pools_.size(k, kInfectedWillPatch);
    }, i);
    const std::uint32_t s = pools_.size(st, kSusceptibleWillPatch);
    if (i < s) {
      const std::uint32_t host =
          move_at(st, kSusceptibleWillPatch, static_cast<std::uint32_t>(i), kPatchedPool);
      leave_walk(host);
    } else if (scenario_.patching.cures_infected) {
      const std::uint32_t host =
          move_at(st, kInfectedWillPatch, static_cast<std::uint32_t>(i - s), kCleanedPool);
      stop_scanning(host);
    } else {
      move_at(st, kInfectedWillPatch, static_cast<std::uint32_t>(i - s), kInfectedPatched);
    }
  }

  void clean_random_infected() {
    std::uint64_t i = sample_index(rng_, infected());
    const int st = locate(infected_tree_, [&](int k) {
      return pools_.size(k, kInfectedWillPatch) + pools_.size(k, kInfectedPatched) +
             pools_.size(k, kInfectedNever);
    }, i);
    for (int pool : {kInfectedWillPatch, kInfectedPatched, kInfectedNever}) {
      const std::uint32_t n = pools_.size(st, pool);
      if (i < n) {
        stop_scanning(move_at(st, pool, static_cast<std::uint32_t>(i), kCleanedPool));
        return;
      }
      i -= n;
    }
  }

  /// An infected host stops scanning for good (cleaned or cured).
  void stop_scanning(std::uint32_t host) {
    if (!dormant_.empty() && dormant_[host]) {
      dormant_[host] = false;
    } else {
      scanning_changed(host, model_.link_of(hosts_, host), -1);
    }
    leave_walk(host);
  }

  // ---- sweeping scanners -----------------------------------------------------

  /// Builds the walk order and the set of hosts a sweep must stop at.
  void setup_walk(std::uint64_t seed, std::uint64_t replicate) {
    const ScanStrategy strategy = model_.strategy();
    const int bits = 32 - scenario_.address_space.prefix_length;
    if (strategy == ScanStrategy::kSequential) {
      walk_ = NextSet(host_count());
      walk_index_ = PrefixIndex(hosts_.address, scenario_.address_space.base, bits);
    } else if (strategy == ScanStrategy::kPermutation) {
      permutation_.emplace(Rng(seed, replicate, StreamPurpose::kEngine, 7).next_u64(), bits);
      std::vector<std::uint64_t> keyed(host_count());
      for (std::uint32_t h = 0; h < host_count(); ++h) {
        const std::uint32_t offset = hosts_.address[h] - scenario_.address_space.base;
        keyed[h] = (std::uint64_t{permutation_->inverse(offset)} << 32) | h;
      }
      std::sort(keyed.begin(), keyed.end());
      walk_position_.resize(host_count());
      walk_host_.resize(host_count());
      for (std::uint32_t r = 0; r < host_count(); ++r) {
        walk_position_[r] = static_cast<std::uint32_t>(keyed[r] >> 32);
        walk_host_[r] = static_cast<std::uint32_t>(keyed[r]);
      }
      walk_ = NextSet(host_count());
      walk_index_ = PrefixIndex(walk_position_, 0, bits);
      if (scenario_.worm.permutation.dormant_after > 0) dormant_.assign(host_count(), false);
    }
  }

  /// Walk position and host of walk rank r.
  [[nodiscard]] std::uint32_t walk_position(std::uint64_t r) const {
    return walk_position_.empty() ? hosts_.address[r] - scenario_.address_space.base
                                  : walk_position_[r];
  }
  [[nodiscard]] std::uint32_t walk_host(std::uint64_t r) const {
    return walk_host_.empty() ? static_cast<std::uint32_t>(r) : walk_host_[r];
  }
  /// Walk rank of `host`.
  [[nodiscard]] std::uint64_t walk_rank(std::uint32_t host) const {
    if (walk_host_.empty()) return host;
    const std::uint32_t offset = hosts_.address[host] - scenario_.address_space.base;
    return walk_index_.lower_bound(walk_position_, permutation_->inverse(offset));
  }

  /// A host no sweep needs to stop at any more (patched or cleaned).
  void leave_walk(std::uint32_t host) {
    if (walk_.size() > 0) walk_.erase(walk_rank(host));
  }

  /// Walk rank of the first host at or after walk position `position`.
  [[nodiscard]] std::uint64_t first_rank_at_or_after(std::uint64_t position) const {
    return walk_index_.lower_bound(walk_position_.empty() ? hosts_.address : walk_position_, position);
  }

  /// Starts the walk of a newly infected host at time t (`rank`: its walk rank, if known).
  void start_scanner(std::uint32_t host, int link, double t, std::uint64_t rank) {
    Scanner s{};
    s.self = host;
    s.link = static_cast<std::uint8_t>(link);
    // Permutation (Staniford et al.): a new copy starts just after its own host's
    // position on the shared walk, where the first host is the next rank.
    std::uint64_t start;
    std::uint64_t first_rank = kUnknownRank;
    if (model_.strategy() == ScanStrategy::kSequential) {
      start = sequential_start(host);
    } else if (rank != kUnknownRank) {
      start = (std::uint64_t{walk_position(rank)} + 1) % scenario_.address_space.size();
      first_rank = rank + 1;
    } else {
      start = (std::uint64_t{permutation_->inverse(hosts_.address[host] - scenario_.address_space.base)} + 1) %
              scenario_.address_space.size();
    }
    std::uint32_t id;
    if (!free_scanners_.empty()) {
      id = free_scanners_.back();
      free_scanners_.pop_back();
    } else {
      id = static_cast<std::uint32_t>(scanners_.size());
      scanners_.emplace_back();
    }
    scanners_[id] = s;
    schedule_from(id, start, 0, t, false, first_rank);
  }

  /// Blaster's start: own /16 with a lowered third byte, or a random /24.
  std::uint64_t sequential_start(std::uint32_t host) {
    const auto& seq = scenario_.worm.sequential;
    const auto& space = scenario_.address_space;
    std::uint32_t base;
    ++result_.figures.sweeps_started;
    if (sample_bernoulli(rng_, seq.local_start)) {
      ++result_.figures.local_sweeps;
      const std::uint32_t a = hosts_.address[host];
      std::uint32_t c = (a >> 8) & 0xff;
      if (c > seq.local_backoff) c -= static_cast<std::uint32_t>(sample_index(rng_, seq.local_backoff));
      base = (a & 0xffff0000u) | (c << 8);
      if (base < space.base) base = space.base;
      return base - space.base;
    }
    const std::uint64_t offset = model_.random_allowed_offset(rng_);
    return space.size() >= 256 ? (offset & ~std::uint64_t{0xff}) : 0;
  }

  /// Schedules scanner `id`'s next probe of a host that could change: the first
  /// member of the walk set at or after walk position `position`, where the probe
  /// of `position` leaves at `time` with batch phase `phase`. With `strictly_after`,
  /// the host at `position` itself (just probed) is skipped. `first_rank`: the rank
  /// of the first host at or after `position`, when the caller knows it.
  void schedule_from(std::uint32_t id, std::uint64_t position, std::uint64_t phase, double time,
                     bool strictly_after, std::uint64_t first_rank = kUnknownRank) {
    Scanner& s = scanners_[id];
    const std::uint64_t space = scenario_.address_space.size();
    // Just past the current target its rank is known; a new start needs a search.
    std::uint64_t from_rank = strictly_after               ? std::uint64_t{s.rank} + 1
                              : first_rank != kUnknownRank ? first_rank
                                                           : first_rank_at_or_after(position);
    if (from_rank >= host_count()) from_rank = 0;
    const double rate = model_.link_rate(s.link);
    const std::uint64_t batch = model_.strategy() == ScanStrategy::kSequential
                                    ? scenario_.worm.sequential.batch
                                    : 1;
    const double batch_seconds = static_cast<double>(batch) / rate;
    // The first member ahead that the probe reaches while it can change. An offline
    // (crashed) host is skipped when the probe passes it before it comes back; it
    // stays a member so that later sweeps stop there. At most one lap is searched.
    std::uint64_t rank = walk_.next_cyclic(from_rank);
    std::uint64_t distance = 0;
    double arrival = 0.0;
    std::uint64_t searched = 0;
    while (true) {
      if (rank == NextSet::kNone || searched > host_count()) {
        free_scanners_.push_back(id);  // nothing left to find: the sweep goes on without events
        return;
      }
      distance = (walk_position(rank) + space - position) % space;
      if (distance == 0 && strictly_after) distance = space;  // a full lap back to itself
      arrival = time + static_cast<double>((phase + distance) / batch) * batch_seconds;
      if (offline_until_.empty()) break;
      const auto back = offline_until_.find(walk_host(rank));
      if (back == offline_until_.end() || arrival >= back->second) break;
      ++searched;
      rank = walk_.next_cyclic(rank + 1 < host_count() ? rank + 1 : 0);
    }
    s.position = walk_position(rank);
    s.rank = static_cast<std::uint32_t>(rank);
    s.phase = static_cast<std::uint16_t>((phase + distance) % batch);
    queue_.push(arrival, id, EventKind::kScannerArrival);
  }

  /// Hints the processor to fetch what the next arrivals read, in three steps whose
  /// loads should have arrived by the next: the scanner records a few arrivals
  /// ahead; then the scanning host's state, the target's entry in the walk and the
  /// next walk position; then the target's state.
  void prefetch_arrivals() {
    constexpr std::size_t kRecordAhead = 9, kWalkAhead = 6, kTargetAhead = 3;
    const auto next = queue_.upcoming_arrivals();
    if (next.size() > kRecordAhead) __builtin_prefetch(&scanners_[next[kRecordAhead].id]);
    if (next.size() > kWalkAhead) {
      const Scanner& s = scanners_[next[kWalkAhead].id];
      pools_.prefetch_host(s.self);
      if (!walk_host_.empty()) __builtin_prefetch(&walk_host_[s.rank]);
      if (s.rank + 1 < host_count()) {
        __builtin_prefetch(walk_position_.empty() ? &hosts_.address[s.rank + 1] : &walk_position_[s.rank + 1]);
      }
    }
    if (next.size() > kTargetAhead) pools_.prefetch_host(walk_host(scanners_[next[kTargetAhead].id].rank));
  }

  /// Scanner `id` probes its target at time t. (Infecting the target starts a new
  /// scanner, which may move scanners_: the record is copied first.)
  void scanner_arrives(std::uint32_t id, double t) {
    prefetch_arrivals();
    const Scanner s = scanners_[id];
    if (!is_infected_pool(pools_.pool_of(s.self)) || (!dormant_.empty() && dormant_[s.self])) {
      free_scanners_.push_back(id);  // cleaned or cured since: it no longer scans
      return;
    }
    const bool member = walk_.contains(s.rank);
    const std::uint32_t target = walk_host(s.rank);
    const double share = delivered_share(sent_probe_rate());
    if (member && (share >= 1.0 || rng_.uniform() < share)) {
      const int pool = pools_.pool_of(target);
      if (is_susceptible_pool(pool)) {
        ++result_.figures.events;
        const int type = type_of_stratum(pools_.stratum_of(target));
        const double u = rng_.uniform();
        if (u < model_.success(type)) {
          infect(target, t, s.rank);
          count_infection(t);
        } else if (u < model_.weight(type)) {
          crash(target, t);
        }
      } else if (is_infected_pool(pool) && model_.strategy() == ScanStrategy::kPermutation) {
        const std::uint8_t hits = s.hits < 255 ? s.hits + 1 : 255;
        scanners_[id].hits = hits;
        const std::uint32_t dormant_after = scenario_.worm.permutation.dormant_after;
        if (dormant_after > 0 && hits >= dormant_after) {
          dormant_[s.self] = true;
          scanning_changed(s.self, s.link, -1);
          free_scanners_.push_back(id);
          return;
        }
        // Jump: the next probe, one interval later, goes to a new random position.
        const double step = 1.0 / model_.link_rate(s.link);
        schedule_from(id, sample_index(rng_, scenario_.address_space.size()), 0, t + step, false);
        return;
      }
    }
    // Move on past this host: its probe left at t with the current phase.
    schedule_from(id, s.position, s.phase, t, true);
  }

  void handle_scheduled(const ScheduledEvent& e) {
    switch (e.kind) {
      case EventKind::kSeedInfection:
        if (is_susceptible_pool(pools_.pool_of(e.id))) {
          infect(e.id, e.time);
          count_infection(e.time);
        }
        break;
      case EventKind::kCrashReturn: {
        const int pool = pools_.pool_of(e.id);
        move(e.id, pool == kOfflineNever ? kSusceptibleNever : kSusceptibleWillPatch);
        offline_until_.erase(e.id);
        break;
      }
      case EventKind::kScannerArrival:
        scanner_arrives(e.id, e.time);
        break;
    }
  }

  // ---- reporting ---------------------------------------------------------------

  /// Records the time of every milestone reached and finds the next one.
  void check_milestones(double t) {
    next_milestone_ = std::numeric_limits<std::uint64_t>::max();
    for (int i = 0; i < 3; ++i) {
      if (milestones_.figure[i]->has_value()) continue;
      if (cumulative_infected_ >= milestones_.count[i]) {
        *milestones_.figure[i] = t;
      } else {
        next_milestone_ = std::min(next_milestone_, milestones_.count[i]);
      }
    }
  }

  void record(double t) {
    auto& s = result_.series;
    s.time.push_back(t);
    auto push = [&](Series series, std::uint64_t v) {
      s.values[static_cast<int>(series)].push_back(static_cast<double>(v));
    };
    push(Series::kSusceptible, susceptible() + offline());
    push(Series::kInfected, infected());
    push(Series::kPatched, pools_.total(kPatchedPool));
    push(Series::kCleaned, pools_.total(kCleanedPool));
    push(Series::kNewInfections, new_infections_);
    push(Series::kCumulativeInfected, cumulative_infected_);
    new_infections_ = 0;
  }

  void finish_figures() {
    auto& f = result_.figures;
    f.vulnerable = host_count();
    f.final_infected = infected();
    f.total_infected = cumulative_infected_;
    f.final_patched = pools_.total(kPatchedPool);
    f.final_cleaned = pools_.total(kCleanedPool);
    for (std::size_t m = 0; m < minute_counts_.size(); ++m) {
      if (minute_counts_[m] > f.peak_new_per_minute) {
        f.peak_new_per_minute = minute_counts_[m];
        f.peak_minute_start = static_cast<double>(m) * kMinute;
      }
    }
  }

  const Scenario& scenario_;
  const WormModel model_;
  Rng rng_;
  HostAttributes hosts_;  // addresses (sorted; host i lives at address[i]), types, links
  std::optional<LocalPreferenceIndex> local_;  // local-preference scanning only
  HostPartition pools_;   // strata: (/16 block if local preference) x host type
  // Per-stratum counts as SumTrees, when there are too many strata to scan.
  bool use_trees_ = false;
  bool track_susceptible_ = false, track_patchable_ = false, track_infected_ = false;
  SumTree susceptible_tree_, patchable_tree_, infected_tree_;
  std::vector<std::int64_t> susceptible_by_type_;
  const double patch_rate_;    // per second per host that will patch
  const double cleanup_rate_;  // per second per infected host
  std::vector<std::int64_t> active_scanners_;  // scanning hosts per link class
  std::array<std::uint64_t, kLookahead> target_words_{};
  int next_word_ = 0;
  Agenda queue_;
  // Sweeping strategies.
  NextSet walk_{0};                            // walk ranks a sweep must stop at
  std::optional<AddressPermutation> permutation_;
  std::vector<std::uint32_t> walk_position_;   // permutation: walk position of each rank
  std::vector<std::uint32_t> walk_host_;       // permutation: host at each rank
  PrefixIndex walk_index_;                     // first rank at or after a walk position
  std::vector<Scanner> scanners_;
  std::vector<std::uint32_t> free_scanners_;
  std::vector<bool> dormant_;                  // permutation with dormancy: host stopped scanning
  std::unordered_map<std::uint32_t, double> offline_until_;  // crashed host -> return time
  // Reporting.
  std::vector<std::uint32_t> minute_counts_;
  Milestones milestones_{};
  std::uint64_t next_milestone_ = 0;  // smallest milestone count not yet reached
  std::uint64_t cumulative_infected_ = 0;
  std::uint64_t new_infections_ = 0;
  Result result_;
};

}  // namespace
}  // namespace detail

Result simulate(const Scenario& scenario, std::uint64_t seed, std::uint64_t replicate) {
  validate(scenario);
  if (scenario.population.hosts > std::numeric_limits<std::uint32_t>::max()) {
    throw InvalidScenario(fmt::format("population.hosts must be at most {}, got {}",
                                      std::numeric_limits<std::uint32_t>::max(),
                                      scenario.population.hosts));
  }
  const auto start = std::chrono::steady_clock::now();
  detail::Simulator simulator(scenario, seed, replicate);
  Result result = simulator.run();
  result.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace patchrace
