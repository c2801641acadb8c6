// Presets built into the binary (embedded from presets/*.toml at build time).
#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "patchrace/error.hpp"
#include "patchrace/scenario_file.hpp"

namespace patchrace {
namespace detail {
const std::vector<std::pair<std::string_view, std::string_view>>& embedded_presets();
}  // namespace detail

std::vector<std::string> preset_names() {
  std::vector<std::string> names;
  for (const auto& [name, text] : detail::embedded_presets()) names.emplace_back(name);
  std::sort(names.begin(), names.end());
  return names;
}

std::string default_preset_name() { return "blaster-2003"; }

std::string_view preset_text(const std::string& name) {
  for (const auto& [preset, text] : detail::embedded_presets()) {
    if (preset == name) return text;
  }
  throw InvalidScenario(fmt::format("unknown preset '{}', expected one of: {}", name,
                                    fmt::join(preset_names(), ", ")));
}

Scenario load_preset(const std::string& name, const ScenarioOverrides& overrides) {
  return parse_scenario_toml(preset_text(name), "preset:" + name, overrides);
}

ScenarioSweep load_preset_sweep(const std::string& name, const ScenarioOverrides& overrides) {
  return parse_sweep_toml(preset_text(name), "preset:" + name, overrides);
}

ScenarioSweep load_preset_and_sweep(const std::string& name, const ScenarioOverrides& overrides) {
  return parse_scenario_and_sweep_toml(preset_text(name), "preset:" + name, overrides);
}

}  // namespace patchrace
