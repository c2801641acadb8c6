// patchrace: the command-line tool. Parses the command line with CLI11, dispatches to
// one subcommand and turns every error into one line on stderr and an exit code:
// 0 success (and --help/--version), 2 bad input, 1 runtime failure.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <iostream>
#include <limits>
#include <new>
#include <string>
#include <system_error>
#include <vector>

#include "cli/commands.hpp"
#include "patchrace/error.hpp"

namespace {

using patchrace::cli::RunOptions;

constexpr int kExitBadInput = 2;
constexpr int kExitFailure = 1;

/// Prints "patchrace: error: <message>" on one line (newlines in `message` become "; ").
void print_error(std::string message) {
  while (!message.empty() && message.back() == '\n') message.pop_back();
  std::string line;
  for (char c : message) {
    if (c == '\n') {
      line += "; ";
    } else {
      line += c;
    }
  }
  std::fflush(stdout);
  fmt::print(stderr, "patchrace: error: {}\n", line);
}

/// Accepts a decimal integer in [min, max]; CLI11's own conversion would wrap "-5" or
/// overflow silently for unsigned types.
CLI::Validator integer_in(std::uint64_t min, std::uint64_t max) {
  auto check = [min, max](std::string& text) -> std::string {
    std::uint64_t value = 0;
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec == std::errc() && ptr == end && value >= min && value <= max) return {};
    return fmt::format("must be an integer from {} to {}, got '{}'", min, max, text);
  };
  return CLI::Validator(check, "");  // the range shows in the error, not in the type
}

/// Everything the command line can set.
struct CommandLine {
  RunOptions run;
  RunOptions sweep;
  std::string preset_name;
  std::vector<std::string> validate_files;
  std::vector<std::string> validate_presets;
  std::vector<std::string> run_sets, sweep_sets, validate_sets;  // --set KEY=VALUE
  std::uint64_t seed = 0;
  std::uint32_t replicates = 1;
};

/// Subcommands and options handles, to see after parsing what was given.
struct Parsed {
  CLI::App* run = nullptr;
  CLI::App* sweep = nullptr;
  CLI::App* presets = nullptr;
  CLI::App* validate = nullptr;
  CLI::Option* seed = nullptr;
  CLI::Option* replicates = nullptr;
  CLI::Option* sweep_seed = nullptr;
  CLI::Option* sweep_replicates = nullptr;
};

/// Help texts of the options `run` and `sweep` share.
struct RunHelp {
  const char* scenario;
  const char* preset;
  const char* seed;
  const char* replicates;
  const char* quiet;
};

/// The options of `run` and `sweep` on `command`, into `options` (--seed and
/// --replicates into `cl`, and their handles into `seed` and `replicates`).
constexpr const char* kSetHelp =
    "Set a scenario key, e.g. --set worm.scan_rate=20 --set run.duration=3d (repeatable; values as in TOML)";

void add_run_options(CLI::App* command, RunOptions& options, CommandLine& cl, const RunHelp& help,
                     std::vector<std::string>& sets, CLI::Option*& seed, CLI::Option*& replicates) {
  command->add_option("SCENARIO", options.scenario_file, help.scenario);
  command->add_option("--preset", options.preset, help.preset);
  command->add_option("--set", sets, kSetHelp)->expected(1)->allow_extra_args(false)->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  // At most 2^63 - 1, the largest TOML integer, so that every seed can go into run.seed.
  seed = command->add_option("--seed", cl.seed, help.seed)
             ->check(integer_in(0, std::numeric_limits<std::int64_t>::max()));
  replicates = command->add_option("--replicates", cl.replicates, help.replicates)
                   ->check(integer_in(1, 1'000'000));
  command->add_option("--threads", options.threads, "Worker threads (0: one per hardware thread)")
      ->check(integer_in(0, 1024))
      ->capture_default_str();
  command->add_option("--out", options.out, "Output directory")->capture_default_str();
  command->add_flag("-q,--quiet", options.quiet, help.quiet);
}

Parsed add_run(CLI::App& app, CommandLine& cl) {
  Parsed p;
  p.run =
      app.add_subcommand("run", "Simulate a scenario and write timeseries.csv and summary.json");
  add_run_options(p.run, cl.run, cl,
                  {"Scenario TOML file (default: the default preset)",
                   "Run a built-in preset (see `patchrace presets`)",
                   "Random seed (default: the scenario's run.seed, else one is picked and printed)",
                   "Number of replicates, overrides run.replicates",
                   "Print no summary and no progress bar"},
                  cl.run_sets, p.seed, p.replicates);
  return p;
}

/// `sweep` takes the options of `run`, with the scenario's [sweep] run value by value.
void add_sweep(CLI::App& app, CommandLine& cl, Parsed& p) {
  p.sweep = app.add_subcommand(
      "sweep", "Run a scenario once per value of its [sweep] and write sweep.csv and sweep.json");
  cl.sweep.out = "patchrace-sweep";
  add_run_options(p.sweep, cl.sweep, cl,
                  {"Scenario TOML file with a [sweep] table",
                   "Sweep a built-in preset (e.g. patch-timing)",
                   "Random seed, the same for every value (default: the scenario's run.seed, "
                   "else one is picked and printed)",
                   "Replicates per value, overrides run.replicates",
                   "Print no table and no progress bar"},
                  cl.sweep_sets, p.sweep_seed, p.sweep_replicates);
}

Parsed build_app(CLI::App& app, CommandLine& cl) {
  app.set_version_flag("--version", "patchrace " PATCHRACE_VERSION);
  app.require_subcommand(0, 1);
  Parsed p = add_run(app, cl);
  add_sweep(app, cl, p);
  p.presets = app.add_subcommand("presets", "List the built-in presets, or print one's TOML");
  p.presets->add_option("NAME", cl.preset_name, "Preset to print");
  p.validate = app.add_subcommand("validate", "Check scenario files or presets without running them");
  p.validate->add_option("FILE", cl.validate_files, "Scenario TOML files");
  p.validate->add_option("--preset", cl.validate_presets, "Built-in presets to check (repeatable)");
  p.validate->add_option("--set", cl.validate_sets, kSetHelp)->expected(1)->allow_extra_args(false)->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  return p;
}

patchrace::ScenarioOverrides overrides(const std::vector<std::string>& sets) {
  patchrace::ScenarioOverrides out;
  for (const std::string& text : sets) out.push_back(patchrace::parse_override(text));
  return out;
}

int dispatch(const Parsed& p, CommandLine& cl) {
  if (p.run->parsed()) {
    if (p.seed->count() > 0) cl.run.seed = cl.seed;
    if (p.replicates->count() > 0) cl.run.replicates = cl.replicates;
    cl.run.overrides = overrides(cl.run_sets);
    return patchrace::cli::run_command(cl.run);
  }
  if (p.sweep->parsed()) {
    if (p.sweep_seed->count() > 0) cl.sweep.seed = cl.seed;
    if (p.sweep_replicates->count() > 0) cl.sweep.replicates = cl.replicates;
    cl.sweep.overrides = overrides(cl.sweep_sets);
    return patchrace::cli::sweep_command(cl.sweep);
  }
  if (p.presets->parsed()) return patchrace::cli::presets_command(cl.preset_name);
  if (p.validate->parsed()) {
    return patchrace::cli::validate_command(cl.validate_files, cl.validate_presets, overrides(cl.validate_sets));
  }
  throw patchrace::UsageError(
      "no command given, expected run, sweep, presets or validate (see --help)");
}

/// Runs `body`, mapping every exception to its one-line message and exit code.
template <typename Body>
int guarded(Body body) {
  try {
    return body();
  } catch (const patchrace::UsageError& e) {
    print_error(e.what());
    return kExitBadInput;
  } catch (const patchrace::InvalidScenario& e) {
    print_error(e.what());
    return kExitBadInput;
  } catch (const std::bad_alloc&) {
    print_error("out of memory");
    return kExitFailure;
  } catch (const std::exception& e) {
    print_error(e.what());
    return kExitFailure;
  } catch (...) {
    print_error("unknown failure");
    return kExitFailure;
  }
}

}  // namespace

int main(int argc, char** argv) {
  return guarded([&] {
    CLI::App app("patchrace: worms racing a patch process", "patchrace");
    CommandLine cl;
    const Parsed parsed = build_app(app, cl);
    try {
      app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
      if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) return app.exit(e);
      print_error(e.what());
      return kExitBadInput;
    }
    return dispatch(parsed, cl);
  });
}
