// The sweeps of the sweeping strategies (sequential, permutation), exact per
// scanner: each scanner's next event is its arrival at the next host ahead of it on
// its walk that could change (susceptible or offline; for permutation also
// infected, which makes it jump), found through a NextSet; scanners wait, their
// records with them, in a calendar queue (ArrivalQueue) beside the heap of the few
// other scheduled events. Where infected hosts stay infected, a permutation copy's
// hit on a host already infected when the probe is scheduled is taken then, not
// queued (see Sweeps::schedule_from).
//
// The simulator owns the hosts' states. A sweep reads what it needs (addresses,
// offline hosts' return times) through references taken at construction, and
// changes hosts through the context passed to Sweeps::arrive (a SweepContext,
// a template argument so that its calls inline: one arrival calls several).
#pragma once

#include <array>
#include <concepts>
#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

#include "engine/agenda.hpp"
#include "base/bit_vector.hpp"
#include "base/divider.hpp"
#include "base/next_set.hpp"
#include "engine/offline_until.hpp"
#include "base/permutation.hpp"
#include "base/prefetch.hpp"
#include "base/prefix_index.hpp"
#include "base/rng.hpp"
#include "base/samplers.hpp"
#include "engine/scanner.hpp"
#include "engine/worm_model.hpp"
#include "patchrace/result.hpp"
#include "patchrace/scenario.hpp"

namespace patchrace::detail {

/// What a probe finds at a host, as far as a sweep is concerned.
enum class Found : std::uint8_t {
  kSusceptible,  // online and unpatched: the probe may infect or crash it
  kInfected,     // infected (patched or not): scanning unless broken, cleaned or dormant
  kOther,        // anything else (patched, cleaned, broken, offline)
};

/// What a sweep reads and changes in the simulation it runs in, at an arrival:
///   found(host)             what a probe of `host` finds now
///   type_of(host)           the host type of `host`
///   prefetch_host(host)     hint: found(host) and a change of `host` come soon
///   delivered_share()       share of the sent probes the network delivers now
///                           (bandwidth capacity), in (0, 1]
///   infect(host, t, rank)   infects susceptible `host` at time t (seconds), reached
///                           at walk rank `rank`, and counts the infection; its
///                           own sweep starts through Sweeps::infected
///   crash(host, t)          a failed exploit crashes susceptible `host` at time t
///   stopped_scanning(host, link)  `host` (of link class `link`) went dormant
template <typename C>
concept SweepContext = requires(C& c, const C& cc, std::uint32_t host, int link, double t,
                                std::uint64_t rank) {
  { cc.found(host) } -> std::same_as<Found>;
  { cc.type_of(host) } -> std::convertible_to<int>;
  cc.prefetch_host(host);
  { cc.delivered_share() } -> std::convertible_to<double>;
  c.infect(host, t, rank);
  c.crash(host, t);
  c.stopped_scanning(host, link);
};

/// The walk shared by all sweeps and the scanners on it. Empty (no walk, no
/// scanners) for the random-target strategies. Not thread-safe; one per replicate.
class Sweeps {
 public:
  static constexpr std::uint64_t kUnknownRank = std::numeric_limits<std::uint64_t>::max();

  /// Builds the walk order and the set of hosts a sweep must stop at. Keeps
  /// references to every argument but `key` (all must outlive it); draws from its
  /// own streams of `key` (StreamPurpose::kSweeps). `agenda` receives the scanner arrivals,
  /// `offline_until` holds every offline host's return time, `figures` counts
  /// events and sweeps.
  Sweeps(const Scenario& scenario, const WormModel& model, const HostAttributes& hosts, StreamKey key,
         Agenda& agenda, const OfflineUntil& offline_until, Figures& figures);

  /// A host infected at time t starts its sweep (`rank`: its walk rank, if known);
  /// a sequential sweep stops at it no more.
  void infected(std::uint32_t host, int link, double t, std::uint64_t rank) {
    if (model_.strategy() == ScanStrategy::kSequential) walk_.erase(host);
    start_scanner(host, link, t, rank);
  }

  /// Starts the walk of a newly infected host at time t (`rank`: its walk rank, if known).
  void start_scanner(std::uint32_t host, int link, double t, std::uint64_t rank);

  /// A host no sweep needs to stop at any more (patched or cleaned).
  void leave_walk(std::uint32_t host) {
    if (walk_.size() > 0) walk_.erase(walk_rank(host));
  }

  /// Infected `host` stops sweeping: it was cleaned, cured or broken. Its scanner's
  /// arrival still queued ends the sweep. Returns whether it had stopped already,
  /// dormant (permutation with dormancy), so that the caller does not count it twice.
  bool stop(std::uint32_t host) {
    if (sweeping_.empty()) return false;
    if (takes_hits_ahead_) throw_stopped_with_hits_ahead(host);
    if (!walk_steps_.empty()) walk_.reset_flag(walk_rank(host));
    const bool dormant = !sweeping_.test(host);
    sweeping_.reset(host);
    return dormant;
  }

  /// The current sweep of `host` ends (it broke): its scanner's later arrivals are stale.
  void end_sweep(std::uint32_t host) {
    if (!sweep_epoch_.empty()) ++sweep_epoch_[host];  // its sweep ends
  }

  /// `scanner` probes its target at time t.
  template <SweepContext Context>
  void arrive(Scanner s, double t, Context& context) {
    prefetch_arrivals(context);
    if (!sweeping_.test(s.self) || (!sweep_epoch_.empty() && s.epoch != sweep_epoch_[s.self])) {
      return;  // cleaned, cured or broken since: this sweep is over
    }
    const bool member = walk_.contains(s.rank);
    const std::uint32_t target = walk_host(s.rank);
    const double share = context.delivered_share();
    if (member && (share >= 1.0 || rng_.uniform() < share)) {
      // An infected host is known by its rank: a probe that hits one reads nothing of it.
      const Found found = infected_at(s.rank) ? Found::kInfected : context.found(target);
      if (found == Found::kSusceptible) {
        ++figures_.events;
        const int type = context.type_of(target);
        const double success = model_.success(type);
        const double u = success < 1.0 ? rng_.uniform() : 0.0;  // a sure exploit draws nothing
        if (u < success) {
          context.infect(target, t, s.rank);
        } else if (u < model_.weight(type)) {
          context.crash(target, t);
        }
      } else if (found == Found::kInfected && model_.strategy() == ScanStrategy::kPermutation) {
        s.hits = after_hit(s.hits);
        if (dormant_with(s.hits)) {
          sweeping_.reset(s.self);
          context.stopped_scanning(s.self, s.link);
          return;
        }
        // Jump: the next probe, one interval later, goes to a new random position.
        const double step = probe_seconds_[s.link];
        schedule_from(s, next_random_position(), 0, t + step, false);
        return;
      }
    }
    // Move on past this host: its probe left at t with the current phase.
    schedule_from(s, walk_position(s.rank), s.phase, t, true);
  }

 private:
  [[nodiscard]] std::uint32_t host_count() const { return host_count_; }

  /// Hits taken ahead rely on infected hosts staying infected: a stop breaks that.
  [[noreturn]] static void throw_stopped_with_hits_ahead(std::uint32_t host);

  /// A permutation walk's step: the host at a rank and its walk position, side by
  /// side so that an arrival finds both in one cache line.
  struct WalkStep {
    std::uint32_t position;
    std::uint32_t host;
  };
  static constexpr auto kStepPosition = &WalkStep::position;

  /// Walk position and host of walk rank r.
  [[nodiscard]] std::uint32_t walk_position(std::uint64_t r) const {
    return walk_steps_.empty() ? hosts_.address[r] - scenario_.address_space.base : walk_steps_[r].position;
  }
  [[nodiscard]] std::uint32_t walk_host(std::uint64_t r) const {
    return walk_steps_.empty() ? static_cast<std::uint32_t>(r) : walk_steps_[r].host;
  }
  /// Walk rank of `host`.
  [[nodiscard]] std::uint64_t walk_rank(std::uint32_t host) const;

  /// Whether the host at walk rank r is known infected (permutation only; with the
  /// other strategies, false: the host must be read).
  [[nodiscard]] bool infected_at(std::uint64_t r) const {
    return !walk_steps_.empty() && walk_.flag(r);
  }

  /// Walk rank of the first host at or after walk position `position`.
  [[nodiscard]] std::uint64_t first_rank_at_or_after(std::uint64_t position) const {
    return walk_steps_.empty() ? walk_index_.lower_bound(hosts_.address, position)
                               : walk_index_.lower_bound(std::span<const WalkStep>(walk_steps_), position, kStepPosition);
  }

  /// Where a sweep starts: a walk position and the rank of the first host at or after it.
  struct Start {
    std::uint64_t position;
    std::uint64_t first_rank;
  };

  /// Blaster's start: own /16 with a lowered third byte, or a random /24.
  Start sequential_start(std::uint32_t host);

  /// The next random walk position: a sequential sweep's random start (the first
  /// address of a random allowed /24) or a permutation copy's jump (uniform). Drawn
  /// kRandomAhead uses early from their own stream, so that the walk index entry and
  /// the walk positions their lookups read can be fetched meanwhile.
  std::uint64_t next_random_position();
  std::uint64_t draw_random_position();

  /// Schedules scanner `s`'s next probe of a host that could change: the first
  /// member of the walk set at or after walk position `position`, where the probe
  /// of `position` leaves at `time` with batch phase `phase`. With `strictly_after`,
  /// the host at `position` itself (just probed) is skipped. `first_rank`: the rank
  /// of the first host at or after `position`, when the caller knows it.
  ///
  /// When hits are taken ahead (see takes_hits_ahead_) and that probe will hit an
  /// infected host, the hit is taken now, as arrive() would take it then, and the
  /// copy's jump from there is scheduled instead, and so on. Each hit moves the time
  /// on by at least a probe interval, and none is taken after the run's end. A hit
  /// that makes the copy dormant stays an arrival: the copy stops scanning at its time.
  void schedule_from(Scanner s, std::uint64_t position, std::uint64_t phase, double time,
                     bool strictly_after, std::uint64_t first_rank = kUnknownRank) {
    while (true) {
      double arrival = 0.0;
      if (!next_arrival(s, position, phase, time, strictly_after, first_rank, arrival)) return;
      if (!hit_ahead(s, arrival)) {
        agenda_.push_arrival(arrival, s);
        return;
      }
      s.hits = after_hit(s.hits);
      position = next_random_position();
      phase = 0;
      time = arrival + probe_seconds_[s.link];
      strictly_after = false;
      first_rank = kUnknownRank;
    }
  }

  /// Whether the probe of the host at walk rank s.rank, when s arrives there at
  /// `arrival`, is a hit known now that leaves the copy scanning: the host is
  /// infected and stays so (hits are taken ahead only where infected hosts never stop
  /// being infected, and every probe is delivered), and the copy does not reach its
  /// dormancy with it. Not after the run's end: such arrivals are never taken, and
  /// taking their hits would be work for nothing.
  [[nodiscard]] bool hit_ahead(const Scanner& s, double arrival) const {
    if (!takes_hits_ahead_ || !infected_at(s.rank) || arrival > scenario_.run.duration) return false;
    return !dormant_with(after_hit(s.hits));
  }

  /// A permutation copy's count of hits on infected hosts after one more (saturating).
  [[nodiscard]] static std::uint8_t after_hit(std::uint8_t hits) {
    return hits < 255 ? static_cast<std::uint8_t>(hits + 1) : hits;
  }
  /// Whether a copy with `hits` hits goes dormant (never when dormant_after is 0).
  [[nodiscard]] bool dormant_with(std::uint8_t hits) const {
    const std::uint32_t dormant_after = scenario_.worm.permutation.dormant_after;
    return dormant_after > 0 && hits >= dormant_after;
  }

  /// Finds scanner `s`'s next arrival as schedule_from() describes it, setting
  /// s.rank and s.phase; false when there is none (the sweep goes on without events).
  bool next_arrival(Scanner& s, std::uint64_t position, std::uint64_t phase, double time, bool strictly_after,
                    std::uint64_t first_rank, double& arrival) const {
    const std::uint64_t space = scenario_.address_space.size();
    // Just past the current target its rank is known; a new start needs a search.
    std::uint64_t from_rank = strictly_after               ? std::uint64_t{s.rank} + 1
                              : first_rank != kUnknownRank ? first_rank
                                                           : first_rank_at_or_after(position);
    if (from_rank >= host_count()) from_rank = 0;
    const double batch_seconds = batch_seconds_[s.link];
    // The first member ahead that the probe reaches while it can change. An offline
    // (crashed) host is skipped when the probe passes it before it comes back; it
    // stays a member so that later sweeps stop there. At most one lap is searched.
    std::uint64_t rank = walk_.next_cyclic(from_rank);
    Divider::Result batches{};
    std::uint64_t searched = 0;
    while (true) {
      if (rank == NextSet::kNone || searched > host_count()) return false;
      std::uint64_t distance = (walk_position(rank) + space - position) & (space - 1);  // space: a power of two
      if (distance == 0 && strictly_after) distance = space;  // a full lap back to itself
      batches = batch_.divide(phase + distance);
      arrival = time + static_cast<double>(batches.quotient) * batch_seconds;
      if (offline_until_.empty() || arrival >= offline_until_.until(walk_host(rank))) break;
      ++searched;
      rank = walk_.next_cyclic(rank + 1 < host_count() ? rank + 1 : 0);
    }
    s.rank = static_cast<std::uint32_t>(rank);
    s.phase = static_cast<std::uint32_t>(batches.remainder);
    return true;
  }

  /// Hints the processor to fetch what the next arrivals read, in two steps whose
  /// loads should have arrived by the next: the scanning host's state, the target's
  /// entry in the walk (with, for permutation, its infected flag) and its walk
  /// position a few arrivals ahead; then the target's state.
  template <SweepContext Context>
  void prefetch_arrivals(const Context& context) const {
    constexpr std::size_t kWalkAhead = 6, kTargetAhead = 3;
    const auto next = agenda_.upcoming_arrivals();
    if (next.size() > kWalkAhead) {
      const Scanner& s = next[kWalkAhead].record;
      sweeping_.prefetch(s.self);
      walk_.prefetch(s.rank);
      if (walk_steps_.empty()) {
        detail::prefetch(&hosts_.address[s.rank]);
      } else {
        detail::prefetch(&walk_steps_[s.rank]);
      }
    }
    if (next.size() > kTargetAhead) {
      const std::uint32_t rank = next[kTargetAhead].record.rank;
      if (!infected_at(rank)) context.prefetch_host(walk_host(rank));
    }
  }

  const Scenario& scenario_;
  const WormModel& model_;
  const HostAttributes& hosts_;
  Rng rng_;                                    // starts' choices, delivery and exploit outcomes
  Agenda& agenda_;
  const OfflineUntil& offline_until_;  // offline (crashed or broken) host -> return time
  Figures& figures_;
  std::uint32_t host_count_;                   // hosts_.address.size(), read on every step of a walk
  Divider batch_;                              // by the addresses per batch (sequential; 1 for permutation)
  std::vector<double> batch_seconds_;          // per link class: seconds between batches
  std::vector<double> probe_seconds_;          // per link class: seconds between probes
  NextSet walk_{0};                            // walk ranks a sweep must stop at; for permutation,
                                               // flagged where the host is infected
  static constexpr std::size_t kRandomAhead = 8;
  Rng random_rng_;                             // random starts and jumps, drawn ahead
  std::array<std::uint64_t, kRandomAhead> random_positions_{};  // ring of the next random walk positions
  std::size_t next_random_ = 0;
  std::optional<AddressPermutation> permutation_;
  std::vector<WalkStep> walk_steps_;           // permutation: position and host of each rank
  PrefixIndex walk_index_;                     // first rank at or after a walk position
  BitVector sweeping_;                         // per host: its sweep goes on (infected, not dormant)
  std::vector<std::uint8_t> sweep_epoch_;      // bad patch with sweeps: per host, bumped when it breaks
  // Permutation, where no infected host stops being infected (no cleanup, cure or
  // bad patch) and every probe is delivered (no bandwidth capacity): a probe that
  // will reach a host infected now is a hit already, taken when it is scheduled
  // (see schedule_from). Most jumps late in an outbreak land on infected hosts.
  bool takes_hits_ahead_ = false;
};

}  // namespace patchrace::detail
