// Sweeps driven directly: a sequential scanner's arrivals come at the batch times
// its walk distance gives, also when its phase inside a batch exceeds 16 bits; a
// permutation copy passes a host whose sweep stopped, and a stopped sweep's queued
// arrival does nothing; hits taken ahead end a copy where arrivals would.
#include <gtest/gtest.h>

#include <algorithm>
#include <stdexcept>
#include <utility>
#include <vector>

#include "engine/agenda.hpp"
#include "base/permutation.hpp"
#include "base/rng.hpp"
#include "engine/sweeps.hpp"
#include "engine/worm_model.hpp"

namespace patchrace::detail {
namespace {

/// A scenario on 10.0.0.0/`prefix_length` with `hosts` hosts.
Scenario space(int prefix_length, std::uint64_t hosts) {
  Scenario s;
  s.address_space.base = 0x0a000000;
  s.address_space.prefix_length = prefix_length;
  s.population.hosts = hosts;
  return s;
}

/// Sweeps over hosts at the given offsets into the scenario's space (sorted), with
/// everything it keeps references to.
struct Harness {
  Harness(const Scenario& s, const std::vector<std::uint32_t>& offsets)
      : scenario(s), model(scenario), hosts(at(s, offsets)) {}

  static HostAttributes at(const Scenario& s, const std::vector<std::uint32_t>& offsets) {
    HostAttributes h;
    for (std::uint32_t offset : offsets) h.address.push_back(s.address_space.base + offset);
    return h;
  }

  /// Hands every arrival before `end` (seconds) to the sweeps, in order, then calls
  /// after(time) with its time.
  template <typename Context, typename After>
  void run_until(double end, Context& context, After&& after) {
    while (!agenda.empty() && agenda.next_time() < end) {
      const Agenda::Arrival a = agenda.pop_arrival();
      sweeps.arrive(a.record, a.time, context);
      after(a.time);
    }
  }

  Scenario scenario;
  WormModel model;
  HostAttributes hosts;
  Agenda agenda;
  OfflineUntil offline;
  Figures figures;
  Sweeps sweeps{scenario, model, hosts, StreamKey{1, 0}, agenda, offline, figures};
};

/// A context in which host 0 scans and every other host is susceptible until a
/// probe infects it; infections are recorded, and start no sweeps of their own.
struct RecordingContext {
  std::vector<bool> infected;
  std::vector<std::pair<std::uint32_t, double>> infections;  // (host, time)

  [[nodiscard]] Found found(std::uint32_t host) const {
    return host == 0 || infected[host] ? Found::kInfected : Found::kSusceptible;
  }
  [[nodiscard]] int type_of(std::uint32_t) const { return 0; }
  void prefetch_host(std::uint32_t) const {}
  [[nodiscard]] double delivered_share() const { return 1.0; }
  void infect(std::uint32_t host, double t, std::uint64_t) {
    infected[host] = true;
    infections.emplace_back(host, t);
  }
  void crash(std::uint32_t, double) {}
  void stopped_scanning(std::uint32_t, int) {}
};
static_assert(SweepContext<RecordingContext>);

// 10.0.0.0/8; the scanner at offset 1,000 starts at its own /24 (offset 768) and
// sweeps 100,000 addresses a second in batches of 100,000. Hosts at distances
// 190,000 and 215,000: the first is reached in batch 1 (t = 1), leaving the sweep at
// phase 90,000 of its batch; the second in batch 2 (t = 2), which needs that phase.
TEST(Sweeps, SequentialArrivalsKeepPhasesAbove16Bits) {
  Scenario s = space(8, 3);
  s.worm.strategy = ScanStrategy::kSequential;
  s.worm.sequential = {.local_start = 1.0, .local_backoff = 1, .batch = 100000};
  s.worm.scan_rate = 100000.0;
  Harness h(s, {1000, 768 + 190000, 768 + 215000});
  RecordingContext context{.infected = std::vector<bool>(3, false), .infections = {}};
  h.sweeps.start_scanner(0, 0, 0.0, Sweeps::kUnknownRank);
  h.run_until(10.0, context, [](double) {});
  const std::vector<std::pair<std::uint32_t, double>> expected = {{1, 1.0}, {2, 2.0}};
  EXPECT_EQ(context.infections, expected);
}

/// A context whose hosts' states the test sets; infections and dormancy recorded.
struct StateContext {
  std::vector<Found> state;
  std::vector<std::uint32_t> went_dormant;

  [[nodiscard]] Found found(std::uint32_t host) const { return state[host]; }
  [[nodiscard]] int type_of(std::uint32_t) const { return 0; }
  void prefetch_host(std::uint32_t) const {}
  [[nodiscard]] double delivered_share() const { return 1.0; }
  void infect(std::uint32_t host, double, std::uint64_t) { state[host] = Found::kInfected; }
  void crash(std::uint32_t, double) {}
  void stopped_scanning(std::uint32_t host, int) { went_dormant.push_back(host); }
};
static_assert(SweepContext<StateContext>);

// Permutation on a /20 at 4,096 probes/s, copies dormant at their first hit. Host 1
// was infected and broke: its sweep stopped and a probe finds nothing there. Host 0's
// copy passes it and goes dormant only when it comes round to its own host, 4,095
// probes after its start; host 1's queued arrival does nothing.
TEST(Sweeps, PermutationPassesAHostWhoseSweepStopped) {
  Scenario s = space(20, 2);
  s.cleanup.enabled = true;  // infected hosts may stop: hits are taken as they come
  s.worm.strategy = ScanStrategy::kPermutation;
  s.worm.permutation.dormant_after = 1;
  s.worm.scan_rate = 4096.0;
  Harness h(s, {100, 2000});
  StateContext context{.state = {Found::kInfected, Found::kInfected}, .went_dormant = {}};
  h.sweeps.start_scanner(0, 0, 0.0, Sweeps::kUnknownRank);
  h.sweeps.start_scanner(1, 0, 0.0, Sweeps::kUnknownRank);
  EXPECT_FALSE(h.sweeps.stop(1));  // it was sweeping, not dormant
  context.state[1] = Found::kOther;
  double dormant_at = -1.0;
  h.run_until(10.0, context, [&](double t) {
    if (!context.went_dormant.empty() && dormant_at < 0.0) dormant_at = t;
  });
  EXPECT_EQ(context.went_dormant, std::vector<std::uint32_t>{0});
  EXPECT_EQ(dormant_at, 4095.0 / 4096.0);
  EXPECT_TRUE(h.sweeps.stop(0));  // dormant already: not to be counted again
}

/// Runs one permutation copy, from host 0, over 64 hosts spread over a /16, every one
/// of them infected and scanning from the start but only host 0's copy moving (the
/// others' arrivals come after the end); returns when host 0's copy went dormant at
/// its `dormant_after`th hit, and the arrivals handed to the sweeps by then.
std::pair<double, int> permutation_copy_until_dormant(bool cleanup, std::uint32_t dormant_after) {
  constexpr std::uint32_t kHosts = 64;
  constexpr int kBits = 16;
  Scenario s = space(32 - kBits, kHosts);
  s.cleanup.enabled = cleanup;
  s.worm.strategy = ScanStrategy::kPermutation;
  s.worm.permutation.dormant_after = dormant_after;
  s.worm.scan_rate = 1.0;
  std::vector<std::uint32_t> offsets;
  for (std::uint32_t h = 0; h < kHosts; ++h) offsets.push_back(h * 1024 + 7);
  Harness h(s, offsets);
  // The walk the sweeps build (the harness's seed 1, replicate 0): the other copies
  // start in walk order from just after host 0, so that none finds its first target
  // infected and none draws a jump; host 0's copy starts last, every other host infected.
  const AddressPermutation walk(Rng(1, 0, StreamPurpose::kSweeps, kPermutationKey).next_u64(), kBits);
  std::vector<std::uint32_t> order(kHosts);
  for (std::uint32_t host = 0; host < kHosts; ++host) order[host] = host;
  std::sort(order.begin(), order.end(),
            [&](std::uint32_t a, std::uint32_t b) { return walk.inverse(offsets[a]) < walk.inverse(offsets[b]); });
  std::rotate(order.begin(), std::find(order.begin(), order.end(), 0u), order.end());
  StateContext context{.state = std::vector<Found>(kHosts, Found::kInfected), .went_dormant = {}};
  for (std::size_t k = 1; k < kHosts; ++k) h.sweeps.start_scanner(order[k], 0, 1e12, Sweeps::kUnknownRank);
  h.sweeps.start_scanner(0, 0, 0.0, Sweeps::kUnknownRank);
  double dormant_at = -1.0;
  int arrivals = 0;
  h.run_until(1e11, context, [&](double t) {
    ++arrivals;
    if (!context.went_dormant.empty() && dormant_at < 0.0) dormant_at = t;
  });
  EXPECT_EQ(context.went_dormant, std::vector<std::uint32_t>{0});
  return {dormant_at, arrivals};
}

// Where infected hosts stay infected, a copy's hits on them are taken when its probe
// is scheduled, and only the hit that makes it dormant is an arrival. With one copy
// moving, its jumps draw the same positions either way: it goes dormant at the same
// time as when every hit is an arrival (with cleanup possible), after one arrival
// instead of eight.
TEST(Sweeps, PermutationHitsTakenAheadEndWhereArrivalsWouldEnd) {
  const auto [ahead_at, ahead_arrivals] = permutation_copy_until_dormant(false, 8);
  const auto [arrival_at, every_arrival] = permutation_copy_until_dormant(true, 8);
  EXPECT_GT(ahead_at, 0.0);
  EXPECT_EQ(ahead_at, arrival_at);
  EXPECT_EQ(ahead_arrivals, 1);
  EXPECT_EQ(every_arrival, 8);
}

// Taking hits ahead relies on infected hosts staying infected: stopping one is a bug
// in the caller, reported rather than left to skew the walk.
TEST(Sweeps, PermutationHitsTakenAheadRefuseAStop) {
  Scenario s = space(20, 2);
  s.worm.strategy = ScanStrategy::kPermutation;
  s.worm.permutation.dormant_after = 3;
  Harness h(s, {100, 2000});
  h.sweeps.start_scanner(0, 0, 0.0, Sweeps::kUnknownRank);
  EXPECT_THROW((void)h.sweeps.stop(0), std::logic_error);
}

}  // namespace
}  // namespace patchrace::detail
