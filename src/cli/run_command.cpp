// `patchrace run`: one scenario, all its replicates, outputs on disk.
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <random>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "cli/commands.hpp"
#include "cli/progress.hpp"
#include "cli/run_support.hpp"
#include "io/format_units.hpp"
#include "patchrace/ensemble.hpp"
#include "patchrace/error.hpp"
#include "patchrace/output.hpp"
#include "patchrace/result.hpp"
#include "patchrace/scenario.hpp"
#include "patchrace/scenario_file.hpp"

namespace patchrace::cli {
namespace {

namespace fs = std::filesystem;

constexpr std::array<const char*, 2> kOutputFiles = {"timeseries.csv", "summary.json"};

/// The scenario the options name, with its source for messages ("file.toml", "preset:NAME").
std::pair<Scenario, std::string> load_scenario(const RunOptions& options) {
  check_scenario_source(options);
  if (!options.scenario_file.empty()) {
    return {load_scenario_file(options.scenario_file, options.overrides), options.scenario_file};
  }
  const std::string name = options.preset.empty() ? default_preset_name() : options.preset;
  return {load_preset(name, options.overrides), "preset:" + name};
}

}  // namespace

int run_command(const RunOptions& options) {
  auto [scenario, source_name] = load_scenario(options);
  if (options.replicates) scenario.run.replicates = *options.replicates;
  SeedSource seed_source = SeedSource::kScenario;
  if (options.seed) {
    scenario.run.seed = options.seed;
    seed_source = SeedSource::kCommandLine;
  }
  validate(scenario, source_name);
  check_memory(scenario, options.threads);
  check_output_dir(options.out, {kOutputFiles.begin(), kOutputFiles.end()});

  if (!scenario.run.seed) {
    scenario.run.seed = pick_seed();
    seed_source = SeedSource::kPicked;
    fmt::print("seed: {} (picked)\n", *scenario.run.seed);
    std::fflush(stdout);
  }
  const std::uint64_t seed = *scenario.run.seed;  // echoed in summary.json: the run reproduces

  ProgressBar progress(progress_wanted(options.quiet, scenario.run.replicates));
  const auto start = std::chrono::steady_clock::now();
  const std::vector<Result> results =
      run_ensemble(scenario, seed, options.threads, progress.callback());
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  progress.finish();

  if (!options.quiet) fmt::print("{}", summary_text(scenario, results, seed, wall));
  write_outputs(options.out, scenario, results, seed, seed_source);
  if (!options.quiet) {
    const fs::path out(options.out);
    fmt::print("wrote {} and {}\n", (out / kOutputFiles[0]).string(),
               (out / kOutputFiles[1]).string());
  }
  return 0;
}

}  // namespace patchrace::cli
