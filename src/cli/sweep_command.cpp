// `patchrace sweep`: one scenario's [sweep], every value's replicates, a table and
// sweep.csv / sweep.json on disk.
#include <fmt/format.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/progress.hpp"
#include "cli/run_support.hpp"
#include "patchrace/ensemble.hpp"
#include "patchrace/error.hpp"
#include "patchrace/scenario_file.hpp"
#include "patchrace/sweep_output.hpp"

namespace patchrace::cli {
namespace {

const std::vector<std::string> kSweepFiles = {"sweep.csv", "sweep.json"};

/// The sweep the options name, with its source for messages.
std::pair<ScenarioSweep, std::string> load_sweep(const RunOptions& options) {
  check_scenario_source(options);
  if (!options.scenario_file.empty()) {
    return {load_sweep_file(options.scenario_file, options.overrides), options.scenario_file};
  }
  if (options.preset.empty()) {
    throw UsageError("give the scenario file or --preset whose [sweep] to run");
  }
  return {load_preset_sweep(options.preset, options.overrides), "preset:" + options.preset};
}

}  // namespace

int sweep_command(const RunOptions& options) {
  auto [sweep, source_name] = load_sweep(options);
  SeedSource seed_source = SeedSource::kScenario;
  std::optional<std::uint64_t> seed = sweep.base.run.seed;
  if (options.seed) {
    seed = options.seed;
    seed_source = SeedSource::kCommandLine;
  }
  for (Scenario& scenario : sweep.scenarios) {
    if (options.replicates) scenario.run.replicates = *options.replicates;
    validate(scenario, source_name);
    check_memory(scenario, options.threads);
  }
  check_output_dir(options.out, kSweepFiles);
  if (!seed) {
    seed = pick_seed();
    seed_source = SeedSource::kPicked;
    fmt::print("seed: {} (picked)\n", *seed);
    std::fflush(stdout);
  }

  std::uint32_t total = 0;
  for (const Scenario& scenario : sweep.scenarios) total += scenario.run.replicates;
  ProgressBar progress(progress_wanted(options.quiet, total));
  const ProgressCallback report = progress.callback();
  SweepResults results;
  std::uint32_t done_before = 0;
  const auto start = std::chrono::steady_clock::now();
  for (Scenario& scenario : sweep.scenarios) {
    scenario.run.seed = seed;
    const std::uint32_t offset = done_before;
    results.results.push_back(run_ensemble(scenario, *seed, options.threads,
                                           [&](std::uint32_t finished, std::uint32_t) {
                                             if (report) report(offset + finished, total);
                                           }));
    done_before += scenario.run.replicates;
  }
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  progress.finish();

  if (!options.quiet) fmt::print("{}", sweep_text(sweep, results, *seed, wall));
  write_sweep_outputs(options.out, sweep, results, *seed, seed_source);
  if (!options.quiet) {
    const std::filesystem::path out(options.out);
    fmt::print("wrote {} and {}\n", (out / kSweepFiles[0]).string(), (out / kSweepFiles[1]).string());
  }
  return 0;
}

}  // namespace patchrace::cli
