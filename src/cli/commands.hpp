// The subcommands of the patchrace command-line tool. Each returns the process exit
// code and reports bad input by throwing patchrace::UsageError or InvalidScenario
// (exit 2) and runtime failures by throwing other exceptions (exit 1); main() prints
// them as one line "patchrace: error: <message>".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "patchrace/scenario_file.hpp"

namespace patchrace::cli {

/// Options of `patchrace run` and `patchrace sweep`, as given on the command line.
struct RunOptions {
  std::string scenario_file;                // empty: use `preset`
  std::string preset;                       // empty: the default preset
  std::optional<std::uint64_t> seed;        // overrides the scenario's run.seed
  std::optional<std::uint32_t> replicates;  // overrides the scenario's run.replicates
  unsigned threads = 0;                     // 0: one per hardware thread
  std::string out = "patchrace-out";        // output directory
  bool quiet = false;                       // no summary, no progress bar
  ScenarioOverrides overrides;              // --set KEY=VALUE, in order
};

/// `patchrace run`: loads the scenario, applies the overrides, checks memory and the
/// output directory, runs the ensemble, prints a summary and writes the outputs.
int run_command(const RunOptions& options);

/// `patchrace presets [NAME]`: lists the built-in presets, or prints NAME's TOML text.
int presets_command(const std::string& name);

/// `patchrace validate [FILE...] [--preset NAME...]`: parses each file, then each
/// preset, and prints a one-line verdict each; stops at the first invalid one by
/// throwing patchrace::InvalidScenario. Throws patchrace::UsageError if given neither.
int validate_command(const std::vector<std::string>& files, const std::vector<std::string>& presets,
                     const ScenarioOverrides& overrides = {});

/// `patchrace sweep`: loads the scenario and expands its [sweep], runs every value's
/// ensemble with the same seed (common random numbers: differences between values are
/// not sampling noise of different streams), prints a table and writes sweep.csv and
/// sweep.json.
int sweep_command(const RunOptions& options);

}  // namespace patchrace::cli
