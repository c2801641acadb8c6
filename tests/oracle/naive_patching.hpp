// The patch system of the naive oracle (docs/patching.md), in plain pieces: the
// self-patching curves in hazard form, the working-hours clock, the per-host draws
// (management group, exposure, adoption class and budget) and a central patch
// service simulated slot by slot. Written for obviousness, not speed; nothing here
// is shared with the engine except the random stream and the samplers.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/rng.hpp"
#include "patchrace/scenario.hpp"

namespace patchrace::testing {

/// Checks the patch-system fields the oracle relies on (groups, policies, services,
/// adoption curves, news, bad patch, per-group cleanup, run.clock). Throws
/// std::invalid_argument naming the first bad field.
void check_patch_model(const Scenario& scenario);

/// One self-patching class: a host of the class that has not patched `a` seconds
/// after the release has survived the cumulative hazard H(a) = -ln v(a). Kinds:
/// never (H = 0), exponential (H = a ln 2 / half_life), empirical (v linear between
/// the points, from (0, 1) to the first one, flat after the last one).
class AdoptionClass {
 public:
  [[nodiscard]] static AdoptionClass never();
  [[nodiscard]] static AdoptionClass exponential(double half_life);  // seconds, > 0
  [[nodiscard]] static AdoptionClass empirical(std::vector<CurvePoint> curve);

  /// Fraction of the class still unpatched at age `age` seconds (1 for age <= 0).
  [[nodiscard]] double unpatched(double age) const;
  /// H(age) = -ln unpatched(age); 0 for age <= 0, +inf where the curve reaches 0.
  [[nodiscard]] double hazard(double age) const;
  /// The smallest age >= 0 at which H reaches `budget`; std::nullopt if it never does.
  [[nodiscard]] std::optional<double> age_at(double budget) const;
  /// With news from age `trigger_age` on (hazard multiplied by `factor` > 0): the age at
  /// which H(τ) + factor (H(a) - H(τ)) reaches `budget`, τ = max(trigger_age, 0), for a
  /// host unpatched at τ (budget >= H(τ)); never below τ. std::nullopt if never.
  [[nodiscard]] std::optional<double> age_with_news(double budget, double trigger_age, double factor) const;
  [[nodiscard]] bool never_patches() const { return kind_ == Kind::kNever; }

 private:
  enum class Kind { kNever, kExponential, kEmpirical };
  Kind kind_ = Kind::kNever;
  double rate_ = 0.0;             // exponential: ln 2 / half_life, per second
  std::vector<CurvePoint> curve_;  // empirical, with (0, 1) prepended
};

/// The classes of an adoption curve with the probability of each, in order:
/// exponential = {never (never_fraction), exponential (the rest)}; two-population =
/// {fast (fast_share), slow (the rest; never when slow_half_life is 0)};
/// empirical = {one class with H = -ln v}.
struct AdoptionClasses {
  std::vector<AdoptionClass> classes;
  std::vector<double> probabilities;  // sum to 1
};
[[nodiscard]] AdoptionClasses adoption_classes(const AdoptionSpec& adoption);

/// Working time of a central service: every second without working hours; with
/// them, the seconds of [start, end) of each day (Monday to Friday with
/// weekdays_only), the week's clock reading run.clock (seconds since Monday 00:00)
/// at t = 0. Times are seconds since the worm's start and may be negative.
class WorkingClock {
 public:
  WorkingClock(const WorkingHoursSpec& hours, double week_clock);
  /// The moment `work` seconds of working time after t have passed. An end that
  /// overshoots a day's close by at most 1 µs (rounding) is put at the close.
  [[nodiscard]] double advance(double t, double work) const;
  /// Seconds of working time in one working day.
  [[nodiscard]] double day_length() const;

 private:
  WorkingHoursSpec hours_;
  double week_clock_;
};

/// The probability that applying the patch at age `age` (seconds since the
/// release) breaks the host: probability 2^(-age / half_life) before fix_release,
/// 0 from it on (and 0 without a bad patch).
[[nodiscard]] double break_probability(const BadPatchSpec& bad, double age);

/// The management group of each of `hosts` hosts: drawn independently by the
/// groups' shares (one uniform each), or, with counts, a uniformly random
/// assignment of exactly those counts. Without groups every host is in group 0.
[[nodiscard]] std::vector<std::uint32_t> draw_groups(const PopulationSpec& population, std::uint64_t hosts,
                                                     detail::Rng& rng);

/// A host's exposure, drawn by its group's exposure shares (one uniform).
[[nodiscard]] Exposure draw_exposure(const ManagementGroupSpec& group, detail::Rng& rng);

/// Exposure score of a host: internet 3, internal 2, NAT 1.
[[nodiscard]] int exposure_value(Exposure e);

/// One host of a central service, as its priority sees it.
struct ServiceHost {
  std::uint32_t host = 0;
  int exposure = 3;          // exposure_value()
  double criticality = 1.0;  // its group's
};

/// importance^wi × exposure^we × criticality^wc.
[[nodiscard]] double priority_score(const PrioritySpec& priority, double importance, const ServiceHost& h);

/// The service's rings, each in patch order (docs/patching.md): hosts with a score
/// below min_score dropped, the rest in a uniformly random order, ring r taking
/// positions [round(c(r-1) n), round(c(r) n)) with c the cumulative shares (the
/// last ring ends at n), each ring sorted by priority, highest first, ties in a
/// random order. Without rings in the spec: one ring.
[[nodiscard]] std::vector<std::vector<std::uint32_t>> plan_rings(const PatchServiceSpec& service, double importance,
                                                                 std::vector<ServiceHost> hosts, detail::Rng& rng);

/// A management group as the patch system sees it.
struct GroupPlan {
  std::string name;                 // "all" without population.groups
  double criticality = 1.0;         // its hosts' criticality (priority)
  PolicyKind policy = PolicyKind::kNone;  // kNone also without patching
  AdoptionClasses adoption;         // self
  NewsSpec news;                    // self
  int service = -1;                 // central: index into patching.services
  double cleanup_rate = 0.0;        // per second: 1 / its mean cleanup delay
};

/// One host's draws.
struct HostPlan {
  std::uint32_t group = 0;
  Exposure exposure = Exposure::kInternet;
  std::size_t adoption_class = 0;   // self: index into its group's classes
  double budget = 0.0;              // self: unit-exponential hazard budget E
  double patch_time = std::numeric_limits<double>::infinity();  // self: release + H^-1(E); +inf: never
};

/// Everything the patch system draws at the start.
struct PatchPlan {
  std::vector<GroupPlan> groups;
  std::vector<HostPlan> hosts;
  /// Per service of patching.services: its rings (plan_rings()); empty without patching.
  std::vector<std::vector<std::vector<std::uint32_t>>> rings;
};

/// Draws, in this order from `rng`: each host's group (draw_groups()); per host its
/// exposure (with groups) and, self-patching, its class (one uniform) and budget E
/// (one unit exponential), patch time release + H^-1(E); for the first
/// `explicit_seeds` hosts (worm.seed_addresses) whose time falls before t = 0 a new
/// budget H(-release) + Exp(1) (time then >= 0); then each service's rings. Without
/// patching.policies every group self-patches on the exponential shorthand; without
/// patching, no group patches.
[[nodiscard]] PatchPlan plan_patches(const Scenario& scenario, std::uint64_t hosts, std::size_t explicit_seeds,
                                     detail::Rng& rng);

/// A central patch service simulated slot by slot. It asks to be woken (wake_at) at
/// each ring start and slot end; wake(t) does whatever falls due at t (a wake at
/// other times is harmless). One slot = one host's work, 1 / capacity days of
/// working time; at its end the first host that needs the patch is patched:
/// re-queued hosts first (in the order re-queued), then the running ring in order
/// (its pointer passes over hosts that no longer need the patch, for good). A ring
/// is complete when its pointer has no host left that needs the patch, checked at
/// its start and at every slot end: complete at the last patch its deployment
/// applied (breaks included, re-queued hosts not), or at its start if none; the next
/// ring starts qa_delay later, or at the check if that is later still. Re-queued hosts
/// are worked on whenever present, also between rings and after the last one.
/// Not thread-safe.
class NaiveService {
 public:
  struct Hooks {
    std::function<bool(std::uint32_t host, double t)> needs_patch;
    /// Apply the patch to `host` at t; `ring` is its ring, `requeued` whether it came
    /// from the re-queue.
    std::function<void(std::uint32_t host, double t, std::size_t ring, bool requeued)> apply;
    std::function<void(double t)> wake_at;
  };

  NaiveService(const PatchServiceSpec& spec, double release, double week_clock,
               std::vector<std::vector<std::uint32_t>> rings, Hooks hooks);

  /// Schedules the first ring's start, release + approval_delay.
  void start();
  /// Does everything due at t (slot end, ring start, starting the next slot).
  void wake(double t);
  /// Puts `host` at the back of the re-queue (before every ring host) at t and wakes.
  void requeue(std::uint32_t host, double t);
  /// Hosts the rings' pointers have passed over without patching them, in order.
  [[nodiscard]] const std::vector<std::uint32_t>& passed_over() const { return passed_over_; }

 private:
  enum class Phase { kBeforeFirst, kWaiting, kRunning, kDone };
  [[nodiscard]] bool has_work(double t);
  void finish_slot(double t);
  void check_complete(double t);
  /// Moves ring r's pointer past hosts that do not need the patch at t; true if a
  /// host that does is left.
  bool ring_has_host(std::size_t r, double t);

  PatchServiceSpec spec_;
  double release_;
  WorkingClock clock_;
  double slot_work_;  // seconds of working time per host
  std::vector<std::vector<std::uint32_t>> rings_;
  std::vector<std::size_t> pointer_;
  std::vector<double> ring_last_patch_;
  Hooks hooks_;
  Phase phase_ = Phase::kBeforeFirst;
  std::size_t current_ = 0;
  double next_start_ = 0.0;
  bool busy_ = false;
  double slot_end_ = 0.0;
  std::deque<std::uint32_t> requeue_;
  std::vector<std::uint32_t> passed_over_;
  std::unordered_map<std::uint32_t, std::size_t> ring_of_;  // host -> its ring
};

}  // namespace patchrace::testing
