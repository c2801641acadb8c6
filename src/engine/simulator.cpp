// The exact event-driven engine for uniformly scanning worms.
//
// Every process is a Poisson process whose rate depends only on pool sizes:
//   infection  scanners * scan_rate * exploit_success * susceptible / |space|
//   patching   ln 2 / half_life * (unpatched hosts that will patch), after release
//   cleanup    infected / mean_delay
// Probes that cannot change anything (empty addresses, hosts already infected or
// patched, failed exploits) are never drawn: superposition and thinning fold them
// into the rates. The next event time is exponential in the summed rate, the
// event kind is chosen in proportion to its rate and the host uniformly in its
// pool. Scheduled changes (patch release, report times) end the current waiting
// time; by memorylessness a fresh one is drawn afterwards, which is exact.
#include <array>
#include <chrono>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "engine/host_partition.hpp"
#include "engine/rng.hpp"
#include "engine/samplers.hpp"
#include "model/population.hpp"
#include "patchrace/error.hpp"
#include "patchrace/simulate.hpp"

namespace patchrace {
namespace detail {
namespace {

// Pools, numbered so that frequent moves cross one boundary.
enum Pool : int {
  kPatchedPool = 0,      // P: patched while susceptible
  kSusceptibleWillPatch, // S, patches at its own pace
  kInfectedWillPatch,    // I, not yet patched
  kInfectedPatched,      // I, patched but the worm still runs
  kCleanedPool,          // C
  kInfectedNever,        // I, never patches
  kSusceptibleNever,     // S, never patches
  kPoolCount
};

/// Thresholds of cumulative infections at which time_to_10/50/90 are taken.
struct Milestones {
  std::uint64_t count[3];
  std::optional<double>* figure[3];
};

class Simulator {
 public:
  Simulator(const Scenario& scenario, std::uint64_t seed, std::uint64_t replicate)
      : scenario_(scenario),
        hosts_(static_cast<std::uint32_t>(scenario.population.hosts)),
        space_size_(static_cast<double>(scenario.address_space.size())),
        contact_rate_(scenario.worm.scan_rate * scenario.worm.exploit_success / space_size_),
        patch_rate_(scenario.patching.enabled ? std::log(2.0) / scenario.patching.half_life : 0.0),
        cleanup_rate_(scenario.cleanup.enabled ? 1.0 / scenario.cleanup.mean_delay : 0.0),
        rng_(seed, replicate, StreamPurpose::kEngine),
        pools_(hosts_, kPoolCount, kSusceptibleWillPatch) {
    result_.replicate = replicate;
    result_.seed = seed;
    for (auto& word : target_words_) word = rng_.next_u64();
    place_and_seed(seed, replicate);
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
          static_cast<std::uint64_t>(std::ceil(fractions[i] * static_cast<double>(hosts_)));
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
      const double scheduled = release_pending
                                   ? std::min(report_at[next_report], scenario_.patching.release)
                                   : report_at[next_report];
      const double scanners = static_cast<double>(infected());
      const double infection_rate = contact_rate_ * scanners * static_cast<double>(susceptible());
      const double patch_rate =
          release_pending ? 0.0
                          : patch_rate_ * static_cast<double>(pools_.size(kSusceptibleWillPatch) +
                                                              pools_.size(kInfectedWillPatch));
      const double cleanup_rate = cleanup_rate_ * scanners;
      const double total_rate = infection_rate + patch_rate + cleanup_rate;
      const double wait = total_rate > 0.0 ? sample_exponential(rng_, total_rate)
                                           : std::numeric_limits<double>::infinity();

      if (t + wait >= scheduled) {
        result_.figures.probes += scanners * scenario_.worm.scan_rate * (scheduled - t);
        t = scheduled;
        if (release_pending && t >= scenario_.patching.release) release_pending = false;
        if (t >= report_at[next_report]) {
          record(t);
          ++next_report;
        }
        continue;
      }
      result_.figures.probes += scanners * scenario_.worm.scan_rate * wait;
      t += wait;
      ++result_.figures.events;
      // With only one process running no choice is needed (and no word drawn).
      const double pick = infection_rate == total_rate ? 0.0 : rng_.uniform() * total_rate;
      if (pick < infection_rate) {
        infect_at(t);
      } else if (pick < infection_rate + patch_rate) {
        patch_random_host();
      } else {
        clean_random_infected();
      }
    }
    finish_figures();
    return std::move(result_);
  }

 private:
  [[nodiscard]] std::uint64_t susceptible() const {
    return pools_.size(kSusceptibleWillPatch) + pools_.size(kSusceptibleNever);
  }
  [[nodiscard]] std::uint64_t infected() const {
    return pools_.size(kInfectedWillPatch) + pools_.size(kInfectedPatched) +
           pools_.size(kInfectedNever);
  }

  /// Places hosts, assigns who never patches, applies patches released before
  /// t = 0, then infects the seeds.
  void place_and_seed(std::uint64_t seed, std::uint64_t replicate) {
    Rng placement(seed, replicate, StreamPurpose::kPlacement);
    const auto& worm = scenario_.worm;
    addresses_ = place_hosts_uniform(scenario_.address_space, hosts_, worm.seed_addresses, placement);

    std::vector<std::uint32_t> seed_hosts;
    seed_hosts.reserve(worm.seed_addresses.size());
    for (std::uint32_t a : worm.seed_addresses) {
      const auto it = std::lower_bound(addresses_.begin(), addresses_.end(), a);
      seed_hosts.push_back(static_cast<std::uint32_t>(it - addresses_.begin()));
    }
    std::vector<bool> is_seed(seed_hosts.empty() ? 0 : hosts_, false);
    for (std::uint32_t h : seed_hosts) is_seed[h] = true;

    const auto& patching = scenario_.patching;
    if (patching.enabled) {
      const double pre_patched =
          patching.release < 0.0 ? -std::expm1(patch_rate_ * patching.release) : 0.0;
      for (std::uint32_t h = 0; h < hosts_; ++h) {
        if (sample_bernoulli(placement, patching.never_fraction)) {
          pools_.move(h, kSusceptibleNever);
        } else if (pre_patched > 0.0 && !(is_seed.size() && is_seed[h]) &&
                   sample_bernoulli(placement, pre_patched)) {
          pools_.move(h, kPatchedPool);
        }
      }
    }

    if (seed_hosts.empty()) {
      for (std::uint64_t i = 0; i < worm.initial_infected; ++i) infect_random_susceptible();
    } else {
      for (std::uint32_t h : seed_hosts) infect(h);
    }
    initial_infected_ = cumulative_infected_;
    new_infections_ = initial_infected_;
  }

  /// Infects a host drawn uniformly from all susceptible hosts (there must be one).
  /// The random word that picks the host was drawn kLookahead infections earlier
  /// and the array entry it was then likely to select was prefetched: on large
  /// populations this hides most of the cache miss. The words are independent of
  /// everything drawn in between, so the choice is exactly uniform.
  void infect_random_susceptible() {
    const std::uint64_t word = target_words_[next_word_];
    target_words_[next_word_] = rng_.next_u64();
    prefetch_target(target_words_[next_word_]);
    next_word_ = (next_word_ + 1) % kLookahead;
    const std::uint32_t will_patch = pools_.size(kSusceptibleWillPatch);
    const std::uint64_t i = sample_index_from(word, rng_, susceptible());
    if (i < will_patch) {
      pools_.move_at(kSusceptibleWillPatch, static_cast<std::uint32_t>(i), kInfectedWillPatch);
    } else {
      pools_.move_at(kSusceptibleNever, static_cast<std::uint32_t>(i - will_patch), kInfectedNever);
    }
    ++cumulative_infected_;
  }

  /// Prefetches the entry `word` would select among the susceptible hosts now.
  void prefetch_target(std::uint64_t word) const {
    const std::uint64_t n = susceptible();
    if (n == 0) return;
    const auto i = static_cast<std::uint64_t>((static_cast<Uint128>(word) * n) >> 64);
    const std::uint32_t will_patch = pools_.size(kSusceptibleWillPatch);
    if (i < will_patch) {
      pools_.prefetch(kSusceptibleWillPatch, static_cast<std::uint32_t>(i));
    } else {
      pools_.prefetch(kSusceptibleNever, static_cast<std::uint32_t>(i - will_patch));
    }
  }

  /// Infects a given susceptible host.
  void infect(std::uint32_t host) {
    pools_.move(host, pools_.pool_of(host) == kSusceptibleNever ? kInfectedNever : kInfectedWillPatch);
    ++cumulative_infected_;
  }

  void infect_at(double t) {
    infect_random_susceptible();
    ++new_infections_;
    ++minute_counts_[static_cast<std::size_t>(t * kPerMinute)];
    if (cumulative_infected_ >= next_milestone_) check_milestones(t);
  }

  void patch_random_host() {
    const std::uint32_t susceptible = pools_.size(kSusceptibleWillPatch);
    const std::uint64_t i = sample_index(rng_, susceptible + pools_.size(kInfectedWillPatch));
    if (i < susceptible) {
      pools_.move_at(kSusceptibleWillPatch, static_cast<std::uint32_t>(i), kPatchedPool);
    } else {
      pools_.move_at(kInfectedWillPatch, static_cast<std::uint32_t>(i - susceptible),
                     scenario_.patching.cures_infected ? kCleanedPool : kInfectedPatched);
    }
  }

  void clean_random_infected() {
    std::uint64_t i = sample_index(rng_, infected());
    for (int pool : {kInfectedWillPatch, kInfectedPatched, kInfectedNever}) {
      if (i < pools_.size(pool)) {
        pools_.move_at(pool, static_cast<std::uint32_t>(i), kCleanedPool);
        return;
      }
      i -= pools_.size(pool);
    }
  }

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
    push(Series::kSusceptible, susceptible());
    push(Series::kInfected, infected());
    push(Series::kPatched, pools_.size(kPatchedPool));
    push(Series::kCleaned, pools_.size(kCleanedPool));
    push(Series::kNewInfections, new_infections_);
    push(Series::kCumulativeInfected, cumulative_infected_);
    new_infections_ = 0;
  }

  void finish_figures() {
    auto& f = result_.figures;
    f.vulnerable = hosts_;
    f.final_infected = infected();
    f.total_infected = cumulative_infected_;
    f.final_patched = pools_.size(kPatchedPool);
    f.final_cleaned = pools_.size(kCleanedPool);
    for (std::size_t m = 0; m < minute_counts_.size(); ++m) {
      if (minute_counts_[m] > f.peak_new_per_minute) {
        f.peak_new_per_minute = minute_counts_[m];
        f.peak_minute_start = static_cast<double>(m) * kMinute;
      }
    }
  }

  const Scenario& scenario_;
  const std::uint32_t hosts_;
  const double space_size_;
  const double contact_rate_;  // effective contacts per second per (scanner, susceptible) pair
  const double patch_rate_;    // per second per host that will patch
  const double cleanup_rate_;  // per second per infected host
  static constexpr double kPerMinute = 1.0 / kMinute;
  static constexpr int kLookahead = 8;  // infections between drawing a target word and using it

  Rng rng_;
  HostPartition pools_;
  std::array<std::uint64_t, kLookahead> target_words_{};
  int next_word_ = 0;
  std::vector<std::uint32_t> addresses_;  // sorted; host i lives at addresses_[i]
  std::vector<std::uint32_t> minute_counts_;
  Milestones milestones_{};
  std::uint64_t next_milestone_ = 0;  // smallest milestone count not yet reached
  std::uint64_t initial_infected_ = 0;
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
