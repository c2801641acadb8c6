// `patchrace validate FILE...`: checks scenario files without running them.
#include <fmt/format.h>

#include <cstdio>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "io/format_units.hpp"
#include "patchrace/scenario_file.hpp"

namespace patchrace::cli {

int validate_command(const std::vector<std::string>& files) {
  for (const std::string& file : files) {
    // Every value of a [sweep] is checked too.
    const ScenarioSweep checked = load_scenario_and_sweep(file);  // throws InvalidScenario
    const Scenario& scenario = checked.base;
    const std::string sweep =
        checked.key.empty() ? std::string()
                            : fmt::format(", sweep of {} over {} values", checked.key,
                                          checked.scenarios.size());
    fmt::print("{}: ok ({}: {} hosts, {}, {}{})\n", file, scenario.name,
               detail::format_count(scenario.population.hosts), scenario.worm.name,
               detail::format_duration(scenario.run.duration), sweep);
    std::fflush(stdout);
  }
  return 0;
}

}  // namespace patchrace::cli
