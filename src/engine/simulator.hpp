// The exact event-driven engine.
//
// Random-target strategies (uniform scanning) are Poisson processes whose rates
// depend only on pool sizes:
//   contacts   f * R * sum_t w_t S_t / |allowed space|   (R: summed scan rate of the
//              scanning hosts, f: share of probes the network carries, w_t: chance a
//              contact with a type-t host changes it, by infection or crash)
// Probes that cannot change anything (empty addresses, hosts already infected or
// patched, failed exploits without effect) are never drawn: superposition and
// thinning fold them into the rates. The next event time is exponential in the
// summed rate, the event kind is chosen in proportion to its rate and the host
// uniformly inside its pool.
//
// Sweeping strategies (sequential, permutation) are exact per scanner; their walk
// and scanners live in Sweeps (engine/sweeps.hpp), which reads and changes the
// hosts here through a SweepContext.
//
// The patch system (PatchSystem: self-patching classes, central services, bad
// patches and rollbacks) and cleanups (one timer per infected host) are scheduled
// events. Scheduled changes (report times, queued events, patches) end the current
// exponential waiting time; by memorylessness a fresh one is drawn afterwards.
//
// The simulator's state changes and event handling are defined here, where they
// inline into the event loop; its set-up and patch actions are defined in
// simulator_setup.cpp, its reports in simulator_report.cpp, the event loop in
// simulator.cpp. Internal to the engine: simulate() is the interface.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "engine/agenda.hpp"
#include "engine/host_partition.hpp"
#include "engine/local_preference.hpp"
#include "patching/patch_system.hpp"
#include "base/rng.hpp"
#include "base/samplers.hpp"
#include "base/sum_tree.hpp"
#include "engine/sweeps.hpp"
#include "engine/worm_model.hpp"
#include "patchrace/result.hpp"
#include "patchrace/scenario.hpp"

namespace patchrace::detail {

// Pools (host states), numbered so that frequent moves cross few boundaries.
enum Pool : int {
  kOffline = 0,      // crashed by a failed exploit, back later; unpatched
  kBroken,           // B: broken by a bad patch, was susceptible
  kPatchedPool,      // P: patched while susceptible
  kSusceptible,      // S
  kInfected,         // I, not patched
  kInfectedPatched,  // I, patched but the worm still runs
  kCleanedPool,      // C
  kBrokenInfected,   // B: broken by a bad patch, was infected
  kPoolCount
};

constexpr bool is_susceptible_pool(int pool) { return pool == kSusceptible; }
constexpr bool is_infected_pool(int pool) { return pool == kInfected || pool == kInfectedPatched; }
constexpr bool is_broken_pool(int pool) { return pool == kBroken || pool == kBrokenInfected; }
constexpr bool is_patched_pool(int pool) {
  return pool == kPatchedPool || pool == kInfectedPatched || pool == kCleanedPool;
}

/// Thresholds of cumulative infections at which time_to_10/50/90 are taken.
struct Milestones {
  std::uint64_t count[3];
  std::optional<double>* figure[3];
};

class Simulator {
 public:
  Simulator(const Scenario& scenario, std::uint64_t seed, std::uint64_t replicate)
      : scenario_(scenario),
        model_(scenario),
        key_{seed, replicate},
        rng_(key_.stream(StreamPurpose::kContacts)),
        break_rng_(key_.stream(StreamPurpose::kBadPatch, kBadPatchBreaks)),
        hosts_(place_population(scenario, model_, key_)),
        local_(make_local_index(scenario, model_, hosts_)),
        pools_(static_cast<std::uint32_t>(hosts_.address.size()), strata_of_hosts(),
               stratum_count(), kPoolCount, kSusceptible,
               model_.random_targets() ? PoolPicks::kUniform : PoolPicks::kNone),
        patches_(scenario, host_count(), key_, hosts_.seed_hosts),
        active_scanners_(model_.link_count(), 0),
        sweeps_(scenario, model_, hosts_, key_, queue_, offline_until_, result_.figures) {
    result_.replicate = replicate;
    result_.seed = seed;
    init_stratum_counts();
    init_groups();
    // Only random-target contacts without local preference use the type uniforms.
    typed_targets_ = model_.type_count() > 1 && model_.random_targets() && !local_;
    for (int k = 0; k < kLookahead; ++k) draw_target(k);
    const bool bad_patch = scenario.patching.enabled && scenario.patching.bad_patch.enabled;
    track_offline_ = !model_.random_targets() || bad_patch;
    offline_until_ = OfflineUntil(host_count());
    run_patches_before_start();
    if (!model_.random_targets()) queue_.reserve(1024);
    seed_infections();
    const std::size_t points = report_point_count(scenario.run);
    result_.series.time.reserve(points);
    result_.series.values.assign(kSeriesCount, {});
    for (auto& row : result_.series.values) row.reserve(points);
    if (!scenario.population.groups.empty()) {
      result_.series.group_values.assign(patches_.group_count(),
                                         std::vector<std::vector<double>>(kGroupSeriesCount));
      for (auto& group : result_.series.group_values) {
        for (auto& row : group) row.reserve(points);
      }
    }
    result_.series.ring_patched.assign(patches_.ring_count(), {});
    for (auto& row : result_.series.ring_patched) row.reserve(points);
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

  Result run();

 private:
  static constexpr double kPerMinute = 1.0 / kMinute;
  static constexpr int kLookahead = 8;  // contacts between drawing a target word and using it
  static constexpr int kLinearStrata = 8;  // above this, per-stratum counts live in SumTrees
  static constexpr std::size_t kReturnsAhead = 4;  // crash returns between a hint and the return

  [[nodiscard]] std::uint32_t host_count() const {
    return static_cast<std::uint32_t>(hosts_.address.size());
  }
  [[nodiscard]] std::uint64_t susceptible() const { return pools_.total(kSusceptible); }
  [[nodiscard]] std::uint64_t infected() const {
    return pools_.total(kInfected) + pools_.total(kInfectedPatched);
  }
  [[nodiscard]] std::uint64_t offline() const { return pools_.total(kOffline); }
  [[nodiscard]] std::uint64_t broken() const {
    return pools_.total(kBroken) + pools_.total(kBrokenInfected);
  }
  /// Susceptible (online) hosts of stratum st.
  [[nodiscard]] std::uint32_t susceptible_in(int st) const { return pools_.size(st, kSusceptible); }

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
  [[nodiscard]] std::vector<std::uint32_t> strata_of_hosts() const;

  /// Counts per type and per stratum once every host sits in its initial pool.
  void init_stratum_counts();

  void refresh_trees(int st) {
    if (track_susceptible_) susceptible_tree_.set(st, susceptible_in(st));
  }

  /// Every pool move goes through this or move_reached(), which keep the counts in step.
  void move(std::uint32_t host, int to) {
    const int st = pools_.stratum_of(host);
    const int from = pools_.pool_of(host);
    pools_.move(host, to);
    counts_moved(st, from, to);
    host_moved(host, st, from, to);
  }
  /// The part of a move's bookkeeping that does not depend on which host moved nor
  /// read the partition: the susceptible counts by type and by block.
  [[gnu::always_inline]] void counts_moved(int st, int from, int to) {
    const bool was = is_susceptible_pool(from);
    const bool is = is_susceptible_pool(to);
    if (was != is) {
      const int type = type_of_stratum(st);
      const int delta = is ? 1 : -1;
      susceptible_by_type_[type] += delta;
      weigh_susceptible();
      if (local_) local_->susceptible_changed(block_of_stratum(st), type, delta);
    }
  }
  /// The rest, once the partition has moved `host`: per-stratum trees, per-group
  /// counts, patch counts.
  [[gnu::always_inline]] void host_moved(std::uint32_t host, int st, int from, int to) {
    if (use_trees_) refresh_trees(st);
    if (track_groups_) {
      const int g = patches_.group_of(host);
      --group_pools_[g * kPoolCount + from];
      ++group_pools_[g * kPoolCount + to];
    }
    if (!is_patched_pool(from) && is_patched_pool(to)) patched_now(patches_.group_of(host));
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

  /// sum over types of w_t * (susceptible hosts of type t), as of the last change.
  [[nodiscard]] double weighted_susceptible() const { return weighted_susceptible_; }

  /// Recomputes weighted_susceptible() from the counts (in a fixed order, so it
  /// never drifts), after a change of susceptible_by_type_.
  void weigh_susceptible() {
    double sum = 0.0;
    for (int t = 0; t < model_.type_count(); ++t) {
      sum += model_.weight(t) * static_cast<double>(susceptible_by_type_[t]);
    }
    weighted_susceptible_ = sum;
  }

  // ---- set-up -------------------------------------------------------------

  /// Per-group counts, kept only when there are several groups.
  void init_groups();

  /// Hosts of group g in `pool`.
  [[nodiscard]] std::uint64_t group_pool(int g, int pool) const {
    return track_groups_ ? group_pools_[g * kPoolCount + pool] : pools_.total(pool);
  }

  /// The patch system from the release to t = 0, when the patch came out before the
  /// worm; seed addresses cannot have patched (their patches are deferred).
  void run_patches_before_start();

  /// Whether `host` takes a patch arriving at time t.
  [[nodiscard]] Need patch_need(std::uint32_t host, double t) const {
    const int pool = pools_.pool_of(host);
    if (!(pool == kSusceptible || pool == kInfected || pool == kOffline)) return Need::kSkip;
    if (t < 0.0 && !explicit_seed_.empty() && explicit_seed_[host]) return Need::kDefer;
    return Need::kPatch;
  }

  /// Whether the queue's next event comes before a patch action due at time t: at
  /// equal times returns online and delayed seeds go first, cleanups and scanner
  /// arrivals after the patches.
  [[nodiscard]] bool queue_goes_first(double t) {
    if (queue_.empty() || queue_.next_time() > t) return false;
    const EventKind kind = queue_.next_kind();
    return kind == EventKind::kSeedInfection || kind == EventKind::kCrashReturn;
  }

  /// Carries out the patch system's next action, due at time t.
  void handle_patch_action(double t);

  /// A patch reaches `host` (S, I or offline) at time t: it is patched, or broken by
  /// a bad patch.
  void apply_patch(std::uint32_t host, double t, int ring);

  /// A host broken by the bad patch is rolled back at time t: unpatched again.
  void roll_back(std::uint32_t host, double t);

  /// Counts a host newly patched in group g (for the measured half-life).
  void patched_now(int g);

  /// Infects the hit-list: explicit addresses, or `initial_infected` hosts chosen by
  /// the seed rule, at t = 0 or at uniform times inside the seeding window.
  void seed_infections();

  /// `count` distinct unpatched hosts by the seed rule (from `rng`), or all of
  /// them when fewer are left (patches before the worm can leave none).
  std::vector<std::uint32_t> choose_seeds(std::uint64_t count, Rng& rng);

  /// A host drawn uniformly from all susceptible hosts (there must be one).
  std::uint32_t random_susceptible_host(Rng& rng);

  // ---- state changes ---------------------------------------------------------

  /// A susceptible host becomes infected at time t and, if it sweeps, starts its walk.
  /// `rank`: the host's walk rank when the caller knows it (a sweep just reached it).
  void infect(std::uint32_t host, double t, std::uint64_t rank = Sweeps::kUnknownRank) {
    move(host, kInfected);
    infected_one(host, t);
    const int link = model_.link_of(hosts_, host);
    scanning_changed(host, link, +1);
    if (!model_.random_targets()) sweeps_.infected(host, link, t, rank);
  }

  /// Bookkeeping of every infection of `host` at time t (seeds included).
  [[gnu::always_inline]] void infected_one(std::uint32_t host, double t) {
    ++cumulative_infected_;
    if (track_groups_) ++group_infected_[patches_.group_of(host)];
    if (cleanup_) {
      // Each host's cleanup delay from its own substream: the same in every scenario
      // that infects it (a host is infected at most once).
      Rng cleanup = key_.stream(StreamPurpose::kCleanup, host);
      schedule_cleanup(host, t + sample_exponential(cleanup, cleanup_rate(host)));
    }
    if (cumulative_infected_ >= patches_.next_count_trigger()) {
      patches_.infected_count(cumulative_infected_, t);
    }
  }

  /// Per-host cleanup rate: 1 / its group's mean delay.
  [[nodiscard]] double cleanup_rate(std::uint32_t host) const {
    return cleanup_rates_.size() == 1 ? cleanup_rates_[0] : cleanup_rates_[patches_.group_of(host)];
  }

  /// Cleans `host` at time `when` if it is still infected then. The hook through
  /// which detection (and whatever else finds infected hosts) cleans them.
  void schedule_cleanup(std::uint32_t host, double when) {
    queue_.push(when, host, EventKind::kCleanup);
  }

  void count_infection(double t) {
    ++new_infections_;
    ++minute_counts_[static_cast<std::size_t>(t * kPerMinute)];
    if (cumulative_infected_ >= next_milestone_) check_milestones(t);
  }

  /// A contact by a random-target strategy: a susceptible host chosen with
  /// probability proportional to its type's weight, infected or crashed.
  void contact_random_susceptible(double t) {
    const int k = next_target_;
    next_target_ = (k + 1) % kLookahead;
    const int type = typed_targets_ ? type_for(type_uniforms_[k]) : 0;
    const std::uint64_t word = target_words_[k];
    draw_target(k);
    const auto i = static_cast<std::uint32_t>(sample_index_from(word, rng_, susceptible_in(type)));
    reach_susceptible(type, type, 0, i, t);
  }

  /// Draws the random numbers of the contact kLookahead contacts ahead, into slot
  /// k: with several host types a uniform that chooses the type (in proportion to
  /// the types' weights then), and a word that chooses the host among that type's
  /// susceptible hosts. The entry the word would select now, for the type the
  /// uniform would choose now, is fetched meanwhile.
  void draw_target(int k) {
    int type = 0;
    if (typed_targets_) {
      type_uniforms_[k] = rng_.uniform();
      type = type_for(type_uniforms_[k]);
    }
    target_words_[k] = rng_.next_u64();
    prefetch_target(type, target_words_[k]);
  }

  /// The host type a uniform chooses, in proportion to the weighted susceptible
  /// hosts of each type now.
  [[nodiscard]] int type_for(double uniform) const {
    int type = 0;
    if (model_.type_count() > 1) {
      double u = uniform * weighted_susceptible();
      for (; type + 1 < model_.type_count(); ++type) {
        u -= model_.weight(type) * susceptible_in(type);
        if (u < 0.0) break;
      }
    }
    return type;
  }

  /// A contact by local-preference scanning: the block by the three components,
  /// the type in proportion to its weight there, the host uniformly. The counts
  /// come from the index (the same as the partition's, which are fetched meanwhile).
  void contact_local(double t, double sent) {
    const int types = model_.type_count();
    // The pool boundaries of the strata of the (at most eight) blocks the choice
    // narrows to come while it reads their counts: the move needs its block's.
    const int block = local_->choose_block(rng_, sent, weighted_susceptible(), model_.allowed_space(),
                                           [&](int first) { pools_.prefetch_boundaries(first * types, 8 * types); });
    prefetch_block(block);
    int type = 0;
    if (types > 1) {
      double total = 0.0;
      for (int k = 0; k < types; ++k) total += model_.weight(k) * local_->susceptible(block, k);
      double u = rng_.uniform() * total;
      for (; type + 1 < types; ++type) {
        const double w = model_.weight(type) * local_->susceptible(block, type);
        if (u < w) break;
        u -= w;
      }
    }
    const std::uint32_t n = local_->susceptible(block, type);
    if (n == 0) return;  // unreachable: blocks are chosen by positive weight
    const int st = block * types + type;
    const auto index = static_cast<std::uint32_t>(sample_index(rng_, n));
    pools_.prefetch(st, kSusceptible, index);  // in a large block, past the lines fetched above
    reach_susceptible(st, type, block, index, t);
  }

  /// A contact reaches susceptible host `index` of stratum `st` (host type `type`,
  /// /16 block `block`; 0 without local preference): it crashes it (a failed exploit
  /// with a crash outcome, in proportion to the type's weights) or infects it. The
  /// counts (and local preference's sums) change before the host moves: with one
  /// link class nothing there depends on which host it is, and the partition's lines
  /// for the move, fetched earlier, arrive while the sums are recomputed.
  void reach_susceptible(int st, int type, int block, std::uint32_t index, double t) {
    if (model_.crash_share(type) > 0.0 && rng_.uniform() * model_.weight(type) >= model_.success(type)) {
      crashed(move_reached<kOffline>(st, block, index), type, t);
      return;
    }
    const std::uint32_t host = move_reached<kInfected>(st, block, index);
    infected_one(host, t);
    if (model_.link_count() > 1) scanning_changed_in(block, model_.link_of(hosts_, host), +1);
    count_infection(t);
  }

  /// The move of reach_susceptible() into pool kTo (a constant, so that the
  /// partition's move unrolls), counts first; returns the host that moved.
  template <int kTo>
  std::uint32_t move_reached(int st, int block, std::uint32_t index) {
    const bool one_link = model_.link_count() == 1;
    counts_moved(st, kSusceptible, kTo);
    if (kTo == kInfected && one_link) scanning_changed_in(block, 0, +1);
    if (local_ && one_link) local_->update_sums();
    const std::uint32_t host = pools_.move_at(st, kSusceptible, index, kTo);
    host_moved(host, st, kSusceptible, kTo);
    return host;
  }

  /// Hints the processor to fetch what a contact in local-preference block `block`
  /// reads and changes in the pools: the pool boundaries of its first stratum, the
  /// first lines of its host order and its hosts' states (a block's hosts are
  /// consecutive). Its counts and sums were fetched while it was chosen.
  void prefetch_block(int block) const {
    // The block's strata start at its first host's position in the host order
    // (strata are numbered block by block, hosts by address).
    const std::uint32_t first = local_->first_host(block);
    pools_.prefetch_order(block * model_.type_count(), first, 2);
    pools_.prefetch_host(first);
  }

  /// Prefetches the entry `word` would select among the susceptible hosts of `type` now.
  void prefetch_target(int type, std::uint64_t word) const {
    const std::uint64_t n = susceptible_in(type);
    if (n == 0) return;
    const auto i = static_cast<std::uint64_t>((static_cast<Uint128>(word) * n) >> 64);
    pools_.prefetch(type, kSusceptible, static_cast<std::uint32_t>(i));
  }

  /// A failed exploit crashes a susceptible host: offline for its type's downtime.
  void crash(std::uint32_t host, double t) {
    const int st = pools_.stratum_of(host);
    move(host, kOffline);
    crashed(host, type_of_stratum(st), t);
  }
  /// `host`, of `type`, has just crashed at time t: its return is scheduled.
  void crashed(std::uint32_t host, int type, double t) {
    ++result_.figures.crashes;
    const double back = t + model_.downtime(type);
    if (track_offline_) offline_until_.set(host, back);
    // Each type's downtime is constant: its returns are scheduled in time order.
    queue_.push(back, host, EventKind::kCrashReturn, type);
  }

  /// Hints the processor to fetch what the return of the host kReturnsAhead returns
  /// ahead (in each type's order) reads: a return is a host untouched for a downtime.
  void prefetch_returns() const {
    for (int type = 0; type < model_.type_count(); ++type) {
      if (const ScheduledEvent* e = queue_.ahead(type, kReturnsAhead)) pools_.prefetch_host(e->id);
    }
  }

  /// The host behind a cleanup timer is cleaned, if it is still infected.
  void clean(std::uint32_t host) {
    const int pool = pools_.pool_of(host);
    if (is_infected_pool(pool)) {
      ++result_.figures.events;
      move(host, kCleanedPool);
      stop_scanning(host);
    } else if (pool == kBrokenInfected) {
      cleanup_when_back_.insert(host);
    }
  }

  /// An infected host broken by a bad patch stops scanning until its rollback.
  void pause_scanning(std::uint32_t host) {
    if (!sweeps_.stop(host)) scanning_changed(host, model_.link_of(hosts_, host), -1);
    sweeps_.end_sweep(host);
  }

  /// A rolled-back infected host scans again, with a new sweep.
  void resume_scanning(std::uint32_t host, double t) {
    const int link = model_.link_of(hosts_, host);
    scanning_changed(host, link, +1);
    if (!model_.random_targets()) sweeps_.start_scanner(host, link, t, Sweeps::kUnknownRank);
  }

  /// An infected host stops scanning for good (cleaned or cured).
  void stop_scanning(std::uint32_t host) {
    if (!sweeps_.stop(host)) scanning_changed(host, model_.link_of(hosts_, host), -1);
    sweeps_.leave_walk(host);
  }

  // ---- sweeping scanners -----------------------------------------------------

  /// What a sweep reads and changes here (see SweepContext in engine/sweeps.hpp).
  struct SweepEffects {
    Simulator& sim;
    [[nodiscard]] Found found(std::uint32_t host) const {
      const int pool = sim.pools_.pool_of(host);
      return is_susceptible_pool(pool) ? Found::kSusceptible
             : is_infected_pool(pool)  ? Found::kInfected
                                       : Found::kOther;
    }
    [[nodiscard]] int type_of(std::uint32_t host) const {
      return sim.type_of_stratum(sim.pools_.stratum_of(host));
    }
    void prefetch_host(std::uint32_t host) const { sim.pools_.prefetch_host(host); }
    [[nodiscard]] double delivered_share() const {
      return sim.model_.capacity() > 0.0 ? sim.delivered_share(sim.sent_probe_rate()) : 1.0;
    }
    void infect(std::uint32_t host, double t, std::uint64_t rank) {
      sim.infect(host, t, rank);
      sim.count_infection(t);
    }
    void crash(std::uint32_t host, double t) { sim.crash(host, t); }
    void stopped_scanning(std::uint32_t host, int link) { sim.scanning_changed(host, link, -1); }
  };

  /// Handles the agenda's next event.
  void handle_scheduled() {
    if (queue_.next_kind() == EventKind::kScannerArrival) {
      handle_arrival();
      return;
    }
    const ScheduledEvent e = queue_.pop();
    now_ = e.time;
    switch (e.kind) {
      case EventKind::kSeedInfection:
        if (is_susceptible_pool(pools_.pool_of(e.id))) {
          infect(e.id, e.time);
          count_infection(e.time);
        }
        break;
      case EventKind::kCrashReturn: {
        // Stale if the host was patched or broken meanwhile (and perhaps crashed again).
        prefetch_returns();
        if (pools_.pool_of(e.id) != kOffline) break;
        if (track_offline_) {
          if (offline_until_.until(e.id) != e.time) break;
          offline_until_.erase(e.id);
        }
        move(e.id, kSusceptible);
        break;
      }
      case EventKind::kCleanup:
        clean(e.id);
        break;
      case EventKind::kScannerArrival:
        break;  // handled above
    }
  }

  /// Handles the next scanner arrival.
  void handle_arrival() {
    const Agenda::Arrival a = queue_.pop_arrival();
    now_ = a.time;
    SweepEffects effects{*this};
    sweeps_.arrive(a.record, a.time, effects);
  }

  /// Handles, from time t on, the scanner arrivals that come before anything else
  /// (with the sweeping strategies, which make no random contacts): up to the
  /// report at time `report` included, before the next patch action and the next
  /// other event (both go first at equal times), integrating the probes sent.
  void run_arrivals(double report, double& t) {
    while (true) {
      const double next = queue_.next_arrival_time();
      if (!(next <= report && next < patches_.next_time() && next < queue_.next_other_time())) return;
      result_.figures.probes += sent_probe_rate() * (next - t);
      t = next;
      handle_arrival();
    }
  }

  // ---- reporting ---------------------------------------------------------------

  /// Records the time of every milestone reached and finds the next one.
  void check_milestones(double t);

  /// Host-hours spent broken up to time t (from the release on).
  [[nodiscard]] double outage_host_hours(double t) const {
    const double done = static_cast<double>(outages_done_) * scenario_.patching.bad_patch.outage;
    return (done + static_cast<double>(broken()) * t - broken_since_sum_) / kHour;
  }

  void record(double t);

  void finish_figures(double end);

  const Scenario& scenario_;
  const WormModel model_;
  const StreamKey key_;  // every stream of the replicate derives from it
  Rng rng_;              // random-target contacts
  Rng break_rng_;        // breaks by a bad patch
  HostAttributes hosts_;  // addresses (sorted; host i lives at address[i]), types, links
  std::optional<LocalPreferenceIndex> local_;  // local-preference scanning only
  HostPartition pools_;   // strata: (/16 block if local preference) x host type
  // Per-stratum counts as SumTrees, when there are too many strata to scan.
  bool use_trees_ = false;
  bool track_susceptible_ = false;
  SumTree susceptible_tree_;
  std::vector<std::int64_t> susceptible_by_type_;
  double weighted_susceptible_ = 0.0;  // weighted_susceptible()
  // The patch system and per-group bookkeeping.
  PatchSystem patches_;
  bool track_groups_ = false;                  // several groups: per-group pool counts kept
  std::vector<std::uint64_t> group_pools_;     // [group * kPoolCount + pool]
  std::vector<std::uint64_t> group_patched_;   // hosts that became patched (P, I patched, C)
  std::vector<std::uint64_t> group_patched_at_start_;
  std::vector<std::uint64_t> group_infected_;  // hosts ever infected
  std::vector<std::uint64_t> group_breaks_;
  std::vector<std::optional<double>> group_half_life_;
  std::vector<std::uint64_t> group_outages_done_;  // completed outages (each bad_patch.outage long)
  std::vector<double> group_broken_since_;     // sum of the break times of the hosts broken now
  std::vector<std::uint64_t> ring_patched_;
  std::uint64_t patched_at_start_ = 0;
  std::uint64_t outages_done_ = 0;             // completed outages (each bad_patch.outage long)
  double broken_since_sum_ = 0.0;              // sum of the break times of the hosts broken now
  std::vector<bool> explicit_seed_;            // while the patches before t = 0 run
  std::unordered_set<std::uint32_t> cleanup_when_back_;  // broken hosts whose cleanup fell due
  std::unordered_map<std::uint32_t, double> crashed_until_;  // broken while crashed: the crash's return
  bool cleanup_ = false;
  std::vector<double> cleanup_rates_;          // per group (one entry: the same for all)
  bool track_offline_ = false;                 // offline_until_ kept for every offline host
  double now_ = 0.0;                           // time of the event being handled
  std::vector<std::int64_t> active_scanners_;  // scanning hosts per link class
  std::array<std::uint64_t, kLookahead> target_words_{};  // per contact ahead: host choice
  std::array<double, kLookahead> type_uniforms_{};        // per contact ahead: type choice
  bool typed_targets_ = false;                            // type_uniforms_ drawn and used
  int next_target_ = 0;
  Agenda queue_;
  OfflineUntil offline_until_;                 // offline (crashed or broken) host -> return time
  // Reporting.
  std::vector<std::uint32_t> minute_counts_;
  Milestones milestones_{};
  std::uint64_t next_milestone_ = 0;  // smallest milestone count not yet reached
  std::uint64_t cumulative_infected_ = 0;
  std::uint64_t new_infections_ = 0;
  Result result_;
  // Sweeping strategies (constructed last: it keeps references to the members above).
  Sweeps sweeps_;
};

}  // namespace patchrace::detail
