#include "oracle/naive_simulator.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <limits>
#include <queue>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/rng.hpp"
#include "engine/samplers.hpp"

namespace patchrace::testing {
namespace {

using detail::Rng;
using detail::StreamPurpose;

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr std::uint32_t kNoHost = std::numeric_limits<std::uint32_t>::max();

StreamPurpose test_stream(std::uint64_t offset) {
  return static_cast<StreamPurpose>(static_cast<std::uint64_t>(StreamPurpose::kTest) + offset);
}

enum class State { kS, kI, kP, kC };

struct Host {
  std::uint32_t address = 0;  // offset inside the space
  State state = State::kS;
  double patch_time = kInf;   // +inf: never patches
};

enum class ClockKind { kPatch, kCleanup };

struct Clock {
  double time;
  std::uint32_t host;
  ClockKind kind;
  // Earliest first; ties broken by host and kind so runs are reproducible.
  bool operator>(const Clock& o) const {
    if (time != o.time) return time > o.time;
    if (host != o.host) return host > o.host;
    return kind > o.kind;
  }
};

void require(bool ok, const std::string& what) {
  if (!ok) throw std::invalid_argument("naive_simulate: " + what);
}

void check(const Scenario& s) {
  const std::uint64_t space = s.address_space.size();
  require(s.address_space.prefix_length >= 0 && s.address_space.prefix_length <= 32, "bad prefix length");
  require(space <= kNaiveMaxSpace, "address space larger than 2^24 addresses");
  require(s.population.hosts >= 1 && s.population.hosts <= space, "need 1 <= hosts <= space");
  require(s.worm.scan_rate > 0.0, "scan_rate must be > 0");
  require(s.worm.exploit_success >= 0.0 && s.worm.exploit_success <= 1.0, "exploit_success outside [0, 1]");
  require(s.run.duration > 0.0 && s.run.report_interval > 0.0, "duration and report_interval must be > 0");
  require(s.worm.seed_addresses.size() <= s.population.hosts, "more seed addresses than hosts");
  if (s.patching.enabled) {
    require(s.patching.half_life > 0.0, "half_life must be > 0");
    require(s.patching.never_fraction >= 0.0 && s.patching.never_fraction <= 1.0, "never_fraction outside [0, 1]");
  }
  if (s.cleanup.enabled) require(s.cleanup.mean_delay > 0.0, "mean_delay must be > 0");
}

// ceil(tenths / 10 · n) in exact integer arithmetic.
std::uint64_t ceil_fraction(std::uint64_t tenths, std::uint64_t n) { return (tenths * n + 9) / 10; }

}  // namespace

Result naive_simulate(const Scenario& s, std::uint64_t seed, std::uint64_t replicate) {
  const auto wall_start = std::chrono::steady_clock::now();
  check(s);
  const std::uint64_t space = s.address_space.size();
  const std::uint64_t n_hosts = s.population.hosts;
  const double duration = s.run.duration;

  Rng placement_rng(seed, replicate, test_stream(1));
  Rng attribute_rng(seed, replicate, test_stream(2));
  Rng rng(seed, replicate, test_stream(3));  // seeds choice, probes, cleanup delays

  // --- Placement: seed addresses first, then distinct uniform addresses by rejection.
  std::vector<std::uint32_t> table(space, kNoHost);  // address offset -> host index
  std::vector<Host> hosts(n_hosts);
  const auto& seed_addresses = s.worm.seed_addresses;
  for (std::size_t i = 0; i < seed_addresses.size(); ++i) {
    const std::uint64_t a = seed_addresses[i];
    require(a >= s.address_space.base && a - s.address_space.base < space, "seed address outside the space");
    const std::uint64_t offset = a - s.address_space.base;
    require(table[offset] == kNoHost, "seed addresses are not distinct");
    table[offset] = static_cast<std::uint32_t>(i);
    hosts[i].address = static_cast<std::uint32_t>(offset);
  }
  for (std::size_t i = seed_addresses.size(); i < n_hosts; ++i) {
    std::uint64_t offset;
    do {
      offset = detail::sample_index(placement_rng, space);
    } while (table[offset] != kNoHost);
    table[offset] = static_cast<std::uint32_t>(i);
    hosts[i].address = static_cast<std::uint32_t>(offset);
  }

  // --- Patch times: never-patchers with probability never_fraction, the others at
  // release + Exp(ln 2 / half_life). Explicit seed hosts are unpatched at t = 0: their
  // delay is counted from max(release, 0) (the exponential conditioned on > 0).
  if (s.patching.enabled) {
    const double patch_rate = std::log(2.0) / s.patching.half_life;
    for (std::size_t i = 0; i < n_hosts; ++i) {
      const bool never = detail::sample_bernoulli(attribute_rng, s.patching.never_fraction);
      const double delay = detail::sample_exponential(attribute_rng, patch_rate);
      if (never) continue;
      const bool explicit_seed = i < seed_addresses.size();
      hosts[i].patch_time = (explicit_seed ? std::max(s.patching.release, 0.0) : s.patching.release) + delay;
    }
  }

  std::uint64_t count_s = 0, count_i = 0, count_p = 0, count_c = 0;
  for (auto& h : hosts) {
    if (h.patch_time < 0.0) {
      h.state = State::kP;
      ++count_p;
    } else {
      ++count_s;
    }
  }

  std::priority_queue<Clock, std::vector<Clock>, std::greater<>> clocks;
  std::vector<double> infection_times;  // in order of infection, seeds first
  std::uint64_t events = 0;

  auto infect = [&](std::uint32_t h, double t) {
    hosts[h].state = State::kI;
    --count_s;
    ++count_i;
    infection_times.push_back(t);
    if (s.cleanup.enabled) {
      clocks.push(Clock{t + detail::sample_exponential(rng, 1.0 / s.cleanup.mean_delay), h, ClockKind::kCleanup});
    }
  };

  // --- Seeds at t = 0.
  if (!seed_addresses.empty()) {
    for (std::uint32_t i = 0; i < seed_addresses.size(); ++i) infect(i, 0.0);
  } else {
    std::vector<std::uint32_t> candidates;  // hosts unpatched at t = 0
    for (std::uint32_t i = 0; i < n_hosts; ++i) {
      if (hosts[i].state == State::kS) candidates.push_back(i);
    }
    require(s.worm.initial_infected <= candidates.size(), "more initial_infected than hosts unpatched at t = 0");
    // Partial Fisher–Yates: a uniform subset of size initial_infected.
    for (std::uint64_t k = 0; k < s.worm.initial_infected; ++k) {
      const std::uint64_t j = k + detail::sample_index(rng, candidates.size() - k);
      std::swap(candidates[k], candidates[j]);
      infect(candidates[k], 0.0);
    }
  }

  for (std::uint32_t i = 0; i < n_hosts; ++i) {
    if (hosts[i].state != State::kP && hosts[i].patch_time <= duration) {
      clocks.push(Clock{hosts[i].patch_time, i, ClockKind::kPatch});
    }
  }

  // --- Reports.
  const double dt = s.run.report_interval;
  const auto n_reports = static_cast<std::size_t>(std::floor(duration / dt + 1e-9)) + 1;
  Result result;
  result.seed = seed;
  result.replicate = replicate;
  result.series.time.resize(n_reports);
  result.series.values.assign(kSeriesCount, std::vector<double>(n_reports, 0.0));
  std::size_t next_report = 0;
  std::uint64_t reported_cumulative = 0;
  auto record_reports_before = [&](double t) {  // every report time < t
    while (next_report < n_reports && static_cast<double>(next_report) * dt < t) {
      const std::size_t k = next_report++;
      result.series.time[k] = static_cast<double>(k) * dt;
      auto& v = result.series.values;
      v[static_cast<int>(Series::kSusceptible)][k] = static_cast<double>(count_s);
      v[static_cast<int>(Series::kInfected)][k] = static_cast<double>(count_i);
      v[static_cast<int>(Series::kPatched)][k] = static_cast<double>(count_p);
      v[static_cast<int>(Series::kCleaned)][k] = static_cast<double>(count_c);
      v[static_cast<int>(Series::kNewInfections)][k] = static_cast<double>(infection_times.size() - reported_cumulative);
      v[static_cast<int>(Series::kCumulativeInfected)][k] = static_cast<double>(infection_times.size());
      reported_cumulative = infection_times.size();
    }
  };

  // --- Event loop. The next probe is at t + Exp(scan_rate × scanning hosts); if a
  // patch or cleanup clock rings first, that happens instead and the probe time is
  // drawn afresh (the probe process is memoryless).
  std::uint64_t probes = 0;
  double t = 0.0;
  for (;;) {
    const double probe_time =
        count_i > 0 ? t + detail::sample_exponential(rng, s.worm.scan_rate * static_cast<double>(count_i)) : kInf;
    const double clock_time = clocks.empty() ? kInf : clocks.top().time;
    const double next = std::min(probe_time, clock_time);
    if (next > duration) break;
    record_reports_before(next);
    t = next;
    if (probe_time < clock_time) {
      ++probes;
      const std::uint64_t target = detail::sample_index(rng, space);  // may be the sender itself
      const std::uint32_t h = table[target];
      if (h != kNoHost && hosts[h].state == State::kS && detail::sample_bernoulli(rng, s.worm.exploit_success)) {
        infect(h, t);
        ++events;
      }
      continue;
    }
    const Clock c = clocks.top();
    clocks.pop();
    Host& host = hosts[c.host];
    if (c.kind == ClockKind::kPatch) {
      if (host.state == State::kS) {
        host.state = State::kP;
        --count_s;
        ++count_p;
        ++events;
      } else if (host.state == State::kI && s.patching.cures_infected) {
        host.state = State::kC;
        --count_i;
        ++count_c;
        ++events;
      }  // an infected host patched without cure keeps scanning; P and C stay
    } else if (host.state == State::kI) {  // cleanup
      host.state = State::kC;
      --count_i;
      ++count_c;
      ++events;
    }
  }
  record_reports_before(kInf);

  // --- Figures.
  Figures& f = result.figures;
  f.vulnerable = n_hosts;
  f.final_infected = count_i;
  f.total_infected = infection_times.size();
  f.final_patched = count_p;
  f.final_cleaned = count_c;
  f.probes = static_cast<double>(probes);
  f.events = events;
  const auto time_to = [&](std::uint64_t tenths) -> std::optional<double> {
    const std::uint64_t needed = ceil_fraction(tenths, n_hosts);
    if (needed == 0) return 0.0;
    if (infection_times.size() < needed) return std::nullopt;
    return infection_times[needed - 1];
  };
  f.time_to_10 = time_to(1);
  f.time_to_50 = time_to(5);
  f.time_to_90 = time_to(9);
  // Minutes [60k, 60k + 60) that start before the end of the run.
  const auto n_minutes = static_cast<std::size_t>(std::ceil(duration / 60.0));
  std::vector<std::uint64_t> per_minute(n_minutes, 0);
  for (double ti : infection_times) {
    per_minute[std::min(n_minutes - 1, static_cast<std::size_t>(std::floor(ti / 60.0)))]++;
  }
  const auto peak = std::max_element(per_minute.begin(), per_minute.end());  // first of equals
  f.peak_new_per_minute = *peak;
  f.peak_minute_start = 60.0 * static_cast<double>(peak - per_minute.begin());

  result.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  return result;
}

}  // namespace patchrace::testing
