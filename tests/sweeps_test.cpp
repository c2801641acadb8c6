// The sequential sweep's timing, driven directly: a scanner's arrivals come at the
// batch times its walk distance gives, also when its phase inside a batch exceeds
// 16 bits.
#include <gtest/gtest.h>

#include <utility>
#include <vector>

#include "engine/agenda.hpp"
#include "engine/rng.hpp"
#include "engine/sweeps.hpp"
#include "engine/worm_model.hpp"

namespace patchrace::detail {
namespace {

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
  Scenario s;
  s.address_space.base = 0x0a000000;
  s.address_space.prefix_length = 8;
  s.population.hosts = 3;
  s.worm.strategy = ScanStrategy::kSequential;
  s.worm.sequential = {.local_start = 1.0, .local_backoff = 1, .batch = 100000};
  s.worm.scan_rate = 100000.0;
  const WormModel model(s);
  HostAttributes hosts;
  hosts.address = {s.address_space.base + 1000, s.address_space.base + 768 + 190000,
                   s.address_space.base + 768 + 215000};
  Rng rng(1, 0, StreamPurpose::kTest);
  Agenda agenda;
  const OfflineUntil offline;
  Figures figures;
  Sweeps sweeps(s, model, hosts, 1, 0, rng, agenda, offline, figures);
  RecordingContext context{.infected = std::vector<bool>(3, false), .infections = {}};
  sweeps.start_scanner(0, 0, 0.0, Sweeps::kUnknownRank);
  while (!agenda.empty() && agenda.next_time() < 10.0) {
    const Agenda::Arrival a = agenda.pop_arrival();
    sweeps.arrive(a.record, a.time, context);
  }
  const std::vector<std::pair<std::uint32_t, double>> expected = {{1, 1.0}, {2, 2.0}};
  EXPECT_EQ(context.infections, expected);
}

}  // namespace
}  // namespace patchrace::detail
