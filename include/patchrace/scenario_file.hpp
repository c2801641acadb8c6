// Reading scenarios from TOML text, files and the presets built into the binary.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "patchrace/scenario.hpp"

namespace patchrace {

/// Parses TOML `text` into a validated Scenario. `source_name` (a file name or
/// "preset:NAME") starts every error message: "name:line:col: what is wrong".
/// Unknown keys, wrong types, out-of-range values and inconsistent settings are
/// errors; nothing is silently defaulted except keys documented as optional.
/// Throws patchrace::InvalidScenario.
[[nodiscard]] Scenario parse_scenario_toml(std::string_view text, const std::string& source_name);

/// Reads and parses a scenario file. Throws patchrace::InvalidScenario if the file
/// cannot be read or is invalid.
[[nodiscard]] Scenario load_scenario_file(const std::string& path);

/// Names of the presets built into the binary, sorted.
[[nodiscard]] std::vector<std::string> preset_names();

/// Name of the preset `patchrace run` uses when given no scenario.
[[nodiscard]] std::string default_preset_name();

/// The TOML text of a built-in preset. Throws patchrace::InvalidScenario naming the
/// known presets if there is none called `name`.
[[nodiscard]] std::string_view preset_text(const std::string& name);

/// The validated Scenario of a built-in preset (see preset_text()).
[[nodiscard]] Scenario load_preset(const std::string& name);

}  // namespace patchrace
