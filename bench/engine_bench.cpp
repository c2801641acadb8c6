// Engine benchmarks: the codered-2001 preset, uniform outbreaks of 10^4..10^7 hosts
// to saturation, and the engine against the naive per-probe oracle.
#include <benchmark/benchmark.h>

#include <cmath>

#include "allocation_tracker.hpp"
#include "oracle/naive_simulator.hpp"
#include "patchrace/scenario_file.hpp"
#include "patchrace/simulate.hpp"

namespace patchrace::bench {
namespace {

constexpr std::uint64_t kSeed = 2026;

/// Runs the scenario once per iteration (replicate = iteration index) and reports
/// time per infection, probes represented per second and heap bytes per host.
template <typename Simulate>
void run_and_report(benchmark::State& state, const Scenario& scenario, Simulate simulate_one) {
  double infections = 0;
  double probes = 0;
  double bytes_per_host = 0;
  std::uint64_t replicate = 0;
  for (auto _ : state) {
    const std::size_t before = current_heap_bytes();
    reset_peak_heap_bytes();
    const Result r = simulate_one(scenario, kSeed, replicate++);
    const double bytes = static_cast<double>(peak_heap_bytes() - before);
    bytes_per_host = std::max(bytes_per_host, bytes / static_cast<double>(scenario.population.hosts));
    infections += static_cast<double>(r.figures.total_infected);
    probes += r.figures.probes;
    benchmark::DoNotOptimize(r);
  }
  using benchmark::Counter;
  state.counters["hosts"] = static_cast<double>(scenario.population.hosts);
  state.counters["infections"] = Counter(infections, Counter::kAvgIterations);
  state.counters["time_per_infection"] = Counter(infections, Counter::kIsRate | Counter::kInvert);
  state.counters["probes_per_s"] = Counter(probes, Counter::kIsRate);
  state.counters["bytes_per_host"] = bytes_per_host;
}

void codered_2001(benchmark::State& state) {
  run_and_report(state, load_preset("codered-2001"), simulate);
}
BENCHMARK(codered_2001)->Name("codered_2001")->Unit(benchmark::kMillisecond)->UseRealTime();

/// Uniform scanning over all of IPv4 with K = 1.8/h whatever N, 10 seeds, run to
/// saturation (48 simulated hours).
Scenario uniform_outbreak(std::uint64_t hosts) {
  Scenario s;
  s.name = "uniform";
  s.population.hosts = hosts;
  s.worm.scan_rate = 1.8 / kHour * 4294967296.0 / static_cast<double>(hosts);
  s.worm.initial_infected = 10;
  s.run.duration = 48 * kHour;
  s.run.report_interval = kHour;
  return s;
}

void uniform_saturation(benchmark::State& state) {
  run_and_report(state, uniform_outbreak(static_cast<std::uint64_t>(state.range(0))), simulate);
}
BENCHMARK(uniform_saturation)
    ->Name("uniform_saturation")
    ->Arg(10000)->Arg(100000)->Arg(1000000)->Arg(10000000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void blaster_2003(benchmark::State& state) {
  run_and_report(state, load_preset("blaster-2003"), simulate);
}
BENCHMARK(blaster_2003)->Name("blaster_2003")->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);

/// 10^6 hosts placed uniformly in all of IPv4, 10 seeds, the same probe rate for
/// every strategy (K = 1.8/h for uniform scanning), 12 simulated hours: each
/// strategy's cost per infection on the same population. Argument: 0 uniform,
/// 1 local preference, 2 sequential, 3 permutation (dormant after 3 hits),
/// 4 uniform with bandwidth-limited rates and a binding capacity, 5 uniform with two
/// host types, one of which crashes.
Scenario strategy_scenario(int which, std::uint64_t hosts) {
  Scenario s = uniform_outbreak(hosts);
  s.run.duration = 12 * kHour;
  auto& worm = s.worm;
  switch (which) {
    case 1:
      worm.strategy = ScanStrategy::kLocalPreference;
      break;
    case 2:
      worm.strategy = ScanStrategy::kSequential;
      break;
    case 3:
      worm.strategy = ScanStrategy::kPermutation;
      worm.permutation.dormant_after = 3;
      break;
    case 4:
      worm.bandwidth.enabled = true;
      worm.bandwidth.probe_bytes = 404;
      worm.bandwidth.links = {{0.5, worm.scan_rate * 8 * 404 * 1.5}, {0.5, worm.scan_rate * 8 * 404 * 0.5}};
      worm.bandwidth.capacity = worm.scan_rate * static_cast<double>(hosts) / 4;
      worm.scan_rate *= 2;
      break;
    case 5:
      s.population.types = {{"a", 0.5}, {"b", 0.5}};
      worm.exploits = {{"b", 0.5, FailureOutcome::kCrash, 60}};
      break;
    default:
      break;
  }
  return s;
}

void strategy_1e6(benchmark::State& state) {
  run_and_report(state, strategy_scenario(static_cast<int>(state.range(0)), 1000000), simulate);
}
BENCHMARK(strategy_1e6)
    ->Name("strategy_1e6")
    ->DenseRange(0, 5)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

/// A sparse scenario for the oracle comparison: 10^4 hosts in a /8 (2^24
/// addresses), 20 probes/s, exploit success 1/2, one simulated hour (the outbreak
/// saturates after about 35 min; the oracle draws all ~5 x 10^8 probes, about a
/// minute). Argument 0 is a shortened variant (30 min) for the smoke run; 1 is the
/// full comparison.
Scenario sparse_scenario(bool full) {
  Scenario s;
  s.name = "sparse";
  s.address_space.base = 0x0a000000;
  s.address_space.prefix_length = 8;
  s.population.hosts = 10000;
  s.worm.scan_rate = 20;
  s.worm.exploit_success = 0.5;
  s.worm.initial_infected = 10;
  s.run.duration = full ? 1 * kHour : 30 * kMinute;
  s.run.report_interval = kMinute;
  return s;
}

void sparse_engine(benchmark::State& state) {
  run_and_report(state, sparse_scenario(state.range(0) == 1), simulate);
}
BENCHMARK(sparse_engine)->Name("sparse_engine")->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();

void sparse_oracle(benchmark::State& state) {
  run_and_report(state, sparse_scenario(state.range(0) == 1),
                 [](const Scenario& s, std::uint64_t seed, std::uint64_t replicate) {
                   return testing::naive_simulate(s, seed, replicate);
                 });
}
BENCHMARK(sparse_oracle)
    ->Name("sparse_oracle")
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(1);

}  // namespace
}  // namespace patchrace::bench
