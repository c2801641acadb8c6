#include "oracle/naive_simulator.hpp"

#include <algorithm>
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

#include "engine/permutation.hpp"
#include "engine/rng.hpp"
#include "engine/samplers.hpp"

namespace patchrace::testing {
namespace {

using detail::Rng;
using detail::StreamPurpose;

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr std::uint32_t kNoHost = std::numeric_limits<std::uint32_t>::max();
constexpr std::uint64_t kPermutationSubstream = 7;  // of StreamPurpose::kEngine: the permutation key

StreamPurpose test_stream(std::uint64_t offset) {
  return static_cast<StreamPurpose>(static_cast<std::uint64_t>(StreamPurpose::kTest) + offset);
}

enum class State { kS, kI, kP, kC };

struct Host {
  std::uint32_t address = 0;  // offset inside the space
  State state = State::kS;
  bool offline = false;       // S only: crashed, back online at a kRecover event
  bool scanning = false;      // I and not dormant (and not cleaned)
  double patch_time = kInf;   // +inf: never patches
  std::size_t type = 0;       // index into the exploit table
  std::size_t link = 0;       // link class (0 without bandwidth limits)
  std::uint32_t slot = 0;     // index in scanners_[link] while scanning
  // Deterministic scanners (sequential, permutation).
  double infected_at = 0.0;
  std::uint64_t steps = 0;    // batches (sequential) or probes (permutation) sent
  std::uint64_t base = 0;     // sequential: offset of the sweep's base
  std::uint64_t position = 0; // permutation: current position of the walk
  std::uint32_t hits = 0;     // permutation: probes that reached an infected host
};

// Kinds in the order simultaneous events are handled.
enum class EventKind { kRecover, kSeed, kPatch, kCleanup, kScan };

struct Event {
  double time;
  EventKind kind;
  std::uint32_t host;
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
        permutation_(Rng(seed, replicate, StreamPurpose::kEngine, kPermutationSubstream).next_u64(),
                     32 - s.address_space.prefix_length),
        capacity_(w_.bandwidth.enabled ? w_.bandwidth.capacity : 0.0) {
    result_.seed = seed;
    result_.replicate = replicate;
  }

  Result run() {
    mark_excluded();
    place_hosts();
    draw_attributes();
    for (const auto& h : hosts_) (h.state == State::kP ? count_p_ : count_s_)++;
    choose_seeds();
    for (std::uint32_t i = 0; i < hosts_.size(); ++i) {
      if (hosts_[i].state != State::kP && hosts_[i].patch_time <= s_.run.duration) {
        events_.push(Event{hosts_[i].patch_time, EventKind::kPatch, i});
      }
    }
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

  /// Per host: type, link class, never-patch and patch delay. Never-patchers with
  /// probability never_fraction, the others at release + Exp(ln 2 / half_life).
  /// Explicit seed hosts are unpatched at t = 0: their delay is counted from
  /// max(release, 0) (the exponential conditioned on > 0).
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

    const double patch_rate = s_.patching.enabled ? std::log(2.0) / s_.patching.half_life : 0.0;
    for (std::size_t i = 0; i < hosts_.size(); ++i) {
      Host& h = hosts_[i];
      h.type = pick_by_share(attribute_rng_, s_.population.types);
      if (w_.bandwidth.enabled) h.link = pick_by_share(attribute_rng_, w_.bandwidth.links);
      if (!s_.patching.enabled) continue;
      const bool never = detail::sample_bernoulli(attribute_rng_, s_.patching.never_fraction);
      const double delay = detail::sample_exponential(attribute_rng_, patch_rate);
      if (never) continue;
      const bool explicit_seed = i < w_.seed_addresses.size();
      h.patch_time = (explicit_seed ? std::max(s_.patching.release, 0.0) : s_.patching.release) + delay;
      if (h.patch_time < 0.0) h.state = State::kP;
    }
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
        if (hosts_[i].state == State::kS) candidates.push_back(i);
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
          if (hosts_[h].state == State::kS) unpatched.push_back(h);
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

  void infect(std::uint32_t h, double t, bool seed) {
    Host& host = hosts_[h];
    host.state = State::kI;
    --count_s_;
    ++count_i_;
    infection_times_.push_back(t);
    if (trace_) trace_->infections.push_back(InfectionRecord{t, base_ + host.address, seed});
    if (s_.cleanup.enabled) {
      events_.push(Event{t + detail::sample_exponential(rng_, 1.0 / s_.cleanup.mean_delay), EventKind::kCleanup, h});
    }
    start_scanning(h);
    host.infected_at = t;
    host.steps = 0;
    if (w_.strategy == ScanStrategy::kSequential) {
      host.base = sequential_base(host);
      schedule_scan(h);
    } else if (w_.strategy == ScanStrategy::kPermutation) {
      // Just after its own position on the walk.
      host.position = (std::uint64_t{permutation_.inverse(host.address)} + 1) % space_;
      schedule_scan(h);
    }
  }

  /// Offline for `downtime`; the patch clock stands still meanwhile (after the release).
  void crash(std::uint32_t h, double t, double downtime) {
    Host& host = hosts_[h];
    host.offline = true;
    ++event_count_;
    events_.push(Event{t + downtime, EventKind::kRecover, h});
    if (std::isfinite(host.patch_time)) {
      const double paused = t + downtime - std::max(t, s_.patching.release);
      if (paused > 0.0) {
        host.patch_time += paused;  // the clock already queued is now stale
        if (host.patch_time <= s_.run.duration) events_.push(Event{host.patch_time, EventKind::kPatch, h});
      }
    }
  }

  void clean(std::uint32_t h) {
    hosts_[h].state = State::kC;
    stop_scanning(h);
    --count_i_;
    ++count_c_;
    ++event_count_;
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

  /// The next Poisson probe is at t + Exp(summed rate); if a queued event comes first,
  /// that happens instead and the probe time is drawn afresh (memoryless).
  void event_loop() {
    const bool poisson = w_.strategy == ScanStrategy::kUniform || w_.strategy == ScanStrategy::kLocalPreference;
    report_at_ = report_times(s_.run);
    result_.series.time = report_at_;
    result_.series.values.assign(kSeriesCount, std::vector<double>(report_at_.size(), 0.0));
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
    Host& host = hosts_[e.host];
    switch (e.kind) {
      case EventKind::kRecover:
        host.offline = false;
        ++event_count_;
        return;
      case EventKind::kSeed:
        if (host.state == State::kS && !host.offline) infect(e.host, e.time, true);
        return;
      case EventKind::kPatch:
        if (e.time != host.patch_time || host.offline) return;  // stale: moved by a crash
        if (host.state == State::kS) {
          host.state = State::kP;
          --count_s_;
          ++count_p_;
          ++event_count_;
        } else if (host.state == State::kI && s_.patching.cures_infected) {
          clean(e.host);
        }  // an infected host patched without cure keeps scanning; P and C stay
        return;
      case EventKind::kCleanup:
        if (host.state == State::kI) clean(e.host);
        return;
      case EventKind::kScan:
        if (host.scanning) scan_step(e.host, e.time);
        return;
    }
  }

  /// Records every report instant < t.
  void record_reports_before(double t) {
    while (next_report_ < report_at_.size() && report_at_[next_report_] < t) {
      const std::size_t k = next_report_++;
      auto& v = result_.series.values;
      v[static_cast<int>(Series::kSusceptible)][k] = static_cast<double>(count_s_);  // offline included
      v[static_cast<int>(Series::kInfected)][k] = static_cast<double>(count_i_);
      v[static_cast<int>(Series::kPatched)][k] = static_cast<double>(count_p_);
      v[static_cast<int>(Series::kCleaned)][k] = static_cast<double>(count_c_);
      v[static_cast<int>(Series::kNewInfections)][k] =
          static_cast<double>(infection_times_.size() - reported_cumulative_);
      v[static_cast<int>(Series::kCumulativeInfected)][k] = static_cast<double>(infection_times_.size());
      reported_cumulative_ = infection_times_.size();
    }
  }

  Result finish() {
    const std::uint64_t n_hosts = hosts_.size();
    Figures& f = result_.figures;
    f.vulnerable = n_hosts;
    f.final_infected = count_i_;
    f.total_infected = infection_times_.size();
    f.final_patched = count_p_;
    f.final_cleaned = count_c_;
    f.probes = static_cast<double>(probes_);
    f.events = event_count_;
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
    const auto n_minutes = static_cast<std::size_t>(std::ceil(s_.run.duration / 60.0));
    std::vector<std::uint64_t> per_minute(n_minutes, 0);
    for (double ti : infection_times_) {
      per_minute[std::min(n_minutes - 1, static_cast<std::size_t>(std::floor(ti / 60.0)))]++;
    }
    const auto peak = std::max_element(per_minute.begin(), per_minute.end());  // first of equals
    f.peak_new_per_minute = *peak;
    f.peak_minute_start = 60.0 * static_cast<double>(peak - per_minute.begin());
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
  const detail::AddressPermutation permutation_;
  const double capacity_;  // probes/s; 0: unlimited

  std::vector<std::uint32_t> allowed_;  // offsets outside worm.excluded, ascending; empty if none is excluded
  std::vector<std::uint32_t> table_;  // offset -> host index
  std::vector<Host> hosts_;
  std::vector<Exploit> exploits_;                      // per type
  std::vector<double> link_rate_;                      // per link class, probes/s
  std::vector<std::vector<std::uint32_t>> scanners_;   // per link class: scanning hosts
  std::priority_queue<Event, std::vector<Event>, std::greater<>> events_;

  std::uint64_t count_s_ = 0, count_i_ = 0, count_p_ = 0, count_c_ = 0;
  std::vector<double> infection_times_;  // in order of infection, seeds included
  std::uint64_t event_count_ = 0;
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
