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
    const Scenario scenario = load_scenario_file(file);  // throws InvalidScenario
    fmt::print("{}: ok ({}: {} hosts, {}, {})\n", file, scenario.name,
               detail::format_count(scenario.population.hosts), scenario.worm.name,
               detail::format_duration(scenario.run.duration));
    std::fflush(stdout);
  }
  return 0;
}

}  // namespace patchrace::cli
