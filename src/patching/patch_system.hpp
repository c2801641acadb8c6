// The patch system of one replicate (docs/patching.md): management groups, their
// self-patching classes and central services, the bad patch, rollbacks and
// re-patches, and news. It decides who is patched when; the simulator applies the
// patches to the hosts' states and tells it what happened (break, rollback).
//
// Everything it schedules lives here, not in the simulator's event queue: a few
// sources (one per self-patching class and per service) plus a small heap of timed
// per-host actions (rollbacks, re-patches, re-queues, news).
#pragma once

#include <cstdint>
#include <limits>
#include <queue>
#include <span>
#include <vector>

#include "patching/patch_service.hpp"
#include "base/rng.hpp"
#include "patching/self_patch_class.hpp"
#include "patchrace/scenario.hpp"

namespace patchrace::detail {

/// What the patch system asks the simulator to do at its next time.
struct PatchAction {
  enum class Kind : std::uint8_t {
    kPatch,     // apply the patch to `host` (if it still needs it: the simulator checks)
    kRollback,  // `host`, broken by the bad patch, is rolled back
  };
  Kind kind = Kind::kPatch;
  std::uint32_t host = 0;
  int ring = -1;  // kPatch from a ring's deployment: its index among all rings; else -1
};

class PatchSystem {
 public:
  /// Draws each host's group (and, for central services, its exposure) and builds
  /// the classes and services. Each draws from its own stream of `key`: groups,
  /// exposures, each group's class choice, each class's patch times, each service's
  /// order and the repatch delays (StreamPurpose), so that changing one group's
  /// policy leaves every other group's draws as they were.
  /// The hosts of `seed_hosts` (indices, the hosts at worm.seed_addresses) are put in
  /// worm.seed_group when it names one; exact group counts stay exact.
  PatchSystem(const Scenario& scenario, std::uint32_t host_count, StreamKey key,
              std::span<const std::uint32_t> seed_hosts = {});

  [[nodiscard]] int group_count() const { return group_count_; }
  [[nodiscard]] int group_of(std::uint32_t host) const { return group_.empty() ? 0 : group_[host]; }
  [[nodiscard]] std::uint64_t group_size(int group) const { return group_size_[group]; }
  /// Index of worm.seed_group among the groups, -1 without one.
  [[nodiscard]] int seed_group() const { return seed_group_; }
  /// Rings of all services, in order (services in order, rings in order).
  [[nodiscard]] int ring_count() const { return ring_count_; }

  /// Simulation time of the next action, +infinity if none.
  [[nodiscard]] double next_time() const { return next_time_; }

  /// Takes the next action (at next_time()). `need(host, t)` says whether a host
  /// reached by a self-patching class or a service needs the patch; hosts that do
  /// not are passed over, deferred ones (seeds before t = 0) handed back at t = 0.
  /// Returns false when the due source had nothing to do (the time then moved on).
  template <typename NeedOf>
  bool take(NeedOf need, PatchAction& out);

  /// The break probability of a patch applied at simulation time t.
  [[nodiscard]] double break_probability(double t) const;
  /// `host` broke at time t: schedules its rollback.
  void broke(std::uint32_t host, double t);
  /// `host` was rolled back at time t: schedules its re-patch.
  void rolled_back(std::uint32_t host, double t);

  /// Hosts ever infected reached `count` at time t (news triggers by count).
  void infected_count(std::uint64_t count, double t);
  /// Smallest infected-count news trigger not yet fired (UINT64_MAX if none).
  [[nodiscard]] std::uint64_t next_count_trigger() const { return next_count_trigger_; }

  /// The deferred hosts (seeds passed over before t = 0) get their patch from t = 0.
  void release_deferred();

 private:
  struct Timed {
    double time;
    std::uint32_t host;
    std::uint8_t kind;  // TimedKind
    bool operator>(const Timed& o) const {
      if (time != o.time) return time > o.time;
      if (kind != o.kind) return kind > o.kind;
      return host > o.host;
    }
  };
  enum TimedKind : std::uint8_t { kRollbackDue = 0, kRequeueDue, kRepatchDue, kNewsDue };

  struct Group {
    PolicyKind kind = PolicyKind::kNone;
    int service = -1;               // central
    std::vector<int> classes;       // self: indices into classes_
    NewsSpec news;
    bool news_fired = false;
  };

  void assign_groups(const Scenario& scenario, std::uint32_t host_count, StreamKey key,
                     std::span<const std::uint32_t> seed_hosts);
  void place_seeds_in_group(const Scenario& scenario, std::span<const std::uint32_t> seed_hosts);
  void build_classes(const Scenario& scenario, std::uint32_t host_count, StreamKey key);
  void build_services(const Scenario& scenario, std::uint32_t host_count, StreamKey key);
  void fire_news(int group, double t);
  void update_next_time();

  const Scenario& scenario_;
  double release_;
  double fix_time_;  // simulation time of the fixed patch (+infinity: none; release if immediate)
  int group_count_ = 1;
  int seed_group_ = -1;  // worm.seed_group's index, -1 without one
  std::vector<std::uint8_t> group_;  // per host; empty with one group
  std::vector<std::uint64_t> group_size_;
  std::vector<Group> groups_;
  std::vector<SelfPatchClass> classes_;
  std::vector<int> class_group_;
  std::vector<PatchService> services_;
  std::vector<int> ring_base_;  // per service: index of its first ring among all rings
  int ring_count_ = 0;
  std::priority_queue<Timed, std::vector<Timed>, std::greater<>> timed_;
  std::vector<std::pair<int, std::uint32_t>> deferred_;  // (class or -1 - service, host)
  std::uint64_t next_count_trigger_ = UINT64_MAX;
  Rng repatch_rng_;  // self-patching hosts' repatch delays after a rollback
  double next_time_ = std::numeric_limits<double>::infinity();
  // Which source is due at next_time_: 0..classes-1 a class, then services, then timed.
  int due_ = -1;
};

template <typename NeedOf>
bool PatchSystem::take(NeedOf need, PatchAction& out) {
  const double t = next_time_;
  const int classes = static_cast<int>(classes_.size());
  const int services = static_cast<int>(services_.size());
  bool acted = false;
  if (due_ < classes) {
    const std::uint32_t host = classes_[due_].pop();
    const Need n = need(host, t);
    if (n == Need::kPatch) {
      out = PatchAction{PatchAction::Kind::kPatch, host, -1};
      acted = true;
    } else if (n == Need::kDefer) {
      deferred_.emplace_back(due_, host);
    }
  } else if (due_ < classes + services) {
    const int s = due_ - classes;
    PatchService::Patch patch{};
    const bool got = services_[s].take([&](std::uint32_t h) { return need(h, t); },
                                       [&](std::uint32_t h) { deferred_.emplace_back(-1 - s, h); },
                                       patch);
    if (got) {
      out = PatchAction{PatchAction::Kind::kPatch, patch.host,
                        patch.ring < 0 ? -1 : ring_base_[s] + patch.ring};
      acted = true;
    }
  } else {
    const Timed timed = timed_.top();
    timed_.pop();
    switch (timed.kind) {
      case kRollbackDue:
        out = PatchAction{PatchAction::Kind::kRollback, timed.host, -1};
        acted = true;
        break;
      case kRequeueDue:
        services_[groups_[group_of(timed.host)].service].requeue(timed.host, t);
        break;
      case kRepatchDue:
        if (need(timed.host, t) == Need::kPatch) {
          out = PatchAction{PatchAction::Kind::kPatch, timed.host, -1};
          acted = true;
        }
        break;
      case kNewsDue:
        fire_news(static_cast<int>(timed.host), t);
        break;
    }
  }
  update_next_time();
  return acted;
}

}  // namespace patchrace::detail
