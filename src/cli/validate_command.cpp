// `patchrace validate FILE...`: checks scenario files without running them.
#include <fmt/format.h>

#include <cstdio>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "io/format_units.hpp"
#include "patchrace/error.hpp"
#include "patchrace/scenario_file.hpp"

namespace patchrace::cli {

namespace {

/// The one-line verdict on a checked scenario, named `source`.
void print_ok(const std::string& source, const ScenarioSweep& checked) {
  const Scenario& scenario = checked.base;
  const std::string sweep =
      checked.key.empty() ? std::string()
                          : fmt::format(", sweep of {} over {} values", checked.key, checked.scenarios.size());
  fmt::print("{}: ok ({}: {} hosts, {}, {}{})\n", source, scenario.name,
             detail::format_count(scenario.population.hosts), scenario.worm.name,
             detail::format_duration(scenario.run.duration), sweep);
  std::fflush(stdout);
}

}  // namespace

int validate_command(const std::vector<std::string>& files, const std::vector<std::string>& presets,
                     const ScenarioOverrides& overrides) {
  if (files.empty() && presets.empty()) {
    throw UsageError("validate needs a scenario FILE or --preset NAME (see `patchrace presets`)");
  }
  // Every value of a [sweep] is checked too.
  for (const std::string& file : files) print_ok(file, load_scenario_and_sweep(file, overrides));  // throws
  for (const std::string& name : presets) print_ok("preset:" + name, load_preset_and_sweep(name, overrides));
  return 0;
}

}  // namespace patchrace::cli
